"""Provides rule REP005: Random generator created without a seed."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.facts.randomness import CODE_KINDS, names_an_identifier, passes_seed
from mlaudit.model import Severity
from mlaudit.project import FunctionNode, PythonFile
from mlaudit.registry import FileRule, Hit, register
from mlaudit.rules.reproducibility._shared import is_none_test, tests_parameter

GENERATOR_FACTORIES = {
    "numpy.random.default_rng": "a numpy Generator",
    "numpy.random.RandomState": "a numpy RandomState",
    "random.Random": "a random.Random instance",
}
# `torch.Generator()` is absent on purpose: a new torch generator starts from PyTorch's fixed default
# seed (67280421310721), so it yields the same stream on every run, not one drawn from OS entropy.


GENERATOR_FIXES = {
    "numpy.random.default_rng": "Create it from the configured seed: np.random.default_rng(cfg.seed).",
    "numpy.random.RandomState": "Create it from the configured seed: np.random.RandomState(cfg.seed).",
    "random.Random": "Create it from the configured seed: random.Random(cfg.seed).",
}


# Methods that seed a generator, or restore a saved state into it (`rs.set_state(saved)`, `rng.setstate(saved)`):
# a restored generator continues a recorded stream, it does not start one from OS entropy.
SEEDING_METHODS = frozenset({"manual_seed", "seed", "set_state", "setstate"})


# Generators whose `.seed()` method, given no seed, reseeds them from OS entropy (`torch.Generator().seed()`).
RESEEDABLE = frozenset({"torch.Generator", "random.Random", "numpy.random.RandomState"})


RNG_PARAMS = frozenset({"rng", "seed", "random_state", "generator", "random_seed", "key"})


@register
class UnseededGenerator(FileRule):
    """Flags a random generator object created without a seed.

    ## What it does
    Finds `np.random.default_rng()`, `np.random.RandomState()` and `random.Random()` created
    without a seed, unless the file seeds the same name before use (`rng.seed(epoch)`, or
    `self.rng` re-created from a seed, or a module-level generator a function of the module re-creates from a
    seed through `global rng` or seeds in place, `def seed(s): np_random.seed(s)`: the module offers its
    seeding), restores a saved state into it (`rs.set_state(saved)`:
    resuming from a checkpoint continues the recorded stream) or they sit in a function that takes an
    `rng`/`seed`/`random_state` parameter (the caller decides), or are made only when the caller passed no
    generator (`np_random if np_random is not None else np.random.default_rng()`, `gen or ...`, under
    `if gen is None:`, also when an estimator's seed attribute is None: `np.random.RandomState() if
    self.random_state is None else check_random_state(self.random_state)`): the caller that passes one decides the
    seed. Nor is a function's own generator whose
    every draw ends up in the string it returns (`return f"{rng.choice(ADJECTIVES)}-{rng.choice(NOUNS)}"`): it
    names a run or a file, kept apart from the global seed on purpose, and changes no result, nor is one made and
    drawn once in place for an identifier (`{"session_id": round(random.Random().random() * 1e15)}`); so is a module's
    generator whose every draw ends in the string a function returns (`fingerprint_rng = random.Random()`, then
    `return f"{fingerprint_rng.getrandbits(64):016x}"`: fresh fingerprints or temporary names). A bare `torch.Generator()` is
    not flagged: it starts from PyTorch's fixed default seed, the same on every run. A generator
    re-seeded without a seed (`g = torch.Generator(); g.seed()`, `rng.seed()`, `rng.seed(None)`) is:
    that call draws a fresh seed from OS entropy, the opposite of seeding.

    ## Why is this bad?
    A generator without a seed is seeded from OS entropy: using explicit generators is good
    practice, but only a seeded one makes the run reproducible.

    ## Example
    ```python
    rng = np.random.default_rng()
    ```

    ## Use instead
    ```python
    rng = np.random.default_rng(cfg.seed)
    ```
    """

    code = "REP005"
    file_kinds = CODE_KINDS
    title = "Random generator created without a seed"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Create the generator from the configured seed, e.g. np.random.default_rng(cfg.seed)."

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        seeded = _seeded_targets(pf)
        for call in pf.nodes(ast.Call):
            name = pf.call_name(call)
            if name in GENERATOR_FACTORIES and _unseeded_generator(pf, call, seeded):
                what = GENERATOR_FACTORIES[name]
                yield Hit(
                    pf.path,
                    call.lineno,
                    f"{ast.unparse(call)} creates {what} without a seed",
                    fix=GENERATOR_FIXES[name],
                )
        for call in _entropy_reseeds(pf):
            yield Hit(
                pf.path,
                call.lineno,
                f"{ast.unparse(call)} reseeds a random generator from OS entropy, a different stream every run",
                fix="Seed it from the configured seed instead, e.g. g.manual_seed(cfg.seed) or rng.seed(cfg.seed).",
            )


def _entropy_reseeds(pf: PythonFile) -> Iterator[ast.Call]:
    """Yield `g.seed()` statements given no seed, on a generator the file builds (`g = torch.Generator()`)."""
    generators = {
        _scoped(pf, target)
        for assign in pf.nodes(ast.Assign)
        if isinstance(assign.value, ast.Call) and _reseedable(pf, assign.value)
        for target in assign.targets
    }
    for stmt in pf.nodes(ast.Expr):
        call = stmt.value
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "seed"):
            continue
        receiver = call.func.value
        # `random.Random().seed()` is reported as a generator created without a seed; `torch.Generator()` is not
        built = isinstance(receiver, ast.Call) and pf.call_name(receiver) in RESEEDABLE - GENERATOR_FACTORIES.keys()
        if not passes_seed(call) and (built or _scoped(pf, receiver) in generators):
            yield call


def _reseedable(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for `torch.Generator()` or a seeded `random.Random(s)`: one created without a seed is reported
    where it is created, not again where it is reseeded."""
    name = pf.call_name(call)
    return name in RESEEDABLE and (name not in GENERATOR_FACTORIES or passes_seed(call))


def _seeded_targets(pf: PythonFile) -> set[str]:
    """Return what the file seeds: `g.manual_seed(s)`, `self.rng = random.Random(s)`.

    Local names are qualified by their function (`shuffle:g`), attributes are file-wide (`self.rng`).
    """
    seeded: set[str] = set()
    for call in pf.nodes(ast.Call):
        if isinstance(call.func, ast.Attribute) and call.func.attr in SEEDING_METHODS and passes_seed(call):
            seeded.add(_scoped(pf, call.func.value))
    for assign in pf.nodes(ast.Assign):
        value = assign.value
        if (
            isinstance(value, ast.Call)
            and pf.call_name(value) in GENERATOR_FACTORIES
            and (value.args or value.keywords)
        ):
            seeded.update(_scoped(pf, t) for t in assign.targets)
    return seeded


def _scoped(pf: PythonFile, target: ast.expr) -> str:
    """Return a local name qualified by its function (`shuffle:g`), a module name as `:g` (also inside a function
    that declares it `global`: `global rng; rng = random.Random(seed)` seeds the module's generator, or one that
    never binds it: `def seed(s): np_random.seed(s)` seeds the module's `np_random` in place), or an attribute as
    written (`self.rng`)."""
    if isinstance(target, ast.Name):
        func = pf.enclosing_function(target)
        local = func is not None and _binds(pf, func, target.id) and not _declared_global(pf, func, target.id)
        return f"{func.name if func and local else ''}:{target.id}"
    return ast.unparse(target)


def _binds(pf: PythonFile, func: FunctionNode, name: str) -> bool:
    """Return True when a function binds `name` itself (a parameter, an assignment or loop target): a local."""
    params = [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs, func.args.vararg, func.args.kwarg]
    if any(a is not None and a.arg == name for a in params):
        return True
    return bool(pf.name_nodes(func, name, ast.Store))


def _declared_global(pf: PythonFile, func: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """Return True when the function itself (not a function nested in it) declares `global name`."""
    declared = (n for n in ast.walk(func) if isinstance(n, ast.Global) and name in n.names)
    return any(pf.enclosing_function(n) is func for n in declared)


def _unseeded_generator(pf: PythonFile, call: ast.Call, seeded: set[str]) -> bool:
    if call.keywords or any(not (isinstance(a, ast.Constant) and a.value is None) for a in call.args):
        return False
    parent = pf.parent(call)
    seeding = pf.parent(parent) if isinstance(parent, ast.Attribute) and parent.attr in SEEDING_METHODS else None
    if isinstance(seeding, ast.Call) and passes_seed(seeding):
        return False  # `random.Random().seed(cfg.seed)`; `.seed()` with no seed leaves it seeded from entropy
    if isinstance(parent, ast.Assign) and any(_scoped(pf, t) in seeded for t in parent.targets):
        return False
    if _drawn_once_for_an_identifier(pf, call):
        return False
    func = pf.enclosing_function(call)
    if func is None:
        return not _module_generator_only_names(pf, call)
    params = {a.arg for a in [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]}
    if params & RNG_PARAMS or _fallback_for_parameter(pf, call, params):
        return False
    return not _draws_only_make_a_name(pf, call, func)


def _drawn_once_for_an_identifier(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for a generator made and drawn once in place for an identifier (`{"session_id":
    round(random.Random().random() * 1e15)}`): the id only has to be unique, whatever the global seed."""
    method = pf.parent(call)
    draw = pf.parent(method) if isinstance(method, ast.Attribute) else None
    return isinstance(draw, ast.Call) and draw.func is method and names_an_identifier(pf, draw)


def _draws_only_make_a_name(pf: PythonFile, call: ast.Call, func: FunctionNode) -> bool:
    """Return True when a local generator's every draw ends up in the string the function returns
    (`rng = random.Random(); word = rng.choice(WORDS); return f"{word}-{rng.randint(0, 99)}"`): it names a run or
    a file, whatever the global seed, and changes no result."""
    parent = pf.parent(call)
    if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name)):
        return False
    draws = [u for u in pf.name_nodes(func, parent.targets[0].id) if u is not parent.targets[0]]
    return bool(draws) and _draws_in_returned_strings(pf, func, draws)


def _module_generator_only_names(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for a module's generator (`fingerprint_rng = random.Random()`) whose every draw, in whichever
    function of the module, ends up in the string that function returns (`return f"{rng.getrandbits(64):x}"`): it
    makes fresh names or fingerprints, unique on purpose whatever the global seed, and changes no result."""
    parent = pf.parent(call)
    if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name)):
        return False
    target = parent.targets[0]
    by_function: dict[FunctionNode, list[ast.Name]] = {}
    for use in pf.name_nodes(pf.tree, target.id):
        if use is target:
            continue
        func = pf.enclosing_function(use)
        if func is None:
            return False  # read at module level: handed on, or drawn from where no returned string shows
        by_function.setdefault(func, []).append(use)
    return bool(by_function) and all(_draws_in_returned_strings(pf, f, uses) for f, uses in by_function.items())


def _draws_in_returned_strings(pf: PythonFile, func: FunctionNode, draws: list[ast.Name]) -> bool:
    """Return True when every return of `func` builds a string and each use in `draws` is a draw ending in one."""
    returned = [n.value for n in pf.within(func, ast.Return) if pf.enclosing_function(n) is func]
    if not returned or not all(v is not None and _builds_string(v) for v in returned):
        return False
    inside = {id(node) for value in returned if value is not None for node in ast.walk(value)}
    return all(_draw_returned(pf, func, use, inside) for use in draws)


def _draw_returned(pf: PythonFile, func: FunctionNode, use: ast.Name, inside: set[int]) -> bool:
    """Return True for `rng.choice(...)` inside a returned string, or bound to a local used only there."""
    method = pf.parent(use)
    draw = pf.parent(method) if isinstance(method, ast.Attribute) else None
    if not (isinstance(draw, ast.Call) and draw.func is method):
        return False
    if id(draw) in inside:
        return True
    holder = pf.parent(draw)
    if not (isinstance(holder, ast.Assign) and len(holder.targets) == 1 and isinstance(holder.targets[0], ast.Name)):
        return False
    reads = [u for u in pf.name_nodes(func, holder.targets[0].id) if u is not holder.targets[0]]
    return bool(reads) and all(id(u) in inside for u in reads)


def _builds_string(value: ast.expr) -> bool:
    """Return True for an f-string, `"-".join(...)`, `"...".format(...)` or `%`/`+` on a string literal."""
    if isinstance(value, ast.JoinedStr):
        return True
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr in ("join", "format"):
        return isinstance(value.func.value, ast.Constant) and isinstance(value.func.value.value, str)
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add | ast.Mod):
        sides = (value.left, value.right)
        return any((isinstance(v, ast.Constant) and isinstance(v.value, str)) or _builds_string(v) for v in sides)
    return False


def _fallback_for_parameter(pf: PythonFile, call: ast.Call, params: set[str]) -> bool:
    """Return True when the generator is made only if the caller passed none: `gen if gen is not None else
    np.random.default_rng()`, `gen or np.random.default_rng()`, or under `if gen is None:`, for a parameter `gen`
    (`np_random`, `prng`), or for an estimator's seed attribute (`np.random.RandomState() if self.random_state is
    None else check_random_state(self.random_state)`): the caller that passes one decides the seed."""
    parent = pf.parent(call)
    seeds = {f"self.{name}" for name in RNG_PARAMS} | (params & RNG_PARAMS)
    if isinstance(parent, ast.IfExp) and call is not parent.test:
        other = parent.orelse if call is parent.body else parent.body
        if isinstance(other, ast.Name) and other.id in params and tests_parameter(parent.test, other.id):
            return True
        none_side = parent.body if is_none_test(parent.test) else parent.orelse
        return call is none_side and any(tests_parameter(parent.test, name) for name in seeds)
    if isinstance(parent, ast.BoolOp) and isinstance(parent.op, ast.Or):
        before = parent.values[: parent.values.index(call)] if call in parent.values else []
        return any(isinstance(v, ast.Name) and v.id in params for v in before)
    for anc in pf.ancestors(call):
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return False
        if isinstance(anc, ast.If) and any(tests_parameter(anc.test, name) for name in params | seeds):
            return is_none_test(anc.test)
    return False
