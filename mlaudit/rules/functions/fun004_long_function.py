"""Provides rule FUN004: Long function."""

from __future__ import annotations

import ast
import itertools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from mlaudit.model import Severity
from mlaudit.project import FunctionNode, Project, PythonFile
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.functions._shared import CODE_KINDS, _qualified, all_functions
from mlaudit.tools.complexity import functions_of, nested_definitions, own_code_lines

PARSER_DECLARATIONS = frozenset({"add_argument", "add_argument_group", "add_mutually_exclusive_group", "set_defaults"})
LENGTHS_FACT = "functions.lengths"  # a per-file fact (mlaudit.filefacts)
RECORD_VALUES = (ast.Constant, ast.Name, ast.Attribute, ast.UnaryOp, ast.Call, ast.Dict, ast.List, ast.Set, ast.Tuple)
BRANCHY = 20  # above this cyclomatic complexity (radon rank D and worse) a long function is an error


@dataclass(frozen=True)
class FunctionLength:
    """One function's size: its `Class.method` name, `def` line, code lines and how many of them are data."""

    name: str
    line: int
    code_lines: int
    data_lines: int


def function_lengths(pf: PythonFile) -> tuple[FunctionLength, ...]:
    """Return the size of every function and method of a file (sync first, then async)."""
    declarative = declaration_lines(pf)
    nested = nested_definitions(pf)
    return tuple(
        FunctionLength(
            _qualified(pf, fn), fn.lineno, own_code_lines(pf, fn, nested.get(fn, ())), len(declarative.get(fn, ()))
        )
        for fn in functions_of(pf)
    )


@register
class LongFunction(Rule):
    """Flags functions longer than 60 code lines (error above 120 lines of logic that also branch).

    ## What it does
    Counts code lines (no blank lines, comments or docstring) of each function and method; the
    body of a function or class defined inside one is measured on its own, not again in its host
    (a decorator factory around one long wrapper reports the wrapper), and so are its decorators and
    signature (a method registering route handlers, each under `@router.get(..., openapi_extra={...})`
    with `limit: int = Query(...)` parameters, is as long as its own statements).
    Multi-line data literals (lookup tables, lists of records built from constants, string and
    f-string templates such as a stylesheet or a query) and argparse declarations are data, not logic: they count towards the warning but never make
    the finding an error. Past 120 lines of logic the finding is an error when the function
    also branches (cyclomatic complexity above 20) or runs past twice that length; a long
    straight-line body, such as a constructor declaring its layers one after another, stays a
    warning.

    ## Why is this bad?
    A long function does several things; none of them can be tested or reused alone, and
    the reader has to scroll to understand any of it.

    ## Example
    ```python
    def train(cfg):
        ...  # 150 lines: load, clean, split, fit, evaluate, plot, save
    ```

    ## Use instead
    ```python
    def train(cfg: Config) -> Result:
        frame = load_frame(cfg.data)
        split = split_frame(clean(frame), cfg.split)
        return fit_and_score(cfg.model, split)
    ```
    """

    code = "FUN004"
    restates = "small_functions"
    title = "Long function"
    practice = "functions"
    severity = Severity.WARNING
    fix = "Extract the function's steps into named helpers of under 60 lines each."

    def check(self, project: Project) -> Iterator[Output]:
        warn = project.options.threshold("max_function_lines", 60)
        error = project.options.threshold("max_function_lines_error", 120)
        complexity = {(path, f.line): f.complexity for path, f in all_functions(project)}
        for pf in project.python_of(*CODE_KINDS):
            for fn in pf.file_fact(LENGTHS_FACT, function_lengths):
                total, data = fn.code_lines, fn.data_lines
                if total <= warn:
                    continue
                branches = complexity.get((pf.path, fn.line), 0)
                yield Hit(pf.path, fn.line, _message(fn, branches), severity=_severity(total - data, branches, error))


def _severity(logic: int, branches: int, error: float) -> Severity:
    """Return error for a long body of logic that also branches (or is twice too long), else warning."""
    return Severity.ERROR if logic > error and (branches > BRANCHY or logic > 2 * error) else Severity.WARNING


def _message(fn: FunctionLength, branches: int) -> str:
    note = f" ({fn.data_lines} of them data literals or parser declarations)" if fn.data_lines else ""
    shape = f", cyclomatic complexity {branches}" if branches else ""
    return f"{fn.name}() is {fn.code_lines} code lines long{note}{shape}"


def declaration_lines(pf: PythonFile) -> dict[FunctionNode, set[int]]:
    """Map each function to the lines of multi-line data literals and argparse declarations in its body.

    Those lines are data, not logic: a constructor that is one big lookup table, a
    `get_parser()` of `add_argument` calls or a function returning a multi-line (f-)string
    template is long but not hard to follow.
    """
    found: dict[FunctionNode, set[int]] = defaultdict(set)
    nodes = (pf.nodes(kind) for kind in (ast.Dict, ast.List, ast.Set, ast.Tuple, ast.Call, ast.Constant, ast.JoinedStr))
    for node in itertools.chain.from_iterable(nodes):  # sets of lines: read type by type, never sorted together
        end = node.end_lineno or node.lineno
        if end == node.lineno and not isinstance(node, ast.Call):
            continue
        if isinstance(node, ast.Call) and _last_attr(node.func) not in PARSER_DECLARATIONS:
            continue
        if isinstance(node, ast.Constant | ast.JoinedStr):
            if not _text_template(pf, node):
                continue
        elif not isinstance(node, ast.Call) and not literal_data(node):
            continue
        owner = pf.enclosing_function(node)
        if owner is not None:
            found[owner].update(range(node.lineno, end + 1))
    return found


def _text_template(pf: PythonFile, node: ast.Constant | ast.JoinedStr) -> bool:
    """Return True for a multi-line string or f-string used as a value (a stylesheet, a query, a page
    template): its lines are text, not logic. A bare string statement (a docstring) is not code at all."""
    if isinstance(node, ast.Constant) and not isinstance(node.value, str):
        return False
    return not isinstance(pf.parent(node), ast.Expr)


def _last_attr(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def literal_data(node: ast.AST) -> bool:
    """Return True for displays built only of constants, names, nested displays and records.

    A record is a constructor call whose arguments are themselves data (`Info(name="a", cls=A)`):
    a list of them is a registration table, as declarative as a dict literal.
    """
    for child in ast.walk(node):
        if isinstance(child, ast.Lambda | ast.comprehension | ast.IfExp | ast.NamedExpr):
            return False
        if isinstance(child, ast.Call) and not _record(child):
            return False
    return True


def _record(call: ast.Call) -> bool:
    """Return True for `Name(...)`/`mod.Name(...)` whose arguments are constants, names or displays."""
    if not isinstance(call.func, ast.Name | ast.Attribute) or any(isinstance(a, ast.Starred) for a in call.args):
        return False
    values = [*call.args, *(k.value for k in call.keywords)]
    return all(isinstance(v, RECORD_VALUES) for v in values)
