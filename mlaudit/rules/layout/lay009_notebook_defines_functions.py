"""Provides rule LAY009: Notebook defines functions that belong in modules."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.facts.kind import is_example
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.layout._shared import _notebooks


@register
class NotebookDefinesFunctions(Rule):
    """Flags notebooks that define many functions or classes.

    ## What it does
    Counts top-level `def` and `class` statements in a notebook's code cells; three or more
    (threshold `notebook_definitions`) is a finding. Notebooks in example, tutorial and docs
    folders are teaching material, self-contained on purpose: an info note there.

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
        for pf in _notebooks(project):
            defs = [n for n in pf.tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)]
            if len(defs) >= limit:
                names = ", ".join(d.name for d in defs[:5]) + (", ..." if len(defs) > 5 else "")
                message = f"{pf.path} defines {len(defs)} functions/classes ({names})"
                if is_example(pf.path):
                    note = " (a tutorial notebook: self-contained by design)"
                    yield Hit(pf.path, defs[0].lineno, message + note, Severity.INFO)
                else:
                    yield Hit(pf.path, defs[0].lineno, message)
