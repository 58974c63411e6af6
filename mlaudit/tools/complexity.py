"""Provides radon's cyclomatic complexity and maintainability index on already-parsed ASTs.

Nothing here re-reads or re-parses a file: radon's own visitors (`ComplexityVisitor`,
`HalsteadVisitor`) run on the tree the project already parsed, so complexities, ranks and
Halstead volumes are radon's numbers. The maintainability index is radon's `mi_compute`
(multi-line strings counted as comments, as `radon mi -m`) with its raw counts taken from
the file's lines instead of a second tokenisation, which costs as much as parsing:
comment lines and non-blank docstring lines as radon counts them, and logical lines as
the number of statements (radon counts tokens; on scikit-learn's modules the index differs
from `radon mi -m` by 0.8 on average, at most 5, on a 0-100 scale).
"""

from __future__ import annotations

import ast
import contextlib
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from radon.metrics import h_visit_ast, mi_compute
from radon.visitors import CodeVisitor, ComplexityVisitor

from mlaudit.project import _CHILD_FIELDS, NODE_LIST, ONE_NODE, child_fields

if TYPE_CHECKING:
    from mlaudit.project import FunctionNode, PythonFile

_STATEMENTS: tuple[type[ast.AST], ...] = tuple(
    cls for cls in vars(ast).values() if isinstance(cls, type) and issubclass(cls, ast.stmt) and cls is not ast.stmt
)
RANKS = ((5, "A"), (10, "B"), (20, "C"), (30, "D"), (40, "E"))
_DISPATCH: dict[tuple[type, type], Any] = {}


def _visit(self: Any, node: ast.AST) -> Any:
    """`ast.NodeVisitor.visit` with the method looked up once per (visitor class, node class)."""
    key = (type(self), type(node))
    method = _DISPATCH.get(key)
    if method is None:
        cls = type(self)
        method = _DISPATCH[key] = getattr(cls, "visit_" + type(node).__name__, cls.generic_visit)
    return method(self, node)


def _visit_children(self: Any, node: ast.AST) -> None:
    """`ast.NodeVisitor.generic_visit` over the fields that hold nodes, as the grammar says (`child_fields`).

    Shared singletons (`Load`, `Add`, `Eq`) are skipped: radon's visitors read `node.op` / `node.ops`
    by name and have no visit method for them. Inside `pruned(pf)` only children that are or hold
    a node radon counts are visited (`_COUNTED`): the others cannot change radon's figures.
    """
    keep = _PRUNE.keep
    fields = _CHILD_FIELDS.get(type(node))
    if fields is None:
        fields = child_fields(type(node))
    for name, kind in fields:
        value = getattr(node, name, None)
        if kind == NODE_LIST:
            for item in value or ():
                if item is not None and (keep is None or item in keep):
                    self.visit(item)
        elif kind == ONE_NODE:
            if value is not None and (keep is None or value in keep):
                self.visit(value)
        elif type(value) is list:
            for item in value:
                if isinstance(item, ast.AST) and (keep is None or item in keep):
                    self.visit(item)
        elif isinstance(value, ast.AST) and (keep is None or value in keep):
            self.visit(value)


# Every node type whose visit changes the state of radon's `ComplexityVisitor` or `HalsteadVisitor`
# (radon 6.0.1; the test `test_pruned_traversal_gives_radon_s_unpatched_numbers` fails when a
# radon release counts another type). The complexity visitor counts `Try`, `BoolOp`, `If`, `IfExp`,
# `Match`, `For`, `While`, `AsyncFor` and `comprehension` in `generic_visit`, `Assert` in
# `visit_Assert`, and opens new blocks for functions and classes; the Halstead visitor counts
# operators and operands of `BinOp`, `UnaryOp`, `BoolOp`, `AugAssign` and `Compare` (a function
# only opens a context for the operands counted inside it). Every other node only passes the visit
# on to its children (the complexity visitor also records its line for the blocks' end lines, which
# mlaudit does not read). Each visitor skips what only the other one counts.
COMPLEXITY_COUNTED: tuple[type[ast.AST], ...] = (
    ast.Try,
    ast.BoolOp,
    ast.If,
    ast.IfExp,
    ast.Match,
    ast.For,
    ast.While,
    ast.AsyncFor,
    ast.comprehension,
    ast.Assert,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
)
HALSTEAD_COUNTED: tuple[type[ast.AST], ...] = (ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.AugAssign, ast.Compare)
_COUNTED = (*COMPLEXITY_COUNTED, *HALSTEAD_COUNTED)


class _Prune(threading.local):
    keep: set[ast.AST] | None = None
    tree: ast.Module | None = None
    counted: tuple[type[ast.AST], ...] = ()


_PRUNE = _Prune()


def counted_subtrees(pf: PythonFile, counted: tuple[type[ast.AST], ...] = _COUNTED) -> set[ast.AST]:
    """Return the nodes of a file that radon's visitors must visit: each counted node and its ancestors.

    A subtree holding no counted node (`counted`, by default what either visitor counts) adds
    nothing to any figure, so a visit that skips it leaves complexities, blocks and Halstead counts
    exactly as radon computes them.
    """
    keep: set[ast.AST] = set()
    parent = pf.parent
    for kind in counted:
        for node in pf.nodes(kind):
            current: ast.AST | None = node
            while current is not None and current not in keep:
                keep.add(current)
                current = parent(current)
    return keep


@contextlib.contextmanager
def pruned(pf: PythonFile, counted: tuple[type[ast.AST], ...] = _COUNTED) -> Iterator[None]:
    """Within this block, radon's visitors skip the subtrees of `pf` that hold no node of `counted`."""
    if _PRUNE.tree is pf.tree and _PRUNE.counted == counted:  # already pruning this file so
        yield
        return
    before = _PRUNE.keep, _PRUNE.tree, _PRUNE.counted
    _PRUNE.keep, _PRUNE.tree, _PRUNE.counted = counted_subtrees(pf, counted), pf.tree, counted
    try:
        yield
    finally:
        _PRUNE.keep, _PRUNE.tree, _PRUNE.counted = before


def _visit_constant(self: Any, node: ast.AST) -> Any:
    """Visit a constant like any node (radon's visitors have no `visit_Num`/`visit_Str` to forward to)."""
    return self.generic_visit(node)


# radon's own visitors, traversed about twice as fast: the same nodes in the same order, so the same numbers.
CodeVisitor.visit = _visit
CodeVisitor.generic_visit = _visit_children
CodeVisitor.visit_Constant = _visit_constant


@dataclass(frozen=True)
class FunctionMetrics:
    """Size and complexity of one function or method."""

    name: str
    line: int
    complexity: int
    code_lines: int  # the whole body, nested definitions included
    parameters: int
    own_lines: int = 0  # the function's own statements (`own_code_lines`): each line of a file counted once
    guard_paths: int = 0  # the paths of its raise-only guard clauses (`guard_paths`), inside `complexity`

    @property
    def branching(self) -> int:
        """Return the complexity the logic has beyond its precondition checks: radon's, less the paths of the
        raise-only guard clauses in the body's top level (a flat run of `if bad: raise ValueError(...)`)."""
        return self.complexity - self.guard_paths


@dataclass(frozen=True)
class ModuleMetrics:
    """Complexity figures of one module: its functions and its maintainability index."""

    path: str
    functions: tuple[FunctionMetrics, ...]
    total_complexity: int
    maintainability: float


def rank(complexity: int) -> str:
    """Return radon's letter rank for a cyclomatic complexity (A best, F worst)."""
    for ceiling, letter in RANKS:
        if complexity <= ceiling:
            return letter
    return "F"


def functions_of(pf: PythonFile) -> list[FunctionNode]:
    """Return every function and method of a file (sync first, then async)."""
    funcs: list[FunctionNode] = list(pf.nodes(ast.FunctionDef))
    funcs.extend(pf.nodes(ast.AsyncFunctionDef))
    return funcs


def function_complexities(pf: PythonFile, visitor: Any = None) -> dict[FunctionNode, int]:
    """Return radon's cyclomatic complexity of every function and method of a file."""
    scores: dict[FunctionNode, int] = {fn: 1 for fn in functions_of(pf)}
    by_position = {(fn.lineno, fn.col_offset): fn for fn in scores}
    for block in _radon_functions(visitor or _visitor(pf)):
        node = by_position.get((block.lineno, block.col_offset))
        if node is not None:
            scores[node] = int(block.complexity)
    return scores


def _visitor(pf: PythonFile) -> Any:
    with pruned(pf, COMPLEXITY_COUNTED):
        return ComplexityVisitor.from_ast(pf.tree)


def _radon_functions(visitor: Any) -> Iterator[Any]:
    """Yield radon's function blocks: functions, methods of (nested) classes, and closures."""
    pending: list[Any] = [*visitor.functions]
    classes: list[Any] = [*visitor.classes]
    while classes:
        cls = classes.pop()
        pending.extend(cls.methods)
        classes.extend(getattr(cls, "inner_classes", ()))
    while pending:
        block = pending.pop()
        pending.extend(getattr(block, "closures", ()))
        yield block


def parameter_count(fn: FunctionNode) -> int:
    """Return the number of named parameters, not counting `self`/`cls`, `*args` or `**kwargs`."""
    args = fn.args
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    if names and names[0] in {"self", "cls", "mcs", "metacls"}:
        names = names[1:]
    return len(names)


def function_code_lines(pf: PythonFile, fn: FunctionNode) -> int:
    """Return the code lines of a function body, nested definitions included (no blank lines, comments or docstring)."""
    counted = pf.line_counts.code_before
    return _counted_between(counted, _body_start(fn), fn.end_lineno or fn.lineno)


def own_code_lines(pf: PythonFile, fn: FunctionNode, nested: Iterable[FunctionNode | ast.ClassDef] = ()) -> int:
    """Return the code lines of a function's own body: a function or class defined inside it (`nested`, from
    `nested_definitions`), with its decorators and its signature, is its own, measured where it is defined (one
    line of it stays, as a statement of the host), so a decorator factory around one wrapper is short and a method
    registering route handlers (`@router.get("/items", openapi_extra={...})` over `async def list_items(limit:
    int = Query(100, le=1000)):`) is as long as its own statements."""
    counted = pf.line_counts.code_before
    own = _counted_between(counted, _body_start(fn), fn.end_lineno or fn.lineno)
    for inner in nested:
        start = min([inner.lineno, *(dec.lineno for dec in inner.decorator_list)])
        own -= max(_counted_between(counted, start, inner.end_lineno or inner.lineno) - 1, 0)
    return max(own, 0)


def nested_definitions(pf: PythonFile) -> dict[ast.AST, list[FunctionNode | ast.ClassDef]]:
    """Map each function to the functions and classes defined directly in its body (not inside those)."""
    found: dict[ast.AST, list[FunctionNode | ast.ClassDef]] = {}
    definitions: list[FunctionNode | ast.ClassDef] = [
        *pf.nodes(ast.FunctionDef),
        *pf.nodes(ast.AsyncFunctionDef),
        *pf.nodes(ast.ClassDef),
    ]
    for node in definitions:
        host = next(
            (a for a in pf.ancestors(node) if isinstance(a, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)),
            None,
        )
        if isinstance(host, ast.FunctionDef | ast.AsyncFunctionDef):
            found.setdefault(host, []).append(node)
    return found


def _body_start(fn: FunctionNode) -> int:
    """Return the first line of a function's body after its docstring."""
    first = fn.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        return (first.end_lineno or first.lineno) + 1
    return first.lineno


def _counted_between(counted: list[int], start: int, end: int) -> int:
    """Return the code lines from line `start` to line `end`, both included."""
    last = len(counted) - 1
    low, high = min(start - 1, last), min(end, last)  # as the slice `lines[start - 1 : end]`
    return counted[high] - counted[low] if high > low else 0


def halstead_volume(pf: PythonFile) -> float:
    """Return radon's Halstead volume of the whole file."""
    with pruned(pf, HALSTEAD_COUNTED):
        return float(h_visit_ast(pf.tree).total.volume)


def docstring_lines(pf: PythonFile) -> tuple[int, int]:
    """Return radon's `multi` (non-blank lines of multi-line docstrings) and one-line docstrings."""
    multi = single = 0
    owners: list[ast.Module | ast.ClassDef | FunctionNode] = [pf.tree, *pf.nodes(ast.ClassDef), *functions_of(pf)]
    lines = pf.lines
    for owner in owners:
        body = owner.body
        first = body[0] if body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            end = first.end_lineno or first.lineno
            if end == first.lineno:
                single += 1
            else:
                multi += sum(1 for line in lines[first.lineno - 1 : end] if line.strip())
    return multi, single


def maintainability_index(pf: PythonFile, total_complexity: int) -> float:
    """Return radon's maintainability index (0-100), raw counts taken from lines (module docs)."""
    lines = pf.lines
    counts = pf.line_counts
    blank, own_comments = counts.blank, counts.comments
    comments = own_comments + counts.trailing
    multi, single = docstring_lines(pf)
    sloc = len(lines) - blank - own_comments - single - multi
    logical = sum(len(pf.nodes(kind)) for kind in _STATEMENTS)
    if logical <= 0 or sloc <= 0:
        return 100.0
    percent = (comments + multi) * 100 / sloc
    return max(0.0, min(100.0, float(mi_compute(halstead_volume(pf), total_complexity, logical, percent))))


def function_label(pf: PythonFile, fn: FunctionNode) -> str:
    """Return `Class.method` for methods and the plain name for functions."""
    owner = pf.parent(fn)
    return f"{owner.name}.{fn.name}" if isinstance(owner, ast.ClassDef) else fn.name


def module_metrics(pf: PythonFile) -> ModuleMetrics:
    """Return the complexity, size and maintainability figures of one parsed file."""
    visitor = _visitor(pf)
    complexities = function_complexities(pf, visitor)
    nested = nested_definitions(pf)
    functions = tuple(
        FunctionMetrics(
            name=function_label(pf, fn),
            line=fn.lineno,
            complexity=score,
            code_lines=function_code_lines(pf, fn),
            parameters=parameter_count(fn),
            own_lines=own_code_lines(pf, fn, nested.get(fn, ())),
            guard_paths=guard_paths(fn),
        )
        for fn, score in complexities.items()
    )
    total = int(visitor.total_complexity)
    return ModuleMetrics(pf.path, functions, total, maintainability_index(pf, total))


_BRANCHING = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.Try, ast.With, ast.AsyncWith, ast.Match)


def guard_paths(fn: FunctionNode) -> int:
    """Return the paths radon counts in the function's guard clauses: statements of the body's top level that
    test a condition and only raise (`if bad: raise ValueError(msg)`, the message built first or not, `elif`
    guards chained on), each path of the test (`if a or b:`) counted. A guard stops the call and rejoins nothing:
    a flat run of them reads as a list of preconditions, not as logic with paths to follow."""
    return sum(_guard_paths(stmt) for stmt in fn.body)


def _guard_paths(stmt: ast.stmt) -> int:
    """Return the paths of a raise-only guard clause (and its `elif` guards), 0 for any other statement."""
    if not isinstance(stmt, ast.If) or not _raises_only(stmt.body):
        return 0
    chained = 0
    if stmt.orelse:
        chained = _guard_paths(stmt.orelse[0]) if len(stmt.orelse) == 1 else 0
        if not chained:
            return 0  # an `else` that goes on with other work makes the `if` a fork, not a guard
    tests = sum(len(node.values) - 1 for node in ast.walk(stmt.test) if isinstance(node, ast.BoolOp))
    return 1 + tests + chained


def _raises_only(body: list[ast.stmt]) -> bool:
    """Return True for a straight block that ends in a raise (`msg = f"..."` then `raise ValueError(msg)`)."""
    return isinstance(body[-1], ast.Raise) and not any(isinstance(stmt, _BRANCHING) for stmt in body)
