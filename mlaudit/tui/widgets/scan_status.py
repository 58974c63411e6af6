"""Provides ScanStatus: one progress bar over the whole audit and one line saying what it is doing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, ProgressBar

from mlaudit.practices import PRACTICES

# Each stage's share of the one bar: (start, end) in percent. Tools can wait on the network,
# so the bar stays at their start and the label says what is awaited.
_SPANS = {"discover": (0, 3), "parse": (3, 45), "tools": (45, 65), "rules": (65, 98), "done": (98, 100)}
_STAGES = {
    "discover": "Finding files",
    "parse": "Reading files",
    "rules": "Checking practices",
    "done": "Scoring",
    "cancel": "Cancelling",
}
_TOOLS = {
    "pip_audit": "Checking dependencies with pip-audit (may wait on the network)",
    "coverage": "Reading test coverage (or running the tests with --run-tests)",
    "git_history": "Reading git history",
    "complexity": "Measuring complexity",
}
_TITLES = {p.key: p.title for p in PRACTICES}


if TYPE_CHECKING:
    from mlaudit.engine import Progress


def describe(progress: Progress) -> str:
    """Return one line for the user: stage, count and the file or practice being worked on."""
    if progress.stage == "tools":
        return _TOOLS.get(progress.detail, f"Running {progress.detail.replace('_', ' ')}")
    stage = _STAGES.get(progress.stage, progress.stage.replace("_", " ").capitalize())
    count = f" {progress.done}/{progress.total}" if progress.total > 1 else ""
    unit = " files" if progress.stage == "parse" else ""
    return f"{stage}{count}{unit} · {_detail(progress)}".rstrip(" ·")


def overall_percent(progress: Progress) -> float:
    """Return how far the whole audit is, 0-100, from one step of one stage."""
    start, end = _SPANS.get(progress.stage, (0, 0))
    done = progress.done - 1 if progress.stage == "tools" else progress.done  # a tool step is posted as it starts
    share = min(max(done, 0), progress.total) / progress.total if progress.total > 0 else 0.0
    return start + (end - start) * share


def _detail(progress: Progress) -> str:
    if progress.stage == "rules" and ":" in progress.detail:
        practice, code = progress.detail.split(":", 1)
        return f"{_TITLES.get(practice, practice)} ({code.strip()})"
    return progress.detail


class ScanStatus(Vertical):
    """The running scan: a label and one bar over the whole audit, fed by ScanProgress messages.

    The bar (four widgets) is mounted when a scan starts, after the app's first frame, into the
    line kept for it.
    """

    def compose(self) -> ComposeResult:
        """Build the label; the bar comes with the first scan."""
        yield Label("Starting scan…", id="scan-label")

    def bar(self) -> ProgressBar:
        """Return the bar, mounted on first use."""
        found = self.query("#scan-bar").results(ProgressBar)
        bar = next(found, None)
        if bar is None:
            bar = ProgressBar(total=100, show_eta=False, id="scan-bar")
            self.mount(bar)
        return bar

    def show(self, progress: Progress) -> None:
        """Show one progress step; the bar never goes back within one scan."""
        hint = "" if progress.stage == "cancel" else "   (Esc cancels)"
        # One line of fixed size: no layout pass for each of the many steps of a scan.
        self.query_one("#scan-label", Label).update(describe(progress) + hint, layout=False)
        bar = self.bar()
        if progress.stage == "discover":
            bar.update(total=100, progress=0)
        elif progress.stage != "cancel":
            bar.update(total=100, progress=max(bar.progress, overall_percent(progress)))
