"""Provides the project-kind fact: library, service, application, research or notebooks.

Expectations differ by kind (a published library declares ranges, a service pins), so rules
and capabilities ask `project_kind(project)` instead of guessing on their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mlaudit.model import FileKind

if TYPE_CHECKING:
    from mlaudit.project import Project

KINDS = ("library", "service", "application", "research", "notebooks")


@dataclass(frozen=True)
class ProjectKind:
    """What kind of project this is, and the evidence for it (`path:line` sentences)."""

    kind: str
    evidence: tuple[str, ...]


def project_kind(project: Project) -> ProjectKind:
    """Return the project's kind (computed once per audit)."""
    result: ProjectKind = project.fact("project_kind", _detect)
    return result


def _detect(project: Project) -> ProjectKind:
    notebooks = len(project.of_kind(FileKind.NOTEBOOK))
    code = len(project.of_kind(FileKind.LIBRARY, FileKind.SCRIPT))
    if notebooks and notebooks >= code:
        return ProjectKind("notebooks", (f"{notebooks} notebooks, {code} Python modules",))
    return ProjectKind("research", ("no packaging, service or publishing evidence found",))
