"""Provides PracticeTable: the eleven practices with score bar, grade and finding counts."""

from __future__ import annotations

from rich.text import Text
from textual import events

from mlaudit.model import PracticeScore, Report, Severity, Status
from mlaudit.practices import PRACTICES
from mlaudit.tui.data import severity_counts, status_text
from mlaudit.tui.widgets.palette import colour, grade_text, score_bar
from mlaudit.tui.widgets.vim_table import VimTable

_FIXED = 2 + 5 + 15 + 5 * 2 + 2
_COLUMNS = ("number", "practice", "score", "grade", "findings")


class PracticeTable(VimTable):
    """The dashboard's list of practices; Enter opens one (row key = practice key)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, id=id)
        self._report: Report | None = None
        self._deltas: dict[str, int] = {}
        self._early: dict[str, PracticeScore] = {}
        self._scanning = False
        self._width: int | None = None

    def on_mount(self) -> None:
        """Re-render when the theme changes the colours."""
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._redraw())

    @property
    def early_count(self) -> int:
        """Return how many practices have an early score."""
        return len(self._early)

    def scan_started(self) -> None:
        """Mark every practice `checking…` until its new score streams in (a shown report stays readable)."""
        self._early = {}
        self._deltas = {}
        self._scanning = True
        self._redraw()

    def scan_ended(self) -> None:
        """Drop the scores streamed by a scan that ended without a report (cancelled or failed)."""
        if self._scanning:
            self._early = {}
            self._scanning = False
            self._redraw()

    def show_early(self, practice: PracticeScore) -> None:
        """Show one practice's score before the report is complete (the others read `checking…`).

        Only that row's cells change: the table keeps its rows, columns and layout.
        """
        self._early[practice.key] = practice
        if practice.key not in self.rows or not self.columns:
            self._redraw()
            return
        title_width, bar_width = self._widths()
        for column, cell in zip(_COLUMNS, self._row(practice.key, title_width, bar_width), strict=True):
            self.update_cell(practice.key, column, cell)

    def show(self, report: Report, deltas: dict[str, int] | None = None) -> None:
        """Show the practices of a report, keeping the cursor row; `deltas` mark scores changed by a rescan."""
        self._report = report
        self._early = {}
        self._scanning = False
        self._deltas = deltas or {}
        self._redraw()

    def on_resize(self, event: events.Resize) -> None:
        """Fit the title and bar columns to a new width (rows added change only the height)."""
        if event.size.width != self._width:
            self._width = event.size.width
            self._redraw()

    def _widths(self) -> tuple[int, int]:
        spare = max(self.size.width - _FIXED, 20)
        bar = 20 if spare >= 70 else 10 if spare >= 34 else 4
        return min(spare - bar - 4, 44), bar

    def _redraw(self) -> None:
        if self._report is None and not self._early and not self._scanning:
            self.clear(columns=True)  # a first scan ended without a report: nothing to show
            return
        row = self.cursor_row
        title_width, bar_width = self._widths()
        rescan = self._scanning and self._report is not None
        self.clear(columns=True)
        widths = (2, title_width, bar_width + (8 if self._deltas or rescan else 4), 5, 15)
        for key, label, width in zip(_COLUMNS, ("#", "Practice", "Score", "Grade", "Findings"), widths, strict=True):
            self.add_column(label, width=width, key=key)
        keys = [info.key for info in PRACTICES] if self._report is None else [p.key for p in self._report.practices]
        for key in keys:
            self.add_row(*self._row(key, title_width, bar_width), key=key)
        self.move_cursor(row=min(row, self.row_count - 1))

    def _row(self, key: str, title_width: int, bar_width: int) -> tuple[Text | str, ...]:
        """Return one practice's cells: streamed or `checking…` (first scan), rescanning, or final."""
        if self._report is None:
            info = next(info for info in PRACTICES if info.key == key)
            return self._early_cells(key, info.number, info.title, title_width, bar_width)
        if self._scanning:
            return self._rescan_cells(self._report.practice(key), title_width, bar_width)
        return self._cells(self._report.practice(key), title_width, bar_width)

    def _rescan_cells(self, before: PracticeScore, title_width: int, bar_width: int) -> tuple[Text | str, ...]:
        """A rescan's row: the new score with its change once streamed, else the last score dimmed, `checking…`."""
        now = self._early.get(before.key)
        if now is None:
            number, title, score, grade, _counts = self._cells(before, title_width, bar_width)
            return (number, _dimmed(title), _dimmed(score), _dimmed(grade), Text("checking…", style="dim italic"))
        cells = self._early_cells(before.key, before.number, before.title, title_width, bar_width)
        change = (now.score or 0) - (before.score or 0) if now.score is not None and before.score is not None else 0
        if change and isinstance(cells[2], Text):
            cells[2].append(f" {change:+d}", style="bold")
        return cells

    def _early_cells(
        self, key: str, number: int, title: str, title_width: int, bar_width: int
    ) -> tuple[Text | str, ...]:
        name = Text(title, overflow="ellipsis", no_wrap=True)
        name.truncate(title_width, overflow="ellipsis")
        practice = self._early.get(key)
        if practice is None:
            return (str(number), name, Text("checking…", style="dim italic"), "", "")
        if practice.score is None:
            status = Text(status_text(practice), style="dim italic")
            status.truncate(bar_width + 4, overflow="ellipsis")
            return (str(number), name, status, "", "")
        bar = score_bar(self.app, practice.score, practice.grade, bar_width)
        return (str(number), name, bar, grade_text(self.app, practice.grade), Text("…", style="dim"))

    def _cells(self, practice: PracticeScore, title_width: int, bar_width: int) -> tuple[Text | str, ...]:
        assert self._report is not None
        title = Text(practice.title, overflow="ellipsis", no_wrap=True)
        title.truncate(title_width, overflow="ellipsis")
        if practice.status is Status.SCORED and practice.score is not None:
            score: Text = score_bar(self.app, practice.score, practice.grade, bar_width)
            if self._deltas.get(practice.key):
                score.append(f" {self._deltas[practice.key]:+d}", style="bold")
        else:
            score = Text(status_text(practice), style="dim italic")
            score.truncate(bar_width + 4, overflow="ellipsis")
        return (str(practice.number), title, score, grade_text(self.app, practice.grade), self._counts(practice))

    def _counts(self, practice: PracticeScore) -> Text:
        assert self._report is not None
        counts = severity_counts(self._report.findings_for(practice.key))
        text = Text()
        for severity, letter, name in (
            (Severity.CRITICAL, "C", "error"),
            (Severity.ERROR, "E", "error"),
            (Severity.WARNING, "W", "warning"),
            (Severity.INFO, "I", "primary"),
        ):
            count = counts.get(severity, 0)
            if severity is Severity.CRITICAL and not count:
                continue  # the column fits three severities; a critical shows only when there is one
            style = colour(self.app, name) if count else "dim"
            text.append(f"{count:>3}{letter} " if count else "  ·  ", style=style)
        return text


def _dimmed(cell: Text | str) -> Text:
    """Return `cell` dimmed: a score from the previous scan while the rescan has not reached it."""
    text = cell.copy() if isinstance(cell, Text) else Text(cell)
    text.stylize("dim")
    return text
