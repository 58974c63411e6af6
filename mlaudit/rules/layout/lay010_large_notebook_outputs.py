"""Provides rule LAY010: Notebook with large committed outputs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.layout._shared import _notebooks

# Settings of a documentation build that renders notebooks from their stored outputs without running them:
# nbsphinx (`nbsphinx_execute = "never"`), myst-nb (`nb_execution_mode = "off"`, formerly
# `jupyter_execute_notebooks`) in a Sphinx conf.py, and Jupyter Book (`execute_notebooks: off` in _config.yml).
STORED_OUTPUTS = re.compile(
    r"""^\s*(?:nbsphinx_execute|nb_execution_mode|jupyter_execute_notebooks)\s*=\s*["'](?:never|off)["']"""
    r"""|^\s*execute_notebooks\s*:\s*["']?off\b""",
    re.MULTILINE,
)
DOC_FOLDERS = frozenset({"docs", "doc", "examples", "example", "tutorials", "tutorial"})


def _docs_render_stored_outputs(project: Project) -> bool:
    """Return True when a Sphinx conf.py or a Jupyter Book _config.yml shows notebooks without running them."""
    for path in project.python:
        if path.endswith("conf.py") and STORED_OUTPUTS.search(project.python[path].text):
            return True
    return any(p.endswith("_config.yml") and STORED_OUTPUTS.search(text or "") for p, text in project.texts.items())


@register
class LargeNotebookOutputs(Rule):
    """Flags notebooks committed with large outputs.

    ## What it does
    Adds up everything stored in the cells' outputs (text, HTML, embedded base64 images);
    500 KB or more (threshold `notebook_output_kb`) is a finding. When the project's documentation
    build shows notebooks with their stored outputs instead of running them (`nbsphinx_execute = "never"`,
    myst-nb's `nb_execution_mode = "off"`, Jupyter Book's `execute_notebooks: off`), the outputs of the
    notebooks in its docs, examples and tutorials folders are the rendered pages, and are not reported.

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
        rendered = _docs_render_stored_outputs(project)
        for pf in _notebooks(project):
            if rendered and DOC_FOLDERS & set(pf.path.split("/")[:-1]):
                continue  # the documentation shows these outputs as they are stored: they are its content
            total = sum(cell.output_bytes for cell in pf.cells)
            text_bytes = sum(len(out) for cell in pf.cells for out in cell.outputs)
            if total >= limit:
                yield Hit(
                    pf.path,
                    None,
                    f"{pf.path} carries ~{total / 1000:.0f} KB of committed outputs "
                    f"({text_bytes / 1000:.0f} KB text, the rest images/other)",
                )
