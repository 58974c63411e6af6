"""Provides FindingScreen: one finding with its code, rationale, fix and the points it costs."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown, Static

from mlaudit.model import Finding, Report
from mlaudit.present import overall_gain, pricing_capability
from mlaudit.tui.data import rule_points
from mlaudit.tui.exports import editor_command
from mlaudit.tui.source import SourceUnavailable, code_context
from mlaudit.tui.widgets.code_view import CodeView
from mlaudit.tui.widgets.palette import severity_text


class FindingScreen(Screen[None]):
    """Everything about one finding; `o` opens it in $EDITOR."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to the list"),
        Binding("n", "step(1)", "Next", tooltip="Next finding of the list"),
        Binding("p", "step(-1)", "Prev", tooltip="Previous finding of the list"),
        Binding("o", "open_editor", "Editor", tooltip="Open the file at the line in $VISUAL or $EDITOR"),
        Binding("j", "scroll('down')", "Scroll down", show=False),
        Binding("k", "scroll('up')", "Scroll up", show=False),
    ]

    def __init__(self, report: Report, finding: Finding, siblings: Sequence[Finding] = ()) -> None:
        super().__init__()
        self.report = report
        self.finding = finding
        self.neighbours = list(siblings) or [finding]

    def compose(self) -> ComposeResult:
        """Build the heading, code excerpt, fix, cost and rationale."""
        yield Static(self._heading(), id="finding-head")
        with VerticalScroll(id="finding-body"):
            yield Static(Text(self.finding.message), id="finding-message")
            yield Static(self._fix_and_cost(), id="finding-fix")
            yield from self._code()
            yield Markdown(self._rationale(), id="rationale")
        yield Footer(compact=True)

    def _heading(self) -> Text:
        finding = self.finding
        doc = self.report.rule_doc(finding.rule)
        text = Text.assemble((f"{finding.rule} ", "bold"), (doc.title if doc else "", "bold"), "  ")
        text.append_text(severity_text(self.app, finding.severity))
        text.append(f"  {finding.location}", style="dim")
        return text

    def _code(self) -> ComposeResult:
        try:
            context = code_context(self.report, self.finding, radius=max(3, (self.app.size.height - 18) // 2))
        except SourceUnavailable as err:
            yield Static(Text(str(err), style="italic"), id="code-missing", classes="section")
            return
        yield Static(Text(context.title, style="bold"), classes="section-title")
        yield CodeView(context, id="code")

    def _fix_and_cost(self) -> Text:
        finding = self.finding
        points = rule_points(self.report, finding)
        same = sum(1 for f in self.report.findings if f.rule == finding.rule and f.counts)
        practice = self.report.practice(finding.practice)
        text = Text.assemble(("Fix: ", "bold"), finding.fix)
        capability = pricing_capability(self.report, practice.key, finding.rule)
        if points and capability is not None and finding.counts:
            gain = overall_gain(self.report, practice.key, points)
            text.append(
                f"\nCost: {finding.rule} is priced by the missing capability: {capability.title}; putting it in "
                f"place gains {points} points of {practice.title} ({gain:.1f} overall).",
            )
        elif points:
            gain = overall_gain(self.report, practice.key, points)
            text.append(
                f"\nCost: {finding.rule} ({same} finding{'s' * (same != 1)}) costs {points} points "
                f"of {practice.title} ({gain:.1f} overall); fixing it raises that practice to "
                f"{min(100, (practice.score or 0) + points)}.",
            )
        elif not finding.counts:
            text.append(f"\nCost: none ({finding.suppressed or 'baselined'}).", style="dim")
        else:
            text.append("\nCost: no points (advice only).", style="dim")
        return text

    def _rationale(self) -> str:
        doc = self.report.rule_doc(self.finding.rule)
        if doc is None:
            return "_No documentation for this rule in the report._"
        return (
            f"### What it does\n{doc.what}\n\n### Why is this bad?\n{doc.why}\n\n"
            f"### Before\n{_fenced(doc.example)}\n\n### After\n{_fenced(doc.use_instead)}\n"
        )

    def action_back(self) -> None:
        """Go back to the findings."""
        self.dismiss()

    def action_step(self, delta: int) -> None:
        """Show the next (1) or previous (-1) finding of the list this one was opened from."""
        index = self.neighbours.index(self.finding) + delta if self.finding in self.neighbours else -1
        if not 0 <= index < len(self.neighbours):
            self.notify("No more findings in this list.", timeout=2)
            return
        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        if below is not None and hasattr(below, "select_finding"):
            below.select_finding(index)
        self.app.switch_screen(FindingScreen(self.report, self.neighbours[index], self.neighbours))

    def action_scroll(self, direction: str) -> None:
        """Scroll the finding's body one line."""
        body = self.query_one("#finding-body", VerticalScroll)
        body.scroll_relative(y=1 if direction == "down" else -1, animate=False)

    def action_open_editor(self) -> None:
        """Suspend the app and open the finding's file at its line in $EDITOR."""
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if self.finding.path is None:
            self.notify("This finding is about the whole repository, not one file.", severity="warning")
            return
        if not editor:
            self.notify("Set $EDITOR (for example `export EDITOR=vim`) to open files.", severity="warning")
            return
        line = None if self.finding.cell is not None else self.finding.line
        argv = editor_command(editor, Path(self.report.root) / self.finding.path, line)
        self._run_editor(argv)

    def _run_editor(self, argv: list[str]) -> None:
        try:
            with self.app.suspend():
                subprocess.run(argv, check=False)
        except Exception as err:  # noqa: BLE001 - any failure to launch the editor is reported, not fatal
            self.notify(f"Cannot open {argv[0]}: {err}", severity="error", title="Editor")


def _fenced(block: str) -> str:
    """Return a documentation example as a fenced block (examples may already be fenced)."""
    stripped = block.strip()
    return stripped if stripped.startswith("```") else f"```python\n{stripped}\n```"
