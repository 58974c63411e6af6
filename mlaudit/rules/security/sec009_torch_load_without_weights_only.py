"""Provides rule SEC009: torch.load without weights_only=True."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from mlaudit.facts.unsafe_loading import (
    UNSAFE_BY_DEFAULT_LOADERS,
    Wrapper,
    code_files,
    file_wrappers,
    is_opt_out_branch,
    kwargs_weights_only,
    loads_bundled_file,
    loads_download,
    wrapper_target,
)
from mlaudit.model import Severity
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Output, register
from mlaudit.rules.dependencies._shared import declared_dependencies, used_imports
from mlaudit.rules.security._shared import (
    CallRule,
    first_calls,
    is_const,
    keyword,
    loads_own_pickled_state,
    place,
    request_unpickle_hit,
    round_trip_through_buffer,
)

# torch.load defaults to weights_only=True from this torch release on.
SAFE_DEFAULT_FROM = (2, 6)
WITHOUT_FLAG = "torch.load() without weights_only=True"
_LOWER_BOUND = re.compile(r"(?:===?|>=|~=|>|(?<![<>!~=])=)\s*v?(\d+)(?:\.(\d+))?")  # `=`: a conda pin


# Helpers from other libraries named after torch.load: they load the same way unless shown otherwise.
NAMED_TORCH_LOADERS = frozenset({"torch_load", "load_torch"})


@register
class TorchLoadWithoutWeightsOnly(CallRule):
    """Flags `torch.load` without `weights_only=True` (and `weights_only=False` as an error, a warning
    where the class reads back the checkpoints it writes with `torch.save` or a helper named after it
    such as `fs.torch_save`, or the function the file it saves itself).

    ## What it does
    Finds `torch.load(...)` calls that do not pass `weights_only=True`, the repository's own
    functions that call it so on their parameter, and helpers imported from another library
    under torch.load's name (`torch_load`) that load a downloaded file without
    `weights_only=True`: their default is not visible, so they count as the loader they are
    named after (a warning).

    ## Why is this bad?
    Without it `torch.load` unpickles the file, which can run arbitrary code; torch before 2.6
    defaults to the unsafe mode, and `weights_only=False` forces it. Where every torch the
    repository declares is 2.6 or newer, a call without the argument is safe and not reported.
    A file shipped inside the package (a path built from `__file__`) is as trusted as its code:
    loading it is not reported, nor is a load of an in-memory buffer (`torch.load(io.BytesIO(data))`) in a
    function that itself saves into an `io.BytesIO()` and reads no file, socket or response: its own bytes
    (a deep copy, or an object one rank serialises and broadcasts to the job's other ranks). Nor is a
    `__setstate__` loading a buffer over the state it is handed (`torch.load(io.BytesIO(state["model"]))`):
    the pickle being loaded could already run any code, so its bytes add no risk.

    ## Example
    ```python
    state = torch.load(path, map_location="cpu")
    ```

    ## Use instead
    ```python
    state = torch.load(path, map_location="cpu", weights_only=True)
    ```
    """

    code = "SEC009"
    title = "torch.load without weights_only=True"
    practice = "security"
    severity = Severity.WARNING
    fix = (
        "Pass weights_only=True (save plain state dicts), or use safetensors; if the checkpoint holds "
        "other objects, allow-list them with torch.serialization.safe_globals([...])."
    )
    targets = frozenset({"torch.load"})

    def check(self, project: Project) -> Iterator[Output]:
        direct = list(super().check(project))
        if safe_default_required(project):  # a bare torch.load is weights_only=True there
            direct = [h for h in direct if not (isinstance(h, Hit) and h.message.startswith(WITHOUT_FLAG))]
        yield from direct
        wrappers = {w.qualname: w for pf in code_files(project) for w in torch_loaders(pf).wrappers}
        for pf in code_files(project) if wrappers or UNSAFE_BY_DEFAULT_LOADERS else ():
            if not _may_call(pf, wrappers):
                continue  # no call of this module names a wrapper: its tree is not needed
            for call in pf.nodes(ast.Call):
                wrapper = wrapper_target(pf, call, wrappers)
                if wrapper is not None and self._flags_wrapper_call(pf, call, wrapper):
                    yield self._wrapper_hit(pf, call, wrapper)
        yield from _library_loader_hits(project)

    def judge(self, pf: PythonFile, call: ast.Call, name: str) -> Hit | None:
        flag = self._flag(pf, call)
        if is_const(flag, True) or (flag is not None and not isinstance(flag, ast.Constant)):
            return None
        if is_opt_out_branch(pf, call) or loads_bundled_file(pf, call) or loads_own_pickled_state(pf, call):
            return None
        if round_trip_through_buffer(pf, call) and request_unpickle_hit(pf, call, "torch.load()") is None:
            return None
        critical = request_unpickle_hit(pf, call, "torch.load()")
        if critical is not None:
            return critical
        if is_const(flag, False) and keyword(call, "pickle_module") is not None:
            message = (
                f"torch.load(weights_only=False, pickle_module=...) {place(pf, call)}: safe only if that "
                "module's Unpickler restricts find_class to an allow-list"
            )
            return Hit(pf.path, call.lineno, message, Severity.INFO)
        if is_const(flag, False) and _class_saves_checkpoints(pf, call):
            message = (
                f"torch.load(weights_only=False) {place(pf, call)} reads back a checkpoint its class saves; "
                "one shared or downloaded would run code"
            )
            return Hit(pf.path, call.lineno, message, Severity.WARNING)
        if is_const(flag, False) and _function_saves_its_file(pf, call):
            message = (
                f"torch.load(weights_only=False) {place(pf, call)} reads back the file the function itself saves "
                "(a cache); one placed there by someone else would run code"
            )
            return Hit(pf.path, call.lineno, message, Severity.WARNING)
        if is_const(flag, False):
            return Hit(
                pf.path,
                call.lineno,
                f"torch.load(weights_only=False) {place(pf, call)}: unpickling the file can run any code in it",
                Severity.ERROR,
            )
        opaque = next((kw.value for kw in call.keywords if kw.arg is None and not isinstance(kw.value, ast.Name)), None)
        if opaque is not None:
            shown = ast.unparse(opaque)[:60]
            message = f"torch.load(**{shown}) {place(pf, call)}: weights_only is not visible here; pass it explicitly"
            return Hit(pf.path, call.lineno, message, Severity.INFO)
        return Hit(pf.path, call.lineno, f"{WITHOUT_FLAG} {place(pf, call)}")

    @staticmethod
    def _flag(pf: PythonFile, call: ast.Call) -> ast.expr | None:
        return keyword(call, "weights_only") or kwargs_weights_only(pf, call)

    def unsafe_loads(self, pf: PythonFile) -> Iterator[tuple[ast.Call, bool]]:
        """Yield the module's torch.load calls this rule flags, and whether they pass weights_only=False."""
        for call in pf.nodes(ast.Call):
            if pf.call_name(call) == "torch.load" and self.judge(pf, call, "torch.load") is not None:
                yield call, is_const(self._flag(pf, call), False)

    @staticmethod
    def _flags_wrapper_call(pf: PythonFile, call: ast.Call, wrapper: Wrapper) -> bool:
        flag = keyword(call, "weights_only")
        if is_const(flag, True) or (flag is not None and not isinstance(flag, ast.Constant)):
            return False
        return wrapper.qualname in UNSAFE_BY_DEFAULT_LOADERS or loads_download(pf, call)

    @staticmethod
    def _wrapper_hit(pf: PythonFile, call: ast.Call, wrapper: Wrapper) -> Hit:
        downloaded = loads_download(pf, call)
        what = "a downloaded file" if downloaded else "its file"
        if wrapper.qualname in UNSAFE_BY_DEFAULT_LOADERS:
            why = f"{wrapper.qualname} {wrapper.where}"
        else:
            why = f"it calls torch.load without weights_only=True at {wrapper.where}"
        severity = Severity.ERROR if downloaded else Severity.WARNING
        message = f"{ast.unparse(call.func)}() unpickles {what} {place(pf, call)} ({why})"
        return Hit(pf.path, call.lineno, message, severity)


def _class_saves_checkpoints(pf: PythonFile, call: ast.Call) -> bool:
    """Return True when the method's class also writes checkpoints with torch.save, or a helper named after it
    (`fs.torch_save(obj, path)`, `save_torch`), as NAMED_TORCH_LOADERS are after torch.load: a resume path."""
    method = pf.enclosing_function(call)
    owner = pf.parent(method) if method is not None else None
    if not isinstance(owner, ast.ClassDef):
        return False
    return any(isinstance(n, ast.Call) and _saves_with_torch(pf, n) for n in ast.walk(owner))


NAMED_TORCH_SAVERS = frozenset({"torch_save", "save_torch"})


def _saves_with_torch(pf: PythonFile, call: ast.Call) -> bool:
    if pf.call_name(call) == "torch.save":
        return True
    callee = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    return callee in NAMED_TORCH_SAVERS


def _function_saves_its_file(pf: PythonFile, call: ast.Call) -> bool:
    """Return True when the loading function also writes the same path variable with a save call
    (`torch.save(item, path)`, `atomic_save(item, path)`): it reads back its own cache."""
    func = pf.enclosing_function(call)
    target = call.args[0] if call.args else None
    if func is None or not isinstance(target, ast.Name):
        return False
    for node in ast.walk(func):
        if not isinstance(node, ast.Call) or node is call:
            continue
        callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        given = [*node.args, *(k.value for k in node.keywords)]
        if "save" in callee.lower() and any(isinstance(a, ast.Name) and a.id == target.id for a in given):
            return True
    return False


def safe_default_required(project: Project) -> bool:
    """Return True when every runtime torch requirement the repository declares is torch 2.6 or newer.

    From 2.6, `torch.load` defaults to `weights_only=True`: a call without the argument is safe
    wherever the declared environment holds such a torch. No torch requirement, or one without a
    lower bound, leaves the version unknown.
    """
    wanted = [r for r in declared_dependencies(project).requirements if r.name in ("torch", "pytorch") and not r.dev]
    return bool(wanted) and all(_lower_bound(r.spec) >= SAFE_DEFAULT_FROM for r in wanted)


def _lower_bound(spec: str) -> tuple[int, int]:
    """Return the highest lower bound (major, minor) a requirement's specifiers set, or (0, 0)."""
    bounds = [(int(major), int(minor or 0)) for major, minor in _LOWER_BOUND.findall(spec)]
    return max(bounds, default=(0, 0))


def _may_call(pf: PythonFile, wrappers: dict[str, Wrapper]) -> bool:
    """Return True when a call of the module may invoke a wrapper: by its resolved name, or one defined here."""
    own = f"{pf.path}::"
    return any(key.startswith(own) for key in wrappers) or any(
        name in wrappers or name in UNSAFE_BY_DEFAULT_LOADERS for name, _ in first_calls(pf)
    )


LOADERS_FACT = "security.torch_loaders"


@dataclass(frozen=True)
class TorchLoaders:
    """The module's own unsafe torch.load wrappers, and its calls of helpers named after torch.load."""

    wrappers: tuple[Wrapper, ...]
    named: tuple[tuple[str, Hit], ...]  # (imported top-level module, hit) of each call that loads a download


def torch_loaders(pf: PythonFile) -> TorchLoaders:
    """Return the module's torch.load wrappers and named-helper calls (a per-file fact)."""
    found: TorchLoaders = pf.file_fact(LOADERS_FACT, file_torch_loaders)
    return found


def file_torch_loaders(pf: PythonFile) -> TorchLoaders:
    """Compute `torch_loaders` of a module."""
    wrappers = file_wrappers(pf, TorchLoadWithoutWeightsOnly().unsafe_loads(pf))
    named: list[tuple[str, Hit]] = []
    for call in pf.nodes(ast.Call):
        name = pf.call_name(call) or ""
        if name.rsplit(".", 1)[-1] not in NAMED_TORCH_LOADERS:
            continue
        if keyword(call, "weights_only") is None and loads_download(pf, call):
            message = (
                f"{ast.unparse(call.func)}() loads a downloaded file {place(pf, call)} ({name} is another "
                "library's torch.load helper: unless it passes weights_only=True, the file is unpickled)"
            )
            named.append((name.split(".")[0], Hit(pf.path, call.lineno, message)))
    return TorchLoaders(wrappers, tuple(named))


def _library_loader_hits(project: Project) -> Iterator[Hit]:
    """Yield calls of a third-party helper named after torch.load that load a download, weights_only unset."""
    third_party = {(use.path, use.top) for use in used_imports(project)}
    for pf in code_files(project):
        for top, hit in torch_loaders(pf).named:
            if (pf.path, top) in third_party:
                yield hit
