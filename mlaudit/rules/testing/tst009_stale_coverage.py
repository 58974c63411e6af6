"""Provides rule TST009: Stale coverage data."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Metric, Output, Rule, register
from mlaudit.rules.testing._shared import coverage_of


@register
class StaleCoverage(Rule):
    """Flags coverage data older than the sources it describes.

    ## What it does
    Compares the modification time of the coverage data file with the newest Python
    source; a source changed after the data was written makes the numbers stale.

    ## Why is this bad?
    Stale coverage reports credit tests for code they no longer run, or miss new code.

    ## Example
    ```text
    .coverage written Monday; src/churn/features.py edited Wednesday
    ```

    ## Use instead
    ```text
    pytest --cov   # regenerate after changing the code (or in CI)
    ```
    """

    code = "TST009"
    title = "Stale coverage data"
    practice = "testing"
    severity = Severity.INFO
    fix = "Regenerate the coverage data (pytest --cov) after the latest code changes."
    needs = ("coverage",)

    def check(self, project: Project) -> Iterator[Output]:
        result = coverage_of(project)
        if result is None or result.total is None or result.source == "--run-tests":
            return
        stale = result.stale_against is not None
        yield Metric("coverage_stale", "yes" if stale else "no")
        if stale:
            yield Hit(result.source, None, f"Coverage data {result.source} is older than {result.stale_against}")
