"""Tests comparing two reports: matching by fingerprint (or rule, path, message without one), never by line."""

from __future__ import annotations

from dataclasses import replace

from mlaudit.model import Finding, Severity
from mlaudit.report import markdown
from mlaudit.report.compare import compare, summary_line
from tests.report.conftest import make_base, make_rich


def finding(line: int, message: str = "print(x) in src/a.py", path: str = "src/a.py") -> Finding:
    return Finding("LOG001", "logging", Severity.WARNING, path, line, None, message, "Use a logger.")


def test_moved_line_is_neither_new_nor_fixed() -> None:
    base = replace(make_rich(), findings=(finding(10),))
    now = replace(make_rich(), findings=(finding(42),))
    result = compare(now, base)
    assert result.new == ()
    assert result.fixed == ()


def test_fixed_and_new_findings_are_listed() -> None:
    base = replace(make_rich(), findings=(finding(10), finding(20, "print(y) in src/a.py")))
    now = replace(make_rich(), findings=(finding(11), finding(30, "print(z) in src/a.py")))
    result = compare(now, base)
    assert [f.message for f in result.new] == ["print(z) in src/a.py"]
    assert [f.message for f in result.fixed] == ["print(y) in src/a.py"]


def test_duplicates_match_as_a_multiset() -> None:
    base = replace(make_rich(), findings=(replace(finding(1), fingerprint="a"), replace(finding(2), fingerprint="a-2")))
    now = replace(
        make_rich(),
        findings=tuple(replace(finding(n), fingerprint=fp) for n, fp in ((5, "a"), (6, "a-2"), (7, "a-3"))),
    )
    result = compare(now, base)
    assert len(result.new) == 1
    assert result.fixed == ()


def test_a_reworded_finding_with_the_same_fingerprint_is_not_new() -> None:
    base = replace(make_rich(), findings=(replace(finding(0, "2 of 3 endpoints lack validation"), fingerprint="ep"),))
    now = replace(make_rich(), findings=(replace(finding(0, "2 of 4 endpoints lack validation"), fingerprint="ep"),))
    result = compare(now, base)
    assert result.new == ()
    assert result.fixed == ()


def test_suppressed_findings_are_not_compared() -> None:
    base = replace(make_rich(), findings=(finding(1),))
    now = replace(make_rich(), findings=(replace(finding(1), suppressed="noqa"),))
    result = compare(now, base)
    assert result.new == ()
    assert len(result.fixed) == 1


def test_deltas_and_summary_line() -> None:
    result = compare(make_rich(), make_base())
    assert result.delta == -2
    deltas = {p.key: p.delta for p in result.practices}
    assert deltas["security"] == -30
    assert deltas["logging"] == 5
    assert deltas["production"] is None
    assert summary_line(result) == "-30 security, +5 logging: 1 new finding, 1 fixed"


def test_scorecard_lists_new_and_fixed_findings() -> None:
    text = markdown.render(make_rich(), make_base())
    new_part, fixed_part = text.split("**Fixed findings**")
    assert "SEC001 | src/churn/api.py:5" in new_part.split("**New findings**")[1]
    assert "src/churn/features.py:3" in fixed_part.split("###")[0]
    assert "(-2 since base: B 84)" in text
    assert "| 11 | Privacy and security | 45 | F | -30 |" in text
