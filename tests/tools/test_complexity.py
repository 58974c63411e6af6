"""Complexity figures are radon's: same cyclomatic complexity per block, maintainability within 4."""

from __future__ import annotations

from pathlib import Path

from radon.complexity import cc_visit
from radon.metrics import h_visit_ast, mi_visit
from radon.visitors import ComplexityVisitor

from mlaudit.model import FileKind
from mlaudit.project import PythonFile
from mlaudit.tools.complexity import (
    COMPLEXITY_COUNTED,
    HALSTEAD_COUNTED,
    counted_subtrees,
    module_metrics,
    pruned,
    rank,
)
from tests.helpers import project_of, write_tree

SOURCE = '''"""Feature engineering helpers."""

import numpy as np


def clip_outliers(values, low=0.01, high=0.99):
    """Clip values to the given quantiles."""
    lo, hi = np.quantile(values, [low, high])
    return np.clip(values, lo, hi)


def bucket(value, edges):
    # walk the edges until one is larger
    for i, edge in enumerate(edges):
        if value < edge and i > 0 or value == edge:
            return i
    else:
        return len(edges)


class Scaler:
    """Standardise columns."""

    def fit(self, rows):
        self.mean = [sum(r) / len(r) for r in rows if r]
        try:
            self.std = [max(r) - min(r) for r in rows]
        except ValueError:
            self.std = None
        return self

    def transform(self, rows):
        def one(row):
            return [x - m for x, m in zip(row, self.mean)] if self.mean else row

        return [one(r) for r in rows]
'''


def test_complexities_and_maintainability_match_radon(tmp_path: Path) -> None:
    write_tree(tmp_path, {"feats/__init__.py": "", "feats/ops.py": SOURCE})
    pf = project_of(tmp_path).python["feats/ops.py"]
    assert pf.kind is FileKind.LIBRARY
    metrics = module_metrics(pf)
    ours = {(f.line, f.complexity) for f in metrics.functions}
    theirs = {(b.lineno, b.complexity) for b in cc_visit(SOURCE) if hasattr(b, "is_method")}
    closures = {(c.lineno, c.complexity) for b in cc_visit(SOURCE) for c in getattr(b, "closures", ())}
    assert ours == theirs | closures
    assert abs(metrics.maintainability - mi_visit(SOURCE, True)) < 4


def test_rank_follows_radon_letters() -> None:
    assert [rank(n) for n in (1, 5, 6, 10, 11, 20, 21, 30, 31, 40, 41)] == list("AABBCCDDEEF")


TRICKY = """
import asyncio


def decorate(fn):
    return fn


@decorate
def walk(items, flag=None, *args, key=lambda x: x or 1, **kw):
    total = [i for i in items if i and (i > 2 or i < -2)]
    pairs = {k: v for k, v in kw.items() if v is not None}
    if (n := len(total)) > 3 and flag:
        return f"{n!r:>10} {pairs}"
    match flag:
        case {"a": 1, **rest} if rest:
            return rest
        case [x, y, *_] | (x, y):
            return x + y
        case str() as text:
            return text
        case _:
            pass
    try:
        value = total[0] if total else None
    except* ValueError as group:
        raise RuntimeError("bad") from group
    finally:
        del pairs
    return value


class Model:
    scale: int = 2

    def forward(self, x):
        def inner(y):
            return [z for z in y if z] or None

        while x > 0:
            x -= 1
            for _ in range(3):
                if x % 2 and not x % 3:
                    break
            else:
                continue
        return inner([x, -x]) if x else ~x


async def fetch(urls):
    async with asyncio.timeout(5):
        return [u async for u in urls if u] + [await asyncio.sleep(0)]
"""

_UNPATCHED = """
import json, sys
from radon.complexity import cc_visit
from radon.metrics import h_visit, mi_visit
src = sys.stdin.read()
blocks = [(b.name, b.lineno, b.complexity) for b in cc_visit(src)]
closures = [(c.name, c.lineno, c.complexity) for b in cc_visit(src) for c in getattr(b, "closures", ())]
h = h_visit(src).total
print(json.dumps([blocks, closures, [h.h1, h.h2, h.N1, h.N2], mi_visit(src, True)]))
"""


def test_faster_traversal_gives_radon_s_unpatched_numbers() -> None:
    """mlaudit speeds up radon's visitors in-process; a fresh interpreter runs radon untouched."""
    import json
    import subprocess
    import sys

    from radon.metrics import h_visit

    import mlaudit.tools.complexity  # noqa: F401  (the faster traversal is installed on import)

    done = subprocess.run(
        [sys.executable, "-I", "-c", _UNPATCHED], input=TRICKY, capture_output=True, text=True, check=True
    )
    blocks = [[b.name, b.lineno, b.complexity] for b in cc_visit(TRICKY)]
    closures = [[c.name, c.lineno, c.complexity] for b in cc_visit(TRICKY) for c in getattr(b, "closures", ())]
    h = h_visit(TRICKY).total
    ours = [blocks, closures, [h.h1, h.h2, h.N1, h.N2], mi_visit(TRICKY, True)]
    assert ours == json.loads(done.stdout)


# Counted nodes only deep inside expressions that radon otherwise just passes through: a visit
# that skipped one of these subtrees would lose a branch, an operator or an operand.
DEEP = """
CONFIG = {"layers": [dict(size=-1, act=(lambda v: v if v else None))], "name": f"{[n for n in range(3)]!r}"}
call(key=lambda: (yield), other=[{**base, "x": not flag}])


def only_defaults(a=1 + 2, *, b=[c for c in "ab" if c]):
    return a


@decorated(x and y)
class Holder:
    value = [i async for i in source()] if False else None
    assert value is None or value, "msg"
"""


def _unpatched_radon(source: str) -> object:
    import json
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-I", "-c", _UNPATCHED], input=source, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)[:3]


def _pruned_radon(pf: PythonFile) -> object:
    """radon's figures with each visitor skipping what only the other counts (as `module_metrics` runs them)."""
    with pruned(pf, COMPLEXITY_COUNTED):
        blocks = ComplexityVisitor.from_ast(pf.tree).blocks
    with pruned(pf, HALSTEAD_COUNTED):
        h = h_visit_ast(pf.tree).total
    closures = [[c.name, c.lineno, c.complexity] for b in blocks for c in getattr(b, "closures", ())]
    return [[[b.name, b.lineno, b.complexity] for b in blocks], closures, [h.h1, h.h2, h.N1, h.N2]]


def test_pruned_traversal_gives_radon_s_unpatched_numbers(tmp_path: Path) -> None:
    """radon's visitors skip subtrees holding nothing they count, and every figure stays radon's own."""
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/tricky.py": TRICKY, "pkg/deep.py": DEEP})
    python = project_of(tmp_path).python
    for path, source in (("pkg/tricky.py", TRICKY), ("pkg/deep.py", DEEP)):
        assert _pruned_radon(python[path]) == _unpatched_radon(source), path


def test_pruning_skips_subtrees_without_counted_nodes(tmp_path: Path) -> None:
    """The speed-up is real: a call whose arguments hold no branch or operator is not visited."""
    write_tree(
        tmp_path, {"pkg/__init__.py": "", "pkg/flat.py": "setup(name='x', version=VERSION)\nif a < b:\n    go()\n"}
    )
    pf = project_of(tmp_path).python["pkg/flat.py"]
    keep = counted_subtrees(pf)
    assert pf.tree in keep
    assert {type(n).__name__ for n in keep} == {"Module", "If", "Compare"}
    with pruned(pf):
        h = h_visit_ast(pf.tree).total
        complexity = ComplexityVisitor.from_ast(pf.tree).total_complexity
    assert (h.N1, h.N2, complexity) == (1, 2, 2)
    assert {type(n).__name__ for n in counted_subtrees(pf, COMPLEXITY_COUNTED)} == {"Module", "If"}
    assert {type(n).__name__ for n in counted_subtrees(pf, HALSTEAD_COUNTED)} == {"Module", "If", "Compare"}
