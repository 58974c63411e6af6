"""Provides the rules of the `logging` practice: log through loggers, never swallow errors."""

from __future__ import annotations

from mlaudit.model import FileKind
from mlaudit.project import Project
from mlaudit.registry import applicability


@applicability("logging")
def logging_applies(project: Project) -> str | None:
    """Logging is judged whenever there are Python modules outside tests and notebooks."""
    if project.python_of(FileKind.LIBRARY, FileKind.SCRIPT):
        return None
    return "no Python modules outside tests and notebooks"
