"""Provides rule LOG006: sys.stderr.write used as logging."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import FileKind, Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.logging._shared import is_cli_output, outputs


@register
class StderrAsLogging(Rule):
    """Flags `sys.stderr.write` used for diagnostics in library code.

    ## What it does
    Reports `sys.stderr.write(...)` in library modules outside the main guard, CLI modules
    and command functions.

    ## Why is this bad?
    It is a print with extra steps: no level, no timestamp, no module, and no way for the
    application to silence or redirect it.

    ## Example
    ```python
    sys.stderr.write(f"skipping {path}\\n")
    ```

    ## Use instead
    ```python
    logger.warning("skipping %s", path)
    ```
    """

    code = "LOG006"
    title = "sys.stderr.write used as logging"
    practice = "logging"
    severity = Severity.WARNING
    fix = "Use logger.warning(...) / logger.error(...) from logging.getLogger(__name__)."
    weight = 3
    cap = 10

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python_of(FileKind.LIBRARY):
            for call in outputs(pf):
                if call.name == "sys.stderr.write" and not is_cli_output(project, pf, call):
                    yield Hit(pf.path, call.line, f"sys.stderr.write({call.argument}) in {call.where}{pf.path}")
