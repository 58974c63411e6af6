"""Provides rule API006: Function depends on objects loaded at import."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.model import FileKind, Severity
from mlaudit.project import FunctionNode, PythonFile
from mlaudit.registry import FileRule, Hit, register
from mlaudit.rules.functions._shared import SCRIPT_STYLE_EXEMPT_DIRS, import_time_work, module_level_statements

NOT_DEPENDENCIES = ("log", "app", "router", "parser", "console")


def import_time_objects(pf: PythonFile) -> dict[str, int]:
    """Return module-level names bound from calls in a module that does real work on import (name -> line)."""
    if not import_time_work(pf):
        return {}
    found: dict[str, int] = {}
    for stmt in module_level_statements(pf.tree.body):
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call | ast.Subscript):
            for target in stmt.targets:
                named = isinstance(target, ast.Name) and not target.id.isupper()
                if named and not target.id.lower().startswith(NOT_DEPENDENCIES):  # type: ignore[attr-defined]
                    found[target.id] = stmt.lineno  # type: ignore[attr-defined]
    return found


def hidden_dependencies(pf: PythonFile) -> Iterator[tuple[FunctionNode, list[str]]]:
    """Yield top-level functions that read objects the module builds or loads at import time."""
    objects = import_time_objects(pf)
    if not objects:
        return
    for func in pf.tree.body:
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        params = {a.arg for a in [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]}
        local = {n.id for n in ast.walk(func) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        used = sorted(
            {
                n.id
                for n in ast.walk(func)
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id in objects
            }
            - params
            - local
        )
        if used:
            yield func, used


HIDDEN_DEPENDENCIES_FACT = "interfaces.hidden_dependencies"  # a per-file fact (mlaudit.filefacts)


def file_hidden_dependencies(pf: PythonFile) -> tuple[tuple[str, int, tuple[str, ...]], ...]:
    """Return (function, line, names) of each top-level function reading objects built at import, for the
    capabilities that judge a cached module without its syntax tree."""
    return tuple((func.name, func.lineno, tuple(used)) for func, used in hidden_dependencies(pf))


@register
class ImportTimeDependency(FileRule):
    """Notes functions that use objects loaded at import time instead of receiving them.

    ## What it does
    In a module that does real work on import (loads weights, builds a model), finds top-level
    functions that read the module-level objects built there (`model`, `tokenizer`, `data`)
    rather than taking them as parameters or from a factory. Scripts in examples, docs and
    benchmarks folders, which run top to bottom by design, are left alone (as FUN007 leaves them).

    ## Why is this bad?
    The function cannot be used or tested without loading the real model, callers cannot swap
    in another predictor, and importing the module is slow and fails when the files are absent.

    ## Example
    ```python
    model = load_model("weights.pt")

    def get_response(text):
        return model(encode(text))
    ```

    ## Use instead
    ```python
    @dataclass(frozen=True)
    class Responder:
        model: Model

        def get_response(self, text: str) -> str:
            return self.model(encode(text))
    ```
    """

    code = "API006"
    title = "Function depends on objects loaded at import"
    practice = "interfaces"
    severity = Severity.INFO
    fix = "Pass the model (or a predictor object) in as a parameter, or build it in a factory called at start-up."

    file_kinds = (FileKind.LIBRARY, FileKind.SCRIPT)

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        if any(part in SCRIPT_STYLE_EXEMPT_DIRS for part in pf.path.split("/")[:-1]):
            return  # an example, doc or benchmark script runs top to bottom by design, as FUN007 allows
        for func, used in hidden_dependencies(pf):
            names = ", ".join(used[:4])
            yield Hit(pf.path, func.lineno, f"{func.name}() uses {names} loaded at import time")
            break
