"""Provides cyclomatic complexity, function size and a cheap maintainability index from parsed ASTs.

Nothing here re-reads, re-parses or re-tokenises a file: every figure comes from the file's shared
node index (`PythonFile.nodes`) and its already-split lines.

Cyclomatic complexity follows radon's counting (1 per function, +1 per `if`, `elif`, ternary,
loop, loop `else`, `except`, `try ... else`, comprehension and comprehension `if`, `case`, extra
boolean operand and `assert`); nested functions are counted on their own, not in their parent.

The maintainability index uses radon's formula with cheap stand-ins for its inputs:

    MI = max(0, 100 * (171 - 5.2 ln V - 0.23 G - 16.2 ln L + 50 sin(sqrt(2.4 C))) / 171)

where L is the number of code lines (not blank, not comment), G the module's total cyclomatic
complexity, C the share of comment lines (0-1, as radon passes it in radians) and V a Halstead
volume `N log2 n` approximated from node counts: N = operator nodes (BinOp, UnaryOp, BoolOp,
Compare, AugAssign) + operand nodes (Name, Constant), n = distinct operator node types +
distinct names + 1.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mlaudit.project import FunctionNode, PythonFile

_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_BRANCHES = (ast.If, ast.IfExp, ast.Assert)
_OPERATORS: tuple[type[ast.AST], ...] = (ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.AugAssign)
_DECISION_TYPES: tuple[type[ast.AST], ...] = (
    *_LOOPS,
    *_BRANCHES,
    ast.Try,
    ast.TryStar,
    ast.BoolOp,
    ast.comprehension,
    ast.Match,
)
RANKS = ((5, "A"), (10, "B"), (20, "C"), (30, "D"), (40, "E"))


@dataclass(frozen=True)
class FunctionMetrics:
    """Size and complexity of one function or method."""

    name: str
    line: int
    complexity: int
    code_lines: int
    parameters: int


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


def decision_points(node: ast.AST) -> int:
    """Return how many paths one node adds to its function's cyclomatic complexity."""
    if isinstance(node, _LOOPS):
        return 1 + bool(node.orelse)
    if isinstance(node, _BRANCHES):
        return 1
    if isinstance(node, ast.Try | ast.TryStar):
        return len(node.handlers) + bool(node.orelse)
    if isinstance(node, ast.BoolOp):
        return len(node.values) - 1
    if isinstance(node, ast.comprehension):
        return 1 + len(node.ifs)
    if isinstance(node, ast.Match):
        wildcard = any(isinstance(c.pattern, ast.MatchAs) and c.pattern.pattern is None for c in node.cases)
        return max(0, len(node.cases) - wildcard)
    return 0


def functions_of(pf: PythonFile) -> list[FunctionNode]:
    """Return every function and method of a file (sync first, then async)."""
    funcs: list[FunctionNode] = list(pf.nodes(ast.FunctionDef))
    funcs.extend(pf.nodes(ast.AsyncFunctionDef))
    return funcs


def function_complexities(pf: PythonFile) -> dict[FunctionNode, int]:
    """Return the cyclomatic complexity of every function and method of a file, in one pass."""
    scores: dict[FunctionNode, int] = {fn: 1 for fn in functions_of(pf)}
    for kind in _DECISION_TYPES:
        for node in pf.nodes(kind):
            owner = pf.enclosing_function(node)
            if owner is not None and _in_body(pf.parent(node) if isinstance(node, ast.comprehension) else node, owner):
                scores[owner] += decision_points(node)
    return scores


def _in_body(node: ast.AST | None, fn: FunctionNode) -> bool:
    """Return False for nodes in a function's decorators, defaults or annotations."""
    first = fn.body[0]
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0)) >= (first.lineno, first.col_offset)


def parameter_count(fn: FunctionNode) -> int:
    """Return the number of named parameters, not counting `self`/`cls`, `*args` or `**kwargs`."""
    args = fn.args
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    if names and names[0] in {"self", "cls", "mcs", "metacls"}:
        names = names[1:]
    return len(names)


def function_code_lines(pf: PythonFile, fn: FunctionNode) -> int:
    """Return the code lines of a function body (no blank lines, comments or docstring)."""
    first = fn.body[0]
    start = first.lineno
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        start = (first.end_lineno or first.lineno) + 1
    end = fn.end_lineno or fn.lineno
    body = pf.lines[start - 1 : end]
    return sum(1 for line in body if line.strip() and not line.lstrip().startswith("#"))


def halstead_volume(pf: PythonFile) -> float:
    """Return an approximate Halstead volume `N log2 n` from the file's operator nodes."""
    operators = 0
    operands = 0
    kinds: set[type[ast.AST]] = set()
    for kind in _OPERATORS:
        for node in pf.nodes(kind):
            arity = _arity(node)
            operators += max(1, arity - 1)
            operands += arity
            op: ast.AST = getattr(node, "op", node)
            kinds.add(type(op))
    if not operators:
        return 0.0
    distinct_operands = min(operands, len({n.id for n in pf.nodes(ast.Name)}))
    vocabulary = len(kinds) + distinct_operands
    return (operators + operands) * math.log2(max(vocabulary, 2))


def _arity(node: ast.AST) -> int:
    if isinstance(node, ast.BoolOp):
        return len(node.values)
    if isinstance(node, ast.Compare):
        return 1 + len(node.comparators)
    return 1 if isinstance(node, ast.UnaryOp) else 2


def docstring_lines(pf: PythonFile) -> int:
    """Return the lines taken by module, class and function docstrings."""
    total = 0
    owners: list[ast.Module | ast.ClassDef | FunctionNode] = [pf.tree, *pf.nodes(ast.ClassDef), *functions_of(pf)]
    for owner in owners:
        body = owner.body
        first = body[0] if body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            total += (first.end_lineno or first.lineno) - first.lineno + 1
    return total


def maintainability_index(pf: PythonFile, total_complexity: int) -> float:
    """Return radon's maintainability index (0-100) computed from cheap counts (see module docs)."""
    docs = docstring_lines(pf)
    logical = pf.code_lines - docs
    if logical <= 0:
        return 100.0
    nonblank = sum(1 for line in pf.lines if line.strip())
    comment_percent = 100 * (nonblank - pf.code_lines + docs) / nonblank
    volume = max(halstead_volume(pf), 1.0)
    raw = 171 - 5.2 * math.log(volume) - 0.23 * total_complexity - 16.2 * math.log(logical)
    raw += 50 * math.sin(math.sqrt(2.46 * math.radians(comment_percent)))
    return max(0.0, min(100.0, raw * 100 / 171))


def function_label(pf: PythonFile, fn: FunctionNode) -> str:
    """Return `Class.method` for methods and the plain name for functions."""
    owner = pf.parent(fn)
    return f"{owner.name}.{fn.name}" if isinstance(owner, ast.ClassDef) else fn.name


def module_metrics(pf: PythonFile) -> ModuleMetrics:
    """Return the complexity, size and maintainability figures of one parsed file."""
    complexities = function_complexities(pf)
    functions = tuple(
        FunctionMetrics(
            name=function_label(pf, fn),
            line=fn.lineno,
            complexity=score,
            code_lines=function_code_lines(pf, fn),
            parameters=parameter_count(fn),
        )
        for fn, score in complexities.items()
    )
    total = sum(complexities.values())
    return ModuleMetrics(pf.path, functions, total, maintainability_index(pf, total))
