"""Provides the app's side effects outside the screen: report exports and the editor command (no Textual)."""

from __future__ import annotations

import os
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


def reports_dir(project: str) -> Path:
    """Return where exports go by default: `$XDG_DATA_HOME/mlaudit-reports/<project>` or `~/mlaudit-reports/<project>`.

    Both lie outside the audited repository unless it contains your home folder.
    """
    base = os.environ.get("XDG_DATA_HOME")
    return (Path(base) if base else Path.home()) / "mlaudit-reports" / (project or "project")


def default_target(report: Report, key: str) -> Path:
    """Return the full default path of one export of `report`."""
    return reports_dir(report.project_name) / EXPORTS[key].filename


def inside(path: Path, root: str) -> bool:
    """Return True when `path` lies in the audited tree at `root`."""
    try:
        return path.resolve().is_relative_to(Path(root).resolve())
    except OSError:
        return True


def write_text(path: Path, text: str) -> None:
    """Write `text` to `path` atomically, refusing a symlink (the one place the app writes files)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_output(path, text)


def write_export(report: Report, key: str, target: Path) -> Path:
    """Render one export of `report` and write it to the file `target`; return the file written."""
    write_text(target, EXPORTS[key].render(report))
    return target


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
