"""The dashboard's fix list ranks missing capabilities with rule fixes; Enter opens the capability's practice."""

from __future__ import annotations

from pathlib import Path

from mlaudit.options import AuditOptions
from mlaudit.tui.app import MLAuditApp
from mlaudit.tui.screens.dashboard import FixList
from mlaudit.tui.screens.findings import FindingsScreen
from mlaudit.tui.widgets.capabilities import CapabilityList
from mlaudit.tui.widgets.findings_table import FindingsTable
from tests.report.test_fix_ranking import tracked_nothing

OFFLINE = AuditOptions(offline=True, history_depth=0)


async def test_enter_on_a_capability_fix_opens_its_practice_with_the_capability_list(tmp_path: Path) -> None:
    report = tracked_nothing(tmp_path)
    app = MLAuditApp(tmp_path, OFFLINE, report=report)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        fixes = app.screen.query_one(FixList)
        assert app.focused is fixes and fixes.highlighted == 0
        label = str(fixes.get_option_at_index(0).prompt)
        assert "overall" in label and "+20 Performance" in label and "add: Batched data and inference" in label
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FindingsScreen) and screen.practice_key == "performance" and screen.rule is None
        listing = str(screen.query_one(CapabilityList).render())
        assert "Batched data and inference" in listing and "0/20" in listing
        shown = {f.rule for f in screen.query_one(FindingsTable).findings}
        assert shown == {f.rule for f in report.findings_for("performance") if f.counts}
