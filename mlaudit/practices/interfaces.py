"""Provides the rules of the `interfaces` practice: swappable components behind a Protocol or ABC."""

from __future__ import annotations

import ast
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from mlaudit.model import FileKind, Severity
from mlaudit.practices.functions import import_time_work, module_level_statements
from mlaudit.project import FunctionNode, Project, PythonFile
from mlaudit.registry import Hit, Output, Rule, applicability, register

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
    return ClassInfo(node.name, pf.path, node.lineno, bases, frozenset(f.name for f in funcs), untyped, is_interface)


def repo_classes(project: Project) -> dict[str, list[ClassInfo]]:
    """Return the top-level classes of library and script code, by name."""
    classes: dict[str, list[ClassInfo]] = defaultdict(list)
    for pf in project.python.values():
        if pf.kind in CODE_KINDS:
            for stmt in pf.tree.body:
                if isinstance(stmt, ast.ClassDef):
                    classes[stmt.name].append(class_info(pf, stmt))
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
    """Return True for a concrete class whose bases are all repo classes (not nn.Module, BaseEstimator...)."""
    if info.is_interface or info.name.startswith("_"):
        return False
    return all(b in classes or b in NEUTRAL_BASES for b in info.bases)


def component_groups(classes: dict[str, list[ClassInfo]]) -> dict[str, list[ClassInfo]]:
    """Group concrete repo classes by role suffix, then the rest by a shared ML method set."""
    groups: dict[str, list[ClassInfo]] = defaultdict(list)
    for infos in classes.values():
        for info in infos:
            if not is_implementation(info, classes):
                continue
            match = ROLE_PATTERN.search(info.name)
            if match and match.group(1) != info.name:
                groups[match.group(1)].append(info)
            elif len(info.methods) >= 2 and info.methods & ML_VERBS:
                groups["/".join(sorted(info.methods & ML_VERBS))].append(info)
    return {role: found for role, found in groups.items() if len({(c.name, c.methods) for c in found}) >= 2}


def protocols(classes: dict[str, list[ClassInfo]]) -> list[ClassInfo]:
    """Return the repo's Protocol/ABC classes."""
    return [info for infos in classes.values() for info in infos if info.is_interface]


def without_interface(group: list[ClassInfo], classes: dict[str, list[ClassInfo]]) -> list[ClassInfo]:
    """Return the members that share no repo base with another member and implement no repo Protocol."""
    bases = {id(info): ancestors(info, classes) for info in group}
    holders: Counter[str] = Counter(name for found in bases.values() for name in found)
    interfaces = [p.methods for p in protocols(classes) if p.methods]
    loose: list[ClassInfo] = []
    for info in group:
        # Another member shares a base when that base is held by two members (linear, not pairwise).
        shared = any(holders[name] >= 2 for name in bases[id(info)])
        if not shared and not any(methods <= info.methods for methods in interfaces):
            loose.append(info)
    distinct = list({(c.name, c.methods): c for c in loose}.values())
    return distinct if len(distinct) >= 2 and set.intersection(*(set(c.methods) for c in distinct)) else []


@applicability("interfaces")
def interfaces_applicable(project: Project) -> str | None:
    """Return why the practice is n/a: little library code and no component classes."""
    if project.library_code_lines >= project.options.threshold("api_min_lines", 300):
        return None
    classes = classes_of(project)
    if any(ROLE_PATTERN.search(name) or any(i.is_interface for i in infos) for name, infos in classes.items()):
        return None
    return f"only {project.library_code_lines} lines of library code and no component classes to abstract"


@register
class MissingSharedInterface(Rule):
    """Flags interchangeable components with no shared Protocol or ABC.

    ## What it does
    Groups the repo's own classes by role (`...Retriever`, `...Model`, `...Classifier`, ...)
    or by shared ML methods (`fit`/`predict`...). Two or more implementations without a common base
    class defined in the repo, or a `Protocol` whose methods they all implement, are a finding.
    Subclasses of external bases (`nn.Module`, `BaseEstimator`, torch `Dataset`) are left alone;
    an in-repo base class whose methods raise `NotImplementedError` is an interface, and copies
    of one class (same name and methods, e.g. in course snapshots) count once.

    ## Why is this bad?
    Without a written-down interface, callers grow `isinstance` checks and `if model_type == ...`
    branches, a new implementation silently misses a method, and nothing can be type-checked.

    ## Example
    ```python
    class BM25Retriever:
        def retrieve(self, query, k): ...

    class DenseRetriever:
        def retrieve(self, query, k): ...
    ```

    ## Use instead
    ```python
    class Retriever(Protocol):
        def retrieve(self, query: str, k: int) -> list[Document]: ...
    ```
    """

    code = "API001"
    title = "Swappable components without a shared interface"
    practice = "interfaces"
    severity = Severity.WARNING
    fix = "Define a typing.Protocol (or abc.ABC) with the shared typed methods and have every implementation follow it."

    def check(self, project: Project) -> Iterator[Output]:
        classes = classes_of(project)
        for role, members in sorted(component_groups(classes).items()):
            group = without_interface(members, classes)
            if not group:
                continue
            group.sort(key=lambda c: (c.path, c.line))
            names = ", ".join(f"{c.name} ({c.path})" for c in group[:4])
            shared = sorted(set.intersection(*(set(c.methods) for c in group)))
            methods = f"; shared methods: {', '.join(shared[:5])}" if shared else ""
            protocol = role if "/" not in role else "Component"
            what = f"{role} implementations" if "/" not in role else f"classes implementing {role}"
            yield Hit(
                group[0].path,
                group[0].line,
                f"{len(group)} {what} with no shared Protocol/ABC: {names}{methods}",
                fix=f"Add class {protocol}(Protocol) declaring {', '.join(shared[:3]) or 'the shared methods'}"
                " with type hints, and type callers against it.",
            )


@register
class UntypedInterfaceMethod(Rule):
    """Notes public methods of a Protocol or ABC that are not fully annotated.

    ## What it does
    Checks every public method of the repo's `Protocol` and `ABC` classes for parameter and
    return annotations.

    ## Why is this bad?
    An interface is a contract; without types the checker cannot verify implementations or callers,
    and readers must guess what `retrieve(query, k)` returns.

    ## Example
    ```python
    class Retriever(ABC):
        @abstractmethod
        def retrieve(self, query, k): ...
    ```

    ## Use instead
    ```python
    class Retriever(ABC):
        @abstractmethod
        def retrieve(self, query: str, k: int) -> list[Document]: ...
    ```
    """

    code = "API005"
    title = "Interface method without type hints"
    practice = "interfaces"
    severity = Severity.INFO
    fix = "Annotate every parameter and the return type of the interface's public methods."

    def check(self, project: Project) -> Iterator[Output]:
        for info in sorted(protocols(classes_of(project)), key=lambda c: (c.path, c.line)):
            for method, line in info.untyped:
                yield Hit(info.path, line, f"{info.name}.{method}() in interface {info.name} is not fully typed")


@dataclass(frozen=True)
class Dispatch:
    """A chain of string comparisons on one subject that builds different components."""

    subject: str
    values: tuple[str, ...]
    line: int


def _string_test(test: ast.expr) -> tuple[str, str] | None:
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return None
    left, right = test.left, test.comparators[0]
    if isinstance(left, ast.Constant):
        left, right = right, left
    if isinstance(right, ast.Constant) and isinstance(right.value, str) and isinstance(left, ast.Name | ast.Attribute):
        return ast.unparse(left), right.value
    return None


def _builds_component(body: list[ast.stmt]) -> bool:
    for stmt in body:
        value = stmt.value if isinstance(stmt, ast.Return | ast.Assign) else None
        if isinstance(value, ast.Call) and _base_name(value.func)[:1].isupper():
            return True
    return False


def if_dispatch(pf: PythonFile, node: ast.If) -> Dispatch | None:
    """Return the dispatch an if/elif chain starting at `node` performs, if it is one."""
    head = _string_test(node.test)
    parent = pf.parent(node)
    if head is None or (isinstance(parent, ast.If) and parent.orelse == [node] and _string_test(parent.test)):
        return None
    values, builders, current = [], 0, node
    while True:
        test = _string_test(current.test)
        if test is None or test[0] != head[0]:
            break
        values.append(test[1])
        builders += _builds_component(current.body)
        if len(current.orelse) != 1 or not isinstance(current.orelse[0], ast.If):
            break
        current = current.orelse[0]
    if len(values) >= 3 and builders >= 2:
        return Dispatch(head[0], tuple(values), node.lineno)
    return None


def _assigns_from_call(body: list[ast.stmt]) -> bool:
    return any(isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) for stmt in body)


def flag_dispatch(pf: PythonFile, node: ast.If) -> Dispatch | None:
    """Return the dispatch of an `if pt: ... elif onnx: ... elif engine: ...` chain over boolean flags."""
    parent = pf.parent(node)
    if not isinstance(node.test, ast.Name):
        return None
    if isinstance(parent, ast.If) and parent.orelse == [node] and isinstance(parent.test, ast.Name):
        return None
    flags: list[str] = []
    builders, current = 0, node
    while isinstance(current.test, ast.Name) and current.test.id not in flags:
        flags.append(current.test.id)
        builders += _assigns_from_call(current.body)
        if len(current.orelse) != 1 or not isinstance(current.orelse[0], ast.If):
            break
        current = current.orelse[0]
    if len(flags) >= FLAG_CHAIN and builders >= FLAG_CHAIN - 1:
        return Dispatch(", ".join(flags[:4]) + (", ..." if len(flags) > 4 else ""), tuple(flags), node.lineno)
    return None


FLAG_CHAIN = 4


def match_dispatch(node: ast.Match) -> Dispatch | None:
    """Return the dispatch a `match` on strings performs, if it builds components."""
    values = [
        c.pattern.value.value
        for c in node.cases
        if isinstance(c.pattern, ast.MatchValue)
        and isinstance(c.pattern.value, ast.Constant)
        and isinstance(c.pattern.value.value, str)
    ]
    builders = sum(_builds_component(c.body) for c in node.cases)
    if len(values) >= 3 and builders >= 2:
        return Dispatch(ast.unparse(node.subject), tuple(values), node.lineno)
    return None


@register
class StringDispatch(Rule):
    """Flags if/elif chains (or `match`) on string names that build different components.

    ## What it does
    Finds three or more branches comparing the same name to string constants
    (`if model_type == "rf": ... elif model_type == "xgb": ...`) where the branches construct
    different classes, and chains of four or more branches over boolean flags
    (`if pt: ... elif onnx: ... elif engine: ...`) whose branches each load or build something.

    ## Why is this bad?
    Every new component means editing the chain (often copied in several places); a typo in the
    name fails late; and the branches hide that the components share an interface.

    ## Example
    ```python
    if name == "rf":
        model = RandomForestClassifier()
    elif name == "xgb":
        model = XGBClassifier()
    elif name == "mlp":
        model = MLP()
    ```

    ## Use instead
    ```python
    BUILDERS: dict[str, Callable[[ModelConfig], Classifier]] = {"rf": build_rf, "xgb": build_xgb, "mlp": build_mlp}
    model = BUILDERS[cfg.kind](cfg)
    ```
    """

    code = "API002"
    title = "String dispatch instead of a registry"
    practice = "interfaces"
    severity = Severity.WARNING
    fix = "Map names to builders in a dict registry typed against a shared Protocol, and look the name up once."

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python.values():
            if pf.kind not in CODE_KINDS:
                continue
            found = [if_dispatch(pf, n) for n in pf.nodes(ast.If)] + [match_dispatch(m) for m in pf.nodes(ast.Match)]
            for dispatch in found:
                if dispatch is not None:
                    values = ", ".join(repr(v) for v in dispatch.values[:4])
                    yield Hit(
                        pf.path,
                        dispatch.line,
                        f"{dispatch.subject} compared to {len(dispatch.values)} strings ({values}) to pick a component",
                    )
            for flags in (flag_dispatch(pf, n) for n in pf.nodes(ast.If)):
                if flags is not None:
                    yield Hit(
                        pf.path,
                        flags.line,
                        f"if/elif chain over {len(flags.values)} flags ({flags.subject}) picks a backend",
                    )


UNTYPED_DICT_HINTS = frozenset({"dict", "Dict", "Mapping", "MutableMapping", "Any"})


TABLE_LIKE = frozenset(
    [
        "state_dict",
        "checkpoint",
        "ckpt",
        "param_group",
        "group",
        "df",
        "data",
        "frame",
        "dataframe",
        "row",
        "rows",
        "batch",
        "sample",
        "samples",
        "example",
        "examples",
        "record",
        "records",
        "x",
        "features",
        "obj",
        "series",
        "table",
        "train",
        "test",
        "val",
        "valid",
        "sub",
        "submission",
        "item",
        "items",
        "group",
    ]
)


def _dict_param(func: FunctionNode, name: str) -> bool:
    """Return True for a parameter typed as a plain dict, or unannotated and not named like a table/row."""
    for arg in [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]:
        if arg.arg == name:
            if arg.annotation is not None:
                return _base_name(arg.annotation) in UNTYPED_DICT_HINTS
            lowered = name.lower()
            return lowered not in TABLE_LIKE and not lowered.startswith(("df", "data"))
    return False


def _key_lookup(node: ast.Subscript | ast.Call) -> tuple[str, str] | None:
    if isinstance(node, ast.Subscript):
        if not isinstance(node.ctx, ast.Load):
            return None
        target, key = node.value, node.slice
    elif isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args:
        target, key = node.func.value, node.args[0]
    else:
        return None
    if isinstance(target, ast.Name) and isinstance(key, ast.Constant) and isinstance(key.value, str):
        return target.id, key.value
    return None


def dict_parameter_keys(pf: PythonFile) -> dict[tuple[FunctionNode, str], set[str]]:
    """Map (function, parameter) to the string keys looked up on that untyped-dict parameter."""
    keys: dict[tuple[FunctionNode, str], set[str]] = defaultdict(set)
    lookups: list[ast.Subscript | ast.Call] = [*pf.nodes(ast.Subscript), *pf.nodes(ast.Call)]
    for node in lookups:
        found = _key_lookup(node)
        if found is None:
            continue
        func = pf.enclosing_function(node)
        if func is not None and _dict_param(func, found[0]):
            keys[(func, found[0])].add(found[1])
    return keys


@register
class UntypedDictParameter(Rule):
    """Flags functions that read many string keys from an untyped dict parameter, or return one.

    ## What it does
    Counts the distinct string keys looked up (`cfg["lr"]`, `cfg.get("epochs")`) on one parameter
    that is unannotated or annotated as a plain `dict`; five or more is a finding. A function
    without a precise return type that returns a dict literal with five or more string keys is
    one too (serialisation methods such as `to_dict` and `state_dict` are exempt, as are
    functions whose result always goes straight into a dataclass or registry call, and
    `@property` hooks whose shape a framework base class dictates).

    ## Why is this bad?
    The function's real inputs are invisible in its signature: a missing or misspelt key is a
    `KeyError` (or a silent default) at runtime, and no checker or IDE can help.

    ## Example
    ```python
    def train(model, cfg):
        opt = Adam(model.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
        for _ in range(cfg["epochs"]): ...
    ```

    ## Use instead
    ```python
    def train(model: nn.Module, cfg: TrainConfig) -> None:
        opt = Adam(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    ```
    """

    code = "API003"
    title = "Big untyped dict passed around"
    practice = "interfaces"
    severity = Severity.WARNING
    fix = "Replace the dict with a frozen dataclass (or TypedDict) listing the keys as typed fields."

    def check(self, project: Project) -> Iterator[Output]:
        minimum = project.options.threshold("api_dict_keys", 5)
        for pf in project.python.values():
            if pf.kind not in CODE_KINDS:
                continue
            for (func, param), keys in dict_parameter_keys(pf).items():
                if len(keys) >= minimum:
                    shown = ", ".join(sorted(keys)[:4])
                    yield Hit(
                        pf.path,
                        func.lineno,
                        f"{func.name}() reads {len(keys)} string keys from untyped dict {param} ({shown}, ...)",
                    )
            yield from _untyped_dict_returns(pf, int(minimum), frozenset(classes_of(project)))


SERIALISERS = frozenset({"to_dict", "as_dict", "asdict", "dict", "to_json", "state_dict", "get_config", "model_dump"})


def _untyped_dict_returns(pf: PythonFile, minimum: int, repo_classes: frozenset[str]) -> Iterator[Hit]:
    """Yield one hit per function returning a big dict literal without a precise return type."""
    flagged: set[FunctionNode] = set()
    consumed = _consumed_by_calls(pf)
    for ret in pf.nodes(ast.Return):
        func = pf.enclosing_function(ret)
        if func is None or func in flagged or not isinstance(ret.value, ast.Dict) or not _loose_return(func):
            continue
        if func.name in consumed or _framework_property(pf, func, repo_classes):
            continue
        keys = [k.value for k in ret.value.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
        if len(keys) >= minimum:
            flagged.add(func)
            shown = ", ".join(keys[:4])
            yield Hit(
                pf.path,
                ret.lineno,
                f"{func.name}() returns an untyped dict with {len(keys)} string keys ({shown}, ...)",
            )


def _consumed_by_calls(pf: PythonFile) -> set[str]:
    """Return the functions of the file whose every call result goes straight into another call.

    `generate_default_cfgs({"m": _cfg(url=...)})` or `PretrainedCfg(**_cfg())` turn the dict into
    a typed object or a registry entry at once; it is never passed around untyped.
    """
    passed = {a.id for call in pf.nodes(ast.Call) for a in call.args if isinstance(a, ast.Name)}
    sites: dict[str, list[str | bool]] = defaultdict(list)
    for call in pf.nodes(ast.Call):
        if isinstance(call.func, ast.Name):
            sites[call.func.id].append(_call_site(pf, call, passed))
    consumed: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, found in sites.items():
            ok = all(site is True or (isinstance(site, str) and site in consumed) for site in found)
            if ok and name not in consumed:
                consumed.add(name)
                changed = True
    return consumed


def _call_site(pf: PythonFile, call: ast.Call, passed: set[str]) -> str | bool:
    """Return True when a call's result goes into another call, the returning function's name, or False.

    A table of results assigned to a name that is later passed to a call
    (`cfgs = {...}; register(cfgs)`) goes into that call.
    """
    if _argument_of_call(pf, call):
        return True
    holder: ast.AST = call
    while isinstance(pf.parent(holder), ast.Dict | ast.List | ast.Tuple):
        holder = pf.parent(holder)  # type: ignore[assignment]
    assign = pf.parent(holder)
    if isinstance(assign, ast.Assign) and any(isinstance(t, ast.Name) and t.id in passed for t in assign.targets):
        return True
    parent = pf.parent(call)
    func = pf.enclosing_function(call)
    return func.name if isinstance(parent, ast.Return) and func is not None else False


def _argument_of_call(pf: PythonFile, node: ast.AST) -> bool:
    parent = pf.parent(node)
    while isinstance(parent, ast.Dict | ast.List | ast.Tuple | ast.keyword | ast.Starred):
        node, parent = parent, pf.parent(parent)
    return isinstance(parent, ast.Call) and node is not parent.func


def _framework_property(pf: PythonFile, func: FunctionNode, repo_classes: frozenset[str]) -> bool:
    """Return True for a `@property` of a class with an external base: the framework fixes its shape."""
    owner = pf.parent(func)
    if not isinstance(owner, ast.ClassDef) or not owner.bases:
        return False
    is_property = any(_base_name(d) == "property" for d in func.decorator_list)
    return is_property and any(_base_name(b) not in repo_classes for b in owner.bases)


def _loose_return(func: FunctionNode) -> bool:
    """Return True when the function is not a serialiser and its return type is missing or a plain dict."""
    if func.name in SERIALISERS or func.name.startswith("__"):
        return False
    annotation = func.returns
    if annotation is None:
        return True
    base = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    return isinstance(base, ast.Name | ast.Attribute) and ast.unparse(base) in ("dict", "Dict", "typing.Dict", "Any")


def _lazy_init(pf: PythonFile, func: FunctionNode, name: str) -> bool:
    """Return True when the function only assigns `name` under `if name is None:` (a lazy singleton)."""
    stores = [
        n
        for n in pf.nodes(ast.Name)
        if n.id == name and isinstance(n.ctx, ast.Store) and pf.enclosing_function(n) is func
    ]
    return bool(stores) and all(_under_none_check(pf, n, name) for n in stores)


def _under_none_check(pf: PythonFile, node: ast.AST, name: str) -> bool:
    for anc in pf.ancestors(node):
        if isinstance(anc, ast.If) and isinstance(anc.test, ast.Compare):
            test = anc.test
            if isinstance(test.left, ast.Name) and test.left.id == name and isinstance(test.ops[0], ast.Is):
                return True
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef):
            return False
    return False


SETTER_PREFIXES = ("set_", "enable_", "disable_", "use_", "configure")


def _restoring_context_manager(pf: PythonFile, func: FunctionNode) -> bool:
    """Return True inside a class with `__exit__`: it sets a flag for a `with` block and restores it."""
    owner = pf.parent(func)
    return isinstance(owner, ast.ClassDef) and any(
        isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef) and s.name in ("__exit__", "__aexit__")
        for s in owner.body
    )


@register
class GlobalMutableState(Rule):
    """Flags module state changed from functions through `global`.

    ## What it does
    Finds `global NAME` statements in library and script functions. A lazy singleton
    (`if _model is None: _model = load()`) is reported as info only; a context manager class
    (with `__exit__`) that sets a module flag for a `with` block is not reported, and a
    deliberate option setter (`set_fused_attn(True)`) is an info note.

    ## Why is this bad?
    Hidden state makes results depend on call order: a second training run in the same process
    starts from the first one's "best model", tests interfere with each other, and threads race.

    ## Example
    ```python
    best_model = None

    def update_best(model, score):
        global best_model
        best_model = model
    ```

    ## Use instead
    ```python
    @dataclass
    class BestTracker:
        model: Model | None = None
        score: float = float("-inf")
    ```
    """

    code = "API004"
    title = "Global mutable state changed in functions"
    practice = "interfaces"
    severity = Severity.WARNING
    fix = "Keep the state in an object you pass around (or return it) instead of rebinding a module global."

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python.values():
            if pf.kind not in CODE_KINDS:
                continue
            for node in pf.nodes(ast.Global):
                func = pf.enclosing_function(node)
                if func is not None and _restoring_context_manager(pf, func):
                    continue
                where = f"{func.name}()" if func else "module level"
                setter = func is not None and func.name.lstrip("_").startswith(SETTER_PREFIXES)
                for name in node.names:
                    lazy = func is not None and _lazy_init(pf, func, name)
                    note = " (lazy initialisation)" if lazy else " (a setter of a module-wide option)" if setter else ""
                    yield Hit(
                        pf.path,
                        node.lineno,
                        f"global {name} rebound in {where}{note}",
                        severity=Severity.INFO if lazy or setter else None,
                    )


NOT_DEPENDENCIES = ("log", "app", "router", "parser", "console")


def import_time_objects(pf: PythonFile) -> dict[str, int]:
    """Return module-level names bound from calls in a module that does real work on import (name -> line)."""
    if not import_time_work(pf):
        return {}
    found: dict[str, int] = {}
    for stmt in module_level_statements(pf.tree.body):
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call | ast.Subscript):
            for target in stmt.targets:
                named = isinstance(target, ast.Name) and not target.id.isupper()
                if named and not target.id.lower().startswith(NOT_DEPENDENCIES):  # type: ignore[attr-defined]
                    found[target.id] = stmt.lineno  # type: ignore[attr-defined]
    return found


def hidden_dependencies(pf: PythonFile) -> Iterator[tuple[FunctionNode, list[str]]]:
    """Yield top-level functions that read objects the module builds or loads at import time."""
    objects = import_time_objects(pf)
    if not objects:
        return
    for func in pf.tree.body:
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        params = {a.arg for a in [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]}
        local = {n.id for n in ast.walk(func) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        used = sorted(
            {
                n.id
                for n in ast.walk(func)
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id in objects
            }
            - params
            - local
        )
        if used:
            yield func, used


@register
class ImportTimeDependency(Rule):
    """Notes functions that use objects loaded at import time instead of receiving them.

    ## What it does
    In a module that does real work on import (loads weights, builds a model), finds top-level
    functions that read the module-level objects built there (`model`, `tokenizer`, `data`)
    rather than taking them as parameters or from a factory.

    ## Why is this bad?
    The function cannot be used or tested without loading the real model, callers cannot swap
    in another predictor, and importing the module is slow and fails when the files are absent.

    ## Example
    ```python
    model = load_model("weights.pt")

    def get_response(text):
        return model(encode(text))
    ```

    ## Use instead
    ```python
    @dataclass(frozen=True)
    class Responder:
        model: Model

        def get_response(self, text: str) -> str:
            return self.model(encode(text))
    ```
    """

    code = "API006"
    title = "Function depends on objects loaded at import"
    practice = "interfaces"
    severity = Severity.INFO
    fix = "Pass the model (or a predictor object) in as a parameter, or build it in a factory called at start-up."

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python_of(FileKind.LIBRARY, FileKind.SCRIPT):
            for func, used in hidden_dependencies(pf):
                names = ", ".join(used[:4])
                yield Hit(pf.path, func.lineno, f"{func.name}() uses {names} loaded at import time")
                break
