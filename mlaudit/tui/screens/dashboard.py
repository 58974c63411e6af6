"""Provides DashboardScreen: overall score, the eleven practices, top fixes and scan progress."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from mlaudit.engine import Progress
from mlaudit.model import Report, Severity, Status
from mlaudit.practices import practice_info
from mlaudit.tui.data import display_path, git_text, severity_counts, status_text, top_fixes
from mlaudit.tui.messages import OpenPractice
from mlaudit.tui.widgets.palette import grade_text, score_bar
from mlaudit.tui.widgets.practice_table import PracticeTable
from mlaudit.tui.widgets.scan_status import ScanStatus


class DashboardScreen(Screen[None]):
    """The first screen: where the repository stands, practice by practice."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.cancel_scan", "Cancel scan", show=False),
        Binding("slash", "all_findings", "Filter"),
        Binding("v", "all_findings('error')", "Severity"),
    ]

    def __init__(self, root: str) -> None:
        super().__init__()
        self.root = root
        self.report: Report | None = None

    def compose(self) -> ComposeResult:
        """Build the summary, progress, practice table, note and top fixes."""
        yield Static(self._title_line(), id="summary-title")
        yield Static("Scanning…", id="summary-score")
        yield ScanStatus(id="scan")
        yield PracticeTable(id="practices")
        yield Static("", id="practice-note")
        fixes = Static("", id="top-fixes")
        fixes.display = False
        yield fixes
        yield Footer()

    def _title_line(self) -> Text:
        name = self.report.project_name if self.report else self.root.rstrip("/").rsplit("/", 1)[-1]
        text = Text.assemble(("mlaudit ", "bold"), (f" {name} ", "bold reverse"), f"  {display_path(self.root)}")
        if self.report is not None:
            text.append(f"  ·  {git_text(self.report)}", style="dim")
        return text

    def scan_started(self) -> None:
        """Show the progress bar (results of an earlier scan stay visible)."""
        self.query_one(ScanStatus).display = True
        if self.report is None:
            self.query_one("#summary-score", Static).update(f"Scanning {display_path(self.root)} …")

    def show_progress(self, progress: Progress) -> None:
        """Show one progress step of the running scan."""
        self.query_one(ScanStatus).show(progress)

    def scan_ended(self, outcome: str) -> None:
        """Hide the progress bar; say what happened when there is no report to show."""
        self.query_one(ScanStatus).display = False
        if self.report is None:
            self.query_one("#summary-score", Static).update(f"{outcome} — press r to scan again, q to quit.")

    def show_report(self, report: Report) -> None:
        """Show a finished report."""
        self.report = report
        self.query_one("#summary-title", Static).update(self._title_line())
        self.query_one("#summary-score", Static).update(self._score_line(report))
        self.query_one(PracticeTable).show(report)
        fixes = self.query_one("#top-fixes", Static)
        fixes.update(self._fixes_text(report))
        fixes.display = True
        self._note(report.practices[0].key if report.practices else None)
        self.query_one(PracticeTable).focus()

    def _score_line(self, report: Report) -> Text:
        text = Text("Overall ", style="bold", no_wrap=True, overflow="ellipsis")
        if report.score is None:
            text.append("no practice could be scored", style="italic")
        else:
            text.append_text(score_bar(self.app, report.score, report.grade, 12 if self.app.size.width < 100 else 24))
            text.append("/100 ")
            text.append_text(grade_text(self.app, report.grade))
        if report.cap_note:
            text.append(f" {report.cap_note}", style="bold")
        text.append(f" ({report.scored_note})", style="dim")
        counts = severity_counts(report.findings)
        critical = f"{counts[Severity.CRITICAL]} critical · " if counts[Severity.CRITICAL] else ""
        text.append(
            f"   {critical}{counts[Severity.ERROR]} errors · {counts[Severity.WARNING]} warnings · "
            f"{counts[Severity.INFO]} info · {sum(report.files.values())} files",
        )
        if report.kind is not None:
            text.append(f" · {report.kind.kind}", style="dim")
        return text

    def _fixes_text(self, report: Report) -> Text:
        fixes = top_fixes(report, limit=5 if self.app.size.height >= 40 else 3)
        text = Text("Top fixes", style="bold", no_wrap=True, overflow="ellipsis")
        text.append("  (points each fix gains)" if fixes else "  nothing to fix: no deductions", style="dim")
        for fix in fixes:
            text.append(f"\n+{fix.points:>2} ", style="bold")
            reason = fix.reason if fix.reason.startswith(fix.rule) else f"{fix.rule} {fix.reason}"
            text.append(reason)
            text.append(f"  · {practice_info(fix.practice).title}", style="dim")
        return text

    def _note(self, key: str | None) -> None:
        note = self.query_one("#practice-note", Static)
        if self.report is None or key is None:
            note.update("")
            return
        practice = self.report.practice(key)
        body = practice_info(key).summary if practice.status is Status.SCORED else status_text(practice)
        text = Text.assemble((f"{practice.number} {practice.title}: ", "bold"), body, no_wrap=True, overflow="ellipsis")
        note.update(text)

    @on(DataTable.RowHighlighted, "#practices")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._note(event.row_key.value)

    @on(DataTable.RowSelected, "#practices")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.post_message(OpenPractice(event.row_key.value))

    def action_all_findings(self, severity: str = "") -> None:
        """Open the list of every finding: with the text filter focused, or at one severity."""
        if self.report is not None:
            level = Severity(severity) if severity else None
            self.post_message(OpenPractice(None, severity=level, focus_filter=level is None))
