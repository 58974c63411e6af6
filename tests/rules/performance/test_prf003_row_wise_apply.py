"""Tests of rule PRF003 (`mlaudit/rules/performance/prf003_row_wise_apply.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree


def test_prf003_row_apply_and_series_lambda(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "clean.py": (
                "import pandas as pd\n\n\n"
                "def add_ratio(df):\n"
                "    df['ratio'] = df.apply(lambda r: r['a'] / (r['b'] + 1), axis=1)\n"
                "    df['plan'] = df['plan'].apply(lambda p: p.lower())\n"
                "    df['top'] = df.groupby('user')['score'].apply(lambda s: s.max())\n"
                "    df['sum'] = df[['a', 'b']].apply(sum)\n"
                "    return df\n"
            ),
            "nets.py": "import torch\n\n\ndef init(model, fn):\n    model.apply(fn)\n",
        },
    )
    hits = findings(tmp_path, "PRF003")
    assert [(h.line, h.severity) for h in hits] == [(5, Severity.WARNING), (6, Severity.INFO)]
