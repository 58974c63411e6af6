"""Tests the markdown scorecard: goldens, escaping, table integrity and the size budget."""

from __future__ import annotations

import re
from dataclasses import replace

from markdown_it import MarkdownIt

from mlaudit.model import Finding, Report, Severity
from mlaudit.report import markdown
from tests.report.conftest import HOSTILE_MESSAGE, HOSTILE_PATH, assert_golden, make_base, make_minimal, make_rich

GFM = MarkdownIt("commonmark").enable("table")


def table_blocks(text: str) -> list[list[str]]:
    """Return the consecutive `|`-lines of the text, one list per table."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    return [*blocks, current] if current else blocks


def assert_tables_intact(text: str) -> None:
    """Every row of every table has as many cell separators as its header."""
    blocks = table_blocks(text)
    assert blocks
    for block in blocks:
        widths = {line.count("|") for line in block}
        assert len(widths) == 1, block
        assert re.fullmatch(r"\|( ---:? \|)+", block[1])


def test_golden_rich() -> None:
    assert_golden("rich.md", markdown.render(make_rich()))


def test_golden_rich_against_base() -> None:
    assert_golden("rich_compare.md", markdown.render(make_rich(), make_base()))


def test_golden_minimal() -> None:
    assert_golden("minimal.md", markdown.render(make_minimal()))


def test_scorecard_shows_every_practice_with_status() -> None:
    text = markdown.render(make_rich())
    assert "**Overall: B 82/100**" in text
    assert "| 10 | Production mindset: typed services | n/a | – |" in text
    assert "n/a: no web service (FastAPI, Flask, ...) found" in text
    assert "| 7 | Performance: vectorise, batch, profile | not checked |" in text
    assert "| 11 | Privacy and security | 45 | F | 100 | 55 | 0 | 2 | 0 | 0 | not checked: pip-audit |" in text


def test_top_fixes_are_ranked_by_points_gained() -> None:
    text = markdown.render(make_rich())
    gains = [int(m) for m in re.findall(r"^\| \+(\d+) \|", text, flags=re.M)]
    assert gains == sorted(gains, reverse=True)
    assert gains[0] == 35


def test_hostile_text_cannot_break_tables_or_inject_markup() -> None:
    text = markdown.render(make_rich())
    assert_tables_intact(text)
    html = GFM.render(text)
    assert "<script" not in html
    assert "<a " not in html
    assert "<code>" not in html
    assert "<!--" not in html
    assert "<h1" not in html
    assert "@octocat" not in html.replace("&amp;#8203;", "")
    assert "<em>" not in html


def test_hostile_row_renders_as_one_row_with_four_cells() -> None:
    html = GFM.render(markdown.render(make_rich()))
    row = next(r for r in html.split("<tr>") if "alert(1)" in r)
    assert row.count("<td") == 4


def test_escape_flattens_and_neutralises() -> None:
    out = markdown.escape("a|b\n# c `d` [e](f) <g> @h *i* $j$ <!-- k -->")
    assert "\n" not in out
    for raw in ("|", "`", "[", "]", "<", ">", "#"):
        assert raw not in out.replace("&#124;", "").replace("&#96;", "").replace("&#91;", "").replace(
            "&#93;", ""
        ).replace("&lt;", "").replace("&gt;", "").replace("&#35;", "").replace("&#8203;", "")
    assert "@&#8203;h" in out
    assert r"\*i\*" in out


def test_escape_clips_long_text_before_escaping() -> None:
    out = markdown.escape("<" * 50, limit=10)
    assert out == "&lt;" * 9 + "…"


def many_findings(count: int) -> tuple[Finding, ...]:
    return tuple(
        Finding(
            "LOG001",
            "logging",
            Severity.WARNING,
            f"src/pkg/module_{i % 300}.py",
            i,
            None,
            f"print(|{'x' * 120}|) in src/pkg/module_{i % 300}.py <b>{i}</b>",
            "Use a logger.",
        )
        for i in range(count)
    )


def test_five_thousand_findings_stay_under_the_comment_limit() -> None:
    report = replace(make_rich(), findings=many_findings(5000))
    text = markdown.render(report)
    assert len(text) < markdown.GITHUB_COMMENT_LIMIT
    assert_tables_intact(text)
    assert "5000 findings" in text
    assert "more." in text


def test_five_thousand_new_findings_against_a_base_stay_under_the_limit() -> None:
    base: Report = replace(make_rich(), findings=many_findings(5000))
    report = replace(make_rich(), findings=tuple(replace(f, message=f.message + " new") for f in base.findings))
    text = markdown.render(report, base)
    assert len(text) < markdown.GITHUB_COMMENT_LIMIT
    assert_tables_intact(text)
    assert "**New findings** (5000)" in text
    assert "**Fixed findings** (5000)" in text


def test_hostile_inputs_are_in_the_fixture() -> None:
    report = make_rich()
    assert any(f.path == HOSTILE_PATH and f.message == HOSTILE_MESSAGE for f in report.findings)


def test_suppressed_findings_are_left_out_and_baselined_marked() -> None:
    text = markdown.render(make_rich())
    assert 'print("debug")' not in text
    assert "(plus 1 suppressed)" in text
    assert "warning (baselined) | TYP001" in text
