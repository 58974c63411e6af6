"""Provides rule API004: Global mutable state changed in functions."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import FunctionNode, PythonFile
from mlaudit.registry import FileRule, Hit, register
from mlaudit.rules.interfaces._shared import CODE_KINDS


def _lazy_init(pf: PythonFile, func: FunctionNode, name: str) -> bool:
    """Return True when the function only assigns `name` under `if name is None:` (a lazy singleton)."""
    stores = [
        n
        for n in pf.nodes(ast.Name)
        if n.id == name and isinstance(n.ctx, ast.Store) and pf.enclosing_function(n) is func
    ]
    return bool(stores) and all(_under_none_check(pf, n, name) for n in stores)


def _under_none_check(pf: PythonFile, node: ast.AST, name: str) -> bool:
    for anc in pf.ancestors(node):
        if isinstance(anc, ast.If) and isinstance(anc.test, ast.Compare):
            test = anc.test
            if isinstance(test.left, ast.Name) and test.left.id == name and isinstance(test.ops[0], ast.Is):
                return True
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef):
            return False
    return False


SETTER_PREFIXES = ("set_", "enable_", "disable_", "use_", "configure")


def _restoring_context_manager(pf: PythonFile, func: FunctionNode) -> bool:
    """Return True inside a class with `__exit__`: it sets a flag for a `with` block and restores it."""
    owner = pf.parent(func)
    return isinstance(owner, ast.ClassDef) and any(
        isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef) and s.name in ("__exit__", "__aexit__")
        for s in owner.body
    )


@register
class GlobalMutableState(FileRule):
    """Flags module state changed from functions through `global`.

    ## What it does
    Finds `global NAME` statements in library and script functions. A lazy singleton
    (`if _model is None: _model = load()`) is reported as info only; a context manager class
    (with `__exit__`) that sets a module flag for a `with` block is not reported, and a
    deliberate option setter (`set_fused_attn(True)`) is an info note.

    ## Why is this bad?
    Hidden state makes results depend on call order: a second training run in the same process
    starts from the first one's "best model", tests interfere with each other, and threads race.

    ## Example
    ```python
    best_model = None

    def update_best(model, score):
        global best_model
        best_model = model
    ```

    ## Use instead
    ```python
    @dataclass
    class BestTracker:
        model: Model | None = None
        score: float = float("-inf")
    ```
    """

    code = "API004"
    file_kinds = CODE_KINDS
    title = "Global mutable state changed in functions"
    practice = "interfaces"
    severity = Severity.WARNING
    fix = "Keep the state in an object you pass around (or return it) instead of rebinding a module global."

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        for node in pf.nodes(ast.Global):
            func = pf.enclosing_function(node)
            if func is not None and _restoring_context_manager(pf, func):
                continue
            where = f"{func.name}()" if func else "module level"
            setter = func is not None and func.name.lstrip("_").startswith(SETTER_PREFIXES)
            for name in node.names:
                lazy = func is not None and _lazy_init(pf, func, name)
                note = " (lazy initialisation)" if lazy else " (a setter of a module-wide option)" if setter else ""
                yield Hit(
                    pf.path,
                    node.lineno,
                    f"global {name} rebound in {where}{note}",
                    severity=Severity.INFO if lazy or setter else None,
                )
