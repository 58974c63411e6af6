"""Provides rule LOG003: Root logger used in library code."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import FileKind, Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.logging._shared import is_cli_output, outputs


@register
class RootLoggerCall(Rule):
    """Flags `logging.info(...)` and friends called on the root logger in library modules.

    ## What it does
    Reports `logging.debug/info/warning/error/exception/critical/log(...)` in library
    modules. Scripts and tests may use them, and so may a program's command-line code (the
    main guard, `main()`, command functions, CLI modules): the root logger is the application's.

    ## Why is this bad?
    Root-logger records carry no module name, so they cannot be filtered or silenced per
    module, and the first call silently runs `basicConfig`, overriding the application's setup.

    ## Example
    ```python
    import logging

    logging.info("loaded %d rows", len(df))
    ```

    ## Use instead
    ```python
    logger = logging.getLogger(__name__)

    logger.info("loaded %d rows", len(df))
    ```
    """

    code = "LOG003"
    title = "Root logger used in library code"
    practice = "logging"
    severity = Severity.WARNING
    fix = "Create logger = logging.getLogger(__name__) at the top of the module and call logger.info(...)."
    weight = 4
    cap = 15

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python_of(FileKind.LIBRARY):
            for call in outputs(pf):
                root = call.name.startswith("logging.") and call.name != "logging.basicConfig"
                if root and not is_cli_output(project, pf, call):
                    yield Hit(pf.path, call.line, f"{call.name}(...) in {call.where}{pf.path} logs to the root logger")
