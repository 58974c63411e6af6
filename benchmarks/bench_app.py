"""Benchmark: the app's first paint and time-to-scores against a bare Textual app, side by side in tmux.

Each round starts, in a fresh tmux session of the same size, one after the other:

- `bare`: a Textual app with one label and a footer (the floor for first paint);
- `bare+audit`: the same app running the same offline audit in a thread worker and showing
  the overall score (the floor for time-to-scores: any app must pay for the audit);
- `mlaudit PATH --offline`: first paint (its title), first practice score streamed in
  (`n of 11 practices checked`) and all scores (the overall `/100`).

Times are measured by polling `tmux capture-pane`, so they include the terminal. Ratios are
taken from medians of the same run because this machine is shared and noisy.

mlaudit's modules are compiled to bytecode first, as an installed package has them (Textual's
are): with `PYTHONDONTWRITEBYTECODE=1` an editable checkout would otherwise compile every module
it loads at each start, which the bare app never pays. `--no-compile` measures the tree as it is.

    python benchmarks/bench_app.py /tmp/appsrc/torchmetrics --rounds 5
    python benchmarks/bench_app.py /tmp/appsrc/torchmetrics --rounds 5 --cold   # every audit from scratch
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# The reference apps run as separate programs, so this module never imports Textual itself.
BARE = """
from textual.app import App, ComposeResult
from textual.widgets import Footer, Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("BARE READY")
        yield Footer()


Bare().run()
"""

BARE_AUDIT = """
import os
import sys
from pathlib import Path

from textual import work
from textual.app import App, ComposeResult
from textual.widgets import Footer, Static


class BareAudit(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("BARE READY", id="s")
        yield Footer()

    def on_mount(self) -> None:
        self.run_audit()

    @work(thread=True)
    def run_audit(self) -> None:
        from mlaudit.engine import audit
        from mlaudit.options import AuditOptions

        report = audit(Path(sys.argv[1]), AuditOptions(offline=True, jobs=min(2, os.cpu_count() or 1)))
        self.call_from_thread(self.query_one("#s", Static).update, f"SCORE {report.score}/100")


BareAudit().run()
"""

POLL = 0.01
TIMEOUT = 180.0
SOCKET = f"mlaudit-bench-{os.getpid()}"  # a tmux server of our own: other sessions are never touched


def tmux(*args: str) -> subprocess.CompletedProcess[str]:
    """Run one tmux command on the benchmark's own server."""
    return subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=False)


@dataclass(frozen=True)
class Marks:
    """Seconds from launch until each marker was on screen (None: never within the timeout)."""

    seconds: tuple[float | None, ...]


def watch(command: str, markers: tuple[str, ...], size: tuple[int, int], name: str) -> Marks:
    """Start `command` in a new tmux session and time when each marker first shows on screen.

    Markers are in screen order: one that never showed before a later one did (a fast screen can
    skip `n of 11 practices checked` and go straight to the overall score) takes the later time.
    """
    seen: list[float | None] = [None] * len(markers)
    start = time.monotonic()
    started = tmux("new", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]), command)
    if started.returncode:
        raise SystemExit(f"tmux could not start {command}: {started.stderr.strip()}")
    try:
        while time.monotonic() - start < TIMEOUT and seen[-1] is None:
            screen = tmux("capture-pane", "-p", "-t", name).stdout
            now = time.monotonic() - start
            for index, marker in enumerate(markers):
                if seen[index] is None and marker in screen:
                    seen[index] = now
            time.sleep(POLL)
    finally:
        tmux("kill-session", "-t", name)
    for index in range(len(seen) - 2, -1, -1):
        if seen[index] is None:
            seen[index] = seen[index + 1]
    return Marks(tuple(seen))


def median(values: list[float | None]) -> float:
    """Return the median of the measured values (nan when none was measured)."""
    measured = [v for v in values if v is not None]
    return statistics.median(measured) if measured else float("nan")


@dataclass(frozen=True)
class Programs:
    """The three command lines one round starts."""

    bare: str
    bare_audit: str
    mlaudit: str


def main() -> None:
    """Run the rounds and print each, then the medians and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("repo", type=Path, help="a git repository to audit (it is only read)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--size", default="120x40", help="terminal size, WIDTHxHEIGHT")
    parser.add_argument("--cold", action="store_true", help="every run starts with an empty cache (no stored report)")
    parser.add_argument("--no-compile", action="store_true", help="do not compile mlaudit's bytecode first")
    args = parser.parse_args()
    if not args.no_compile:
        compile_mlaudit()
    width, height = (int(n) for n in args.size.split("x"))
    repo = shlex.quote(str(args.repo.resolve()))
    python = shlex.quote(sys.executable)
    mlaudit = shlex.quote(str(Path(sys.executable).with_name("mlaudit")))
    with tempfile.TemporaryDirectory(prefix="mlaudit-bench-app-") as scratch:
        bare, bare_audit = Path(scratch, "bare.py"), Path(scratch, "bare_audit.py")
        bare.write_text(BARE, encoding="utf-8")
        bare_audit.write_text(BARE_AUDIT, encoding="utf-8")
        programs = Programs(
            f"{python} {shlex.quote(str(bare))}",
            f"{python} {shlex.quote(str(bare_audit))} {repo}",
            # The app keeps its theme in XDG_CONFIG_HOME: the scratch folder, not the user's.
            f"env XDG_CONFIG_HOME={shlex.quote(scratch)} {mlaudit} {repo} --offline",
        )
        tmux("new", "-d", "-s", "anchor")  # keeps the server up between sessions
        fresh = (lambda: f"env XDG_CACHE_HOME={shlex.quote(tempfile.mkdtemp(dir=scratch))} ") if args.cold else str
        try:
            rows = [run_round(index, programs, (width, height), fresh) for index in range(args.rounds)]
        finally:
            tmux("kill-server")
    cache = "cold: no stored report, no cached facts" if args.cold else "warm after the first round"
    cache += ", mlaudit as it is on disk" if args.no_compile else ", mlaudit compiled"
    summary(f"{args.repo} at {args.size} ({cache}), medians of {args.rounds} rounds:", rows)


def compile_mlaudit() -> None:
    """Write the bytecode of mlaudit's modules next to them, as installing the package does."""
    spec = importlib.util.find_spec("mlaudit")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        compileall.compile_dir(folder, quiet=1)


def run_round(
    index: int, programs: Programs, size: tuple[int, int], prefix: Callable[[], str] = str
) -> tuple[Marks, Marks, Marks]:
    """Time the bare app, the bare app with the audit, and mlaudit once each; print the round.

    `prefix()` is put before the two auditing commands (an empty cache folder each, with `--cold`).
    """
    b = watch(programs.bare, ("BARE READY",), size, f"b{index}")
    a = watch(prefix() + programs.bare_audit, ("BARE READY", "/100"), size, f"a{index}")
    m = watch(prefix() + programs.mlaudit, ("mlaudit", "practices checked", "/100"), size, f"m{index}")
    print(
        f"round {index + 1}: bare paint {_s(b.seconds[0])} | bare+audit score {_s(a.seconds[1])} | "
        f"mlaudit paint {_s(m.seconds[0])}, first score {_s(m.seconds[1])}, all scores {_s(m.seconds[2])}",
        flush=True,
    )
    return b, a, m


def summary(title: str, rows: list[tuple[Marks, Marks, Marks]]) -> None:
    """Print the medians and the ratios of all rounds."""
    bare_paint = median([r[0].seconds[0] for r in rows])
    bare_score = median([r[1].seconds[1] for r in rows])
    paint, first, scores = (median([r[2].seconds[i] for r in rows]) for i in range(3))
    print(title)
    print(f"  first paint   {paint:.2f} s vs bare {bare_paint:.2f} s = {paint / bare_paint:.2f}x (target <= 1.5x)")
    print(f"  first score   {first:.2f} s = {first / bare_paint:.2f}x bare paint, {first / bare_score:.2f}x bare+audit")
    print(
        f"  all scores    {scores:.2f} s = {scores / bare_paint:.2f}x bare paint (target <= 3x), "
        f"{scores / bare_score:.2f}x bare+audit ({bare_score:.2f} s)"
    )


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


if __name__ == "__main__":
    main()
