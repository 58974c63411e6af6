"""Provides helpers shared by several rules of the `interfaces` practice (or by other modules)."""

from __future__ import annotations

import ast
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from mlaudit.model import FileKind
from mlaudit.project import FunctionNode, Project, PythonFile, is_self, is_self_attribute, module_name

CODE_KINDS = (FileKind.LIBRARY, FileKind.SCRIPT)


ROLES = [
    "Reranker",
    "Retriever",
    "Generator",
    "Model",
    "Encoder",
    "Embedder",
    "Dataset",
    "Pipeline",
    "Ranker",
    "Predictor",
    "Classifier",
    "Regressor",
    "Trainer",
    "Loader",
    "Recommender",
    "Tokenizer",
    "Vectorizer",
    "Featurizer",
    "Scorer",
    "Evaluator",
    "Chunker",
    "Splitter",
    "Detector",
    "Extractor",
    "Backend",
    "Store",
    "Index",
    "Sampler",
    "Augmenter",
    "Client",
    "Strategy",
]


ROLE_PATTERN = re.compile(rf"({'|'.join(ROLES)})$")


INTERFACE_BASES = frozenset({"ABC", "Protocol", "ABCMeta"})


NEUTRAL_BASES = frozenset({"object", "Generic"})


ML_VERBS = frozenset(
    [
        "fit",
        "predict",
        "predict_proba",
        "transform",
        "encode",
        "embed",
        "retrieve",
        "generate",
        "rank",
        "rerank",
        "recommend",
        "score",
        "train",
        "search",
        "load_data",
        "tokenize",
    ]
)


# scikit-learn's estimator API: classes that share only these methods, `fit` among them, follow a documented
# duck-typed interface (the one `Pipeline`, `GridSearchCV` and `check_estimator` rely on).
SKLEARN_API = frozenset(
    {"fit", "partial_fit", "predict", "predict_proba", "predict_log_proba", "decision_function", "transform"}
    | {"fit_transform", "fit_predict", "inverse_transform", "score", "score_samples", "get_params", "set_params"}
    | {"get_feature_names_out"}
)


@dataclass(frozen=True)
class ClassInfo:
    """A repo class: where it is, its base names, public methods and whether it is an interface."""

    name: str
    path: str
    line: int
    bases: tuple[str, ...]
    methods: frozenset[str]
    untyped: tuple[tuple[str, int], ...]
    is_interface: bool
    base_packages: tuple[str, ...] = ()  # the top-level package each base is imported from ("" for a local name)
    # public methods that hand the work to the same-named method of another object (`track.predict(kf)`)
    delegates: frozenset[str] = frozenset()
    stubs: frozenset[str] = frozenset()  # public methods that only raise NotImplementedError (for a subclass to fill)
    # classes it builds into its own attributes and hands a same-named method's work to (`self.basic.tokenize(text)`)
    parts: frozenset[str] = frozenset()


def _base_name(expr: ast.expr) -> str:
    if isinstance(expr, ast.Subscript):
        expr = expr.value
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return expr.id if isinstance(expr, ast.Name) else ""


def fully_typed(func: FunctionNode) -> bool:
    """Return True when every parameter except self/cls and the return are annotated."""
    args = [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]
    params = [a for a in args if a.arg not in ("self", "cls")]
    return func.returns is not None and all(a.annotation is not None for a in params)


def _is_public(name: str) -> bool:
    return not name.startswith("_") or name == "__call__"


def _stub_base(funcs: list[FunctionNode]) -> bool:
    """Return True when every public method raises NotImplementedError: a base class written as an interface."""
    return bool(funcs) and all(_raises_not_implemented(f) for f in funcs)


def _raises_not_implemented(func: FunctionNode) -> bool:
    body = [s for s in func.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if len(body) != 1 or not isinstance(body[0], ast.Raise) or body[0].exc is None:
        return False
    exc = body[0].exc.func if isinstance(body[0].exc, ast.Call) else body[0].exc
    return _base_name(exc) == "NotImplementedError"


def class_info(pf: PythonFile, node: ast.ClassDef) -> ClassInfo:
    """Summarise one class definition."""
    funcs = [s for s in node.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef) and _is_public(s.name)]
    bases = tuple(_base_name(b) for b in node.bases)
    keywords = {_base_name(k.value) for k in node.keywords if k.arg == "metaclass"}
    abstract = any(_base_name(d) == "abstractmethod" for f in funcs for d in f.decorator_list)
    is_interface = bool(INTERFACE_BASES & {*bases, *keywords}) or abstract or _stub_base(funcs)
    untyped = tuple((f.name, f.lineno) for f in funcs if not fully_typed(f))
    packages = tuple(_base_package(pf, b) for b in node.bases)
    methods = frozenset(f.name for f in funcs)
    built = _built_attributes(pf, node)
    adapted = _external_attributes(pf, built)
    delegates = frozenset(f.name for f in funcs if _delegates(pf, f, adapted))
    stubs = frozenset(f.name for f in funcs if _raises_not_implemented(f))
    every_method = [s for s in node.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)]
    parts = _delegated_parts(pf, built, every_method)
    return ClassInfo(
        node.name, pf.path, node.lineno, bases, methods, untyped, is_interface, packages, delegates, stubs, parts
    )


def _built_attributes(pf: PythonFile, node: ast.ClassDef) -> dict[str, list[ast.Call]]:
    """Return the calls whose results the class binds to each instance attribute (`self.model = XGBClassifier()`),
    in source order."""
    built: dict[str, list[ast.Call]] = defaultdict(list)
    for stmt in pf.within(node, ast.Assign):
        if isinstance(stmt.value, ast.Call):
            for target in stmt.targets:
                if is_self_attribute(target):
                    built[target.attr].append(stmt.value)
    return built


def _delegated_parts(pf: PythonFile, built: dict[str, list[ast.Call]], funcs: list[FunctionNode]) -> frozenset[str]:
    """Return the classes the class builds into its own attributes (`self.basic = BasicTokenizer()`) and whose
    same-named method one of its methods calls (`self.basic.tokenize(text)` in `tokenize`, or in the private
    `_tokenize` a framework base's public `tokenize` runs)."""
    classes = {
        attr: names[-1] for attr, calls in built.items() if (names := [n for c in calls if (n := _base_name(c.func))])
    }
    found: set[str] = set()
    for func in funcs:
        public = func.name.lstrip("_")
        for call in pf.within(func, ast.Call):
            if isinstance(call.func, ast.Attribute) and call.func.attr == public:
                owner = call.func.value
                if is_self_attribute(owner) and owner.attr in classes:
                    found.add(classes[owner.attr])
        found |= _chained_parts(pf, func, classes)
    return frozenset(found)


def _chained_parts(pf: PythonFile, func: FunctionNode, classes: dict[str, str]) -> set[str]:
    """Return the built parts whose same-named method the function runs on what another part's returned (a loop
    over `self.basic.tokenize(text)` running `self.wordpiece.tokenize(token)` on each, or
    `self.b.tokenize(self.a.tokenize(text))`), whatever the function's own name: stages run in turn. Two parts
    given the same input side by side (`self.a.predict(x) + self.b.predict(x)`) are an ensemble, not stages."""
    calls = list(_part_calls(pf, func, classes))
    owners: dict[str, set[str]] = defaultdict(set)
    for _, owner, method in calls:
        owners[method].add(owner)
    found: set[str] = set()
    for first, owner, method in calls:
        if len(owners[method]) < PIPELINE_STAGES:
            continue  # one part's method only: no second stage to feed (most classes; no walk needed)
        for _, other, called in _fed_calls(pf, func, first, classes):
            if called == method and other != owner:
                found |= {classes[owner], classes[other]}
    return found


def _part_calls(
    pf: PythonFile, node: ast.stmt | ast.expr, classes: dict[str, str]
) -> Iterator[tuple[ast.Call, str, str]]:
    """Yield (call, attribute, method) for each call of a method of a part the class built (`self.basic.tokenize(...)`)."""
    for call in pf.within(node, ast.Call):
        if isinstance(call.func, ast.Attribute):
            owner = call.func.value
            if is_self_attribute(owner) and owner.attr in classes:
                yield call, owner.attr, call.func.attr


def _fed_calls(
    pf: PythonFile, func: FunctionNode, first: ast.Call, classes: dict[str, str]
) -> Iterator[tuple[ast.Call, str, str]]:
    """Yield the part calls that run on a call's result: those in the body of a loop over it, and a part call it
    is an argument of (not its sibling arguments, which get the same input)."""
    for loop in pf.within(func, ast.For):
        if _inside(pf, first, loop.iter):
            for stmt in loop.body:
                yield from _part_calls(pf, stmt, classes)
    for call in pf.within(func, ast.Call):
        if any(_inside(pf, first, arg) for arg in call.args):
            yield from (found for found in _part_calls(pf, call, classes) if found[0] is call)


def _inside(pf: PythonFile, call: ast.Call, node: ast.expr) -> bool:
    """Return True when the call is the node or sits inside it."""
    return any(inner is call for inner in pf.within(node, ast.Call))


def _delegates(pf: PythonFile, func: FunctionNode, adapted: frozenset[str]) -> bool:
    """Return True when the method calls the same-named method of another object: a held component
    (`self.kf.predict(...)`) or one it is handed (`track.update(kf, detection)`), not itself or its parent.
    A call on an attribute holding another library's object (`self.model = xgb.XGBClassifier()`) adapts that
    library to the class's interface: the class is an implementation, not a layer over one of the project's."""
    for node in pf.within(func, ast.Call):
        if not (isinstance(node.func, ast.Attribute) and node.func.attr == func.name):
            continue
        owner = node.func.value
        if is_self(owner) or (isinstance(owner, ast.Call) and _base_name(owner.func) == "super"):
            continue
        if not (is_self_attribute(owner) and owner.attr in adapted):
            return True
    return False


def _external_attributes(pf: PythonFile, built: dict[str, list[ast.Call]]) -> frozenset[str]:
    """Return the instance attributes the class binds to an object built by another package's callable
    (`self.model = xgb.XGBClassifier(**params)`), not the module's own or its package's."""
    own = module_name(pf.path).split(".", 1)[0]
    return frozenset(
        attr
        for attr, calls in built.items()
        if any((package := _base_package(pf, call.func)) and package != own for call in calls)
    )


def _base_package(pf: PythonFile, expr: ast.expr) -> str:
    """Return the top-level package a base class is imported from (`torch` for `nn.Module`), "" for a local name."""
    qualified = pf.qualname(expr.value if isinstance(expr, ast.Subscript) else expr) or ""
    return qualified.split(".", 1)[0] if "." in qualified else ""


CLASSES_FACT = "interfaces.classes"  # a per-file fact (mlaudit.filefacts)


def file_classes(pf: PythonFile) -> tuple[ClassInfo, ...]:
    """Return the top-level classes of one file, in source order."""
    return tuple(class_info(pf, stmt) for stmt in pf.tree.body if isinstance(stmt, ast.ClassDef))


def repo_classes(project: Project) -> dict[str, list[ClassInfo]]:
    """Return the top-level classes of library and script code, by name."""
    classes: dict[str, list[ClassInfo]] = defaultdict(list)
    for pf in project.python.values():
        if pf.kind in CODE_KINDS:
            for info in pf.file_fact(CLASSES_FACT, file_classes):
                classes[info.name].append(info)
    return dict(classes)


def classes_of(project: Project) -> dict[str, list[ClassInfo]]:
    """Return the shared class index."""
    found: dict[str, list[ClassInfo]] = project.fact("interfaces.classes", repo_classes)
    return found


def ancestors(info: ClassInfo, classes: dict[str, list[ClassInfo]]) -> set[str]:
    """Return the names of the class's repo-defined ancestors."""
    seen: set[str] = set()
    stack = [b for b in info.bases if b in classes]
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(b for parent in classes[name] for b in parent.bases if b in classes)
    return seen


def is_implementation(info: ClassInfo, classes: dict[str, list[ClassInfo]]) -> bool:
    """Return True for a concrete class whose bases, and its repo ancestors' bases, are all repo classes: one
    that reaches nn.Module or PreTrainedModel through a repo base (`KimiModel(KimiPreTrainedModel)`) follows that
    framework's interface as a direct subclass does."""
    if info.is_interface or info.name.startswith("_"):
        return False
    if not all(b in classes or b in NEUTRAL_BASES for b in info.bases):
        return False
    return all(
        b in classes or b in NEUTRAL_BASES
        for name in ancestors(info, classes)
        for parent in classes[name]
        for b in parent.bases
    )


def component_groups(classes: dict[str, list[ClassInfo]]) -> dict[str, list[ClassInfo]]:
    """Group concrete repo classes by role suffix (those that could stand in for one another:
    `role_alternatives`), then the rest by a shared ML method set."""
    groups: dict[str, list[ClassInfo]] = defaultdict(list)
    for infos in classes.values():
        for info in infos:
            if not is_implementation(info, classes):
                continue
            match = ROLE_PATTERN.search(info.name)
            if match and match.group(1) != info.name:
                groups[match.group(1)].append(info)
            elif len(info.methods) >= 2 and (verbs := (info.methods - info.delegates - info.stubs) & ML_VERBS):
                # a method handing the work to another object's (a tracker updating its tracks) is a layer over
                # that object, not an alternative to it, and a stub left for a subclass does no work at all:
                # neither groups the class by its verb
                groups["/".join(sorted(verbs))].append(info)
    builders = [info for infos in classes.values() for info in infos if len(info.parts) >= PIPELINE_STAGES]
    staged = {role: _without_pipelines(found, builders) for role, found in groups.items()}
    alike = {role: role_alternatives(found) if role in ROLES else found for role, found in staged.items()}
    return {
        role: found
        for role, found in alike.items()
        if len({(c.name, c.methods) for c in found}) >= 2 and (role in ROLES or _share_more_than_the_verb(found))
    }


def _share_more_than_the_verb(found: list[ClassInfo]) -> bool:
    """Return True when classes grouped by their ML verb alone (no role name in common) share a second public
    method: two unrelated classes that each have a `predict` (a regression helper and a forecaster) are no
    evidence of one component with two implementations; a shared `predict` and `restore` is."""
    return len(set.intersection(*(set(c.methods) for c in found))) >= 2


PIPELINE_STAGES = 2  # members of its own role a class builds and calls in turn that make it a pipeline


def _without_pipelines(group: list[ClassInfo], builders: list[ClassInfo]) -> list[ClassInfo]:
    """Drop the members a repo class builds two or more of and hands its work to in turn (BERT's `FullTokenizer`
    running `BasicTokenizer`, then `WordpieceTokenizer`), and that class when it is a member: they are steps of
    one pipeline, not alternatives a caller chooses between. A wrapper around one member stays: it replaces it."""
    names = {info.name for info in group}
    pipelines = [info for info in builders if len((info.parts - {info.name}) & names) >= PIPELINE_STAGES]
    dropped = {info.name for info in pipelines} | {part for info in pipelines for part in info.parts}
    return [info for info in group if info.name not in dropped]


def role_alternatives(members: list[ClassInfo]) -> list[ClassInfo]:
    """Return the classes of one role name that could stand in for one another: a class with public methods of
    which no other member has any (`WhisperModel.transcribe` beside `VadModel.__call__`) does another job under
    the same suffix, not an alternative missing a base. Classes without public methods are kept."""
    return [
        info
        for info in members
        if not info.methods or any(info.methods & other.methods for other in members if other is not info)
    ]


def protocols(classes: dict[str, list[ClassInfo]]) -> list[ClassInfo]:
    """Return the repo's Protocol/ABC classes."""
    return [info for infos in classes.values() for info in infos if info.is_interface]


FAMILY_SIZE = 2  # repo classes deriving from a member that make it the base of a family


def without_interface(group: list[ClassInfo], classes: dict[str, list[ClassInfo]]) -> list[ClassInfo]:
    """Return the members that share no repo base with another member and implement no repo Protocol. A member
    that several repo classes derive from is the base of its own family (`InputCodec` beside `RequestCodec`, each
    with its codecs): a contract in practice, not a loose implementation."""
    bases = {id(info): ancestors(info, classes) for info in group}
    holders: Counter[str] = Counter(name for found in bases.values() for name in found)
    interfaces = [p.methods for p in protocols(classes) if p.methods]
    children = Counter(base for infos in classes.values() for c in infos for base in set(c.bases))
    loose: list[ClassInfo] = []
    names = {info.name for info in group}
    for info in group:
        if children[info.name] >= FAMILY_SIZE:
            continue
        # Another member shares a base when that base is held by two members (linear, not pairwise); a member
        # deriving from another (`ParallelModel(MLModel)`) keeps that member's interface: only the base is judged.
        shared = any(holders[name] >= 2 or name in names for name in bases[id(info)])
        if not shared and not any(methods <= info.methods for methods in interfaces):
            loose.append(info)
    distinct = _one_per_copy(loose)
    methods = set.intersection(*(set(c.methods) for c in distinct)) if len(distinct) >= 2 else set()
    return distinct if methods and not _sklearn_convention(methods) else []


def _one_per_copy(members: list[ClassInfo]) -> list[ClassInfo]:
    """Return one member per class copied between files: classes of one name and methods (the last copy stands for
    them), and of one name whose public methods nest, one's within the other's (the `Trainer` a variant module
    copied before `device` was added: the fuller copy stands for both), are one class, not implementations to put
    behind an interface; same-named classes that grew apart both stay."""
    copies = list({(c.name, c.methods): c for c in members}.values())
    return [
        info for info in copies if not any(other.name == info.name and info.methods < other.methods for other in copies)
    ]


def _sklearn_convention(shared: set[str]) -> bool:
    """Return True when the shared methods are scikit-learn's estimator API (`fit` and `predict`/`transform`...):
    the classes follow sklearn's documented interface, which is the contract callers already rely on."""
    return "fit" in shared and shared <= SKLEARN_API
