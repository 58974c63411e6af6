"""Tests of rule LAY008 (`mlaudit/rules/layout/lay008_logic_in_notebooks.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run_audit, run_audit_rules_only, write_tree
from tests.rules.layout._helpers import PACKAGE, notebook


def test_lay008_costs_points_when_code_lives_in_notebooks(tmp_path: Path) -> None:
    cells = [f"a{i} = {i}\nb{i} = a{i} * 2\n" for i in range(40)]
    write_tree(tmp_path, {**PACKAGE, "notebooks/train.ipynb": notebook(*cells)})
    layout = run_audit_rules_only(tmp_path, select=("LAY008",)).practice("layout")
    assert layout.metrics["notebook_code_lines"] == 80
    assert [d.rule for d in layout.deductions] == ["LAY008"]


def test_lay008_free_when_notebooks_are_thin(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PACKAGE, "notebooks/plot.ipynb": notebook("from churn.train import fit\nfit()\n")})
    layout = run_audit(tmp_path, select=("LAY008",)).practice("layout")
    assert layout.deductions == () and layout.metrics["module_code_lines"] == 2
