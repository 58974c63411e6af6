"""Provides where a value comes from, for rules whose severity depends on it: a string checked
to be digits, data that arrived with a web request / serverless event, or an entry of a
parsed config mapping.
"""

from __future__ import annotations

import ast
import re

from mlaudit.project import PythonFile, parameter_defaults
from mlaudit.rules.production._shared import ROUTE_METHODS, is_django_view, is_injected

_DIGIT_CHECKS = frozenset({"isnumeric", "isdigit", "isdecimal"})
_REQUEST_NAMES = frozenset({"request", "req", "event", "payload", "body", "form", "query_params"})


def _checks_digits(test: ast.expr, name: str) -> bool:
    """Return True for `name.isnumeric()` (or isdigit/isdecimal), alone or in an `and`."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_checks_digits(v, name) for v in test.values)
    return (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Attribute)
        and test.func.attr in _DIGIT_CHECKS
        and isinstance(test.func.value, ast.Name)
        and test.func.value.id == name
    )


def _within(node: ast.AST, roots: list[ast.stmt] | ast.expr) -> bool:
    parts = roots if isinstance(roots, list) else [roots]
    return any(node is sub for root in parts for sub in ast.walk(root))


def digits_only(pf: PythonFile, call: ast.Call, arg: ast.expr) -> bool:
    """Return True when `arg` is a name the code has just checked to be all digits (`eval(s)` is `int(s)`)."""
    if not isinstance(arg, ast.Name):
        return False
    for anc in pf.ancestors(call):
        if isinstance(anc, ast.IfExp) and _checks_digits(anc.test, arg.id) and _within(call, anc.body):
            return True
        if isinstance(anc, ast.If) and _checks_digits(anc.test, arg.id) and _within(call, anc.body):
            return True
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef):
            return False
    return False


def _is_handler(pf: PythonFile, func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Return True for web routes (`@app.post(...)`, a Django view's `post(self, request)`) and serverless
    handlers `(event, context)`."""
    if is_django_view(pf, func) or any(
        isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in ROUTE_METHODS
        for d in func.decorator_list
    ):
        return True
    names = [a.arg for a in func.args.args]
    return names[:2] == ["event", "context"]


def carries_request_data(pf: PythonFile, call: ast.Call, value: ast.expr | None) -> bool:
    """Return True when `value` is built inside a request handler or from request-like names."""
    func = pf.enclosing_function(call)
    if func is not None and _is_handler(pf, func):
        return True
    if value is None:
        return False
    return any(isinstance(n, ast.Name) and n.id in _REQUEST_NAMES for n in ast.walk(value))


def request_derived(pf: PythonFile, call: ast.Call, value: ast.expr) -> bool:
    """Return True when `value`, inside a web route or serverless handler, is built from the handler's
    parameters or request-like names (`payload["expr"]`, `await request.json()`): client input."""
    func = pf.enclosing_function(call)
    if func is None or not _is_handler(pf, func):
        return False
    inputs = _client_inputs(func)
    names = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
    return bool(names & (inputs | _REQUEST_NAMES)) or _bound_from(func, names, inputs | _REQUEST_NAMES)


def _client_inputs(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Return a handler's parameters that the client fills: not `self`/`cls`, and not the ones the
    framework injects from the server side (`settings = Depends(get_settings)`)."""
    args = func.args
    defaults = parameter_defaults(args)
    names = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)} - {"self", "cls"}
    return {name for name in names if not is_injected(defaults.get(name))}


def _bound_from(func: ast.AST, names: set[str], inputs: set[str]) -> bool:
    """Return True when one of `names` is assigned, in `func`, from an expression using `inputs`."""
    return any(
        isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id in names for t in node.targets)
        and bool({n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)} & inputs)
        for node in ast.walk(func)
    )


_STRING_METHODS = frozenset({"replace", "strip", "lower", "upper", "format", "removeprefix", "removesuffix"})
_ITERATION_WRAPPERS = frozenset({"enumerate", "zip", "reversed", "sorted", "list", "tuple"})


def config_entry(pf: PythonFile, call: ast.Call, value: ast.expr) -> bool:
    """Return True when `value` is an entry read from a mapping by a constant key, in this function.

    `d["head"]`, `d.get("activation")`, a loop variable over `d["backbone"] + d["head"]`, an attribute of
    an object named as a config (`cfg.metric_agg`), a name bound (before `call`) to one of those, or a string
    built from one with constants (`+`, an f-string, `.format`): the value of a parsed config file, not a
    request, a file's raw contents or a parameter. A cell of a data table's row (`row["nodes"]` in a loop over
    `df.iterrows()` or a `csv.DictReader`) is data read from a file, not a config entry.
    """
    scope = pf.enclosing_function(call) or pf.tree
    return _entry(scope, value, call.lineno, set())


def _entry(scope: ast.AST, value: ast.expr, before: int, seen: set[str]) -> bool:
    if _keyed_read(value) or _keyed_reads_over_names(value) or _read_by_listed_key(scope, value, before):
        return not (_data_row(scope, value, before) or _response_data(scope, value, before))
    if isinstance(value, ast.Attribute) and _config_attribute(value):
        return True
    if isinstance(value, ast.JoinedStr):
        filled = [p.value for p in value.values if isinstance(p, ast.FormattedValue)]
        return bool(filled) and all(_entry(scope, p, before, seen) for p in filled)
    if isinstance(value, ast.Call) and _formatted_template(value):
        filled = [*value.args, *(k.value for k in value.keywords)]
        return bool(filled) and all(_entry(scope, p, before, seen) for p in filled)
    if isinstance(value, ast.BinOp):
        parts = [value.left, value.right]
        dynamic = [p for p in parts if not isinstance(p, ast.Constant)]
        return bool(dynamic) and all(_entry(scope, p, before, seen) for p in dynamic)
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr in _STRING_METHODS:
        return _entry(scope, value.func.value, before, seen)
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in _ITERATION_WRAPPERS:
        return bool(value.args) and all(_entry(scope, a, before, seen) for a in value.args)
    if isinstance(value, ast.Name | ast.Attribute) and _bindable(value) not in seen:
        name = _bindable(value)
        sources = _sources(scope, name, before)
        return bool(sources) and all(_entry(scope, s, line, seen | {name}) for s, line in sources)
    return False


_CONFIG_OBJECTS = frozenset({"cfg", "config", "conf", "hparams", "hyperparams"})
_TABLE_ROWS = frozenset({"iterrows", "itertuples", "DictReader", "reader"})


def _config_attribute(value: ast.Attribute) -> bool:
    """Return True for an attribute read from an object named as a config: `cfg.act`, `self.config.head.act`,
    also under a qualified name (`audio_cfg.model_name`, `self.model_config.act`)."""
    node: ast.expr = value.value
    while isinstance(node, ast.Attribute):
        if _config_named(node.attr):
            return True
        node = node.value
    return isinstance(node, ast.Name) and _config_named(node.id)


def _config_named(name: str) -> bool:
    """Return True for `cfg`, `config`, `hparams`... and such a name qualified by a prefix: `audio_cfg`."""
    return name.rsplit("_", 1)[-1] in _CONFIG_OBJECTS


def _formatted_template(value: ast.Call) -> bool:
    """Return True for `"performance.{}()".format(...)`: a string literal filled in by `.format`."""
    return (
        isinstance(value.func, ast.Attribute)
        and value.func.attr == "format"
        and isinstance(value.func.value, ast.Constant)
        and isinstance(value.func.value.value, str)
    )


def _data_row(scope: ast.AST, value: ast.expr, before: int) -> bool:
    """Return True when the mapping read by key is a row of a data table: a loop name over `df.iterrows()`,
    `df.itertuples()` or a `csv.reader`/`csv.DictReader` (also through `enumerate`/`zip`), a cell of read data."""
    mapping = _mapping_read(value)
    if not isinstance(mapping, ast.Name):
        return False
    return any(_table_rows(source) for source, _ in _sources(scope, mapping.id, before))


def _mapping_read(value: ast.expr) -> ast.expr | None:
    """Return the mapping a keyed read reads from: `d` of `d["k"]` or `d.get("k")`."""
    if isinstance(value, ast.Subscript):
        return value.value
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
        return value.func.value
    return None


# a name for what a model or a server sent back (`response`, `outputs`, `completion`, `model_prediction`)
_RESPONSE_NAME = re.compile(
    r"(?:^|_)(?:responses?|outputs?|completions?|predictions?|generations?|repl(?:y|ies)|answers?)$"
)
_TRACE_DEPTH = 4  # bindings followed back from the mapping read by key


def _response_data(scope: ast.AST, value: ast.expr, before: int) -> bool:
    """Return True when the mapping read by key traces back, through the function's bindings and loops, to a name
    for a response or an output (`for response in responses: inputs = response.get("action_inputs")`): what a
    model or a server sent, which its sender chooses, not a config entry."""
    mapping = _mapping_read(value)
    frontier = [n.id for n in ast.walk(mapping) if isinstance(n, ast.Name)] if mapping is not None else []
    seen: set[str] = set()
    for _ in range(_TRACE_DEPTH):
        following: list[str] = []
        for name in frontier:
            if name in seen:
                continue
            seen.add(name)
            if _RESPONSE_NAME.search(name):
                return True
            following += [
                n.id for s, _ in _sources(scope, name, before) for n in ast.walk(s) if isinstance(n, ast.Name)
            ]
        frontier = following
    return False


def _table_rows(node: ast.expr) -> bool:
    if not isinstance(node, ast.Call):
        return False
    if isinstance(node.func, ast.Name) and node.func.id in _ITERATION_WRAPPERS:
        return any(_table_rows(a) for a in node.args)
    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
    return name in _TABLE_ROWS


def _bindable(value: ast.Name | ast.Attribute) -> str:
    """Return a local's name, or `self.attr` for an attribute of a name (bound as a local is, by assignment)."""
    return value.id if isinstance(value, ast.Name) else ast.unparse(value)


def _read_by_listed_key(scope: ast.AST, value: ast.expr, before: int) -> bool:
    """Return True for `d[key]` or `d.get(key)` where `key` loops over a literal list of key names
    (`for key in ("policy_kwargs", "buffer_kwargs"): eval(d[key])`): a keyed read, one name at a time."""
    if isinstance(value, ast.Subscript):
        key: ast.expr | None = value.slice
    elif isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "get":
        key = value.args[0] if value.args else None
    else:
        return False
    if not isinstance(key, ast.Name):
        return False
    sources = _sources(scope, key.id, before)
    return bool(sources) and all(_literal_names(source) for source, _ in sources)


def _literal_names(node: ast.expr) -> bool:
    """Return True for a literal tuple, list or set of strings."""
    elements = node.elts if isinstance(node, ast.Tuple | ast.List | ast.Set) else []
    return bool(elements) and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in elements)


def _keyed_reads_over_names(value: ast.expr) -> bool:
    """Return True for `(d.get(k) for k in ("nc", "act"))`: keyed reads over a literal list of key names."""
    if not isinstance(value, ast.GeneratorExp | ast.ListComp) or len(value.generators) != 1:
        return False
    loop = value.generators[0]
    names = loop.iter.elts if isinstance(loop.iter, ast.Tuple | ast.List) else []
    if not names or not all(isinstance(n, ast.Constant) and isinstance(n.value, str) for n in names):
        return False
    element = value.elt
    key = (
        element.slice
        if isinstance(element, ast.Subscript)
        else element.args[0]
        if isinstance(element, ast.Call)
        and isinstance(element.func, ast.Attribute)
        and element.func.attr == "get"
        and element.args
        else None
    )
    return isinstance(key, ast.Name) and isinstance(loop.target, ast.Name) and key.id == loop.target.id


def _keyed_read(value: ast.expr) -> bool:
    """Return True for `x["key"]`, `x.get("key", ...)` and `x.pop("key")`."""
    if isinstance(value, ast.Subscript):
        return isinstance(value.slice, ast.Constant) and isinstance(value.slice.value, str)
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr in ("get", "pop")
        and bool(value.args)
        and isinstance(value.args[0], ast.Constant)
        and isinstance(value.args[0].value, str)
    )


def _sources(scope: ast.AST, name: str, before: int) -> list[tuple[ast.expr, int]]:
    """Return what `name` is bound to in `scope` before line `before`, with the binding's line;
    empty when any binding is unknown (a parameter)."""
    sources: list[tuple[ast.expr, int]] = []
    for node in ast.walk(scope):
        line = getattr(node, "lineno", None)
        if line is not None and line >= before:
            continue
        if isinstance(node, ast.Assign):
            for target in node.targets:
                found = _bound(target, node.value, name)
                if found is not None:
                    sources.append((found, node.lineno))
        elif isinstance(node, ast.For | ast.comprehension) and _names(node.target) & {name}:
            sources.append((node.iter, getattr(node, "lineno", before)))
        elif isinstance(node, ast.arg) and node.arg == name:
            return []
    return sources


def _bound(target: ast.expr, value: ast.expr, name: str) -> ast.expr | None:
    """Return the part of `value` that `target` binds to `name` (`a, b = x, y` binds `b` to `y`;
    `self.kwargs = x` binds `self.kwargs`)."""
    if isinstance(target, ast.Name):
        return value if target.id == name else None
    if isinstance(target, ast.Attribute):
        return value if "." in name and ast.unparse(target) == name else None
    if isinstance(target, ast.Tuple | ast.List) and name in _names(target):
        if isinstance(value, ast.Tuple | ast.List) and len(value.elts) == len(target.elts):
            pairs = zip(target.elts, value.elts, strict=True)
            return next((_bound(t, v, name) for t, v in pairs if name in _names(t)), value)
        return value
    return None


def _names(target: ast.expr) -> set[str]:
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}


_PARSE_CALLS = frozenset({"parse_args", "parse_known_args"})
# The names a parsed command line conventionally goes by (argparse's `args`/`opt`, absl's `FLAGS`).
_OPTIONS_OBJECTS = frozenset(
    {"args", "opt", "opts", "flags", "FLAGS", "cli_args", "cmd_args", "cmdline_args", "parsed_args", "override_args"}
)


def _options_read(value: ast.expr) -> bool:
    """Return True for an option read from an object named as a parsed command line: `args.arch`,
    `self.args.betas`, `getattr(opt, "layers")` (whoever runs the command typed it)."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "getattr" and value.args:
        node: ast.expr = value.args[0]
    elif isinstance(value, ast.Attribute):
        node = value.value
    else:
        return False
    while isinstance(node, ast.Attribute):
        if node.attr in _OPTIONS_OBJECTS:
            return True
        node = node.value
    return isinstance(node, ast.Name) and node.id in _OPTIONS_OBJECTS


_CLI_DECORATORS = frozenset({"command", "argument", "option"})  # click and typer commands and their parameters


def user_supplied(pf: PythonFile, call: ast.Call, value: ast.expr) -> bool:
    """Return True when `value` is input the user hands the program: client data in a request handler, a
    command-line argument (`args.url` of `parse_args()`, `sys.argv`, a click/typer command's parameter), or a
    parameter of a function every call of which in the module passes one (`fetch_input(args.document)`)."""
    if request_derived(pf, call, value) or _cli_value(pf, call, value):
        return True
    func = pf.enclosing_function(call)
    if func is None:
        return False
    params = _params_used(func, value)
    if not params:
        return False
    callers = [c for c in pf.nodes(ast.Call) if isinstance(c.func, ast.Name) and c.func.id == func.name]
    return bool(callers) and all(
        (passed := _argument(func, c, p)) is not None and (request_derived(pf, c, passed) or _cli_value(pf, c, passed))
        for c in callers
        for p in params
    )


def _cli_value(pf: PythonFile, call: ast.Call, value: ast.expr) -> bool:
    """Return True when `value` reads `sys.argv` (directly or through a local bound from it: `name = sys.argv[1]`),
    a namespace bound from `parse_args()` in the same function or module code, or a parameter of a click/typer
    command."""
    if _reads_argv(pf, value):
        return True
    func = pf.enclosing_function(call)
    scope: ast.AST = func if func is not None else pf.tree
    sources = _local_sources(scope, value, call.lineno)
    if any(_reads_argv(pf, source) for source in sources[1:]):
        return True
    if any(isinstance(node, ast.expr) and _options_read(node) for source in sources for node in ast.walk(source)):
        return True
    names = {n.id for source in sources for n in ast.walk(source) if isinstance(n, ast.Name)}
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            called = node.value.func  # `parser.parse_args()`, or the module's own `parse_args()` helper returning it
            parsed = (isinstance(called, ast.Attribute) and called.attr in _PARSE_CALLS) or (
                isinstance(called, ast.Name) and called.id in _PARSE_CALLS
            )
            if parsed and any(isinstance(t, ast.Name) and t.id in names for t in node.targets):
                return True
    if func is not None and any(_cli_decorator(d) for d in func.decorator_list):
        return bool(names & {a.arg for a in (*func.args.args, *func.args.kwonlyargs)})
    return func is not None and _parser_action_values(pf, func) in names


def _parser_action_values(pf: PythonFile, func: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """Return the name of the `values` parameter of an `argparse.Action`'s `__call__(self, parser, namespace,
    values, ...)`, the string typed after the option on the command line, else None."""
    cls = pf.parent(func)
    if func.name != "__call__" or len(func.args.args) < 4 or not isinstance(cls, ast.ClassDef):
        return None
    if not any((pf.qualname(base) or "").endswith("argparse.Action") for base in cls.bases):
        return None
    return func.args.args[3].arg


def _reads_argv(pf: PythonFile, node: ast.expr) -> bool:
    return any(isinstance(n, ast.Attribute | ast.Name) and pf.qualname(n) == "sys.argv" for n in ast.walk(node))


def _local_sources(scope: ast.AST, value: ast.expr, before: int, hops: int = 3) -> list[ast.expr]:
    """Return `value` and what its names are bound to in `scope` before line `before`, following local bindings
    up to `hops` steps (`name, params = args.recipe.split(":")`, then `f"{TABLE[name]}({params})"` reaches
    `args.recipe`)."""
    found = [value]
    frontier = [value]
    seen: set[str] = set()
    for _ in range(hops):
        names = {n.id for node in frontier for n in ast.walk(node) if isinstance(n, ast.Name)} - seen
        seen |= names
        frontier = [source for name in sorted(names) for source, _ in _sources(scope, name, before)]
        if not frontier:
            break
        found.extend(frontier)
    return found


def _cli_decorator(node: ast.expr) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    return isinstance(target, ast.Attribute) and target.attr in _CLI_DECORATORS


def _params_used(func: ast.FunctionDef | ast.AsyncFunctionDef, value: ast.expr) -> list[str]:
    """Return the function's parameters `value` reads, directly or through a local bound from one."""
    params = {a.arg for a in (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs)} - {"self", "cls"}
    names = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
    if not names & params:
        names |= {
            n.id
            for node in ast.walk(func)
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in names for t in node.targets)
            for n in ast.walk(node.value)
            if isinstance(n, ast.Name)
        }
    return sorted(names & params)


def _argument(func: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call, param: str) -> ast.expr | None:
    """Return what `call` passes for `param` of `func`, by keyword or position."""
    for keyword in call.keywords:
        if keyword.arg == param:
            return keyword.value
    positional = [a.arg for a in (*func.args.posonlyargs, *func.args.args)]
    index = positional.index(param) if param in positional else -1
    return call.args[index] if 0 <= index < len(call.args) else None
