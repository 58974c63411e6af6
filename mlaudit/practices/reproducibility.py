"""Provides the rules of the `reproducibility` practice: every used source of randomness seeded, one typed config.

The per-source, per-entry-point analysis of randomness lives in `_randomness.py`.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from mlaudit.model import FileKind, Severity
from mlaudit.practices._randomness import (
    SEED_LINES,
    SOURCE_ORDER,
    TORCH_TRAIN,
    facts_of,
    is_code,
    keyword,
    listed,
    seed_gaps,
    seed_helper_text,
    seed_idiom,
    used_sources,
    word_set,
)
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Metric, Output, Rule, register


@register
class UnseededRandomness(Rule):
    """Flags a source of randomness the code draws from that no entry point seeds.

    ## What it does
    Finds draws from each global source of randomness (Python `random`, numpy's global RNG,
    torch including weight init, dropout and shuffling `DataLoader`s, tensorflow) and, for every
    entry point (script, `__main__` guard, notebook), follows repo imports to see whether a seed
    call (`random.seed`, `np.random.seed`, `torch.manual_seed`, `transformers.set_seed`,
    `seed_everything`, ...) covers that source. Calls are followed from the entry point's top
    level, so a seed helper that is defined but never called does not count. Entry points that
    do not train are not judged when they load trained weights (inference, a chatbot picking a
    random reply) or are the `__main__` self-test of an imported library module. One finding
    per source, naming draw sites; the fix names the framework's idiom (`pl.seed_everything`,
    `transformers.set_seed`).

    ## Why is this bad?
    An unseeded source makes every run different: splits, initial weights and augmentations
    change, so a metric difference between two runs cannot be attributed to the change you made.

    ## Example
    ```python
    idx = list(range(len(df)))
    random.shuffle(idx)
    model = nn.Linear(16, 2)
    ```

    ## Use instead
    ```python
    def set_seed(seed: int) -> None:
        random.seed(seed)
        torch.manual_seed(seed)

    set_seed(cfg.seed)
    ```
    """

    code = "REP001"
    title = "Source of randomness used but never seeded"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Call one set_seed(seed) helper that seeds every source the code uses at the start of each entry point."

    def check(self, project: Project) -> Iterator[Output]:
        facts = facts_of(project)
        for gap in seed_gaps(facts):
            if gap.helpers:
                continue
            draws = gap.draws
            entries = [e.path for e in gap.entries]
            yield Hit(
                draws[0].path,
                draws[0].line,
                f"{gap.source} is drawn from but never seeded: {listed([d.site for d in draws])}"
                f" (entry points: {listed(entries)})",
                fix=f"Seed every source at the start of {entries[0]}: {seed_idiom(project, gap.entries[0].draws)}",
            )


@register
class PartialSeedHelper(Rule):
    """Flags a local seed helper that seeds only some of the sources the code uses.

    ## What it does
    Follows each entry point into the repo's own `set_seed()` / `seed_everything()` helper and
    compares what it seeds with the sources the entry point actually draws from.

    ## Why is this bad?
    A helper named `set_seed` reads as "runs are reproducible"; a source it forgets (often
    Python's `random`, used for shuffling or augmentation) silently keeps changing every run.

    ## Example
    ```python
    def set_seed(seed: int) -> None:
        np.random.seed(seed)
        torch.manual_seed(seed)

    random.shuffle(triples)  # elsewhere in the repo
    ```

    ## Use instead
    ```python
    def set_seed(seed: int) -> None:
        random.seed(seed)
        np.random.seed(seed)
        torch.manual_seed(seed)
    ```
    """

    code = "REP002"
    title = "Seed helper misses a source the code uses"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Add the missing source's seed call to the helper so it seeds every source the code draws from."

    def check(self, project: Project) -> Iterator[Output]:
        facts = facts_of(project)
        used = used_sources(facts)
        for gap in seed_gaps(facts):
            helpers = gap.helpers
            if not helpers:
                continue
            (name, path, line), seeded = sorted(helpers.items())[0]
            covered = ", ".join(s for s in SOURCE_ORDER if s in seeded) or "nothing"
            sites = listed([d.where or f"{d.path}:{d.line}" for d in gap.draws])
            yield Hit(
                path,
                line,
                f"{name}() in {path} seeds {covered} but the code also draws from {gap.source} ({sites})",
                fix=f"Add {SEED_LINES[gap.source]} to {name}(): {seed_helper_text(used)}",
            )


SKLEARN_ALWAYS = word_set(
    "train_test_split ShuffleSplit StratifiedShuffleSplit GroupShuffleSplit RandomForestClassifier "
    "RandomForestRegressor ExtraTreesClassifier ExtraTreesRegressor GradientBoostingClassifier "
    "GradientBoostingRegressor KMeans MiniBatchKMeans TSNE MLPClassifier MLPRegressor SGDClassifier "
    "SGDRegressor IsolationForest BaggingClassifier BaggingRegressor AdaBoostClassifier AdaBoostRegressor "
    "RandomizedSearchCV TruncatedSVD RandomTreesEmbedding GaussianRandomProjection SparseRandomProjection "
    "DecisionTreeClassifier DecisionTreeRegressor make_classification make_regression make_blobs "
    "make_moons make_circles"
)
SKLEARN_SHUFFLE = frozenset({"KFold", "StratifiedKFold", "RepeatedKFold", "GroupKFold"})
BOOSTERS = word_set(
    "XGBClassifier XGBRegressor XGBRanker XGBRFClassifier XGBRFRegressor LGBMClassifier LGBMRegressor "
    "LGBMRanker CatBoostClassifier CatBoostRegressor"
)
OPTUNA_SAMPLERS = frozenset({"TPESampler", "RandomSampler", "CmaEsSampler", "NSGAIISampler", "QMCSampler"})


def _has_any_kw(call: ast.Call, names: tuple[str, ...]) -> bool:
    return any(kw.arg in names or kw.arg is None for kw in call.keywords)


def _sklearn_unseeded(last: str, call: ast.Call) -> bool:
    if _has_any_kw(call, ("random_state",)):
        return False
    if last == "train_test_split":
        shuffle = keyword(call, "shuffle")
        return not (isinstance(shuffle, ast.Constant) and shuffle.value is False)
    if last in SKLEARN_ALWAYS:
        return True
    if last in SKLEARN_SHUFFLE:
        shuffle = keyword(call, "shuffle")
        return isinstance(shuffle, ast.Constant) and shuffle.value is True
    return _sklearn_solver_random(last, call)


def _sklearn_solver_random(last: str, call: ast.Call) -> bool:
    option = {"PCA": "svd_solver", "LogisticRegression": "solver"}.get(last)
    value = keyword(call, option) if option else None
    return isinstance(value, ast.Constant) and value.value in ("randomized", "sag", "saga")


def unseeded_estimator(name: str, call: ast.Call) -> tuple[str, str] | None:
    """Return (library, missing argument) when a resolved call builds a randomised estimator without a seed."""
    head, _, last = name.rpartition(".")
    root = head.split(".")[0]
    if root == "sklearn" and _sklearn_unseeded(last, call):
        return "sklearn", "random_state"
    boosted = root in ("xgboost", "lightgbm", "catboost") and last in BOOSTERS
    if boosted and not _has_any_kw(call, ("random_state", "seed", "random_seed")):
        return root, "random_state"
    if root == "optuna" and last in OPTUNA_SAMPLERS and not _has_any_kw(call, ("seed",)):
        return "optuna", "seed"
    if name == "optuna.create_study" and not _has_any_kw(call, ("sampler",)):
        return "optuna", "sampler=TPESampler(seed=...)"
    return None


def _file_seeds_numpy(project: Project, path: str) -> bool:
    facts = facts_of(project).files.get(path)
    if facts is None:
        return False
    if any("numpy" in call.sources for calls in facts.seeds.values() for call in calls):
        return True
    entries = [e for e in facts_of(project).entries if e.path == path]
    return any("numpy" in e.seeded for e in entries)


LOADERS = frozenset({"load_model", "load", "load_state_dict", "from_pretrained"})


def _loaded_not_trained(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for `clf = CatBoostClassifier(); clf.load_model(path)`: the estimator is restored, not trained."""
    assign = pf.parent(call)
    if not isinstance(assign, ast.Assign) or not all(isinstance(t, ast.Name) for t in assign.targets):
        return False
    names = {t.id for t in assign.targets if isinstance(t, ast.Name)}
    scope = pf.enclosing_function(call)
    for other in pf.nodes(ast.Call):
        func = other.func
        loads = isinstance(func, ast.Attribute) and func.attr in LOADERS and isinstance(func.value, ast.Name)
        if loads and func.value.id in names and pf.enclosing_function(other) is scope:  # type: ignore[attr-defined]
            return True
    return False


@register
class EstimatorWithoutRandomState(Rule):
    """Flags randomised estimators, splitters and samplers created without a seed.

    ## What it does
    Finds sklearn splitters and estimators that shuffle or sample (`train_test_split`,
    `KFold(shuffle=True)`, `RandomForestClassifier`, `KMeans`, `TSNE`, `PCA(svd_solver="randomized")`,
    ...), xgboost/lightgbm estimators and optuna samplers created without `random_state`/`seed`.

    ## Why is this bad?
    Without `random_state` sklearn falls back to numpy's global RNG: the split and the model change
    from run to run, or depend on how many random calls happened before. Boosters use a fixed
    default seed, so they are reported as info only.

    ## Example
    ```python
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
    ```

    ## Use instead
    ```python
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=cfg.seed)
    ```
    """

    code = "REP003"
    title = "Randomised estimator or splitter without a seed"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Pass random_state=cfg.seed (seed= for optuna samplers) so the split or model is the same every run."

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python.values():
            if is_code(pf):
                yield from self._check_file(project, pf)

    def _check_file(self, project: Project, pf: PythonFile) -> Iterator[Output]:
        numpy_seeded: bool | None = None
        for call in pf.nodes(ast.Call):
            name = pf.call_name(call)
            found = unseeded_estimator(name, call) if name else None
            if found is None or _loaded_not_trained(pf, call):
                continue
            library, missing = found
            severity = Severity.INFO if library in ("xgboost", "lightgbm", "catboost") else None
            if severity is None and library == "sklearn":
                numpy_seeded = _file_seeds_numpy(project, pf.path) if numpy_seeded is None else numpy_seeded
                severity = Severity.INFO if numpy_seeded else None
            label = ast.unparse(call.func)
            yield Hit(pf.path, call.lineno, f"{label}() without {missing} in {pf.path}", severity=severity)


_RUNTIME_SEED_ROOTS = ("time.", "random.", "numpy.random.", "os.urandom", "secrets.", "datetime.")


@register
class NonDeterministicJaxKey(Rule):
    """Flags a JAX PRNG key built from a runtime value (time, another RNG) instead of a seed.

    ## What it does
    Looks at `jax.random.PRNGKey(...)` / `jax.random.key(...)` calls whose seed argument is a call to
    `time.time()`, `random.randint(...)`, `np.random...`, `os.urandom` or similar.

    ## Why is this bad?
    JAX randomness is explicit: a key built from a literal or a config value makes the run
    reproducible; a key built from the clock makes every run different.

    ## Example
    ```python
    key = jax.random.PRNGKey(int(time.time()))
    ```

    ## Use instead
    ```python
    key = jax.random.PRNGKey(cfg.seed)
    ```
    """

    code = "REP004"
    title = "JAX key seeded from a non-deterministic value"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Build the key from a seed in the config: jax.random.PRNGKey(cfg.seed)."

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python.values():
            if not is_code(pf) or not any(m.startswith("jax") for m in pf.imported_modules):
                continue
            for call in pf.nodes(ast.Call):
                if pf.call_name(call) in ("jax.random.PRNGKey", "jax.random.key") and call.args:
                    runtime = _runtime_value(pf, call.args[0])
                    if runtime:
                        yield Hit(pf.path, call.lineno, f"{ast.unparse(call)} is seeded from {runtime}()")


def _runtime_value(pf: PythonFile, arg: ast.expr) -> str | None:
    while isinstance(arg, ast.Call) and not (pf.call_name(arg) or "").startswith(_RUNTIME_SEED_ROOTS):
        if not arg.args:
            return None
        arg = arg.args[0]
    if isinstance(arg, ast.Call):
        return pf.call_name(arg)
    return None


GENERATOR_FACTORIES = {
    "numpy.random.default_rng": "a numpy Generator",
    "numpy.random.RandomState": "a numpy RandomState",
    "random.Random": "a random.Random instance",
    "torch.Generator": "a torch Generator",
}
GENERATOR_FIXES = {
    "numpy.random.default_rng": "Create it from the configured seed: np.random.default_rng(cfg.seed).",
    "numpy.random.RandomState": "Create it from the configured seed: np.random.RandomState(cfg.seed).",
    "random.Random": "Create it from the configured seed: random.Random(cfg.seed).",
    "torch.Generator": "Seed it before use: g = torch.Generator(); g.manual_seed(cfg.seed).",
}
SEEDING_METHODS = frozenset({"manual_seed", "seed"})
RNG_PARAMS = frozenset({"rng", "seed", "random_state", "generator", "random_seed", "key"})


@register
class UnseededGenerator(Rule):
    """Flags a random generator object created without a seed.

    ## What it does
    Finds `np.random.default_rng()`, `np.random.RandomState()`, `random.Random()` and
    `torch.Generator()` created without a seed, unless the file seeds the same name before use
    (`g = torch.Generator()` then `g.manual_seed(epoch)`, or `self.rng` re-created from a seed)
    or they sit in a function that takes an `rng`/`seed`/`random_state` parameter (the caller
    decides).

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
    title = "Random generator created without a seed"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Create the generator from the configured seed, e.g. np.random.default_rng(cfg.seed)."

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python.values():
            if not is_code(pf):
                continue
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


@register
class TorchTrainingNotDeterministic(Rule):
    """Notes torch training code with no cuDNN/determinism settings anywhere in the repo.

    ## What it does
    When the code trains with torch (`loss.backward()`) but never sets
    `torch.backends.cudnn.deterministic = True`, `cudnn.benchmark = False` or
    `torch.use_deterministic_algorithms(True)` (or Lightning's `Trainer(deterministic=True)`).

    ## Why is this bad?
    Even with every seed set, cuDNN picks non-deterministic kernels on GPU, so two runs with the
    same seed still differ slightly.

    ## Example
    ```python
    torch.manual_seed(seed)
    loss.backward()
    ```

    ## Use instead
    ```python
    torch.manual_seed(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    ```
    """

    code = "REP006"
    title = "torch training without determinism settings"
    practice = "reproducibility"
    severity = Severity.INFO
    fix = "In set_seed(), add torch.backends.cudnn.deterministic = True and torch.backends.cudnn.benchmark = False."

    def check(self, project: Project) -> Iterator[Output]:
        facts = facts_of(project)
        trains = [d for f in facts.files.values() for ds in f.draws.values() for d in ds if d.source == TORCH_TRAIN]
        if not trains or any(_sets_determinism(pf) for pf in project.python.values() if is_code(pf)):
            return
        first = min(trains, key=lambda d: (d.path, d.line))
        yield Hit(first.path, first.line, f"torch training ({first.where or first.path}) without cuDNN determinism")


def _sets_determinism(pf: PythonFile) -> bool:
    if not any(m.startswith(("torch", "lightning", "pytorch_lightning")) for m in pf.imported_modules):
        return False
    for node in pf.nodes(ast.Attribute):
        if node.attr in ("deterministic", "benchmark") and isinstance(node.ctx, ast.Store):
            return True
    for call in pf.nodes(ast.Call):
        name = pf.call_name(call) or ""
        if name.endswith("use_deterministic_algorithms") or keyword(call, "deterministic") is not None:
            return True
    return False


@register
class ScatteredSeeding(Rule):
    """Flags seeding code copy-pasted across files instead of one helper.

    ## What it does
    Counts the files that call two or more different seed functions themselves
    (`random.seed`, `np.random.seed`, `torch.manual_seed`, ...). Three or more such files
    means the seeding block was copied.

    ## Why is this bad?
    Copies drift: one script gains `torch.cuda.manual_seed_all`, another does not, and runs
    that look equally seeded are not.

    ## Example
    ```python
    # train.py, finetune.py, evaluate.py each start with
    random.seed(42); np.random.seed(42); torch.manual_seed(42)
    ```

    ## Use instead
    ```python
    from mypkg.seed import set_seed

    set_seed(cfg.seed)
    ```
    """

    code = "REP007"
    title = "Seeding copy-pasted across files"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Move the seed calls into one set_seed(seed) helper and call it from every entry point."

    def check(self, project: Project) -> Iterator[Output]:
        files = facts_of(project).files
        copies = sorted(p for p, f in files.items() if len({c.name for cs in f.seeds.values() for c in cs}) >= 2)
        if len(copies) >= project.options.threshold("rep_seed_copies", 3):
            first = min((call for calls in files[copies[0]].seeds.values() for call in calls), key=lambda c: c.line)
            yield Hit(copies[0], first.line, f"Seed calls repeated in {len(copies)} files: {listed(copies, 5)}")


HYPERPARAMETERS = {
    "lr": "learning_rate",
    "learning_rate": "learning_rate",
    "batch_size": "batch_size",
    "train_batch_size": "batch_size",
    "epochs": "epochs",
    "num_epochs": "epochs",
    "n_epochs": "epochs",
    "max_epochs": "epochs",
    "num_train_epochs": "epochs",
    "max_length": "max_length",
    "max_len": "max_length",
    "max_seq_length": "max_length",
    "top_k": "top_k",
    "topk": "top_k",
    "dropout": "dropout",
    "weight_decay": "weight_decay",
    "hidden_size": "hidden_size",
    "hidden_dim": "hidden_size",
    "n_estimators": "n_estimators",
    "max_depth": "max_depth",
    "temperature": "temperature",
    "warmup_steps": "warmup_steps",
    "momentum": "momentum",
    "gamma": "gamma",
    "num_layers": "num_layers",
    "n_layers": "num_layers",
    "embedding_dim": "embedding_dim",
    "num_heads": "num_heads",
}
SEED_CALLS = word_set(
    "seed manual_seed manual_seed_all set_seed set_random_seed seed_everything set_global_seed set_manual_seed"
)
SEED_KEYS = frozenset({"seed", "random_seed", "random-seed"})
CONFIG_STEMS = word_set("config configs settings constants params hparams hyperparams defaults conf")
CONFIG_CLASS = re.compile(r"(Config|Settings|Params|HParams|Hparams|Hyperparameters|Args|Arguments|Options|Cfg)$")
TYPED_BASES = word_set("BaseModel BaseSettings Struct")
TYPED_DECORATORS = word_set("dataclass define frozen attrs s dataclasses")
SKIPPED_DIRS = word_set("examples example docs doc")


@dataclass(frozen=True)
class Literal:
    """A hyperparameter-like name bound to a number in code, and what receives it (`FocalLoss`, `=`)."""

    name: str
    value: str
    path: str
    line: int
    target: str = ""


def is_config_module(path: str) -> bool:
    """Return True for modules whose job is configuration (config.py, settings.py, configs/...)."""
    pure = PurePosixPath(path)
    return pure.stem.lower() in CONFIG_STEMS or any(p in ("configs", "config", "conf") for p in pure.parts[:-1])


def is_config_class(node: ast.ClassDef) -> bool:
    """Return True for a class that holds configuration (typed or not)."""
    return bool(CONFIG_CLASS.search(node.name)) or is_typed_class(node)


def is_typed_class(node: ast.ClassDef) -> bool:
    """Return True for dataclass/attrs/pydantic classes."""
    decorators = {_last_name(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list}
    bases = {_last_name(b) for b in node.bases}
    return bool(decorators & TYPED_DECORATORS or bases & TYPED_BASES)


def _last_name(expr: ast.expr) -> str:
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return expr.id if isinstance(expr, ast.Name) else ""


def _number(expr: ast.expr | None) -> str | None:
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub):
        inner = _number(expr.operand)
        return f"-{inner}" if inner else None
    if isinstance(expr, ast.Constant) and isinstance(expr.value, int | float) and not isinstance(expr.value, bool):
        return repr(expr.value)
    return None


def _target_name(target: ast.expr) -> str | None:
    if isinstance(target, ast.Name):
        return target.id
    return target.attr if isinstance(target, ast.Attribute) else None


def hyperparameter_literals(pf: PythonFile) -> Iterator[Literal]:
    """Yield numeric literals bound to hyperparameter names outside config classes and parameter defaults.

    Zero and one (`dropout=0.0`, `batch_size=1`) switch something off rather than tune it, and
    model-registry variant functions (`@register_model`) define architectures, not runs.
    """
    found = (*_keyword_literals(pf), *_assigned_literals(pf), *_dict_literals(pf))
    for lit, node in found:
        if not _identity_value(lit.value) and not _in_registered_variant(pf, node):
            yield lit
    for call in pf.nodes(ast.Call):
        value = _number(call.args[0]) if call.args else None
        if value is not None and _last_name(call.func) in SEED_CALLS:
            yield Literal("seed", value, pf.path, call.lineno, "seed")


def seed_exposed(project: Project) -> bool:
    """Return True when a CLI flag or a config file lets a run choose its seed."""
    for pf in project.python.values():
        if any(isinstance(n.value, str) and n.value.lstrip("-") in SEED_KEYS for n in pf.nodes(ast.Constant)):
            return True
    return any(
        re.search(r"^\s*[\"']?(seed|random_seed|random_state)[\"']?\s*[:=]", text, re.M)
        for text in project.texts.values()
    )


def _keyword_literals(pf: PythonFile) -> Iterator[tuple[Literal, ast.AST]]:
    for kw in pf.nodes(ast.keyword):
        value = _number(kw.value)
        if kw.arg and kw.arg.lower() in HYPERPARAMETERS and value is not None:
            call = pf.parent(kw)
            target = _last_name(call.func) if isinstance(call, ast.Call) else ""
            yield Literal(HYPERPARAMETERS[kw.arg.lower()], value, pf.path, kw.value.lineno, target), kw


def _assigned_literals(pf: PythonFile) -> Iterator[tuple[Literal, ast.AST]]:
    assigns: list[ast.Assign | ast.AnnAssign] = [*pf.nodes(ast.Assign), *pf.nodes(ast.AnnAssign)]
    for node in assigns:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = _number(node.value)
        names = [n for n in (_target_name(t) for t in targets) if n and n.lower() in HYPERPARAMETERS]
        if (
            value is not None
            and names
            and not _in_config_class(pf, node)
            and not _overwritten_later(pf, node, names[0])
        ):
            yield Literal(HYPERPARAMETERS[names[0].lower()], value, pf.path, node.lineno, "="), node


def _overwritten_later(pf: PythonFile, node: ast.Assign | ast.AnnAssign, name: str) -> bool:
    """Return True when the function assigns `name` again after `node`: the literal is a default that input overrides.

    `num_layers = 2` followed by `num_layers = int(value)` while parsing an options string is a
    fallback, not the value a run uses.
    """
    func = pf.enclosing_function(node)
    if func is None:
        return False
    for other in ast.walk(func):
        if other is node or getattr(other, "lineno", 0) <= node.lineno:
            continue
        if not isinstance(other, ast.Assign | ast.AnnAssign) or other.value is None or _number(other.value) is not None:
            continue
        targets = other.targets if isinstance(other, ast.Assign) else [other.target]
        derived = any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(other.value))
        if not derived and any(_target_name(t) == name for t in targets):
            return True
    return False


def _dict_literals(pf: PythonFile) -> Iterator[tuple[Literal, ast.AST]]:
    for mapping in pf.nodes(ast.Dict):
        for key, item in zip(mapping.keys, mapping.values, strict=True):
            value = _number(item)
            if isinstance(key, ast.Constant) and str(key.value).lower() in HYPERPARAMETERS and value is not None:
                yield Literal(HYPERPARAMETERS[str(key.value).lower()], value, pf.path, item.lineno, "{}"), mapping


def _identity_value(value: str) -> bool:
    return eval_number(value) in (0, 1)


def _in_registered_variant(pf: PythonFile, node: ast.AST) -> bool:
    """Return True inside a function registered by a decorator such as `@register_model`."""
    func = pf.enclosing_function(node)
    while func is not None:
        if any("register" in ast.unparse(d).lower() for d in func.decorator_list):
            return True
        func = pf.enclosing_function(func)
    return False


def _in_config_class(pf: PythonFile, node: ast.AST) -> bool:
    parent = pf.parent(node)
    return isinstance(parent, ast.ClassDef) and is_config_class(parent)


def literal_scope(pf: PythonFile) -> bool:
    """Return True for files whose hyperparameter literals are judged (not tests, configs or examples)."""
    parts = PurePosixPath(pf.path).parts[:-1]
    return is_code(pf) and not is_config_module(pf.path) and not any(p in SKIPPED_DIRS for p in parts)


@register
class HardcodedHyperparameters(Rule):
    """Flags hyperparameters hard-coded as literals in training and inference code.

    ## What it does
    Finds numbers bound to hyperparameter names (`lr`, `learning_rate`, `batch_size`, `epochs`,
    `max_length`, `top_k`, `dropout`, `weight_decay`, `n_estimators`, `max_depth`, ...) as keyword
    arguments, assignments or dict entries, outside config classes, config modules, parameter
    defaults, argparse defaults, locals that the function later overwrites from input (defaults
    of an options parser), model-registry variant functions (`@register_model`) and tests;
    0 and 1 (`dropout=0.0`, `batch_size=1`) are off switches, not tuned values. The same value
    passed to the same callee (or assigned) in several files is a warning, so a focal loss's
    `gamma` and a booster's `gamma` are not grouped; the rest of a file's literals are summed up
    in one info. A seed fixed in code (`torch.manual_seed(42)`) counts too, unless a CLI flag
    (`--seed`) or a config key lets a run choose it.

    ## Why is this bad?
    A result cannot be reproduced or compared when its settings are scattered literals: changing
    the learning rate means editing three scripts, and nothing records which value a run used.

    ## Example
    ```python
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
    loader = DataLoader(ds, batch_size=32)
    ```

    ## Use instead
    ```python
    @dataclass(frozen=True)
    class TrainConfig:
        lr: float = 3e-4
        batch_size: int = 32

    optimizer = torch.optim.AdamW(model.parameters(), lr=cfg.lr)
    ```
    """

    code = "REP010"
    title = "Hyperparameters hard-coded in code"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Move the values into one typed config (a frozen dataclass loaded from YAML) and pass it in."

    def check(self, project: Project) -> Iterator[Output]:
        literals = [lit for pf in project.python.values() if literal_scope(pf) for lit in hyperparameter_literals(pf)]
        if seed_exposed(project):
            literals = [lit for lit in literals if lit.name != "seed"]
        notebooks = {pf.path for pf in project.python.values() if pf.is_notebook}
        repeated: set[Literal] = set()
        for (name, value, _), found in sorted(_groups(literals).items()):
            files = sorted({lit.path for lit in found if lit.path not in notebooks})
            if len(files) >= 2:
                repeated.update(found)
                yield Hit(
                    found[0].path,
                    found[0].line,
                    f"{name}={value} hard-coded in {len(files)} files: {listed(files, 4)}",
                    fix=f"Define {name}: {type(eval_number(value)).__name__} = {value} once in a config dataclass.",
                )
        yield from _single_literals([lit for lit in literals if lit not in repeated])


def _groups(literals: list[Literal]) -> dict[tuple[str, str, str], list[Literal]]:
    """Group equal name=value literals by the callee that receives them.

    When one name=value goes to several different callees (a focal loss's `gamma` and a
    booster's `gamma`), each callee is its own group; otherwise assignments and dict entries
    join the single callee's group.
    """
    callees: dict[tuple[str, str], set[str]] = defaultdict(set)
    for lit in literals:
        if lit.target not in ("=", "{}"):
            callees[(lit.name, lit.value)].add(lit.target)
    groups: dict[tuple[str, str, str], list[Literal]] = defaultdict(list)
    for lit in literals:
        split = len(callees[(lit.name, lit.value)]) > 1
        groups[(lit.name, lit.value, lit.target if split else "")].append(lit)
    return groups


def eval_number(text: str) -> float | int:
    """Return the number a literal's repr stands for."""
    return float(text) if any(c in text for c in ".eEn") else int(text)


def _single_literals(literals: list[Literal]) -> Iterator[Hit]:
    by_file: dict[str, list[Literal]] = defaultdict(list)
    for lit in literals:
        by_file[lit.path].append(lit)
    for path, found in sorted(by_file.items()):
        found.sort(key=lambda lit: lit.line)
        names = [f"{lit.name}={lit.value}" for lit in found]
        fields = "; ".join(f"{lit.name}: {type(eval_number(lit.value)).__name__} = {lit.value}" for lit in found[:4])
        yield Hit(
            path,
            found[0].line,
            f"Hyperparameters hard-coded in {path}: {listed(names, 4)}",
            severity=Severity.INFO,
            fix=f"Move them into a config dataclass: @dataclass(frozen=True) class TrainConfig: {fields}",
        )


@dataclass(frozen=True)
class ConfigStyle:
    """How the repo holds its settings: typed classes, and loose dicts or UPPERCASE-global modules."""

    typed: tuple[str, ...]
    loose: tuple[tuple[str, int, str], ...]


def _uppercase_globals(pf: PythonFile) -> list[str]:
    names: list[str] = []
    for stmt in pf.tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name = stmt.targets[0].id
            if name.isupper() and _number(stmt.value) is not None:
                names.append(name)
    return names


def _loose_dicts(pf: PythonFile) -> Iterator[tuple[str, int, str]]:
    for stmt in pf.tree.body:
        if not (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Dict)):
            continue
        name = _target_name(stmt.targets[0]) or ""
        keys = [k.value for k in stmt.value.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
        if name.lower() in ("cfg", "config", "conf", "params", "hparams", "hyperparams", "settings") and len(keys) >= 4:
            yield pf.path, stmt.lineno, f"dict {name} with {len(keys)} string keys ({listed(keys, 3)})"


def _structured_config(pf: PythonFile) -> bool:
    if not any(m.startswith(("omegaconf", "hydra")) for m in pf.imported_modules):
        return False
    names = (pf.call_name(call) or "" for call in pf.nodes(ast.Call))
    return any(n.endswith(("OmegaConf.structured", "ConfigStore.instance")) for n in names)


def config_style(project: Project) -> ConfigStyle:
    """Find typed config classes and loose configs (string-key dicts, UPPERCASE-global modules)."""
    typed: list[str] = []
    loose: list[tuple[str, int, str]] = []
    for pf in project.python.values():
        if not is_code(pf):
            continue
        classes = [c for c in pf.nodes(ast.ClassDef) if CONFIG_CLASS.search(c.name) and is_typed_class(c)]
        typed.extend(f"{c.name} ({pf.path})" for c in classes)
        if _structured_config(pf):
            typed.append(f"structured config ({pf.path})")
        upper = _uppercase_globals(pf)
        if is_config_module(pf.path) and len(upper) >= 3 and not classes:
            loose.append((pf.path, 1, f"module of {len(upper)} bare UPPERCASE globals ({listed(upper, 3)})"))
        loose.extend(_loose_dicts(pf))
    return ConfigStyle(tuple(sorted(typed)), tuple(sorted(loose)))


@register
class LooseConfig(Rule):
    """Flags configuration held in loose dicts or modules of bare UPPERCASE globals.

    ## What it does
    Looks for the repo's central config: typed classes (dataclass, pydantic `BaseModel`/`BaseSettings`,
    attrs) named like `...Config`/`...Settings` score well; a dict of string keys (`cfg = {"lr": ...}`)
    or a `config.py` of bare UPPERCASE numbers is a warning (info when a typed config also exists).
    Reports the style as the metric `config_style`.

    ## Why is this bad?
    A typo in `cfg["learning_rte"]` or a value of the wrong type surfaces hours into a run; a typed
    config fails at load time, documents every setting and its default in one place, and can be saved
    next to the model.

    ## Example
    ```python
    LR = 3e-4
    BATCH_SIZE = 64
    cfg = {"lr": 3e-4, "batch_size": 64, "epochs": 10, "seed": 1}
    ```

    ## Use instead
    ```python
    @dataclass(frozen=True)
    class TrainConfig:
        lr: float = 3e-4
        batch_size: int = 64
    ```
    """

    code = "REP011"
    title = "Config held in loose dicts or bare globals"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Replace it with a frozen dataclass (or pydantic model) and load YAML/TOML into it."

    def check(self, project: Project) -> Iterator[Output]:
        style: ConfigStyle = project.fact("reproducibility.config_style", config_style)
        kind = "typed" if style.typed else ("loose" if style.loose else "none")
        yield Metric("config_style", kind)
        severity = Severity.INFO if style.typed else None
        for path, line, what in style.loose:
            yield Hit(path, line, f"Loose config in {path}: {what}", severity=severity)


CONFIG_FILE_SUFFIXES = (".yaml", ".yml", ".toml", ".json")
CONFIG_DIRS = frozenset({"configs", "config", "conf"})
CONFIG_FILE_STEMS = frozenset({"config", "params", "hparams", "hyperparams", "experiment", "train_config"})


def experiment_config_files(project: Project) -> list[str]:
    """Return YAML/TOML/JSON experiment config files (configs/*, config.yaml, params.yaml, ...).

    Files under hidden folders (`.github/`, `.vscode/`) configure tools, not experiments.
    """
    found: list[str] = []
    for source in project.of_kind(FileKind.CONFIG, FileKind.DATA, FileKind.OTHER):
        pure = PurePosixPath(source.path)
        if pure.suffix not in CONFIG_FILE_SUFFIXES or any(p.startswith(".") for p in pure.parts):
            continue
        if pure.stem in CONFIG_FILE_STEMS or any(p in CONFIG_DIRS for p in pure.parts[:-1]):
            found.append(source.path)
    return sorted(found)


def _mentions(project: Project) -> list[str]:
    strings = [
        node.value
        for pf in project.python.values()
        for node in pf.nodes(ast.Constant)
        if isinstance(node.value, str) and len(node.value) < 300
    ]
    return strings + [text for path, text in project.texts.items() if not path.endswith(CONFIG_FILE_SUFFIXES)]


def hydra_config_dirs(project: Project) -> set[str]:
    """Return the folders Hydra composes configs from, resolved against the file that names them.

    `@hydra.main(config_path="./configs")` in `week_2/train.py` reads every file under `week_2/configs`.
    """
    found: set[str] = set()
    for pf in project.python.values():
        if not any(m.split(".", 1)[0] == "hydra" for m in pf.imported_modules):
            continue
        for call in pf.nodes(ast.Call):
            for kw in call.keywords:
                if kw.arg in {"config_path", "config_dir"} and isinstance(kw.value, ast.Constant):
                    value = kw.value.value
                    if isinstance(value, str) and not value.startswith("pkg://"):
                        found.add(_resolve(PurePosixPath(pf.path).parent, value))
    return found


def _resolve(base: PurePosixPath, relative: str) -> str:
    parts: list[str] = [p for p in base.parts if p not in {"", "."}]
    for part in PurePosixPath(relative).parts:
        if part == "..":
            parts = parts[:-1]
        elif part not in {".", "/"}:
            parts.append(part)
    return "/".join(parts)


def _folder_named(folder: str, mentions: list[str]) -> bool:
    """Return True when a string or document names the folder as a choice of files.

    `--base configs/autoencoder/<spec>.yaml`, `configs/*.yaml` or `default="configs/"` name the
    folder; `configs/train.yaml` names one file and says nothing about its neighbours.
    """
    pattern = re.compile(rf"(?<![\w.-]){re.escape(folder)}/(?=$|[\s'\"`<*{{$)\]])")
    return any(folder in text and pattern.search(text) for text in mentions)


def is_read(path: str, mentions: list[str], read_dirs: set[str]) -> bool:
    """Return True when code, docs or scripts name the file or its folder, or Hydra composes its folder."""
    pure = PurePosixPath(path)
    parents = [str(parent) for parent in pure.parents if str(parent) != "."]
    if any(parent in read_dirs for parent in parents):
        return True
    if any(pure.name in text for text in mentions):
        return True
    return bool(parents) and _folder_named(parents[0], mentions)


CONFIG_LOADERS = ("hydra", "omegaconf", "yaml", "json", "tomllib", "toml", "tomli", "ml_collections", "gin")


@register
class UnreadConfigFile(Rule):
    """Flags an experiment config file that no code, script or doc ever refers to.

    ## What it does
    For each `configs/*.yaml|toml|json`, `config.yaml`, `params.yaml`, ... checks whether its file
    name or its folder appears in a string in the code (an argparse default, a path) or in a
    README, Makefile or shell script (`python main.py --base configs/autoencoder/<spec>.yaml`), or
    whether it sits under a Hydra `config_path` (resolved against the decorated file; Hydra
    composes every file there). Files under hidden folders such as `.github/` are not experiment
    configs.

    ## Why is this bad?
    A config nobody reads is a lie: people edit it, rerun, and nothing changes because the values
    that matter are hard-coded in the script.

    ## Example
    ```python
    # configs/train.yaml says lr: 0.001, but train.py never opens it
    optimizer = Adam(params, lr=3e-4)
    ```

    ## Use instead
    ```python
    cfg = load_config(Path("configs/train.yaml"))
    optimizer = Adam(params, lr=cfg.lr)
    ```
    """

    code = "REP012"
    title = "Config file never read"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Load the file into the typed config the code uses, or delete it."

    def check(self, project: Project) -> Iterator[Output]:
        candidates = experiment_config_files(project)
        if not candidates:
            return
        mentions = _mentions(project)
        read_dirs = hydra_config_dirs(project)
        loader = _config_loader(project)
        fix = (
            f"Name it where runs start ({loader} loads configs here): a --config default, a README command or a script."
            if loader
            else None
        )
        for path in candidates:
            if not is_read(path, mentions, read_dirs):
                yield Hit(path, None, f"{path} is never referenced by the code", fix=fix)


def _config_loader(project: Project) -> str | None:
    """Return the config loader the code imports (hydra, omegaconf, yaml, json...), if any."""
    tops = {m.split(".", 1)[0] for pf in project.python.values() for m in pf.imported_modules}
    return next((name for name in CONFIG_LOADERS if name in tops), None)


ABSOLUTE_PATH = re.compile(r"^(/home/|/Users/|/kaggle/|/content/drive/|/mnt/|/root/|[A-Za-z]:\\\\)")


@register
class HardcodedAbsolutePath(Rule):
    """Flags machine-specific absolute paths hard-coded in code.

    ## What it does
    Finds string literals starting with `/home/`, `/Users/`, `/kaggle/`, `/content/drive/`, `/mnt/`,
    `/root/` or a Windows drive (`C:\\`) in library code, scripts and notebooks (docstrings excluded).

    ## Why is this bad?
    The code runs only on the machine (or Kaggle kernel) it was written on; anyone else has to edit
    source files to reproduce a result, and outputs land in someone's home directory.

    ## Example
    ```python
    df = pd.read_csv("/home/alice/data/churn/train.csv")
    ```

    ## Use instead
    ```python
    df = pd.read_csv(cfg.data_dir / "train.csv")  # data_dir from the config or an env variable
    ```
    """

    code = "REP013"
    title = "Hard-coded absolute path"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Take the path from the config or an environment variable, relative to a configurable data directory."

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python.values():
            if not is_code(pf):
                continue
            seen: set[str] = set()
            for node in pf.nodes(ast.Constant):
                value = node.value
                if isinstance(value, str) and ABSOLUTE_PATH.match(value) and value not in seen:
                    if isinstance(pf.parent(node), ast.Expr | ast.Compare):
                        continue  # a docstring, or a comparison that detects the environment
                    seen.add(value)
                    yield Hit(pf.path, node.lineno, f"Absolute path {value[:80]!r} in {pf.path}")


@register
class ArgparseBoolType(Rule):
    """Flags argparse flags declared with `type=bool` or `choices=[True, False]`.

    ## What it does
    Finds `add_argument(..., type=bool)` and `add_argument(..., choices=[True, False])`.

    ## Why is this bad?
    `bool("False")` is `True`: `--use_smote False` turns the option on. With `choices=[True, False]`
    every value from the command line is a string and is rejected.

    ## Example
    ```python
    parser.add_argument("--use_smote", type=bool, default=False)
    ```

    ## Use instead
    ```python
    parser.add_argument("--use-smote", action=argparse.BooleanOptionalAction, default=False)
    ```
    """

    code = "REP014"
    title = "argparse flag parsed with bool"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Use action='store_true' or action=argparse.BooleanOptionalAction instead of type=bool."

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python.values():
            if pf.kind is FileKind.TEST:
                continue
            for call in pf.nodes(ast.Call):
                if isinstance(call.func, ast.Attribute) and call.func.attr == "add_argument" and _bool_typed(call):
                    flag = next((str(a.value) for a in call.args if isinstance(a, ast.Constant)), "?")
                    yield Hit(pf.path, call.lineno, f"argparse flag {flag} uses {_bool_how(call)}")


def _bool_typed(call: ast.Call) -> bool:
    return bool(_bool_how(call))


def _bool_how(call: ast.Call) -> str:
    kind = keyword(call, "type")
    if isinstance(kind, ast.Name) and kind.id == "bool":
        return "type=bool ('False' parses as True)"
    choices = keyword(call, "choices")
    elements = choices.elts if isinstance(choices, ast.List | ast.Tuple | ast.Set) else []
    if any(isinstance(e, ast.Constant) and isinstance(e.value, bool) for e in elements):
        return "choices=[True, False] (command-line strings never match)"
    return ""


ARTIFACT_SUFFIXES = (".yaml", ".yml", ".json", ".toml", ".ckpt", ".pt", ".pth", ".bin", ".safetensors", ".onnx", ".pkl")
PATH_READERS = frozenset(
    {"open", "load", "safe_load", "load_state_dict", "from_file", "read_text", "load_from_checkpoint"}
)


def cwd_relative_loads(pf: PythonFile) -> Iterator[tuple[ast.Call, str]]:
    """Yield calls that open a config or checkpoint through a literal path relative to the working directory."""
    for call in pf.nodes(ast.Call):
        label = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        if label not in PATH_READERS or not call.args:
            continue
        arg = call.args[0]
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            continue
        path = arg.value
        if path.startswith(("/", "~", "http:", "https:")) or "://" in path or not path.endswith(ARTIFACT_SUFFIXES):
            continue
        if _writes(call):
            continue
        yield call, path


def _writes(call: ast.Call) -> bool:
    """Return True for `open(path, "w")`: creating an output file is not reading a config."""
    mode = call.args[1] if len(call.args) > 1 else keyword(call, "mode")
    return isinstance(mode, ast.Constant) and isinstance(mode.value, str) and any(c in mode.value for c in "wax")


@register
class WorkingDirectoryRelativePath(Rule):
    """Flags configs and checkpoints opened through a literal path relative to the working directory.

    ## What it does
    Finds `open("config.json")`, `OmegaConf.load("configs/x.yaml")`, `torch.load("models/last.ckpt")`
    and similar calls whose first argument is a relative path literal to a config or checkpoint
    file (`.yaml`, `.json`, `.toml`, `.ckpt`, `.pt`, `.pth`, `.bin`, `.safetensors`, `.onnx`, `.pkl`).

    ## Why is this bad?
    The path resolves against whatever directory the process starts in: the same script loads
    another file, or fails, when run from elsewhere (a service, a scheduler, a notebook), and
    which config or weights a run used is not recorded anywhere.

    ## Example
    ```python
    config = OmegaConf.load("models/ldm/config.yaml")
    ```

    ## Use instead
    ```python
    parser.add_argument("--config", type=Path, default=HERE / "models/ldm/config.yaml")
    config = OmegaConf.load(args.config)
    ```
    """

    code = "REP015"
    title = "Config or checkpoint path relative to the working directory"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Take the path from the CLI or the config, or resolve it against the module: Path(__file__).parent / name."

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python_of(FileKind.LIBRARY, FileKind.SCRIPT):
            found = list(cwd_relative_loads(pf))
            if found:
                call, path = found[0]
                more = f" (+{len(found) - 1} more)" if len(found) > 1 else ""
                yield Hit(pf.path, call.lineno, f"{path!r} is opened relative to the working directory{more}")
