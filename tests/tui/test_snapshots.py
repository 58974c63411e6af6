"""Snapshot tests of the dashboard, a practice and a finding, fed the fixed demo Report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mlaudit.tui.app import MLAuditApp
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
