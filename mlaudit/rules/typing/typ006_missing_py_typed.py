"""Provides rule TYP006: Annotated package without py.typed."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import FileKind, Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.typing._shared import _toml, annotation_coverage


def _top_packages(project: Project) -> list[str]:
    inits = {
        pf.path.rsplit("/", 1)[0] for pf in project.python_of(FileKind.LIBRARY) if pf.path.endswith("/__init__.py")
    }
    # a package under any package's folder (through a folder without __init__.py too) ships with that package
    return sorted(d for d in inits if not any(d.startswith(other + "/") for other in inits))


def _is_installable(project: Project) -> bool:
    return (
        "project" in _toml(project, "pyproject.toml") or project.has_file("setup.py") or project.has_file("setup.cfg")
    )


@register
class MissingPyTyped(Rule):
    """Notes an installable, annotated package that does not ship a `py.typed` marker.

    ## What it does
    For each top-level package of an installable project (pyproject `[project]`, setup.py
    or setup.cfg) whose code is at least half annotated, checks for a `py.typed` file.

    ## Why is this bad?
    Without the PEP 561 marker, type checkers in projects that install the package ignore
    its annotations and treat every import as `Any`.

    ## Example
    ```text
    src/churn/__init__.py
    src/churn/features.py
    ```

    ## Use instead
    ```text
    src/churn/__init__.py
    src/churn/py.typed
    ```
    """

    code = "TYP006"
    title = "Annotated package without py.typed"
    practice = "typing"
    severity = Severity.INFO
    fix = "Add an empty py.typed file to the package and include it in the package data."

    def check(self, project: Project) -> Iterator[Output]:
        if not _is_installable(project) or annotation_coverage(project).share() < 0.5:
            return
        for package in _top_packages(project):
            if not project.has_file(f"{package}/py.typed"):
                yield Hit(f"{package}/__init__.py", None, f"Package {package} has no py.typed marker")
