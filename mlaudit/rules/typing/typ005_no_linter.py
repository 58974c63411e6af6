"""Provides rule TYP005: No linter configured."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Metric, Output, Rule, register
from mlaudit.rules.typing._shared import declared_python, find_linter


@register
class NoLinter(Rule):
    """Flags a repository where no linter (ruff, flake8, pylint) is configured or run.

    ## What it does
    Looks for `[tool.ruff]`/`[tool.pylint]` in pyproject.toml, `ruff.toml`, `.flake8`,
    `.pylintrc`, a `[flake8]` section in setup.cfg or tox.ini, a pre-commit hook or CI step
    that runs one of them, or one of them declared as a development requirement (requirements-dev.txt,
    a dev or lint extra or dependency group, Pipfile's dev-packages): a linter's defaults already check
    real faults. A linter among the runtime requirements (a frozen environment) or a plugin alone is not one.

    ## Why is this bad?
    Without a linter, unused variables, shadowed names, mutable defaults and bare excepts
    slip through review, and style arguments replace real review.

    ## Example
    ```text
    repo/
      pyproject.toml   # no [tool.ruff]
    ```

    ## Use instead
    ```toml
    [tool.ruff.lint]
    select = ["E", "F", "B", "I", "UP"]
    ```
    """

    code = "TYP005"
    restates = "linter"
    title = "No linter configured"
    practice = "typing"
    severity = Severity.WARNING
    fix = 'Add [tool.ruff.lint] select = ["E", "F", "B", "I"] to pyproject.toml and run ruff in CI or pre-commit.'
    weight = 10
    cap = 10

    def check(self, project: Project) -> Iterator[Output]:
        found = find_linter(project)
        yield Metric("linter", found or "none")
        if found is None:
            yield Hit(
                None,
                None,
                "No linter (ruff, flake8, pylint) is configured or run anywhere in the repo",
                fix=ruff_fix(project),
            )


def ruff_fix(project: Project) -> str:
    """Return the TYP005 fix for this repository's config file and declared Python."""
    version = declared_python(project)
    target = f'; target-version = "py{version.replace(".", "")}"' if version else ""
    where = "pyproject.toml [tool.ruff]" if project.has_file("pyproject.toml") else "a ruff.toml"
    return f'Add {where} with lint.select = ["E", "F", "B", "I"]{target}, and run ruff in CI or pre-commit.'
