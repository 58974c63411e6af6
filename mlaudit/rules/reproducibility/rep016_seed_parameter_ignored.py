"""Provides rule REP016: A function or estimator takes a seed but draws from a global generator."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from mlaudit.facts.kind import is_example
from mlaudit.facts.randomness import LIBRARY_SEEDERS, SEED_FUNCTIONS, classify_draw
from mlaudit.model import FileKind, Severity
from mlaudit.project import FunctionNode, PythonFile, parameter_defaults
from mlaudit.registry import FileRule, Hit, register

# Parameters that hand a function (or an object, through `__init__`) the seed of its randomness.
SEED_PARAMS = frozenset({"random_state", "seed", "random_seed", "rng", "rng_seed", "np_random"})


# Global sources whose draws a passed seed or generator should drive (torch's layers' initialisation is not a draw
# a seed parameter is meant for; its explicit samplers are).
GLOBAL_SOURCES = {
    "numpy": "numpy's global generator",
    "random": "Python's global `random`",
    "torch": "torch's global generator",
}


@register
class SeedParameterIgnored(FileRule):
    """Flags draws from a global generator in code that takes a seed of its own.

    ## What it does
    Reports a function, or a method of a class whose `__init__` (or dataclass field) takes a seed
    (`random_state`, `seed`, `random_seed`, `rng`), that draws from a global source of randomness
    anyway: `np.random.randint(...)`, `random.shuffle(...)`, `torch.randperm(...)`. One finding per
    function, at its first such draw. Not reported: datasets (a class with `__getitem__` or `__iter__`:
    their per-item draws run in data-loader workers, which reseed the global generators per worker),
    code that seeds the global source itself
    (`np.random.seed(self.random_state)`, a `set_seed(seed)` helper: REP008 judges that), draws
    under a test of the seed (`if random_state is None: ...`), functions named for seeding, a `seed` that is
    data (text or a list by its annotation or default, or joined into a tensor: `torch.cat((seed, condition))`,
    the tokens an autoregressive sampler continues), draws given a generator (`generator=g`), and a draw that
    picks the seed itself (`seed = random.randint(0, 10**6)` when the caller asks for a random one). Nor are draws
    the seed is installed around: inside a
    `with` block whose context manager is given the seed (`with set_random_state(seed): ...`), in a
    method whose decorator is named for the seed (`@random_state`, `@seeded`) or a private helper only
    such methods call, or after `super().__init__(random_seed=random_seed)` when the base class in the
    same module seeds the global source in its `__init__` (or through its own base). In examples,
    tutorials and docs it is a note (info).

    ## Why is this bad?
    The caller passed a seed to make the result repeatable and the signature promises it, but
    this draw ignores it: the same `random_state` gives a different bootstrap, split or
    initialisation on every run, and nothing tells the caller.

    ## Example
    ```python
    class Bootstrap:
        def __init__(self, n_samples, random_state=None):
            self.random_state = random_state

        def resample(self, X):
            idx = np.random.randint(0, len(X), size=len(X))
            return X[idx]
    ```

    ## Use instead
    ```python
        def resample(self, X):
            rng = np.random.default_rng(self.random_state)  # or check_random_state(self.random_state)
            idx = rng.integers(0, len(X), size=len(X))
            return X[idx]
    ```
    """

    code = "REP016"
    file_kinds = (FileKind.LIBRARY, FileKind.SCRIPT)
    title = "Seed parameter ignored by a global draw"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Draw from a generator made from the seed: rng = np.random.default_rng(random_state), then rng.integers(...)."

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        teaching = is_example(pf.path)
        for ignored in ignored_seeds(pf):
            yield Hit(
                pf.path,
                ignored.line,
                f"{ignored.draw}() in {ignored.function}() draws from {GLOBAL_SOURCES[ignored.source]} although "
                f"{ignored.owner} takes `{ignored.param}`: the seed the caller passes does not reach this draw",
                severity=Severity.INFO if teaching else None,
            )


@dataclass(frozen=True)
class IgnoredSeed:
    """The first global draw of a function whose own seed parameter (or its object's) does not drive it."""

    line: int
    draw: str  # `np.random.randint`
    source: str  # a key of GLOBAL_SOURCES
    function: str
    owner: str  # `bootstrap()` or `class Bootstrap`
    param: str


def ignored_seeds(pf: PythonFile) -> Iterator[IgnoredSeed]:
    """Yield, per function, the first global draw that a seed the function or its object takes does not drive."""
    reported: set[ast.AST] = set()
    seeding: dict[ast.AST, bool] = {}  # owner -> whether it seeds globally: each owner walked once
    for call in pf.nodes(ast.Call):
        source = _global_draw(pf, call)
        if source is None:
            continue
        func = pf.enclosing_function(call)
        if func is None or func in reported:
            continue
        owner = _seed_owner(pf, call)
        if owner is None or _tests_seed(pf, call, func, owner[2]) or _seed_flows_in(call, func, owner[2]):
            continue
        if _draws_the_seed(pf, call, owner[2]):
            continue
        if _seed_installed(pf, call, func, owner[2]):
            continue
        if owner[0] not in seeding:
            seeding[owner[0]] = _seeds_globally(owner[0])
        if seeding[owner[0]]:
            continue
        reported.add(func)
        yield IgnoredSeed(call.lineno, ast.unparse(call.func), source, func.name, owner[1], owner[2])


def _global_draw(pf: PythonFile, call: ast.Call) -> str | None:
    name = pf.call_name(call)
    source = classify_draw(name, call) if name else None
    return source if source in GLOBAL_SOURCES else None


def _seed_owner(pf: PythonFile, call: ast.Call) -> tuple[ast.AST, str, str] | None:
    """Return the definition that takes the seed (an enclosing function, or the class of an enclosing method),
    how the message names it, and the parameter; None when no enclosing code takes one."""
    for anc in pf.ancestors(call):
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef):
            if _seeding_function(anc):
                return None  # `set_seed(seed)`, `_seed_worker(worker_id, seed)`: their job is the global source
            param = _seed_param(anc)
            if param is not None:
                return anc, f"{anc.name}()", param
        elif isinstance(anc, ast.ClassDef):
            param = None if _serves_items(anc) else _class_seed(anc)
            return (anc, f"class {anc.name}", param) if param is not None else None
    return None


ITEM_METHODS = frozenset({"__getitem__", "__iter__"})


def _serves_items(cls: ast.ClassDef) -> bool:
    """Return True for a dataset (`__getitem__`, `__iter__`): its per-item draws (augmentations) run in the data
    loader's workers, which reseed the global generators per worker; its own seed picks a shard or split."""
    return any(isinstance(stmt, ast.FunctionDef) and stmt.name in ITEM_METHODS for stmt in cls.body)


def _seeding_function(func: FunctionNode) -> bool:
    return "seed" in func.name.lower() or "worker_init" in func.name.lower()


def _seed_param(func: FunctionNode) -> str | None:
    """Return the function's seed parameter; one annotated or defaulting as text or a collection (`seed: str`,
    `seed="The "`: the prompt a text generator continues, the start nodes of a graph walk), or one the function
    joins into a tensor or array (`torch.cat((seed, condition), dim=-1)`: the tokens a sampler continues), seeds
    no generator."""
    args = func.args
    defaults = parameter_defaults(args)
    for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
        if arg.arg in SEED_PARAMS and not _names_no_number(arg.annotation, defaults.get(arg.arg)):
            return None if _joined_as_data(func, arg.arg) else arg.arg
    return None


# calls that join tensors or arrays end to end: a value handed to one is data, never a number seeding a generator
JOINS = frozenset({"cat", "concat", "concatenate", "stack", "hstack", "vstack", "column_stack"})
COLLECTIONS = (ast.List, ast.Tuple, ast.ListComp)


def _joined_as_data(func: FunctionNode, param: str) -> bool:
    """Return True when the function hands the parameter, or a collection it puts it in, to a join of tensors or
    arrays (`prefix = [*filter(exists, (seed, condition))]`, then `torch.cat(prefix, dim=-1)`); a value a call
    makes from the seed (`rng = np.random.default_rng(seed)`) is no collection holding it."""
    derived = {param} | {
        target.id
        for node in ast.walk(func)
        if isinstance(node, ast.Assign) and isinstance(node.value, COLLECTIONS) and _names(node.value, param)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name):
            callee = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            if callee in JOINS and any(
                isinstance(n, ast.Name) and n.id in derived for arg in node.args for n in ast.walk(arg)
            ):
                return True
    return False


NOT_NUMBERS = re.compile(r"\b(?:str|List|list|Sequence|Set|set|Iterable|Tuple|tuple)\b")


def _names_no_number(annotation: ast.expr | None, default: ast.expr | None) -> bool:
    """Return True for a parameter annotated as text or a collection of no ints, or defaulting to text or a list."""
    if annotation is not None and NOT_NUMBERS.search(ast.unparse(annotation)) and "int" not in ast.unparse(annotation):
        return True
    return (isinstance(default, ast.Constant) and isinstance(default.value, str)) or isinstance(default, ast.List)


def _class_seed(cls: ast.ClassDef) -> str | None:
    """Return the seed parameter of the class's `__init__`, or a dataclass-style field named for a seed."""
    for stmt in cls.body:
        if isinstance(stmt, ast.FunctionDef) and stmt.name == "__init__":
            param = _seed_param(stmt)
            if param is not None:
                return param
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id in SEED_PARAMS:
            return stmt.target.id
    return None


_SEEDER_LAST_NAMES = frozenset(name.rpartition(".")[2] for name in SEED_FUNCTIONS) | LIBRARY_SEEDERS


def _seeds_globally(owner: ast.AST) -> bool:
    """Return True when the owner calls a global seed function or a seeding helper anywhere (`np.random.seed(s)`,
    `self._set_seed()`, `set_random_seed(seed)`): its draws follow the seed it was given."""
    for node in ast.walk(owner):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in _SEEDER_LAST_NAMES or "seed" in name.lower():
                return True
    return False


def _tests_seed(pf: PythonFile, call: ast.Call, func: FunctionNode, param: str) -> bool:
    """Return True when the draw sits under a test naming the seed (`if random_state is None:`): the global
    source is what the caller asked for by passing none."""
    for anc in pf.ancestors(call):
        if anc is func:
            return False
        if isinstance(anc, ast.If | ast.IfExp | ast.While) and _names(anc.test, param):
            return True
    return False


def _draws_the_seed(pf: PythonFile, call: ast.Call, param: str) -> bool:
    """Return True for a draw whose value becomes the seed (`seed = random.randint(0, 10**6)` when the caller asks
    for a random seed, `self.seed = ...`): it picks the seed the rest of the run follows, it is not driven by it."""
    statement = next((anc for anc in pf.ancestors(call) if isinstance(anc, ast.stmt)), None)
    if isinstance(statement, ast.Assign):
        targets = statement.targets
    elif isinstance(statement, ast.AnnAssign):
        targets = [statement.target]
    else:
        return False
    return any(
        (isinstance(t, ast.Name) and t.id == param) or (isinstance(t, ast.Attribute) and t.attr == param)
        for t in targets
    )


def _seed_flows_in(call: ast.Call, func: FunctionNode, param: str) -> bool:
    """Return True when an argument of the draw is the seed or a value the function derives from it
    (`DataLoader(ds, sampler=sampler, worker_init_fn=init_fn)` after `sampler = Sampler(ds, seed=seed)`): the
    seed reaches the draw through what it is given."""
    derived = {
        target.id
        for node in ast.walk(func)
        if isinstance(node, ast.Assign) and _names(node.value, param)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    given = [*call.args, *(k.value for k in call.keywords)]
    return any(
        _names(arg, param) or any(isinstance(n, ast.Name) and n.id in derived for n in ast.walk(arg)) for arg in given
    )


def _names(test: ast.expr, param: str) -> bool:
    return any(
        (isinstance(n, ast.Name) and n.id == param) or (isinstance(n, ast.Attribute) and n.attr == param)
        for n in ast.walk(test)
    )


def _seed_installed(pf: PythonFile, call: ast.Call, func: FunctionNode, param: str) -> bool:
    """Return True when the seed is installed around the draw: a `with` given the seed, a seed-named decorator
    (on the function or on every method calling it, a private helper), or a seeding base `__init__`."""
    return (
        _under_seeded_with(pf, call, func, param)
        or _seed_decorated(func)
        or _only_called_seeded(pf, func)
        or _base_seeds(pf, func, param)
    )


def _under_seeded_with(pf: PythonFile, call: ast.Call, func: FunctionNode, param: str) -> bool:
    """Return True inside `with set_random_state(validate_random_state(seed)):`: the context manager is given the
    seed and installs it for the block."""
    for anc in pf.ancestors(call):
        if anc is func:
            return False
        if isinstance(anc, ast.With) and any(_names(item.context_expr, param) for item in anc.items):
            return True
    return False


SEED_DECORATOR = re.compile(r"seed|random_state|rng", re.IGNORECASE)


def _seed_decorated(func: FunctionNode) -> bool:
    """Return True for a function decorated by a decorator named for the seed (`@random_state`, `@with_seed`)."""
    for dec in func.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        name = target.attr if isinstance(target, ast.Attribute) else target.id if isinstance(target, ast.Name) else ""
        if SEED_DECORATOR.search(name):
            return True
    return False


def _only_called_seeded(pf: PythonFile, func: FunctionNode) -> bool:
    """Return True for a private method (`_sample_row`) that only seed-decorated methods of its class call."""
    cls = pf.parent(func)
    if not isinstance(cls, ast.ClassDef) or not func.name.startswith("_") or func.name.startswith("__"):
        return False
    callers = [
        method
        for method in cls.body
        if isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef) and method is not func
        for node in ast.walk(method)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == func.name
    ]
    return bool(callers) and all(_seed_decorated(method) for method in callers)


def _base_seeds(pf: PythonFile, func: FunctionNode, param: str, seen: frozenset[str] = frozenset()) -> bool:
    """Return True for an `__init__` handing its seed to `super().__init__` when a base class defined in the same
    module seeds the global source in its own `__init__`, itself or through its own base."""
    cls = pf.parent(func)
    if func.name != "__init__" or not isinstance(cls, ast.ClassDef) or not _passes_seed_up(func, param):
        return False
    bases = {base.id for base in cls.bases if isinstance(base, ast.Name)} - seen
    return any(
        isinstance(node, ast.ClassDef) and node.name in bases and _init_seeds(pf, node, param, seen | {cls.name})
        for node in pf.nodes(ast.ClassDef)
    )


def _passes_seed_up(func: FunctionNode, param: str) -> bool:
    for node in ast.walk(func):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "__init__"
            and isinstance(node.func.value, ast.Call)
            and isinstance(node.func.value.func, ast.Name)
            and node.func.value.func.id == "super"
        ):
            return any(_names(arg, param) for arg in [*node.args, *(k.value for k in node.keywords)])
    return False


def _init_seeds(pf: PythonFile, cls: ast.ClassDef, param: str, seen: frozenset[str]) -> bool:
    return any(
        isinstance(stmt, ast.FunctionDef)
        and stmt.name == "__init__"
        and (_seeds_globally(stmt) or _base_seeds(pf, stmt, param, seen))
        for stmt in cls.body
    )
