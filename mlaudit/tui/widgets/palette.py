"""Provides theme-aware styling shared by the widgets: grade and severity colours."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App

from mlaudit.model import Severity
from mlaudit.present import SEVERITY_COLOUR, SEVERITY_LABEL, grade_colour

_VARIABLES: dict[tuple[int, str], dict[str, str]] = {}


def colour(app: App[Any], name: str) -> str:
    """Return the current theme's value of a colour variable such as `success`.

    The theme's variables are computed once per app and theme: computing them for every
    table cell made a 2,000-row table take seconds to build.
    """
    key = (id(app), app.theme)
    variables = _VARIABLES.get(key)
    if variables is None:
        if len(_VARIABLES) > 32:
            _VARIABLES.clear()
        variables = _VARIABLES[key] = app.get_css_variables()
    return variables.get(name, "")


def grade_text(app: App[Any], grade: str | None) -> Text:
    """Return a grade letter styled in its colour (the letter reads without colour)."""
    if grade is None:
        return Text("–", style="dim")
    return Text(f" {grade} ", style=f"bold {colour(app, grade_colour(grade))} reverse")


def score_bar(app: App[Any], score: int, grade: str | None, width: int) -> Text:
    """Return `█████░░░░  63` coloured by grade; eighths give sub-cell precision."""
    eighths = round(score / 100 * width * 8)
    full, part = divmod(eighths, 8)
    bar = "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")
    text = Text(bar.ljust(width), style=colour(app, grade_colour(grade)))
    text.append(f" {score:>3}", style="bold")
    return text


def severity_text(app: App[Any], severity: Severity) -> Text:
    """Return a severity word styled in its colour (under NO_COLOR: errors bold, info dim, never faint red)."""
    if app.no_color:
        return Text(SEVERITY_LABEL[severity], style="bold" if severity.rank >= Severity.ERROR.rank else "")
    return Text(SEVERITY_LABEL[severity], style=colour(app, SEVERITY_COLOUR[severity]))
