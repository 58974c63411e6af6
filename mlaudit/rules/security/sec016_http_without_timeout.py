"""Provides rule SEC016: HTTP call without a timeout."""

from __future__ import annotations

import ast

from mlaudit.model import Severity
from mlaudit.project import PythonFile
from mlaudit.registry import Hit, register
from mlaudit.rules.security._shared import CallRule, keyword, place

HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})
URLOPEN = "urllib.request.urlopen"
URLOPEN_TIMEOUT_POSITION = 3  # urlopen(url, data, timeout)


def _starred(call: ast.Call) -> bool:
    """Return True when positional arguments are unpacked (`urlopen(*args)`): the timeout may be among them."""
    return any(isinstance(arg, ast.Starred) for arg in call.args)


@register
class HttpWithoutTimeout(CallRule):
    """Flags `requests` and `urllib.request.urlopen` calls without a `timeout=`.

    ## What it does
    Finds `requests.get/post/...` and `urllib.request.urlopen` calls that pass no `timeout`.

    ## Why is this bad?
    Both wait forever by default: one stalled server hangs a training job, a weights download or a worker.

    ## Example
    ```python
    resp = requests.get(DATA_URL)
    ```

    ## Use instead
    ```python
    resp = requests.get(DATA_URL, timeout=30)
    ```
    """

    code = "SEC016"
    title = "HTTP call without a timeout"
    practice = "security"
    severity = Severity.INFO
    fix = "Pass timeout= (seconds) to every requests call and urlopen."
    targets = frozenset({*(f"requests.{verb}" for verb in HTTP_VERBS), URLOPEN})

    def judge(self, pf: PythonFile, call: ast.Call, name: str) -> Hit | None:
        if keyword(call, "timeout") is not None or any(kw.arg is None for kw in call.keywords):
            return None
        if name == URLOPEN and (len(call.args) >= URLOPEN_TIMEOUT_POSITION or _starred(call)):
            return None
        return Hit(pf.path, call.lineno, f"{name}() without timeout= {place(pf, call)}")
