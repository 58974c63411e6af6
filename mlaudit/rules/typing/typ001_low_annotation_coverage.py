"""Provides rule TYP001: Low annotation coverage."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Metric, NotRun, Output, Rule, register
from mlaudit.rules.typing._shared import _pct, annotation_coverage, annotation_target
from mlaudit.scoring import linear_points

FULL_SHARE_POINTS = 40


PARAMETER_SHARE_POINTS = 20


@register
class LowAnnotationCoverage(Rule):
    """Measures how much of the library code carries type annotations.

    ## What it does
    Counts, in library modules (not tests, not notebooks), the share of functions whose every
    parameter (except `self`/`cls`) and return are annotated (`__init__` needs no return), the
    share of annotated parameters and the share of fully annotated public functions. Coverage
    maps linearly from 0 % (all points lost) to 90 % (no points lost).

    ## Why is this bad?
    Unannotated code cannot be checked: shape, `None` and wrong-argument mistakes surface hours
    into a training run instead of in the editor.

    ## Example
    ```python
    def load(path, limit=None):
        ...
    ```

    ## Use instead
    ```python
    def load(path: Path, limit: int | None = None) -> pd.DataFrame:
        ...
    ```
    """

    code = "TYP001"
    restates = "functions_annotated"
    scoring = "measured"
    title = "Low annotation coverage"
    practice = "typing"
    severity = Severity.WARNING
    fix = "Annotate the parameters and return type of library functions, starting with the public ones."

    def check(self, project: Project) -> Iterator[Output]:
        coverage = annotation_coverage(project)
        funcs = coverage.functions
        if not funcs:
            yield NotRun("annotation coverage", "no functions in library or script code")
            return
        full, params, public = coverage.share(), coverage.parameter_share(), coverage.share(public_only=True)
        target = annotation_target(project)
        yield Metric(
            "annotated_functions_pct", round(full * 100, 1), *self._points(full, len(funcs), coverage.scope, target)
        )
        yield Metric(
            "annotated_parameters_pct",
            round(params * 100, 1),
            linear_points(params, 0.0, target, PARAMETER_SHARE_POINTS),
            f"TYP001 {_pct(params)} of {coverage.scope} parameters annotated (target {_pct(target)})",
        )
        yield Metric("annotated_public_functions_pct", round(public * 100, 1))
        yield Metric("functions_counted", len(funcs))

    @staticmethod
    def _points(share: float, count: int, scope: str, target: float) -> tuple[int, str]:
        points = linear_points(share, 0.0, target, FULL_SHARE_POINTS)
        reason = f"TYP001 {_pct(share)} of {count} {scope} functions fully annotated (target {_pct(target)})"
        return points, reason
