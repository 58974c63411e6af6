"""Provides rule FUN005: Too many parameters."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from mlaudit.facts.loops import compiled_function, jitted_names
from mlaudit.model import Severity
from mlaudit.project import FunctionNode, Project, PythonFile
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.functions._shared import CODE_KINDS, CONSTRUCTORS, _qualified
from mlaudit.rules.interfaces._shared import ClassInfo, ancestors, classes_of
from mlaudit.rules.logging._shared import script_functions
from mlaudit.rules.performance._shared import draws_for_reader
from mlaudit.tools.complexity import functions_of, parameter_count

KERNEL_DECORATORS = frozenset({"jit", "njit", "autotune", "heuristics", "vectorize", "guvectorize", "stencil"})
# click and typer decorators that make a function a command and its parameters command-line options
COMMAND_DECORATORS = frozenset({"command", "option", "argument"})
AUTOGRAD_METHODS = frozenset({"forward", "backward", "jvp", "vjp"})
AUTOGRAD_FUNCTION = "torch.autograd.Function"
PARAMETERS_FACT = "functions.parameters"  # a per-file fact (mlaudit.filefacts)


@dataclass(frozen=True)
class FunctionParameters:
    """One function's counted parameters (`counted_parameters`), with its `Class.method` name and `def` line."""

    name: str
    line: int
    counted: int
    constructor: bool  # a constructor or a function drawing a figure: only its required parameters count
    kernel: bool  # a compiled kernel or an autograd Function's forward/backward: a calling convention
    command: bool = False  # a click/typer command: its parameters are command-line options
    top_level: bool = False  # a module-level function (a command-line framework can be handed it by name)


def function_parameters(pf: PythonFile) -> tuple[FunctionParameters, ...]:
    """Return the counted parameters of every function and method of a file (sync first, then async), but not of
    its `@overload` signatures."""
    rebound = _rebound_kernels(pf)
    jitted = jitted_names(pf)
    top = {id(stmt) for stmt in pf.tree.body}
    return tuple(
        FunctionParameters(
            _qualified(pf, fn),
            fn.lineno,
            counted_parameters(fn, pf.path),
            _configured_by_keyword(fn, pf.path),
            _kernel(pf, fn, jitted) or (id(fn) in top and fn.name in rebound) or _autograd_method(pf, fn),
            _decorated(pf, fn, COMMAND_DECORATORS),
            id(fn) in top,
        )
        for fn in functions_of(pf)
        if not _decorated(pf, fn, OVERLOAD)  # `@overload` restates the implementation's signature: reported there once
    )


@register
class TooManyParameters(Rule):
    """Flags functions with more than seven parameters.

    ## What it does
    Counts the named parameters of each function and method (not `self`/`cls`, `*args`,
    `**kwargs`). Constructors (`__init__`) count only their required parameters: a model
    class configured by keyword defaults, filled from a registry or config, is not a smell. So do functions that
    draw a figure (`plot_*`, `draw_*`, `visualize`, any function of a plotting module): their defaulted parameters
    are styling keywords (`title=`, `cmap=`, `figsize=`), matplotlib's convention.
    Compiled kernels (`@triton.jit`, `@numba.njit`, or `kernel = triton.jit(kernel)` after the
    definition, a lazy-jit decorator of the module or one registering kernels the module compiles later) and the `forward`/`backward` of a `torch.autograd.Function` are skipped: their
    parameters are a calling convention (each tensor autograd tracks is its own argument). So are
    command-line commands (a click/typer command, one handed to `fire.Fire` or registered with
    `app.command()(run)`, a console script): the framework fills each parameter by name from a
    command-line option, so the list is the command's options, not a call written by hand. An override
    of a method that a repository base class already declares with too many parameters follows the
    base's signature: it is reported once, at the base; so are a function's `@typing.overload` signatures, which
    restate its implementation's parameters for the type checker: reported once, at the implementation.

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
            commands: set[str] | None = None
            for fn in functions:
                if fn.counted <= limit or fn.kernel or fn.command or _inherited(fn, pf.path, long_methods, classes):
                    continue
                commands = script_functions(project, pf) if commands is None else commands
                if not (fn.top_level and fn.name in commands):
                    kind = " required" if fn.constructor else ""
                    yield Hit(pf.path, fn.line, f"{fn.name}() takes {fn.counted}{kind} parameters")


def counted_parameters(fn: FunctionNode, path: str = "") -> int:
    """Return the parameters that make a call hard to write: every named one, or only required ones in constructors
    and in functions drawing a figure (`_configured_by_keyword`).

    A constructor whose parameters have defaults is configured by keyword (often from a
    registry or a YAML config); only its required parameters burden the caller.
    """
    if not _configured_by_keyword(fn, path):
        return parameter_count(fn)
    args = fn.args
    positional = [*args.posonlyargs, *args.args]
    if positional and positional[0].arg in {"self", "cls", "mcs", "metacls"}:
        positional = positional[1:]
    required = len(positional) - len(args.defaults)
    required_kw = sum(1 for default in args.kw_defaults if default is None)
    return max(0, required) + required_kw


OVERLOAD = frozenset({"overload"})


def _configured_by_keyword(fn: FunctionNode, path: str) -> bool:
    """Return True for a constructor, or a function drawing a figure (`plot_roc(y_true, y_probas, title=...,
    cmap=..., figsize=...)`, any function of a plotting module): its defaulted parameters are options set by keyword,
    the styling keywords of matplotlib's convention, not values every call passes in order."""
    return fn.name in CONSTRUCTORS or draws_for_reader(fn.name, path)


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


def _kernel(pf: PythonFile, fn: FunctionNode, jitted: frozenset[str]) -> bool:
    """Return True for compiled kernels (`@triton.jit`, `@numba.njit`, a lazy-jit decorator or registry of the
    module: `jitted_names`): their parameters are a calling convention."""
    return _decorated(pf, fn, KERNEL_DECORATORS) or compiled_function(pf, fn, jitted)


def _decorated(pf: PythonFile, fn: FunctionNode, names: frozenset[str]) -> bool:
    """Return True when a decorator of `fn` is one of `names` (by its last dotted part, called or not)."""
    return any(_last_part(pf, deco) in names for deco in fn.decorator_list)


def _last_part(pf: PythonFile, node: ast.expr) -> str:
    target = node.func if isinstance(node, ast.Call) else node
    return (pf.qualname(target) or ast.unparse(target)).rsplit(".", 1)[-1]


def _rebound_kernels(pf: PythonFile) -> frozenset[str]:
    """Return the module's functions compiled by rebinding them (`kernel = triton.jit(kernel)`,
    `kernel = triton.heuristics({...})(kernel)`): a decorator applied after the definition."""
    found: set[str] = set()
    for stmt in pf.tree.body:
        value = stmt.value if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 else None
        target = stmt.targets[0] if isinstance(stmt, ast.Assign) else None
        if not (isinstance(value, ast.Call) and isinstance(target, ast.Name) and len(value.args) == 1):
            continue
        argument = value.args[0]
        if (
            isinstance(argument, ast.Name)
            and argument.id == target.id
            and _last_part(pf, value.func) in (KERNEL_DECORATORS)
        ):
            found.add(target.id)
    return frozenset(found)


def _autograd_method(pf: PythonFile, fn: FunctionNode) -> bool:
    """Return True for `forward`/`backward` of a torch.autograd.Function: the autograd engine passes each tensor
    it tracks as its own argument, so the list is the operation's inputs, not settings to group."""
    if fn.name not in AUTOGRAD_METHODS:
        return False
    owner = pf.parent(fn)
    return isinstance(owner, ast.ClassDef) and any(pf.qualname(base) == AUTOGRAD_FUNCTION for base in owner.bases)
