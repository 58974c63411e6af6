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


def _validator(checks: int, body: str) -> str:
    """A function opening with `checks` independent precondition checks, then `body`."""
    lines = ["def check_binning(X, n_bins, strategy, encode, subsample, dtype):"]
    for i in range(checks):
        lines.append(f"    if n_bins[{i}] < 2 or n_bins[{i}] > X.shape[0]:")
        lines.append(f'        msg = f"n_bins[{i}] must be in [2, n_samples], got {{n_bins[{i}]}}"')
        lines.append("        raise ValueError(msg)")
    lines.append('    if strategy not in ("uniform", "quantile"):')
    lines.append('        raise ValueError("unknown strategy")')
    lines.append('    elif encode not in ("onehot", "ordinal"):')
    lines.append('        raise ValueError("unknown encode")')
    return "\n".join(lines) + "\n" + body


def test_a_flat_run_of_raise_only_guard_clauses_is_a_checklist_not_complex_logic(tmp_path: Path) -> None:
    flat = _validator(10, "    return X.astype(dtype)\n")  # radon: 1 + 10 * 2 + 2 = 23
    write_tree(tmp_path / "a", {"pkg/__init__.py": "", "pkg/validation.py": flat})
    assert [findings(tmp_path / "a", code) for code in ("FUN001", "FUN002", "FUN003")] == [[], [], []]
    # Look-alike: the same checks before logic that forks and loops is still complex logic, counted beyond them.
    forks = (
        "".join(f"    if strategy == 's{i}':\n        X = X[X[:, {i}] > 0] if subsample else X\n" for i in range(6))
        + "    for row in X:\n        if row.sum() < 0 or row.max() > 1:\n            subsample = False\n    return X\n"
    )
    write_tree(tmp_path / "b", {"pkg/__init__.py": "", "pkg/validation.py": _validator(10, forks)})
    [hit] = findings(tmp_path / "b", "FUN001")
    assert hit.message == (
        "check_binning() has cyclomatic complexity 16 (rank C), not counting 22 of its raise-only guard clauses"
    )
