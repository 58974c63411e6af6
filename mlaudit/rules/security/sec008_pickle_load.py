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
    exchanged_between_ranks,
    loader_references,
    place,
    reads_back_own_dump,
    request_unpickle_hit,
)


def _in_memory_round_trip(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for `pickle.loads(pickle.dumps(obj))`, or `loads(data)` of the bytes the same function got
    from a `dumps()` call: a check that an object pickles, whose bytes never leave the process."""
    source = call.args[0] if call.args else None
    if _is_dumps(source):
        return True
    if isinstance(source, ast.Attribute) and is_self_attribute(source):
        return _bound_only_to_dumps(pf, call, source.attr)
    func = pf.enclosing_function(call)
    if not isinstance(source, ast.Name) or func is None:
        return False
    bound = assigned_values(func, source.id)
    return bool(bound) and all(_is_dumps(value) for value in bound)


def _bound_only_to_dumps(pf: PythonFile, call: ast.Call, attr: str) -> bool:
    """Return True when the class around `call` binds `self.<attr>` only to `pickle.dumps(...)` (`self._configs =
    pickle.dumps(config)` in `__init__`): loading it back reads the instance's own bytes, never a file's."""
    cls = next((a for a in pf.ancestors(call) if isinstance(a, ast.ClassDef)), None)
    if cls is None:
        return False
    values = assigned_values(cls, f"self.{attr}")
    return bool(values) and all(_is_dumps(value) for value in values)


def _is_dumps(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "dumps"


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
    attribute its class binds only to `pickle.dumps(config)`: the instance's own bytes) and the nested load
    of an object's own state in `__setstate__` (it runs inside the load that unpickles the object).
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
            or _in_memory_round_trip(pf, call)
            or _restores_pickled_state(pf, call)
        ):
            return None
        if critical is None and reads_back_own_dump(pf, call):
            message = f"{name}() {place(pf, call)} reads back what the same function pickled (a cache of its own)"
            return Hit(pf.path, call.lineno, message, Severity.INFO)
        return critical or Hit(pf.path, call.lineno, f"{name}() {place(pf, call)} unpickles arbitrary code")

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        yield from super().check_file(pf)
        for node, name in loader_references(pf, FILE_PICKLE_LOADERS):
            message = f"{name} named as a loader {place(pf, node)}: whatever file reaches it is unpickled"
            yield Hit(pf.path, node.lineno, message)
