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
    """Return why performance is n/a, or None. It is n/a when no numeric, tensor or dataframe library is used, and
    when the code calls such libraries only to seed them, ask for devices or read and write files
    (`torch.manual_seed(seed)`, `torch.cuda.is_available()`: an experiment runner's or config library's seeding
    helper) and defines, loads, runs and batches no model: it has no numeric work whose speed could matter."""
    if not any(is_numeric(pf) for pf in code_files(project)):
        return "no numeric, tensor or dataframe library (numpy, pandas, torch, ...) is used"
    if _upkeep_only(project):
        return (
            "numeric libraries are called only to seed them, ask for devices or read and write files "
            "(no array, tensor or model work): nothing numeric runs whose speed could matter"
        )
    return None


def _upkeep_only(project: Project) -> bool:
    """Return True when every call into a numeric or model library is upkeep (seeding, devices, file I/O), there is
    at least one, and no code defines, readies, runs, batches or accelerates a model."""
    from mlaudit.capabilities.performance import perf_facts  # the capabilities import this package's loop facts

    facts = perf_facts(project)
    if facts.work_calls or not facts.upkeep_calls:
        return False
    shown = facts.torch_models or facts.readies_model or facts.keras_layers or facts.keras_runs
    return not (shown or facts.batching or facts.no_grad or facts.accelerations)
