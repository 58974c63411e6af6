"""Provides the rules of the `performance` practice: vectorise loops, batch model calls, profile.

All loop rules share one pass per file (`loop_findings`), which picks the single best
description for each loop, so a loop is reported once for the problem that matters most."""

from __future__ import annotations

from mlaudit.project import Project
from mlaudit.registry import applicability
from mlaudit.rules.performance._shared import _code_files, _numeric


@applicability("performance")
def performance_applies(project: Project) -> str | None:
    """Return why performance is n/a (no numeric, tensor or dataframe library), or None."""
    if any(_numeric(pf) for pf in _code_files(project)):
        return None
    return "no numeric, tensor or dataframe library (numpy, pandas, torch, ...) is used"
