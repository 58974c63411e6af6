"""Provides rule FUN005: Too many parameters."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from mlaudit.model import Severity
from mlaudit.project import FunctionNode, Project, PythonFile
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.functions._shared import CODE_KINDS, CONSTRUCTORS, _qualified
from mlaudit.rules.interfaces._shared import ClassInfo, ancestors, classes_of
from mlaudit.tools.complexity import functions_of, parameter_count

KERNEL_DECORATORS = frozenset({"jit", "njit", "autotune", "heuristics", "vectorize", "guvectorize", "stencil"})
PARAMETERS_FACT = "functions.parameters"  # a per-file fact (mlaudit.filefacts)


@dataclass(frozen=True)
class FunctionParameters:
    """One function's counted parameters (`counted_parameters`), with its `Class.method` name and `def` line."""

    name: str
    line: int
    counted: int
    constructor: bool
    kernel: bool


def function_parameters(pf: PythonFile) -> tuple[FunctionParameters, ...]:
    """Return the counted parameters of every function and method of a file (sync first, then async)."""
    return tuple(
        FunctionParameters(
            _qualified(pf, fn), fn.lineno, counted_parameters(fn), fn.name in CONSTRUCTORS, _kernel(pf, fn)
        )
        for fn in functions_of(pf)
    )


@register
class TooManyParameters(Rule):
    """Flags functions with more than seven parameters.

    ## What it does
    Counts the named parameters of each function and method (not `self`/`cls`, `*args`,
    `**kwargs`). Constructors (`__init__`) count only their required parameters: a model
    class configured by keyword defaults, filled from a registry or config, is not a smell.
    Compiled kernels (`@triton.jit`, `@numba.njit`) are skipped: their parameters are the
    kernel's calling convention. An override of a method that a repository base class already
    declares with too many parameters follows the base's signature: it is reported once, at the base.

    ## Why is this bad?
    Long parameter lists are hyperparameters passed by hand: call sites get them in the wrong
    order, defaults drift between callers, and nothing records the run's settings together.

    ## Example
    ```python
    def train(data, lr, epochs, batch_size, dropout, hidden, layers, seed, out_dir): ...
    ```

    ## Use instead
    ```python
    @dataclass(frozen=True)
    class TrainConfig:
        lr: float = 1e-3
        epochs: int = 10
        ...

    def train(data: Dataset, cfg: TrainConfig) -> Model: ...
    ```
    """

    code = "FUN005"
    title = "Too many parameters"
    practice = "functions"
    severity = Severity.WARNING
    fix = "Group related parameters into a frozen dataclass (a config object) and pass that."
    weight = 3
    cap = 15

    def check(self, project: Project) -> Iterator[Output]:
        limit = project.options.threshold("max_parameters", 7)
        files = [(pf, pf.file_fact(PARAMETERS_FACT, function_parameters)) for pf in project.python_of(*CODE_KINDS)]
        long_methods = _long_methods(files, limit)
        classes = classes_of(project)
        for pf, functions in files:
            for fn in functions:
                if fn.counted > limit and not fn.kernel and not _inherited(fn, pf.path, long_methods, classes):
                    kind = " required" if fn.constructor else ""
                    yield Hit(pf.path, fn.line, f"{fn.name}() takes {fn.counted}{kind} parameters")


def _long_methods(
    files: list[tuple[PythonFile, tuple[FunctionParameters, ...]]], limit: float
) -> dict[str, frozenset[str]]:
    """Return, by class name, the methods that take more than `limit` parameters."""
    found: dict[str, set[str]] = {}
    for _, functions in files:
        for fn in functions:
            owner, dot, method = fn.name.rpartition(".")
            if dot and fn.counted > limit:
                found.setdefault(owner, set()).add(method)
    return {owner: frozenset(methods) for owner, methods in found.items()}


def _inherited(
    fn: FunctionParameters, path: str, long_methods: dict[str, frozenset[str]], classes: dict[str, list[ClassInfo]]
) -> bool:
    """Return True for an override of a method that a repository base class already declares with too many
    parameters (`AutoARIMA.simulate` under `_TS.simulate`): the signature is the base's, reported there once."""
    owner, dot, method = fn.name.rpartition(".")
    if not dot:
        return False
    infos = [info for info in classes.get(owner, []) if info.path == path]
    return any(method in long_methods.get(base, ()) for info in infos for base in ancestors(info, classes))


def counted_parameters(fn: FunctionNode) -> int:
    """Return the parameters that make a call hard to write: every named one, or only required ones in constructors.

    A constructor whose parameters have defaults is configured by keyword (often from a
    registry or a YAML config); only its required parameters burden the caller.
    """
    if fn.name not in CONSTRUCTORS:
        return parameter_count(fn)
    args = fn.args
    positional = [*args.posonlyargs, *args.args]
    if positional and positional[0].arg in {"self", "cls", "mcs", "metacls"}:
        positional = positional[1:]
    required = len(positional) - len(args.defaults)
    required_kw = sum(1 for default in args.kw_defaults if default is None)
    return max(0, required) + required_kw


def _kernel(pf: PythonFile, fn: FunctionNode) -> bool:
    """Return True for compiled kernels (`@triton.jit`, `@numba.njit`): their parameters are a calling convention."""
    for deco in fn.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        name = (pf.qualname(target) or ast.unparse(target)).rsplit(".", 1)[-1]
        if name in KERNEL_DECORATORS:
            return True
    return False
