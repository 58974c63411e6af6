"""Tests of rule PRF002 (`mlaudit/rules/performance/prf002_data_frame_row_loop.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree


def test_prf002_fires_on_iterrows_and_not_on_head(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "feats.py": (
                "import pandas as pd\n\n\n"
                "def profiles(df):\n"
                "    out = {}\n"
                "    for _, row in df.iterrows():\n"
                "        out[row['user']] = row['n'] * 2\n"
                "    for _, row in df.head(5).iterrows():\n"
                "        print(row)\n"
                "    rows = [r.a for r in df.itertuples()]\n"
                "    return out, rows\n"
            )
        },
    )
    hits = findings(tmp_path, "PRF002")
    assert [(h.line, h.severity) for h in hits] == [(6, Severity.WARNING), (10, Severity.INFO)]
    assert "df.iterrows()" in hits[0].message
