"""Provides the rules of the `performance` practice: vectorise loops, batch model calls, profile.

The loop rules judge one shared fact, the loops of each numeric file (`mlaudit.facts.loops`);
each rule's detection lives in its own module. PRF005 and PRF001 both describe a data loop's
work, and a loop gets one description (`_shared.CLAIM_ORDER`)."""

from __future__ import annotations

from mlaudit.facts.loops import code_files, is_numeric
from mlaudit.project import Project
from mlaudit.registry import applicability


@applicability("performance")
def performance_applies(project: Project) -> str | None:
    """Return why performance is n/a (no numeric, tensor or dataframe library), or None."""
    if any(is_numeric(pf) for pf in code_files(project)):
        return None
    return "no numeric, tensor or dataframe library (numpy, pandas, torch, ...) is used"
