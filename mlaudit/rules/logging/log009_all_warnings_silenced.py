"""Provides rule LOG009: Every warning silenced process-wide."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.model import FileKind, Severity
from mlaudit.project import PythonFile
from mlaudit.registry import FileRule, Hit, register

FILTER_CALLS = frozenset({"warnings.filterwarnings", "warnings.simplefilter"})
_NARROWING = frozenset({"category", "message", "module", "lineno"})


def _ignores_everything(call: ast.Call) -> bool:
    """Return True for `filterwarnings("ignore")`/`simplefilter("ignore")` with nothing that narrows it."""
    action = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "action"), None)
    if not (isinstance(action, ast.Constant) and action.value == "ignore"):
        return False
    return len(call.args) <= 1 and not any(kw.arg in _NARROWING or kw.arg is None for kw in call.keywords)


def _scoped(pf: PythonFile, node: ast.AST) -> bool:
    """Return True when the call runs inside `with warnings.catch_warnings():`, which restores the filters."""
    parent = pf.parent(node)
    while parent is not None:
        if isinstance(parent, ast.With | ast.AsyncWith):
            for item in parent.items:
                expr = item.context_expr
                if isinstance(expr, ast.Call) and pf.call_name(expr) == "warnings.catch_warnings":
                    return True
        parent = pf.parent(parent)
    return False


def blanket_filters(pf: PythonFile) -> Iterator[ast.Call]:
    """Yield calls that ignore every warning for the rest of the process."""
    for call in pf.nodes(ast.Call):
        if pf.call_name(call) in FILTER_CALLS and _ignores_everything(call) and not _scoped(pf, call):
            yield call


@register
class AllWarningsSilenced(FileRule):
    """Notes `warnings.filterwarnings("ignore")` with no category, message or module, outside `catch_warnings()`.

    ## What it does
    Finds `warnings.filterwarnings("ignore")` and `warnings.simplefilter("ignore")` calls in
    library and script code that name no warning category, message or module and are not
    scoped by `with warnings.catch_warnings():`. Notebooks are left alone.

    ## Why is this bad?
    Every warning of every library is gone for the rest of the process: a
    `ConvergenceWarning`, a NaN `RuntimeWarning`, a deprecation that will change results in
    the next release. In a library it also silences the caller's own warnings.

    ## Example
    ```python
    warnings.filterwarnings("ignore")
    ```

    ## Use instead
    ```python
    warnings.filterwarnings("ignore", category=FutureWarning, module="sklearn")
    ```
    """

    code = "LOG009"
    file_kinds = (FileKind.LIBRARY, FileKind.SCRIPT)
    title = "Every warning silenced process-wide"
    practice = "logging"
    severity = Severity.INFO
    fix = "Ignore only the warning you mean (category=, message=, module=), or scope it with warnings.catch_warnings()."
    scoring = "flat"
    weight = 1
    cap = 3

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        for call in blanket_filters(pf):
            name = pf.call_name(call) or "warnings.filterwarnings"
            fn = pf.enclosing_function(call)
            where = f"in {fn.name}()" if fn is not None else "at module level"
            yield Hit(pf.path, call.lineno, f"{name}('ignore') {where} silences every warning of the process")
