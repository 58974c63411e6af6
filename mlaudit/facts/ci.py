"""Provides CI discovery shared by the practices: which files define CI, and what they run.

A CI step often calls a script of the repository (`bash scripts/test.sh`, `make test`);
the text of such a script, one level deep, counts as part of the step.
"""

from __future__ import annotations

import re

from mlaudit.project import Project

CI_FILES = (
    ".gitlab-ci.yml",
    ".gitlab-ci.yaml",
    ".circleci/config.yml",
    "azure-pipelines.yml",
    "Jenkinsfile",
    ".travis.yml",
    "bitbucket-pipelines.yml",
)
# a command's words stand on one line (`coverage run`): a step named "Upload coverage" above its `run:` key is not one
CI_TEST_COMMAND = re.compile(
    r"\b(pytest|py\.test|tox|nox|unittest|make[ \t]+(test|check|ci)\b|coverage[ \t]+run|hatch[ \t]+(test|run[ \t]+test)"
    r"|just[ \t]+test)"
)
_SCRIPT_REF = re.compile(r"(?<![\w/.-])((?:\./)?[\w.-]+(?:/[\w.-]+)*\.(?:sh|bash|py)|\.ci/[\w.-]+|scripts/[\w.-]+)")


def ci_files(project: Project) -> list[str]:
    """Return the CI definition files of the repository, sorted."""
    found = []
    for f in project.files:
        path = f.path
        workflow = path.startswith(".github/workflows/") and path.endswith((".yml", ".yaml"))
        if workflow or path in CI_FILES or path.startswith(".ci/"):
            found.append(path)
    return sorted(found)


def ci_text(project: Project, path: str) -> str:
    """Return a CI file's text followed by the repo scripts (and Makefile) it invokes."""
    text = project.text(path) or ""
    parts = [text]
    for ref in dict.fromkeys(m.group(1).removeprefix("./") for m in _SCRIPT_REF.finditer(text)):
        if ref != path:
            parts.append(_script_text(project, ref))
    if re.search(r"\bmake\b", text):
        parts.append(project.text("Makefile") or "")
    return "\n".join(parts)


def _script_text(project: Project, path: str) -> str:
    pf = project.python.get(path)
    return pf.text if pf is not None else project.text(path) or ""


def ci_running_tests(project: Project) -> list[str]:
    """Return the CI files whose steps (or the scripts they call) run the tests."""
    return [p for p in ci_files(project) if CI_TEST_COMMAND.search(ci_text(project, p))]
