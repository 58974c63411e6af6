"""Provides rule DEP003: Python version not declared."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Metric, Output, Rule, register
from mlaudit.rules.dependencies._shared import declared_dependencies


@register
class PythonVersionNotDeclared(Rule):
    """Flags a repository that never says which Python version it runs on.

    ## What it does
    Looks for `requires-python` (pyproject), `python_requires` (setup.py/cfg; in setup.py also an f-string
    of the module's constants: `f">={REQUIRED_MAJOR}.{REQUIRED_MINOR}"`), Poetry's
    `python`, `.python-version`, `runtime.txt`, Pipfile `[requires]` and `python` in
    environment.yml.

    ## Why is this bad?
    Wheels for torch, numpy and friends exist per Python version; an undeclared version
    means installs that fail or silently resolve older packages on a newer interpreter.

    ## Example
    ```toml
    [project]
    name = "churn"
    ```

    ## Use instead
    ```toml
    [project]
    name = "churn"
    requires-python = ">=3.11"
    ```
    """

    code = "DEP003"
    restates = "python_declared"
    title = "Python version not declared"
    practice = "dependencies"
    severity = Severity.WARNING
    fix = 'Add requires-python = ">=3.11" to [project] in pyproject.toml (or a .python-version file).'
    weight = 10
    cap = 10

    def check(self, project: Project) -> Iterator[Output]:
        facts = declared_dependencies(project)
        if facts.python is not None:
            yield Metric("python_version", facts.python.spec)
            return
        yield Metric("python_version", None)
        yield Hit(None, None, "No Python version declared (no requires-python, .python-version or runtime.txt)")
