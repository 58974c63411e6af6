"""Provides HelpScreen: every key binding of the app and its screens, generated from the bindings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

_KEY_NAMES = {"slash": "/", "question_mark": "?", "escape": "Esc", "enter": "Enter", "ctrl+p": "Ctrl+P"}


def key_label(key: str) -> str:
    """Return a binding's key as the user types it."""
    return ", ".join(_KEY_NAMES.get(k.strip(), k.strip()) for k in key.split(","))


def bindings_table(sections: Iterable[tuple[str, Iterable[BindingType]]]) -> Table:
    """Return a table of (where, key, what) for every described binding; each place is named once."""
    table = Table(box=None, show_header=True, header_style="bold", expand=True)
    table.add_column("Where", no_wrap=True)
    table.add_column("Key", no_wrap=True, style="bold")
    table.add_column("Does")
    last = ""
    for where, bindings in sections:
        for binding in bindings:
            if isinstance(binding, Binding) and binding.description:
                table.add_row(
                    where if where != last else "", key_label(binding.key), binding.tooltip or binding.description
                )
                last = where
    return table


def files_table(files: Iterable[tuple[str, str]]) -> Table:
    """Return a table of (what, where) for every file the app writes."""
    table = Table(box=None, show_header=True, header_style="bold", expand=True, title="Where files go")
    table.add_column("What", no_wrap=True)
    table.add_column("Where")
    for what, where in files:
        table.add_row(what, where)
    return table


class HelpScreen(ModalScreen[None]):
    """A modal list of all bindings; Esc or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark,q", "dismiss", "Close help")]

    def __init__(
        self, sections: list[tuple[str, Iterable[BindingType]]], files: Iterable[tuple[str, str]] = ()
    ) -> None:
        super().__init__()
        self.sections = sections
        self.files = list(files)

    def compose(self) -> ComposeResult:
        """Build the bindings table."""
        with VerticalScroll(id="help"):
            yield Static("[b]mlaudit keys[/b]  (Esc closes; Ctrl+P opens the command palette)", id="help-title")
            yield Static(bindings_table(self.sections), id="help-table")
            yield Static(files_table(self.files), id="help-files")
