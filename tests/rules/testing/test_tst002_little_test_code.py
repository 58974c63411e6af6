"""Tests of rule TST002 (`mlaudit/rules/testing/tst002_little_test_code.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run_audit_rules_only, write_tree
from tests.rules.testing._helpers import LIB


def test_tst002_metrics_count_functions_and_cases(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            **LIB,
            "tests/test_data.py": (
                "import pytest\nfrom pkg.data import load\n\n\n"
                "@pytest.mark.parametrize('p', ['a', 'b', 'c'])\n"
                "def test_load(p):\n    assert load(p) == p\n\n\n"
                "def test_other():\n    assert load('x')\n"
            ),
        },
    )
    practice = run_audit_rules_only(tmp_path, select=("TST002",)).practice("testing")
    assert practice.metrics["test_functions"] == 2
    assert practice.metrics["parametrized_cases"] == 3
    ratio = practice.metrics["test_to_code_ratio"]
    assert isinstance(ratio, float) and 0 < ratio < 0.5
    assert [d.rule for d in practice.deductions] == ["TST002"]
