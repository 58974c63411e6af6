"""Provides rule SEC016: HTTP call without a timeout."""

from __future__ import annotations

import ast

from mlaudit.model import Severity
from mlaudit.project import PythonFile
from mlaudit.registry import Hit, register
from mlaudit.rules.security._shared import CallRule, keyword, place

HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})


@register
class HttpWithoutTimeout(CallRule):
    """Flags `requests` calls without a `timeout=`.

    ## What it does
    Finds `requests.get/post/...` calls that pass no `timeout`.

    ## Why is this bad?
    requests waits forever by default: one stalled server hangs a training job or a worker.

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
    fix = "Pass timeout= (seconds) to every requests call."
    targets = frozenset(f"requests.{verb}" for verb in HTTP_VERBS)

    def judge(self, pf: PythonFile, call: ast.Call, name: str) -> Hit | None:
        if keyword(call, "timeout") is not None or any(kw.arg is None for kw in call.keywords):
            return None
        return Hit(pf.path, call.lineno, f"{name}() without timeout= {place(pf, call)}")
