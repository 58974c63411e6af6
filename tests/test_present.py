"""The presentation core: points, gains, cost order, identity and deltas computed once for every view."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from mlaudit import present
from mlaudit.model import Finding, Report, Severity
from mlaudit.report.ranking import capability_gain
from tests.helpers import run_audit, write_tree
from tests.tui.conftest import demo_report

UNCHECKED = {  # a package with annotated helpers, no type checker and no linter configured
    "pyproject.toml": '[project]\nname = "churn"\nversion = "0.1"\nrequires-python = ">=3.10"\n'
    'dependencies = ["numpy==1.26.4"]\n',
    "churn/__init__.py": "",
    "churn/features.py": "from typing import Any\n\n\ndef scale(values: list[float], factor: float) -> list[float]:\n"
    "    return [v * factor for v in values]\n\n\ndef parse(row: Any) -> Any:\n    return row.split(',')\n",
}


def unchecked_report(root: Path) -> Report:
    """Audit a small package whose type checker and linter capabilities are missing (TYP003, TYP005)."""
    write_tree(root, UNCHECKED)
    return run_audit(root)


def _finding(rule: str, severity: Severity, path: str, suppressed: str | None = None) -> Finding:
    return Finding(rule, "logging", severity, path, 1, None, "m", "f", suppressed=suppressed)


def test_cost_order_puts_the_costly_rule_first_even_below_a_worse_severity(tmp_path: Path) -> None:
    report = demo_report(tmp_path)  # LOG001 costs 30 points, LOG004 15
    cheap_error = _finding("LOG004", Severity.ERROR, "a.py")
    costly_info = _finding("LOG001", Severity.INFO, "b.py")
    muted = _finding("LOG001", Severity.WARNING, "c.py", suppressed="reviewed")
    assert present.cost_order(report, [muted, cheap_error, costly_info]) == [costly_info, cheap_error, muted]


def test_overall_gain_is_the_weighted_share_and_stops_at_100(tmp_path: Path) -> None:
    report = demo_report(tmp_path)  # 8 scored practices of weight 1
    assert present.overall_gain(report, "logging", 30) == pytest.approx(30 / 8)
    assert present.overall_gain(report, "performance", 30) == pytest.approx(8 / 8)  # 92 -> 100
    assert present.overall_gain(report, "testing", 30) == 0.0  # not checked: no score to raise
    [fix] = [g for g in present.fix_gains(report) if g.rule == "TYP001"]
    assert fix.findings == 1 and not fix.measured


def test_score_deltas_name_only_what_changed(tmp_path: Path) -> None:
    before = demo_report(tmp_path)
    practices = tuple(replace(p, score=90) if p.key == "logging" else p for p in before.practices)
    after = replace(before, score=76, practices=practices)
    assert present.score_deltas(before, after) == {"logging": 35, "overall": 4}
    assert present.score_deltas(before, before) == {}


def test_finding_identity_prefers_the_fingerprint() -> None:
    plain = _finding("LOG001", Severity.INFO, "a.py")
    assert present.finding_id(plain) == "LOG001|a.py:1|m"
    assert present.finding_id(replace(plain, fingerprint="abc123")) == "abc123"


def test_metric_labels_read_as_people_say_them() -> None:
    assert present.format_metric("annotated_functions_pct", 52.1) == "annotated functions: 52 %"
    assert present.format_metric("annotated_function_share", 0.63) == "annotated function share: 63 %"
    assert present.format_metric("functions_counted", 48) == "functions counted: 48"


def test_a_rule_restating_a_missing_capability_costs_what_the_capability_gains(tmp_path: Path) -> None:
    report = unchecked_report(tmp_path)
    typing = report.practice("typing")
    checker = present.pricing_capability(report, "typing", "TYP003")
    assert checker is not None and checker.key == "type_checker" and checker.earned == 0
    assert not any(d.rule == "TYP003" for d in typing.deductions)  # the capability prices it, not a deduction
    assert present.rule_points(report, "typing", "TYP003") == capability_gain(report, typing, checker) > 0
    assert present.pricing_capability(report, "typing", "TYP007") is None  # `Any`: advice, restates nothing
    assert present.rule_points(report, "typing", "TYP007") == 0
    assert present.restating_rules(report, "typing", "linter") == {"TYP005"}
    ordered = [f.rule for f in present.cost_order(report, report.findings_for("typing"))]
    assert ordered.index("TYP003") < ordered.index("TYP005") < ordered.index("TYP007")  # 20 > 15 > advice


def test_a_capability_in_place_prices_nothing(tmp_path: Path) -> None:
    pyproject = UNCHECKED["pyproject.toml"] + "\n[tool.mypy]\nstrict = true\n"
    write_tree(tmp_path, {**UNCHECKED, "pyproject.toml": pyproject})
    report = run_audit(tmp_path)
    checker = next(c for c in report.practice("typing").capabilities if c.key == "type_checker")
    assert checker.missing == 0
    assert present.pricing_capability(report, "typing", "TYP003") is None
    assert present.rule_points(report, "typing", "TYP003") == 0
    assert present.pricing_capability(report, "typing", "TYP005") is not None  # the linter is still missing


def test_rules_carry_what_they_restate_through_json_and_the_fixit_report(tmp_path: Path) -> None:
    from mlaudit.report import fixit
    from mlaudit.report import json as json_report

    report = unchecked_report(tmp_path)
    again = json_report.loads(json_report.dumps(report))
    assert [(d.code, d.restates) for d in again.rules] == [(d.code, d.restates) for d in report.rules]
    checker = again.rule_doc("TYP003")
    assert checker is not None and checker.restates == "type_checker"
    advice_doc = again.rule_doc("TYP007")
    assert advice_doc is not None and advice_doc.restates is None
    text = fixit.render(report)
    assert "### Missing: Type checker configured: +20 points" in text
    assert '### TYP003 No type checker configured: priced by "Missing: Type checker configured" above' in text
    [advice] = [line for line in text.splitlines() if line.startswith("### TYP007 ")]
    assert "advice, no points" in advice and "priced by" not in advice  # restates nothing
