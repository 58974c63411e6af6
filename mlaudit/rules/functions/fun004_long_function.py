"""Provides rule FUN004: Long function."""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from mlaudit.model import Severity
from mlaudit.project import FunctionNode, Project, PythonFile
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.functions._shared import CODE_KINDS, _qualified
from mlaudit.tools.complexity import function_code_lines, functions_of

PARSER_DECLARATIONS = frozenset({"add_argument", "add_argument_group", "add_mutually_exclusive_group", "set_defaults"})
LENGTHS_FACT = "functions.lengths"  # a per-file fact (mlaudit.filefacts)


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
    return tuple(
        FunctionLength(_qualified(pf, fn), fn.lineno, function_code_lines(pf, fn), len(declarative.get(fn, ())))
        for fn in functions_of(pf)
    )


@register
class LongFunction(Rule):
    """Flags functions longer than 60 code lines (error above 120).

    ## What it does
    Counts code lines (no blank lines, comments or docstring) of each function and method.
    Multi-line data literals (lookup tables) and argparse declarations are data, not logic:
    they count towards the warning but never make the finding an error.

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
        for pf in project.python_of(*CODE_KINDS):
            for fn in pf.file_fact(LENGTHS_FACT, function_lengths):
                total, data = fn.code_lines, fn.data_lines
                if total <= warn:
                    continue
                severity = Severity.ERROR if total - data > error else Severity.WARNING
                note = f" ({data} of them data literals or parser declarations)" if data else ""
                yield Hit(pf.path, fn.line, f"{fn.name}() is {total} code lines long{note}", severity=severity)


def declaration_lines(pf: PythonFile) -> dict[FunctionNode, set[int]]:
    """Map each function to the lines of multi-line data literals and argparse declarations in its body.

    Those lines are data, not logic: a constructor that is one big lookup table or a
    `get_parser()` of `add_argument` calls is long but not hard to follow.
    """
    found: dict[FunctionNode, set[int]] = defaultdict(set)
    for node in pf.nodes(ast.Dict, ast.List, ast.Set, ast.Tuple, ast.Call):
        end = node.end_lineno or node.lineno
        if end == node.lineno and not isinstance(node, ast.Call):
            continue
        if isinstance(node, ast.Call) and _last_attr(node.func) not in PARSER_DECLARATIONS:
            continue
        if not isinstance(node, ast.Call) and not _literal_data(node):
            continue
        owner = pf.enclosing_function(node)
        if owner is not None:
            found[owner].update(range(node.lineno, end + 1))
    return found


def _last_attr(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _literal_data(node: ast.AST) -> bool:
    """Return True for displays built only of constants, names and nested displays."""
    for child in ast.walk(node):
        if isinstance(child, ast.Call | ast.Lambda | ast.comprehension | ast.IfExp | ast.NamedExpr):
            return False
    return True
