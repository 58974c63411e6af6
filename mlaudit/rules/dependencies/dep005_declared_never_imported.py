"""Provides rule DEP005: Declared dependency never imported."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.dependencies._shared import _has_code, _mapping_pairs, _never_imported


@register
class DeclaredNeverImported(Rule):
    """Notes runtime dependencies that no module, script, notebook or test imports.

    ## What it does
    Lists runtime (non-dev) distributions whose import names appear nowhere in the code.
    Tools, stubs, servers and backends used without an import (pytest, mypy, uvicorn,
    pyarrow, openpyxl, ...) are left out, and so is a module the code names in a string it
    hands a library: a backend or engine picked by name (`to_excel(path, engine="xlsxwriter")`,
    `mean(engine="numba")`) or the driver of a database URL (`"mysql+pymysql://..."`). A module
    named by a string given to `importlib.import_module` or to a lazy-import helper
    (`lazy_import("scipy.io")`) is imported, at run time.

    ## Why is this bad?
    Unused dependencies slow installs, bloat images and widen the attack surface; they are
    often leftovers of an abandoned experiment.

    ## Example
    ```text
    xgboost==2.0.3     # nothing imports xgboost any more
    ```

    ## Use instead
    ```text
    # remove it, or move it to the optional extra that uses it
    ```
    """

    code = "DEP005"
    title = "Declared dependency never imported"
    practice = "dependencies"
    severity = Severity.INFO
    fix = "Remove the unused dependency, or move it to the extra (optional-dependencies) that needs it."

    def check(self, project: Project) -> Iterator[Output]:
        if not _has_code(project):
            return
        _, paired = _mapping_pairs(project)
        for req in _never_imported(project):
            if req.name not in paired:
                yield Hit(req.path, req.line, f"{req.name} is declared in {req.path} but never imported")
