"""Provides rule TST005: Empty test module."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.facts.test_suite import suite_of
from mlaudit.model import Severity
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Output, Rule, register


@register
class EmptyTestModule(Rule):
    """Flags test modules that define nothing at all.

    ## What it does
    Reports a module pytest would collect (`test_*.py`, `*_test.py`, or configured
    `python_files`) that defines no test and no helper function or class. A module that does
    work at its top level (calls, loops, a `__main__` guard), such as a timing script named
    `test_speed.py`, is a script named like a test, not an empty test module.

    ## Why is this bad?
    An empty test module looks like coverage of a component in the file tree while
    testing nothing; it is usually a test that was planned and never written.

    ## Example
    ```python
    # tests/test_features.py
    import pytest
    ```

    ## Use instead
    ```python
    # tests/test_features.py
    def test_one_hot_keeps_row_count(frame):
        assert len(one_hot(frame, "plan")) == len(frame)
    ```
    """

    code = "TST005"
    title = "Empty test module"
    practice = "testing"
    severity = Severity.WARNING
    fix = "Write the tests this module was created for, or delete it."
    weight = 3
    cap = 10

    def check(self, project: Project) -> Iterator[Output]:
        suite = suite_of(project)
        with_tests = {t.path for t in suite.functions}
        for path in suite.test_modules:
            if path in with_tests:
                continue
            if not project.python[path].file_fact(DEFINES_OR_RUNS_FACT, defines_or_runs):
                yield Hit(path, None, f"Test module {path} defines no test")


DEFINES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
DEFINES_OR_RUNS_FACT = "testing.defines_or_runs"  # a per-file fact (mlaudit.filefacts)


def defines_or_runs(pf: PythonFile) -> bool:
    """Return True when the module defines a function or class, or does work at its top level."""
    return any(isinstance(s, DEFINES) or _runs(s) for s in pf.tree.body)


def _runs(stmt: ast.stmt) -> bool:
    """Return True for a top-level statement that does work: a call, a loop, a `with` block or a main guard.

    A `test_speed.py` that times code at module level is a script named like a test, not a test
    that was planned and never written.
    """
    if isinstance(stmt, ast.Expr):
        return isinstance(stmt.value, ast.Call | ast.Await)
    if isinstance(stmt, ast.Assign | ast.AnnAssign | ast.AugAssign):
        return stmt.value is not None and any(isinstance(n, ast.Call) for n in ast.walk(stmt.value))
    if isinstance(stmt, ast.If):
        return "__name__" in ast.unparse(stmt.test)
    return isinstance(stmt, ast.For | ast.AsyncFor | ast.While | ast.With | ast.AsyncWith)
