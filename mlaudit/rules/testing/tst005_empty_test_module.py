"""Provides rule TST005: Empty test module."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.facts.test_suite import suite_of
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register


@register
class EmptyTestModule(Rule):
    """Flags test modules that define nothing at all.

    ## What it does
    Reports a module pytest would collect (`test_*.py`, `*_test.py`, or configured
    `python_files`) that defines no test and no helper function or class.

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
            defs = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
            if path not in with_tests and not any(isinstance(s, defs) for s in project.python[path].tree.body):
                yield Hit(path, None, f"Test module {path} defines no test")
