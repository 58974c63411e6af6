"""Provides rule TST007: Low test coverage."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Metric, NotRun, Output, Rule, register
from mlaudit.rules.testing._shared import coverage_of
from mlaudit.scoring import linear_points
from mlaudit.tools.coverage import CoverageResult


def _run_metric(result: CoverageResult) -> Iterator[Output]:
    if result.run is not None:
        yield Metric("test_run", f"{result.run.outcome} in {result.run.seconds:.0f} s")


@register
class LowCoverage(Rule):
    """Measures total line coverage from existing coverage data (or an opt-in test run).

    ## What it does
    Reads `.coverage` (coverage.py's data API), `coverage.json` or `coverage.xml` at the
    repository root, never running anything, and maps measured files back onto the
    repository. Total coverage at or above the target (80 % by default) costs nothing;
    below it, points are lost linearly. Without data the check is "not checked". With
    `--run-tests` the tests run under coverage in a subprocess first.

    ## Why is this bad?
    Code no test executes can break without any test failing.

    ## Example
    ```text
    TOTAL   1830    1100    40%
    ```

    ## Use instead
    ```text
    pytest --cov=churn --cov-report=xml   # and raise coverage on the risky modules
    ```
    """

    code = "TST007"
    restates = "coverage_at_target"
    scoring = "measured"
    title = "Low test coverage"
    practice = "testing"
    severity = Severity.WARNING
    fix = "Run pytest --cov, then add tests for the least-covered risky modules until coverage reaches 80 %."
    needs = ("coverage",)

    def check(self, project: Project) -> Iterator[Output]:
        result = coverage_of(project)
        if result is None:
            yield NotRun("coverage", "coverage gatherer did not run")
            return
        yield from _run_metric(result)
        if result.total is None:
            yield NotRun("coverage", result.reason or "no coverage data")
            return
        target = project.options.threshold("coverage_target", 80.0)
        points = linear_points(result.total, 0.0, target, 25)
        reason = f"{self.code} coverage {result.total:.1f}% from {result.source} (target {target:.0f}%)"
        yield Metric("coverage_total", round(result.total, 1), points, reason)
        yield Metric("coverage_source", result.source)
