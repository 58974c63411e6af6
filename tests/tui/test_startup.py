"""The app's start: what `mlaudit PATH` loads and does before its first frame, and that the rest follows."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events
from textual.geometry import Size
from textual.widgets import ProgressBar

from mlaudit.engine import ProgressCallback, audit
from mlaudit.model import Report
from mlaudit.options import AuditOptions
from mlaudit.project import Cancelled
from mlaudit.tui import app as app_module
from mlaudit.tui.app import MLAuditApp
from mlaudit.tui.widgets.practice_table import PracticeTable
from mlaudit.tui.widgets.scan_status import ScanStatus
from tests.helpers import write_tree
from tests.tui.conftest import demo_report

SAMPLE = Path(__file__).parent.parent.parent / "sample_projects" / "halfway_there"

# Runs `mlaudit SAMPLE --offline` as at a terminal (headless), notes what is loaded at the first frame and at the end.
FIRST_FRAME = """
import functools, gc, json, sys
from mlaudit import cli
from mlaudit.tui import app as tui

cli._isatty = lambda _stream: True
tui.MLAuditApp.run = functools.partialmethod(tui.MLAuditApp.run, headless=True)
begin = tui.MLAuditApp._begin
seen = {}


def watched(self):
    seen.update(first=sorted(sys.modules), collecting=gc.isenabled())
    begin(self)
    seen.update(collecting_after=gc.isenabled())
    self.set_interval(0.02, lambda: shown(self))


def shown(self):
    if self.report is not None:
        seen.update(score=self.report.score)
        self.exit(0)


tui.MLAuditApp._begin = watched
code = cli.main([sys.argv[1], "--offline"])
seen.update(code=code, end=sorted(sys.modules))
print(json.dumps(seen))
"""

# Loaded only to audit, report, gate or document a run: never before the app's first frame.
NOT_BEFORE_FIRST_FRAME = {
    "mlaudit.engine",
    "mlaudit.registry",
    "mlaudit.baseline",
    "mlaudit.output",
    "mlaudit.report.locate",
    "mlaudit.tools.git",
    "mlaudit.cache",
    "multiprocessing.connection",
    "configparser",
}


def test_the_first_frame_comes_before_the_engine_and_the_report_modules_and_the_rest_loads_after(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "CI": "", "XDG_CONFIG_HOME": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, str(SAMPLE)],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    seen = json.loads(out.stdout.splitlines()[-1])
    assert seen["code"] == 0 and seen["score"] == audit(SAMPLE, AuditOptions(offline=True, cache=False)).score
    assert NOT_BEFORE_FIRST_FRAME.isdisjoint(seen["first"]), NOT_BEFORE_FIRST_FRAME & set(seen["first"])
    assert "mlaudit.tui.screens.dashboard" in seen["first"]
    assert not seen["collecting"] and seen["collecting_after"]  # paused for the start, back on after the first frame
    # The scan ran in the forked audit process: the app read its report over the pipe, without the engine.
    assert "multiprocessing.connection" in seen["end"] and "mlaudit.engine" not in seen["end"]


async def test_the_collector_the_cli_paused_is_back_on_after_the_first_frame(tmp_path: Path) -> None:
    report = demo_report(tmp_path)
    gc.disable()
    try:
        app = MLAuditApp(tmp_path, AuditOptions(offline=True), report=report, gc_paused=True)
        async with app.run_test() as pilot:
            await pilot.pause()
            assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


async def test_the_app_leaves_alone_a_collector_it_was_not_told_about(tmp_path: Path) -> None:
    report = demo_report(tmp_path)
    gc.disable()
    try:
        app = MLAuditApp(tmp_path, AuditOptions(offline=True), report=report)
        async with app.run_test() as pilot:
            await pilot.pause()
            assert app.report is report and not gc.isenabled()
    finally:
        gc.enable()


def endless_audit(
    root: Path, options: AuditOptions, progress: ProgressCallback, should_stop: Callable[[], bool]
) -> Report:
    """A scan that runs until it is told to stop."""
    while not should_stop():
        time.sleep(0.01)
    raise Cancelled


async def test_the_scan_bar_comes_with_the_scan_into_the_line_kept_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "audit", endless_audit)
    root = write_tree(tmp_path / "repo", {"train.py": "print('hi')\n"})
    app = MLAuditApp(root, AuditOptions(offline=True))
    begin, first_frame = app._begin, dict[str, int]()

    def watched() -> None:
        first_frame.update(bars=len(app.query(ProgressBar)), table=app.query_one(PracticeTable).region.y)
        begin()

    monkeypatch.setattr(app, "_begin", watched)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.scanning and first_frame["bars"] == 0
        assert len(app.query_one(ScanStatus).query(ProgressBar)) == 1
        assert app.query_one(PracticeTable).region.y == first_frame["table"]  # nothing below the status moved


async def test_no_scan_no_bar(tmp_path: Path) -> None:
    app = MLAuditApp(tmp_path, AuditOptions(offline=True), report=demo_report(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.report is not None and not app.query(ProgressBar)


async def test_the_practice_table_is_rebuilt_for_a_new_width_not_for_rows_that_change_its_height(
    tmp_path: Path,
) -> None:
    app = MLAuditApp(tmp_path, AuditOptions(offline=True), report=demo_report(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.query_one(PracticeTable)
        rows, (width, height) = dict(table.rows), table.region.size
        table.on_resize(events.Resize(Size(width, height + 3), Size(width, height + 3)))  # rows were added
        assert all(table.rows[key] is rows[key] for key in rows)
        table.on_resize(events.Resize(Size(width - 30, height), Size(width - 30, height)))  # a narrower terminal
        assert table.rows.keys() == rows.keys() and all(table.rows[key] is not rows[key] for key in rows)
