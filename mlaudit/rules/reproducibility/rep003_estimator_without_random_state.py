"""Provides rule REP003: Randomised estimator or splitter without a seed."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.facts.kind import is_example
from mlaudit.facts.randomness import facts_of, is_code, keyword, word_set
from mlaudit.model import Severity
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.reproducibility._shared import _last_name, in_test_parameters, listed_candidate

SKLEARN_ALWAYS = word_set(
    "train_test_split ShuffleSplit StratifiedShuffleSplit GroupShuffleSplit RandomForestClassifier "
    "RandomForestRegressor ExtraTreesClassifier ExtraTreesRegressor GradientBoostingClassifier "
    "GradientBoostingRegressor KMeans MiniBatchKMeans TSNE MLPClassifier MLPRegressor SGDClassifier "
    "SGDRegressor IsolationForest BaggingClassifier BaggingRegressor AdaBoostClassifier AdaBoostRegressor "
    "RandomizedSearchCV TruncatedSVD RandomTreesEmbedding GaussianRandomProjection SparseRandomProjection "
    "DecisionTreeClassifier DecisionTreeRegressor make_classification make_regression make_blobs "
    "make_moons make_circles GaussianMixture BayesianGaussianMixture LatentDirichletAllocation "
    "SpectralClustering FastICA"
)


# umap-learn's estimators: without random_state the embedding starts from numpy's global RNG and is optimised
# in parallel, so it differs from run to run even where numpy is seeded.
UMAP_ESTIMATORS = frozenset({"UMAP", "ParametricUMAP", "AlignedUMAP"})


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
    if root == "umap" and last in UMAP_ESTIMATORS and not _has_any_kw(call, ("random_state",)):
        return "umap", "random_state"
    if root == "optuna" and last in OPTUNA_SAMPLERS and not _has_any_kw(call, ("seed",)):
        return "optuna", "seed"
    if name == "optuna.create_study" and not _has_any_kw(call, ("sampler",)):
        return "optuna", "sampler=TPESampler(seed=...)"
    return None


def _unseeded_frame_sample(call: ast.Call) -> tuple[str, str] | None:
    """Return ("pandas", "random_state") for `df.sample(frac=...)` without a seed: `frac` is pandas' own
    keyword, and without `random_state` pandas draws from numpy's global RNG."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "sample" and keyword(call, "frac") is not None):
        return None
    return None if _has_any_kw(call, ("random_state",)) else ("pandas", "random_state")


def _file_seeds_numpy(project: Project, path: str) -> bool:
    facts = facts_of(project).files.get(path)
    if facts is None:
        return False
    if any("numpy" in call.sources for calls in facts.seeds.values() for call in calls):
        return True
    entries = [e for e in facts_of(project).entries if e.path == path]
    return any("numpy" in e.seeded for e in entries)


LOADERS = frozenset({"load_model", "load", "load_state_dict", "from_pretrained", "__setstate__"})
FITTERS = frozenset({"fit", "fit_transform", "fit_predict", "partial_fit"})


def _loaded_not_trained(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for `clf = CatBoostClassifier(); clf.load_model(path)`, `dt.__setstate__(state)` or
    `est.tree_ = tree` (a fitted attribute, named with sklearn's trailing underscore, set directly) when the
    function never fits it: the estimator is restored, not trained, and draws nothing."""
    assign = pf.parent(call)
    if isinstance(assign, ast.IfExp) and call is not assign.test:  # `DecisionTreeClassifier() if clf else ...()`
        assign = pf.parent(assign)
    if not isinstance(assign, ast.Assign) or not all(isinstance(t, ast.Name) for t in assign.targets):
        return False
    names = {t.id for t in assign.targets if isinstance(t, ast.Name)}
    scope = pf.enclosing_function(call)
    used = [
        node
        for node in pf.nodes(ast.Attribute)
        if isinstance(node.value, ast.Name) and node.value.id in names and pf.enclosing_function(node) is scope
    ]
    if any(node.attr in LOADERS and _called(pf, node) for node in used):
        return True
    restored = any(_fitted_attribute(node.attr) and isinstance(node.ctx, ast.Store) for node in used)
    return restored and not any(node.attr in FITTERS for node in used)


def _called(pf: PythonFile, method: ast.Attribute) -> bool:
    parent = pf.parent(method)
    return isinstance(parent, ast.Call) and parent.func is method


def _fitted_attribute(attr: str) -> bool:
    """Return True for a fitted attribute by scikit-learn's convention: `tree_`, `estimators_` (not `_cache`)."""
    return attr.endswith("_") and not attr.startswith("_")


INTROSPECTION = frozenset({"get_params", "_get_param_names", "get_param_names"})


def _only_introspected(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for `TSNE().get_params()`: an estimator built only to read its parameter names fits nothing."""
    attribute = pf.parent(call)
    return (
        isinstance(attribute, ast.Attribute)
        and attribute.attr in INTROSPECTION
        and isinstance(pf.parent(attribute), ast.Call)
    )


def _caller_default(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for an estimator built only when the caller passed none for a parameter
    (`sampler or TPESampler()`, `TPESampler() if sampler is None else sampler`,
    `if sampler is None: sampler = TPESampler()`), or as a parameter's default value (`def __init__(self,
    estimator=DecisionTreeClassifier(max_depth=1), random_state=None)`, the same fallback spelled in the
    signature): seeding it is the caller's choice."""
    parent = pf.parent(call)
    if isinstance(parent, ast.arguments):
        return True
    if isinstance(parent, ast.BoolOp) and isinstance(parent.op, ast.Or) and parent.values[-1] is call:
        names = {v.id for v in parent.values[:-1] if isinstance(v, ast.Name)}
    elif isinstance(parent, ast.IfExp) and call in (parent.body, parent.orelse):
        names = _none_tested(parent.test)
    elif isinstance(parent, ast.Assign) and len(parent.targets) == 1:
        names = _on_none_side(pf, parent) & {_slot(parent.targets[0])}
    else:
        return False
    func = pf.enclosing_function(call)
    if func is None or not names:
        return False
    return bool(names & {a.arg for a in [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]})


def _seedless_branch(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for a call on the branch taken when the caller passed no seed (`if random_state is None:
    df.sample(frac=f) else: df.sample(frac=f, random_state=random_state)`, or the same as `a if seed is None else b`):
    an unseeded run is what that caller asked for."""
    func = pf.enclosing_function(call)
    if func is None:
        return False
    seeds = SEED_ARGUMENTS & {a.arg for a in [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]}
    if not seeds:
        return False
    child: ast.AST = call
    for anc in pf.ancestors(call):
        if _seedless_choice(anc, child, seeds):
            return True
        if isinstance(anc, ast.stmt):
            return bool(_on_none_side(pf, anc) & seeds)
        child = anc
    return False


def _seedless_choice(node: ast.AST, child: ast.AST, seeds: frozenset[str]) -> bool:
    """Return True when `child` is the branch of `a if seed is None else b` taken for no seed."""
    return (
        isinstance(node, ast.IfExp)
        and child in (node.body, node.orelse)
        and bool(_none_tested(node.test) & seeds)
        and _when_none(node.test) == (child is node.body)
    )


def _slot(target: ast.expr) -> str:
    """Return the parameter an assignment fills: `model` for `model = ...` and for `self.model = ...`."""
    return target.id if isinstance(target, ast.Name) else target.attr if isinstance(target, ast.Attribute) else ""


def _on_none_side(pf: PythonFile, stmt: ast.stmt) -> set[str]:
    """Return the names whose None-ness guards a statement on their None side, up to its function:
    `if model is None:` (body) or `if model is not None: ... else:` (else branch), through `try` blocks."""
    names: set[str] = set()
    child: ast.AST = stmt
    for anc in pf.ancestors(stmt):
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            break
        if isinstance(anc, ast.If):
            names |= _none_tested(anc.test) if _when_none(anc.test) == (child in anc.body) else set()
        child = anc
    return names


def _when_none(test: ast.expr) -> bool:
    """Return True when a None test holds for None (`x is None`, `not x`), False for `x is not None`."""
    if isinstance(test, ast.UnaryOp):
        return True
    return isinstance(test, ast.Compare) and isinstance(test.ops[0], ast.Is)


def _none_tested(test: ast.expr) -> set[str]:
    """Return the names a condition compares with None (`x is None`, `x is not None`, `not x`)."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and isinstance(test.operand, ast.Name):
        return {test.operand.id}
    if not (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and len(test.comparators) == 1):
        return set()
    right = test.comparators[0]
    is_none = isinstance(right, ast.Constant) and right.value is None
    return {test.left.id} if is_none and isinstance(test.ops[0], (ast.Is, ast.IsNot)) else set()


SEED_ARGUMENTS = frozenset({"random_state", "seed", "random_seed", "rng"})


def _seeded_later(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for a template estimator seeded before it is used: handed to a call together with a random
    state (`_clone_estimator(RandomForestClassifier() if est is None else est, self.random_state)`), or bound to a
    name the same function later clones with one (or a `self.` attribute any method of the class clones with one),
    gives one through `set_params(random_state=...)` or assigns `.random_state` on."""
    node: ast.AST = call
    parent = pf.parent(node)
    while isinstance(parent, ast.IfExp | ast.BoolOp):
        node, parent = parent, pf.parent(parent)
    if isinstance(parent, ast.Call) and node is not parent.func:
        return _passes_seed(parent, skip=node)
    if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1):
        return False
    slot = ast.unparse(parent.targets[0])
    scope, after = _slot_scope(pf, call, parent)
    for later in ast.walk(scope):
        if getattr(later, "lineno", 0) <= after:
            continue
        if isinstance(later, ast.Call) and _seeds_slot(later, slot):
            return True
        if isinstance(later, ast.Assign) and any(
            isinstance(t, ast.Attribute) and t.attr == "random_state" and ast.unparse(t.value) == slot
            for t in later.targets
        ):
            return True
    return False


def _slot_scope(pf: PythonFile, call: ast.Call, assign: ast.Assign) -> tuple[ast.AST, int]:
    """Return where a bound template can be seeded and the line after which to look: a `self.` attribute in any
    method of its class, a name later in its own function (or module)."""
    func = pf.enclosing_function(call)
    owner = pf.parent(func) if func is not None else None
    target = assign.targets[0]
    own_attribute = isinstance(target, ast.Attribute) and ast.unparse(target.value) == "self"
    if own_attribute and isinstance(owner, ast.ClassDef):
        return owner, 0
    return (func or pf.tree), assign.lineno


def _seeds_slot(call: ast.Call, slot: str) -> bool:
    """Return True for `helper(slot, rng)` / `helper(slot, random_state=rng)` or `slot.set_params(random_state=...)`."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "set_params" and ast.unparse(func.value) == slot:
        return any(kw.arg in SEED_ARGUMENTS for kw in call.keywords)
    handed = [a for a in [*call.args, *(kw.value for kw in call.keywords)] if ast.unparse(a) == slot]
    return bool(handed) and _passes_seed(call, skip=handed[0])


def _passes_seed(call: ast.Call, skip: ast.AST) -> bool:
    """Return True when a call gets a random state besides `skip`: a `random_state=`/`seed=` keyword, or a positional
    argument named like one (`rng`, `self.random_state`)."""
    if any(kw.arg in SEED_ARGUMENTS and kw.value is not skip for kw in call.keywords):
        return True
    return any(arg is not skip and _last_name(arg).lstrip("_") in SEED_ARGUMENTS for arg in call.args)


UNSEEDED_FACT = "reproducibility.unseeded_estimators"  # a per-file fact (mlaudit.filefacts)


def unseeded_calls(pf: PythonFile) -> tuple[tuple[int, str, str, str, bool], ...]:
    """Return (line, library, missing argument, callee as written, listed as a candidate) of each unseeded
    estimator built (a per-file fact)."""
    found: list[tuple[int, str, str, str, bool]] = []
    for call in pf.nodes(ast.Call):
        name = pf.call_name(call)
        unseeded = (unseeded_estimator(name, call) if name else None) or _unseeded_frame_sample(call)
        if unseeded is None or _only_introspected(pf, call) or in_test_parameters(pf, call):
            continue
        if not (
            _loaded_not_trained(pf, call)
            or _caller_default(pf, call)
            or _seeded_later(pf, call)
            or _seedless_branch(pf, call)
        ):
            found.append((call.lineno, *unseeded, ast.unparse(call.func), listed_candidate(pf, call)))
    return tuple(found)


SEEDS_CANDIDATES_FACT = "reproducibility.seeds_candidates"  # a per-file fact (mlaudit.filefacts)


def seeds_each_candidate(pf: PythonFile) -> bool:
    """Return True when the file seeds each estimator of a collection it loops over: `for est in estimators:
    set_random_state(est, self.random_state)` or `est.set_params(random_state=seed)` (a per-file fact)."""
    for call in pf.nodes(ast.Call):
        func = call.func
        target: ast.expr | None
        if isinstance(func, ast.Attribute) and func.attr == "set_params":
            target, seeded = func.value, any(kw.arg in SEED_ARGUMENTS for kw in call.keywords)
        elif _last_name(func) == "set_random_state" and len(call.args) + len(call.keywords) >= 2:
            target, seeded = (call.args[0] if call.args else None), True
        else:
            continue
        if seeded and isinstance(target, ast.Name) and _loop_target(pf, call, target.id):
            return True
    return False


def _loop_target(pf: PythonFile, node: ast.AST, name: str) -> bool:
    """Return True when `name` is the target of a `for` loop around the node."""
    return any(
        isinstance(anc, ast.For) and isinstance(anc.target, ast.Name) and anc.target.id == name
        for anc in pf.ancestors(node)
    )


@register
class EstimatorWithoutRandomState(Rule):
    """Flags randomised estimators, splitters and samplers created without a seed.

    ## What it does
    Finds sklearn splitters and estimators that shuffle or sample (`train_test_split`,
    `KFold(shuffle=True)`, `RandomForestClassifier`, `KMeans`, `TSNE`, `GaussianMixture`,
    `LatentDirichletAllocation`, `PCA(svd_solver="randomized")`, ...), umap-learn's `UMAP`,
    xgboost/lightgbm estimators, optuna samplers and pandas shuffles (`df.sample(frac=1)`) created
    without `random_state`/`seed`. An estimator built only as the fallback for a parameter the caller
    left empty (`sampler or TPESampler()`, `if model is None: model = KMeans(4)`, a parameter's default value:
    `def __init__(self, estimator=DecisionTreeClassifier(max_depth=1))`, or
    `if umap_model is not None: ... else: self.umap_model = UMAP()`) is the caller's to seed, so is a call on
    the branch taken when the caller passed no seed (`if random_state is None: df.sample(frac=f)`), and one
    built only to read its parameter names (`TSNE().get_params()`) fits nothing, nor does one restored instead of
    trained and never fit (`clf.load_model(path)`, `dt.__setstate__(state)`, or its fitted attributes set
    directly: `est.tree_ = tree`). A template estimator
    seeded before use (handed to a clone helper with a random state, `_clone_estimator(RandomForestClassifier(),
    self.random_state)`, or given one by `set_params(random_state=...)`) is seeded, and estimators built in a
    function handing parameters to the test suite (`get_test_params`) are test fixtures. Estimators a function
    returns as a list of candidates (`return [Tree(max_depth=1), Forest()]`, an AutoML portfolio) are templates
    too when the project seeds each candidate it loops over (`for est in candidates: set_random_state(est,
    self.random_state)`, `est.set_params(random_state=seed)`).

    ## Why is this bad?
    Without `random_state` sklearn and pandas fall back to numpy's global RNG: the split and the model change
    from run to run, or depend on how many random calls happened before; UMAP without it also optimises in
    parallel, so its embedding differs between runs even where numpy is seeded. Boosters use a fixed
    default seed, so they are reported as info only, and so are examples, tutorials and docs: their
    run is the reader's, not one the project has to reproduce.

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
        code = [pf for pf in project.python.values() if is_code(pf)]
        seeded = any(pf.file_fact(SEEDS_CANDIDATES_FACT, seeds_each_candidate) for pf in code)
        for pf in code:
            yield from self._check_file(project, pf, seeded)

    def _check_file(self, project: Project, pf: PythonFile, candidates_seeded: bool) -> Iterator[Output]:
        numpy_seeded: bool | None = None
        teaching = is_example(pf.path)  # an example's run is the reader's, not the project's
        for line, library, missing, label, candidate in pf.file_fact(UNSEEDED_FACT, unseeded_calls):
            if candidate and candidates_seeded:
                continue  # a portfolio's template, seeded by the loop that fits each candidate
            severity = Severity.INFO if teaching or library in ("xgboost", "lightgbm", "catboost") else None
            if severity is None and library in ("sklearn", "pandas"):
                numpy_seeded = _file_seeds_numpy(project, pf.path) if numpy_seeded is None else numpy_seeded
                severity = Severity.INFO if numpy_seeded else None
            where = f"{pf.path} (an example: seed it to teach the habit)" if teaching else pf.path
            yield Hit(pf.path, line, f"{label}() without {missing} in {where}", severity=severity)
