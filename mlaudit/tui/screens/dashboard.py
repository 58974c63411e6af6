"""Provides DashboardScreen: overall score, the eleven practices, top fixes and scan progress."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.widgets.option_list import Option

from mlaudit.model import PracticeScore, Report, Severity, Status
from mlaudit.practices import practice_info
from mlaudit.present import FixGain, human_check, not_checked_for
from mlaudit.tui.data import display_path, git_text, severity_counts, status_text, top_fixes
from mlaudit.tui.messages import OpenPractice
from mlaudit.tui.widgets.capabilities import capability_text
from mlaudit.tui.widgets.palette import grade_text, score_bar
from mlaudit.tui.widgets.practice_table import PracticeTable
from mlaudit.tui.widgets.scan_status import ScanStatus

if TYPE_CHECKING:
    from mlaudit.engine import Progress

TALL = 45
"""From this many rows the dashboard shows the highlighted practice's capabilities under the table."""


class DashboardScreen(Screen[None]):
    """The first screen: where the repository stands, practice by practice."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.cancel_scan", "Cancel the running scan", show=False),
        Binding("slash", "all_findings", "Filter", tooltip="Search every finding by rule, path or message"),
        Binding("v", "all_findings('error')", "Errors", show=False, tooltip="Show every error finding"),
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
        heading = Static("", id="fixes-title")
        heading.display = False
        yield heading
        fixes = FixList(id="top-fixes")
        fixes.display = False
        yield fixes
        yield PracticeTable(id="practices")
        yield Static("", id="practice-note")
        unchecked = Static("", id="not-checked")
        unchecked.display = False
        yield unchecked
        yield Footer(compact=True)

    def _title_line(self) -> Text:
        name = self.report.project_name if self.report else (Path(self.root).resolve().name or self.root)
        text = Text.assemble(("mlaudit ", "bold"), (f" {name} ", "bold reverse"), f"  {display_path(self.root)}")
        if self.report is not None:
            text.append(f"  ·  {git_text(self.report)}", style="dim")
        return text

    def scan_started(self) -> None:
        """Show the progress bar and every practice as `checking…` (results of an earlier scan stay, dimmed)."""
        status = self.query_one(ScanStatus)
        status.display = True
        status.bar()
        self.query_one(PracticeTable).scan_started()
        if self.report is None:
            self.query_one("#summary-score", Static).update(Text(f"Scanning {display_path(self.root)} …"))

    def show_early_score(self, practice: PracticeScore) -> None:
        """Show one practice's score as soon as its rules ran; on a rescan, with its change since the last scan."""
        table = self.query_one(PracticeTable)
        table.show_early(practice)
        if self.report is not None:
            return
        self.query_one("#summary-score", Static).update(
            Text(f"Scanning {display_path(self.root)} … {table.early_count} of 11 practices checked"),
            layout=False,  # the same one line
        )

    def show_progress(self, progress: Progress) -> None:
        """Show one progress step of the running scan."""
        self.query_one(ScanStatus).show(progress)

    def scan_ended(self, outcome: str) -> None:
        """Hide the progress bar; say what happened when there is no report to show."""
        self.query_one(ScanStatus).display = False
        self.query_one(PracticeTable).scan_ended()
        if self.report is None:
            self.query_one("#summary-score", Static).update(Text(f"{outcome} — press r to scan again, q to quit."))

    def show_report(self, report: Report, deltas: dict[str, int] | None = None) -> None:
        """Show a finished report; `deltas` are score changes since the previous scan (rescan)."""
        self.report = report
        self.query_one("#summary-title", Static).update(self._title_line())
        self.query_one("#summary-score", Static).update(self._score_line(report, (deltas or {}).get("overall")))
        table = self.query_one(PracticeTable)
        table.show(report, deltas or {})
        fixes = self.query_one(FixList)
        gains = top_fixes(report, limit=max(3, min(10, (self.app.size.height - 22) // 2)))
        fixes.show(gains)
        heading = self.query_one("#fixes-title", Static)
        heading.update(self._fixes_heading(gains))
        heading.display = True
        fixes.display = bool(gains)
        self._show_not_checked(report)
        self._note(self._highlighted_key())
        if self.focused is None or not self.focused.is_attached:
            (fixes if gains else table).focus()

    def _show_not_checked(self, report: Report) -> None:
        """List the checks that could not run and the practices without a score (never shown as passes)."""
        lines = [f"{human_check(n.check)} ({n.reason})" for n in not_checked_for(report)]
        lines += [_titled(p) for p in report.practices if p.status is Status.NOT_CHECKED]
        widget = self.query_one("#not-checked", Static)
        widget.update(Text.assemble(("Not checked: ", "bold"), " · ".join(lines)) if lines else "")
        widget.display = bool(lines)

    def _score_line(self, report: Report, delta: int | None = None) -> Text:
        text = Text("Overall ", style="bold", no_wrap=True, overflow="ellipsis")
        if report.score is None:
            text.append("no practice could be scored", style="italic")
        else:
            text.append_text(score_bar(self.app, report.score, report.grade, 12 if self.app.size.width < 100 else 24))
            text.append("/100 ")
            text.append_text(grade_text(self.app, report.grade))
            if delta:
                text.append(f" ({delta:+d} since last scan)", style="bold")
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

    def _fixes_heading(self, fixes: list[FixGain]) -> Text:
        text = Text("Top fixes", style="bold", no_wrap=True, overflow="ellipsis")
        if fixes:
            text.append("  Enter opens · gain in overall points and in the practice's points", style="dim")
        else:
            text.append("  nothing to fix: every capability in place, no deductions", style="dim")
        return text

    def on_resize(self) -> None:
        """On a tall screen, show the highlighted practice's capabilities in the room under the table."""
        tall = self.size.height >= TALL
        if tall != self.has_class("-tall"):
            self.set_class(tall, "-tall")
            self._note(self._highlighted_key())

    def _highlighted_key(self) -> str | None:
        table = self.query_one(PracticeTable)
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value if table.row_count else None

    def _note(self, key: str | None) -> None:
        note = self.query_one("#practice-note", Static)
        if self.report is None or key is None:
            note.update("")
            return
        practice = self.report.practice(key)
        body = practice_info(key).summary if practice.status is Status.SCORED else status_text(practice)
        if not self.has_class("-tall"):
            note.update(
                Text.assemble(
                    (f"{practice.number} {practice.title}: ", "bold"), body, no_wrap=True, overflow="ellipsis"
                )
            )
            return
        text = Text.assemble((f"{practice.number} {practice.title}: ", "bold"), body, "\n")
        text.append_text(capability_text(practice, self.report))
        note.update(text)

    @on(OptionList.OptionSelected, "#top-fixes")
    def _fix_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            practice, rule = event.option.id.split("|", 1)
            if rule.startswith("+"):
                self.post_message(OpenPractice(practice, capability=rule[1:]))
            else:
                self.post_message(OpenPractice(practice, rule=rule))

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


class FixList(OptionList):
    """The ranked fixes: focusable; Enter opens a rule's findings, or a missing capability's practice view."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]

    def show(self, fixes: list[FixGain]) -> None:
        """Replace the options with these fixes, keeping the highlighted one when it is still there."""
        current = self.highlighted_option
        keep = current.id if current is not None else None
        self.clear_options()
        ids = [self.option_id(fix) for fix in fixes]
        self.add_options([Option(self._label(fix), id=key) for fix, key in zip(fixes, ids, strict=True)])
        self.highlighted = ids.index(keep) if keep in ids else (0 if fixes else None)

    @staticmethod
    def option_id(fix: FixGain) -> str:
        """Return `practice|rule`, or `practice|+capability` for a missing capability."""
        return f"{fix.practice}|{fix.rule}" if fix.capability is None else f"{fix.practice}|+{fix.capability}"

    @staticmethod
    def _label(fix: FixGain) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"+{fix.overall_points:.1f} overall".rjust(13), style="bold")
        text.append(f" {'+' + str(fix.practice_points):>3} {fix.practice_title}  ", style="dim")
        if fix.capability is not None:
            text.append(fix.name, style="bold")
            text.append(f": {fix.reason}")
            return text
        reason = fix.reason if fix.reason.startswith(fix.rule) else f"{fix.rule} {fix.reason}"
        text.append(reason)
        return text


def _titled(practice: PracticeScore) -> str:
    """Return `Tests (why it could not be checked)` for a practice without a score."""
    return f"{practice.title} ({practice.status_reason})" if practice.status_reason else practice.title
