"""Provides rule API004: Global mutable state changed in functions."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from mlaudit.facts.kind import is_demo_function, is_example
from mlaudit.facts.randomness import module_paths
from mlaudit.model import Severity
from mlaudit.project import FunctionNode, Project, PythonFile, assigned_values
from mlaudit.registry import FileRule, Hit, Output, register
from mlaudit.rules.interfaces._shared import CODE_KINDS
from mlaudit.rules.logging._shared import _decorator_label
from mlaudit.rules.production._shared import APP_CLASSES


def _stores(pf: PythonFile, func: FunctionNode, name: str) -> list[ast.Name]:
    """Return the assignments to `name` in the function itself."""
    return [
        n
        for n in pf.nodes(ast.Name)
        if n.id == name and isinstance(n.ctx, ast.Store) and pf.enclosing_function(n) is func
    ]


def _imports_into(pf: PythonFile, func: FunctionNode, name: str) -> list[ast.stmt]:
    """Return the import statements of the function itself that bind `name` (`import tensorflow as tf`)."""
    return [
        node
        for node in pf.nodes(ast.Import, ast.ImportFrom)
        if isinstance(node, ast.Import | ast.ImportFrom)
        and any((a.asname or a.name.split(".", 1)[0]) == name for a in node.names)
        and pf.enclosing_function(node) is func
    ]


def _binds_one_module(pf: PythonFile, name: str) -> bool:
    """Return True when every binding of `name` in the module imports the same module (`global torch; import
    torch` in each function needing the optional dependency), besides a `name = None` placeholder: each call
    binds the very object `sys.modules` holds, so no call depends on another (a lazy import); a function importing
    another module under that name (`import jax.numpy as tf`) switches a backend."""
    bound = {
        alias.name
        if alias.asname
        else alias.name.split(".", 1)[0]
        if isinstance(node, ast.Import)
        else f"{'.' * node.level}{node.module or ''}.{alias.name}"
        for node in pf.nodes(ast.Import, ast.ImportFrom)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
        if (alias.asname or alias.name.split(".", 1)[0]) == name
    }
    placeholders = True
    for node in pf.nodes(ast.Name):
        if not (isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store)):
            continue
        parent = pf.parent(node)
        value = parent.value if isinstance(parent, ast.Assign) else None
        imported = _imported_by_call(pf, value)
        if imported is not None:
            bound.add(imported)  # `og = importlib.import_module("onnxruntime_genai")`: an import by its name
        elif not (isinstance(value, ast.Constant) and value.value is None):
            placeholders = False
    return len(bound) == 1 and placeholders


def _imported_by_call(pf: PythonFile, value: ast.expr | None) -> str | None:
    """Return the module `importlib.import_module("name")` (or `__import__("name")`) imports, else None."""
    if not (isinstance(value, ast.Call) and value.args and isinstance(value.args[0], ast.Constant)):
        return None
    called = pf.qualname(value.func) or getattr(value.func, "id", "")
    module = value.args[0].value
    return module if called in ("importlib.import_module", "__import__") and isinstance(module, str) else None


LOGGER_FACTORIES = ("getLogger", "get_logger")


def _gets_logger(pf: PythonFile, store: ast.Name) -> bool:
    """Return True for `logger = logging.getLogger(...)`: choosing which logger writes is logging setup,
    not state a later call depends on."""
    parent = pf.parent(store)
    value = parent.value if isinstance(parent, ast.Assign | ast.AnnAssign) else None
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name in LOGGER_FACTORIES


# Calls that start serving (and block) once the process is set up: an ASGI/WSGI server handed the app
SERVER_STARTS = frozenset({"uvicorn.run", "waitress.serve", "aiohttp.web.run_app", "hypercorn.asyncio.serve"})
UI_APPS = frozenset({"gradio.Blocks", "gradio.Interface", "gradio.ChatInterface", "gradio.TabbedInterface"})


def _starts_server(pf: PythonFile, func: FunctionNode) -> bool:
    """Return True when the function starts serving: `app.run(...)` of the module's Flask or FastAPI app,
    `uvicorn.run(app)`, `demo.launch()` of a Gradio app. The globals it binds first (the model the routes use)
    are the server process's setup, done once before any request."""
    apps = {
        target.id
        for node in pf.tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and pf.call_name(node.value) in APP_CLASSES | UI_APPS
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    apps |= {
        item.optional_vars.id
        for item in pf.nodes(ast.withitem)
        if isinstance(item, ast.withitem)
        and isinstance(item.optional_vars, ast.Name)
        and isinstance(item.context_expr, ast.Call)
        and pf.call_name(item.context_expr) in UI_APPS
    }
    for call in ast.walk(func):
        if not isinstance(call, ast.Call):
            continue
        if pf.call_name(call) in SERVER_STARTS:
            return True
        method = call.func
        if isinstance(method, ast.Attribute) and method.attr in ("run", "launch") and _named_in(method.value, apps):
            return True
    return False


def _named_in(expr: ast.expr, names: set[str]) -> bool:
    return isinstance(expr, ast.Name) and expr.id in names


CONVERSIONS = frozenset({"to", "cuda", "cpu", "type", "astype", "half", "float", "double", "type_as"})


def _moves_itself(pf: PythonFile, store: ast.Name, name: str) -> bool:
    """Return True for `T = T.to(x.device, x.dtype)`: the same constant table, converted to where the input
    lives; every call computes the same result, so no call depends on an earlier one."""
    parent = pf.parent(store)
    value = parent.value if isinstance(parent, ast.Assign | ast.AnnAssign) else None
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr in CONVERSIONS
        and isinstance(value.func.value, ast.Name)
        and value.func.value.id == name
    )


COMPILERS = frozenset({"compile", "jit", "pjit", "njit", "script"})


def _compiles_itself(pf: PythonFile, store: ast.Name, name: str) -> bool:
    """Return True for `f = torch.compile(f, mode=...)` or `f = jax.jit(f)`: the same function made faster,
    which every later call runs with the same result."""
    parent = pf.parent(store)
    value = parent.value if isinstance(parent, ast.Assign | ast.AnnAssign) else None
    if not isinstance(value, ast.Call) or not value.args:
        return False
    func = value.func
    callee = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    first = value.args[0]
    return callee in COMPILERS and isinstance(first, ast.Name) and first.id == name


def _lazy_init(pf: PythonFile, func: FunctionNode, stores: Sequence[ast.AST], name: str) -> bool:
    """Return True when the function assigns `name` only once it is unset: under `if name is None:` or
    `if not name:`, or after `if name is not None: return name` / `if name: return` (a lazy singleton, a warn-once flag)."""
    if all(_under_none_check(pf, n, name) for n in stores):
        return True
    first = min(getattr(n, "lineno", 0) for n in stores)
    return any(stmt.lineno < first and _returns_when_set(stmt, name) for stmt in func.body)


def _filled_with_its_flag(pf: PythonFile, func: FunctionNode, stores: Sequence[ast.AST], name: str) -> bool:
    """Return True when every store of `name` sits under the function's run-once flag, another global it
    declares (`if not _jax_ready: import jax as _jax; jax = _jax; _jax_ready = True`): filled once, lazily."""
    if not stores:
        return False
    flags = {flag for node in pf.nodes(ast.Global) if pf.enclosing_function(node) is func for flag in node.names}
    return any(all(_under_none_check(pf, n, flag) for n in stores) for flag in flags - {name})


def _memoised(pf: PythonFile, func: FunctionNode, name: str) -> bool:
    """Return True for a get-or-create cache: `if key in CACHE: return CACHE[key]` before `CACHE[key] = ...`."""
    writes = [
        n
        for n in pf.nodes(ast.Subscript)
        if isinstance(n.ctx, ast.Store)
        and isinstance(n.value, ast.Name)
        and n.value.id == name
        and pf.enclosing_function(n) is func
    ]
    if not writes:
        return False
    if all(_under_missing_check(pf, n, name) for n in writes):
        return True
    first = min(n.lineno for n in writes)
    return any(stmt.lineno < first and _returns_when_cached(stmt, name) for stmt in func.body)


# Methods that only take entries out of a mapping or collection.
EVICTING_METHODS = frozenset({"pop", "popitem", "clear"})


def _evicts_a_cache(pf: PythonFile, func: FunctionNode, name: str) -> bool:
    """Return True when the function only takes entries out of a global (`del models[k]`, `models.clear()`) that
    another function of the module fills as a get-or-create cache: emptying it is part of that cache's life."""
    changes = [
        node
        for node in pf.nodes(ast.Subscript, ast.Attribute)
        if isinstance(node, ast.Subscript | ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == name
        and isinstance(node.ctx, ast.Store | ast.Del)
        and pf.enclosing_function(node) is func
    ]
    if any(isinstance(node.ctx, ast.Store) for node in changes):
        return False
    methods = {method for _, method in _method_calls(pf, func, name)} - READING_METHODS
    if not (changes or methods) or not methods <= EVICTING_METHODS:
        return False
    return any(
        other is not func and _memoised(pf, other, name)
        for other in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef)
        if isinstance(other, ast.FunctionDef | ast.AsyncFunctionDef)
    )


def _under_missing_check(pf: PythonFile, node: ast.AST, name: str) -> bool:
    """Return True inside `if key not in name:`."""
    for anc in pf.ancestors(node):
        if isinstance(anc, ast.If) and _tests_membership(anc.test, name, ast.NotIn):
            return True
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef):
            return False
    return False


def _tests_membership(test: ast.expr, name: str, op: type[ast.cmpop]) -> bool:
    """Return True when the test holds `key in name` (or `not in`, as `op` says)."""
    return any(
        isinstance(node, ast.Compare)
        and isinstance(node.ops[0], op)
        and isinstance(node.comparators[0], ast.Name)
        and node.comparators[0].id == name
        for node in ast.walk(test)
    )


def _returns_when_set(stmt: ast.stmt, name: str) -> bool:
    """Return True for `if name: return ...` or `if name is not None (and not force): return ...`."""
    if not isinstance(stmt, ast.If) or not _if_returning(stmt):
        return False
    tests = stmt.test.values if isinstance(stmt.test, ast.BoolOp) and isinstance(stmt.test.op, ast.And) else [stmt.test]
    return any(_is_set(test, name) for test in tests)


def _is_set(test: ast.expr, name: str) -> bool:
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.IsNot):
        right = test.comparators[0]
        test = test.left if isinstance(right, ast.Constant) and right.value is None else test
    return isinstance(test, ast.Name) and test.id == name


def _returns_when_cached(stmt: ast.stmt, name: str) -> bool:
    """Return True for `if key in name (and ...): return ...`."""
    return isinstance(stmt, ast.If) and _if_returning(stmt) and _tests_membership(stmt.test, name, ast.In)


def _if_returning(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.If) and not stmt.orelse and isinstance(stmt.body[-1], ast.Return)


def _under_none_check(pf: PythonFile, node: ast.AST, name: str) -> bool:
    """Return True inside `if name is None:`, or `if name is None or name.version != wanted:` (loaded
    once, and again only when a different one is asked for)."""
    for anc in pf.ancestors(node):
        if isinstance(anc, ast.If):
            test = anc.test
            tests = test.values if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or) else [test]
            if any(_is_none_test(t, name) for t in tests):
                return True
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef):
            return False
    return False


def _is_none_test(test: ast.expr, name: str) -> bool:
    """Return True for `name is None`, `not name` (a run-once flag: `if not _nltk_init: ...; _nltk_init = True`)
    or `"name" not in globals()`: the test passes only while the global is unset."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and isinstance(test.operand, ast.Name):
        return test.operand.id == name
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == name
        and isinstance(test.ops[0], ast.Is)
    ) or _is_undefined_test(test, name)


def _is_undefined_test(test: ast.expr, name: str) -> bool:
    """Return True for `"name" not in globals()`: the global is created on first use."""
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Constant)
        and test.left.value == name
        and isinstance(test.ops[0], ast.NotIn)
        and isinstance(comparator := test.comparators[0], ast.Call)
        and isinstance(comparator.func, ast.Name)
        and comparator.func.id == "globals"
    )


# `register_logger(logger)`: a library's public call that installs the object it will use from then on
SETTER_PREFIXES = ("set_", "enable_", "disable_", "use_", "configure", "register_")


_CAMEL_SETTER = re.compile(r"(?:set|enable|disable|use|configure|register)[A-Z]")


def _setter_name(name: str) -> bool:
    """Return True for the name of an option setter, snake or camel case: `set_fused_attn`, `setVerbosity`."""
    bare = name.lstrip("_")
    return bare.startswith(SETTER_PREFIXES) or _CAMEL_SETTER.match(bare) is not None


CONTEXT_MANAGER_DECORATORS = frozenset({"contextmanager", "asynccontextmanager"})


def _restoring_generator(pf: PythonFile, func: FunctionNode, name: str) -> bool:
    """Return True for a `@contextmanager` function that sets the global, yields and sets it back afterwards
    (`old = FLAG; FLAG = mode; try: yield; finally: FLAG = old`, or a context variable's
    `FLAG.set(old)`/`FLAG.reset(token)`): an override scoped to a `with` block."""
    labels = {_decorator_label(d) for d in func.decorator_list}
    if not labels & CONTEXT_MANAGER_DECORATORS:
        return False
    yields = [n.lineno for n in pf.nodes(ast.Yield) if pf.enclosing_function(n) is func]
    if not yields:
        return False
    restores = [n.lineno for n in _stores(pf, func, name)]
    restores += [line for line, method in _method_calls(pf, func, name) if method in RESTORING_METHODS]
    return any(line > min(yields) for line in restores)


RESTORING_METHODS = frozenset({"set", "reset"})  # a context variable set back: `FLAG.set(old)`, `FLAG.reset(token)`


# Methods that only read the object they are called on (a dict's `get`, a context variable's `get`, a string's
# `format`): calling one changes nothing (`if key in TABLE.keys():`).
READING_METHODS = frozenset(
    {"get", "items", "keys", "values", "copy", "count", "index", "format", "startswith", "endswith", "split", "join"}
)
# Builtins that only read what they are handed (`bool(_ENABLED)`, `len(CACHE)`, `isinstance(x, T)`): handing a global
# to one changes nothing.
READING_BUILTINS = frozenset(
    {"bool", "len", "str", "repr", "int", "float", "isinstance", "id", "hash", "type", "format", "sorted"}
    | {"any", "all", "min", "max", "sum", "tuple", "frozenset"}
)
# Writing a record through a logger (`global logger; logger.info(...)`) reads its level and handlers, it changes neither.
LOG_RECORD_METHODS = frozenset({"debug", "info", "warning", "error", "exception", "critical", "isEnabledFor"})
# A fitted model's prediction methods: a route calling `model.predict(x)` (or handing a global to one:
# `model.recommend(uid, train_set=train_set)`) reads the model and its inputs, it changes neither.
PREDICTING_METHODS = frozenset(
    {"predict", "predict_proba", "predict_log_proba", "decision_function", "recommend", "rank", "score"}
    | {"transform", "encode", "embed", "generate", "classify", "infer"}
)


def _method_calls(pf: PythonFile, func: FunctionNode, name: str) -> list[tuple[int, str]]:
    """Return (line, method) of each call `name.method(...)` in the function itself."""
    return [
        (call.lineno, call.func.attr)
        for call in pf.nodes(ast.Call)
        if isinstance(call.func, ast.Attribute)
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id == name
        and pf.enclosing_function(call) is func
    ]


# a method named as a question (`get_rank()`, `is_initialized()`, `has_all_gather()`): it answers, it changes nothing
_QUERY_METHOD = re.compile(r"^(?:get|is|has)_(?!.*_or_)")
CONTAINER_CALLS = frozenset({"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque"})


def _query_method(method: str) -> bool:
    """Return True for a method named as a query (`get_world_size`), not a get-or-create (`get_or_create`)."""
    return _QUERY_METHOD.match(method) is not None


def _module_container(pf: PythonFile, name: str) -> bool:
    """Return True when the module binds the global to a container (`_ITEMS = []`, `CACHE = defaultdict(list)`)."""
    for value in assigned_values(pf.tree, name):
        if pf.enclosing_function(value) is not None:
            continue
        if isinstance(value, ast.List | ast.Dict | ast.Set | ast.ListComp | ast.DictComp | ast.SetComp):
            return True
        if isinstance(value, ast.Call) and (pf.call_name(value) or "").rsplit(".", 1)[-1] in CONTAINER_CALLS:
            return True
    return False


def _changes_in_place(pf: PythonFile, func: FunctionNode, name: str) -> bool:
    """Return True when the function changes the global's object: an item or attribute stored or deleted
    (`CACHE[key] = v`, `del CACHE[key]`), a method called that is not a read (`CACHE.update(d)`, `FLAG.set(v)`),
    or the object handed to another call that may change it (`fill(CACHE)`). A `global` statement over a name the
    function only reads (`return _STATE`, `_MODE.get()`, a model's `predict(x)`, or the name handed to a
    prediction: `model.recommend(uid, train_set=train_set)`, a record written through a logger: `logger.info(...)`,
    a query method: `mpu.get_data_parallel_group()`, a builtin that only reads it: `bool(_ENABLED)`, `len(CACHE)`) changes
    nothing, nor does calling a module's functions through
    a global bound by an import (`global tf; tf.gradients(...)`), nor a module function handing its call on to the
    same-named method of a global object that is no container (`def all_reduce(t): return backend.all_reduce(t)`:
    the module's facade over the object it was set up with)."""
    for node in pf.nodes(ast.Subscript, ast.Attribute):
        if (
            isinstance(node, ast.Subscript | ast.Attribute)
            and isinstance(node.ctx, ast.Store | ast.Del)
            and isinstance(node.value, ast.Name)
            and node.value.id == name
            and pf.enclosing_function(node) is func
        ):
            return True
    module = name in pf.imports or _binds_one_module(pf, name)
    reads = READING_METHODS | PREDICTING_METHODS | LOG_RECORD_METHODS
    changing = [m for _, m in _method_calls(pf, func, name) if m not in reads and not _query_method(m)]
    if not module and changing and not (set(changing) == {func.name} and not _module_container(pf, name)):
        return True
    return any(
        isinstance(arg, ast.Name) and arg.id == name
        for call in pf.nodes(ast.Call)
        if pf.enclosing_function(call) is func
        and not (isinstance(call.func, ast.Attribute) and call.func.attr in PREDICTING_METHODS)
        and not (isinstance(call.func, ast.Name) and call.func.id in READING_BUILTINS)
        for arg in (*call.args, *(k.value for k in call.keywords))
    )


def _restoring_context_manager(pf: PythonFile, func: FunctionNode) -> bool:
    """Return True inside a class with `__exit__`: it sets a flag for a `with` block and restores it."""
    owner = pf.parent(func)
    return isinstance(owner, ast.ClassDef) and any(
        isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef) and s.name in ("__exit__", "__aexit__")
        for s in owner.body
    )


# Keywords handing a pool the function each worker runs once at its start (`ProcessPoolExecutor(initializer=f)`,
# `multiprocessing.Pool(initializer=f)`, a torch `DataLoader(worker_init_fn=f)`).
WORKER_INITIALIZERS = frozenset({"initializer", "worker_init_fn"})
INITIALIZER_NOTE = " (a pool worker's initializer: state of each worker process)"


POOL_INITIALIZERS_FACT = "interfaces.pool_initializers"  # a per-file fact (mlaudit.filefacts)


def file_pool_initializers(pf: PythonFile) -> tuple[tuple[str, str], ...]:
    """Return (module, name) of each function the file hands a pool as its workers' initializer (also bound with
    `functools.partial(init, seeds)`), and of each function such an initializer of the file calls by name
    (`def _init(seeds, worker_id): gc_init_worker(worker_id)`): the module "" for a function of the file itself and
    the absolute module for one it imports."""
    found: set[tuple[str, str]] = set()
    for call in pf.nodes(ast.Call):
        for keyword in call.keywords if isinstance(call, ast.Call) else ():
            name = _handed_function(pf, keyword.value) if keyword.arg in WORKER_INITIALIZERS else None
            if name is not None:
                found.add(pf.from_imports.get(name, ("", name)))
                found.update(pf.from_imports.get(callee, ("", callee)) for callee in _called_names(pf, name))
    return tuple(sorted(found))


def _handed_function(pf: PythonFile, value: ast.expr) -> str | None:
    """Return the name of the function a keyword hands on: `init_worker`, or the one `partial(init_worker, s)` binds."""
    if isinstance(value, ast.Call) and (pf.call_name(value) or "").endswith("partial") and value.args:
        value = value.args[0]
    return value.id if isinstance(value, ast.Name) else None


def _called_names(pf: PythonFile, name: str) -> set[str]:
    """Return the names a top-level function of the file calls directly (`gc_init_worker(worker_id)`)."""
    return {
        call.func.id
        for func in pf.tree.body
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef) and func.name == name
        for call in ast.walk(func)
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
    }


def pool_initializers(project: Project) -> frozenset[tuple[str, str]]:
    """Return (path, name) of the repository's functions handed to a pool as its workers' initializer: each
    worker process runs it once to set its own globals, the documented way to give pool workers state."""
    paths = module_paths(project)
    found: set[tuple[str, str]] = set()
    for pf in project.python_of(*CODE_KINDS):
        for module, name in pf.file_fact(POOL_INITIALIZERS_FACT, file_pool_initializers):
            path = paths.get(module) if module else pf.path
            if path is not None:
                found.add((path, name))
    return frozenset(found)


def _in_initializer(project: Project, hit: Hit, initializers: frozenset[tuple[str, str]]) -> bool:
    """Return True when the hit's `global` statement sits in a pool worker's initializer (only a file that defines
    one is read again)."""
    pf = project.python.get(hit.path or "")
    if pf is None or not any(path == pf.path for path, _ in initializers):
        return False
    for node in pf.nodes(ast.Global):
        func = pf.enclosing_function(node) if node.lineno == hit.line else None
        if func is not None and (pf.path, func.name) in initializers:
            return True
    return False


@register
class GlobalMutableState(FileRule):
    """Flags module state changed from functions through `global`.

    ## What it does
    Finds `global NAME` statements in library and script functions that rebind NAME or change
    it in place (set or delete an item or attribute, call a method that is not a plain read or a prediction,
    hand the object to another call that is no prediction); names one statement declares and the function changes
    alike (`global best_model, best_score`) are one finding, one piece of hidden state to move into an object; a
    `global` the function only reads through (a served
    route's `global model` before `model.predict(x)`), or one at module level (a no-op), changes nothing. A lazy
    singleton (`if _model is None: _model = load()`, a lazy import `if tf is None: import tensorflow as tf`, or
    `global torch; import torch` where every binding of the name imports that one module (by an import statement
    or `importlib.import_module("torch")`; calling that module's functions through the global changes nothing), `if _model is None or _model.name != name:` to
    load another one on request, or an early `if _model is not None: return _model`), a warn-once or run-once flag
    (`if not _ready: download(); _ready = True`, with the globals it fills: `jax = _jax` under `if not _jax_ready:`) and a get-or-create cache (`if key in CACHE: return CACHE[key]`
    before `CACHE[key] = load(key)`, or the write under `if key not in CACHE:`), with the function that empties it
    (`del models[k]`, `models.clear()`: nothing but evictions), are reported as info only; a context manager class
    (with `__exit__`), or a `@contextmanager` function that sets it back after its `yield` (a context variable's
    `FLAG.set(old)` or `FLAG.reset(token)` too), that sets a module flag for a `with` block is not reported, nor is a
    `global` statement over a name the function only reads (`global _STATE; return _STATE.get()`, or a logger it
    writes records through: `global logger; logger.info(...)`), and a
    deliberate option setter (`set_fused_attn(True)`, `setVerbosity(level)`, `register_logger(logger)`) and a
    command that points the module's
    logger elsewhere (`global logger; logger = logging.getLogger("app.cli")`) are info notes, as is a
    constant table moved to the input's device or dtype (`global T; T = T.to(x.device)`), and a
    function replaced by its compiled self (`global decode; decode = torch.compile(decode)`), and a registry
    filled by its `register` function (`global _REGISTRY; _REGISTRY[spec.id] = spec`: the registry pattern) or by a
    decorator that takes one argument and returns it unchanged (`def custom_metric(cls): global _METRICS;
    _METRICS[cls.name] = cls; return cls`), and a
    global bound by the function that then starts the server (`global MODEL; MODEL = load(...); app.run()`,
    `uvicorn.run(app)`, a Gradio `demo.launch()`): the process's setup, done once before any request.
    A `global` the function only reads (`global _REGISTRY; if key in _REGISTRY: raise ...`, or through a query
    method: `global mpu; return mpu.get_data_parallel_group()`, or handed to a builtin that only reads it:
    `global _ENABLED; return bool(_ENABLED)`) changes nothing and is not reported, nor is a module
    function that hands its call on to the same-named method of a global object that is no container
    (`def all_reduce(t): global backend; return backend.all_reduce(t)`: the module's facade over the backend it
    was set up with; `def update(d): global CACHE; CACHE.update(d)` on a module dict still changes it).
    A function handed to a pool as its workers' initializer (`ProcessPoolExecutor(initializer=init_worker)`,
    `DataLoader(worker_init_fn=...)`, also bound with `functools.partial(init_worker, seeds)`), or a function that
    initializer calls (`gc_init_worker(worker_id)` in it), sets each worker process's own globals, the documented way to give pool
    workers state: an info note.
    In examples, tutorials, demos and docs (a Gradio demo's `global INTERRUPTING` flag) every
    finding is a note (info): that code shows the reader how to call the project, it is not the
    project's interface; so is a demo function a module ships (`def propdemo(): global model; model = ...`).

    ## Why is this bad?
    Hidden state makes results depend on call order: a second training run in the same process
    starts from the first one's "best model", tests interfere with each other, and threads race.

    ## Example
    ```python
    best_model = None

    def update_best(model, score):
        global best_model
        best_model = model
    ```

    ## Use instead
    ```python
    @dataclass
    class BestTracker:
        model: Model | None = None
        score: float = float("-inf")
    ```
    """

    code = "API004"
    file_kinds = CODE_KINDS
    title = "Global mutable state changed in functions"
    practice = "interfaces"
    severity = Severity.WARNING
    fix = "Keep the state in an object you pass around (or return it) instead of rebinding a module global."

    def check(self, project: Project) -> Iterable[Output]:
        """Yield the file hits, those in a pool worker's initializer as info notes."""
        initializers = project.fact("interfaces.pool_initializers", pool_initializers)
        for hit in super().check(project):
            quiet = isinstance(hit, Hit) and hit.severity is Severity.INFO
            if isinstance(hit, Hit) and not quiet and initializers and _in_initializer(project, hit, initializers):
                yield replace(hit, message=hit.message + INITIALIZER_NOTE, severity=Severity.INFO)
            else:
                yield hit

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        teaching = is_example(pf.path)  # a demo or tutorial shows how to call the project; its globals are a note
        for node in pf.nodes(ast.Global):
            func = pf.enclosing_function(node)
            if func is None or _restoring_context_manager(pf, func):
                continue  # a module-level `global` is a no-op: the module defines its own variable
            grouped: dict[tuple[bool, str, bool], list[str]] = {}
            for name in node.names:
                judged = _judge_global(pf, func, name)
                if judged is not None:
                    grouped.setdefault(judged, []).append(name)
            for (in_place, note, quiet), names in grouped.items():
                yield Hit(
                    pf.path,
                    node.lineno,
                    f"global {', '.join(names)} {'changed in place' if in_place else 'rebound'} in {func.name}(){note}",
                    severity=Severity.INFO if quiet or teaching else None,
                )


def _judge_global(pf: PythonFile, func: FunctionNode, name: str) -> tuple[bool, str, bool] | None:
    """Return (changed in place, why the change is benign or "", whether that makes it a note) for a global the
    function declares; None when nothing changes (a read, or a value a `with` block sets and restores)."""
    if _restoring_generator(pf, func, name):
        return None  # `@contextmanager`: set for a `with` block, then restored
    stores = _stores(pf, func, name)
    imports = _imports_into(pf, func, name)
    in_place = not stores and not imports
    if in_place and not _changes_in_place(pf, func, name):
        return None  # `global _STATE; return _STATE`: a read, nothing changes
    lazy, evicting = _lazily_filled(pf, func, name, stores, imports)
    kind = " (a cache filled once per key)" if in_place else " (lazy initialisation)"
    kind = " (emptying a cache another function fills once per key)" if evicting else kind
    reasons = [  # the first that applies names the change
        (bool(stores) and not lazy and _starts_server(pf, func), " (set up before the function starts the server)"),
        (in_place and func.name.lstrip("_").startswith("register"), " (a registry filled by its register function)"),
        (in_place and _records_its_argument(pf, func, name), " (a registry filled by a registration decorator)"),
        (
            bool(stores) and all(_compiles_itself(pf, s, name) for s in stores),
            " (the function replaced by its compiled self)",
        ),
        (bool(stores) and all(_gets_logger(pf, s) for s in stores), " (a logger)"),
        (
            bool(stores) and all(_moves_itself(pf, s, name) for s in stores),
            " (a constant moved to the input's device or dtype)",
        ),
        (lazy, kind),
        (bool(_setter_name(func.name)), " (a setter of a module-wide option)"),
        (is_demo_function(func.name), " (a demo binding the objects it shows)"),
    ]
    note = next((text for applies, text in reasons if applies), "")
    served = bool(stores) and _starts_server(pf, func)
    return in_place, note, served or any(applies for applies, _ in reasons)


def _records_its_argument(pf: PythonFile, func: FunctionNode, name: str) -> bool:
    """Return True for a function that takes one argument, stores it into the global (`_METRICS[cls.name] = cls`,
    `_UDFS[key].append(Spec(cols, {n: func}))`) and returns it unchanged: a decorator that records what it
    decorates, its global the registry of those records (a running total `_STATS["n"] += len(batch)` is none)."""
    params = [*func.args.posonlyargs, *func.args.args]
    if len(params) != 1 or func.args.vararg or func.args.kwarg or func.args.kwonlyargs:
        return False
    arg = params[0].arg
    returns = [r for r in pf.nodes(ast.Return) if isinstance(r, ast.Return) and pf.enclosing_function(r) is func]
    if not returns or not all(isinstance(r.value, ast.Name) and r.value.id == arg for r in returns):
        return False
    return any(
        _root_name(receiver) == name and any(isinstance(n, ast.Name) and n.id == arg for n in ast.walk(stored))
        for receiver, stored in _stores_into(pf, func)
    )


def _stores_into(pf: PythonFile, func: FunctionNode) -> Iterator[tuple[ast.expr, ast.expr]]:
    """Yield (container, what goes in) for the function's item assignments (`reg[k] = v`) and its calls of a
    container's method (`reg[k].append(v)`: the call's arguments)."""
    for node in pf.nodes(ast.Assign, ast.Expr):
        if pf.enclosing_function(node) is not func:
            continue
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Subscript):
                    yield target.value, node.value
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            call = node.value
            if isinstance(call.func, ast.Attribute):
                yield call.func.value, ast.Tuple(elts=[*call.args, *(k.value for k in call.keywords)], ctx=ast.Load())


def _root_name(expr: ast.expr) -> str:
    """Return the name at the root of a subscript or attribute chain (`_UDFS` of `_UDFS[key]`)."""
    while isinstance(expr, ast.Subscript | ast.Attribute):
        expr = expr.value
    return expr.id if isinstance(expr, ast.Name) else ""


def _lazily_filled(
    pf: PythonFile, func: FunctionNode, name: str, stores: Sequence[ast.AST], imports: Sequence[ast.AST]
) -> tuple[bool, bool]:
    """Return (filled lazily, emptying a cache): an import or value bound once (`if tf is None: import tensorflow`),
    a cache filled once per key, or a value filled behind its own flag."""
    evicting = False
    if imports and not stores:  # `if tf is None: import tensorflow as tf`, or one module always
        lazy = _lazy_init(pf, func, imports, name) or _binds_one_module(pf, name)
    elif not stores:
        memoised = _memoised(pf, func, name)
        evicting = not memoised and _evicts_a_cache(pf, func, name)
        lazy = memoised or evicting
    else:
        lazy = _lazy_init(pf, func, stores, name) or _binds_one_module(pf, name)
    return lazy or _filled_with_its_flag(pf, func, [*stores, *imports], name), evicting
