"""Provides the rules of the `dependencies` practice: declared, pinned, complete environments.

`declared_dependencies(project)` is the shared, computed-once view of every dependency
manifest (pyproject, requirements files, environment.yml, Pipfile, setup.py/cfg, locks)
that other practices may read (for example: is torch or fastapi declared?)."""

from __future__ import annotations

from mlaudit.model import FileKind
from mlaudit.project import Project
from mlaudit.registry import applicability
from mlaudit.rules.dependencies._shared import _has_code


@applicability("dependencies")
def _dependencies_apply(project: Project) -> str | None:
    manifests = project.of_kind(FileKind.MANIFEST)
    return None if _has_code(project) or manifests else "no Python code and no dependency manifest"
