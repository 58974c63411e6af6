"""Provides rule LAY005: No tests folder."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.test_suite import suite_of
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.layout._shared import TEST_DIRS


@register
class MissingTestsFolder(Rule):
    """Flags a repository with no tests/ folder.

    ## What it does
    Looks for a `tests/` (or `test/`) folder holding files, at the root or inside a package; a
    folder of another name that holds the collected test modules (`test_api/test_app.py`) is one too.

    ## Why is this bad?
    Tests scattered as `test_*.py` next to the code, or absent, mean no one runs them;
    a tests/ folder is where pytest, CI and reviewers look.

    ## Example
    ```text
    repo/
      src/churn/
    ```

    ## Use instead
    ```text
    repo/
      src/churn/
      tests/test_features.py
    ```
    """

    code = "LAY005"
    restates = "tests_folder"
    title = "No tests folder"
    practice = "layout"
    severity = Severity.WARNING
    fix = "Create tests/ with pytest tests of the data loading, features and metrics."
    weight = 10
    cap = 10

    def check(self, project: Project) -> Iterator[Output]:
        if any(set(f.path.split("/")[:-1]) & TEST_DIRS for f in project.files):
            return
        if any("/" in test.path for test in suite_of(project).functions):
            return  # a folder holding the collected tests is the tests folder, whatever its name
        yield Hit(None, None, "No tests/ folder")
