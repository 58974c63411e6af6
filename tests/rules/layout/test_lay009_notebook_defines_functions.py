"""Tests of rule LAY009 (`mlaudit/rules/layout/lay009_notebook_defines_functions.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree
from tests.rules.layout._helpers import notebook


def test_lay009_fires_on_notebook_defining_functions(tmp_path: Path) -> None:
    cells = ["def clean(df):\n    return df\n", "def encode(df):\n    return df\n", "class Net:\n    pass\n"]
    write_tree(tmp_path, {"notebooks/train.ipynb": notebook(*cells)})
    [hit] = findings(tmp_path, "LAY009")
    assert "3 functions/classes (clean, encode, Net)" in hit.message and hit.cell == 1


def test_lay009_counts_a_class_once_not_its_methods(tmp_path: Path) -> None:
    cells = ["class Net:\n    def a(self): ...\n    def b(self): ...\n", "def plot(x):\n    return x\n"]
    write_tree(tmp_path, {"notebooks/train.ipynb": notebook(*cells)})
    assert findings(tmp_path, "LAY009") == []


def test_lay009_tutorial_notebooks_are_an_info_note(tmp_path: Path) -> None:
    cells = ["def get_model():\n    return 1\n", "def get_data():\n    return 2\n", "class Trainer:\n    pass\n"]
    write_tree(
        tmp_path, {"examples/notebooks/cifar10.ipynb": notebook(*cells), "notebooks/explore.ipynb": notebook(*cells)}
    )
    hits = {h.path: h.severity for h in findings(tmp_path, "LAY009")}
    assert hits == {"examples/notebooks/cifar10.ipynb": Severity.INFO, "notebooks/explore.ipynb": Severity.WARNING}
