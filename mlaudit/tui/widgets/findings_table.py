"""Provides FindingsTable: rule, severity, location and message of a list of findings."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events

from mlaudit.model import Finding
from mlaudit.tui.data import silenced_note
from mlaudit.tui.widgets.palette import severity_text
from mlaudit.tui.widgets.vim_table import VimTable

_RULE, _SEVERITY = 6, 5


class FindingsTable(VimTable):
    """A table of findings; the row key is the finding's index in the shown list."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self.findings: list[Finding] = []
        self.sort_label = ""
        self.rebuilds = 0

    def on_mount(self) -> None:
        """Re-render when the theme changes the colours."""
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._redraw())

    def show(self, findings: Sequence[Finding], sort_label: str = "") -> None:
        """Show these findings (already filtered and sorted)."""
        self.findings = list(findings)
        self.sort_label = sort_label
        self._redraw()

    def on_resize(self, _event: events.Resize) -> None:
        """Fit the location and message columns to the new width."""
        self._redraw()

    @property
    def current(self) -> Finding | None:
        """Return the finding under the cursor."""
        if not self.findings or not 0 <= self.cursor_row < len(self.findings):
            return None
        return self.findings[self.cursor_row]

    def _redraw(self) -> None:
        self.rebuilds += 1
        row = self.cursor_row
        spare = max(self.size.width - _RULE - _SEVERITY - 4 * 2 - 2, 40)
        location = min(max(spare * 2 // 5, 22), 50)
        self.clear(columns=True)
        for label, width in (
            ("Rule", _RULE),
            ("Sev", _SEVERITY),
            ("Location", location),
            ("Message", spare - location),
        ):
            marker = (
                f"{label} ▾"
                if self.sort_label == label.lower() or (label == "Sev" and self.sort_label == "severity")
                else label
            )
            self.add_column(marker, width=width, key=label.lower())
        for index, finding in enumerate(self.findings):
            self.add_row(*self._cells(finding, location, spare - location), key=str(index))
        if self.findings:
            self.move_cursor(row=min(row, len(self.findings) - 1))

    def _cells(self, finding: Finding, location_width: int, message_width: int) -> tuple[Text | str, ...]:
        location = Text(finding.location, no_wrap=True)
        if len(finding.location) > location_width:
            location = Text("…" + finding.location[-(location_width - 1) :], no_wrap=True)
        message = Text(no_wrap=True)
        message.append(silenced_note(finding), style="italic")
        message.append(finding.message)
        message.truncate(message_width, overflow="ellipsis")
        return (finding.rule, severity_text(self.app, finding.severity), location, message)
