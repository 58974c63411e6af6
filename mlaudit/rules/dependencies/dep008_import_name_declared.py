"""Provides rule DEP008: Import name declared instead of distribution."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.distributions import IMPORT_TO_DISTRIBUTIONS, normalise, public_spec
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.dependencies._shared import declared_dependencies


@register
class ImportNameDeclared(Rule):
    """Flags a declaration that uses an import name instead of the distribution name.

    ## What it does
    Finds declared names such as `sklearn`, `cv2`, `PIL`, `yaml`, `dotenv`, `jwt` or `attr`
    whose PyPI distribution is really scikit-learn, opencv-python, pillow, pyyaml,
    python-dotenv, pyjwt or attrs.

    ## Why is this bad?
    `pip install sklearn` fails (the placeholder package is deprecated), and `dotenv`,
    `jwt` and `attr` are different, unrelated projects: the install succeeds with the wrong
    code.

    ## Example
    ```text
    sklearn
    ```

    ## Use instead
    ```text
    scikit-learn==1.5.1
    ```
    """

    code = "DEP008"
    title = "Import name declared instead of distribution"
    practice = "dependencies"
    severity = Severity.WARNING
    fix = "Declare the PyPI distribution name (sklearn -> scikit-learn, cv2 -> opencv-python, yaml -> pyyaml)."

    def check(self, project: Project) -> Iterator[Output]:
        wrong = {normalise(k): v for k, v in IMPORT_TO_DISTRIBUTIONS.items() if normalise(k) not in map(normalise, v)}
        for req in declared_dependencies(project).requirements:
            if req.name in wrong:
                yield Hit(
                    req.path,
                    req.line,
                    f"{public_spec(req.spec)} declares the import name; the distribution is {wrong[req.name][0]}",
                )
