"""Tests that every view shows capabilities, the score sum, the project kind and a critical grade cap."""

from __future__ import annotations

from dataclasses import replace

from rich.console import Console

from mlaudit.model import CapabilityScore, Deduction, Finding, GradeCap, ProjectKindInfo, Report, Severity
from mlaudit.report import fixit, markdown
from mlaudit.report import json as json_report
from mlaudit.report.text import summary
from mlaudit.tui.widgets.capabilities import capability_text
from tests.report.conftest import make_rich

CAPS = (
    CapabilityScore("collected", "Tests are collected", 30, 30, "14 tests in tests/", "tests/test_data.py", 3),
    CapabilityScore("in_ci", "Tests run in CI", 25, 0, "no CI workflow runs pytest"),
    CapabilityScore("reach", "Data and model code reached by tests", 45, 20, "2 of 5 modules imported by tests"),
)
PUSH = Finding(
    "SEC005",
    "security",
    Severity.CRITICAL,
    "scripts/push.sh",
    None,
    None,
    "AWS key in git history",
    "Rotate the key, then purge it from history.",
)


def scored_report(critical: bool = True, suppressed: str | None = None) -> Report:
    """Return the rich report with capabilities on testing, a project kind and (optionally) a critical cap."""
    base = make_rich()
    practices = tuple(
        replace(
            p,
            capabilities=CAPS,
            score=40,
            grade="F",
            deductions=(Deduction("TST004", 10, "TST004 asserts", "density", 8, 25),),
        )
        if p.key == "testing"
        else p
        for p in base.practices
    )
    findings = (*base.findings, replace(PUSH, suppressed=suppressed)) if critical else base.findings
    caps = (GradeCap("SEC005", "scripts/push.sh", suppressed),) if critical else ()
    kind = ProjectKindInfo("service", ("Dockerfile:1 serves app/main.py with uvicorn",))
    return replace(base, practices=practices, findings=findings, caps=caps, kind=kind, score=65, grade="D")


def _plain(report: Report) -> str:
    console = Console(record=True, width=220, no_color=True)
    console.print(summary(report))
    return console.export_text()


def test_plain_summary_shows_cap_kind_capabilities_and_score_sum() -> None:
    text = _plain(scored_report())
    assert "D 65/100  (capped at D by SEC005 in scripts/push.sh)" in text
    assert "Kind: service (Dockerfile:1 serves app/main.py with uvicorn)" in text
    assert "✗ Tests run in CI" in text and "0/25" in text and "no CI workflow runs pytest" in text
    assert "✓ 1 in place" in text and "30/30" in text and "Tests are collected" in text
    assert "~ Data and model code reached by tests" in text and "20/45" in text
    assert "50 - 10" in text
    assert "1C " in text


def test_plain_summary_without_critical_has_no_cap_note() -> None:
    text = _plain(scored_report(critical=False))
    assert "capped" not in text and "0C" not in text


def test_markdown_scorecard_shows_cap_kind_and_capabilities() -> None:
    text = markdown.render(scored_report())
    assert "**Grade capped at D by SEC005 in scripts/push.sh** (a critical finding counts)." in text
    assert "Project kind: **service**" in text
    assert "| Tests | ✗ Tests run in CI | 0/25 | no CI workflow runs pytest |" in text
    assert "Capabilities: 50 of 100 points earned with evidence" in text
    assert "| 6 | Tests | 40 | F | 50 | 10 | 0 |" in text


def test_suppressed_critical_is_shown_as_lifted_not_capped() -> None:
    report = scored_report(suppressed="rotated on 2026-01-10")
    assert report.cap_note is None
    for text in (markdown.render(report), fixit.render(report), _plain(report)):
        assert "capped at D" not in text
        assert "cap lifted: SEC005 in scripts/push.sh suppressed (rotated on 2026-01-10)" in text


def test_fixit_lists_missing_capabilities_with_their_points() -> None:
    text = fixit.render(scored_report())
    assert "### Missing: Tests run in CI: +25 points" in text
    assert "### Missing: Data and model code reached by tests: +25 points (20 of 45 earned)" in text
    assert "Tests are collected" not in text
    assert "**Grade capped at D by SEC005 in scripts/push.sh**" in text
    assert "### TST004 TST004: +10 points, measured (density, weight 8, cap 25)" in text


def test_json_round_trips_caps_kind_and_capabilities() -> None:
    report = scored_report()
    again = json_report.loads(json_report.dumps(report))
    assert again.caps == report.caps and again.kind == report.kind
    assert again.practice("testing").capabilities == CAPS


def test_app_capability_widget_text_lists_each_capability_and_the_sum() -> None:
    report = scored_report()
    text = capability_text(report.practice("testing"), report).plain
    assert "✓ 30/30 Tests are collected" in text and "✗  0/25 Tests run in CI" in text
    assert "Score 40 = earned 50 - deducted 10" in text
    security = capability_text(report.practice("security"), report).plain
    assert "Overall grade capped at D by SEC005 in scripts/push.sh" in security


def test_badge_says_when_a_critical_finding_caps_the_grade() -> None:
    from mlaudit.report import badge

    assert badge.badge_data(scored_report())["message"] == "D 65 (9/11 scored, capped: critical)"
    assert badge.badge_data(scored_report(critical=False))["message"] == "D 65 (9/11 scored)"


def test_sarif_run_carries_kind_and_grade_cap() -> None:
    from mlaudit.report import sarif

    props = sarif.to_sarif(scored_report())["runs"][0]["properties"]
    assert props["projectKind"]["kind"] == "service" and props["gradeCap"].startswith("capped at D by SEC005")
    assert "gradeCap" not in sarif.to_sarif(scored_report(critical=False))["runs"][0]["properties"]
