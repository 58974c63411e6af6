"""Provides the randomness analysis behind the reproducibility rules: draws, seeds, reachability.

Randomness is judged per source (random, numpy, torch, tensorflow) and per training entry point
(script, `__main__` guard, notebook, script-style module that reaches `optimizer.step()`,
`fit(...)` or a trainer): an entry point draws from what it reaches by following the names it
uses, through repo imports and re-exports (at the level of top-level functions and classes, star
imports too), and is seeded by the seed calls it reaches, including a local `set_seed()` helper and a
framework's seeder a repo module re-exports (`from transformers import set_seed` in `mypkg/utils`).
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import compress
from operator import attrgetter
from pathlib import PurePosixPath

from mlaudit.facts.kind import CLI_IMPORT_FACT, cli_import_line
from mlaudit.model import FileKind
from mlaudit.name_tests import MAX_REMEMBERED
from mlaudit.paths import pure_path
from mlaudit.project import Project, PythonFile, assigned_values, is_main_guard


def word_set(text: str) -> frozenset[str]:
    """Return the whitespace-separated words of `text` as a set."""
    return frozenset(text.split())


CODE_KINDS = (FileKind.LIBRARY, FileKind.SCRIPT, FileKind.NOTEBOOK)
SOURCE_ORDER = ("random", "numpy", "torch", "tensorflow")
SEED_LINES = {
    "random": "random.seed(seed)",
    "numpy": "np.random.seed(seed)",
    "torch": "torch.manual_seed(seed)",
    "tensorflow": "tf.random.set_seed(seed)",
}
_ALL_THREE = frozenset({"random", "numpy", "torch"})
_KERAS = frozenset({"random", "numpy", "tensorflow"})
SEED_FUNCTIONS: dict[str, frozenset[str]] = {
    "random.seed": frozenset({"random"}),
    "numpy.random.seed": frozenset({"numpy"}),
    "torch.manual_seed": frozenset({"torch"}),
    "torch.random.manual_seed": frozenset({"torch"}),
    "torch.cuda.manual_seed": frozenset({"torch.cuda"}),
    "torch.cuda.manual_seed_all": frozenset({"torch.cuda"}),
    "tensorflow.random.set_seed": frozenset({"tensorflow"}),
    "tensorflow.set_random_seed": frozenset({"tensorflow"}),
    "tensorflow.compat.v1.set_random_seed": frozenset({"tensorflow"}),
    "tensorflow.keras.utils.set_random_seed": _KERAS,
    "keras.utils.set_random_seed": _KERAS,
    "transformers.set_seed": _ALL_THREE | {"tensorflow"},
    "transformers.trainer_utils.set_seed": _ALL_THREE | {"tensorflow"},
    "lightning.seed_everything": _ALL_THREE,
    "lightning.pytorch.seed_everything": _ALL_THREE,
    "lightning.fabric.seed_everything": _ALL_THREE,
    "lightning_fabric.seed_everything": _ALL_THREE,
    "pytorch_lightning.seed_everything": _ALL_THREE,
    "pytorch_lightning.utilities.seed.seed_everything": _ALL_THREE,
    "accelerate.utils.set_seed": _ALL_THREE,
    "accelerate.utils.random.set_seed": _ALL_THREE,
}
LIBRARY_SEEDERS = word_set(
    "seed_everything set_seed set_seeds set_manual_seed set_global_seed set_random_seed seed_all fix_seed fix_seeds"
)
PY_RANDOM_DRAWS = word_set(
    "random shuffle choice choices sample randint randrange uniform gauss normalvariate betavariate "
    "expovariate triangular lognormvariate vonmisesvariate gammavariate paretovariate weibullvariate "
    "getrandbits randbytes"
)
NUMPY_NOT_DRAWS = word_set(
    "seed default_rng RandomState Generator SeedSequence get_state set_state BitGenerator PCG64 PCG64DXSM "
    "MT19937 Philox SFC64 bit_generator mtrand"
)
TORCH_DRAWS = frozenset(
    f"torch.{n}"
    for n in word_set(
        "rand randn randint randperm normal rand_like randn_like randint_like bernoulli multinomial poisson"
    )
) | {"torch.nn.functional.dropout", "torch.nn.functional.dropout1d", "torch.nn.functional.dropout2d"}
DISTRIBUTION_DRAWS = frozenset({"sample", "rsample", "sample_n"})
TORCH_LAYERS = word_set(
    "Linear Bilinear LazyLinear Embedding EmbeddingBag Conv1d Conv2d Conv3d ConvTranspose1d "
    "ConvTranspose2d ConvTranspose3d LSTM GRU RNN LSTMCell GRUCell RNNCell MultiheadAttention Transformer "
    "TransformerEncoderLayer TransformerDecoderLayer Dropout Dropout1d Dropout2d Dropout3d AlphaDropout "
    "FeatureAlphaDropout"
)
TORCH_INIT = "torch-init"
TORCH_TRAIN = "torch-train"
TRAINS = "trains"
TORCH_STEP = "torch-step"
MAIN_BLOCK = "if __name__ == '__main__'"
MARKERS = frozenset({TORCH_TRAIN, TRAINS, TORCH_STEP})
FIT_METHODS = frozenset({"fit", "fit_generator", "train_on_batch", "partial_fit"})
TRAINER_WORDS = ("trainer", "runner")
OPTIMIZER_WORDS = ("optim", "opt", "scaler")
TORCH_INITS = word_set(
    "normal_ uniform_ xavier_uniform_ xavier_normal_ kaiming_uniform_ kaiming_normal_ trunc_normal_ orthogonal_ sparse_"
)
TF_DRAWS = frozenset(["uniform", "normal", "truncated_normal", "shuffle", "categorical", "gamma", "poisson"])
TF_LAYERS = word_set("Dense Dropout SpatialDropout1D SpatialDropout2D Conv1D Conv2D Conv3D Embedding LSTM GRU")


@dataclass(frozen=True)
class Draw:
    """One call that draws from a global source of randomness."""

    source: str
    label: str
    path: str
    line: int
    where: str = ""
    methods: tuple[str, ...] = ()
    """For a training call in a method of a top-level class: the class's methods that train (this one, and those
    that call it through `self`). Code that only reaches the class trains nothing unless it calls one of them."""

    @property
    def site(self) -> str:
        """Return `label (path:line)` (notebooks: `path[cell N]:line`) for messages."""
        return f"{self.label} ({self.where or f'{self.path}:{self.line}'})"


@dataclass(frozen=True)
class SeedCall:
    """One call that seeds sources; `helper` is the repo function it sits in, if any."""

    name: str
    sources: frozenset[str]
    path: str
    line: int
    helper: str | None
    helper_line: int | None
    where: str = ""

    @property
    def site(self) -> str:
        """Return `path:line` (notebooks: `path[cell N]:line`) for messages."""
        return self.where or f"{self.path}:{self.line}"


@dataclass(frozen=True)
class ImportEdge:
    """A repo import: the target file and the imported name (None: the whole module)."""

    target: str
    name: str | None


@dataclass
class FileRandomness:
    """What one file draws and seeds, and what it references, keyed by top-level definition."""

    path: str
    top_names: frozenset[str]
    draws: dict[str | None, list[Draw]] = field(default_factory=lambda: defaultdict(list))
    seeds: dict[str | None, list[SeedCall]] = field(default_factory=lambda: defaultdict(list))
    refs: dict[str | None, set[str]] = field(default_factory=lambda: defaultdict(set))
    aliases: dict[str, list[ImportEdge]] = field(default_factory=lambda: defaultdict(list))
    uses: dict[str | None, set[tuple[str, str | None]]] = field(default_factory=lambda: defaultdict(set))
    imports: dict[str | None, list[ImportEdge]] = field(default_factory=lambda: defaultdict(list))
    decorated: frozenset[str] = frozenset()  # top-level definitions registered by a decorator
    calls: dict[str | None, set[str]] = field(default_factory=lambda: defaultdict(set))
    """Method names each top-level definition calls on something other than `self` (`trainer.train()`), outside
    its class's training methods: what can start a class's training."""
    deferred: dict[str | None, list[SeedCall]] = field(default_factory=lambda: defaultdict(list))
    """Calls of a seeder-named function of a repo module (`from mypkg.utils import set_seed`), which may re-export
    a framework's seeder: their sources are found at the project level, through the re-exports (`reseeded`)."""


@dataclass(frozen=True)
class EntryRandomness:
    """What one entry point draws from and which sources it seeds (directly or via helpers)."""

    path: str
    draws: dict[str, list[Draw]]
    seeds: tuple[SeedCall, ...]
    trains: bool = True

    @property
    def seeded(self) -> frozenset[str]:
        """Return every source some reached seed call covers."""
        return frozenset(s for call in self.seeds for s in call.sources)

    def missing(self, source: str) -> bool:
        """Return True when a training entry point draws from `source` without seeding it."""
        return self.trains and source in self.draws and source not in self.seeded


@dataclass(frozen=True)
class RandomnessFacts:
    """Per-file randomness facts and the result for every entry point."""

    files: dict[str, FileRandomness]
    entries: tuple[EntryRandomness, ...]


def is_code(pf: PythonFile) -> bool:
    """Return True for library, script and notebook files (not tests)."""
    return pf.kind in CODE_KINDS


def classify_draw(name: str, call: ast.Call) -> str | None:
    """Return the global source a resolved call draws from, or None (also when a generator or seed is passed)."""
    source = _draw_source(name, call)
    if source is None:
        return None
    keywords = {k.arg for k in call.keywords}
    if "generator" in keywords or "seed" in keywords or "rng" in keywords:
        return None
    return source


def _draw_source(name: str, call: ast.Call) -> str | None:
    head, _, last = name.rpartition(".")
    if head == "random" and last in PY_RANDOM_DRAWS:
        return "random"
    if head == "numpy.random" and last not in NUMPY_NOT_DRAWS:
        return "numpy"
    if name in TORCH_DRAWS or _torch_module_draw(head, last, call):
        return "torch"
    if (head == "torch.nn" and last in TORCH_LAYERS) or (head == "torch.nn.init" and last in TORCH_INITS):
        return TORCH_INIT
    if (head == "tensorflow.random" and last in TF_DRAWS) or (_is_keras_layers(head) and last in TF_LAYERS):
        return "tensorflow"
    return None


def _torch_module_draw(head: str, last: str, call: ast.Call) -> bool:
    if head == "torch.utils.data" and last == "DataLoader":
        shuffle = keyword(call, "shuffle")
        return shuffle is not None and not (isinstance(shuffle, ast.Constant) and not shuffle.value)
    return head == "torch.utils.data" and last == "random_split"


def _distribution_sample(pf: PythonFile, call: ast.Call) -> str | None:
    """Return `Categorical(...).sample` for a draw from a torch distribution built in place: it samples
    from torch's global generator (`torch.distributions` takes no generator)."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr in DISTRIBUTION_DRAWS and isinstance(func.value, ast.Call)):
        return None
    built = pf.call_name(func.value) or ""
    if not built.startswith("torch.distributions."):
        return None
    return f"{built.rsplit('.', 1)[-1]}(...).{func.attr}"


def _is_keras_layers(head: str) -> bool:
    return head in ("tensorflow.keras.layers", "keras.layers", "tf_keras.layers")


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    """Return the value of a call's keyword argument, if given."""
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


class _TopIndex:
    """Maps a line to the top-level function or class that contains it, and to the method of a top-level
    class that contains it (`None` outside), through a table with an entry per line of the module."""

    def __init__(self, tree: ast.Module) -> None:
        defs = [s for s in tree.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)]
        self.names = [d.name for d in defs]
        last = max((s.end_lineno or s.lineno for s in tree.body), default=0)  # no node of the module lies below
        self.tops: list[str | None] = [None] * (last + 1)
        for node in defs:
            _fill(self.tops, node, node.name)
        for stmt in tree.body:
            if isinstance(stmt, ast.If) and is_main_guard(stmt):
                _fill(self.tops, stmt, MAIN_BLOCK)
        self.methods: list[str | None] = [None] * (last + 1)
        classes = {node.name: node for node in defs if isinstance(node, ast.ClassDef)}  # a redefinition wins
        for cls in classes.values():
            for method in cls.body:
                if isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef):
                    _fill(self.methods, method, method.name)

    def top_of(self, line: int) -> str | None:
        """Return the top-level definition (or `MAIN_BLOCK`) holding the line."""
        return self.tops[line] if 0 <= line < len(self.tops) else None


def _fill(table: list[str | None], node: ast.stmt, value: str) -> None:
    """Set the table's entries for the node's lines to `value`."""
    end = node.end_lineno or node.lineno
    table[node.lineno : end + 1] = [value] * (end + 1 - node.lineno)


# `d.update(...)`, `items.pop()`: builtin containers' methods, named like a trainer's `update` only by chance.
CONTAINER_METHODS = frozenset(n for kind in (dict, list, set, str, bytes) for n in dir(kind) if not n.startswith("_"))
OWNER_WORDS = (*TRAINER_WORDS, "model", "learner", "agent", "engine", "solver")


_OWNER_PATTERN = re.compile("|".join(OWNER_WORDS))


def _names_a_trainer(receiver: ast.expr) -> bool:
    """Return True for a receiver named like what trains (`trainer`, `self.model`, `learner`)."""
    name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
    return _OWNER_PATTERN.search(name.lower()) is not None


def _on_self(func: ast.Attribute) -> bool:
    """Return True for `self.m`, `cls.m` and `super().m`: a call within the class."""
    value = func.value
    if isinstance(value, ast.Name):
        return value.id in ("self", "cls")
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "super"


class _ClassTraining:
    """What a file's classes train in which methods, and which methods its code calls on other objects."""

    def __init__(self, tops: _TopIndex) -> None:
        self.tops = tops.tops
        self.methods = tops.methods
        self.marked: dict[str, set[str]] = {}  # class -> methods holding a training call
        self.self_calls: dict[tuple[str, str], set[str]] = defaultdict(set)  # (class, method) -> called on self
        self.outside: list[tuple[str | None, str | None, str]] = []  # (top, method, name) called on other objects
        self.in_class: list[tuple[str, Draw]] = []  # (class, training call inside one of its methods)

    def note_call(self, func: ast.Attribute, line: int) -> tuple[str | None, str | None]:
        """Record a method call; return the top-level definition and the class method it sits in."""
        top = self.tops[line]
        method = self.methods[line]
        if method is not None and top is not None and _on_self(func):
            self.self_calls[(top, method)].add(func.attr)
        elif func.attr not in CONTAINER_METHODS or _names_a_trainer(func.value):
            self.outside.append((top, method, func.attr))
        return top, method

    def note_training(self, draw: Draw, top: str | None, method: str | None) -> bool:
        """Keep a training call made in a class's method until the class is known; False for any other."""
        if method is None or top is None or draw.source == TORCH_TRAIN:
            return False
        self.marked.setdefault(top, set()).add(method)
        self.in_class.append((top, draw))
        return True

    def finish(self, facts: FileRandomness) -> None:
        """Add the kept training calls, each with its class's training methods, and the calls that can start them."""
        training = {cls: self._closure(cls, methods) for cls, methods in self.marked.items()}
        for cls, draw in self.in_class:
            facts.draws[cls].append(replace(draw, methods=tuple(sorted(training[cls]))))
        for top, method, called in self.outside:
            own = training.get(top, set()) if top is not None else set()
            if (method is None or method not in own) and called not in own:  # its own training starts outside
                facts.calls[top].add(called)

    def _closure(self, cls: str, marked: set[str]) -> set[str]:
        """Return the class's methods that train: those holding a training call, and those calling one on `self`."""
        methods = set(marked)
        grown = True
        while grown:
            callers = {m for (owner, m), called in self.self_calls.items() if owner == cls and called & methods}
            grown = not callers <= methods
            methods |= callers
        return methods


# Optimizer methods that apply one update (TensorFlow/Keras custom loops): `opt.apply_gradients(zip(g, v))`,
# `tf.train.AdamOptimizer(lr).minimize(loss)`.
UPDATE_METHODS = frozenset({"apply_gradients", "minimize"})
# A JAX training step: optax applying an optimizer's updates to the parameters; also Flax's
# `state.apply_gradients(grads=grads)` on a TrainState (its keyword, where TensorFlow's optimizer takes pairs).
JAX_UPDATES = frozenset({"optax.apply_updates"})
_MARKED = frozenset(
    {"backward", "train", "step", "apply_updates", *FIT_METHODS, *UPDATE_METHODS}
)  # the only methods `training_marker` marks


TRAINING_FACT = "reproducibility.first_training_call"  # a per-file fact (mlaudit.filefacts)


def training_line(pf: PythonFile) -> int | None:
    """Return the line of the file's first training call (backward pass, optimizer step, fit), if any (a per-file fact)."""
    for call in pf.nodes(ast.Call):
        if training_marker(pf.call_name(call), call) is not None and not _module_internal(pf, call):
            return call.lineno
    return None


def _module_internal(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for a training call that makes no run: a seeded transform's fit, a step taken under
    `if self.training` (an in-place codebook update inside a layer's `forward`), which runs only while some trainer
    trains the module, or a solver's `minimize` (`opti = casadi.Opti(); opti.minimize(cost)`: a math program)."""
    return seeded_transform_fit(pf, call) or in_training_mode(pf, call) or _solver_objective(pf, call)


# Mathematical programming libraries: `minimize` on their problem objects sets an objective to solve (inverse
# kinematics, model-predictive control, scheduling), it trains no model.
SOLVER_LIBRARIES = frozenset({"casadi", "cvxpy", "pyomo", "pulp", "gurobipy", "docplex", "scipy", "mosek", "gekko"})


def _solver_objective(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for `opti.minimize(cost)` (or `self.opti.minimize(...)`) on an object the file builds with a
    mathematical programming library (`self.opti = casadi.Opti()`, `prob = pulp.LpProblem(...)`)."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "minimize"):
        return False
    receiver = ast.unparse(func.value)
    return any(
        isinstance(value, ast.Call) and (pf.call_name(value) or "").split(".", 1)[0] in SOLVER_LIBRARIES
        for value in assigned_values(pf.tree, receiver)
    )


def in_training_mode(pf: PythonFile, call: ast.Call) -> bool:
    """Return True when the call sits in the body of an `if` of its function that tests `self.training`."""
    child: ast.AST = call
    for anc in pf.ancestors(call):
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            return False
        if isinstance(anc, ast.If) and child in anc.body and _tests_training_flag(anc.test):
            return True
        child = anc
    return False


def _tests_training_flag(test: ast.expr) -> bool:
    return any(
        isinstance(node, ast.Attribute)
        and node.attr == "training"
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
        for node in ast.walk(test)
    )


# scikit-learn modules of unsupervised transforms: clusters, projections, neighbour indexes.
_TRANSFORM_MODULES = ("sklearn.cluster.", "sklearn.decomposition.", "sklearn.manifold.", "sklearn.neighbors.")


def seeded_transform_fit(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for `KMeans(n, random_state=0).fit(vectors)`: one unlabeled array fitted by a scikit-learn
    clustering, decomposition or neighbours estimator built with a literal seed (directly or through a local).

    That builds an index's partitions or a projection deterministically; it is preprocessing, not a training
    run whose repeatability needs seeds, deterministic kernels, versioned data or tracking.
    """
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "fit" and len(call.args) == 1 and not call.keywords):
        return False
    if not pf.file_fact(_TRANSFORMS_FACT, _builds_transforms):
        return False  # the file builds none of those estimators: no local assignment need be looked for
    built: ast.expr | None = func.value
    if isinstance(built, ast.Name):
        built = _local_constructor(pf, call, built.id)
    if not isinstance(built, ast.Call) or not (pf.call_name(built) or "").startswith(_TRANSFORM_MODULES):
        return False
    seed = keyword(built, "random_state")
    return isinstance(seed, ast.Constant) and isinstance(seed.value, int)


_TRANSFORMS_FACT = "randomness.builds_transforms"


def _builds_transforms(pf: PythonFile) -> bool:
    """Return True when the file calls into scikit-learn's transform modules (builds a `KMeans`, a `PCA`)."""
    return any((pf.call_name(call) or "").startswith(_TRANSFORM_MODULES) for call in pf.nodes(ast.Call))


def _local_constructor(pf: PythonFile, call: ast.Call, name: str) -> ast.expr | None:
    """Return the one value `name` is assigned in the function around `call` (None when not exactly one)."""
    func = pf.enclosing_function(call)
    if func is None:
        return None
    first, last = func.lineno, func.end_lineno or func.lineno
    values = [  # the function's assignments (nested definitions' included): those within its lines
        node.value
        for node in pf.nodes(ast.Assign)
        if first <= node.lineno <= last and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
    ]
    return values[0] if len(values) == 1 else None


def training_marker(name: str | None, call: ast.Call) -> str | None:
    """Return the training marker of a call.

    TORCH_TRAIN for `loss.backward()` (also used by benchmarks), TORCH_STEP for `optimizer.step()`,
    `trainer.fit(...)` (or a bare `trainer.fit()`, a trainer built with its model and data as Composer's is) and
    `runner.train(...)` (a torch model is trained, so its initialisation
    draws count), TRAINS for other `fit(...)` calls (sklearn, boosters, keras) and an optimizer's update in a
    TensorFlow custom loop (`optimizer.apply_gradients(...)`, `tf.train.AdamOptimizer(lr).minimize(loss)`) or a JAX
    one (`optax.apply_updates(params, updates)`, Flax's `state.apply_gradients(grads=grads)`).
    """
    method = call.func.attr if isinstance(call.func, ast.Attribute) else None
    if method == "backward" and not call.args and name is None:
        return TORCH_TRAIN
    if name in JAX_UPDATES or (method == "apply_gradients" and keyword(call, "grads") is not None):
        return TRAINS
    if method in UPDATE_METHODS and isinstance(call.func, ast.Attribute):
        receiver = _receiver_text(call.func.value)
        module_function = name is not None and name.startswith("scipy.")  # scipy.optimize.minimize fits no model
        optimizer = any(word in receiver for word in OPTIMIZER_WORDS)
        return TRAINS if optimizer and not module_function else None
    if method not in ("train", "step") and method not in FIT_METHODS:
        return None
    receiver = _receiver_text(call.func.value) if isinstance(call.func, ast.Attribute) else ""
    trainer = any(word in receiver for word in TRAINER_WORDS)
    if (method == "train" and trainer) or (method == "step" and any(w in receiver for w in OPTIMIZER_WORDS)):
        return TORCH_STEP
    if method in FIT_METHODS and (call.args or call.keywords or trainer):  # `trainer.fit()`: given its model at build
        return TORCH_STEP if trainer else TRAINS
    return None


def _receiver_text(receiver: ast.expr) -> str:
    """Return a method call's receiver as `ast.unparse` writes it, lowercased (a dotted name is joined directly)."""
    parts: list[str] = []
    node = receiver
    while type(node) is ast.Attribute:
        parts.append(node.attr)
        node = node.value
    if type(node) is not ast.Name:
        return ast.unparse(receiver).lower()
    parts.append(node.id)
    return ".".join(reversed(parts)).lower()


def _library_seeder(name: str, modules: ModuleMap) -> frozenset[str]:
    """Return the sources a third-party `seed_everything`-style helper seeds (random, numpy, torch), if it is one."""
    head, _, last = name.rpartition(".")
    if not head or last not in LIBRARY_SEEDERS or head.split(".", 1)[0] in {"random", "numpy", "torch"}:
        return frozenset()
    return frozenset() if modules.resolve("", head) else _ALL_THREE


def _helper_of(pf: PythonFile, node: ast.AST) -> tuple[str | None, int | None]:
    func = pf.enclosing_function(node)
    return (func.name, func.lineno) if func is not None else (None, None)


SCAN_FACT = "randomness.scan"  # a per-file fact (mlaudit.filefacts), resolved through the repo's module map


def _note_training_call(
    pf: PythonFile,
    call: ast.Call,
    func: ast.Attribute,
    name: str | None,
    where: tuple[str | None, str | None],
    training: _ClassTraining,
    facts: FileRandomness,
) -> None:
    """Record a training call (`optimizer.step()`) made at `where` (top-level definition, class method) as a marker."""
    marker = training_marker(name, call)
    if marker is None or _module_internal(pf, call):
        return
    top, method = where
    draw = Draw(marker, func.attr, pf.path, call.lineno, pf.location(call.lineno))
    if not training.note_training(draw, top, method):
        facts.draws[top].append(draw)


def scan_file(pf: PythonFile, modules: ModuleMap) -> FileRandomness:
    """Collect a file's draws, seed calls, references and repo imports by top-level definition."""
    tops = _TopIndex(pf.tree)
    training = _ClassTraining(tops)
    facts = FileRandomness(pf.path, frozenset(tops.names), decorated=_decorated(pf.tree))
    _scan_calls(pf, modules, tops, facts, training)
    training.finish(facts)
    shadowing = _scan_imports(pf, modules, tops, facts)
    _scan_names(pf, tops, facts, shadowing)
    return facts


def _scan_calls(
    pf: PythonFile, modules: ModuleMap, tops: _TopIndex, facts: FileRandomness, training: _ClassTraining
) -> None:
    """Record the file's draws (and training calls made outside classes' methods; `training` keeps those) and
    seed calls."""
    for call in pf.nodes(ast.Call):
        name = pf.call_name(call)
        func = call.func
        if type(func) is ast.Attribute:
            where = training.note_call(func, call.lineno)
            if func.attr in _MARKED:
                _note_training_call(pf, call, func, name, where, training, facts)
            if name is None:  # an unresolved method call: a draw from a distribution at most
                if func.attr in DISTRIBUTION_DRAWS:
                    _note_distribution_sample(pf, call, tops, facts)
                continue
        if name is not None and not _may_seed_or_draw(name):
            continue  # a seeder's name (a repo's too) ends like one: neither seeds nor draws, whatever its arguments
        repo_seeder = _repo_seeder(pf, call, name, modules)
        if repo_seeder is not None:
            helper, helper_line = _helper_of(pf, call)
            facts.deferred[tops.top_of(call.lineno)].append(
                SeedCall(repo_seeder, frozenset(), pf.path, call.lineno, helper, helper_line, pf.location(call.lineno))
            )
            continue
        if name is not None:
            _note_seed_or_draw(pf, call, name, modules, tops, facts)


def _note_distribution_sample(pf: PythonFile, call: ast.Call, tops: _TopIndex, facts: FileRandomness) -> None:
    """Record a draw from a torch distribution built in place (`Categorical(...).sample()`), if the call is one."""
    sampled = _distribution_sample(pf, call)
    if sampled is not None:
        facts.draws[tops.top_of(call.lineno)].append(
            Draw("torch", sampled, pf.path, call.lineno, pf.location(call.lineno))
        )


def _note_seed_or_draw(
    pf: PythonFile, call: ast.Call, name: str, modules: ModuleMap, tops: _TopIndex, facts: FileRandomness
) -> None:
    """Record a resolved call that seeds a source (given a seed) or draws from one."""
    seeded = SEED_FUNCTIONS.get(name) or _library_seeder(name, modules)
    if name in SEED_FUNCTIONS and not passes_seed(call):
        return  # `random.seed()`, `np.random.seed(None)`: a fresh seed from OS entropy or the clock
    if seeded:
        helper, helper_line = _helper_of(pf, call)
        facts.seeds[tops.top_of(call.lineno)].append(
            SeedCall(name, seeded, pf.path, call.lineno, helper, helper_line, pf.location(call.lineno))
        )
        return
    source = classify_draw(name, call)
    if source is not None and not jitters_a_delay(pf, call) and not names_an_identifier(pf, call):
        facts.draws[tops.top_of(call.lineno)].append(
            Draw(source, ast.unparse(call.func), pf.path, call.lineno, pf.location(call.lineno))
        )


# names of a wait before retrying (`delay`, `backoff`, `sleep_for`): jitter on it spreads clients' retries apart
DELAY_WORDS = ("delay", "backoff", "sleep", "wait", "jitter")


def jitters_a_delay(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for a draw that jitters a wait: inside a `sleep(...)` call's arguments, or in the value of an
    assignment to a delay (`delay *= 1 + jitter * random.random()`, `backoff = base + random.uniform(0, 1)`), or
    that picks a network port (`start_port = random.randrange(0, n)`, `port=random.randint(20000, 30000)`: a free
    port to bind). Such randomness changes no result and must differ between processes, so it is no source to seed."""
    for anc in pf.ancestors(call):
        if isinstance(anc, ast.keyword) and _names_a_port(anc.arg or ""):
            return True
        if isinstance(anc, ast.Call):
            func = anc.func
            callee = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if callee == "sleep":
                return True
        if isinstance(anc, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = [ast.unparse(t) for t in (anc.targets if isinstance(anc, ast.Assign) else [anc.target])]
            return any(word in t.lower() for t in targets for word in DELAY_WORDS) or any(map(_names_a_port, targets))
        if isinstance(anc, ast.stmt):
            return False
    return False


def _names_a_port(name: str) -> bool:
    """Return True for a name with the word "port" in it (`port`, `master_port`, `self.start_port`), not `report`."""
    return "port" in re.split(r"[^a-z0-9]+", name.lower())


# last words of a name that identifies something (`visid`, `run_id`, `tmp_name`): a drawn one only has to be unique
IDENTIFIER_WORDS = frozenset({"uid", "uuid", "nonce", "name", "filename"})
# draws of a bare number or bytes (`random.random()`, `random.getrandbits(64)`), not a pick from data (`choice`)
NUMBER_DRAWS = frozenset({"random", "randint", "randrange", "getrandbits", "uniform", "rand", "integers", "randbytes"})
# calls that turn a drawn number into text (`str(int(random.random() * 1e10))`, `hex(random.getrandbits(64))`)
TEXT_CONVERSIONS = frozenset({"str", "hex", "format", "repr"})


def names_an_identifier(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for a drawn number turned into text for an identifier: assigned to an id or a name (`visid = "vis"
    + str(int(random.random() * 1e10))`, `run_name = f"run-{random.randint(0, 9999)}"`), or a number filed under
    a key or keyword whose last word is `id` (`{"session_id": round(random.random() * 1e15)}`). Such a value only has to be
    unique, it changes no result, so it is no source to seed; a draw kept as a number (`idx = random.randint(...)`),
    a pick from data (`name = str(random.choice(labels))`) or a number put into text that is data
    (`text = "w" + str(random.random())`) still is."""
    func = call.func
    method = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if method not in NUMBER_DRAWS:
        return False
    as_text = False
    child: ast.AST = call
    for anc in pf.ancestors(call):
        if isinstance(anc, ast.JoinedStr) or (isinstance(anc, ast.Call) and _converts_to_text(anc.func)):
            as_text = True
        if isinstance(anc, ast.Dict) and child in anc.values:
            key = anc.keys[anc.values.index(child)]
            return isinstance(key, ast.Constant) and isinstance(key.value, str) and _names_an_id(key.value, as_text)
        if isinstance(anc, ast.keyword) and anc.arg is not None:
            return _names_an_id(anc.arg, as_text)
        if isinstance(anc, ast.Assign | ast.AnnAssign):
            targets = anc.targets if isinstance(anc, ast.Assign) else [anc.target]
            return as_text and any(_identifier_name(t) for t in targets)
        if isinstance(anc, ast.stmt):
            return False
        child = anc
    return False


def _names_an_id(key: str, as_text: bool) -> bool:
    """Return True for a dict key or keyword naming an identifier (`"session_id"`, `request_id=`): as a number
    too when its last word is `id` itself (`valid` or `grid` end with the letters, not the word), as text when
    `_identifier_name` accepts the key."""
    words = [w for w in re.split(r"_+|(?<=[a-z0-9])(?=[A-Z])|-", key) if w]
    last = words[-1].lower() if words else ""
    return last in {"id", "uid", "uuid", "nonce"} or (as_text and _identifier_name(ast.Name(id=key)))


def _converts_to_text(func: ast.expr) -> bool:
    """Return True for `str(...)`, `hex(...)`, `format(...)`, `repr(...)` and a `"...".format(...)` method call."""
    if isinstance(func, ast.Name):
        return func.id in TEXT_CONVERSIONS
    return isinstance(func, ast.Attribute) and func.attr == "format"


def _identifier_name(target: ast.expr) -> bool:
    """Return True for a target named for an identifier: its last word is `id` or ends with it (`visid`,
    `run_id`, `requestId`), or is `uid`, `nonce`, `name`, `filename` (`tmp_name`)."""
    text = target.attr if isinstance(target, ast.Attribute) else target.id if isinstance(target, ast.Name) else ""
    words = re.split(r"_+|(?<=[a-z0-9])(?=[A-Z])", text)
    last = words[-1].lower() if words else ""
    return last.endswith("id") or last in IDENTIFIER_WORDS


def _repo_seeder(pf: PythonFile, call: ast.Call, name: str | None, modules: ModuleMap) -> str | None:
    """Return the qualified name of a call of a seeder-named function from a repo module (`mypkg.utils.set_seed`,
    relative imports resolved), whose sources only that module's imports tell."""
    if type(call.func) is ast.Attribute and call.func.attr not in LIBRARY_SEEDERS:
        return None  # the name of a method call ends with the method's
    if name is None and isinstance(call.func, ast.Name) and call.func.id in pf.from_imports:
        module, original = pf.from_imports[call.func.id]
        name = f"{module}.{original}" if module else None
    head, _, last = (name or "").rpartition(".")
    return name if head and last in LIBRARY_SEEDERS and modules.resolve(pf.path, head) else None


def passes_seed(call: ast.Call) -> bool:
    """Return True when a seeding call is given a seed: `random.seed()`, `np.random.seed(None)` and
    `torch.Generator().seed()` take none and draw a fresh one from OS entropy or the clock."""
    given = [*call.args, *(k.value for k in call.keywords)]
    return any(not (isinstance(value, ast.Constant) and value.value is None) for value in given)


# A call shuffling its data: `_draw_source` reads no more of a call than its `shuffle` keyword.
_SHUFFLING_CALL = ast.Call(ast.Name("f"), [], [ast.keyword("shuffle", ast.Constant(True))])


@lru_cache(maxsize=MAX_REMEMBERED)
def _may_seed_or_draw(name: str) -> bool:
    """Return False for a call name that can neither seed nor draw, whatever its arguments (remembered per name).

    A seed call is named in `SEED_FUNCTIONS` or ends with a `LIBRARY_SEEDERS` name; a draw is
    a name `_draw_source` accepts for a call that shuffles, the only argument it reads.
    """
    last = name.rpartition(".")[2]
    return name in SEED_FUNCTIONS or last in LIBRARY_SEEDERS or _draw_source(name, _SHUFFLING_CALL) is not None


def _scan_imports(
    pf: PythonFile, modules: ModuleMap, tops: _TopIndex, facts: FileRandomness
) -> frozenset[tuple[str, str]]:
    """Record the repo files each top-level definition imports, and what each imported name stands for.

    Return the (definition, name) pairs where an import inside a top-level definition binds the name of one
    of the file's own definitions: there the name is the imported one (`def train(): from .train import train`).
    """
    imports: list[ast.Import | ast.ImportFrom] = [*pf.nodes(ast.Import), *pf.nodes(ast.ImportFrom)]
    same: dict[ImportEdge, ImportEdge] = {}  # one object per edge: the fact cache stores and loads it once
    shadowing: set[tuple[str, str]] = set()
    for imp in imports:
        top = tops.top_of(imp.lineno)
        brought = facts.imports[top]
        for alias, found in modules.alias_edges(pf.path, imp):
            edge = same.setdefault(found, found)
            brought.append(edge)
            # a star import re-exports every name of its module: `_resolve` looks names up there too
            bound = _bound_name(imp, alias) if alias.name != "*" else STAR
            facts.aliases[bound].append(edge)
            if top is not None and bound in facts.top_names:
                shadowing.add((top, bound))
    return frozenset(shadowing)


def _scan_names(
    pf: PythonFile, tops: _TopIndex, facts: FileRandomness, shadowing: frozenset[tuple[str, str]] = frozenset()
) -> None:
    """Record the references to the file's top-level definitions and the uses of its imported names (an import
    inside a definition that rebinds a definition's name is what the name means there: `shadowing`)."""
    top_names, aliases = facts.top_names, facts.aliases
    wanted = top_names | aliases.keys()  # most names are neither: one set lookup each
    names = pf.nodes(ast.Name)
    table = tops.tops
    for node in compress(names, map(wanted.__contains__, map(_NAME_ID, names))):
        if node.id in top_names and (not shadowing or (table[node.lineno], node.id) not in shadowing):
            facts.refs[table[node.lineno]].add(node.id)
        else:
            parent = pf.parent(node)
            attr = parent.attr if isinstance(parent, ast.Attribute) else None
            facts.uses[table[node.lineno]].add((node.id, attr))


_NAME_ID = attrgetter("id")


STAR = "*"  # the key of a module's star imports among its aliases (no Python name is spelled so)


def _bound_name(node: ast.Import | ast.ImportFrom, alias: ast.alias) -> str:
    """Return the name an import statement's alias binds in the importing file (`import a.b` binds `a`)."""
    if isinstance(node, ast.Import):
        return alias.asname or alias.name.split(".", 1)[0]
    return alias.asname or alias.name


class ModuleMap:
    """Resolves import statements to repo files (package, `src/` layout and sibling scripts)."""

    def __init__(self, paths: Iterable[str]) -> None:
        self.by_name: dict[str, str] = dict(import_names(paths))
        self._folders: dict[str, str] = {}

    def resolve(self, importer: str, module: str) -> str | None:
        """Return the repo file of `module` imported from `importer`, if it is in the repo."""
        found = self.by_name.get(module)
        if found is None:
            folder = self._folders.get(importer)
            if folder is None:
                folder = self._folders[importer] = PurePosixPath(importer).parent.as_posix().replace("/", ".")
            found = self.by_name.get(f"{folder}.{module}") if folder != "." else None
        return found

    def edges(self, importer: str, node: ast.Import | ast.ImportFrom) -> list[ImportEdge]:
        """Return the repo files (and names) one import statement brings in."""
        return [edge for _, edge in self.alias_edges(importer, node)]

    def alias_edges(self, importer: str, node: ast.Import | ast.ImportFrom) -> list[tuple[ast.alias, ImportEdge]]:
        """Return each name of one import statement that brings in a repo file, with the file (and name)."""
        if isinstance(node, ast.Import):
            found = ((alias, self.resolve(importer, alias.name)) for alias in node.names)
            return [(alias, ImportEdge(target, None)) for alias, target in found if target is not None]
        base = self._base(importer, node)
        if base is None:
            return []
        edges: list[tuple[ast.alias, ImportEdge]] = []
        for alias in node.names:
            submodule = self.resolve(importer, f"{base}.{alias.name}") if base else None
            target = submodule or self.resolve(importer, base)
            if target is not None:
                name = None if submodule or alias.name == "*" else alias.name
                edges.append((alias, ImportEdge(target, name)))
        return edges

    def _base(self, importer: str, node: ast.ImportFrom) -> str | None:
        if node.level == 0:
            return node.module
        names = module_names(importer)
        if not names:
            return None
        parts = names[-1].split(".")
        package = parts if importer.endswith("__init__.py") else parts[:-1]
        package = package[: len(package) - (node.level - 1)] if node.level > 1 else package
        return ".".join([*package, *([node.module] if node.module else [])])


def module_map(project: Project) -> ModuleMap:
    """Return the resolver of import statements to repository files (built once)."""
    found: ModuleMap = project.fact("randomness.module_map", lambda p: ModuleMap(p.python))
    return found


def module_paths(project: Project) -> dict[str, str]:
    """Map every dotted name a repository module can be imported as to its path (computed once)."""
    found: dict[str, str] = project.fact("modules.paths", lambda p: import_names(sorted(p.python)))
    return found


def import_names(paths: Iterable[str]) -> dict[str, str]:
    """Map the dotted names of repository modules to their paths: each path as dotted (with and without
    `src.`), then, where no such name claims it, the name its package chain gives it once installed.

    `presidio-analyzer/presidio_analyzer/engine.py` (a package in a subproject folder that is not one)
    is imported as `presidio_analyzer.engine`.
    """
    listed = [path for path in paths if path.endswith(".py")]
    found: dict[str, str] = {}
    for path in listed:
        for dotted in module_names(path):
            found.setdefault(dotted, path)
    packages = {path.rsplit("/", 1)[0] for path in listed if path.endswith("/__init__.py")}
    for path in listed:
        chain = package_chain_name(path, packages)
        if chain is not None:
            found.setdefault(chain, path)
    return found


def package_chain_name(path: str, packages: set[str] | frozenset[str]) -> str | None:
    """Return the import name of a module inside a regular package, from its topmost package folder
    (None for a module no package holds, or whose chain starts at the root). Folders without an `__init__.py`
    between the module and its package are namespace portions of it (`open_webui/models/models.py` without
    `models/__init__.py` is `open_webui.models.models`)."""
    folders = path.split("/")[:-1]
    nearest = len(folders)
    while nearest > 0 and "/".join(folders[:nearest]) not in packages:
        nearest -= 1
    top = nearest
    while top > 0 and "/".join(folders[:top]) in packages:
        top -= 1
    if nearest == 0 or top == 0:
        return None
    stem = path.rsplit("/", 1)[-1].removesuffix(".py")
    parts = folders[top:] if stem == "__init__" else [*folders[top:], stem]
    return ".".join(parts)


def module_names(path: str) -> list[str]:
    """Return the dotted names a repo `.py` file can be imported as (with and without `src.`)."""
    if not path.endswith(".py"):
        return []
    parts = path[:-3].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    if not parts:
        return []
    names = [".".join(parts)]
    if parts[0] in ("src", "lib", "python") and len(parts) > 1:
        names.append(".".join(parts[1:]))
    return names


def is_entry(pf: PythonFile, imported: frozenset[str], packages: frozenset[str] = frozenset()) -> bool:
    """Return True for scripts, notebooks, `__main__` modules, command modules and loose script-style modules
    nobody imports.

    A module inside a package (its folder has `__init__.py`) without a `__main__` block is
    meant to be imported, whatever it runs at import time, unless it is a command module: one that
    builds a command line (click, typer, argparse, ...) and that no other module imports, so that
    only an installed console script (`imagen train`) runs it.
    """
    if pf.kind in (FileKind.SCRIPT, FileKind.NOTEBOOK) or pf.has_main_guard:
        return not _benchmark(pf.path)
    if pf.kind is not FileKind.LIBRARY or pf.path in imported or pf.path.endswith("__init__.py"):
        return False
    if PurePosixPath(pf.path).parent.as_posix() in packages:
        return pf.file_fact(CLI_IMPORT_FACT, cli_import_line) is not None and not _benchmark(pf.path)
    return any(isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) for s in pf.tree.body)


def _benchmark(path: str) -> bool:
    """Return True for benchmark and profiling scripts: they measure speed, their randomness does not matter."""
    stem = PurePosixPath(path).stem.lower()
    return stem.startswith(("bench", "profil")) or stem.endswith(("_benchmark", "_benchmarks", "_profile"))


Node = tuple[str, str | None]
MAX_SITES = 50
MAX_REEXPORTS = 5


@dataclass
class _Reach:
    """What a node of the reference graph reaches: draws per source (capped sample), seeds, and the methods
    its code calls on other objects."""

    draws: dict[str, list[Draw]]
    seeds: set[SeedCall]
    calls: set[str] = field(default_factory=set)


def _site_order(draw: Draw) -> tuple[bool, str, int, str]:
    """Sort key of a capped sample: training calls that hold unconditionally first, then by place."""
    return bool(draw.methods), draw.path, draw.line, draw.label


class _Closures:
    """Reachability of draws and seeds over the reference graph, one Tarjan pass for all entries.

    Each strongly connected component is summarised once, after every component it
    reaches (Tarjan emits them in that order), so entry points share the work.
    """

    def __init__(self, files: dict[str, FileRandomness]) -> None:
        self.files = files
        self.reach: dict[Node, _Reach] = {}
        self._succ: dict[Node, list[Node]] = {}
        self._index: dict[Node, int] = {}
        self._low: dict[Node, int] = {}
        self._stack: list[Node] = []
        self._on_stack: set[Node] = set()
        self._resolved: dict[tuple[str, str | None], tuple[Node, ...]] = {}

    def successors(self, node: Node) -> list[Node]:
        """Return the nodes `node` refers to or imports (cached)."""
        found = self._succ.get(node)
        if found is None:
            found = self._succ[node] = self._successors(node)
        return found

    def _successors(self, node: Node) -> list[Node]:
        files = self.files
        return [n for n in dict.fromkeys(self.references(node)) if n[0] in files and n != node]

    def references(self, node: Node) -> list[Node]:
        """Return what `node` refers to or imports, unfiltered: repeats, itself and files outside the scan included."""
        facts = self.files[node[0]]
        name = node[1]
        nexts: list[Node] = [(facts.path, ref) for ref in facts.refs.get(name, ())]
        nexts.append((facts.path, None))
        nexts.extend((edge.target, None) for edge in facts.imports.get(name, ()))
        resolved = self._resolved
        for bound, attr in facts.uses.get(name, ()):
            for edge in facts.aliases.get(bound, ()):
                key = (edge.target, edge.name or attr)
                reached = resolved.get(key)
                if reached is None:  # many files use the same name of the same module: resolved once
                    reached = resolved[key] = tuple(self._resolve(key[0], key[1], 0))
                nexts.extend(reached)
        return nexts

    def _resolve(self, target: str, name: str | None, depth: int) -> Iterator[Node]:
        """Yield the nodes a use of `name` from `target` reaches, following re-exports (`from .x import f`)."""
        facts = self.files.get(target)
        if facts is None:
            return
        yield target, None
        if name is not None and name in facts.top_names:
            yield target, name
        elif name is not None and name in facts.aliases and depth < MAX_REEXPORTS:
            for edge in facts.aliases[name]:
                yield from self._resolve(edge.target, edge.name, depth + 1)
        elif name is not None and STAR in facts.aliases and depth < MAX_REEXPORTS:
            for edge in facts.aliases[STAR]:  # `from .seeding import *` in a package's `__init__.py`
                yield from self._resolve(edge.target, name, depth + 1)
        elif name is None:
            yield from ((target, t) for t in facts.top_names)

    def of(self, node: Node) -> _Reach:
        """Return what `node` reaches, computing its component (and everything below) once."""
        if node not in self._index:
            self._tarjan(node)
        return self.reach[node]

    def _visit(self, node: Node) -> None:
        self._index[node] = self._low[node] = len(self._index)
        self._stack.append(node)
        self._on_stack.add(node)

    def _tarjan(self, root: Node) -> None:
        self._visit(root)
        work: list[tuple[Node, Iterator[Node]]] = [(root, iter(self.successors(root)))]
        while work:
            node, pending = work[-1]
            nxt = next((n for n in pending if self._descend(node, n)), None)
            if nxt is not None:
                self._visit(nxt)
                work.append((nxt, iter(self.successors(nxt))))
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                self._low[parent] = min(self._low[parent], self._low[node])
            if self._low[node] == self._index[node]:
                self._close(node)

    def _descend(self, node: Node, nxt: Node) -> bool:
        """Return True when `nxt` is new (descend into it); else update `node`'s low-link."""
        if nxt not in self._index:
            return True
        if nxt in self._on_stack:
            self._low[node] = min(self._low[node], self._index[nxt])
        return False

    def _close(self, head: Node) -> None:
        members: list[Node] = []
        while True:
            member = self._stack.pop()
            self._on_stack.discard(member)
            members.append(member)
            if member == head:
                break
        inside = set(members)
        reach = _Reach(defaultdict(list), set())
        for member in members:
            facts = self.files[member[0]]
            for draw in facts.draws.get(member[1], ()):
                reach.draws[draw.source].append(draw)
            reach.seeds.update(facts.seeds.get(member[1], ()))
            reach.calls.update(facts.calls.get(member[1], ()))
            for nxt in self.successors(member):
                if nxt not in inside:
                    _merge(reach, self.reach[nxt])
        for source, draws in reach.draws.items():
            reach.draws[source] = sorted(set(draws), key=_site_order)[:MAX_SITES]
        for member in members:
            self.reach[member] = reach


def _merge(into: _Reach, other: _Reach) -> None:
    for source, draws in other.draws.items():
        into.draws[source].extend(draws)
    into.seeds |= other.seeds
    into.calls |= other.calls


def _walk_entry(pf: PythonFile, closures: _Closures) -> EntryRandomness:
    """Collect the draws and seed calls an entry point reaches by following calls from its top level.

    Only what the entry point's own top level (its `__main__` block, a notebook's cells) refers to
    counts, plus decorated definitions (registered commands): a seed helper defined but never
    called seeds nothing. Only entry points that train (`optimizer.step()`, `fit(...)`,
    `trainer.fit`, `runner.train`) are judged: inference scripts that load weights, benchmarks,
    a module's `__main__` self-test and a chatbot picking a random reply need no seed. A module's
    `__main__` block is reached only when that module is the entry point, never through imports.
    """
    start = pf.path
    reach = _Reach(defaultdict(list), set())
    decorated = closures.files[start].decorated if start in closures.files else _decorated(pf.tree)
    for node in [(start, None), (start, MAIN_BLOCK), *((start, t) for t in sorted(decorated))]:
        _merge(reach, closures.of(node))
    draws = {s: sorted(set(found), key=_site_order)[:MAX_SITES] for s, found in reach.draws.items()}
    init = draws.pop(TORCH_INIT, [])
    draws.pop(TORCH_TRAIN, None)
    torch_trains = any(_runs(d, reach.calls) for d in draws.pop(TORCH_STEP, []))
    trains = any(_runs(d, reach.calls) for d in draws.pop(TRAINS, [])) or torch_trains
    if torch_trains:
        draws["torch"] = sorted({*draws.get("torch", []), *init}, key=lambda d: (d.path, d.line, d.label))
        if not draws["torch"]:
            del draws["torch"]
    else:
        draws.pop("torch", None)  # torch draws matter only where a torch model is trained
    seeds = tuple(sorted(reach.seeds, key=lambda s: (s.path, s.line)))
    return EntryRandomness(start, draws, seeds, trains)


def _runs(draw: Draw, calls: set[str]) -> bool:
    """Return True when a training call runs for an entry point: outside any class, in a special method
    (`__call__`, `__init__`), or in a class whose training method the entry point's code calls."""
    return not draw.methods or any(m in calls or m.startswith("__") for m in draw.methods)


def _decorated(tree: ast.Module) -> frozenset[str]:
    """Return top-level definitions registered by a decorator (CLI commands, hydra mains)."""
    return frozenset(
        s.name
        for s in tree.body
        if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and s.decorator_list
    )


def randomness_facts(project: Project) -> RandomnessFacts:
    """Compute per-file randomness facts and walk every entry point (shared, computed once)."""
    code = [pf for pf in project.python.values() if is_code(pf)]
    files = reseeded(project, scanned_files(project, code))
    imported = frozenset(edge.target for facts in files.values() for edges in facts.imports.values() for edge in edges)
    if not any(f.draws for f in files.values()):  # no draw and no training call: no entry to walk
        return RandomnessFacts(files, ())
    closures = _Closures(files)
    packages = frozenset(pure_path(p).parent.as_posix() for p in project.python if p.endswith("__init__.py"))
    entries = tuple(_walk_entry(pf, closures) for pf in code if is_entry(pf, imported, packages))
    return RandomnessFacts(files, entries)


def reseeded(project: Project, files: dict[str, FileRandomness]) -> dict[str, FileRandomness]:
    """Return the files with their deferred seeder calls that a repo module re-exports from a framework
    (`mypkg/utils/__init__.py`: `from transformers import set_seed`) added to their seed calls."""
    from mlaudit.facts.reexported_names import reexported_names  # imports this module

    if not any(f.deferred for f in files.values()):
        return files
    names = reexported_names(project)
    modules = module_map(project)
    found = dict(files)
    for path, facts in files.items():
        seeds: dict[str | None, list[SeedCall]] = defaultdict(list, {k: list(v) for k, v in facts.seeds.items()})
        added = False
        for top, calls in facts.deferred.items():
            for call in calls:
                target = names.resolve(call.name)
                sources = SEED_FUNCTIONS.get(target) or _library_seeder(target, modules)
                if sources:
                    seeds[top].append(replace(call, name=target, sources=sources))
                    added = True
        if added:
            found[path] = replace(facts, seeds=seeds)
    return found


def scanned_files(project: Project, files: Iterable[PythonFile]) -> dict[str, FileRandomness]:
    """Return each file's `scan_file` facts; a file is scanned once per project (shared with the call graph)."""
    cache: dict[str, FileRandomness] = project.fact("randomness.scanned", lambda _p: {})
    modules = module_map(project)
    found: dict[str, FileRandomness] = {}
    for pf in files:
        facts = cache.get(pf.path)
        if facts is None:
            facts = cache[pf.path] = pf.file_fact(SCAN_FACT, lambda one: scan_file(one, modules))
        found[pf.path] = facts
    return found


def facts_of(project: Project) -> RandomnessFacts:
    """Return the shared randomness facts of the project."""
    facts: RandomnessFacts = project.fact("reproducibility.randomness", randomness_facts)
    return facts


def used_sources(facts: RandomnessFacts) -> list[str]:
    """Return the sources any training entry point draws from, in a stable order."""
    used = {s for entry in facts.entries if entry.trains for s in entry.draws}
    return [s for s in SOURCE_ORDER if s in used]


def seed_helper_text(sources: Iterable[str]) -> str:
    """Return a one-line `set_seed` helper covering exactly `sources`."""
    body = "; ".join(SEED_LINES[s] for s in SOURCE_ORDER if s in set(sources))
    return f"def set_seed(seed: int) -> None: {body}"


FRAMEWORK_SEEDERS = (
    (("lightning", "pytorch_lightning"), "pl.seed_everything(seed, workers=True)"),
    (("transformers",), "transformers.set_seed(seed)"),
    (("accelerate",), "accelerate.utils.set_seed(seed)"),
    (("keras", "tensorflow"), "keras.utils.set_random_seed(seed)"),
)


def seed_idiom(project: Project, used: Iterable[str]) -> str:
    """Return the seeding call of the framework the project uses, or a `set_seed` helper for `used`.

    Keras' seeder is named only for tensorflow code; torch code gets Lightning's, transformers'
    or accelerate's seeder when the project uses that library.
    """
    sources = set(used)
    tops = {m.split(".", 1)[0] for pf in project.python.values() if is_code(pf) for m in pf.imported_modules}
    for modules, idiom in FRAMEWORK_SEEDERS:
        keras = "keras" in modules
        if tops & set(modules) and (keras == ("tensorflow" in sources and "torch" not in sources)):
            return idiom
    return seed_helper_text(sources)


def listed(items: list[str], limit: int = 3) -> str:
    """Return up to `limit` items joined, with `(+N more)` for the rest."""
    shown = ", ".join(items[:limit])
    return f"{shown} (+{len(items) - limit} more)" if len(items) > limit else shown


@dataclass(frozen=True)
class SeedGap:
    """One source some entry points draw from without seeding it."""

    source: str
    entries: tuple[EntryRandomness, ...]

    @property
    def draws(self) -> list[Draw]:
        unique = {(d.path, d.line, d.label): d for e in self.entries for d in e.draws[self.source]}
        return [unique[k] for k in sorted(unique)]

    @property
    def helpers(self) -> dict[tuple[str, str, int], set[str]]:
        found: dict[tuple[str, str, int], set[str]] = defaultdict(set)
        for entry in self.entries:
            for call in entry.seeds:
                if call.helper is not None and call.helper_line is not None:
                    found[(call.helper, call.path, call.helper_line)].update(call.sources)
        return found


def seed_gaps(facts: RandomnessFacts) -> list[SeedGap]:
    """Return, per source, the entry points that draw from it without seeding it."""
    gaps: list[SeedGap] = []
    for source in SOURCE_ORDER:
        missing = tuple(e for e in facts.entries if e.missing(source))
        if missing:
            gaps.append(SeedGap(source, missing))
    return gaps
