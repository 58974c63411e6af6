"""Benchmark: the report cache on a large real code base, every figure a ratio of one run.

The wheel's sources are copied into a temporary git repository (so unmodified files are
named by their blob ids, as in a real checkout) and audited with default settings, offline:
cold (audit and store), without the cache (the reference), warm (unchanged tree), after
one file is edited, warm again, and warm through the command line (process start included). The cache lives in a temporary `$XDG_CACHE_HOME`.

    python benchmarks/bench_cache.py                      # scikit-learn 1.5.2 wheel
    python benchmarks/bench_cache.py scikit-learn==1.9.1 --no-workers   # facts extracted in this process
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python benchmarks/bench_cache.py` works too

from benchmarks.bench_audit import fetch
from mlaudit import filefacts
from mlaudit.engine import AuditOptions, audit
from mlaudit.report import json as json_report

GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


def git_copy(source: Path, target: Path) -> Path:
    """Copy `source` to `target` and commit everything in a fresh repository."""
    shutil.copytree(source, target)
    env = {**os.environ, **GIT_ENV}
    for args in (["init", "-q", "-b", "main"], ["add", "-A", "-f"], ["commit", "-q", "-m", "import"]):
        subprocess.run(["git", "-C", str(target), *args], check=True, env=env)
    return target


CPU_SECONDS: list[float] = []  # CPU seconds (this process and its children) of each timed run, in order


def timed(work: Callable[[], str]) -> tuple[float, str]:
    """Return the seconds `work` took and what it returned; record its CPU seconds in `CPU_SECONDS`."""
    start, cpu = time.perf_counter(), _cpu()
    result = work()
    CPU_SECONDS.append(_cpu() - cpu)
    return time.perf_counter() - start, result


def _cpu() -> float:
    """Return the CPU seconds used so far by this process and its finished children (a shared machine's fairer clock)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def one_module(root: Path) -> Path:
    """Return a mid-sized library module to edit (the same one on every run)."""
    modules = sorted(p for p in root.rglob("*.py") if "tests" not in p.parts and 5_000 < p.stat().st_size < 50_000)
    return modules[len(modules) // 2]


def cli_seconds(root: Path, jobs: int) -> float:
    """Return the wall time of the command line on `root` (process start and imports included)."""
    start = time.perf_counter()
    args = [sys.executable, "-m", "mlaudit", "--offline", "--json", "--jobs", str(jobs), str(root)]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    """Run the scenarios and print each as a ratio of the audit without the cache."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("requirement", nargs="?", default="scikit-learn==1.5.2")
    parser.add_argument("--jobs", type=int, default=2, help="processes for the rules (the CLI default is 2)")
    parser.add_argument("--no-workers", action="store_true", help="extract per-file facts here, not in workers")
    args = parser.parse_args()
    filefacts.WORKERS = not args.no_workers
    source = fetch(args.requirement)
    with tempfile.TemporaryDirectory(prefix="mlaudit-bench-cache-") as tmp:
        root = git_copy(source, Path(tmp) / "repo")
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "xdg")
        os.environ.pop("MLAUDIT_NO_CACHE", None)

        def run(cache: bool = True) -> str:
            return json_report.dumps(audit(root, AuditOptions(offline=True, jobs=args.jobs, cache=cache)))

        cold, first = timed(run)  # first: it also warms the page cache, in its disfavour
        reference, uncached = timed(lambda: run(cache=False))
        warm, second = timed(run)
        rows = [("cold (audit + store)", cold), ("no cache (reference)", reference), ("warm, unchanged tree", warm)]
        module = one_module(root)
        with module.open("a", encoding="utf-8") as handle:
            handle.write("\n\ndef _bench_added(x):\n    return x\n")
        edited, _ = timed(run)
        rows += [(f"one file edited ({module.relative_to(root)}; facts of the others cached)", edited)]
        rows += [("warm again after the edit", timed(run)[0])]
        rows += [("CLI, warm (process start included)", timed(lambda: str(cli_seconds(root, args.jobs)))[0])]
        entries = list((Path(tmp) / "xdg" / "mlaudit" / "reports").glob("*.json"))
        files = sum(1 for _ in root.rglob("*.py"))
        facts = list((Path(tmp) / "xdg" / "mlaudit" / "files").glob("*.facts"))
        print(
            f"{args.requirement} in a git repository: {files} Python files, jobs={args.jobs}, workers={not args.no_workers}"
        )
        print(f"{'':<60} {'seconds':>9}  {'/no cache':>9}  {'/cold':>7}  {'CPU s':>6}  {'CPU/cold':>8}")
        for (label, seconds), cpu in zip(rows, CPU_SECONDS, strict=True):
            print(
                f"{label:<60} {seconds:7.2f} s  {seconds / reference:8.3f}x  {seconds / cold:6.3f}x"
                f"  {cpu:6.2f}  {cpu / CPU_SECONDS[0]:7.3f}x"
            )
        print(
            f"one file edited / cold = {edited / cold:.3f}x wall, {CPU_SECONDS[3] / CPU_SECONDS[0]:.3f}x CPU"
            " (target <= 0.15x)"
        )
        print(f"fact entries: {len(facts)}, {sum(e.stat().st_size for e in facts) / 1e6:.1f} MB")
        same = uncached == first == second
        print(
            f"JSON identical (no cache, cold, warm): {same}; entries: {len(entries)}, "
            f"{sum(e.stat().st_size for e in entries) / 1e6:.1f} MB"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS: {peak / 1e6 if sys.platform == 'darwin' else peak / 1024:.0f} MB")


if __name__ == "__main__":
    main()
