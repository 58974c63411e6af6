"""Provides rule TST008: File mostly untested by coverage."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Metric, Output, Rule, register
from mlaudit.rules.testing._shared import coverage_of


@register
class PoorlyCoveredFile(Rule):
    """Names the files whose line coverage is below 50 %.

    ## What it does
    From the same coverage data as TST007, reports each library or script file covered
    below 50 %, with its percentage. Informational: the total coverage metric carries the
    points.

    ## Why is this bad?
    A good total can hide a risky module that is barely exercised.

    ## Example
    ```text
    churn/features.py    120     90    25%
    ```

    ## Use instead
    ```python
    def test_features_on_tiny_frame(frame):
        out = build_features(frame)
        assert list(out.columns) == ["tenure_bucket", "charge_per_month"]
    ```
    """

    code = "TST008"
    title = "File mostly untested by coverage"
    practice = "testing"
    severity = Severity.INFO
    fix = "Add tests that execute the uncovered branches of this file."
    needs = ("coverage",)

    def check(self, project: Project) -> Iterator[Output]:
        result = coverage_of(project)
        if result is None or result.total is None:
            return
        floor = project.options.threshold("file_coverage_floor", 50.0)
        low = [f for f in result.files if f.percent < floor]
        for entry in low:
            yield Hit(
                entry.path,
                None,
                f"{entry.path} coverage {entry.percent:.0f}% ({entry.covered}/{entry.statements} lines)",
            )
        yield Metric("coverage_files_below_50", len(low))
