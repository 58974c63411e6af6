"""Provides the rules of the `testing` practice: tests exist, assert, cover the risky modules, and run in CI."""

from __future__ import annotations

from mlaudit.model import FileKind
from mlaudit.project import Project
from mlaudit.registry import applicability


@applicability("testing")
def testing_applies(project: Project) -> str | None:
    """Return why testing is n/a (no Python code at all), or None."""
    if project.python_of(FileKind.LIBRARY, FileKind.SCRIPT, FileKind.TEST):
        return None
    return "no Python modules to test (only notebooks or no code)"
