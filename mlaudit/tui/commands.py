"""Provides the command palette entries: every app action, every practice, every rule in the report."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from mlaudit.tui.app import MLAuditApp

Command = tuple[str, str, Callable[[], object]]


class MLAuditCommands(Provider):
    """Actions, practices and rules of the current report, for Ctrl+P."""

    def _commands(self) -> list[Command]:
        app: MLAuditApp = self.app  # type: ignore[assignment]
        commands: list[Command] = [
            ("Rescan", "Audit the repository again", app.action_rescan),
            ("Cancel scan", "Stop the running scan", app.action_cancel_scan),
            ("Export markdown scorecard", "Choose where to write it", partial(app.action_export, "markdown")),
            ("Export fix-it report", "Choose where to write it", partial(app.action_export, "fixit")),
            ("Export JSON report", "Choose where to write it", partial(app.action_export, "json")),
            ("Toggle dark/light theme", "Switch between the dark and light theme", app.action_toggle_theme),
            ("All findings", "Every finding, filterable and sortable", partial(app.open_practice, None)),
            ("Help", "Show every key binding", app.action_help),
        ]
        report = app.report
        if report is None:
            return commands
        for practice in report.practices:
            commands.append(
                (
                    f"Practice {practice.number}: {practice.title}",
                    "Open this practice",
                    partial(app.open_practice, practice.key),
                )
            )
        for doc in report.rules:
            commands.append(
                (
                    f"Rule {doc.code}: {doc.title}",
                    f"Findings of {doc.code} ({doc.practice})",
                    partial(app.open_practice, doc.practice, doc.code),
                )
            )
        return commands

    async def discover(self) -> Hits:
        """Offer every command before the user types."""
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        """Offer the commands that fuzzily match the query."""
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
