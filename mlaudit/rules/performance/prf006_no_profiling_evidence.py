"""Provides rule PRF006: No profiling evidence."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Metric, Output, Rule, register
from mlaudit.rules.performance._shared import profiling_evidence


@register
class NoProfilingEvidence(Rule):
    """Notes when nothing in the repository profiles or benchmarks the code.

    ## What it does
    Looks for cProfile/pstats/pyinstrument/line_profiler/scalene/torch.profiler use, `timeit` benchmarks
    (`timeit.timeit`, `Timer`; not `timeit.default_timer`, a clock read around an epoch),
    pytest-benchmark's `benchmark` fixture, a script named for benchmarking or profiling
    (`scripts/benchmark_predict.py`), or a `benchmarks/` folder, and records what it
    found as the metric `profiling_evidence`. Informational only: it neither costs nor earns
    points, because evidence of profiling says nothing about the speed of the code.

    ## Why is this bad?
    Without measurements, optimisation effort goes where people guess the time goes, not
    where it actually goes.

    ## Example
    ```python
    # "training is slow" - but no profile says which step
    train(cfg)
    ```

    ## Use instead
    ```python
    import cProfile, pstats
    cProfile.run("train(cfg)", "train.prof")
    pstats.Stats("train.prof").sort_stats("cumulative").print_stats(20)
    ```
    """

    code = "PRF006"
    restates = "profiled"
    title = "No profiling evidence"
    practice = "performance"
    severity = Severity.INFO
    fix = "Profile the slow path once (python -m cProfile -o out.prof train.py, or pyinstrument) and keep the script."

    def check(self, project: Project) -> Iterator[Output]:
        evidence = profiling_evidence(project)
        yield Metric("profiling_evidence", "; ".join(evidence[:3]) if evidence else "none")
        if not evidence:
            yield Hit(
                None, None, "No profiling or benchmark code (cProfile, pyinstrument, pytest-benchmark, benchmarks/)"
            )
