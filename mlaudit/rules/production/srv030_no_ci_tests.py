"""Provides rule SRV030: Service without CI tests."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.ci import ci_files, ci_running_tests
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register


@register
class NoCiTests(Rule):
    """Notes a service without a CI workflow that runs the tests.

    ## What it does
    Looks for a CI configuration (GitHub Actions, GitLab CI, CircleCI, Azure, Jenkins)
    that runs pytest/unittest/tox/nox. The testing practice owns the main check; this is a
    reminder for services.

    ## Why is this bad?
    A service deployed from a branch nobody tested breaks in production first.

    ## Example
    ```text
    .github/workflows/  (missing)
    ```

    ## Use instead
    ```yaml
    - run: uv run pytest
    ```
    """

    code = "SRV030"
    title = "Service without CI tests"
    practice = "production"
    severity = Severity.INFO
    fix = "Add a CI workflow that installs the package and runs the tests on every push."

    def check(self, project: Project) -> Iterator[Output]:
        ci = ci_files(project)
        if ci_running_tests(project):
            return
        reason = "CI configured but no step runs the tests" if ci else "no CI workflow found"
        yield Hit(None, None, f"service without CI tests: {reason}")
