"""Provides CodeView: syntax-highlighted lines around a finding, the finding's line marked."""

from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text
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

    def _redraw(self) -> None:
        dark = self.app.current_theme.dark
        self.update(render_code(self.context, "monokai" if dark else "friendly", "#3a3d4a" if dark else "#fff3c4"))


def render_code(context: CodeContext, theme: str, mark_background: str) -> Text:
    """Return the excerpt as one Text: gutter, highlighted code, and the marked line on a background."""
    syntax = Syntax("", context.lexer, theme=theme, background_color="default")
    highlighted = syntax.highlight(context.text or " ")
    count = max(len(context.text.splitlines()), 1)
    width = len(str(context.start_line + count - 1))
    out = Text(no_wrap=True, overflow="ellipsis")
    for offset, line in enumerate(highlighted.split("\n", allow_blank=True)[:count]):
        number = context.start_line + offset
        marked = number == context.mark_line
        out.append(f"{'▶' if marked else ' '} {number:>{width}} │ ", style="bold" if marked else "dim")
        if marked:
            line.stylize(f"on {mark_background}")
        out.append_text(line)
        out.append("\n")
    out.rstrip()
    return out
