"""Provides rule DEP007: Dependency manifest cannot be read."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.dependencies._shared import declared_dependencies


@register
class UnreadableManifest(Rule):
    """Flags a dependency manifest that cannot be parsed, so its dependencies are unknown.

    ## What it does
    Reports malformed TOML (pyproject.toml, Pipfile, lock files), a broken setup.cfg or
    Pipfile.lock, and `-r`/`-c` includes pointing to missing files.

    ## Why is this bad?
    pip, uv and poetry fail on the same file, so nobody can install the project; and
    mlaudit cannot check what it declares.

    ## Example
    ```toml
    [project
    dependencies = ["numpy"]
    ```

    ## Use instead
    ```toml
    [project]
    dependencies = ["numpy"]
    ```
    """

    code = "DEP007"
    title = "Dependency manifest cannot be read"
    practice = "dependencies"
    severity = Severity.WARNING
    fix = "Fix the syntax (validate with `python -c 'import tomllib'` or `pip install --dry-run -r`)."

    def check(self, project: Project) -> Iterator[Output]:
        for problem in declared_dependencies(project).problems:
            yield Hit(problem.path, None, f"{problem.path}: {problem.reason}; its dependencies were not read")
