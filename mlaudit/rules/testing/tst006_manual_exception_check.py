"""Provides rule TST006: Exception checked by hand instead of pytest.raises."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.facts.assertions import callee, raises_assertion
from mlaudit.facts.test_suite import suite_of
from mlaudit.model import Severity
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Output, Rule, hits_fact, register

FAIL_CALLS = frozenset({"fail"})


def _is_fail_statement(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.Assert):
        return isinstance(stmt.test, ast.Constant) and not stmt.test.value
    if isinstance(stmt, ast.Raise):
        return raises_assertion(stmt)
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and callee(stmt.value) in FAIL_CALLS


def _manual_raises(node: ast.Try) -> bool:
    """Return True for `try: call() [assert False] except X: ... [else: assert False]`."""
    if not node.handlers or node.finalbody:
        return False
    fails_in_else = any(_is_fail_statement(s) for s in node.orelse)
    return fails_in_else or (len(node.body) > 1 and _is_fail_statement(node.body[-1]))


def manual_checks(pf: PythonFile) -> tuple[Hit, ...]:
    """Return the try/except/assert-False checks of a test module's tests (a per-file fact)."""
    found: list[Hit] = []
    for node in pf.nodes(ast.Try):
        func = pf.enclosing_function(node)
        if func is not None and func.name.startswith("test") and _manual_raises(node):
            caught = ast.unparse(node.handlers[0].type) if node.handlers[0].type else "Exception"
            found.append(
                Hit(
                    pf.path,
                    node.lineno,
                    f"Test {func.name} checks {caught} with try/except/assert False",
                    fix=f"Use `with pytest.raises({caught}):` around the call.",
                )
            )
    return tuple(found)


@register
class ManualExceptionCheck(Rule):
    """Flags the try/except/else `assert False` pattern in tests.

    ## What it does
    Reports `try: ... except X: ... else: assert False` (or `pytest.fail`, `raise
    AssertionError`, or the failing statement at the end of the `try` body) inside a test.

    ## Why is this bad?
    It is four lines where one will do, it is easy to get subtly wrong (a bare `assert True`
    in the handler, a broad `except`), and it cannot check the error message.

    ## Example
    ```python
    try:
        load_interactions(path)
    except ValueError:
        assert True
    else:
        assert False
    ```

    ## Use instead
    ```python
    with pytest.raises(ValueError, match="missing columns"):
        load_interactions(path)
    ```
    """

    code = "TST006"
    title = "Exception checked by hand instead of pytest.raises"
    practice = "testing"
    severity = Severity.INFO
    fix = "Use `with pytest.raises(ErrorType, match=...):` around the call."

    def check(self, project: Project) -> Iterator[Output]:
        for path in suite_of(project).test_modules:
            yield from project.python[path].file_fact(hits_fact(self.code), manual_checks)
