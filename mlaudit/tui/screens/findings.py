"""Provides FindingsScreen: one practice (or all of them) explained, with a sortable, filterable findings table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Static

from mlaudit.model import Finding, PracticeScore, Report, Severity, Status
from mlaudit.practices import practice_info
from mlaudit.present import (
    finding_id,
    not_checked_for,
    not_checked_text,
    overall_gain,
    restating_rules,
    rule_points,
    worst_files,
)
from mlaudit.tui.data import (
    SORT_COLUMNS,
    filter_findings,
    format_metric,
    is_silenced,
    next_severity,
    sort_findings,
    status_text,
)
from mlaudit.tui.widgets.capabilities import CapabilityList
from mlaudit.tui.widgets.findings_table import FindingsTable
from mlaudit.tui.widgets.palette import grade_text, score_bar


@dataclass(frozen=True)
class Place:
    """Where the user was in a findings list, kept across a rescan."""

    practice: str | None
    rule: str | None
    filter_text: str
    severity: Severity | None
    sort: str
    reverse: bool
    silenced: bool
    finding: str | None
    capability: str | None = None


DEBOUNCE_ABOVE = 300
DEBOUNCE_SECONDS = 0.15


class FindingsScreen(Screen[None]):
    """What one practice means, what cost it points, and its findings; Enter opens a finding."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Leave the filter, or go back"),
        Binding("slash", "focus_filter", "Filter", tooltip="Type to filter by rule, path or message"),
        Binding("v", "cycle_severity", "Cycle severity filter", show=False),
        Binding("s", "cycle_sort", "Sort by next column", show=False),
        Binding("S", "reverse_sort", "Reverse the sort", show=False),
        Binding("h", "toggle_silenced", "Show/hide suppressed and baselined", show=False),
    ]

    def __init__(
        self,
        report: Report,
        practice: str | None,
        filter_text: str = "",
        severity: Severity | None = None,
        *,
        rule: str | None = None,
        focus_filter: bool = False,
        capability: str | None = None,
    ) -> None:
        super().__init__()
        self.report = report
        self.practice_key = practice
        self.rule = rule
        self.capability = capability
        self.filter_text = filter_text
        self.severity = severity
        self.sort_column = "points"
        self.sort_reverse = False
        self.show_silenced = False
        self.focus_filter = focus_filter
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        """Build the heading, the explanation, the filter bar and the table."""
        yield Static(self._heading(), id="findings-head")
        with VerticalScroll(id="about"):
            yield Static(self._about(), id="about-text")
            if self.scope[0] is not None:
                yield CapabilityList(self.scope[0], self.report, self.capability, id="capabilities")
        yield Input(value=self.filter_text, placeholder="/ filter by rule, path or message", compact=True, id="filter")
        yield Static("", id="filter-status")
        yield FindingsTable(id="findings")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Fill the table and focus it (or the filter, at once, so no typed key is lost).

        A measured fix with no findings shows only its explanation, which then takes the room.
        A capability fix scrolls the explanation to the capability list, which points at it.
        """
        if self.capability is not None and self.scope[0] is not None:
            self.call_after_refresh(self._show_capabilities)
        if self.rule is not None and not self.scoped_findings():
            for widget in (self.query_one("#filter"), self.query_one("#filter-status"), self.query_one(FindingsTable)):
                widget.display = False
            self.query_one("#about").add_class("-alone")
            return
        if self.focus_filter:
            typed = self.app.take_typeahead() if hasattr(self.app, "take_typeahead") else ""
            box = self.query_one("#filter", Input)
            box.value = self.filter_text = self.filter_text + typed
            box.cursor_position = len(box.value)
            box.focus()
        else:
            self.query_one(FindingsTable).focus()
        self.refresh_table()

    def _show_capabilities(self) -> None:
        """Scroll the explanation so the capability list starts at its top."""
        self.query_one("#capabilities", CapabilityList).scroll_visible(top=True, animate=False)

    @property
    def scope(self) -> tuple[PracticeScore | None, str]:
        """Return the practice shown (None for all) and its title."""
        if self.practice_key is None:
            return None, "All findings"
        practice = self.report.practice(self.practice_key)
        if self.rule is not None:
            doc = self.report.rule_doc(self.rule)
            return practice, f"Fix {self.rule}{' ' + doc.title if doc else ''} · {practice.title}"
        return practice, f"{practice.number} · {practice.title}"

    def _heading(self) -> Text:
        practice, title = self.scope
        text = Text(title, style="bold")
        if practice is None:
            return text
        text.append("   ")
        if self.rule is not None:
            points = rule_points(self.report, practice.key, self.rule)
            gain = overall_gain(self.report, practice.key, points)
            text.append(f"gains +{gain:.1f} overall points · +{points} {practice.title} points", style="bold")
            return text
        if practice.status is Status.SCORED and practice.score is not None:
            text.append_text(score_bar(self.app, practice.score, practice.grade, 10))
            text.append("/100 ")
            text.append_text(grade_text(self.app, practice.grade))
        else:
            text.append(status_text(practice), style="italic")
        return text

    def _about(self) -> Text:
        practice, _title = self.scope
        if practice is None:
            return Text(f"{self.report.project_name}: every finding of every practice.", style="dim")
        if self.rule is not None:
            return self._about_rule(practice, self.rule)
        text = Text(practice_info(practice.key).summary)
        for item in not_checked_for(self.report, practice.key):
            text.append(f"\n{not_checked_text(item)}", style="bold")
        if practice.metrics:
            text.append("\nMetrics: ", style="bold")
            text.append(" · ".join(format_metric(k, v) for k, v in practice.metrics.items()))
        for deduction in practice.deductions:
            text.append(f"\n -{deduction.points:>2} ", style="bold")
            if not deduction.reason.startswith(deduction.rule):
                text.append(f"{deduction.rule} ", style="bold")
            text.append(deduction.reason)
        if practice.status is Status.SCORED and not practice.deductions:
            text.append("\nNo deductions.", style="italic")
        return text

    def _about_rule(self, practice: PracticeScore, rule: str) -> Text:
        """Explain one fix: how to fix it, what it cost, and for a measured rule its metric and worst files."""
        doc = self.report.rule_doc(rule)
        text = Text.assemble(("Fix: ", "bold"), doc.fix if doc else "see the findings below.")
        for deduction in practice.deductions:
            if deduction.rule == rule:
                text.append(f"\n -{deduction.points:>2} ", style="bold")
                text.append(deduction.reason)
        if not self.scoped_findings():
            if practice.metrics:
                text.append("\nMeasured: ", style="bold")
                text.append(" · ".join(format_metric(k, v) for k, v in practice.metrics.items()))
            worst = worst_files(self.report.findings_for(practice.key))
            if worst:
                text.append(f"\nFiles with the most {practice.title} findings: ", style="bold")
                text.append(", ".join(f"{path} ({n})" for path, n in worst))
            else:
                text.append("\nA measurement of the whole repository: no single line to show.", style="italic")
        return text

    def scoped_findings(self) -> tuple[Finding, ...]:
        """Return every finding in scope: all, one practice's, or one rule's."""
        if self.practice_key is None:
            return self.report.findings
        found = self.report.findings_for(self.practice_key)
        return found if self.rule is None else tuple(f for f in found if f.rule == self.rule)

    def shown_findings(self) -> list[Finding]:
        """Return the findings in scope, filtered and sorted as the user asked; for a capability fix, the
        findings of the rules that report that capability's absence come first."""
        found = filter_findings(self.scoped_findings(), self.filter_text, self.severity, self.show_silenced)
        ordered = sort_findings(found, self.sort_column, self.sort_reverse, self.report)
        pinned = self._capability_rules()
        return [f for f in ordered if f.rule in pinned] + [f for f in ordered if f.rule not in pinned]

    def _capability_rules(self) -> frozenset[str]:
        """Return the rules restating the capability this screen was opened for (none without one)."""
        if self.capability is None or self.practice_key is None:
            return frozenset()
        return restating_rules(self.report, self.practice_key, self.capability)

    def refresh_table(self) -> None:
        """Re-apply filter and sort to the table and say what is shown."""
        shown = self.shown_findings()
        scope = self.scoped_findings()
        self.query_one(FindingsTable).show(shown, self.sort_column)
        severity = self.severity.value if self.severity else "all"
        query = f' · matching "{self.filter_text}"' if self.filter_text else ""
        silenced = sum(1 for f in scope if is_silenced(f))
        hidden = (
            f" · {silenced} suppressed/baselined {'shown' if self.show_silenced else 'hidden'} (h)" if silenced else ""
        )
        pinned = sorted(self._capability_rules() & {f.rule for f in shown})
        first = f" · {', '.join(pinned)} first" if pinned else ""
        status = (
            f"{len(shown)} of {len(scope)} findings · severity: {severity} (v) · sort: {self.sort_column}"
            f"{' reversed' if self.sort_reverse else ''} (s, S)"
            f"{hidden}{query}{first}"
        )
        self.query_one("#filter-status", Static).update(status)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        """Filter at once on a small list; on a large one, wait until typing pauses (one rebuild, not one a key)."""
        self.filter_text = event.value
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        if len(self.scoped_findings()) < DEBOUNCE_ABOVE:
            self.refresh_table()
        else:
            self._debounce = self.set_timer(DEBOUNCE_SECONDS, self.refresh_table)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
            self.refresh_table()
        self.query_one(FindingsTable).focus()

    @on(DataTable.HeaderSelected, "#findings")
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        column = "severity" if event.column_key.value == "sev" else str(event.column_key.value)
        if column in SORT_COLUMNS:
            self.sort_column = column
            self.refresh_table()

    @on(DataTable.RowSelected, "#findings")
    def _selected(self) -> None:
        finding = self.query_one(FindingsTable).current
        if finding is not None:
            from mlaudit.tui.screens.finding import FindingScreen

            self.app.push_screen(FindingScreen(self.report, finding, self.query_one(FindingsTable).findings))

    def place(self) -> Place:
        """Return where the user is: scope, filter, sort and the finding under the cursor."""
        current = self.query_one(FindingsTable).current
        return Place(
            self.practice_key,
            self.rule,
            self.filter_text,
            self.severity,
            self.sort_column,
            self.sort_reverse,
            self.show_silenced,
            finding_id(current) if current is not None else None,
            self.capability,
        )

    def restore(self, place: Place) -> None:
        """Apply a place saved before a rescan; the cursor returns to the same finding if it still exists."""
        self.sort_column, self.sort_reverse, self.show_silenced = place.sort, place.reverse, place.silenced
        self.refresh_table()
        ids = [finding_id(f) for f in self.query_one(FindingsTable).findings]
        if place.finding in ids:
            self.select_finding(ids.index(place.finding))

    def select_finding(self, index: int) -> None:
        """Put the table's cursor on row `index` (the detail view stepped with n/p)."""
        table = self.query_one(FindingsTable)
        if 0 <= index < table.row_count:
            table.move_cursor(row=index)

    def action_back(self) -> None:
        """Leave the filter if it is focused, else go back."""
        if self.query_one("#filter", Input).has_focus:
            self.query_one(FindingsTable).focus()
        else:
            self.dismiss()

    def action_focus_filter(self) -> None:
        """Focus the text filter, with any characters typed right after `/`."""
        box = self.query_one("#filter", Input)
        typed = self.app.take_typeahead() if hasattr(self.app, "take_typeahead") else ""
        if typed:
            box.insert_text_at_cursor(typed)
        box.focus()

    def action_cycle_severity(self) -> None:
        """Show all findings, then only errors, warnings, info."""
        self.severity = next_severity(self.severity)
        self.refresh_table()

    def action_toggle_silenced(self) -> None:
        """Show or hide suppressed and baselined findings (with their reasons)."""
        self.show_silenced = not self.show_silenced
        self.refresh_table()

    def action_reverse_sort(self) -> None:
        """Reverse the current sort order."""
        self.sort_reverse = not self.sort_reverse
        self.refresh_table()

    def action_cycle_sort(self) -> None:
        """Sort by the next column."""
        index = SORT_COLUMNS.index(self.sort_column)
        self.sort_column = SORT_COLUMNS[(index + 1) % len(SORT_COLUMNS)]
        self.refresh_table()
