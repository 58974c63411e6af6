"""Provides rule LOG006: sys.stderr.write used as logging."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.model import FileKind, Severity
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.logging._shared import OutputCall, is_cli_output, outputs


@register
class StderrAsLogging(Rule):
    """Flags `sys.stderr.write` used for diagnostics in library code.

    ## What it does
    Reports `sys.stderr.write(...)` in library modules outside the main guard, CLI modules
    and command functions. Terminal control is not diagnostics and is left out: writing escape
    sequences (`"\\x1b[2A"`: move the cursor, hide it, clear a line) and the `write()` method of
    a stream object of the module itself (a wrapper that forwards what it is given to stderr).

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
                if call.name != "sys.stderr.write" or _terminal_control(pf, call):
                    continue
                if not is_cli_output(project, pf, call):
                    yield Hit(pf.path, call.line, f"sys.stderr.write({call.argument}) in {call.where}{pf.path}")


ESCAPES = ("\\x1b[", "\\033[", "\\u001b[")


def _terminal_control(pf: PythonFile, call: OutputCall) -> bool:
    """Return True for an escape sequence written to the terminal, or a stream wrapper's own `write()`."""
    if any(escape in call.argument for escape in ESCAPES):
        return True
    return call.function == "write" and any(
        isinstance(stmt, ast.FunctionDef)
        and stmt.name == "write"
        and stmt.lineno <= call.line <= (stmt.end_lineno or 0)
        for cls in pf.nodes(ast.ClassDef)
        if isinstance(cls, ast.ClassDef)
        for stmt in cls.body
    )
