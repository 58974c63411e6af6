"""Provides rule DEP006: Virtual environment in the repository."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register


@register
class VirtualenvInRepository(Rule):
    """Flags a virtual environment committed to git, or present and not ignored.

    ## What it does
    Finds folders holding `pyvenv.cfg` or `conda-meta` inside the repository and checks
    whether git tracks their files or whether `.gitignore` leaves them visible.

    ## Why is this bad?
    A virtual environment is machine-specific (absolute paths, compiled wheels for one
    platform) and huge; committing it bloats history forever and still does not reproduce.

    ## Example
    ```text
    .venv/   # committed, 40,000 files
    ```

    ## Use instead
    ```text
    # .gitignore
    .venv/
    venv/
    ```
    """

    code = "DEP006"
    scoring = "flat"
    title = "Virtual environment in the repository"
    practice = "dependencies"
    severity = Severity.ERROR
    fix = "git rm -r --cached the environment folder and add it to .gitignore."
    weight = 20

    def check(self, project: Project) -> Iterator[Output]:
        inventory = project.inventory
        tracked = project.tracked or frozenset()
        for venv in inventory.venv_dirs:
            committed = sum(1 for path in tracked if path.startswith(venv + "/"))
            if committed:
                yield Hit(venv, None, f"Virtual environment {venv}/ is committed to git ({committed} files tracked)")
            elif f"{venv}/" not in inventory.ignored_probe:
                yield Hit(venv, None, f"Virtual environment {venv}/ is not ignored by .gitignore", Severity.WARNING)
