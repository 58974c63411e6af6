"""Provides rule LAY009: Notebook defines functions that belong in modules."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.facts.kind import is_example, is_library
from mlaudit.model import Severity
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.layout._shared import _notebooks, _top_packages


@register
class NotebookDefinesFunctions(Rule):
    """Flags notebooks that define many functions or classes.

    ## What it does
    Counts top-level `def` and `class` statements in a notebook's code cells; three or more
    (threshold `notebook_definitions`) is a finding. Notebooks in example, tutorial and docs
    folders are teaching material, self-contained on purpose: an info note there, as are the notebooks of a
    published library that import its package (`import pyldavis` in `notebooks/newsgroups.ipynb`): they demo the
    package, and the helpers that prepare their demo data belong to the demo, not to the package.

    ## Why is this bad?
    Functions defined in a notebook get copy-pasted into the next notebook and drift; they
    belong in a module where they can be imported and tested.

    ## Example
    ```python
    # cell 4
    def clean(df): ...
    def add_features(df): ...
    class Model(nn.Module): ...
    ```

    ## Use instead
    ```python
    from churn.features import clean, add_features
    from churn.model import Model
    ```
    """

    code = "LAY009"
    title = "Notebook defines functions that belong in modules"
    practice = "layout"
    severity = Severity.WARNING
    fix = "Move the functions and classes into a package module and import them in the notebook."

    def check(self, project: Project) -> Iterator[Output]:
        limit = project.options.threshold("notebook_definitions", 3)
        packages = {folder.rsplit("/", 1)[-1] for folder in _top_packages(project)} if is_library(project) else set()
        for pf in _notebooks(project):
            defs = [n for n in pf.tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)]
            if len(defs) >= limit:
                names = ", ".join(d.name for d in defs[:5]) + (", ..." if len(defs) > 5 else "")
                message = f"{pf.path} defines {len(defs)} functions/classes ({names})"
                if is_example(pf.path):
                    note = " (a tutorial notebook: self-contained by design)"
                    yield Hit(pf.path, defs[0].lineno, message + note, Severity.INFO)
                elif _demos(pf, packages):
                    note = " (a demo of the library's package: its helpers prepare the demo's data)"
                    yield Hit(pf.path, defs[0].lineno, message + note, Severity.INFO)
                else:
                    yield Hit(pf.path, defs[0].lineno, message)


def _demos(pf: PythonFile, packages: set[str]) -> bool:
    """Return True for a notebook importing one of the published library's own packages: a demo of it."""
    return any(module.split(".", 1)[0] in packages for module in pf.imported_modules)
