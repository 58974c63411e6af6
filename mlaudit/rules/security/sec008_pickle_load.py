"""Provides rule SEC008: Unsafe pickle-based load."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.facts.unsafe_loading import is_opt_out_branch, loads_bundled_file
from mlaudit.model import Severity
from mlaudit.project import PythonFile, assigned_values, is_self_attribute
from mlaudit.registry import Hit, register
from mlaudit.rules.security._shared import (
    FILE_PICKLE_LOADERS,
    PICKLE_LOADS,
    CallRule,
    dumps_like,
    exchanged_between_ranks,
    loader_references,
    loads_what_its_class_saves,
    place,
    reads_back_own_dump,
    reads_outside,
    request_unpickle_hit,
    round_trip_through_buffer,
)


def in_memory_round_trip(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for `pickle.loads(pickle.dumps(obj))`, or `loads(data)` of the bytes the same function got
    from a `dumps()` call, also through text encodings (`codecs.decode(text.encode(), "base64")` of
    `codecs.encode(pickle.dumps(obj), "base64").decode()`): a check that an object pickles, whose bytes never
    leave the process; `pickle.loads(self._configs)` of an attribute its class binds only to `pickle.dumps(...)`
    reads the instance's own bytes."""
    source = call.args[0] if call.args else None
    if isinstance(source, ast.Attribute) and is_self_attribute(source):
        return _bound_only_to_dumps(pf, call, source.attr)
    return _from_dumps(pf.enclosing_function(call), source, 0)


# Encodings and compressions that turn bytes into other bytes or text and back: what they wrap is still the dump.
_ENCODINGS = frozenset({"encode", "decode", "b64encode", "b64decode", "urlsafe_b64encode", "urlsafe_b64decode"})
_ENCODINGS |= {"b85encode", "b85decode", "compress", "decompress", "hexlify", "unhexlify"}
_ENCODING_MODULES = frozenset({"codecs", "base64", "binascii", "zlib", "gzip", "bz2", "lzma"})


def _from_dumps(func: ast.FunctionDef | ast.AsyncFunctionDef | None, node: ast.expr | None, depth: int) -> bool:
    """Return True when `node` is a `dumps()` result, directly, through encodings or a name the function binds only
    to such values."""
    node = _decoded(node)
    if _is_dumps(node):
        return True
    if not isinstance(node, ast.Name) or func is None or depth > 2:
        return False
    bound = assigned_values(func, node.id)
    return bool(bound) and all(_from_dumps(func, value, depth + 1) for value in bound)


def _decoded(node: ast.expr | None) -> ast.expr | None:
    """Return what a chain of encodings wraps (`codecs.decode(x.encode(), "base64")`: x), or the node itself."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _ENCODINGS:
        owner = node.func.value
        if isinstance(owner, ast.Name) and owner.id in _ENCODING_MODULES:
            if not node.args:
                return node
            node = node.args[0]  # `base64.b64decode(x)`, `zlib.decompress(x)`
        else:
            node = owner  # `text.encode()`, `raw.decode("ascii")`
    return node


def _bound_only_to_dumps(pf: PythonFile, call: ast.Call, attr: str) -> bool:
    """Return True when the class around `call` binds `self.<attr>` only to `pickle.dumps(...)` (`self._configs =
    pickle.dumps(config)` in `__init__`): loading it back reads the instance's own bytes, never a file's."""
    values = _attribute_values(pf, call, attr)
    return bool(values) and all(_is_dumps(value) for value in values)


def _attribute_values(pf: PythonFile, call: ast.Call, attr: str) -> list[ast.expr]:
    """Return the values the class around `call` binds to `self.<attr>` (empty outside a class)."""
    cls = next((a for a in pf.ancestors(call) if isinstance(a, ast.ClassDef)), None)
    return assigned_values(cls, f"self.{attr}") if cls is not None else []


def _is_dumps(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "dumps"


# Calls that start a server listening on the network: whoever reaches its port sends the bytes it receives.
NETWORK_SERVERS = frozenset(
    {
        "grpc.server",
        "grpc.aio.server",
        "asyncio.start_server",
        "websockets.serve",
        "websockets.server.serve",
        "socketserver.TCPServer",
        "socketserver.UDPServer",
        "socketserver.ThreadingTCPServer",
        "socketserver.ThreadingUDPServer",
    }
)


def network_server(pf: PythonFile) -> int | None:
    """Return the line where the module starts a network server (`grpc.server(...)`, `websockets.serve(...)`, a
    `socketserver` server, or a socket it `listen()`s on), or None."""
    listens = "socket" in pf.imported_modules
    for node in pf.nodes(ast.Call):
        if not isinstance(node, ast.Call):
            continue
        if pf.call_name(node) in NETWORK_SERVERS:
            return node.lineno
        if listens and isinstance(node.func, ast.Attribute) and node.func.attr == "listen":
            return node.lineno
    return None


def passes_own_objects(pf: PythonFile, call: ast.Call, name: str) -> bool:
    """Return True for `loads()` of bytes read from no file, socket or response, in a module that makes such bytes
    with the same library's `dumps()` in another function (`cloudpickle.dumps(ts)` into a distributed frame's
    column, then `cloudpickle.loads(row["ts"])` on the worker): the module passes its own objects between stages.
    A module that starts a network server (`network_server`) receives its bytes from whoever connects."""
    source = call.args[0] if call.args else None
    if not name.endswith(".loads") or source is None or network_server(pf) is not None:
        return False
    reader = pf.enclosing_function(call)
    if any(reads_outside(pf, n) for n in ast.walk(reader or source)):
        return False  # `data = sock.recv(n)`, `f.read()`, `pkg = torch.load(path)`: bytes from outside the process
    if isinstance(source, ast.Attribute) and is_self_attribute(source):
        bound = _attribute_values(pf, call, source.attr)  # `self._state = f.read()` in another method
        if any(reads_outside(pf, n) for value in bound for n in ast.walk(value)):
            return False
    dumps, loads = _dumps_of(name), frozenset({name})
    return any(
        isinstance(node, ast.Call) and pf.call_name(node) == dumps and not _also_loads(pf, node, loads)
        for node in pf.nodes(ast.Call)
    )


def _also_loads(pf: PythonFile, dump: ast.Call, loads: frozenset[str]) -> bool:
    """Return True when the function making the bytes also unpickles (`pickle.loads(pickle.dumps(obj))`: a check
    that the object pickles, whose bytes go nowhere else)."""
    func = pf.enclosing_function(dump)
    return func is not None and any(
        isinstance(node, ast.Call) and pf.call_name(node) in loads for node in ast.walk(func)
    )


def _dumps_of(loads: str) -> str:
    """Return the `dumps` of a `loads` (`cloudpickle.loads`: cloudpickle.dumps)."""
    return loads[: -len("loads")] + "dumps"


def reads_own_temp_file(pf: PythonFile, call: ast.Call, name: str) -> bool:
    """Return True for a load of the file named like the temporary file a function of the same module creates with
    `mkstemp()` and pickles into with the same library (`fd, items_path = tempfile.mkstemp()`, `pickle.dump(items,
    open(items_path, "wb"))`, then `pickle.load(open(self._items_path, "rb"))` in the worker): the module hands its
    own objects to the worker processes it starts through a private file."""
    read = _read_path_name(pf, call)
    if read is None:
        return False
    return any(
        read in _temp_paths(func) and any(isinstance(n, ast.Call) and dumps_like(pf, n, name) for n in ast.walk(func))
        for func in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef)
    )


def _read_path_name(pf: PythonFile, call: ast.Call) -> str | None:
    """Return the bare name of the path a load reads (`items_path` for `pickle.load(f)` under `with
    open(self._items_path, "rb") as f`, or for `pickle.load(open(items_path, "rb"))`), or None."""
    source = call.args[0] if call.args else None
    if isinstance(source, ast.Name):
        name = source.id
        bound = (
            item.context_expr
            for node in pf.ancestors(call)
            if isinstance(node, ast.With | ast.AsyncWith)
            for item in node.items
            if isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == name
        )
        source = next(bound, None)  # the innermost `with open(...) as handle:` around the load
    if not (isinstance(source, ast.Call) and isinstance(source.func, ast.Name) and source.func.id == "open"):
        return None
    path = source.args[0] if source.args else None
    if isinstance(path, ast.Attribute) and is_self_attribute(path):
        return path.attr.lstrip("_")
    return path.id.lstrip("_") if isinstance(path, ast.Name) else None


def _temp_paths(func: ast.AST) -> set[str]:
    """Return the bare names a function binds to the path of a file `mkstemp()` creates (`fd, path = mkstemp()`)."""
    return {
        target.elts[1].id.lstrip("_")
        for node in ast.walk(func)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
        for target in node.targets
        if _callee_name(node.value) == "mkstemp"
        and isinstance(target, ast.Tuple)
        and len(target.elts) == 2
        and isinstance(target.elts[1], ast.Name)
    }


def _callee_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _restores_pickled_state(pf: PythonFile, call: ast.Call) -> bool:
    """Return True inside `__setstate__`: it runs while the object itself is being unpickled, so a nested
    `loads` of its state adds nothing to what the outer load already trusts."""
    func = pf.enclosing_function(call)
    return func is not None and func.name == "__setstate__"


@register
class PickleLoad(CallRule):
    """Flags pickle-based loads (pickle, cloudpickle, dill, joblib, `pd.read_pickle`).

    ## What it does
    Finds calls that unpickle data in library code, scripts and notebooks. Unpickling what a web
    route or serverless handler received from its client (`pickle.loads(await request.body())`)
    is critical: anyone who can call the service runs code on it. Bytes a function exchanges
    through torch.distributed collectives (`pickle.loads` after `dist.all_gather`) are the job's
    own objects coming back from its other processes, not a load; neither are a round trip through
    memory (`pickle.loads(pickle.dumps(obj))`: a check that the object pickles; `pickle.loads(self._configs)` of an
    attribute its class binds only to `pickle.dumps(config)`: the instance's own bytes; `pickle.load(io.BytesIO(data))`
    in a function that itself pickles into an `io.BytesIO()` and reads no file, socket or response: the object one
    rank serialises and broadcasts to the others through any communication library) and the nested load
    of an object's own state in `__setstate__` (it runs inside the load that unpickles the object).
    A `loads()` of bytes read from no file, socket or response, in a module that makes such bytes with the
    same library's `dumps()` in another function (objects it hands to a Spark/Dask/Ray partition and unpickles
    on the worker), is a note (info): the module passes its own objects between its stages. So is the reading
    half of a save/load pair: a load in a function named for loading (`load`, `try_load`, `load_models`) whose
    class (or module, for a module-level loader) pickles with the same library's dump in another function to the
    same file, each to the path its caller passes or both to one attribute of the instance
    (`def save(self, path): joblib.dump(self.model, path)` / `def load(self, path): self.model = joblib.load(path)`):
    the code persists its own objects and reads them back. So is a load of the file named like the temporary file a
    function of the same module creates with `mkstemp()` and pickles into with the same library (`fd, items_path =
    tempfile.mkstemp()`, `pickle.dump(items, open(items_path, "wb"))`, then `pickle.load(open(self._items_path, "rb"))`
    in the worker, or in the module's `__main__` block the module starts as a child process): the module hands its
    own objects to its workers through a private file. A path joined to another file name, another
    attribute, or a loader that downloads or fetches what it reads stays a warning.
    A `loads()` in a module that starts a network server (`grpc.server(...)`, `websockets.serve`, a
    `socketserver` server, a socket it `listen()`s on) is an error: the bytes it unpickles arrive from whoever
    reaches the port (a federated peer, a client), even where the module pickles what it sends itself.
    A loader named as a value rather than called (`{".pkl": pickle.load}`, `partial(joblib.load)`) is
    reported where it is named: whoever calls it later unpickles whatever file reaches it.

    ## Why is this bad?
    Unpickling runs arbitrary code from the file: a swapped model artifact or a downloaded
    checkpoint executes whatever its author wanted, with your credentials.

    ## Example
    ```python
    model = joblib.load("model.joblib")
    ```

    ## Use instead
    ```python
    model = onnxruntime.InferenceSession("model.onnx")  # or skops.io.load(..., trusted=[...])
    ```
    """

    code = "SEC008"
    title = "Unsafe pickle-based load"
    practice = "security"
    severity = Severity.WARNING
    fix = "Load only artifacts you produced and verify their hash, or use a safe format (safetensors, ONNX, skops)."
    targets = PICKLE_LOADS

    def judge(self, pf: PythonFile, call: ast.Call, name: str) -> Hit | None:
        critical = request_unpickle_hit(pf, call, f"{name}()")
        if critical is None and (
            exchanged_between_ranks(pf, call, name)
            or is_opt_out_branch(pf, call)
            or loads_bundled_file(pf, call)
            or in_memory_round_trip(pf, call)
            or round_trip_through_buffer(pf, call)
            or _restores_pickled_state(pf, call)
        ):
            return None
        if critical is None and reads_back_own_dump(pf, call):
            message = f"{name}() {place(pf, call)} reads back what the same function pickled (a cache of its own)"
            return Hit(pf.path, call.lineno, message, Severity.INFO)
        writer = loads_what_its_class_saves(pf, call, name) if critical is None else None
        if writer is not None:
            message = (
                f"{name}() {place(pf, call)} reads back what {writer}() of the same code pickles "
                "(a save/load pair: the code reads back the objects it persists)"
            )
            return Hit(pf.path, call.lineno, message, Severity.INFO)
        if critical is None and reads_own_temp_file(pf, call, name):
            message = (
                f"{name}() {place(pf, call)} reads the temporary file its own module pickles into "
                "(its objects handed to the worker processes it starts)"
            )
            return Hit(pf.path, call.lineno, message, Severity.INFO)
        server = network_server(pf) if critical is None and name.endswith(".loads") else None
        if server is not None:
            message = (
                f"{name}() {place(pf, call)} unpickles bytes in a module that starts a network server (line "
                f"{server}): whoever reaches its port can send them and run code"
            )
            return Hit(pf.path, call.lineno, message, Severity.ERROR)
        if critical is None and passes_own_objects(pf, call, name):
            message = (
                f"{name}() {place(pf, call)} unpickles bytes its own module makes with {_dumps_of(name)}() "
                "(its objects passed between stages or workers)"
            )
            return Hit(pf.path, call.lineno, message, Severity.INFO)
        return critical or Hit(pf.path, call.lineno, f"{name}() {place(pf, call)} unpickles arbitrary code")

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        yield from super().check_file(pf)
        for node, name in loader_references(pf, FILE_PICKLE_LOADERS):
            message = f"{name} named as a loader {place(pf, node)}: whatever file reaches it is unpickled"
            yield Hit(pf.path, node.lineno, message)
