"""Provides rule SEC009: torch.load without weights_only=True."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.facts.unsafe_loading import (
    UNSAFE_BY_DEFAULT_LOADERS,
    Wrapper,
    code_files,
    is_opt_out_branch,
    kwargs_weights_only,
    loads_download,
    project_wrappers,
    wrapper_target,
)
from mlaudit.model import Severity
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Output, register
from mlaudit.rules.dependencies._shared import used_imports
from mlaudit.rules.security._shared import CallRule, is_const, keyword, place

# Helpers from other libraries named after torch.load: they load the same way unless shown otherwise.
NAMED_TORCH_LOADERS = frozenset({"torch_load", "load_torch"})


@register
class TorchLoadWithoutWeightsOnly(CallRule):
    """Flags `torch.load` without `weights_only=True` (and `weights_only=False` as an error).

    ## What it does
    Finds `torch.load(...)` calls that do not pass `weights_only=True`, the repository's own
    functions that call it so on their parameter, and helpers imported from another library
    under torch.load's name (`torch_load`) that load a downloaded file without
    `weights_only=True`: their default is not visible, so they count as the loader they are
    named after (a warning).

    ## Why is this bad?
    Without it `torch.load` unpickles the file, which can run arbitrary code; older torch
    versions default to the unsafe mode, and `weights_only=False` forces it.

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
        yield from direct
        wrappers = project_wrappers(project, self._unsafe_loads(project))
        for pf in code_files(project):
            for call in pf.nodes(ast.Call):
                wrapper = wrapper_target(pf, call, wrappers)
                if wrapper is not None and self._flags_wrapper_call(pf, call, wrapper):
                    yield self._wrapper_hit(pf, call, wrapper)
        yield from _library_loader_hits(project)

    def judge(self, pf: PythonFile, call: ast.Call, name: str) -> Hit | None:
        flag = self._flag(pf, call)
        if is_const(flag, True) or (flag is not None and not isinstance(flag, ast.Constant)):
            return None
        if is_opt_out_branch(pf, call):
            return None
        if is_const(flag, False) and keyword(call, "pickle_module") is not None:
            message = (
                f"torch.load(weights_only=False, pickle_module=...) {place(pf, call)}: safe only if that "
                "module's Unpickler restricts find_class to an allow-list"
            )
            return Hit(pf.path, call.lineno, message, Severity.INFO)
        if is_const(flag, False):
            return Hit(pf.path, call.lineno, f"torch.load(weights_only=False) {place(pf, call)}", Severity.ERROR)
        opaque = next((kw.value for kw in call.keywords if kw.arg is None and not isinstance(kw.value, ast.Name)), None)
        if opaque is not None:
            shown = ast.unparse(opaque)[:60]
            message = f"torch.load(**{shown}) {place(pf, call)}: weights_only is not visible here; pass it explicitly"
            return Hit(pf.path, call.lineno, message, Severity.INFO)
        return Hit(pf.path, call.lineno, f"torch.load() without weights_only=True {place(pf, call)}")

    @staticmethod
    def _flag(pf: PythonFile, call: ast.Call) -> ast.expr | None:
        return keyword(call, "weights_only") or kwargs_weights_only(pf, call)

    def _unsafe_loads(self, project: Project) -> Iterator[tuple[PythonFile, ast.Call, bool]]:
        for pf in code_files(project):
            for call in pf.nodes(ast.Call):
                if pf.call_name(call) == "torch.load" and self.judge(pf, call, "torch.load") is not None:
                    yield pf, call, is_const(self._flag(pf, call), False)

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


def _library_loader_hits(project: Project) -> Iterator[Hit]:
    """Yield calls of a third-party helper named after torch.load that load a download, weights_only unset."""
    third_party = {(use.path, use.top) for use in used_imports(project)}
    for pf in code_files(project):
        for call in pf.nodes(ast.Call):
            name = pf.call_name(call) or ""
            if name.rsplit(".", 1)[-1] not in NAMED_TORCH_LOADERS or (pf.path, name.split(".")[0]) not in third_party:
                continue
            if keyword(call, "weights_only") is None and loads_download(pf, call):
                message = (
                    f"{ast.unparse(call.func)}() loads a downloaded file {place(pf, call)} ({name} is another "
                    "library's torch.load helper: unless it passes weights_only=True, the file is unpickled)"
                )
                yield Hit(pf.path, call.lineno, message)
