"""Provides rule LAY008: Logic stuck in notebooks."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Metric, Output, Rule, register
from mlaudit.rules.layout._shared import _notebooks
from mlaudit.scoring import linear_points


@register
class LogicInNotebooks(Rule):
    """Measures how much of the code lives in notebooks rather than modules.

    ## What it does
    Compares code lines in notebook cells with code lines in library and script modules.
    With 50 or more notebook code lines, a module share under 60% starts to cost points;
    under 20% costs the most.

    ## Why is this bad?
    Notebook code cannot be imported, reviewed line by line or unit-tested, and runs in
    whatever order its cells were last executed.

    ## Example
    ```text
    train_final_v2.ipynb   400 code lines
    utils.py                30 code lines
    ```

    ## Use instead
    ```text
    src/churn/train.py     # the logic, tested
    notebooks/train.ipynb  # calls churn.train.fit(...) and plots
    ```
    """

    code = "LAY008"
    restates = "notebooks_thin"
    scoring = "measured"
    title = "Logic stuck in notebooks"
    practice = "layout"
    severity = Severity.WARNING
    fix = "Move functions and pipeline steps out of notebooks into package modules; keep notebooks for exploration."

    def check(self, project: Project) -> Iterator[Output]:
        notebook_lines = sum(pf.code_lines for pf in _notebooks(project))
        module_lines = project.library_code_lines
        yield Metric("notebook_code_lines", notebook_lines)
        yield Metric("module_code_lines", module_lines)
        if notebook_lines < project.options.threshold("notebook_code_lines_min", 50):
            return
        module_share = module_lines / (notebook_lines + module_lines)
        target = project.options.threshold("module_code_share", 0.6)
        points = linear_points(module_share, 0.2, target, 20)
        reason = f"LAY008 {1 - module_share:.0%} of code lines are in notebooks ({notebook_lines} vs {module_lines})"
        yield Metric("notebook_code_share", round(1 - module_share, 3), points, reason)
