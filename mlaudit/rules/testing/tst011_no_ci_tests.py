"""Provides rule TST011: Tests not run in CI."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlaudit.facts.ci import ci_files, ci_running_tests
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Metric, Output, Rule, register
from mlaudit.rules.testing._shared import has_code_to_test

SMOKE_RUN = re.compile(r"\bpython[\d.]*\s+(?:-u\s+)?(?:(-m)\s+([\w.]+)|([\w./-]+\.py))")


def ci_smoke_runs(project: Project, files: list[str]) -> list[tuple[str, list[str]]]:
    """Return the CI files that run the repository's own Python scripts or modules, with those scripts."""
    found: list[tuple[str, list[str]]] = []
    for path in files:
        scripts: list[str] = []
        for match in SMOKE_RUN.finditer(project.text(path) or ""):
            script = match.group(3) or (match.group(2) or "").replace(".", "/") + ".py"
            script = script.removeprefix("./")
            if script in project.python and script not in scripts:
                scripts.append(script)
        if scripts:
            found.append((path, scripts))
    return found


def listed_scripts(scripts: list[str]) -> str:
    """Return up to three scripts, with a count of the rest."""
    shown = ", ".join(scripts[:3])
    return f"{shown} (+{len(scripts) - 3} more)" if len(scripts) > 3 else shown


@register
class NoCiTests(Rule):
    """Flags a repository whose tests no CI pipeline runs.

    ## What it does
    Looks for CI definitions (`.github/workflows/*.yml`, `.gitlab-ci.yml`,
    `.circleci/config.yml`, `azure-pipelines.yml`, `Jenkinsfile`, `.ci/*`) that run the tests
    (pytest, tox, nox, unittest, `make test`, `coverage run`).

    CI that runs the repository's own scripts end to end (`python train.py --epochs 1`,
    `python detect.py ...`) is testing too: that is an info note asking for the unit tests as
    well, not a warning.

    ## Why is this bad?
    Tests that only run when someone remembers to run them stop being run; regressions
    reach the main branch unnoticed.

    ## Example
    ```yaml
    # .github/workflows/lint.yml only runs ruff
    - run: ruff check .
    ```

    ## Use instead
    ```yaml
    - run: pip install -e '.[dev]'
    - run: pytest --cov --cov-report=xml
    ```
    """

    code = "TST011"
    restates = "tests_in_ci"
    title = "Tests not run in CI"
    practice = "testing"
    severity = Severity.WARNING
    fix = "Add a CI workflow (e.g. .github/workflows/ci.yml) that installs the project and runs pytest."

    def check(self, project: Project) -> Iterator[Output]:
        if not has_code_to_test(project):
            return
        files = ci_files(project)
        running = ci_running_tests(project)
        smoke = ci_smoke_runs(project, files)
        yield Metric("ci_runs_tests", running[0] if running else f"smoke scripts in {smoke[0][0]}" if smoke else "no")
        if running:
            return
        if smoke:
            path, scripts = smoke[0]
            yield Hit(
                path,
                None,
                f"CI runs the project's scripts end to end ({listed_scripts(scripts)}) but not the unit tests",
                severity=Severity.INFO,
                fix="Add a pytest step next to the smoke runs so unit tests also run on every change.",
            )
            return
        if files:
            yield Hit(files[0], None, f"CI ({', '.join(files)}) does not run the tests")
        else:
            yield Hit(None, None, "No CI pipeline runs the tests")
