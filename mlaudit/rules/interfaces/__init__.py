"""Provides the rules of the `interfaces` practice: swappable components behind a Protocol or ABC."""

from __future__ import annotations

from mlaudit.project import Project
from mlaudit.registry import applicability
from mlaudit.rules.interfaces._shared import ROLE_PATTERN, classes_of


@applicability("interfaces")
def interfaces_applicable(project: Project) -> str | None:
    """Return why the practice is n/a: little library code and no component classes."""
    if project.library_code_lines >= project.options.threshold("api_min_lines", 300):
        return None
    classes = classes_of(project)
    if any(ROLE_PATTERN.search(name) or any(i.is_interface for i in infos) for name, infos in classes.items()):
        return None
    return f"only {project.library_code_lines} lines of library code and no component classes to abstract"
