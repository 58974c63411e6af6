"""Provides rule TYP003: No type checker configured."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import FileKind, Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Metric, Output, Rule, register
from mlaudit.rules.typing._shared import declared_python, find_type_checker


@register
class NoTypeChecker(Rule):
    """Flags a repository where no type checker (mypy, pyright, pyre, ty, pyrefly) is configured or run.

    ## What it does
    Looks for `[tool.mypy]`/`[tool.pyright]`/`[tool.ty]`/`[tool.pyrefly]` in pyproject.toml, `mypy.ini`,
    `.mypy.ini`, a `[mypy]` section in setup.cfg or tox.ini, `pyrightconfig.json`, `.pyre_configuration`,
    `ty.toml`, `pyrefly.toml`, or a pre-commit hook or CI step running mypy, pyright or pyrefly, or a checker's mode header (`# pyre-strict`,
    `# pyright: strict`) in a quarter or more of the library modules.

    ## Why is this bad?
    Annotations nobody checks drift out of date and give false confidence; the checker is
    what turns them into caught bugs.

    ## Example
    ```toml
    [project]
    name = "churn"
    ```

    ## Use instead
    ```toml
    [tool.mypy]
    strict = true
    files = ["src"]
    ```
    """

    code = "TYP003"
    restates = "type_checker"
    title = "No type checker configured"
    practice = "typing"
    severity = Severity.WARNING
    fix = "Add a [tool.mypy] table (strict = true) to pyproject.toml and run mypy in CI or pre-commit."
    weight = 15
    cap = 15

    def check(self, project: Project) -> Iterator[Output]:
        found = find_type_checker(project)
        yield Metric("type_checker", found or "none")
        if found is None:
            yield Hit(
                None,
                None,
                "No type checker (mypy, pyright, pyre) is configured or run anywhere in the repo",
                fix=mypy_fix(project),
            )


def check_targets(project: Project) -> list[str]:
    """Return the folders a checker should cover: `src` when the layout has it, else the top packages."""
    if any(path.startswith("src/") for path in project.python):
        return ["src"]
    inits = {
        pf.path.rsplit("/", 1)[0] for pf in project.python_of(FileKind.LIBRARY) if pf.path.endswith("/__init__.py")
    }
    tops = sorted(d for d in inits if "/" not in d or d.rsplit("/", 1)[0] not in inits)
    return tops[:4]


def mypy_fix(project: Project) -> str:
    """Return the TYP003 fix for this repository's layout, declared Python and config file."""
    parts = ["strict = true"]
    targets = check_targets(project)
    if targets:
        parts.append("files = [" + ", ".join(f'"{t}"' for t in targets) + "]")
    version = declared_python(project)
    if version:
        parts.append(f'python_version = "{version}"')
    where = (
        "a [tool.mypy] table to pyproject.toml" if project.has_file("pyproject.toml") else "a mypy.ini [mypy] section"
    )
    return f"Add {where} ({'; '.join(parts)}) and run mypy in CI or pre-commit."
