"""Provides rule TYP007: Signature typed mostly as Any."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from mlaudit.model import FileKind, Severity
from mlaudit.project import FunctionNode, PythonFile
from mlaudit.registry import FileRule, Hit, register
from mlaudit.tools.complexity import functions_of


def _is_any(pf: PythonFile, annotation: ast.expr | None) -> bool:
    if annotation is None:
        return False
    if isinstance(annotation, ast.Constant) and annotation.value == "Any":
        return True
    name = pf.qualname(annotation)
    return name in {"typing.Any", "typing_extensions.Any"}


_OVERRIDE = frozenset({"typing.override", "typing_extensions.override", "overrides.override"})
_VALIDATORS = frozenset({"field_validator", "model_validator", "validator", "root_validator"})
_RAW_MODES = frozenset({"before", "wrap", "plain"})


def signature_inherited(pf: PythonFile, fn: FunctionNode) -> bool:
    """Return True when the Any is not the author's choice: an `@override` (its base class fixes the
    signature), `json.JSONEncoder.default(self, o)`, or a Pydantic validator that runs on the raw input
    (`mode="before"`/`"wrap"`/`"plain"`, or `pre=True`)."""
    for dec in fn.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        if pf.qualname(target) in _OVERRIDE:
            return True
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if isinstance(dec, ast.Call) and name in _VALIDATORS and _raw_input(dec):
            return True
    parent = pf.parent(fn)
    return (
        fn.name == "default"
        and isinstance(parent, ast.ClassDef)
        and any(pf.qualname(base) == "json.JSONEncoder" for base in parent.bases)
    )


def _raw_input(dec: ast.Call) -> bool:
    for kw in dec.keywords:
        value = kw.value.value if isinstance(kw.value, ast.Constant) else None
        if (kw.arg == "mode" and value in _RAW_MODES) or (kw.arg == "pre" and value is True):
            return True
    return False


def any_slots(pf: PythonFile, fn: FunctionNode) -> tuple[int, int]:
    """Return (slots typed as bare `Any`, annotated slots) of a signature, ignoring *args/**kwargs."""
    args = fn.args
    named = [a for a in (*args.posonlyargs, *args.args, *args.kwonlyargs) if a.annotation is not None]
    slots = [a.annotation for a in named] + ([fn.returns] if fn.returns is not None else [])
    return sum(1 for s in slots if _is_any(pf, s)), len(slots)


@register
class AnyHeavySignature(FileRule):
    """Notes library functions whose signatures are mostly `Any`.

    ## What it does
    Reports functions with at least two parameters or return typed as bare `Any`, making up
    at least half of the annotated signature (`*args: Any`, `**kwargs: Any` and
    `dict[str, Any]` are not counted).

    ## Why is this bad?
    `Any` switches the checker off for every value that flows through it: the function looks
    typed but nothing is checked.

    ## Example
    ```python
    def train(model: Any, data: Any, cfg: Any) -> Any: ...
    ```

    ## Use instead
    ```python
    def train(model: nn.Module, data: DataLoader[Batch], cfg: TrainConfig) -> TrainResult: ...
    ```
    """

    code = "TYP007"
    title = "Signature typed mostly as Any"
    practice = "typing"
    severity = Severity.INFO
    fix = "Replace Any with the concrete types, a Protocol, or a TypeVar."
    file_kinds = (FileKind.LIBRARY,)

    def check_file(self, pf: PythonFile) -> Iterable[Hit]:
        if "Any" not in pf.text:
            return
        for fn in functions_of(pf):
            if signature_inherited(pf, fn):
                continue
            anys, annotated = any_slots(pf, fn)
            if anys >= 2 and anys * 2 >= annotated:
                yield Hit(pf.path, fn.lineno, f"{fn.name}() has {anys} of {annotated} signature types as Any")
