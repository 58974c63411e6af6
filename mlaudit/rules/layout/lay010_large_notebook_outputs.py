"""Provides rule LAY010: Notebook with large committed outputs."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.layout._shared import _notebooks


@register
class LargeNotebookOutputs(Rule):
    """Flags notebooks committed with large outputs.

    ## What it does
    Adds up everything stored in the cells' outputs (text, HTML, embedded base64 images);
    500 KB or more (threshold `notebook_output_kb`) is a finding.

    ## Why is this bad?
    Outputs bloat git history, make diffs unreadable, and often leak data samples,
    customer rows or tokens into the repository.

    ## Example
    ```text
    EDA.ipynb   4.2 MB (plots and printed DataFrames)
    ```

    ## Use instead
    ```text
    pip install nbstripout && nbstripout --install   # strip outputs on commit
    ```
    """

    code = "LAY010"
    title = "Notebook with large committed outputs"
    practice = "layout"
    severity = Severity.WARNING
    scoring = "flat"  # megabytes in git weigh the same in a small or a large repository
    weight = 5
    cap = 10
    fix = "Clear outputs before committing (nbstripout --install, or jupyter nbconvert --clear-output)."

    def check(self, project: Project) -> Iterator[Output]:
        limit = project.options.threshold("notebook_output_kb", 500) * 1000
        for pf in _notebooks(project):
            total = sum(cell.output_bytes for cell in pf.cells)
            text_bytes = sum(len(out) for cell in pf.cells for out in cell.outputs)
            if total >= limit:
                yield Hit(
                    pf.path,
                    None,
                    f"{pf.path} carries ~{total / 1000:.0f} KB of committed outputs "
                    f"({text_bytes / 1000:.0f} KB text, the rest images/other)",
                )
