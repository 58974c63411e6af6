"""Tests of rule REP014 (`mlaudit/rules/reproducibility/rep014_argparse_bool_type.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


def test_rep014_argparse_type_bool(tmp_path: Path) -> None:
    code = (
        "import argparse\n\np = argparse.ArgumentParser()\np.add_argument('--use_smote', type=bool, default=False)\n"
        "p.add_argument('--fast', action='store_true')\np.add_argument('--n', type=int, default=1)\n"
    )
    write_tree(tmp_path, {"train.py": code})
    [hit] = findings(tmp_path, "REP014")
    assert "--use_smote" in hit.message and hit.line == 4
