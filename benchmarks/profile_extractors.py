"""Profile the fact workers' extraction: every EXTRACTOR over every module of a tree, in one process.

Each module is parsed and summarised as a worker does (`filefacts._work`, with the cyclic garbage
collector paused): the table shows the CPU seconds of the parse, of the shared node index, and of
each extractor, largest first. An
extractor that reuses another's fact (`pf.file_fact`) is charged only for its own work, so the
figures add up to the whole.

    python benchmarks/profile_extractors.py /tmp/skl --top 25
"""

from __future__ import annotations

import argparse
import gc
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from mlaudit import filefacts
from mlaudit.discover import discover
from mlaudit.facts.randomness import ModuleMap
from mlaudit.model import FileKind
from mlaudit.options import AuditOptions
from mlaudit.project import PythonFile, in_package, parse_python, read_module
from mlaudit.secret_sweep import SweepSettings


def profile(root: Path) -> tuple[dict[str, float], int]:
    """Return the CPU seconds per step (parse, index, each extractor) over the tree's modules, and their count."""
    sources = [s for s in discover(root).files if s.abspath.suffix == ".py" and s.kind is not FileKind.NOTEBOOK]
    paths = tuple(s.path for s in sources)
    context = filefacts.FactContext(ModuleMap(paths), SweepSettings.of(AuditOptions()), frozenset(paths))
    seconds: dict[str, float] = defaultdict(float)
    clock = time.process_time
    for source in sources:
        raw = read_module(source)
        if not isinstance(raw, bytes):
            continue
        start = clock()
        parsed = parse_python(source, raw)
        seconds["(parse)"] += clock() - start
        if not isinstance(parsed, PythonFile):
            continue
        if source.kind is FileKind.LIBRARY and parsed.has_main_guard and not in_package(context.paths, source.path):
            parsed.source = replace(source, kind=FileKind.SCRIPT)
        start = clock()
        parsed.nodes(ast_module())
        seconds["(node index)"] += clock() - start
        for extractor in filefacts.EXTRACTORS:
            if parsed.kind not in extractor.kinds:
                continue
            start = clock()
            try:
                filefacts.extract(parsed, extractor, context)
            except Exception:  # noqa: BLE001 - as the worker: a failing extractor is left to the parent
                continue
            finally:
                seconds[extractor.name] += clock() - start
    return dict(seconds), len(sources)


def ast_module() -> type:
    """Return `ast.Module` (asking for it builds the file's node index)."""
    import ast

    return ast.Module


def main() -> None:
    """Print the per-extractor table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("--top", type=int, default=30, help="rows to print (the rest are summed)")
    args = parser.parse_args()
    gc.disable()  # as in the workers (forked from an audit that paused it, or `filefacts._work`)
    seconds, count = profile(args.root)
    rows = sorted(seconds.items(), key=lambda kv: -kv[1])
    extraction = sum(v for k, v in seconds.items() if k != "(parse)")
    print(f"{count} modules; parse {seconds.get('(parse)', 0.0):.2f} s, index + extraction {extraction:.2f} s")
    for name, value in rows[: args.top]:
        print(f"{value:8.3f}  {name}")
    rest = rows[args.top :]
    if rest:
        print(f"{sum(v for _, v in rest):8.3f}  ({len(rest)} more)")


if __name__ == "__main__":
    main()
