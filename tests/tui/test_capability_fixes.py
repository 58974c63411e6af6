"""The dashboard's fix list ranks missing capabilities with rule fixes; Enter opens the capability's practice."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from mlaudit.options import AuditOptions
from mlaudit.tui.app import MLAuditApp
from mlaudit.tui.screens.dashboard import FixList
from mlaudit.tui.screens.findings import FindingsScreen
from mlaudit.tui.widgets.capabilities import CapabilityList, capability_text
from mlaudit.tui.widgets.findings_table import FindingsTable
from tests.report.test_fix_ranking import tracked_nothing
from tests.test_present import unchecked_report

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
    assert lines[1].startswith("▶")  # the chosen one leads the list; the others keep their order
    others = [c.title for c in practice.capabilities if c.key != missing[1].key]
    assert [next(t for t in others if t in line) for line in lines[2 : 2 + len(others)]] == others


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_a_capability_fix_scrolls_a_small_terminal_to_the_marked_capability(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app = MLAuditApp(tmp_path, OFFLINE, report=tracked_nothing(tmp_path))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        about = app.screen.query_one("#about")
        listing = app.screen.query_one(CapabilityList)
        marked = next(i for i, line in enumerate(str(listing.render()).splitlines()) if line.startswith("▶"))
        assert about.scroll_y > 0
        assert about.region.y <= listing.region.y + marked < about.region.bottom


async def test_a_capability_fix_lists_the_findings_of_its_own_rule_first_and_prices_them(tmp_path: Path) -> None:
    report = unchecked_report(tmp_path)  # type checker (20 points) and linter (15) both missing
    app = MLAuditApp(tmp_path, OFFLINE, report=report)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(FindingsScreen(report, "typing", capability="linter"))  # what Enter on its fix opens
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FindingsScreen) and screen.capability == "linter"
        rules = [f.rule for f in screen.query_one(FindingsTable).findings]
        assert rules[0] == "TYP005" and "TYP003" in rules[1:]
        assert "TYP005 first" in str(screen.query_one("#filter-status", Static).render())
        await pilot.press("enter")
        await pilot.pause()
        cost = str(app.screen.query_one("#finding-fix", Static).render())
        assert "TYP005 is priced by the missing capability: Linter configured" in cost
        assert "gains 15 points of Typing and static analysis" in cost


async def test_a_practice_opened_without_a_capability_keeps_the_cost_order(tmp_path: Path) -> None:
    report = unchecked_report(tmp_path)
    app = MLAuditApp(tmp_path, OFFLINE, report=report)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(FindingsScreen(report, "typing"))
        await pilot.pause()
        rules = [f.rule for f in app.screen.query_one(FindingsTable).findings]
        assert rules.index("TYP003") < rules.index("TYP005")  # 20 points before 15
        assert "first" not in str(app.screen.query_one("#filter-status", Static).render())


async def test_a_capability_low_in_its_list_still_shows_on_the_smallest_terminal(tmp_path: Path) -> None:
    report = unchecked_report(tmp_path)  # the linter is the fourth of five typing capabilities
    app = MLAuditApp(tmp_path, OFFLINE, report=report)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        app.push_screen(FindingsScreen(report, "typing", capability="linter"))
        await pilot.pause()
        await pilot.pause()
        about = app.screen.query_one("#about")
        listing = app.screen.query_one(CapabilityList)
        assert str(listing.render()).splitlines()[1].startswith("▶")  # the chosen capability, under the heading
        assert about.region.y <= listing.region.y + 1 < about.region.bottom  # and on screen
