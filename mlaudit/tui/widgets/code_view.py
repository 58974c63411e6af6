"""Provides CodeView: syntax-highlighted lines around a finding, the finding's line marked."""

from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text
from textual import events
from textual.widgets import Static

from mlaudit.tui.source import CodeContext


class CodeView(Static):
    """Read-only code excerpt: a gutter with line numbers, `▶` on the finding's line."""

    def __init__(self, context: CodeContext, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.context = context

    def on_mount(self) -> None:
        """Render now and again whenever the theme changes."""
        self._redraw()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._redraw())

    def on_resize(self, _event: events.Resize) -> None:
        """Re-wrap long lines to the new width."""
        self._redraw()

    def _redraw(self) -> None:
        dark = self.app.current_theme.dark
        width = self.content_size.width or None
        self.update(
            render_code(self.context, "monokai" if dark else "friendly", "#3a3d4a" if dark else "#fff3c4", width)
        )


def render_code(context: CodeContext, theme: str, mark_background: str, width: int | None = None) -> Text:
    """Return the excerpt as one Text: gutter, highlighted code, the marked line on a background.

    Lines longer than `width` wrap onto continuation rows whose gutter shows `↪` and no number.
    """
    syntax = Syntax("", context.lexer, theme=theme, background_color="default")
    highlighted = syntax.highlight(context.text or " ")
    count = max(len(context.text.splitlines()), 1)
    digits = len(str(context.start_line + count - 1))
    room = max((width or 10_000) - digits - 5, 10)
    out = Text(no_wrap=True, overflow="ellipsis")
    for offset, line in enumerate(highlighted.split("\n", allow_blank=True)[:count]):
        number = context.start_line + offset
        marked = number == context.mark_line
        if marked:
            line.stylize(f"on {mark_background}")
        pieces = line.divide(range(room, len(line), room)) if len(line) > room else [line]
        for index, piece in enumerate(pieces):
            if index == 0:
                out.append(f"{'▶' if marked else ' '} {number:>{digits}} │ ", style="bold" if marked else "dim")
            else:
                out.append(f"  {'↪':>{digits}} ┆ ", style="dim")
            out.append_text(piece)
            out.append("\n")
    out.rstrip()
    return out
