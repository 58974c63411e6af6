"""Complexity figures are radon's: same cyclomatic complexity per block, maintainability within 4."""

from __future__ import annotations

from pathlib import Path

from radon.complexity import cc_visit
from radon.metrics import mi_visit

from mlaudit.model import FileKind
from mlaudit.tools.complexity import module_metrics, rank
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
