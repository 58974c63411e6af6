"""Provides a small, in-scope data flow for "secrets and personal data written to output".

Sources, followed through assignments in the same function (or module level):
- the contents of a file named like credentials (`open("creds.txt")`, `secrets.json`, `*.pem`);
- the event and raw body of a request handler (web routes, serverless `handler(event, context)`),
  and whatever is computed from them (the parsed body, the model's response to it);
- a request model whose fields are personal data (name, email, phone, address):
  the object itself, its `model_dump()` / `dict()` / `json()`, and its personal fields;
- secret fields of a settings object (`settings.api_token`).
Request ids, latencies, counts and lengths are not data: `len(body)` and `event["requestId"]`
are fine.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from mlaudit.model import Severity
from mlaudit.project import FunctionNode, PythonFile
from mlaudit.secrets import names_no_secret

SECRET_FILE = re.compile(
    r"(?i)cred|secret|(?<![a-z])token(?!s|iz)|passw|api[_-]?key|\.pem$|\.key$|service[_-]?account|\.netrc"
)
PII_FIELD = re.compile(
    r"(?i)^(?:full_?name|first_?name|last_?name|given_?name|surname|name|e_?mail(?:_address)?|phone(?:_number)?"
    r"|mobile|address|street|postcode|zip_?code|date_of_birth|dob|birth_?date|ssn|passport\w*|national_id)$"
)
SETTINGS_NAMES = frozenset({"settings", "config", "cfg", "conf", "SETTINGS", "CONFIG", "env", "secrets"})
SETTINGS_SECRET = re.compile(r"(?i)token|secret|passw|api_?key|private_?key|credential")
# Fields that describe a request rather than carry its content: ids, timings, counts and sizes, and the process or
# network coordinates of a distributed worker (`tp_rank`, `embedding_port`): metadata, never a user's data.
NOT_DATA_KEYS = re.compile(
    r"(?i:(?:^|_)(?:id|ids|latency|time|duration|count|status|len|length|size|ms|rank|port))$"
    r"|[a-z](?:Id|Ids|Latency|Time|Duration|Count|Status|Length|Size|Ms|Rank|Port)$"
)
HARMLESS_CALLS = frozenset({"len", "type", "bool", "isinstance", "hash", "id", "round", "sorted"})
DUMP_METHODS = frozenset({"model_dump", "dict", "json", "model_dump_json", "to_dict"})
ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "route", "api_route", "websocket"})
_POSITION = operator.attrgetter("lineno", "col_offset")


RAW_REQUEST = "the raw request"
PARSERS = frozenset({"loads", "load", "parse_raw", "parse_obj", "model_validate", "model_validate_json", "get", "dict"})


# A function named for making a value safe to show (`safe_log_value`, `redact`, `mask_email`, `sanitize`,
# `anonymize`, `scrub`): what it returns is the loggable form the rule asks for, not the request's raw data.
SANITISER = re.compile(r"(?i)^_*(?:safe_|redact|mask|saniti[sz]e|anonymi[sz]e|pseudonymi[sz]e|scrub|obfuscate)")


def _sanitised(value: ast.expr) -> bool:
    """Return True for a value returned by a sanitiser (`safe_log_value(payload.key)`)."""
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return bool(SANITISER.match(name))


def _computes(value: ast.expr) -> bool:
    """Return True when a value is computed from its inputs (a model call), not just parsed from them."""
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name not in PARSERS


@dataclass(frozen=True)
class Leak:
    """A print/log call that writes a secret or personal data, what it writes, and how bad it is."""

    call: ast.Call
    what: str
    severity: Severity


def _is_handler(func: FunctionNode) -> bool:
    routed = any(
        isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in ROUTE_METHODS
        for d in func.decorator_list
    )
    return routed or [a.arg for a in func.args.args][:2] == ["event", "context"]


def _pii_models(pf: PythonFile) -> dict[str, list[str]]:
    """Return request-model classes of the module whose annotated fields are personal data."""
    models: dict[str, list[str]] = {}
    for cls in pf.nodes(ast.ClassDef):
        fields = [
            s.target.id
            for s in cls.body
            if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name) and PII_FIELD.match(s.target.id)
        ]
        if fields:
            models[cls.name] = fields
    return models


def _loaded_names(node: ast.AST) -> Iterator[ast.Name]:
    """Yield the names an expression reads, skipping lengths, types, id/latency subscripts and the tests of
    conditional expressions."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in HARMLESS_CALLS:
        return
    if isinstance(node, ast.Subscript):
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and NOT_DATA_KEYS.search(key.value):
            return
    if isinstance(node, ast.Attribute) and NOT_DATA_KEYS.search(node.attr):
        return
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
        yield node
    # a conditional's value is one of its branches: the request field it tests (`"dry-run" if payload.dry_run else
    # "COMMIT"`) picks between them and does not flow into it
    children = (node.body, node.orelse) if isinstance(node, ast.IfExp) else ast.iter_child_nodes(node)
    for child in children:
        yield from _loaded_names(child)


class _Scope:
    """Taint of names in one function (or the module body), in source order."""

    def __init__(
        self, pf: PythonFile, func: FunctionNode | None, pii: dict[str, list[str]], opens_secrets: bool = True
    ) -> None:
        self.pf = pf
        self.opens_secrets = opens_secrets
        self.taint: dict[str, tuple[str, Severity]] = {}
        self.handles: dict[str, str] = {}
        self.pii_params: dict[str, list[str]] = {}
        if func is not None and _is_handler(func):
            for arg in func.args.args:
                ann = arg.annotation
                model = ann.id if isinstance(ann, ast.Name) else None
                if model in pii:
                    self.pii_params[arg.arg] = pii[model]
                elif arg.arg in {"event", "body", "payload", "request_body", "data"}:
                    self.taint[arg.arg] = (RAW_REQUEST, Severity.WARNING)

    def feed(self, node: ast.AST) -> None:
        if isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                name = _secret_open(item.context_expr)
                if name and isinstance(item.optional_vars, ast.Name):
                    self.handles[item.optional_vars.id] = name
        elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            source = self._source_of(node.value)
            for target in targets:
                if isinstance(target, ast.Name):
                    if source is not None:
                        self.taint[target.id] = source
                    else:
                        self.taint.pop(target.id, None)

    def _source_of(self, value: ast.expr) -> tuple[str, Severity] | None:
        if not (self.taint or self.handles or self.opens_secrets):
            return None  # nothing tainted yet and no credentials file opened anywhere in the file
        if _sanitised(value):
            return None  # `audit_key = safe_log_value(payload.key)`: made safe to log
        opened = next((s for n in ast.walk(value) if (s := _secret_open(n))), None)
        if opened:
            return f"the contents of {opened}", Severity.ERROR
        for name in _loaded_names(value):
            if name.id in self.handles:
                return f"the contents of {self.handles[name.id]}", Severity.ERROR
            if name.id in self.taint:
                what, severity = self.taint[name.id]
                if what == RAW_REQUEST and _computes(value):
                    return "the response computed from the request", severity
                return what, severity
        return None

    def leak(self, arg: ast.expr) -> tuple[str, Severity] | None:
        for node in ast.walk(arg):
            found = self._pii_use(node) or _settings_secret(node)
            if found:
                return found
        for name in _loaded_names(arg):
            if name.id in self.taint:
                what, severity = self.taint[name.id]
                return f"{what} (`{name.id}`)", severity
        return None

    def _pii_use(self, node: ast.AST) -> tuple[str, Severity] | None:
        pii_param = (
            isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in self.pii_params
        )
        if pii_param and isinstance(node, ast.Attribute) and (node.attr in DUMP_METHODS or PII_FIELD.match(node.attr)):
            return f"personal data of the request (`{ast.unparse(node)}`)", Severity.WARNING
        parent_is_attr = isinstance(self.pf.parent(node), ast.Attribute)
        if isinstance(node, ast.Name) and node.id in self.pii_params and not parent_is_attr:
            fields = ", ".join(self.pii_params[node.id][:3])
            return f"a request with personal data ({fields})", Severity.WARNING
        return None


def _secret_open(node: ast.AST) -> str | None:
    """Return the file name of `open("creds.txt")` (or Path(...).read_text()) when it names credentials."""
    if isinstance(node, ast.Call):
        func = node.func
        opener = (isinstance(func, ast.Name) and func.id == "open") or (
            isinstance(func, ast.Attribute) and func.attr in {"read_text", "open", "read_bytes"}
        )
        if not opener:
            return None
        candidates = list(node.args[:1])
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call):
            candidates.extend(func.value.args[:1])
        for arg in candidates:
            if (
                opener
                and isinstance(arg, ast.Constant)
                and isinstance(arg.value, str)
                and SECRET_FILE.search(arg.value)
            ):
                return arg.value
    return None


def _settings_secret(node: ast.AST) -> tuple[str, Severity] | None:
    named = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in SETTINGS_NAMES
    secret = isinstance(node, ast.Attribute) and SETTINGS_SECRET.search(node.attr) and not names_no_secret(node.attr)
    if named and isinstance(node, ast.Attribute) and secret:
        return f"the secret setting `{ast.unparse(node)}`", Severity.ERROR
    return None


def leaks(pf: PythonFile, is_output: Callable[[PythonFile, ast.Call], bool]) -> Iterator[Leak]:
    """Yield the output calls (`is_output`: print, logger.*) that write one of the sources above."""
    pii = _pii_models(pf)
    opens_secrets = any(_secret_open(call) for call in pf.nodes(ast.Call))
    # Without a credentials file opened or a request handler, no name is ever tainted: assignments need no feeding.
    functions: list[FunctionNode] = [*pf.nodes(ast.FunctionDef), *pf.nodes(ast.AsyncFunctionDef)]
    feeds = opens_secrets or any(_is_handler(f) for f in functions)
    scopes: dict[ast.AST | None, _Scope] = {}
    if feeds:
        nodes: list[ast.AST] = pf.nodes(ast.With, ast.AsyncWith, ast.Assign, ast.AnnAssign, ast.Call)
    else:  # only output calls are wanted: those few, in the same (source) order
        nodes = sorted((c for c in pf.nodes(ast.Call) if is_output(pf, c)), key=_POSITION)
    for node in nodes:
        wanted = is_output(pf, node) if isinstance(node, ast.Call) else feeds
        if not wanted:
            continue
        func = pf.enclosing_function(node)
        scope = scopes.get(func)
        if scope is None:
            scope = scopes[func] = _Scope(pf, func, pii, opens_secrets)
        if isinstance(node, ast.Call):
            yield from _call_leak(scope, node)
        else:
            scope.feed(node)


def _call_leak(scope: _Scope, call: ast.Call) -> Iterator[Leak]:
    for arg in [*call.args, *(k.value for k in call.keywords)]:
        found = scope.leak(arg)
        if found is not None:
            yield Leak(call, found[0], found[1])
            return
