"""Provides rule LOG003: Root logger used in library code."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import FileKind, Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.logging._shared import _root_logger_calls, _where


@register
class RootLoggerCall(Rule):
    """Flags `logging.info(...)` and friends called on the root logger in library modules.

    ## What it does
    Reports `logging.debug/info/warning/error/exception/critical/log(...)` in library
    modules (scripts and tests may use them).

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
            for call, name in _root_logger_calls(pf):
                if name != "logging.basicConfig" and not pf.in_main_guard(call):
                    yield Hit(pf.path, call.lineno, f"{name}(...) in {_where(pf, call)} logs to the root logger")
