"""Provides rule REP008: Library code reseeds a global random generator with a fixed seed."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from mlaudit.facts.assertions import callee, is_shipped_check
from mlaudit.facts.kind import is_demo_function, is_example, is_library
from mlaudit.facts.randomness import SEED_FUNCTIONS
from mlaudit.facts.test_suite import is_test_case_class
from mlaudit.model import FileKind, Severity
from mlaudit.project import FunctionNode, Project, PythonFile, is_self_attribute, parameter_defaults
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.functions._shared import call_label, module_level_statements
from mlaudit.rules.logging._shared import (
    file_commands,
    is_cli_module,
    parses_arguments_on_import,
    script_functions,
)

_SEED_LAST_NAMES = frozenset(name.rpartition(".")[2] for name in SEED_FUNCTIONS)  # a cheap test before resolving
# Calls that save or fork a generator's state: a function that calls one restores the caller's stream afterwards.
STATE_KEEPERS = frozenset({"get_state", "get_rng_state", "getstate", "fork_rng", "get_rng_state_all"})


@register
class LibraryReseedsGlobalRng(Rule):
    """Flags library code that reseeds a global random generator with a fixed seed.

    ## What it does
    Reports calls of a global seed function (`random.seed`, `np.random.seed`, `torch.manual_seed`,
    `transformers.set_seed`, ...) in the functions of a published library whose seed is fixed: a literal
    (`np.random.seed(0)`) or a parameter of the enclosing function that defaults to a number
    (`def export(..., seed=0): random.seed(seed)`). Not reported: a seed the caller has to ask for
    (`seed=None` / `if seed is not None: np.random.seed(seed)`, or a config attribute such as
    `args.seed`), seeding helpers (a function named for seeding: `set_seed`, `init_seeds`, or one that does nothing
    but seed two or more generators and set determinism switches: `make_deterministic(seed=19260817)`; but not a private
    method reseeding from the object's own seed, `def _set_seed(self): np.random.seed(self.seed)`, which the
    object's `fit()` runs on every call unless the seed is tested first) and
    DataLoader worker initialisers (a `worker_id` parameter), functions that save the state and
    restore it (`torch.get_rng_state()` ... `torch.set_rng_state(state)`, `torch.random.fork_rng()`),
    tests a library ships for its users' suites (a `check_*`/`test_*` function that asserts: seeding
    fixes its data), demos a module ships as functions (`def names_demo(trainer): random.seed(123456)`: a runnable
    example, its seed fixes the output it shows), the methods of a `unittest.TestCase` subclass it ships (a test
    base's `setUp`), command-line code (`main()`, CLI modules, the `__main__` guard, a function it
    runs or hands to a command-line framework: `tyro.cli(generate_image)`), examples and docs.
    Research code is not judged: its own scripts are the callers, and seeding there is the run's choice.
    A literal seed set by a library module's top-level code (`set_seed(42)` in `__init__.py`, outside the
    `__main__` guard) is reported too: importing the library reseeds every program that uses it; but not in a
    module whose own top level trains a model (`model.fit(X, y)` outside functions and the guard): that module is
    a script run as the program, nothing imports it, and its seed is the run's.

    ## Why is this bad?
    Every call resets the caller's random stream to the same point: the caller's own seeding is
    overwritten, "random" draws after the call repeat from run to run and from call to call, and
    two components that each reseed interfere in ways that depend on call order.

    ## Example
    ```python
    def split_images(images, train_rate=0.8, seed=0):
        random.seed(seed)
        random.shuffle(images)
    ```

    ## Use instead
    ```python
    def split_images(images, train_rate=0.8, seed=0):
        rng = random.Random(seed)  # or np.random.default_rng(seed)
        rng.shuffle(images)
    ```
    """

    code = "REP008"
    title = "Library reseeds a global random generator"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Draw from a local generator made from the seed (random.Random(seed), np.random.default_rng(seed))."

    def check(self, project: Project) -> Iterator[Output]:
        if not is_library(project):
            return  # research code's own scripts are the callers: seeding there is the run's choice
        for pf in project.python_of(FileKind.LIBRARY):
            if is_example(pf.path) or is_cli_module(pf.path):
                continue
            reseeds: tuple[Reseed, ...] = pf.file_fact(RESEEDS_FACT, fixed_reseeds)
            commands = script_functions(project, pf) if reseeds else set()
            for reseed in reseeds:
                if reseed.function in commands:
                    continue  # `tyro.cli(generate_image)`: a command seeds the run it is
                if not reseed.function:
                    message = f"{reseed.call} at the top level of {pf.path} reseeds the global generator of every program that imports it"
                else:
                    message = (
                        f"{reseed.call} in {reseed.function}() of {pf.path} reseeds the global generator on every call"
                    )
                yield Hit(pf.path, reseed.line, message)


RESEEDS_FACT = "reproducibility.fixed_reseeds"  # a per-file fact (mlaudit.filefacts)


@dataclass(frozen=True)
class Reseed:
    """A global seed call given a fixed seed in a function the file alone does not show to be a command."""

    line: int
    function: str  # empty for a call at the module's top level, run when the module is imported
    call: str  # as the message shows it: `np.random.seed(0)`, `random.seed(seed=0)`


def fixed_reseeds(pf: PythonFile) -> tuple[Reseed, ...]:
    """Return the module's fixed reseeds outside the command-line code the file itself shows (a per-file fact)."""
    found = list(_fixed_reseeds(pf))
    if not found or parses_arguments_on_import(pf):
        return ()
    commands = file_commands(pf)
    script = _trains_on_import(pf)
    return tuple(
        Reseed(call.lineno, func.name if func is not None else "", f"{ast.unparse(call.func)}({seed})")
        for call, func, seed in found
        if (func is None and not script) or (func is not None and func.name not in commands)
    )


TRAINING_CALLS = frozenset({"fit", "fit_generator", "train_on_batch", "backward"})


def _trains_on_import(pf: PythonFile) -> bool:
    """Return True for a module whose own top level trains a model (`model.fit(X, y)` outside any function and
    the `__main__` guard): a script run as the program, which nothing imports, so its top-level seed is the run's."""
    return any(
        isinstance(node, ast.Call) and call_label(node) in TRAINING_CALLS
        for stmt in module_level_statements(pf.tree.body)
        if not isinstance(stmt, ast.ClassDef)
        for node in ast.walk(stmt)
    )


def _fixed_reseeds(pf: PythonFile) -> Iterator[tuple[ast.Call, FunctionNode | None, str]]:
    """Yield the global seed calls of the file's functions given a fixed seed, with the function and the seed,
    and the literal seeds the module's own top level sets when it is imported (function None; not in the
    `__main__` guard, nor in a class body)."""
    for call in pf.nodes(ast.Call):
        target = call.func
        last = target.attr if type(target) is ast.Attribute else target.id if type(target) is ast.Name else ""
        if not call.args or last not in _SEED_LAST_NAMES or pf.call_name(call) not in SEED_FUNCTIONS:
            continue
        func = pf.enclosing_function(call)
        if func is None:
            if _seeds_on_import(pf, call):
                yield call, None, ast.unparse(call.args[0])
            continue
        if _exempt(pf, func):
            continue
        seed = call.args[0]
        if _seeding_helper(func):
            if _private_method(func) and _own_attribute(seed) and not _guarded(pf, call, seed):
                yield call, func, ast.unparse(seed)  # `_set_seed(self)`, which the object's own `fit()` calls
            continue
        if _fixed(pf, seed, call):
            yield call, func, _shown(pf, seed, call)


def _in_test_case(pf: PythonFile, func: FunctionNode) -> bool:
    """Return True for a method of a `unittest.TestCase` subclass (`setUp` of a test base the package ships): it
    runs under a test runner, where a fixed seed makes the test repeatable."""
    owner = pf.parent(func)
    return isinstance(owner, ast.ClassDef) and is_test_case_class(owner)


def _seeds_on_import(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for a literal seed set by the module's own top-level code (`set_seed(42)` in `__init__.py`):
    importing the library resets its user's random streams. The `__main__` guard runs only as a script."""
    seed = call.args[0]
    literal = isinstance(seed, ast.Constant) and isinstance(seed.value, int) and not isinstance(seed.value, bool)
    in_class = any(isinstance(anc, ast.ClassDef) for anc in pf.ancestors(call))
    return literal and not in_class and not pf.in_main_guard(call)


def _private_method(func: FunctionNode) -> bool:
    """Return True for a private method (`def _set_seed(self)`): the object's own methods call it, not its user."""
    params = (*func.args.posonlyargs, *func.args.args)
    return func.name.startswith("_") and not func.name.startswith("__") and bool(params) and params[0].arg == "self"


def _own_attribute(seed: ast.expr) -> bool:
    """Return True for `self.seed`: the seed the object was built with, applied whenever the helper runs."""
    return is_self_attribute(seed)


def _guarded(pf: PythonFile, call: ast.Call, seed: ast.expr) -> bool:
    """Return True when the reseed runs only under a test of the seed (`if self.seed is not None:`): opted into."""
    shown = ast.unparse(seed)
    return any(
        isinstance(anc, ast.If) and shown in ast.unparse(anc.test)
        for anc in pf.ancestors(call)
        if not isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef)
    )


def _seeding_helper(func: FunctionNode) -> bool:
    """Return True for a function whose job is seeding: named for it, a DataLoader worker initialiser, or one
    that only seeds two or more generators and sets determinism switches (`make_deterministic(seed=...)`)."""
    params = {a.arg for a in (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs)}
    named = "seed" in func.name.lower() or "worker_init" in func.name.lower() or "worker_id" in params
    return named or (_only_seeds(func.body) and _seed_calls(func) >= 2)


def _only_seeds(body: list[ast.stmt]) -> bool:
    """Return True when every statement seeds a generator or sets a switch (`torch.backends.cudnn.deterministic =
    True`, `os.environ["PYTHONHASHSEED"] = str(seed)`), also under an `if` on a parameter."""
    for stmt in body:
        if (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)) or isinstance(stmt, IMPORTS):
            continue  # the docstring, `import random` of the generator it seeds
        if isinstance(stmt, ast.If):
            if not (_only_seeds(stmt.body) and _only_seeds(stmt.orelse)):
                return False
        elif isinstance(stmt, ast.Assign):
            if not all(isinstance(t, ast.Attribute | ast.Subscript) for t in stmt.targets):
                return False
        elif not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and _seed_call(stmt.value)):
            return False
    return True


IMPORTS = (ast.Import, ast.ImportFrom)


def _seed_call(call: ast.Call) -> bool:
    """Return True for a call of a seed function (`np.random.seed`) or a determinism switch, by its last name."""
    last = callee(call)
    return last in _SEED_LAST_NAMES or "determinis" in last


def _seed_calls(func: FunctionNode) -> int:
    """Return how many distinct seeding calls the function makes (`random.seed`, `np.random.seed`, ...)."""
    return len({ast.unparse(n.func) for n in ast.walk(func) if isinstance(n, ast.Call) and _seed_call(n) and n.args})


def _exempt(pf: PythonFile, func: FunctionNode) -> bool:
    """Return True for a function allowed to fix the global seed: one keeping its own generator state, `main`, a
    shipped check, a demo, or a method of a shipped `unittest.TestCase`."""
    return (
        _keeps_state(pf, func)
        or func.name == "main"
        or is_shipped_check(func)
        or is_demo_function(func.name)
        or _in_test_case(pf, func)
    )


def _keeps_state(pf: PythonFile, func: FunctionNode) -> bool:
    """Return True when the function saves or forks the generator state, so the caller's stream comes back."""
    for node in ast.walk(func):
        if isinstance(node, ast.Call):
            target = node.func
            name = (
                target.attr if isinstance(target, ast.Attribute) else target.id if isinstance(target, ast.Name) else ""
            )
            if name in STATE_KEEPERS:
                return True
    return False


def _fixed(pf: PythonFile, seed: ast.expr, call: ast.Call) -> bool:
    """Return True for a literal seed, or a parameter of an enclosing function that defaults to a number."""
    if isinstance(seed, ast.Constant):
        return isinstance(seed.value, int) and not isinstance(seed.value, bool)
    return isinstance(seed, ast.Name) and _numeric_default(pf, seed.id, call) is not None


def _numeric_default(pf: PythonFile, name: str, call: ast.Call) -> int | None:
    """Return the numeric default of the innermost enclosing function's parameter `name`, if it has one."""
    func = pf.enclosing_function(call)
    if func is None:
        return None
    default = parameter_defaults(func.args).get(name)
    value = default.value if isinstance(default, ast.Constant) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _shown(pf: PythonFile, seed: ast.expr, call: ast.Call) -> str:
    """Return the seed as the message shows it: `0`, or `seed=0` for a parameter's default."""
    if isinstance(seed, ast.Name):
        default = _numeric_default(pf, seed.id, call)
        return f"{seed.id}={default}" if default is not None else seed.id
    return ast.unparse(seed)
