"""Provides rule SEC015: TLS verification disabled."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import PythonFile
from mlaudit.registry import Hit, register
from mlaudit.rules.security._shared import CallRule, is_const, keyword, place

HTTP_CLIENTS = ("requests.", "httpx.", "aiohttp.")
UNVERIFIED_CONTEXTS = frozenset({"ssl._create_unverified_context", "ssl.CERT_NONE"})
# the server side of TLS: its protocol, a context for authenticating clients, uvicorn's server protocol default
SERVER_SIDE = frozenset({"ssl.PROTOCOL_TLS_SERVER", "ssl.Purpose.CLIENT_AUTH", "uvicorn.config.SSL_PROTOCOL_VERSION"})


def _scope(pf: PythonFile, node: ast.AST) -> int:
    """Return the line of the function around `node`, or 0 at module level."""
    function = pf.enclosing_function(node)
    return function.lineno if function is not None else 0


def _server_scopes(pf: PythonFile) -> frozenset[int]:
    """Return the scopes (`_scope`) that set up the server side of TLS (`ssl.PROTOCOL_TLS_SERVER`,
    `create_default_context(ssl.Purpose.CLIENT_AUTH)`, uvicorn's `SSL_PROTOCOL_VERSION`; a function's decorators count
    as its scope): there `verify_mode` is about client certificates."""
    if not any(marker.rsplit(".", 1)[-1] in pf.text for marker in SERVER_SIDE):
        return frozenset()
    return frozenset(_scope(pf, n) for n in pf.nodes(ast.Attribute, ast.Name) if pf.qualname(n) in SERVER_SIDE)


# The setting `if not config.verify_ssl:` tests: verification is on unless the user turns it off.
VERIFY_SETTING = re.compile(r"(?i)(?:^|_)(?:ssl_|tls_)?verify(?:_ssl|_tls|_certs?)?$")


def _setting_name(node: ast.expr) -> str:
    """Return the name a test reads: `verify_ssl`, `self.cfg.verify_ssl`, or the variable of `os.getenv("NAME")`."""
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
        return str(node.args[0].value)
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _opts_out(test: ast.expr) -> bool:
    """Return True for `not verify_ssl`, alone or as one condition of an `and` (`secure and not verify_ssl`): a
    branch taken only when the user's verification setting is off. An `or` may take it with the setting on."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_opts_out(value) for value in test.values)
    if not (isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)):
        return False
    return VERIFY_SETTING.search(_setting_name(test.operand)) is not None


def in_opt_out_branch(pf: PythonFile, node: ast.AST) -> bool:
    """Return True when `node` sits in the body of `if not verify_ssl:`, the user's opt-out of certificate checks."""
    child = node
    for anc in pf.ancestors(node):
        if isinstance(anc, ast.If) and child in anc.body and _opts_out(anc.test):
            return True
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef):
            return False
        child = anc
    return False


@register
class TlsVerificationDisabled(CallRule):
    """Flags HTTP calls and clients created with `verify=False`, and unverified `ssl` contexts.

    ## What it does
    Finds `verify=False` passed to requests/httpx calls, sessions and clients, and any use of
    `ssl._create_unverified_context` or `ssl.CERT_NONE` (the usual
    `ssl._create_default_https_context = ssl._create_unverified_context` turns certificate
    checks off for every `urllib` download of the process). `ssl.CERT_NONE` in a function (or module)
    that sets up a TLS server (`ssl.PROTOCOL_TLS_SERVER`, `ssl.Purpose.CLIENT_AUTH`, uvicorn's
    `SSL_PROTOCOL_VERSION`, also in the function's decorators: a `--ssl-cert-reqs` option) is not reported:
    on a server it only means that clients need no certificate of their own, the usual setting. Nor is
    one in the branch of a verification setting turned off (`if not config.verify_ssl:`, also as one condition of an
    `and`: `if self.secure and not self.verify_ssl:`; not of an `or`, which may take the branch with checks on): like
    `verify=verify_ssl`, it follows the user's setting, which keeps checks on unless told otherwise.

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
        servers: frozenset[int] | None = None
        for node in pf.nodes(ast.Attribute):
            name = pf.qualname(node)
            if name == "ssl.CERT_NONE" and servers is None:
                servers = _server_scopes(pf)
            if name == "ssl.CERT_NONE" and servers and _scope(pf, node) in servers:
                continue  # a server that asks for no client certificate: the TLS server default
            if name in UNVERIFIED_CONTEXTS and node.lineno not in lines and not in_opt_out_branch(pf, node):
                lines.add(node.lineno)
                yield Hit(pf.path, node.lineno, f"{name} {place(pf, node)} turns certificate checks off")

    def judge(self, pf: PythonFile, call: ast.Call, name: str) -> Hit | None:
        if name.startswith(HTTP_CLIENTS) and is_const(keyword(call, "verify"), False):
            return Hit(pf.path, call.lineno, f"{name}(verify=False) {place(pf, call)}")
        return None
