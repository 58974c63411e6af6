"""Provides rule LAY003: Loose scripts at the repository root."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.layout_intent import documented_scripts
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Metric, Output, Rule, register
from mlaudit.rules.layout._shared import _loose_root_scripts, _top_packages


@register
class LooseRootScripts(Rule):
    """Flags many loose `.py` scripts at the repository root.

    ## What it does
    Counts `.py` files directly at the root (setup.py, conftest.py, noxfile.py, manage.py
    and similar do not count); four or more (threshold `loose_root_scripts`) is a finding.

    ## Why is this bad?
    `train.py`, `train_v2.py`, `predict.py` and `utils.py` side by side are the sign of code
    that grew by copying; nothing says which one is current or what depends on what.

    ## Example
    ```text
    train.py  train_v2.py  predict.py  utils.py  models.py
    ```

    ## Use instead
    ```text
    src/churn/{train,predict,models}.py   # one package
    scripts/train.py                      # thin entry points, if any
    ```
    """

    code = "LAY003"
    restates = "code_in_folders"
    title = "Loose scripts at the repository root"
    practice = "layout"
    severity = Severity.WARNING
    fix = "Move the modules into a package and keep at most thin entry points under scripts/ or [project.scripts]."
    weight = 10
    cap = 10

    def check(self, project: Project) -> Iterator[Output]:
        loose = _loose_root_scripts(project)
        yield Metric("loose_root_scripts", len(loose))
        if len(loose) >= project.options.threshold("loose_root_scripts", 4):
            shown = ", ".join(loose[:6]) + (", ..." if len(loose) > 6 else "")
            documented = documented_scripts(project, loose)
            if _top_packages(project) and 2 * len(documented) >= len(loose):
                message = (
                    f"{len(loose)} root scripts are the documented command-line tools of the package "
                    f"({', '.join(documented[:6])}); entry points in [project.scripts] would make them installable"
                )
                yield Hit(None, None, message, Severity.INFO)
                return
            yield Hit(None, None, f"{len(loose)} loose Python scripts at the repository root ({shown})")
