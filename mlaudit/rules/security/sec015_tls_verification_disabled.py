"""Provides rule SEC015: TLS verification disabled."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import PythonFile
from mlaudit.registry import Hit, register
from mlaudit.rules.security._shared import CallRule, is_const, keyword, place

HTTP_CLIENTS = ("requests.", "httpx.", "aiohttp.")
UNVERIFIED_CONTEXTS = frozenset({"ssl._create_unverified_context", "ssl.CERT_NONE"})


@register
class TlsVerificationDisabled(CallRule):
    """Flags HTTP calls and clients created with `verify=False`, and unverified `ssl` contexts.

    ## What it does
    Finds `verify=False` passed to requests/httpx calls, sessions and clients, and any use of
    `ssl._create_unverified_context` or `ssl.CERT_NONE` (the usual
    `ssl._create_default_https_context = ssl._create_unverified_context` turns certificate
    checks off for every `urllib` download of the process).

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
    fix = "Keep certificate checks on; point verify= (or cafile=) at your CA bundle if a private CA is the problem."

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        yield from super().check_file(pf)
        lines: set[int] = set()
        for node in pf.nodes(ast.Attribute):
            name = pf.qualname(node)
            if name in UNVERIFIED_CONTEXTS and node.lineno not in lines:
                lines.add(node.lineno)
                yield Hit(pf.path, node.lineno, f"{name} {place(pf, node)} turns certificate checks off")

    def judge(self, pf: PythonFile, call: ast.Call, name: str) -> Hit | None:
        if name.startswith(HTTP_CLIENTS) and is_const(keyword(call, "verify"), False):
            return Hit(pf.path, call.lineno, f"{name}(verify=False) {place(pf, call)}")
        return None
