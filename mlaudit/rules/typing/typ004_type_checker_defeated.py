"""Provides rule TYP004: Type checker configured to ignore every error."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.package_roots import NOT_PROJECTS
from mlaudit.model import FileKind, Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.typing._shared import _ini, _pyproject_tools


def _package_names(project: Project) -> set[str]:
    """Return the library's package names, less documentation, example and test packages (`doc/hooks`):
    silencing the checker on those leaves the shipped code checked."""
    names: set[str] = set()
    for pf in project.python_of(FileKind.LIBRARY):
        parts = pf.path.split("/")
        if parts[-1] == "__init__.py" and len(parts) >= 2 and parts[-2].lower() not in NOT_PROJECTS:
            names.add(parts[-2])
    return names


def _mypy_patterns(pattern: object) -> list[str]:
    if isinstance(pattern, str):
        return [p.strip() for p in pattern.split(",")]
    return [str(p) for p in pattern] if isinstance(pattern, list) else []


def _covers_package(patterns: list[str], packages: set[str]) -> str | None:
    for pattern in patterns:
        head = pattern.split(".")[0]
        if head == "*" or (head in packages and pattern in {head, f"{head}.*"}):
            return pattern
    return None


def _truthy(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in {"true", "1", "yes", "on"})


def _defeated_in_toml(project: Project, packages: set[str]) -> str | None:
    mypy = _pyproject_tools(project).get("mypy", {})
    if not isinstance(mypy, dict):
        return None
    if _truthy(mypy.get("ignore_errors")):
        return "pyproject.toml [tool.mypy] ignore_errors = true"
    for override in mypy.get("overrides", []):
        if isinstance(override, dict) and _truthy(override.get("ignore_errors")):
            pattern = _covers_package(_mypy_patterns(override.get("module")), packages)
            if pattern:
                return f"pyproject.toml [[tool.mypy.overrides]] module = {pattern!r} ignore_errors = true"
    return None


def _defeated_in_ini(project: Project, packages: set[str]) -> str | None:
    for path in ("mypy.ini", ".mypy.ini", "setup.cfg", "tox.ini"):
        parser = _ini(project, path)
        if parser is None:
            continue
        for section in parser.sections():
            if not (section == "mypy" or section.startswith("mypy-")):
                continue
            if not _truthy(parser.get(section, "ignore_errors", fallback="")):
                continue
            if section == "mypy" or _covers_package(_mypy_patterns(section[5:]), packages):
                return f"{path} [{section}] ignore_errors = True"
    return None


@register
class TypeCheckerDefeated(Rule):
    """Flags a mypy configuration that ignores every error in the package.

    ## What it does
    Reads the mypy settings (pyproject.toml, mypy.ini, .mypy.ini, setup.cfg, tox.ini) and
    reports `ignore_errors = true` set globally or on an override that covers the whole
    package (`mypkg` or `mypkg.*`). Overrides for single modules are left alone, and so are
    overrides for a documentation, example or test package (`[mypy-doc.*]`): the shipped code
    is still checked.

    ## Why is this bad?
    The checker runs and passes, but checks nothing: the configuration looks typed while
    every error is thrown away.

    ## Example
    ```toml
    [[tool.mypy.overrides]]
    module = "churn.*"
    ignore_errors = true
    ```

    ## Use instead
    ```toml
    [[tool.mypy.overrides]]
    module = "churn.legacy_loader"
    ignore_errors = true
    ```
    """

    code = "TYP004"
    title = "Type checker configured to ignore every error"
    practice = "typing"
    severity = Severity.WARNING
    fix = "Remove ignore_errors for the package; silence single modules or lines (# type: ignore[code]) instead."
    weight = 10
    cap = 10

    def check(self, project: Project) -> Iterator[Output]:
        packages = _package_names(project)
        where = _defeated_in_toml(project, packages) or _defeated_in_ini(project, packages)
        if where is not None:
            path = where.split(" ", 1)[0]
            yield Hit(path, None, f"Type checking is switched off: {where}")
