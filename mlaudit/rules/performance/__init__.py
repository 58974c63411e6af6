"""Provides the rules of the `performance` practice: vectorise loops, batch model calls, profile.

The loop rules judge one shared fact, the loops of each numeric file (`mlaudit.facts.loops`);
each rule's detection lives in its own module. PRF005 and PRF001 both describe a data loop's
work, and a loop gets one description (`_shared.CLAIM_ORDER`)."""

from __future__ import annotations

from mlaudit.facts.kind import is_example, is_library
from mlaudit.facts.loops import code_files, is_numeric
from mlaudit.project import Project, PythonFile
from mlaudit.registry import applicability


@applicability("performance")
def performance_applies(project: Project) -> str | None:
    """Return why performance is n/a, or None. It is n/a when no numeric, tensor or dataframe library is used, and
    when the code calls such libraries only to seed them, ask for devices or read and write files
    (`torch.manual_seed(seed)`, `torch.cuda.is_available()`: an experiment runner's or config library's seeding
    helper) and defines, loads, runs and batches no model: it has no numeric work whose speed could matter. A
    published library is judged by its own code, not its examples and docs (a job launcher's MNIST example is
    teaching material), and its own code importing numpy only to have it loaded (`import numpy  # noqa`, before
    unpickling) does no numeric work either."""
    numeric = [pf for pf in code_files(project) if is_numeric(pf)]
    if not numeric:
        return "no numeric, tensor or dataframe library (numpy, pandas, torch, ...) is used"
    library = is_library(project)
    own = [pf for pf in numeric if not is_example(pf.path)] if library else numeric
    if not own:
        return (
            "a published library whose own code uses no numeric, tensor or dataframe library: only its examples "
            "and docs do, teaching material whose speed is not the library's"
        )
    work, upkeep = _numeric_calls(own)
    if not work and (upkeep or library):
        return (
            "numeric libraries are called only to seed them, ask for devices or read and write files "
            "(no array, tensor or model work): nothing numeric runs whose speed could matter"
        )
    return None


def _numeric_calls(files: list[PythonFile]) -> tuple[int, int]:
    """Return (calls doing numeric or model work, upkeep calls: seeding, devices, file I/O) of the files; a file
    that defines, readies, runs, batches or accelerates a model, or loops over arrays slowly (a loop rule's
    finding), counts as work even with no library call."""
    from mlaudit.capabilities.performance import FILE_PERF_FACT, file_perf  # they import this package's loop facts
    from mlaudit.rules.performance._shared import LOOP_FINDINGS_FACT, file_loop_findings

    work = upkeep = 0
    for pf in files:
        found = pf.file_fact(FILE_PERF_FACT, file_perf)
        shown = found.torch_model or found.readies_model or found.keras_layers or found.keras_runs
        if shown or found.batching or found.no_grad or found.accelerations:
            return 1, 0
        if not found.work_calls and pf.file_fact(LOOP_FINDINGS_FACT, file_loop_findings):
            return 1, 0
        work += found.work_calls
        upkeep += found.upkeep_calls
    return work, upkeep
