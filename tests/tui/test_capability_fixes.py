"""The dashboard's fix list ranks missing capabilities with rule fixes; Enter opens the capability's practice."""

from __future__ import annotations

from pathlib import Path

from mlaudit.options import AuditOptions
from mlaudit.tui.app import MLAuditApp
from mlaudit.tui.screens.dashboard import FixList
from mlaudit.tui.screens.findings import FindingsScreen
from mlaudit.tui.widgets.capabilities import CapabilityList, capability_text
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
        assert screen.capability == "batched"
        listing = str(screen.query_one(CapabilityList).render()).splitlines()
        [marked] = [line for line in listing if line.startswith("▶")]
        assert "Batched data and inference" in marked and "0/20" in marked and "add it: +20 points" in marked
        assert any("✓" in line for line in listing)  # the capabilities in place are listed too, unmarked
        shown = {f.rule for f in screen.query_one(FindingsTable).findings}
        assert shown == {f.rule for f in report.findings_for("performance") if f.counts}


def test_only_the_chosen_capability_is_marked(tmp_path: Path) -> None:
    practice = tracked_nothing(tmp_path).practice("reproducibility")
    missing = [c for c in practice.capabilities if c.missing]
    assert len(missing) >= 2
    lines = capability_text(practice, marked=missing[1].key).plain.splitlines()
    assert [line for line in lines if line.startswith("▶")] == [
        line for line in lines if missing[1].title in line and f"add it: +{missing[1].missing} points" in line
    ]
    assert not any(line.startswith("▶") for line in capability_text(practice).plain.splitlines())


async def test_a_capability_fix_scrolls_a_small_terminal_to_the_marked_capability(tmp_path: Path) -> None:
    app = MLAuditApp(tmp_path, OFFLINE, report=tracked_nothing(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        about = app.screen.query_one("#about")
        listing = app.screen.query_one(CapabilityList)
        marked = next(i for i, line in enumerate(str(listing.render()).splitlines()) if line.startswith("▶"))
        assert about.scroll_y > 0
        assert about.region.y <= listing.region.y + marked < about.region.bottom
