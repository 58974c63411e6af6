"""Provides rule SEC007: User data or secret written to logs."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from mlaudit.facts.loops import last_name
from mlaudit.facts.output_leaks import HARMLESS_CALLS, NOT_DATA_KEYS, leaks
from mlaudit.model import FileKind, Severity
from mlaudit.name_tests import NameTest
from mlaudit.project import PythonFile, assigned_values
from mlaudit.registry import FileRule, Hit, register
from mlaudit.rules.logging._shared import outputs
from mlaudit.rules.production._shared import framework_of
from mlaudit.rules.security._shared import _callee, _literal_str, place

LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log", "fatal"})


LOGGER_NAMES = frozenset({"logger", "log", "logging", "_logger", "_log", "LOGGER", "LOG", "_LOGGER"})


SENSITIVE_NAME = re.compile(
    r"(?i)^(?:\w*_)?(?:e_?mail|phone(?:_number)?|ssn|social_security_number|password|passwd|api_?key|secret"
    r"|credit_?card(?:_number)?|card_number|access_token|auth_token|api_token|refresh_token|bearer_token|id_token"
    r"|hf_token)$|^(?:user_)?prompts?$|^user_(?:input|message)$"
)


# `UPDATE_USER_PASSWORD`, `reset_password`, `validate_email`: an operation on the value (a route, a function), not it
ACTION_NAME = re.compile(r"(?i)^_?(?:update|reset|change|forgot|forget|verify|validate|check)_")


# `hashed_password`, `hashed_api_key`: a secret's one-way hash, the form a store keeps in its place, not the secret
HASHED_NAME = re.compile(r"(?i)^_?hashed_")


PROMPT_NAME = re.compile(r"(?i)^(?:user_)?prompts?$|^user_(?:input|message)$")


# personal fields a command may show its operator (`Email: ...` after creating a user), unlike secrets
PERSONAL_NAME = re.compile(r"(?i)^(?:\w*_)?(?:e_?mail|phone(?:_number)?)$")


BODY_ATTRS = frozenset({"json", "get_json", "body", "form", "data", "values", "stream"})


BODY_PARAMS = frozenset({"payload", "body", "request_body", "json_body", "data"})


ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "route", "api_route", "websocket"})


def _unwrap(node: ast.expr) -> ast.expr:
    while isinstance(node, ast.Await | ast.Call):
        node = node.value if isinstance(node, ast.Await) else node.func
    return node


def is_request_body(node: ast.expr) -> bool:
    """Return True for `request.json`, `request.get_json()`, `await request.body()` and the like."""
    target = _unwrap(node)
    return (
        isinstance(target, ast.Attribute)
        and target.attr in BODY_ATTRS
        and isinstance(target.value, ast.Name)
        and target.value.id in {"request", "req"}
    )


def _made_here(pf: PythonFile, node: ast.expr) -> bool:
    """Return True when the `request`/`req` a body read starts from is an object its function makes itself
    (`req = requests.get(url)`, `request = urllib.request.Request(url)`): a response it received or a request it
    sends, not the framework's incoming request (a handler's parameter, Flask's imported `request`)."""
    target = _unwrap(node)
    owner = target.value if isinstance(target, ast.Attribute) else None
    func = pf.enclosing_function(node)
    if not isinstance(owner, ast.Name) or func is None:
        return False
    bound = assigned_values(func, owner.id)
    return bool(bound) and all(isinstance(value, ast.Call | ast.Await) for value in bound)


def is_route(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Return True when a decorator registers the function as a web route (`@app.post(...)`)."""
    return any(
        isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in ROUTE_METHODS
        for d in func.decorator_list
    )


def _body_names(pf: PythonFile) -> dict[ast.AST, set[str]]:
    """Map each function to the local names holding a raw request body."""
    names: dict[ast.AST, set[str]] = {}
    for assign in pf.nodes(ast.Assign):
        incoming = is_request_body(assign.value) and not _made_here(pf, assign.value)
        func = pf.enclosing_function(assign) if incoming else None
        if func is not None:
            names.setdefault(func, set()).update(t.id for t in assign.targets if isinstance(t, ast.Name))
    for handler in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
        if isinstance(handler, ast.FunctionDef | ast.AsyncFunctionDef) and is_route(handler):
            names.setdefault(handler, set()).update(_body_params(handler))
    return names


def _body_params(handler: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """Return a route handler's parameters that carry the raw body (dict/Any or named payload/body)."""
    return [a.arg for a in handler.args.args if a.arg in BODY_PARAMS or _untyped_body(a)]


def _untyped_body(arg: ast.arg) -> bool:
    ann = arg.annotation
    base = ann.value if isinstance(ann, ast.Subscript) else ann
    return isinstance(base, ast.Name) and base.id in {"dict", "Dict", "Any"}


def is_log_call(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for print(...) and logger/logging calls."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id == "print" and "print" not in pf.imports
    if not (isinstance(func, ast.Attribute) and func.attr in LOG_METHODS):
        return False
    receiver = func.value
    name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
    return name in LOGGER_NAMES or (pf.call_name(call) or "").startswith("logging.")


def _sensitive(pf: PythonFile, node: ast.AST, ident: str, body: set[str], service: bool = True) -> str | None:
    """Describe what sensitive value `node` (named `ident`) is, or return None."""
    shown = ast.unparse(node)[:40]
    if isinstance(node, ast.Name):
        if not isinstance(node.ctx, ast.Load):
            return None
        if ident in body:
            return f"request body `{shown}`"
    elif isinstance(node, ast.Attribute) and is_request_body(node) and not _made_here(pf, node):
        return f"request body `{shown}`"
    elif isinstance(node, ast.Attribute) and not isinstance(node.value, ast.Name):
        return None
    if PROMPT_NAME.match(ident) and not service:
        return None  # a local tool printing its own user's prompt is not a leak of user data
    named = SENSITIVE_NAME.match(ident) and not ACTION_NAME.match(ident) and not HASHED_NAME.match(ident)
    return f"`{shown}`" if named else None


def _log_call_of(pf: PythonFile, node: ast.AST) -> ast.Call | None:
    """Return the log call that writes `node`; None when only its size, type or id is written."""
    child = node
    for anc in pf.ancestors(node):
        if isinstance(anc, ast.stmt) or _summarises(anc, child):
            return None
        if isinstance(anc, ast.Call) and child is not anc.func and is_log_call(pf, anc):
            return anc
        child = anc
    return None


LABEL_ATTRS = frozenset({"name", "env_var", "__name__"})


def _named_only(pf: PythonFile, node: ast.AST) -> bool:
    """Return True for `ADMIN_PASSWORD.name`: the label of a secret's setting (the variable to set), not its value."""
    parent = pf.parent(node)
    return isinstance(parent, ast.Attribute) and parent.value is node and parent.attr in LABEL_ATTRS


NAME_COLLECTION = re.compile(r"(?i)(?:^|_)(?:keys|names|ids)$")


COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _scope_nodes(root: ast.AST, use: ast.AST) -> Iterator[ast.AST]:
    """Yield the nodes of `root` in `use`'s scope: comprehensions that do not hold `use` bind their own names."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node is not root and isinstance(node, COMPREHENSIONS) and not any(n is use for n in ast.walk(node)):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _names_loop(func: ast.FunctionDef | ast.AsyncFunctionDef, use: ast.Name) -> bool:
    """Return True when the only binding of `use`'s name in `func` is a loop over keys or names
    (`for secret in keys:`): it holds each secret's name, not its value."""
    loops: list[ast.For | ast.AsyncFor | ast.comprehension] = []
    targets: list[ast.AST] = []
    for node in _scope_nodes(func, use):
        if isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
            if isinstance(node.target, ast.Name) and node.target.id == use.id:
                loops.append(node)
                targets.append(node.target)
        elif isinstance(node, ast.Name) and node.id == use.id and isinstance(node.ctx, ast.Store):
            if not any(target is node for target in targets):
                return False
        elif isinstance(node, ast.arg) and node.arg == use.id:
            return False
    return bool(loops) and all(NAME_COLLECTION.search(last_name(loop.iter)) for loop in loops)


def _summarises(node: ast.AST, child: ast.AST) -> bool:
    """Return True when `node` reduces `child` to a count, type, id or a worker's coordinate (`len(body)`,
    `body.request_id`, `body["tp_rank"]`)."""
    if isinstance(node, ast.Call) and child is not node.func:
        return isinstance(node.func, ast.Name) and node.func.id in HARMLESS_CALLS
    if isinstance(node, ast.Subscript) and child is node.value:
        key = _literal_str(node.slice)
        return key is not None and bool(NOT_DATA_KEYS.search(key))
    return isinstance(node, ast.Attribute) and bool(NOT_DATA_KEYS.search(node.attr))


def sensitive_logs(pf: PythonFile) -> Iterator[tuple[ast.Call, str]]:
    """Yield each log/print call that writes user data or secrets, with what it writes."""
    bodies = _body_names(pf)
    body_names = set().union(*bodies.values()) if bodies else set()
    service = framework_of(pf) is not None
    seen: set[ast.Call] = set()
    for node, ident in _candidates(pf, body_names):
        func = pf.enclosing_function(node)
        what = _sensitive(pf, node, ident, bodies.get(func, set()) if func is not None else set(), service)
        if what is not None and not what.startswith("request body") and _named_only(pf, node):
            continue
        if what is not None and func is not None and isinstance(node, ast.Name) and _names_loop(func, node):
            continue
        if what is not None and _masked(pf, node, ident):
            continue
        call = _log_call_of(pf, node) if what else None
        if (
            call is not None
            and (PERSONAL_NAME.match(ident) or _minted(pf, node, ident))
            and _shown_to_operator(pf, call)
        ):
            continue
        if call is not None and what is not None and call not in seen:
            seen.add(call)
            yield call, what


MASK_CHARS = 8  # a secret's first or last few characters identify which key it is, and give too little to use it


def _masked(pf: PythonFile, node: ast.AST, ident: str) -> bool:
    """Return True for a secret cut to its first or last few characters (`api_key[:8]`, `token[-4:]`): the masked
    form that tells which key is set, not a usable value. A prompt or personal field cut short is still user data."""
    parent = pf.parent(node)
    if PROMPT_NAME.match(ident) or PERSONAL_NAME.match(ident):
        return False
    if not (isinstance(parent, ast.Subscript) and parent.value is node and isinstance(parent.slice, ast.Slice)):
        return False
    cut = parent.slice
    lower, upper = _int_bound(cut.lower), _int_bound(cut.upper)
    if cut.step is not None:
        return False
    if cut.lower is None or lower == 0:
        return upper is not None and 0 < upper <= MASK_CHARS
    return cut.upper is None and lower is not None and -MASK_CHARS <= lower < 0


def _int_bound(node: ast.expr | None) -> int | None:
    """Return a slice bound written as an integer literal (`8`, `-4`); None otherwise."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _int_bound(node.operand)
        return -inner if inner is not None else None
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    return None


# a function that makes a new secret: `random_secret()`, `generate_api_key()`, `new_token()`
MINTING_NAME = re.compile(r"(?i)^_?(?:random|generate|gen|new|make|create|mint)_")


def _minted(pf: PythonFile, node: ast.AST, ident: str) -> bool:
    """Return True for a call that makes a new secret (`random_secret()`): the value exists only in what is printed."""
    parent = pf.parent(node)
    return isinstance(parent, ast.Call) and parent.func is node and bool(MINTING_NAME.match(ident))


def _shown_to_operator(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for a print on a command's terminal (a CLI module, the main guard, a command or interactive
    function): it shows the operator the record they work on, and reaches no log."""
    if not (isinstance(call.func, ast.Name) and call.func.id == "print"):
        return False
    return all(output.line != call.lineno for output in outputs(pf))


_sensitive_match = NameTest(SENSITIVE_NAME, anchored=True)  # identifiers repeat: each is matched once


def _sensitive_name(ident: str) -> bool:
    """Return True for a request-body attribute or a name `SENSITIVE_NAME` matches."""
    return ident in BODY_ATTRS or _sensitive_match(ident)


def _candidate_idents(idents: set[str], body_names: set[str]) -> set[str]:
    """Return the identifiers of a file that could hold user data or secrets."""
    return {ident for ident in idents if ident in body_names or _sensitive_name(ident)}


def _candidates(pf: PythonFile, body_names: set[str]) -> Iterator[tuple[ast.AST, str]]:
    """Yield the names, attributes and string keys that could hold user data or secrets, in source order."""
    found: list[tuple[ast.expr, str]] = []
    names = pf.nodes(ast.Name)  # names, attributes, then string keys: each kind read without testing it
    wanted = _candidate_idents({name.id for name in names}, body_names)  # each identifier tested once
    found.extend((name, name.id) for name in names if name.id in wanted)
    attributes = pf.nodes(ast.Attribute)
    wanted = _candidate_idents({attribute.attr for attribute in attributes}, body_names)
    found.extend((attribute, attribute.attr) for attribute in attributes if attribute.attr in wanted)
    for subscript in pf.nodes(ast.Subscript):
        key = _literal_str(subscript.slice)
        if key is not None and (key in body_names or _sensitive_name(key)):
            found.append((subscript, key))
    # Sorting the few candidates (stable) gives the order of sorting every node first, at a fraction of the cost.
    found.sort(key=lambda item: (item[0].lineno, item[0].col_offset))
    yield from found


@register
class SensitiveDataLogged(FileRule):
    """Flags logging or printing of request bodies, prompts, emails, passwords and tokens.

    ## What it does
    Finds `print` and logger calls whose arguments include a raw request body
    (`request.json`, `await request.body()`, an untyped body parameter), or a variable,
    attribute or key named like email, phone, ssn, password, token, api_key, secret,
    credit_card, prompt or user input. The label of a secret's setting (`ADMIN_PASSWORD.name`:
    the variable a user should set) is not its value, and a name that starts with an action
    (`UPDATE_USER_PASSWORD`, `reset_password`: a route or function) names an operation on it:
    neither is reported, nor is a value a sanitiser returns (`audit_key = safe_log_value(payload.key)`,
    `redact(...)`, `mask_email(...)`: the loggable form), nor a constant a request field only picks
    (`"dry-run" if payload.dry_run else "COMMIT"`), nor is a secret's one-way hash (`hashed_password`: the form a password store keeps in
    its place, which gives no way back to the password), nor is a loop variable whose only binding runs over keys or names
    (`for secret in keys:`, `for token in vault.list_names()`): it holds each secret's name. A field that
    describes the request rather than carries it (an id, a count, a size, a timing, a distributed worker's
    `tp_rank` or `port`: `body["request_id"]`, `data.tp_rank`) is metadata, not user data. A secret cut to its
    first or last few characters (`api_key[:8]`, `token[-4:]`: at most 8) is the masked form that tells which
    key is set, not a usable value.
    A command's print of an email or phone number (an admin command confirming the user it
    created, in a CLI module, the main guard, or a command or interactive function) shows its
    operator the record they work on and is not reported; its print of a secret is, unless the command makes
    the secret there (`print(f"AUTH_SECRET={random_secret()}")` in a `create-secret` command): it hands its
    operator a new value to store, which no log or store held before.

    ## Why is this bad?
    Logs are copied to aggregators, tickets and laptops with far weaker access control than
    the database; personal data and secrets in them are a privacy incident (GDPR/CCPA).

    ## Example
    ```python
    logger.info(f"batch request: {payload}")
    print(f"login user={body['user']} password={body['password']}")
    ```

    ## Use instead
    ```python
    logger.info("batch request: %d users", len(payload.users))
    ```
    """

    code = "SEC007"
    file_kinds = (FileKind.LIBRARY, FileKind.SCRIPT)
    title = "User data or secret written to logs"
    practice = "security"
    severity = Severity.WARNING
    fix = "Log counts, ids or hashes instead of raw bodies and personal fields; never log secrets."

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        logs = {call for call in pf.nodes(ast.Call) if is_log_call(pf, call)}
        if not logs:
            return  # both checks report a log call: a module that has none (most) has nothing to report
        seen: set[ast.Call] = set()
        for leak in leaks(pf, lambda _pf, call: call in logs):
            seen.add(leak.call)
            yield self._hit(pf, leak.call, leak.what, leak.severity)
        for call, what in sensitive_logs(pf):
            if call not in seen:
                yield self._hit(pf, call, what, None)

    @staticmethod
    def _hit(pf: PythonFile, call: ast.Call, what: str, severity: Severity | None) -> Hit:
        callee = "print" if isinstance(call.func, ast.Name) else _callee(call)
        return Hit(pf.path, call.lineno, f"{callee}() writes {what} to the logs {place(pf, call)}", severity)
