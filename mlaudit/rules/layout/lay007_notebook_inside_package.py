"""Provides rule LAY007: Notebook inside the package."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.kind import in_test_folder
from mlaudit.facts.package_roots import declares_package_data
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.layout._shared import _in_package, _notebooks, _parent, package_dirs


@register
class NotebookInsidePackage(Rule):
    """Flags notebooks inside the importable package.

    ## What it does
    Reports `.ipynb` files under a folder holding an `__init__.py`. A notebook in a test or
    fixture folder (`tests/data/`) is a test's input, not code, and is left out. A notebook the packaging
    metadata declares as package data (`[tool.setuptools.package-data] "pkg" = ["*.ipynb"]`, setup.py
    `package_data`) is shipped on purpose, as a course or a template the package installs: an info note.

    ## Why is this bad?
    They get shipped in the wheel, and their code cannot be imported or tested like the
    modules around them.

    ## Example
    ```text
    src/churn/explore.ipynb
    ```

    ## Use instead
    ```text
    notebooks/explore.ipynb   # importing from churn
    ```
    """

    code = "LAY007"
    title = "Notebook inside the package"
    practice = "layout"
    severity = Severity.WARNING
    fix = "Move the notebook to notebooks/ and import the package from it."

    def check(self, project: Project) -> Iterator[Output]:
        packages = package_dirs(project)
        for pf in _notebooks(project):
            if _in_package(pf.path, packages) and not in_test_folder(pf.path):
                message = f"Notebook {pf.path} sits inside the package {_parent(pf.path)}/"
                if declares_package_data(project, pf.path):
                    yield Hit(pf.path, None, message + " (declared as package data: shipped on purpose)", Severity.INFO)
                else:
                    yield Hit(pf.path, None, message)
