"""Provides rule LOG005: Eagerly formatted log message."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.model import FileKind, Severity
from mlaudit.project import PythonFile, in_loop
from mlaudit.registry import FileRule, Hit, register
from mlaudit.rules.logging._shared import LOG_METHODS, _is_logger, _where


def _is_fstring(arg: ast.expr) -> bool:
    return isinstance(arg, ast.JoinedStr) and any(isinstance(v, ast.FormattedValue) for v in arg.values)


def _is_percent_format(arg: ast.expr) -> bool:
    return isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Mod) and isinstance(arg.left, ast.Constant)


def _is_format_call(arg: ast.expr) -> bool:
    func = arg.func if isinstance(arg, ast.Call) else None
    return isinstance(func, ast.Attribute) and func.attr == "format" and isinstance(func.value, ast.Constant)


_EAGER_FORMS = (("an f-string", _is_fstring), ("%-formatting", _is_percent_format), ("str.format()", _is_format_call))


def _eager_kind(arg: ast.expr) -> str | None:
    """Return how a log message is formatted before the call (f-string, %, .format()), or None."""
    return next((label for label, test in _EAGER_FORMS if test(arg)), None)


def eager_log_calls(pf: PythonFile) -> Iterator[tuple[ast.Call, str, str]]:
    """Yield (call, method, kind) for log calls whose message is formatted before the call."""
    for call in pf.nodes(ast.Call):
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr in LOG_METHODS and _is_logger(pf, func.value)):
            continue
        position = 1 if func.attr == "log" else 0
        if len(call.args) > position:
            kind = _eager_kind(call.args[position])
            if kind:
                yield call, func.attr, kind


@register
class EagerLogFormatting(FileRule):
    """Notes log calls that format their message eagerly (f-string, `%`, `.format()`).

    ## What it does
    Reports logger calls in library and script code whose message is an f-string,
    a `%`-formatted string or a `.format()` call instead of a template plus arguments, where
    the eager string costs something: `debug()` calls (usually switched off) and calls that run
    once per iteration of a loop. A one-off `info()` or `warning()` built with an f-string is style,
    not a cost, and is not reported.

    ## Why is this bad?
    The string is built even when the level is disabled (costly in hot training loops), and
    log aggregators cannot group messages that differ only in their values.

    ## Example
    ```python
    logger.debug(f"batch {i} loss {loss:.4f}")
    ```

    ## Use instead
    ```python
    logger.debug("batch %d loss %.4f", i, loss)
    ```
    """

    code = "LOG005"
    file_kinds = (FileKind.LIBRARY, FileKind.SCRIPT)
    title = "Eagerly formatted log message"
    practice = "logging"
    severity = Severity.INFO
    fix = 'Pass a template and arguments: logger.info("loss %.4f", loss).'

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        if "log" not in pf.text:
            return
        for call, method, kind in eager_log_calls(pf):
            if method == "debug":
                yield Hit(pf.path, call.lineno, f"debug() in {_where(pf, call)} is given {kind}")
            elif in_loop(pf, call):
                yield Hit(pf.path, call.lineno, f"{method}() in a loop of {_where(pf, call)} is given {kind}")
