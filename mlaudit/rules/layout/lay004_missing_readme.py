"""Provides rule LAY004: No README."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.readers import metadata_readme
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.layout._shared import README_NAMES


@register
class MissingReadme(Rule):
    """Flags a repository without a README at its root.

    ## What it does
    Looks for README, README.md, README.rst or README.txt at the root, or the readme file
    pyproject.toml's package metadata names (`readme = "DESCRIPTION.md"`).

    ## Why is this bad?
    Nobody knows how to install, train, evaluate or serve the model, or what data it needs.

    ## Example
    ```text
    repo/  (no README)
    ```

    ## Use instead
    ```markdown
    # churn
    Install: `pip install -e .`; train: `churn train --config configs/default.yaml`
    ```
    """

    code = "LAY004"
    restates = "readme"
    title = "No README"
    practice = "layout"
    severity = Severity.WARNING
    fix = "Add a README.md saying what the project does and how to install, train, test and run it."
    weight = 10
    cap = 10

    def check(self, project: Project) -> Iterator[Output]:
        if metadata_readme(project) is not None:
            return
        if not any("/" not in f.path and f.path.lower() in README_NAMES for f in project.files):
            yield Hit(None, None, "No README at the repository root")
