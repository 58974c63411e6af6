"""Provides rule LAY006: Notebook outside a notebooks folder."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.kind import EXAMPLE_PARTS
from mlaudit.facts.layout_intent import in_notebook_folder, is_teaching_notebook
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.layout._shared import _in_package, _notebooks, package_dirs

# Notebook folders, and the teaching folders (docs, examples, tutorials, demos) that keep notebooks apart from the code.
NOTEBOOK_DIRS = frozenset({"notebooks", "notebook", "nbs"}) | EXAMPLE_PARTS


@register
class NotebookOutsideNotebooksFolder(Rule):
    """Flags notebooks lying among the code instead of in a notebooks/ folder.

    ## What it does
    Reports notebooks outside `notebooks/` (or any folder named like `*notebooks*`, `docs/`,
    `examples/`, `tutorials/`, `demo/`); tutorial, example and demo notebooks next to the code they
    teach are fine.

    ## Why is this bad?
    Notebooks next to modules blur what is exploration and what is the product; they end up
    imported, copied from and run in production.

    ## Example
    ```text
    repo/EDA.ipynb  repo/train_final_v2.ipynb
    ```

    ## Use instead
    ```text
    repo/notebooks/01_eda.ipynb
    ```
    """

    code = "LAY006"
    title = "Notebook outside a notebooks folder"
    practice = "layout"
    severity = Severity.WARNING
    fix = "Move exploratory notebooks into notebooks/ (numbered, e.g. 01_eda.ipynb) and code into the package."
    weight = 5
    cap = 15

    def check(self, project: Project) -> Iterator[Output]:
        packages = package_dirs(project)
        for pf in _notebooks(project):
            if {part.lower() for part in pf.path.split("/")[:-1]} & NOTEBOOK_DIRS or _in_package(pf.path, packages):
                continue
            if not in_notebook_folder(pf.path) and not is_teaching_notebook(pf.path):
                yield Hit(pf.path, None, f"Notebook {pf.path} is not in a notebooks/ folder")
