"""Provides rule SEC002: Secret in notebook output."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.security._shared import _secrets


@register
class SecretInNotebookOutput(Rule):
    """Flags secrets printed into a notebook's saved cell outputs.

    ## What it does
    Scans the text outputs (stdout, text/plain, HTML, tracebacks) saved in notebooks for the
    same token formats as SEC001; images and other binary outputs are not scanned.

    ## Why is this bad?
    Printing a key "to check it loaded" saves it into the `.ipynb` file, even when the code
    itself reads it from the environment, and the notebook is then committed and shared.

    ## Example
    ```python
    print("openai key:", os.environ["OPENAI_API_KEY"])
    ```

    ## Use instead
    ```python
    print("openai key set:", "OPENAI_API_KEY" in os.environ)
    ```
    """

    code = "SEC002"
    scoring = "flat"
    title = "Secret in notebook output"
    practice = "security"
    severity = Severity.ERROR
    fix = "Rotate the key, clear the outputs (nbstripout as a pre-commit hook) and never print secrets."
    weight = 25
    cap = 50

    def check(self, project: Project) -> Iterator[Output]:
        for found in _secrets(project):
            if found.in_output:
                message = f"{found.description} in the saved output of cell {found.cell}"
                yield Hit(
                    found.path, None, message, severity=Severity.INFO if found.harmless else None, cell=found.cell
                )
