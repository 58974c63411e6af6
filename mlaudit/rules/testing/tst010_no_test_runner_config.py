"""Provides rule TST010: Test runner not configured."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.test_suite import suite_of
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Metric, Output, Rule, register


@register
class NoTestRunnerConfig(Rule):
    """Flags a test suite without pytest configuration.

    ## What it does
    Looks for pytest settings in `pyproject.toml` (`[tool.pytest.ini_options]`),
    `pytest.ini`, `tox.ini` (`[pytest]`) or `setup.cfg` (`[tool:pytest]`).

    ## Why is this bad?
    Without `testpaths` and options pytest's behaviour depends on the directory it starts
    in, and settings such as strict markers or warnings-as-errors live only in people's heads.

    ## Example
    ```toml
    # pyproject.toml has no pytest section
    ```

    ## Use instead
    ```toml
    [tool.pytest.ini_options]
    testpaths = ["tests"]
    addopts = "-ra --strict-markers"
    ```
    """

    code = "TST010"
    title = "Test runner not configured"
    practice = "testing"
    severity = Severity.INFO
    fix = 'Add [tool.pytest.ini_options] with testpaths = ["tests"] to pyproject.toml.'

    def check(self, project: Project) -> Iterator[Output]:
        suite = suite_of(project)
        yield Metric("pytest_config", suite.config.source or "none")
        if suite.functions and suite.config.source is None:
            yield Hit(None, None, "Tests exist but pytest is not configured (no testpaths, no options)")
