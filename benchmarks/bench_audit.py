"""Benchmark: a cold audit of a large real code base against the parse floor, in one run.

The floor is what any static auditor must pay: read every Python file and `ast.parse` it
once, in one process. The benchmark prints audit/floor and files per second; ratios are
measured in the same run because this machine is shared and noisy.

    python benchmarks/bench_audit.py                       # scikit-learn 1.5.2 wheel
    python benchmarks/bench_audit.py --jobs 1,2            # both, each against the same floor
    python benchmarks/bench_audit.py transformers==4.46.3 --select LAY,DEP
    python benchmarks/bench_audit.py scikit-learn==1.9.1 --versus "ml-project-doctor -f json"

Peak memory is printed from `getrusage`: this process (the largest it ever was during the
run) and the largest forked child.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import os
import resource
import shlex
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from mlaudit import filefacts
from mlaudit.discover import discover
from mlaudit.engine import AuditOptions, audit

CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "mlaudit-bench"


def fetch(requirement: str) -> Path:
    """Download the wheel once (no dependencies) and unpack it in the user cache (outside any repo)."""
    name = requirement.replace("==", "-")
    target = CACHE / name
    if target.is_dir():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "-q",
            "--no-deps",
            "--only-binary",
            ":all:",
            requirement,
            "-d",
            str(CACHE / "wheels"),
        ],
        check=True,
    )
    stem = requirement.split("==", maxsplit=1)[0].replace("-", "_").lower()
    wheel = next(p for p in (CACHE / "wheels").glob("*.whl") if p.name.lower().startswith(stem))
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def floor_seconds(root: Path) -> tuple[float, int, int]:
    """Return the seconds to read and parse every Python file once, the file count and bytes."""
    paths = [f.abspath for f in discover(root).files if f.abspath.suffix == ".py"]
    start = time.perf_counter()
    size = 0
    for path in paths:
        raw = path.read_bytes()
        size += len(raw)
        with contextlib.suppress(SyntaxError):
            ast.parse(raw)
    return time.perf_counter() - start, len(paths), size


def audit_seconds(root: Path, select: tuple[str, ...], jobs: int) -> tuple[float, float, int]:
    """Return the wall and CPU seconds (this process and its children) of a full offline audit
    (never from a cache) and its finding count."""
    start, cpu = time.perf_counter(), _cpu()
    report = audit(root, AuditOptions(select=select, offline=True, history_depth=0, jobs=jobs, cache=False))
    return time.perf_counter() - start, _cpu() - cpu, len(report.findings)


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def other_tool_seconds(command: str, root: Path) -> float | None:
    """Return the seconds another auditor (e.g. `ml-project-doctor -f json`) takes on the same tree."""
    argv = [*shlex.split(command), str(root)]
    if shutil.which(argv[0]) is None:
        return None
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    """Run the benchmark and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("requirement", nargs="?", default="scikit-learn==1.5.2")
    parser.add_argument("--select", default="", help="comma-separated rule prefixes (default: all)")
    parser.add_argument("--jobs", default="2", help="processes for the rules, or a list: 1,2 (the CLI default is 2)")
    parser.add_argument(
        "--versus",
        default="",
        metavar="CMD",
        help="another auditor to time on the same tree, e.g. 'ml-project-doctor -f json'",
    )
    parser.add_argument(
        "--without-workers", action="store_true", help="also time each --jobs value with the facts extracted here"
    )
    args = parser.parse_args()
    root = fetch(args.requirement)
    select = tuple(s for s in args.select.split(",") if s)
    floor, files, size = floor_seconds(root)
    print(f"{args.requirement}: {files} Python files, {size / 1e6:.1f} MB")
    print(f"floor (read + ast.parse, 1 process): {floor:.2f} s  ({size / 1e6 / floor:.2f} MB/s)")
    rules = "all rules" if not select else ",".join(select)
    modes = [True, False] if args.without_workers else [True]
    for jobs, workers in ((int(j), w) for j in args.jobs.split(",") for w in modes):
        filefacts.WORKERS = workers
        elapsed, cpu, findings = audit_seconds(root, select, jobs)
        how = f"jobs={jobs}" + ("" if workers else ", no fact workers")
        print(f"audit ({rules}, {how}): {elapsed:.2f} s ({cpu:.2f} CPU s), {findings} findings")
        print(
            f"audit/floor = {elapsed / floor:.2f}x   CPU/floor = {cpu / floor:.2f}x   files/s = {files / elapsed:.0f}"
        )
        if args.versus:
            other = other_tool_seconds(args.versus, root)
            versus = "not found on PATH" if other is None else f"{other:.2f} s, mlaudit/it = {elapsed / other:.2f}x"
            print(f"  {args.versus}: {versus}")
    print(
        f"peak RSS: this process {_peak_mb(resource.RUSAGE_SELF):.0f} MB, largest child {_peak_mb(resource.RUSAGE_CHILDREN):.0f} MB"
    )


def _peak_mb(who: int) -> float:
    """Return the peak resident set size in MB (Linux reports kilobytes, macOS bytes)."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak / 1024


if __name__ == "__main__":
    main()
