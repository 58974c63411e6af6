"""Snapshot tests of the dashboard, a practice and a finding, fed the fixed demo Report."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from mlaudit.engine import Progress
from mlaudit.model import Report
from mlaudit.options import AuditOptions
from mlaudit.project import Cancelled
from mlaudit.tui import app as app_module
from mlaudit.tui.app import MLAuditApp
from mlaudit.tui.widgets.practice_table import PracticeTable
from tests.tui.conftest import demo_report

Compare = Callable[..., bool]


def _app(root: Path) -> MLAuditApp:
    return MLAuditApp(root, report=demo_report(root))


SIZES = [(60, 20), (80, 24), (120, 40), (200, 60)]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_dashboard_fits(demo_root: Path, snap_compare: Compare, size: tuple[int, int]) -> None:
    assert snap_compare(_app(demo_root), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_top_fix_detail_fits(demo_root: Path, snap_compare: Compare, size: tuple[int, int]) -> None:
    assert snap_compare(_app(demo_root), press=["enter", "enter"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_practice_screen_fits(demo_root: Path, snap_compare: Compare, size: tuple[int, int]) -> None:
    assert snap_compare(_app(demo_root), press=["tab", "down", "down", "down", "down", "enter"], terminal_size=size)


def test_finding_detail_masks_the_secret(demo_root: Path, snap_compare: Compare) -> None:
    async def open_secret(pilot: Any) -> None:
        pilot.app.open_practice("security")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(_app(demo_root), run_before=open_secret, terminal_size=(100, 40))


# Fixed folders, so the full paths the dialogs show are the same on every machine.
SNAPSHOT_HOME = Path("/tmp/mlaudit-snapshot-home")


@pytest.fixture
def fixed_home(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every folder the app writes to (reports, settings, caches) at one fixed place outside the repo."""
    for name, folder in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
        monkeypatch.setenv(name, str(SNAPSHOT_HOME / folder))
    return SNAPSHOT_HOME


EXPORT_SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", EXPORT_SIZES, ids=[f"{w}x{h}" for w, h in EXPORT_SIZES])
def test_export_dialog_shows_formats_and_the_full_path_outside_the_repo(
    demo_root: Path, fixed_home: Path, snap_compare: Compare, size: tuple[int, int]
) -> None:
    assert snap_compare(_app(demo_root), press=["x"], terminal_size=size)


def test_export_dialog_asks_before_overwriting(demo_root: Path, fixed_home: Path, snap_compare: Compare) -> None:
    existing = fixed_home / "data" / "mlaudit-reports" / "churn-model" / "mlaudit-fixes.md"
    existing.parent.mkdir(parents=True, exist_ok=True)
    existing.write_text("an earlier export\n", encoding="utf-8")
    assert snap_compare(
        _app(demo_root), press=["x", "shift+tab", "down", "enter", "tab", "enter"], terminal_size=(100, 30)
    )


@pytest.mark.parametrize("size", EXPORT_SIZES, ids=[f"{w}x{h}" for w, h in EXPORT_SIZES])
def test_help_says_what_each_key_does_and_where_files_go(
    demo_root: Path, fixed_home: Path, snap_compare: Compare, size: tuple[int, int]
) -> None:
    assert snap_compare(_app(demo_root), press=["question_mark"], terminal_size=size)


def test_help_ends_with_where_files_go(demo_root: Path, fixed_home: Path, snap_compare: Compare) -> None:
    assert snap_compare(_app(demo_root), press=["question_mark", "end"], terminal_size=(120, 40))


def test_dashboard_without_colour_stays_readable(
    demo_root: Path, snap_compare: Compare, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(_app(demo_root), terminal_size=(80, 24))


def _streaming_audit(report: Report, practices: list[str]) -> Callable[..., Report]:
    """Return an audit that streams the scores of `practices` and then runs until it is stopped (bounded)."""

    def audit(root: Path, options: AuditOptions, progress: Any, should_stop: Callable[[], bool]) -> Report:
        for key in practices:
            progress(Progress("scored", 0, 0, key, report.practice(key)))
        deadline = time.monotonic() + 30  # the app stops it when it closes
        while not should_stop() and time.monotonic() < deadline:
            time.sleep(0.01)
        raise Cancelled

    return audit


async def _until_streamed(pilot: Any, count: int) -> None:
    table = pilot.app.screen.query_one(PracticeTable)
    for _ in range(500):
        if table.early_count == count:
            break
        await pilot.pause(0.01)
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_first_scan_shows_every_practice_and_each_score_as_it_streams(
    demo_root: Path, snap_compare: Compare, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    streamed = ["layout", "dependencies", "testing"]
    monkeypatch.setattr(app_module, "audit", _streaming_audit(demo_report(demo_root), streamed))

    async def wait(pilot: Any) -> None:
        await _until_streamed(pilot, len(streamed))

    app = MLAuditApp(demo_root, AuditOptions(offline=True, history_depth=0))
    assert snap_compare(app, run_before=wait, terminal_size=size)


def test_rescan_streams_new_scores_with_their_change(
    demo_root: Path, snap_compare: Compare, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = demo_report(demo_root)
    better = replace(
        first, practices=tuple(replace(p, score=90, grade="A") if p.key == "logging" else p for p in first.practices)
    )
    monkeypatch.setattr(app_module, "audit", _streaming_audit(better, ["layout", "logging"]))

    async def rescan(pilot: Any) -> None:
        await pilot.pause()
        await pilot.press("r")
        await _until_streamed(pilot, 2)

    assert snap_compare(MLAuditApp(demo_root, report=first), run_before=rescan, terminal_size=(120, 40))
