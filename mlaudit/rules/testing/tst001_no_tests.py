"""Provides rule TST001: No tests."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.randomness import listed
from mlaudit.facts.test_suite import suite_of
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.testing._shared import has_code_to_test


@register
class NoTests(Rule):
    """Flags a repository with code but no test functions at all.

    ## What it does
    Collects tests the way pytest does (`test_*.py`/`*_test.py`, `tests/` folders, configured
    `python_files` and `testpaths`, `Test*` classes and `unittest.TestCase`) and reports when
    none exists.

    ## Why is this bad?
    Without tests every refactor of data loading, features or metrics is a silent gamble:
    ML bugs rarely crash, they quietly degrade the model.

    ## Example
    ```text
    repo/
      churn/features.py
      train.py
    ```

    ## Use instead
    ```python
    # tests/test_features.py
    from churn.features import charge_per_month

    def test_charge_per_month_handles_zero_tenure():
        assert charge_per_month(total=120.0, tenure=0) == 120.0
    ```
    """

    code = "TST001"
    restates = "tests_collected"
    title = "No tests"
    practice = "testing"
    severity = Severity.ERROR
    fix = "Add a tests/ folder with pytest tests for data loading, features and metrics first."
    weight = 40
    cap = 40

    def check(self, project: Project) -> Iterator[Output]:
        suite = suite_of(project)
        if suite.functions or not has_code_to_test(project):
            return
        if suite.test_modules:
            modules = listed(list(suite.test_modules), 3)
            yield Hit(None, None, f"No test functions in {len(suite.test_modules)} test module(s): {modules}")
        else:
            yield Hit(None, None, "No tests: no test_*.py or *_test.py module defines a test function")
