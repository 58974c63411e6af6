"""Provides rule SRV003: assert used for request validation."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import FunctionNode, Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.production._shared import _routes


@register
class AssertInHandler(Rule):
    """Flags `assert` used to validate requests inside route handlers.

    ## What it does
    Finds `assert` statements in web route handlers that test what the client sent: a parameter
    no dependency fills, the `request` object, or a local taken from them. An assert on the
    server's own state (its config, a connection pool, a record looked up from its store, what a
    `Depends`/`Security` dependency returned) states an invariant, often narrowing a type for the
    type checker (`assert isinstance(pool, QueuePool)`): no request can make it fail.

    ## Why is this bad?
    Asserts vanish under `python -O`, and when they fire the client gets a 500 instead of a
    400 with a useful message.

    ## Example
    ```python
    assert len(body.texts) <= 64
    ```

    ## Use instead
    ```python
    if len(body.texts) > 64:
        raise HTTPException(status_code=413, detail="batch too large")
    ```
    """

    code = "SRV003"
    title = "assert used for request validation"
    practice = "production"
    severity = Severity.WARNING
    fix = "Validate with the request model (Field constraints) or raise HTTPException(400/422)."

    def check(self, project: Project) -> Iterator[Output]:
        for route in _routes(project):
            sent = _request_names(route.func)
            for node in route.pf.nodes(ast.Assert):
                if route.pf.enclosing_function(node) is route.func and _reads(node.test, sent):
                    shown = ast.unparse(node.test)[:50]
                    yield Hit(route.pf.path, node.lineno, f"assert {shown} in handler {route.func.name}()")


# what a parameter's default says about who fills it: a dependency (`auth: AuthContext = Security(authorize)`)
INJECTED = frozenset({"Depends", "Security"})


def _request_names(func: FunctionNode) -> frozenset[str]:
    """Return the handler's names that hold what the client sent: its parameters that no dependency fills, the
    `request` object, and the locals assigned from any of those (`data = request.json`, `texts = body.texts`)."""
    args = func.args
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    defaults = dict(zip([a.arg for a in args.posonlyargs + args.args][::-1], args.defaults[::-1], strict=False))
    defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None})
    names = {"request"} | {a.arg for a in params if a.arg not in {"self", "cls"} and not _injected(defaults.get(a.arg))}
    assigns = [node for node in ast.walk(func) if isinstance(node, ast.Assign | ast.AnnAssign)]
    for node in sorted(assigns, key=lambda node: (node.lineno, node.col_offset)):
        if node.value is not None and _carries(node.value, names):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {name for target in targets for name in _bound(target)}
    return frozenset(names)


def _bound(target: ast.expr) -> Iterator[str]:
    """Yield the names an assignment target binds (`a`, `a, b`), not the objects it writes into (`form.model`)."""
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, ast.Tuple | ast.List):
        for element in target.elts:
            yield from _bound(element.value if isinstance(element, ast.Starred) else element)


# calls that hand on what they are given (`int(request.args["k"])`, `list(body.texts)`)
CONVERSIONS = frozenset({"int", "float", "str", "bool", "list", "tuple", "dict", "set", "len", "sorted"})


def _carries(expr: ast.expr, names: set[str]) -> bool:
    """Return True when the value is the client's data: one of the names read as it is, through an attribute,
    an index, a method of it (`await request.json()`) or a conversion (`int(...)`). What another call returns
    for it (`store.get_schedule(schedule_id)`) is the server's record, not the request."""
    if isinstance(expr, ast.Name):
        return expr.id in names
    if isinstance(expr, ast.Call):
        func = expr.func
        converts = isinstance(func, ast.Name) and func.id in CONVERSIONS
        return _carries(func, names) or (converts and any(_carries(arg, names) for arg in expr.args))
    return any(_carries(child, names) for child in ast.iter_child_nodes(expr) if isinstance(child, ast.expr))


def _injected(default: ast.expr | None) -> bool:
    """Return True for a parameter filled by a dependency (`= Depends(get_db)`, `= Security(authorize)`)."""
    if not isinstance(default, ast.Call):
        return False
    func = default.func
    return (func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else "") in INJECTED


def _reads(expr: ast.expr, names: frozenset[str] | set[str]) -> bool:
    """Return True when the expression reads one of the names."""
    return any(isinstance(node, ast.Name) and node.id in names for node in ast.walk(expr))
