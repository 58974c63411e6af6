"""Provides the rules of the `functions` practice: small, simple, single-purpose functions."""

from __future__ import annotations

from mlaudit.project import Project
from mlaudit.registry import applicability
from mlaudit.rules.functions._shared import CODE_KINDS


@applicability("functions")
def functions_apply(project: Project) -> str | None:
    """Functions are judged whenever there is non-test Python code."""
    return None if project.python_of(*CODE_KINDS) else "no Python code outside tests"
