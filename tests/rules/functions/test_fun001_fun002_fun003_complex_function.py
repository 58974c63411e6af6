"""Tests of rule FUN001, FUN002, FUN003 (`mlaudit/rules/functions/fun001_fun002_fun003_complex_function.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, run_audit, write_tree
from tests.rules.functions._helpers import branchy


def test_fun001_to_003_band_by_complexity(tmp_path: Path) -> None:
    code = branchy("simple", 5) + branchy("moderate", 12) + branchy("very", 24) + branchy("monster", 35)
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/m.py": code})
    assert [h.message for h in findings(tmp_path, "FUN001")] == ["moderate() has cyclomatic complexity 13 (rank C)"]
    assert [h.message for h in findings(tmp_path, "FUN002")] == ["very() has cyclomatic complexity 25 (rank D)"]
    [error] = findings(tmp_path, "FUN003")
    assert error.severity is Severity.ERROR and "monster() has cyclomatic complexity 36" in error.message


def test_fun001_ignores_tests_and_simple_code(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/m.py": branchy("ok", 9), "tests/test_m.py": branchy("t", 15)})
    assert findings(tmp_path, "FUN001") == []


def test_functions_metrics_reported(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/m.py": branchy("f", 4)})
    metrics = run_audit(tmp_path, select=("FUN001",)).practice("functions").metrics
    assert metrics["max_complexity"] == 5
