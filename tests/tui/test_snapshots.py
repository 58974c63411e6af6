"""Snapshot tests of the dashboard, a practice and a finding, fed the fixed demo Report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from mlaudit.tui.app import MLAuditApp
from tests.tui.conftest import demo_report

Compare = Callable[..., bool]


def _app(root: Path) -> MLAuditApp:
    return MLAuditApp(root, report=demo_report(root))


def test_dashboard_80x24(demo_root: Path, snap_compare: Compare) -> None:
    assert snap_compare(_app(demo_root), terminal_size=(80, 24))


def test_dashboard_200x60(demo_root: Path, snap_compare: Compare) -> None:
    assert snap_compare(_app(demo_root), terminal_size=(200, 60))


def test_practice_screen(demo_root: Path, snap_compare: Compare) -> None:
    assert snap_compare(_app(demo_root), press=["down", "down", "down", "down", "enter"], terminal_size=(80, 24))


def test_finding_detail_masks_the_secret(demo_root: Path, snap_compare: Compare) -> None:
    async def open_secret(pilot: Any) -> None:
        pilot.app.open_practice("security")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(_app(demo_root), run_before=open_secret, terminal_size=(100, 40))
