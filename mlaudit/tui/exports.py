"""Provides the app's side effects outside the screen: report exports and the editor command (no Textual)."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mlaudit.model import Report
from mlaudit.output import write_output

_PLUS_LINE_EDITORS = frozenset({"vi", "vim", "nvim", "nano", "emacs", "emacsclient", "micro", "kak", "joe", "mg"})
_COLON_EDITORS = frozenset({"subl", "hx", "helix", "zed"})
_GOTO_EDITORS = frozenset({"code", "codium", "cursor"})


@dataclass(frozen=True)
class Export:
    """One export the app offers: its name, the file it writes, and how it renders the report."""

    key: str
    label: str
    filename: str
    render: Callable[[Report], str]


def _markdown(report: Report) -> str:
    from mlaudit.report import markdown

    return markdown.render(report)


def _fixit(report: Report) -> str:
    from mlaudit.report import fixit

    return fixit.render(report)


def _json(report: Report) -> str:
    from mlaudit.report import json as json_report

    return json_report.dumps(report)


EXPORTS: dict[str, Export] = {
    "markdown": Export("markdown", "markdown scorecard", "mlaudit-scorecard.md", _markdown),
    "fixit": Export("fixit", "fix-it report", "mlaudit-fixes.md", _fixit),
    "json": Export("json", "JSON report", "mlaudit-report.json", _json),
}


def write_export(report: Report, key: str, directory: Path) -> Path:
    """Render one export of `report` and write it into `directory`; return the file written."""
    export = EXPORTS[key]
    text = export.render(report)
    return write_output(directory / export.filename, text)


def editor_command(editor: str, path: Path, line: int | None) -> list[str]:
    """Return the argv that opens `path` at `line` in `editor` (the value of $EDITOR)."""
    argv = shlex.split(editor)
    name = Path(argv[0]).name if argv else ""
    if line is None:
        return [*argv, str(path)]
    if name in _GOTO_EDITORS:
        return [*argv, "--goto", f"{path}:{line}"]
    if name in _COLON_EDITORS:
        return [*argv, f"{path}:{line}"]
    if name in _PLUS_LINE_EDITORS:
        return [*argv, f"+{line}", str(path)]
    return [*argv, str(path)]
