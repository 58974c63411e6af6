"""Pilot test: the app's practice view lists the practice's capabilities with points and evidence."""

from __future__ import annotations

from pathlib import Path

from mlaudit.options import AuditOptions
from mlaudit.tui.app import MLAuditApp
from mlaudit.tui.screens.findings import FindingsScreen
from mlaudit.tui.widgets.capabilities import CapabilityList
from tests.helpers import write_tree


async def test_practice_view_lists_capabilities_and_the_score_sum(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", {"train.py": "print('hi')\n", "README.md": "# r\n"})
    app = MLAuditApp(root, AuditOptions(offline=True, history_depth=0))
    async with app.run_test(size=(110, 40)) as pilot:
        for _ in range(500):
            await pilot.pause(0.01)
            if app.report is not None and not app.scanning:
                break
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.report is not None
        layout = app.report.practice("layout")
        await pilot.press("tab", "enter")
        assert isinstance(app.screen, FindingsScreen) and app.screen.practice_key == "layout"
        text = str(app.screen.query_one(CapabilityList).render())
        assert f"Score {layout.score} = earned {layout.earned} - deducted {layout.deducted}" in text
        assert all(f"{c.earned:>2}/{c.points}" in text and c.title in text for c in layout.capabilities)
        assert layout.capabilities and any(c.earned < c.points for c in layout.capabilities)
        await pilot.press("escape", "v")
        assert isinstance(app.screen, FindingsScreen) and app.screen.practice_key is None
        assert len(app.screen.query(CapabilityList)) == 0
