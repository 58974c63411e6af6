"""Provides ScanStatus: the progress bar and one line saying what the scan is doing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, ProgressBar

from mlaudit.engine import Progress
from mlaudit.practices import PRACTICES

_STAGES = {
    "discover": "Finding files",
    "parse": "Reading files",
    "tools": "Running tools",
    "rules": "Checking rules",
    "done": "Scoring",
    "cancel": "Cancelling",
}
_TITLES = {p.key: p.title for p in PRACTICES}


def describe(progress: Progress) -> str:
    """Return one line for the user: stage, count and the file or practice being worked on."""
    stage = _STAGES.get(progress.stage, progress.stage)
    count = f" {progress.done}/{progress.total}" if progress.total > 1 else ""
    unit = " files" if progress.stage == "parse" else ""
    return f"{stage}{count}{unit} · {_detail(progress)}".rstrip(" ·")


def _detail(progress: Progress) -> str:
    if progress.stage == "rules" and ":" in progress.detail:
        practice, code = progress.detail.split(":", 1)
        return f"{_TITLES.get(practice, practice)} ({code.strip()})"
    return progress.detail


class ScanStatus(Vertical):
    """The running scan: a label and a progress bar fed by ScanProgress messages."""

    def compose(self) -> ComposeResult:
        """Build the label and the bar."""
        yield Label("Starting scan…", id="scan-label")
        yield ProgressBar(total=None, show_eta=False, id="scan-bar")

    def show(self, progress: Progress) -> None:
        """Show one progress step."""
        self.query_one("#scan-label", Label).update(describe(progress) + "   (Esc cancels)")
        bar = self.query_one("#scan-bar", ProgressBar)
        bar.update(total=max(progress.total, 1), progress=progress.done)
