"""Provides rule LAY001: No packaging metadata."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register


@register
class MissingPackagingMetadata(Rule):
    """Flags a repository with no packaging metadata, or only legacy setup.py/setup.cfg.

    ## What it does
    Looks for `pyproject.toml` at the repository root; `setup.py` or `setup.cfg` alone earn
    partial credit and an info note (the code installs). No metadata at all is a warning, not
    an error: the code still runs from a checkout; what is lost is installing it.

    ## Why is this bad?
    Without packaging metadata the code cannot be installed (`pip install -e .`), so
    notebooks and scripts reach it through `sys.path` hacks and copies.

    ## Example
    ```text
    repo/
      train.py
      utils.py
    ```

    ## Use instead
    ```toml
    [project]
    name = "churn"
    requires-python = ">=3.11"
    ```
    """

    code = "LAY001"
    restates = "packaging_metadata"
    title = "No packaging metadata"
    practice = "layout"
    severity = Severity.WARNING
    fix = "Add a pyproject.toml with a [project] table so the code installs with `pip install -e .`."
    weight = 20
    cap = 20

    def check(self, project: Project) -> Iterator[Output]:
        if project.has_file("pyproject.toml"):
            return
        legacy = [p for p in ("setup.py", "setup.cfg") if project.has_file(p)]
        if legacy:
            yield Hit(
                legacy[0],
                None,
                f"Only legacy packaging metadata ({', '.join(legacy)}); no pyproject.toml",
                severity=Severity.INFO,
                fix="Move the metadata from setup.py/setup.cfg into pyproject.toml ([project] table).",
            )
            return
        yield Hit(
            None,
            None,
            "No pyproject.toml, setup.py or setup.cfg: the code cannot be pip-installed, "
            "so tests, notebooks and other projects reach it through sys.path or copies",
        )
