"""Tests of rule TYP001 (`mlaudit/rules/typing/typ001_low_annotation_coverage.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run_audit, run_audit_rules_only, write_tree
from tests.rules.typing._helpers import TYPED, UNTYPED


def test_typ001_measures_coverage_and_deducts(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/untyped.py": UNTYPED, "tests/test_x.py": "def test_a(x): ..."})
    report = run_audit_rules_only(tmp_path, select=("TYP001",))
    typing = report.practice("typing")
    assert typing.metrics["annotated_functions_pct"] == 0.0
    assert typing.metrics["functions_counted"] == 4
    # 1 of 6 parameters annotated? none: score has an annotated return only
    assert typing.metrics["annotated_parameters_pct"] == 0.0
    assert sum(d.points for d in typing.deductions) == 60


def test_typ001_no_deduction_when_fully_typed(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/model.py": TYPED})
    typing = run_audit_rules_only(tmp_path, select=("TYP001",)).practice("typing")
    assert typing.metrics["annotated_functions_pct"] == 100.0
    assert typing.score == 100


def test_typ001_init_without_return_and_self_are_fine(tmp_path: Path) -> None:
    code = "class A:\n    def __init__(self, n: int):\n        self.n = n\n    @classmethod\n    def make(cls) -> 'A':\n        return cls(1)\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": code})
    assert run_audit(tmp_path, select=("TYP001",)).practice("typing").metrics["annotated_functions_pct"] == 100.0
