"""Provides rule FUN006: Low maintainability module."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.functions._shared import code_metrics


@register
class LowMaintainability(Rule):
    """Flags modules whose maintainability index is below 10 (radon rank C).

    ## What it does
    Computes radon's maintainability index (0-100) per module from figures already known:
    code lines, total cyclomatic complexity, share of comment and docstring lines, and a
    Halstead volume estimated from operator nodes (see `mlaudit.tools.complexity`).

    ## Why is this bad?
    A low index means a big, branchy, undocumented module: the kind every change breaks.

    ## Example
    ```text
    utils.py   2,000 lines, 300 branches, no docstrings   MI 4
    ```

    ## Use instead
    ```text
    utils/io.py, utils/text.py, utils/plots.py   documented, small   MI 45+
    ```
    """

    code = "FUN006"
    restates = "maintainable_modules"
    title = "Low maintainability module"
    practice = "functions"
    severity = Severity.WARNING
    fix = "Split the module by responsibility and simplify its most complex functions."
    weight = 4
    cap = 15

    def check(self, project: Project) -> Iterator[Output]:
        floor = project.options.threshold("min_maintainability", 10)
        for path, module in code_metrics(project).items():
            if module.maintainability < floor:
                yield Hit(
                    path,
                    None,
                    f"{path} has maintainability index {module.maintainability:.0f} "
                    f"(total complexity {module.total_complexity})",
                )
