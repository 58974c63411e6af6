"""Provides rule REP005: Random generator created without a seed."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.facts.randomness import CODE_KINDS
from mlaudit.model import Severity
from mlaudit.project import PythonFile
from mlaudit.registry import FileRule, Hit, register

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


SEEDING_METHODS = frozenset({"manual_seed", "seed"})


RNG_PARAMS = frozenset({"rng", "seed", "random_state", "generator", "random_seed", "key"})


@register
class UnseededGenerator(FileRule):
    """Flags a random generator object created without a seed.

    ## What it does
    Finds `np.random.default_rng()`, `np.random.RandomState()` and `random.Random()` created
    without a seed, unless the file seeds the same name before use (`rng.seed(epoch)`, or
    `self.rng` re-created from a seed) or they sit in a function that takes an
    `rng`/`seed`/`random_state` parameter (the caller decides). A bare `torch.Generator()` is
    not flagged: it starts from PyTorch's fixed default seed, the same on every run.

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


def _seeded_targets(pf: PythonFile) -> set[str]:
    """Return what the file seeds: `g.manual_seed(s)`, `self.rng = random.Random(s)`.

    Local names are qualified by their function (`shuffle:g`), attributes are file-wide (`self.rng`).
    """
    seeded: set[str] = set()
    for call in pf.nodes(ast.Call):
        if isinstance(call.func, ast.Attribute) and call.func.attr in SEEDING_METHODS and call.args:
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
    if isinstance(target, ast.Name):
        func = pf.enclosing_function(target)
        return f"{func.name if func else ''}:{target.id}"
    return ast.unparse(target)


def _unseeded_generator(pf: PythonFile, call: ast.Call, seeded: set[str]) -> bool:
    if call.keywords or any(not (isinstance(a, ast.Constant) and a.value is None) for a in call.args):
        return False
    parent = pf.parent(call)
    if isinstance(parent, ast.Attribute) and parent.attr in SEEDING_METHODS:
        return False
    if isinstance(parent, ast.Assign) and any(_scoped(pf, t) in seeded for t in parent.targets):
        return False
    func = pf.enclosing_function(call)
    if func is None:
        return True
    params = {a.arg for a in [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]}
    return not params & RNG_PARAMS
