"""Provides rule LOG008: Caught error logged without its traceback."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.model import FileKind, Severity
from mlaudit.project import PythonFile
from mlaudit.registry import FileRule, Hit, register
from mlaudit.rules.logging._shared import _is_logger
from mlaudit.rules.logging.log007_swallowed_exception import _handler_type

ERROR_METHODS = frozenset({"error", "critical", "fatal"})
EXITS = frozenset({"sys.exit", "os._exit"})


def _statements(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """Yield every node of a handler body, without entering nested functions or classes."""
    todo: list[ast.AST] = list(body)
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            todo.extend(ast.iter_child_nodes(node))


def _mentions(call: ast.Call, name: str) -> bool:
    """Return True when the call's arguments use the caught exception (`{e}`, `str(e)`, `e`)."""
    return any(isinstance(n, ast.Name) and n.id == name for arg in call.args for n in ast.walk(arg))


def dropped_tracebacks(pf: PythonFile) -> Iterator[tuple[ast.ExceptHandler, ast.Call]]:
    """Yield (handler, call) for `logger.error(f"... {e}")` in a broad handler that neither re-raises nor passes exc_info."""
    for handler in pf.nodes(ast.ExceptHandler):
        if handler.name is None or _handler_type(pf, handler) is None:
            continue
        nodes = list(_statements(handler.body))
        if any(isinstance(n, ast.Raise) or (isinstance(n, ast.Call) and pf.call_name(n) in EXITS) for n in nodes):
            continue  # re-raised (the traceback reaches whoever handles it), or a command's error message and exit
        for node in nodes:
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in ERROR_METHODS or not _is_logger(pf, node.func.value):
                continue
            if any(kw.arg in {"exc_info", "stack_info"} or kw.arg is None for kw in node.keywords):
                continue
            if _mentions(node, handler.name):
                yield handler, node
                break


@register
class TracebackDropped(FileRule):
    """Notes broad `except` blocks that log the error's message at error level but not its traceback.

    ## What it does
    Finds `except Exception as e:` (or bare/`BaseException`) blocks that call
    `logger.error(...)`/`critical(...)` with the exception in the message (`f"failed: {e}"`,
    `str(e)`), pass no `exc_info`, and neither re-raise nor exit (a command that reports the
    error to its user and exits with a failure status has said what it needs to).

    ## Why is this bad?
    An unexpected error is reduced to one line such as `failed: 'NoneType' object is not
    subscriptable`: where it happened is gone, and the failed batch, request or checkpoint
    cannot be debugged from the logs of the run that hit it.

    ## Example
    ```python
    try:
        save_checkpoint(model, path)
    except Exception as e:
        logger.error(f"could not save checkpoint: {e}")
    ```

    ## Use instead
    ```python
    try:
        save_checkpoint(model, path)
    except Exception:
        logger.exception("could not save checkpoint to %s", path)
    ```
    """

    code = "LOG008"
    file_kinds = (FileKind.LIBRARY, FileKind.SCRIPT)
    title = "Caught error logged without its traceback"
    practice = "logging"
    severity = Severity.INFO
    fix = "Use logger.exception(...) (or exc_info=True) in the except block so the traceback is kept."

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        for _handler, call in dropped_tracebacks(pf):
            shown = ast.unparse(call.func)
            fn = pf.enclosing_function(call)
            where = f"in {fn.name}()" if fn is not None else "at module level"
            message = f"{shown}() {where} logs the caught error without its traceback"
            yield Hit(pf.path, call.lineno, message)
