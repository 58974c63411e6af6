"""Benchmark: memory and time on a very large tree, and twice that tree, in one run.

The tree is one package's sources (scikit-learn's, from its wheel) copied N times under
`pkg0/`, `pkg1/`, ... into a fresh git repository in the user cache (never inside a repository),
committed once. Each size is audited cold (`--no-cache --offline`, default jobs) in a
process of its own, which reports its wall time and the peak resident memory of itself and
of its largest child (fact workers, forked rule process); their sum bounds what the audit
held at once.

    python benchmarks/bench_scale.py                  # 4 copies (about 1.5 million lines), then 8
    python benchmarks/bench_scale.py --copies 2       # 2, then 4
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python benchmarks/bench_scale.py` works too

from benchmarks.bench_audit import CACHE, fetch

GIT = ("git", "-c", "core.hooksPath=/dev/null", "-c", "commit.gpgsign=false")
PROBE = """
import json, resource, sys, time
from pathlib import Path
from mlaudit.engine import AuditOptions, audit
start = time.perf_counter()
report = audit(Path(sys.argv[1]), AuditOptions(offline=True, cache=False, jobs=int(sys.argv[2])))
seconds = time.perf_counter() - start
own, children = (resource.getrusage(w).ru_maxrss / 1024 for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(json.dumps({"seconds": seconds, "own_mb": own, "child_mb": children, "findings": len(report.findings)}))
"""


def build(source: Path, copies: int) -> tuple[Path, int]:
    """Return a git repository holding `copies` copies of `source`'s Python package, and its line count."""
    package = next(p for p in sorted(source.iterdir()) if p.is_dir() and (p / "__init__.py").is_file())
    root = CACHE / f"scale-{package.name}-{copies}"
    if not (root / ".git").is_dir():
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        for index in range(copies):
            shutil.copytree(package, root / f"pkg{index}" / package.name)
        env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@x", "GIT_COMMITTER_NAME": "b"}
        env["GIT_COMMITTER_EMAIL"] = "b@x"
        subprocess.run([*GIT, "init", "-q", str(root)], check=True)
        subprocess.run([*GIT, "-C", str(root), "add", "-A"], check=True, env=env)
        subprocess.run([*GIT, "-C", str(root), "commit", "-qm", "copies"], check=True, env=env)
    lines = sum(p.read_bytes().count(b"\n") for p in root.rglob("*.py"))
    return root, lines


def measure(root: Path, jobs: int) -> dict[str, float]:
    """Audit `root` cold in a fresh interpreter; return its seconds, peak memory (MB) and finding count."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(root), str(jobs)], check=True, capture_output=True, text=True
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Build both trees, audit each once, print memory and the time ratio."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("requirement", nargs="?", default="scikit-learn==1.9.1")
    parser.add_argument("--copies", type=int, default=4, help="copies in the first tree (the second has twice)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    source = fetch(args.requirement)
    rows = []
    for copies in (args.copies, args.copies * 2):
        root, lines = build(source, copies)
        found = measure(root, args.jobs)
        rows.append(found)
        print(
            f"{copies} copies, {lines / 1e6:.2f} M lines: {found['seconds']:.1f} s, peak RSS {found['own_mb']:.0f} MB "
            f"(audit) + {found['child_mb']:.0f} MB (largest child) = {found['own_mb'] + found['child_mb']:.0f} MB, "
            f"{found['findings']:.0f} findings",
            flush=True,
        )
    print(f"twice the tree: {rows[1]['seconds'] / rows[0]['seconds']:.2f}x the time (target <= 2.2x)")


if __name__ == "__main__":
    main()
