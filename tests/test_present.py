"""The presentation core: points, gains, cost order, identity and deltas computed once for every view."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from mlaudit import present
from mlaudit.model import Finding, Severity
from tests.tui.conftest import demo_report


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
