"""Provides the assertions fact: which test functions assert (directly or through a local helper), and which need not."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from mlaudit.project import FunctionNode, Project, PythonFile

ASSERT_CALL = re.compile(
    r"^_*(assert|check_|verify_|expect)|^(check|verify|raises|warns|deprecated_call|fail|raises_regex)$"
)


WARNINGS_AS_ERRORS = frozenset({"simplefilter", "filterwarnings"})


SKIP_MARKS = frozenset({"skip", "xfail", "skipif"})


VALIDATOR_PREFIXES = ("validate", "check", "verify", "ensure", "assert")


def _decorator_names(node: FunctionNode) -> set[str]:
    names: set[str] = set()
    for dec in node.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        if isinstance(target, ast.Attribute):
            names.add(target.attr)
    return names


def callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _enclosing_functions(pf: PythonFile, node: ast.AST) -> Iterator[ast.AST]:
    for anc in pf.ancestors(node):
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef):
            yield anc


def raises_assertion(node: ast.Raise) -> bool:
    exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    return isinstance(exc, ast.Name) and exc.id in {"AssertionError", "Failed"}


def asserting_functions(pf: PythonFile) -> set[ast.AST]:
    """Return the functions of a test file that assert: directly, or by calling a local asserting helper."""
    direct: set[ast.AST] = set()
    for node in pf.nodes(ast.Assert):
        direct.update(_enclosing_functions(pf, node))
    for raise_node in pf.nodes(ast.Raise):
        if raises_assertion(raise_node):
            direct.update(_enclosing_functions(pf, raise_node))
    calls = pf.nodes(ast.Call)
    for call in calls:
        if ASSERT_CALL.search(callee(call)) or _errors_on_warning(call):
            direct.update(_enclosing_functions(pf, call))
    helpers = {f.name for f in direct if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)}
    for call in calls:
        if _local_helper_name(call.func) in helpers:
            direct.update(_enclosing_functions(pf, call))
    return direct


ASSERTING_FACT = "tests.asserting_lines"  # a per-file fact (mlaudit.filefacts)


def asserting_lines(pf: PythonFile) -> frozenset[int]:
    """Return the `def` lines of the file's functions that assert (`asserting_functions`)."""
    return frozenset(f.lineno for f in asserting_functions(pf) if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef))


def asserting_in(project: Project, path: str) -> frozenset[int]:
    """Return the `def` lines of a test module's functions that assert (rules and capabilities share it)."""
    found: frozenset[int] = project.python[path].file_fact(ASSERTING_FACT, asserting_lines)
    return found


def _local_helper_name(func: ast.expr) -> str | None:
    """Return the name of a call to a helper of the file: `check(x)`, or `self.compare(x)` on the test class."""
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"):
        return func.attr
    return None


def _errors_on_warning(call: ast.Call) -> bool:
    """Return True for `warnings.simplefilter("error")` and `@pytest.mark.filterwarnings("error")`."""
    if callee(call) not in WARNINGS_AS_ERRORS or not call.args:
        return False
    first = call.args[0]
    return isinstance(first, ast.Constant) and str(first.value).startswith("error")


def exempt_from_assertion(name: str, node: FunctionNode) -> bool:
    """Benchmarks, skipped tests and import smoke tests need no assertion."""
    params = {a.arg for a in (*node.args.args, *node.args.kwonlyargs)}
    if "benchmark" in params or _decorator_names(node) & SKIP_MARKS:
        return True
    if any(isinstance(d, ast.Call) and _errors_on_warning(d) for d in node.decorator_list):
        return True
    body = [s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if body and all(isinstance(s, ast.Import | ast.ImportFrom) for s in body):
        return True
    if "." in name and all(isinstance(s, ast.Pass) for s in body):
        return True  # a method emptied to switch off a test inherited from a base test class
    return bool(body) and all(_validator_call(s) for s in body)


def _validator_call(stmt: ast.stmt) -> bool:
    """Return True for `validate_url(url)`: a must-not-raise test, where calling the validator is the check."""
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
        return False
    func = stmt.value.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name.lstrip("_").startswith(VALIDATOR_PREFIXES)
