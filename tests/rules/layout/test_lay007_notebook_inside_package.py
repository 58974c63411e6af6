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


def test_lay007_a_notebook_a_test_reads_as_input_is_test_data(tmp_path: Path) -> None:
    """`src/churn/tests/data/report.ipynb` is what a notebook-handling test opens; a notebook beside code still fires."""
    nb = notebook("import numpy as np\nscores = np.arange(5)\n")
    files = {
        **PACKAGE,
        "src/churn/tests/__init__.py": "",
        "src/churn/tests/data/report.ipynb": nb,
        "src/churn/analysis/explore.ipynb": nb,
    }
    write_tree(tmp_path, files)
    assert [h.path for h in findings(tmp_path, "LAY007")] == ["src/churn/analysis/explore.ipynb"]
