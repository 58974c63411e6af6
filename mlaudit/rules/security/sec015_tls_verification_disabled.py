"""Provides rule SEC015: TLS verification disabled."""

from __future__ import annotations

import ast

from mlaudit.model import Severity
from mlaudit.project import PythonFile
from mlaudit.registry import Hit, register
from mlaudit.rules.security._shared import CallRule, is_const, keyword, place

HTTP_CLIENTS = ("requests.", "httpx.", "aiohttp.")


@register
class TlsVerificationDisabled(CallRule):
    """Flags HTTP calls and clients created with `verify=False`.

    ## What it does
    Finds `verify=False` passed to requests/httpx calls, sessions and clients.

    ## Why is this bad?
    Certificate checks are off, so anyone on the network path can read or alter the traffic,
    including API keys and downloaded model weights.

    ## Example
    ```python
    requests.get(url, verify=False, timeout=10)
    ```

    ## Use instead
    ```python
    requests.get(url, verify="/etc/ssl/corp-ca.pem", timeout=10)
    ```
    """

    code = "SEC015"
    title = "TLS verification disabled"
    practice = "security"
    severity = Severity.ERROR
    fix = "Remove verify=False; point verify= at your CA bundle if a private CA is the problem."

    def judge(self, pf: PythonFile, call: ast.Call, name: str) -> Hit | None:
        if name.startswith(HTTP_CLIENTS) and is_const(keyword(call, "verify"), False):
            return Hit(pf.path, call.lineno, f"{name}(verify=False) {place(pf, call)}")
        return None
