"""Tests of rule LAY007 (`mlaudit/rules/layout/lay007_notebook_inside_package.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.layout._helpers import PACKAGE, notebook


def test_lay007_fires_on_notebook_in_package(tmp_path: Path) -> None:
    nb = notebook("x = 1\n")
    write_tree(tmp_path, {**PACKAGE, "src/churn/explore.ipynb": nb, "notebooks/ok.ipynb": nb})
    [hit] = findings(tmp_path, "LAY007")
    assert hit.path == "src/churn/explore.ipynb"
    assert findings(tmp_path, "LAY006") == []
