"""Provides the rules of the `typing` practice: annotation coverage, a type checker and a linter."""

from __future__ import annotations

from mlaudit.model import FileKind
from mlaudit.project import Project
from mlaudit.registry import applicability


@applicability("typing")
def typing_applies(project: Project) -> str | None:
    """Typing is judged whenever there are Python modules outside tests and notebooks."""
    if project.python_of(FileKind.LIBRARY, FileKind.SCRIPT):
        return None
    return "no Python modules outside tests and notebooks"
