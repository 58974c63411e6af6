"""Tests of the app's Textual-free helpers: top fixes, filters, masking, code context, exports, editor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlaudit.engine import Progress
from mlaudit.model import Severity
from mlaudit.tui import data
from mlaudit.tui.exports import default_target, editor_command, inside, write_export
from mlaudit.tui.source import MASK, CodeContext, SourceUnavailable, code_context, mask_secrets
from mlaudit.tui.widgets.code_view import render_code
from mlaudit.tui.widgets.scan_status import describe, overall_percent
from tests.tui.conftest import FAKE_SECRET, FINDINGS, demo_report


def test_top_fixes_are_the_largest_deductions_first(tmp_path: Path) -> None:
    fixes = data.top_fixes(demo_report(tmp_path), limit=3)
    assert [(f.rule, f.practice_points) for f in fixes] == [("SEC001", 40), ("DEP002", 35), ("LOG001", 30)]
    # 8 scored practices of equal weight: +40 in one practice is +5 overall
    assert fixes[0].overall_points == pytest.approx(5.0) and fixes[0].gain_label.startswith("+5.0 overall")


def test_filter_matches_rule_location_and_message_at_one_severity() -> None:
    assert {f.rule for f in data.filter_findings(FINDINGS, "train.py", None)} == {
        "TYP001",
        "LOG001",
        "LOG004",
        "PRF001",
    }
    assert [f.rule for f in data.filter_findings(FINDINGS, "log00", Severity.WARNING)] == ["LOG001", "LOG001", "LOG004"]
    assert [f.rule for f in data.filter_findings(FINDINGS, "", Severity.ERROR)] == ["LAY001", "SEC001"]


def test_sort_by_severity_puts_errors_first_and_cycle_wraps() -> None:
    ranked = data.sort_findings(FINDINGS, "severity")
    assert [f.severity for f in ranked[:2]] == [Severity.ERROR, Severity.ERROR]
    assert ranked[-1].severity is Severity.INFO
    assert data.next_severity(Severity.INFO) is None
    assert data.next_severity(None) is Severity.ERROR


def test_metrics_read_as_percentages_only_for_shares() -> None:
    assert data.format_metric("annotated_function_share", 0.63) == "annotated function share: 63 %"
    assert data.format_metric("test_functions", 12) == "test functions: 12"
    assert data.format_metric("maintainability_index", 41.5) == "maintainability index: 41.5"


def test_secret_line_is_masked_but_neighbours_and_docstrings_are_not() -> None:
    lines = ['"""Settings."""', f'API_KEY = "{FAKE_SECRET}"', "TIMEOUT = 30", 'URL = "https://example.com"']
    masked = mask_secrets(lines, {2})
    assert masked == ['"""Settings."""', f'API_KEY = "{MASK}"', "TIMEOUT = 30", 'URL = "https://example.com"']


def test_private_key_block_and_env_values_are_masked() -> None:
    lines = [
        "KEY=-----BEGIN RSA PRIVATE KEY-----",
        "MIIEowIBAAKCAQEA7==",
        "-----END RSA PRIVATE KEY-----",
        "TOKEN=abc123",
    ]
    masked = mask_secrets(lines, {1, 4})
    assert all("MIIE" not in line and "abc123" not in line for line in masked)
    assert masked[3] == f"TOKEN={MASK}"


def test_code_context_marks_the_line_and_masks_the_secret(demo_root: Path) -> None:
    report = demo_report(demo_root)
    secret = next(f for f in report.findings if f.rule == "SEC001")
    context = code_context(report, secret)
    assert context.mark_line == 3
    assert FAKE_SECRET not in context.text
    assert "TIMEOUT = 30" in context.text


def test_code_context_of_a_notebook_shows_the_cell_source(demo_root: Path) -> None:
    report = demo_report(demo_root)
    finding = next(f for f in report.findings if f.path == "notebooks/eda.ipynb" and f.rule == "LOG001")
    context = code_context(report, finding)
    assert context.text.splitlines()[context.mark_line - 1] == "print(x.mean())"  # type: ignore[operator]
    assert context.title == "notebooks/eda.ipynb, cell 2"


def test_code_context_refuses_vanished_and_escaping_paths(demo_root: Path) -> None:
    report = demo_report(demo_root)
    finding = FINDINGS[2]
    (demo_root / "src/churn/train.py").unlink()
    with pytest.raises(SourceUnavailable, match="no longer exists"):
        code_context(report, finding)
    escaping = type(finding)("X", "layout", Severity.INFO, "../../etc/passwd", 1, None, "m", "f")
    with pytest.raises(SourceUnavailable, match="outside"):
        code_context(report, escaping)


def test_json_export_writes_the_report_file(tmp_path: Path) -> None:
    target = write_export(demo_report(tmp_path), "json", tmp_path / "new" / "report.json")
    assert json.loads(target.read_text(encoding="utf-8"))["score"] == 72


def test_export_refuses_to_write_through_a_symlink(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    link = tmp_path / "report.json"
    link.symlink_to(victim)
    with pytest.raises(OSError, match="symbolic link"):
        write_export(demo_report(tmp_path), "json", link)
    assert victim.read_text(encoding="utf-8") == "keep"


def test_default_export_path_is_outside_the_audited_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    report = demo_report(tmp_path / "home" / "code" / "churn-model")
    target = default_target(report, "fixit")
    assert target == tmp_path / "home" / "mlaudit-reports" / "churn-model" / "mlaudit-fixes.md"
    assert not inside(target, report.root)


@pytest.mark.parametrize(
    ("editor", "expected"),
    [
        ("vim", ["vim", "+12", "/r/a.py"]),
        ("code --wait", ["code", "--wait", "--goto", "/r/a.py:12"]),
        ("hx", ["hx", "/r/a.py:12"]),
        ("gedit", ["gedit", "/r/a.py"]),
    ],
)
def test_editor_command_puts_the_line_where_each_editor_wants_it(editor: str, expected: list[str]) -> None:
    assert editor_command(editor, Path("/r/a.py"), 12) == expected


def test_one_bar_over_the_whole_audit_with_human_stage_names() -> None:
    steps = [
        Progress("discover", 0, 1, "/repo"),
        Progress("parse", 1, 200, "a.py"),
        Progress("parse", 200, 200, "z.py"),
        Progress("tools", 1, 2, "git_history"),
        Progress("tools", 2, 2, "pip_audit"),
        Progress("rules", 1, 80, "layout: LAY001"),
        Progress("rules", 80, 80, "security: SEC001"),
        Progress("done", 1, 1, ""),
    ]
    percents = [overall_percent(p) for p in steps]
    assert percents == sorted(percents) and percents[0] == 0 and percents[-1] == 100
    assert describe(steps[4]).startswith("Checking dependencies with pip-audit")
    assert describe(steps[1]) == "Reading files 1/200 files · a.py"
    assert describe(steps[5]) == "Checking practices 1/80 · Layout like software, not notebooks (LAY001)"
    assert "pip_audit" not in describe(steps[4]) and overall_percent(steps[4]) < 65


def test_a_wrapped_code_line_continues_under_an_arrow_not_a_number() -> None:
    long = "x = " + " + ".join(f"value_{i}" for i in range(20))
    context = CodeContext(f"a = 1\n{long}\nb = 2", 10, 11, "python", "m.py")
    lines = render_code(context, "monokai", "#333333", width=40).plain.splitlines()
    assert lines[0].startswith("  10 │ ") and lines[1].startswith("▶ 11 │ ")
    continuation = [line for line in lines if "↪" in line]
    assert continuation and all(line.startswith("   ↪ ┆ ") for line in continuation)
    assert lines[-1].startswith("  12 │ ") and all(len(line) <= 40 for line in lines)
    assert "".join(line[7:] for line in lines[1:-1]) == long
