"""Provides where a value comes from, for rules whose severity depends on it: a string checked
to be digits, or data that arrived with a web request / serverless event.
"""

from __future__ import annotations

import ast

from mlaudit.project import PythonFile
from mlaudit.rules.production._shared import ROUTE_METHODS

_DIGIT_CHECKS = frozenset({"isnumeric", "isdigit", "isdecimal"})
_REQUEST_NAMES = frozenset({"request", "req", "event", "payload", "body", "form", "query_params"})


def _checks_digits(test: ast.expr, name: str) -> bool:
    """Return True for `name.isnumeric()` (or isdigit/isdecimal), alone or in an `and`."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_checks_digits(v, name) for v in test.values)
    return (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Attribute)
        and test.func.attr in _DIGIT_CHECKS
        and isinstance(test.func.value, ast.Name)
        and test.func.value.id == name
    )


def _within(node: ast.AST, roots: list[ast.stmt] | ast.expr) -> bool:
    parts = roots if isinstance(roots, list) else [roots]
    return any(node is sub for root in parts for sub in ast.walk(root))


def digits_only(pf: PythonFile, call: ast.Call, arg: ast.expr) -> bool:
    """Return True when `arg` is a name the code has just checked to be all digits (`eval(s)` is `int(s)`)."""
    if not isinstance(arg, ast.Name):
        return False
    for anc in pf.ancestors(call):
        if isinstance(anc, ast.IfExp) and _checks_digits(anc.test, arg.id) and _within(call, anc.body):
            return True
        if isinstance(anc, ast.If) and _checks_digits(anc.test, arg.id) and _within(call, anc.body):
            return True
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef):
            return False
    return False


def _is_handler(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Return True for web routes (`@app.post(...)`) and serverless handlers `(event, context)`."""
    if any(
        isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in ROUTE_METHODS
        for d in func.decorator_list
    ):
        return True
    names = [a.arg for a in func.args.args]
    return names[:2] == ["event", "context"]


def carries_request_data(pf: PythonFile, call: ast.Call, value: ast.expr | None) -> bool:
    """Return True when `value` is built inside a request handler or from request-like names."""
    func = pf.enclosing_function(call)
    if func is not None and _is_handler(func):
        return True
    if value is None:
        return False
    return any(isinstance(n, ast.Name) and n.id in _REQUEST_NAMES for n in ast.walk(value))
