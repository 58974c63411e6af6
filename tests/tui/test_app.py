"""Pilot tests of the app: scan, navigate, filter, export, rescan, cancel, and errors as notifications."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.text import Text
from textual import events
from textual.color import Color
from textual.widgets import Input, Static

from mlaudit import background
from mlaudit.engine import Progress
from mlaudit.model import CapabilityScore, Finding, NotChecked, Report, Severity
from mlaudit.options import AuditOptions
from mlaudit.project import Cancelled
from mlaudit.tui import app as app_module
from mlaudit.tui.app import MLAuditApp
from mlaudit.tui.commands import MLAuditCommands
from mlaudit.tui.screens.dashboard import DashboardScreen, FixList
from mlaudit.tui.screens.export import ExportScreen
from mlaudit.tui.screens.finding import FindingScreen
from mlaudit.tui.screens.findings import FindingsScreen
from mlaudit.tui.screens.help import HelpScreen
from mlaudit.tui.widgets.code_view import CodeView
from mlaudit.tui.widgets.findings_table import FindingsTable
from mlaudit.tui.widgets.palette import severity_text
from mlaudit.tui.widgets.practice_table import PracticeTable
from tests.helpers import write_tree
from tests.tui.conftest import FAKE_SECRET, demo_report

OFFLINE = AuditOptions(offline=True, history_depth=0)
Notes = list[tuple[str, dict[str, Any]]]


def _capture(app: MLAuditApp, monkeypatch: pytest.MonkeyPatch) -> Notes:
    notes: Notes = []
    monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append((str(message), kw)))
    return notes


async def _settle(app: MLAuditApp, pilot: Any) -> None:
    """Wait for the scan worker and for the app to handle what it posted (bounded, load-tolerant)."""
    for _ in range(500):
        await pilot.pause(0.01)
        started = app.scan_id > 0 or app.report is not None
        if started and not app.scanning:
            break
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_scans_a_real_repo_and_walks_dashboard_practice_finding_and_back(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", {"train.py": "print('hi')\n", "README.md": "# r\n"})
    app = MLAuditApp(root, OFFLINE)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(app, pilot)
        assert app.report is not None and not app.scanning
        assert app.query_one(PracticeTable).row_count == 11
        layout_findings = app.report.findings_for("layout")
        await pilot.press("tab", "enter")
        assert isinstance(app.screen, FindingsScreen) and app.screen.practice_key == "layout"
        assert app.screen.query_one(FindingsTable).row_count == len(layout_findings) > 0
        await pilot.press("enter")
        assert isinstance(app.screen, FindingScreen)
        assert app.screen.finding in layout_findings
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_finding_detail_shows_masked_code_and_cost(demo_root: Path) -> None:
    app = MLAuditApp(demo_root, OFFLINE, report=demo_report(demo_root))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.open_practice("security")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FindingScreen) and screen.finding.rule == "SEC001"
        code = screen.query_one(CodeView)
        assert FAKE_SECRET not in code.context.text and "API_KEY" in code.context.text
        assert code.context.mark_line == 3
        assert "costs 40 points" in str(screen.query_one("#finding-fix").render())


async def test_filter_severity_and_sort_change_the_table(demo_root: Path) -> None:
    app = MLAuditApp(demo_root, OFFLINE, report=demo_report(demo_root))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FindingsScreen) and screen.practice_key is None
        assert isinstance(app.focused, Input)
        await pilot.press(*"train.py")
        table = screen.query_one(FindingsTable)
        assert {f.path for f in table.findings} == {"src/churn/train.py"} and len(table.findings) == 4
        await pilot.press("enter", "v")
        assert screen.severity is Severity.ERROR and table.findings == []
        await pilot.press("v")
        assert {f.severity for f in table.findings} == {Severity.WARNING}
        await pilot.press("s", "s", "s")
        assert screen.sort_column == "location"
        assert [f.line for f in table.findings] == [9, 12]
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"secret v")
        assert screen.query_one(Input).value == "secret v" and screen.sort_column == "location"
        assert [f.rule for f in table.findings] == []


async def test_export_dialog_writes_outside_the_repo_and_asks_before_overwriting(
    demo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    app = MLAuditApp(demo_root, OFFLINE, report=demo_report(demo_root))
    before = sorted(p.name for p in demo_root.rglob("*"))
    async with app.run_test(size=(100, 30)) as pilot:
        notes = _capture(app, monkeypatch)
        await pilot.pause()
        await pilot.press("j", "e", "f", "x")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        target = data_home / "mlaudit-reports" / "churn-model" / "mlaudit-scorecard.md"
        assert app.screen.query_one("#export-path", Input).value == str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert target.is_file() and f"to {target}" in notes[-1][0]
        target.write_text("keep me", encoding="utf-8")
        await pilot.press("x", "enter")
        await pilot.pause()
        assert target.read_text(encoding="utf-8") == "keep me" and isinstance(app.screen, ExportScreen)
        assert "exists" in str(app.screen.query_one("#export-warning").render())
        await pilot.press("enter")
        await pilot.pause()
        assert target.read_text(encoding="utf-8") != "keep me" and not isinstance(app.screen, ExportScreen)
        await pilot.press("x", "ctrl+a", "ctrl+k", *str(demo_root / "out.md"), "enter")
        await pilot.pause()
        assert "inside the audited repository" in str(app.screen.query_one("#export-warning").render())
        await pilot.press("ctrl+a", "ctrl+k", *"mine.md", "enter")
        await pilot.pause()
        assert (target.parent / "mine.md").is_file(), "a relative path lands in the reports folder, not the cwd"
        await pilot.press("x", "escape")
        await pilot.pause()
    assert sorted(p.name for p in demo_root.rglob("*")) == before


async def test_export_dialog_arrows_pick_the_format_while_the_path_has_focus(
    demo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    app = MLAuditApp(demo_root, OFFLINE, report=demo_report(demo_root))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        path = app.screen.query_one("#export-path", Input)
        assert path.has_focus and "↑↓" in str(app.screen.query_one("#export-title").render())
        chosen = []
        for key in ("down", "down", "down", "up"):
            await pilot.press(key)
            await pilot.pause()
            chosen.append(Path(path.value).name)
        assert chosen == ["mlaudit-fixes.md", "mlaudit-report.json", "mlaudit-report.json", "mlaudit-fixes.md"]
        await pilot.press("enter")
        await pilot.pause()
    written = tmp_path / "data" / "mlaudit-reports" / "churn-model" / "mlaudit-fixes.md"
    assert written.read_text(encoding="utf-8").startswith("# Fix-it report")


async def test_the_old_export_letters_write_nothing_and_j_moves_down(
    demo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    app = MLAuditApp(demo_root, OFFLINE, report=demo_report(demo_root))
    before = sorted(p.name for p in demo_root.rglob("*"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("e", "f", "j")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen) and app.screen.query_one(FixList).highlighted == 1
    assert not (tmp_path / "data").exists() and sorted(p.name for p in demo_root.rglob("*")) == before


async def test_rescan_replaces_the_report_with_a_real_audit(demo_root: Path) -> None:
    app = MLAuditApp(demo_root, OFFLINE, report=demo_report(demo_root))
    async with app.run_test() as pilot:
        await pilot.pause()
        app.open_practice("logging")
        await pilot.pause()
        await pilot.press("r")
        await _settle(app, pilot)
        await pilot.pause()
        assert isinstance(app.screen, FindingsScreen) and app.screen.practice_key == "logging"
        assert app.report is not None and app.report.git is None  # the demo report claimed a git branch
        assert app.report.root == str(demo_root)


def _slow_audit(started: list[bool]) -> Callable[..., Report]:
    def audit(root: Path, options: AuditOptions, progress: Any, should_stop: Callable[[], bool]) -> Report:
        for done in range(10_000):
            progress(Progress("parse", done, 10_000, f"file{done}.py"))
            started.append(True)
            if should_stop():
                raise Cancelled
            time.sleep(0.001)
        raise AssertionError("the scan was never cancelled")

    return audit


async def test_escape_cancels_a_running_scan_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[bool] = []
    monkeypatch.setattr(app_module, "audit", _slow_audit(started))
    app = MLAuditApp(tmp_path, OFFLINE)
    async with app.run_test() as pilot:
        notes = _capture(app, monkeypatch)
        while not started:
            await pilot.pause(0.01)
        assert app.scanning
        await pilot.press("escape")
        await _settle(app, pilot)
        assert not app.scanning and app.report is None
        assert ("Scan cancelled.", {"severity": "warning"}) in notes
        assert app.is_running


async def test_q_during_a_scan_cancels_it_and_q_after_quits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[bool] = []
    monkeypatch.setattr(app_module, "audit", _slow_audit(started))
    app = MLAuditApp(tmp_path, OFFLINE)
    async with app.run_test() as pilot:
        while not started:
            await pilot.pause(0.01)
        await pilot.press("q")
        await _settle(app, pilot)
        assert app.is_running and not app.scanning
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (PermissionError(13, "Permission denied", "data/x.csv"), "Permission denied: data/x.csv"),
        (RuntimeError("rule engine exploded"), "RuntimeError: rule engine exploded"),
        (
            background.AuditFailed("the audit process ended unexpectedly (exit code -9)"),
            "the audit process ended unexpectedly (exit code -9)",
        ),
    ],
)
async def test_worker_errors_become_notifications(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception, shown: str
) -> None:
    def failing(*_args: object, **_kwargs: object) -> Report:
        raise error

    monkeypatch.setattr(app_module, "audit", failing)
    app = MLAuditApp(tmp_path, OFFLINE)
    notes = _capture(app, monkeypatch)
    async with app.run_test() as pilot:
        await _settle(app, pilot)
        assert notes and notes[-1][1]["severity"] == "error" and notes[-1][0] == shown
        assert app.is_running and "Scan failed" in str(app.screen.query_one("#summary-score").render())


async def test_vanished_path_is_a_notification_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = MLAuditApp(tmp_path / "gone", OFFLINE)
    notes = _capture(app, monkeypatch)
    async with app.run_test() as pilot:
        await _settle(app, pilot)
        assert app.is_running and app.report is None
        assert notes[-1][1]["severity"] == "error" and "nothing to audit" in notes[-1][0]


async def test_open_editor_without_editor_notifies(demo_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = MLAuditApp(demo_root, OFFLINE, report=demo_report(demo_root))
    async with app.run_test() as pilot:
        notes = _capture(app, monkeypatch)
        await pilot.pause()
        report = demo_report(demo_root)
        app.push_screen(FindingScreen(report, report.findings[2]))
        await pilot.pause()
        await pilot.press("o")
        assert "EDITOR" in notes[-1][0]


async def test_help_theme_and_palette(demo_root: Path) -> None:
    app = MLAuditApp(demo_root, OFFLINE, report=demo_report(demo_root))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
        was_dark = app.current_theme.dark
        await pilot.press("d")
        assert app.current_theme.dark is not was_dark
        provider = MLAuditCommands(app.screen)
        hits = [hit async for hit in provider.search("Rule SEC001")]
        assert hits and "SEC001" in str(hits[0].text)
        hits[0].command()
        await pilot.pause()
        assert isinstance(app.screen, FindingsScreen) and app.screen.filter_text == "SEC001"
        names = [hit.text async for hit in provider.discover()]
        assert "Rescan" in names and "Practice 11: Privacy and security" in names


def test_throttled_progress_posts_stage_changes_and_ends_but_not_every_file() -> None:
    posted: list[Progress] = []
    throttle = background.Throttled(posted.append, interval=60)
    for done in range(1, 1001):
        throttle(Progress("parse", done, 1000, f"f{done}"))
    throttle(Progress("rules", 1, 5, "layout: LAY001"))
    assert [(p.stage, p.done) for p in posted] == [("parse", 1), ("parse", 1000), ("rules", 1)]


def test_throttled_progress_names_each_tool_as_it_starts() -> None:
    posted: list[Progress] = []
    throttle = background.Throttled(posted.append, interval=60)
    throttle(Progress("parse", 10, 10, "a.py"))
    for done, tool in enumerate(("coverage", "git_history", "pip_audit"), 1):
        throttle(Progress("tools", done, 3, tool))
    throttle(Progress("rules", 1, 5, "layout: LAY001"))
    throttle(Progress("rules", 2, 5, "layout: LAY002"))
    assert [p.detail for p in posted] == ["a.py", "coverage", "git_history", "pip_audit", "layout: LAY001"]


def test_headless_modules_never_import_textual() -> None:
    code = (
        "import sys, pkgutil, importlib, mlaudit.cli, mlaudit.engine, mlaudit.report\n"
        "for m in pkgutil.iter_modules(mlaudit.report.__path__): importlib.import_module('mlaudit.report.' + m.name)\n"
        "print('textual' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


async def test_suppressed_and_baselined_findings_sit_behind_a_toggle(demo_root: Path) -> None:
    base = demo_report(demo_root)
    first, second, *rest = base.findings
    silenced = (replace(first, suppressed="reviewed: test data"), replace(second, baselined=True), *rest)
    app = MLAuditApp(demo_root, OFFLINE, report=replace(base, findings=silenced))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FindingsScreen)
        await pilot.press("enter")
        table = screen.query_one(FindingsTable)
        assert len(table.findings) == len(rest)
        await pilot.press("h")
        assert len(table.findings) == len(silenced)
        shown = {f.suppressed for f in table.findings}
        assert "reviewed: test data" in shown
        status = str(screen.query_one("#filter-status").render())
        assert "2 suppressed/baselined shown (h)" in status


async def test_shift_s_reverses_the_sort(demo_root: Path) -> None:
    app = MLAuditApp(demo_root, OFFLINE, report=demo_report(demo_root))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FindingsScreen)
        await pilot.press("enter", "s", "s")
        table = screen.query_one(FindingsTable)
        before = [f.severity.rank for f in table.findings]
        await pilot.press("S")
        after = [f.severity.rank for f in table.findings]
        assert before == sorted(before, reverse=True) and after == sorted(after) and before != after
        assert "reversed" in str(screen.query_one("#filter-status").render())


async def test_top_fix_code_and_fix_text_in_two_keys_from_launch(demo_root: Path) -> None:
    app = MLAuditApp(demo_root, OFFLINE, report=demo_report(demo_root))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        fixes = app.screen.query_one(FixList)
        assert app.focused is fixes
        label = str(fixes.get_option_at_index(0).prompt)
        assert "overall" in label and "+40 Privacy and security" in label
        await pilot.press("enter", "enter")
        screen = app.screen
        assert isinstance(screen, FindingScreen) and screen.finding.rule == "SEC001"
        assert screen.query_one(CodeView).context.mark_line == 3
        fix = screen.query_one("#finding-fix")
        assert "Fix for SEC001" in str(fix.render()) and fix.region.bottom <= 24 - 1


async def test_a_fix_lists_its_rule_findings_by_cost_and_a_measured_fix_shows_its_metric(demo_root: Path) -> None:
    base = demo_report(demo_root)
    measured = replace(base, findings=tuple(f for f in base.findings if f.rule != "TYP001"))
    app = MLAuditApp(demo_root, OFFLINE, report=measured)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_practice("logging", rule="LOG001")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FindingsScreen)
        assert {f.rule for f in screen.query_one(FindingsTable).findings} == {"LOG001"}
        head = str(screen.query_one("#findings-head").render())
        assert "+30 Logging" in head and "overall points" in head
        app.open_practice("typing", rule="TYP001")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FindingsScreen) and screen.query_one(FindingsTable).findings == []
        about = str(screen.query_one("#about-text").render())
        assert "annotated function share: 63 %" in about and "annotation coverage 63 %" in about


async def test_practice_view_sorts_by_points_so_a_costly_rule_leads(demo_root: Path) -> None:
    base = demo_report(demo_root)
    cheap = Finding("LOG004", "logging", Severity.ERROR, "a.py", 1, None, "swallowed", "fix")
    costly = [Finding("LOG001", "logging", Severity.INFO, f"b{i}.py", 1, None, "print", "fix") for i in range(3)]
    app = MLAuditApp(demo_root, OFFLINE, report=replace(base, findings=(cheap, *costly)))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        app.open_practice("logging")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FindingsScreen)
        assert [f.rule for f in screen.query_one(FindingsTable).findings] == ["LOG001"] * 3 + ["LOG004"]


async def test_keys_typed_right_after_slash_go_to_the_filter(
    demo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    app = MLAuditApp(demo_root, OFFLINE, report=demo_report(demo_root))
    before = sorted(p.name for p in demo_root.rglob("*"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key, char in (("slash", "/"), ("r", "r"), ("e", "e"), ("q", "q")):
            app.post_message(events.Key(key, char))  # as a terminal delivers them: no pause between keys
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FindingsScreen) and screen.query_one("#filter", Input).value == "req"
        assert app.scan_id == 0 and app.is_running and not (tmp_path / "data").exists()
    assert sorted(p.name for p in demo_root.rglob("*")) == before


async def test_keys_typed_right_after_slash_in_a_practice_go_to_its_filter(demo_root: Path) -> None:
    app = MLAuditApp(demo_root, OFFLINE, report=demo_report(demo_root))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_practice("logging")
        await pilot.pause()
        for key, char in (("slash", "/"), ("r", "r"), ("e", "e"), ("q", "q")):
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FindingsScreen) and screen.query_one("#filter", Input).value == "req"
        assert app.scan_id == 0 and app.is_running


async def test_filtering_2000_findings_rebuilds_the_table_once_typing_pauses(
    demo_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = demo_report(demo_root)
    many = tuple(
        Finding("LOG001", "logging", Severity.WARNING, f"pkg/mod{i}.py", i + 1, None, f"print call {i}", "fix")
        for i in range(2000)
    )
    app = MLAuditApp(demo_root, OFFLINE, report=replace(base, findings=many))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_practice("logging")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FindingsScreen)
        table = screen.query_one(FindingsTable)
        await pilot.press("slash")
        before = table.rebuilds
        for char in "mod19":
            app.post_message(events.Key(char, char))  # typed as fast as a terminal delivers them
        await pilot.pause()
        assert screen.query_one("#filter", Input).value == "mod19"
        assert table.rebuilds <= before + 1 and len(table.findings) in (2000, 111)
        await pilot.pause(0.4)
        assert table.rebuilds == before + 1, "one rebuild for five keystrokes"
        expected = {f"pkg/mod{i}.py" for i in range(2000) if f"mod{i}.py".startswith("mod19")}
        assert {f.path for f in table.findings} == expected and len(expected) == 111
        calls: list[int] = []
        original = app.get_css_variables

        def counted() -> dict[str, str]:
            calls.append(1)
            return original()

        monkeypatch.setattr(app, "get_css_variables", counted)
        screen.filter_text = ""
        screen.refresh_table()
        assert len(table.findings) == 2000 and len(calls) <= 1, "theme colours are looked up once, not per row"


@pytest.mark.parametrize("key", ["escape", "q"])
async def test_cancel_kills_a_running_tool_within_half_a_second(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    from mlaudit.tools.pipaudit import subprocess_runner
    from tests.tools.test_children import SPAWNER, alive

    pid_file = tmp_path / "pid"

    def audit(root: Path, options: AuditOptions, progress: Any, should_stop: Callable[[], bool]) -> Report:
        progress(Progress("tools", 1, 1, "pip_audit"))
        subprocess_runner([sys.executable, "-c", SPAWNER, str(pid_file)], tmp_path, 60)
        raise Cancelled

    monkeypatch.setattr(app_module, "audit", audit)
    app = MLAuditApp(tmp_path, OFFLINE)
    async with app.run_test() as pilot:
        for _ in range(1000):
            if pid_file.is_file() and pid_file.read_text():
                break
            await pilot.pause(0.01)
        grandchild = int(pid_file.read_text())
        await pilot.press(key)
        started = time.monotonic()
        while alive(grandchild) and time.monotonic() - started < 2:
            await pilot.pause(0.01)
        assert time.monotonic() - started < 0.5 and not alive(grandchild)
        await _settle(app, pilot)
        assert not app.scanning and app.is_running


async def test_checks_that_did_not_run_are_shown_on_the_dashboard_and_in_their_practice(demo_root: Path) -> None:
    skipped = (
        NotChecked("pip_audit", "offline (--offline)", "security"),
        NotChecked("coverage", "no coverage data found", "testing"),
    )
    app = MLAuditApp(demo_root, OFFLINE, report=replace(demo_report(demo_root), not_checked=skipped))
    async with app.run_test(size=(200, 40)) as pilot:
        await pilot.pause()
        line = str(app.screen.query_one("#not-checked").render())
        assert line.startswith("Not checked: pip-audit (offline (--offline)) · coverage (no coverage data found)")
        assert "Tests (no rule of this practice could run)" in line and line.lower().count("not checked") == 1
        app.open_practice("security")
        await pilot.pause()
        about = str(app.screen.query_one("#about-text").render())
        assert "pip-audit: not checked (offline (--offline))" in about and "coverage" not in about


async def test_footer_says_q_cancels_while_scanning_and_quits_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[bool] = []
    monkeypatch.setattr(app_module, "audit", _slow_audit(started))
    app = MLAuditApp(tmp_path, OFFLINE)
    async with app.run_test(size=(80, 24)) as pilot:
        while not started:
            await pilot.pause(0.01)
        await pilot.pause()
        shown = {b.binding.description for b in app.active_bindings.values() if b.binding.key == "q" and b.enabled}
        assert shown == {"Cancel scan"}
        await pilot.press("q")
        await _settle(app, pilot)
        shown = {b.binding.description for b in app.active_bindings.values() if b.binding.key == "q" and b.enabled}
        assert shown == {"Quit"} and app.is_running


async def test_n_and_p_step_through_findings_and_escape_returns_to_the_row(demo_root: Path) -> None:
    app = MLAuditApp(demo_root, OFFLINE, report=demo_report(demo_root))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_practice("logging")
        await pilot.pause()
        table = app.screen.query_one(FindingsTable)
        order = list(table.findings)
        await pilot.press("enter", "n")
        assert isinstance(app.screen, FindingScreen) and app.screen.finding == order[1]
        await pilot.press("n", "n")
        assert isinstance(app.screen, FindingScreen) and app.screen.finding == order[-1]
        await pilot.press("p")
        assert isinstance(app.screen, FindingScreen) and app.screen.finding == order[-2]
        await pilot.press("escape")
        assert isinstance(app.screen, FindingsScreen) and table.current == order[-2]


@pytest.mark.parametrize("keys", [[], ["tab", "enter"], ["enter", "enter"]], ids=["dashboard", "practice", "finding"])
@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
async def test_footer_shows_help_on_small_screens(demo_root: Path, keys: list[str], size: tuple[int, int]) -> None:
    from textual.widgets._footer import FooterKey

    app = MLAuditApp(demo_root, OFFLINE, report=demo_report(demo_root))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
        [help_key] = [k for k in app.screen.query(FooterKey) if k.key == "question_mark"]
        assert 0 < help_key.region.right <= size[0] - len("^p palette") and help_key.region.width > 0


async def test_code_view_grows_with_the_screen(demo_root: Path) -> None:
    heights = []
    for size in ((80, 24), (200, 60)):
        app = MLAuditApp(demo_root, OFFLINE, report=demo_report(demo_root))
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            app.open_practice("performance")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            code = app.screen.query_one(CodeView)
            heights.append(len(code.context.text.splitlines()))
    assert heights[1] > heights[0]


async def test_theme_from_the_option_is_remembered_and_d_returns_to_a_palette_theme(
    demo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    app = MLAuditApp(demo_root, OFFLINE, report=demo_report(demo_root), theme="nord", persist_theme=True)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        app.theme = "gruvbox"  # as the palette's theme picker does
        await pilot.pause()
        await pilot.press("d")
        assert not app.current_theme.dark
        await pilot.press("d")
        assert app.theme == "gruvbox"
    assert json.loads((tmp_path / "config" / "mlaudit" / "app.json").read_text())["theme"] == "gruvbox"
    again = MLAuditApp(demo_root, OFFLINE, report=demo_report(demo_root), persist_theme=True)
    async with again.run_test() as pilot:
        await pilot.pause()
        assert again.theme == "gruvbox"
    assert not any(p.name == "app.json" for p in demo_root.rglob("*"))


async def test_an_empty_folder_says_so_without_an_exception_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    app = MLAuditApp(empty, OFFLINE)
    notes = _capture(app, monkeypatch)
    async with app.run_test(size=(120, 24)) as pilot:
        await _settle(app, pilot)
        summary = str(app.screen.query_one("#summary-score").render())
        assert "nothing to audit" in summary and "EmptyTree" not in summary
        assert "nothing to audit" in notes[-1][0] and "EmptyTree" not in notes[-1][0]


async def test_rescan_keeps_the_selection_and_shows_score_deltas(
    demo_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = demo_report(demo_root)
    better = replace(
        first,
        score=75,
        practices=tuple(replace(p, score=90, grade="A") if p.key == "logging" else p for p in first.practices),
    )
    monkeypatch.setattr(app_module, "audit", lambda *_a, **_k: better)
    app = MLAuditApp(demo_root, OFFLINE, report=first)
    async with app.run_test(size=(120, 40)) as pilot:
        notes = _capture(app, monkeypatch)
        await pilot.pause()
        await pilot.press("down", "tab", "down", "down", "down", "down")
        table = app.screen.query_one(PracticeTable)
        fixes = app.screen.query_one(FixList)
        row, fix = table.cursor_row, fixes.highlighted
        await pilot.press("r")
        await _settle(app, pilot)
        assert app.report is better and table.cursor_row == row == 4 and fixes.highlighted == fix == 1
        assert "(+3 since last scan)" in str(app.screen.query_one("#summary-score").render())
        assert "overall 72 -> 75 (+3), Logging, not printing +35" in notes[-1][0]


async def test_palette_screenshot_goes_to_the_reports_folder_without_downloads(
    demo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    app = MLAuditApp(demo_root, OFFLINE, report=demo_report(demo_root))
    async with app.run_test() as pilot:
        notes = _capture(app, monkeypatch)
        await pilot.pause()
        [command] = [c for c in app.get_system_commands(app.screen) if c.title == "Screenshot"]
        command.callback()
        await pilot.pause(0.3)
        [shot] = (home / "mlaudit-reports" / "churn-model").glob("*.svg")
        assert f"to {shot}" in notes[-1][0] and not (home / "Downloads").exists()


async def test_help_says_what_keys_do_and_where_files_go(demo_root: Path) -> None:
    app = MLAuditApp(demo_root, OFFLINE, report=demo_report(demo_root))
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        console = Console(width=200, record=True, file=io.StringIO())
        for name in ("#help-table", "#help-files"):
            console.print(help_screen.query_one(name, Static).content)
        text = console.export_text()
        assert "Export a scorecard, fix-it or JSON report (asks where)" in text
        assert "Next finding of the list" in text and "mlaudit-reports" in text and "never written to" in text


def _contrast(one: Color, two: Color) -> float:
    def luminance(colour: Color) -> float:
        def channel(value: int) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)

    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


async def test_no_color_keeps_errors_readable(demo_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets._toast import Toast

    monkeypatch.setenv("NO_COLOR", "1")
    app = MLAuditApp(demo_root, OFFLINE, report=demo_report(demo_root))
    assert app.no_color
    async with app.run_test(notifications=True) as pilot:
        await pilot.pause()
        app.notify("Cannot write the report", title="Export failed", severity="error")
        await pilot.pause(0.2)
        [toast] = app.query(Toast)
        title = toast.get_component_rich_style("toast--title")
        assert title.color is not None
        fg = Color.from_rich_color(title.color).monochrome
        bg = (Color.from_rich_color(title.bgcolor) if title.bgcolor else toast.styles.background).monochrome
        if title.reverse:
            fg, bg = bg, fg
        assert _contrast(fg, bg) >= 4.5
        assert severity_text(app, Severity.ERROR).style == "bold"


async def test_practice_scores_appear_one_by_one_before_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    early = demo_report(tmp_path).practices

    def audit(root: Path, options: AuditOptions, progress: Any, should_stop: Callable[[], bool]) -> Report:
        progress(Progress("scored", 0, 0, "layout", early[0]))
        progress(Progress("scored", 0, 0, "dependencies", early[1]))
        release.wait(10)
        return demo_report(root)

    monkeypatch.setattr(app_module, "audit", audit)
    app = MLAuditApp(tmp_path, OFFLINE)
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one(PracticeTable)
        for _ in range(300):
            if table.early_count == 2:
                break
            await pilot.pause(0.01)
        await pilot.pause()
        assert app.report is None and table.row_count == 11
        first = "".join(str(cell) for cell in table.get_row_at(0))
        third = "".join(str(cell) for cell in table.get_row_at(2))
        assert " 80" in first and "checking…" in third
        assert "2 of 11 practices checked" in str(app.screen.query_one("#summary-score").render())
        release.set()
        await _settle(app, pilot)
        assert app.report is not None and table.early_count == 0


def _row_text(table: PracticeTable, row: int) -> str:
    return " ".join(str(cell) for cell in table.get_row_at(row))


def _title_is_dim(table: PracticeTable, row: int) -> bool:
    title = table.get_row_at(row)[1]
    return isinstance(title, Text) and any("dim" in str(span.style) for span in title.spans)


async def test_the_first_paint_lists_every_practice_before_any_score(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entered = threading.Event()
    release = threading.Event()

    def audit(root: Path, options: AuditOptions, progress: Any, should_stop: Callable[[], bool]) -> Report:
        entered.set()
        release.wait(10)
        return demo_report(root)

    monkeypatch.setattr(app_module, "audit", audit)
    app = MLAuditApp(tmp_path, OFFLINE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(PracticeTable)
        assert table.row_count == 11 and table.early_count == 0
        assert all("checking…" in _row_text(table, i) for i in range(11))
        assert tmp_path.name in str(app.screen.query_one("#summary-title").render())
        release.set()
        await _settle(app, pilot)
        assert entered.is_set() and app.report is not None
        assert not any("checking…" in _row_text(table, i) for i in range(11))


async def test_a_rescan_streams_each_practice_score_with_its_change_and_dims_the_rest(
    demo_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = demo_report(demo_root)
    logging_now = replace(first.practice("logging"), score=90, grade="A")
    better = replace(first, practices=tuple(logging_now if p.key == "logging" else p for p in first.practices))
    release = threading.Event()

    def audit(root: Path, options: AuditOptions, progress: Any, should_stop: Callable[[], bool]) -> Report:
        progress(Progress("scored", 0, 0, "layout", first.practice("layout")))
        progress(Progress("scored", 0, 0, "logging", logging_now))
        release.wait(10)
        return better

    monkeypatch.setattr(app_module, "audit", audit)
    app = MLAuditApp(demo_root, OFFLINE, report=first)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(PracticeTable)
        await pilot.press("r")
        for _ in range(300):
            if table.early_count == 2:
                break
            await pilot.pause(0.01)
        await pilot.pause()
        assert app.scanning and app.report is first
        layout, typing, logging = (_row_text(table, i) for i in (0, 2, 4))
        assert " 80" in layout and "checking…" not in layout and "+" not in layout and not _title_is_dim(table, 0)
        assert " 90 +35" in logging and "checking…" not in logging
        assert " 72" in typing and "checking…" in typing and _title_is_dim(table, 2)
        release.set()
        await _settle(app, pilot)
        assert app.report is better and table.early_count == 0
        assert "checking…" not in _row_text(table, 2) and " 90 +35" in _row_text(table, 4)
        assert not _title_is_dim(table, 2)


async def test_a_cancelled_rescan_puts_the_last_scores_back(demo_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = demo_report(demo_root)
    streamed: list[bool] = []

    def audit(root: Path, options: AuditOptions, progress: Any, should_stop: Callable[[], bool]) -> Report:
        progress(Progress("scored", 0, 0, "logging", replace(first.practice("logging"), score=10, grade="F")))
        streamed.append(True)
        while not should_stop():
            time.sleep(0.01)
        raise Cancelled

    monkeypatch.setattr(app_module, "audit", audit)
    app = MLAuditApp(demo_root, OFFLINE, report=first)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(PracticeTable)
        before = [_row_text(table, i) for i in range(table.row_count)]
        await pilot.press("r")
        for _ in range(300):
            if table.early_count == 1:
                break
            await pilot.pause(0.01)
        assert streamed and " 10 -45" in _row_text(table, 4)
        await pilot.press("escape")
        await _settle(app, pilot)
        assert not app.scanning and app.report is first
        assert [_row_text(table, i) for i in range(table.row_count)] == before


async def test_a_tall_dashboard_shows_the_highlighted_practice_capabilities(demo_root: Path) -> None:
    report = demo_report(demo_root)
    typing = report.practice("typing")
    with_caps = replace(
        typing,
        capabilities=(CapabilityScore("checker", "Type checker configured", 20, 0, "No type checker configured"),),
    )
    report = replace(report, practices=tuple(with_caps if p.key == "typing" else p for p in report.practices))
    for size, shown in (((200, 60), True), ((80, 24), False)):
        app = MLAuditApp(demo_root, OFFLINE, report=report)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.press("tab", "j", "j")
            note = str(app.screen.query_one("#practice-note", Static).render())
            assert "3 Typing and static analysis" in note
            assert ("Type checker configured" in note) is shown and ("No type checker configured" in note) is shown


async def test_vim_keys_and_home_end_move_by_rows(demo_root: Path) -> None:
    app = MLAuditApp(demo_root, OFFLINE, report=demo_report(demo_root))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        fixes = app.screen.query_one(FixList)
        await pilot.press("j", "j")
        assert fixes.highlighted == 2
        await pilot.press("k", "g")
        assert fixes.highlighted == 0
        await pilot.press("G")
        assert fixes.highlighted == fixes.option_count - 1
        await pilot.press("tab", "j", "j", "j")
        table = app.screen.query_one(PracticeTable)
        assert app.focused is table and table.cursor_row == 3
        await pilot.press("G")
        assert table.cursor_row == 10
        await pilot.press("home")
        assert table.cursor_row == 0 and table.scroll_x == 0
        await pilot.press("end", "k")
        assert table.cursor_row == 9


async def test_rescan_from_a_findings_list_returns_to_the_same_finding(
    demo_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = demo_report(demo_root)
    monkeypatch.setattr(app_module, "audit", lambda *_a, **_k: replace(first, score=73))
    app = MLAuditApp(demo_root, OFFLINE, report=first)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_practice("logging")
        await pilot.pause()
        await pilot.press("s", "j")
        screen = app.screen
        assert isinstance(screen, FindingsScreen)
        chosen = screen.query_one(FindingsTable).current
        await pilot.press("r")
        await _settle(app, pilot)
        await pilot.pause()
        again = app.screen
        assert isinstance(again, FindingsScreen) and again is not screen and again.practice_key == "logging"
        assert again.sort_column == "rule" and again.query_one(FindingsTable).current == chosen
        assert app.report is not None and app.report.score == 73


async def test_the_first_scan_forked_before_the_app_streams_its_scores_and_a_rescan_runs_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlaudit.engine import audit as engine_audit
    from mlaudit.report.json import dumps
    from mlaudit.tools import children
    from tests.tools.test_children import alive

    root = write_tree(
        tmp_path / "repo",
        {"src/pkg/__init__.py": "", "src/pkg/train.py": "def fit(x):\n    print(x)\n", "README.md": "# r\n"},
    )
    forked = background.start(root, OFFLINE)
    assert forked is not None, f"could not fork here ({threading.active_count()} threads)"
    here: list[Path] = []

    def audit_here(root: Path, options: AuditOptions, progress: Any, should_stop: Callable[[], bool]) -> Report:
        here.append(root)
        return engine_audit(root, options, progress=progress, should_stop=should_stop)

    streamed: list[str] = []
    show_early = PracticeTable.show_early

    def record(table: PracticeTable, practice: Any) -> None:
        streamed.append(practice.key)
        show_early(table, practice)

    monkeypatch.setattr(app_module, "audit", audit_here)
    monkeypatch.setattr(PracticeTable, "show_early", record)
    app = MLAuditApp(root, OFFLINE, first_audit=forked)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(app, pilot)
        assert app.report is not None and here == []
        assert dumps(app.report) == dumps(engine_audit(root, OFFLINE))
        assert len(streamed) >= 5 and set(streamed) <= {p.key for p in app.report.practices}
        assert not alive(forked.pid) and children.groups() == ()
        await pilot.press("r")
        await _settle(app, pilot)
        assert here == [root] and app.report is not None


async def test_a_streamed_score_changes_its_row_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    second = threading.Event()
    early = demo_report(tmp_path).practices

    def audit(root: Path, options: AuditOptions, progress: Any, should_stop: Callable[[], bool]) -> Report:
        progress(Progress("scored", 0, 0, "layout", early[0]))
        second.wait(10)
        progress(Progress("scored", 0, 0, "dependencies", early[1]))
        release.wait(10)
        return demo_report(root)

    monkeypatch.setattr(app_module, "audit", audit)
    app = MLAuditApp(tmp_path, OFFLINE)
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one(PracticeTable)
        for _ in range(300):
            if table.early_count == 1:
                break
            await pilot.pause(0.01)
        rows, columns = dict(table.rows), dict(table.columns)
        assert "checking…" in _row_text(table, 1)
        second.set()
        for _ in range(300):
            if table.early_count == 2:
                break
            await pilot.pause(0.01)
        await pilot.pause()
        assert " 65" in _row_text(table, 1) and " 80" in _row_text(table, 0) and "checking…" in _row_text(table, 2)
        assert table.rows == rows and all(table.rows[k] is rows[k] for k in rows), "rows kept, not rebuilt"
        assert all(table.columns[k] is columns[k] for k in columns), "columns kept, not rebuilt"
        release.set()
        await _settle(app, pilot)
        assert app.report is not None and table.early_count == 0
