"""Provides rule SEC015: TLS verification disabled."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.security._shared import ResolvedCall, _resolved_calls, is_const, keyword, place

HTTP_CLIENTS = ("requests.", "httpx.", "aiohttp.")


@register
class TlsVerificationDisabled(Rule):
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

    def check(self, project: Project) -> Iterator[Output]:
        calls: tuple[ResolvedCall, ...] = project.fact("security.calls", _resolved_calls)
        for resolved in calls:
            if resolved.name.startswith(HTTP_CLIENTS) and is_const(keyword(resolved.call, "verify"), False):
                where = place(resolved.pf, resolved.call)
                yield Hit(resolved.pf.path, resolved.call.lineno, f"{resolved.name}(verify=False) {where}")
