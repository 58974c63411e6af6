"""Provides helpers shared by several rules of the `functions` practice (or by other modules)."""

from __future__ import annotations

import ast
import bisect
from collections.abc import Iterator
from dataclasses import dataclass

from mlaudit.facts.kind import is_sphinx_conf
from mlaudit.model import FileKind
from mlaudit.paths import pure_path
from mlaudit.project import FunctionNode, Project, PythonFile, is_main_guard
from mlaudit.tools.complexity import FunctionMetrics, ModuleMetrics, module_metrics

CODE_KINDS = (FileKind.LIBRARY, FileKind.SCRIPT, FileKind.NOTEBOOK)


SCRIPT_STYLE_EXEMPT_NAMES = frozenset({"__main__.py", "setup.py", "conftest.py", "noxfile.py", "manage.py"})


SCRIPT_STYLE_EXEMPT_DIRS = frozenset(
    {"docs", "doc", "examples", "example", "tutorials", "tutorial", "benchmarks", "benchmark", "asv_benchmarks"}
)


WORK_NAMES = frozenset(
    {
        "fit",
        "fit_transform",
        "train",
        "predict",
        "predict_proba",
        "evaluate",
        "backward",
        "parse_args",
        "show",
        "savefig",
        "save",
        "save_model",
        "save_pretrained",
        "to_csv",
        "to_parquet",
        "dump",
        "train_test_split",
        "cross_val_score",
        "cross_validate",
        "urlretrieve",
        "download",
        "from_pretrained",
        "load",
        "safe_load",
        "open",
        "run",
        "main",
        "makedirs",
        "mkdir",
    }
)


WORK_PREFIXES = ("read_", "load_", "train_", "fit_")


HARMLESS_WORK = frozenset({"load_dotenv"})


# Modules whose calls defer an import to its first use (`lazy_loader.load("scipy")`, `lazy_loader.attach_stub`):
# binding the proxy reads nothing.
DEFERRED_IMPORTS = ("lazy_loader.",)


# Words of a `load_*` call that loads code, not data: plugins found through entry points register themselves
# (`load_class_extensions(sys.modules[__name__], KEY)`, `load_plugins()`, `load_entry_points("mylib.backends")`).
PLUGIN_WORDS = frozenset({"plugin", "plugins", "extension", "extensions", "entry", "entrypoints"})


CONFIG_SUFFIXES = (".json", ".yaml", ".yml", ".toml", ".cfg", ".ini")


# Parsing a config file's text: `json.load(f)`, `yaml.safe_load(f)`, a TOML reader's `loads(text)`.
CONFIG_PARSES = frozenset({"load", "safe_load", "loads"})


# Reading and parsing a config file, and building its path (`os.path.join(root, "configs/default.yaml")`).
CONFIG_READS = frozenset({"open", "load", "safe_load", "loads", "read", "read_text", "Path"}) | frozenset(
    {"join", "joinpath", "dirname", "abspath", "realpath", "resolve", "expanduser"}
)


# building one of their models allocates weights; a scikit-learn class (an estimator, `Interval`,
# `StrOptions`) only stores its arguments by contract: the work is `fit`, which counts by name
MODEL_LIBRARIES = ("torch.nn.", "xgboost.", "lightgbm.", "catboost.", "keras.", "tensorflow.keras.")


# torch.nn modules and keras layers with no weights of their own: a container holds what its arguments build
# (each a call judged on its own), an activation or reshaping layer holds nothing, so building one allocates
# no weights
WEIGHTLESS_MODULES = frozenset(
    {
        *("Sequential", "ModuleList", "ModuleDict", "Identity", "Flatten", "Unflatten", "Dropout", "ReLU"),
        *("GELU", "SiLU", "Sigmoid", "Tanh", "Softmax", "LogSoftmax", "LeakyReLU", "Upsample", "Hardswish"),
        *("Activation", "Reshape", "Permute", "UpSampling2D"),
        *("Softplus", "ELU", "SELU", "CELU", "Mish", "ReLU6", "Hardtanh", "Hardsigmoid", "LogSigmoid", "Softsign"),
        *("Softmin", "Softmax2d", "Tanhshrink", "Softshrink", "Hardshrink", "Threshold", "GLU", "PixelShuffle"),
        *("PixelUnshuffle", "ChannelShuffle", "Fold", "Unfold", "CosineSimilarity", "PairwiseDistance"),
    }
)
# dropout (`Dropout2d`, `AlphaDropout`) and padding layers (`ZeroPad2d`, `ReflectionPad1d`) hold no weights either
WEIGHTLESS_PARTS = ("Pool", "Dropout", "Pad")


# Where those layers live: `nn.Dropout(0.1)`, `keras.layers.Activation(swish)`.
LAYER_MODULES = ("torch.nn.", "keras.layers.", "tensorflow.keras.layers.")


def _weightless(label: str) -> bool:
    """Return True for a torch.nn module or keras layer that holds no weights: a container, activation or
    reshaping layer (`WEIGHTLESS_MODULES`), a pooling, dropout or padding layer (`AvgPool3d`, `Dropout2d`,
    `ZeroPad2d`) or a loss (`BCELoss`)."""
    return label in WEIGHTLESS_MODULES or any(part in label for part in WEIGHTLESS_PARTS) or label.endswith("Loss")


METRICS_FACT = "functions.metrics"  # per-file facts (mlaudit.filefacts)
WORK_FACT = "functions.import_time_work"


def _metrics_of(project: Project) -> dict[str, ModuleMetrics]:
    return {pf.path: pf.file_fact(METRICS_FACT, module_metrics) for pf in project.python_of(*CODE_KINDS)}


def code_metrics(project: Project) -> dict[str, ModuleMetrics]:
    """Return complexity and size figures of every library, script and notebook file (computed once)."""
    result: dict[str, ModuleMetrics] = project.fact("functions.metrics", _metrics_of)
    return result


def all_functions(project: Project) -> Iterator[tuple[str, FunctionMetrics]]:
    """Yield (path, function figures) for every function of library, script and notebook code."""
    for path, module in code_metrics(project).items():
        for func in module.functions:
            yield path, func


def _qualified(pf: PythonFile, fn: FunctionNode) -> str:
    parent = pf.parent(fn)
    return f"{parent.name}.{fn.name}" if isinstance(parent, ast.ClassDef) else fn.name


def _script_style_candidate(pf: PythonFile) -> bool:
    """Return True for a module whose import-time work is judged: library and script code outside exempt
    files and folders, and not a Streamlit app (Streamlit re-runs the script top to bottom on every
    interaction: its module-level code is the app, never imported), nor a Sphinx `conf.py` outside a docs folder
    (`web/conf.py`: sphinx-build executes it top to bottom to build the docs)."""
    parts = pure_path(pf.path).parts
    if pf.kind not in (FileKind.LIBRARY, FileKind.SCRIPT) or parts[-1] in SCRIPT_STYLE_EXEMPT_NAMES:
        return False
    if is_sphinx_conf(pf):
        return False
    if any(module == "streamlit" or module.startswith("streamlit.") for module in pf.imported_modules):
        return False
    return not any(part in SCRIPT_STYLE_EXEMPT_DIRS for part in parts[:-1])


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def module_level_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Yield statements that run on import (descending into top-level if/try, not defs or main guards)."""
    for stmt in body:
        if isinstance(stmt, ast.If):
            if not (is_main_guard(stmt) or _is_type_checking(stmt)):
                yield from module_level_statements([*stmt.body, *stmt.orelse])
        elif isinstance(stmt, ast.Try):
            handlers = [s for h in stmt.handlers for s in h.body]
            yield from module_level_statements([*stmt.body, *handlers, *stmt.orelse, *stmt.finalbody])
        elif not isinstance(stmt, ast.Import | ast.ImportFrom | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield stmt


def call_label(call: ast.Call) -> str | None:
    """Return the last name of a call's target (`fit` for `model.fit(...)`)."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def is_work_call(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for calls that load data, build or train models, or write files."""
    label = call_label(call)
    if label is None or label in HARMLESS_WORK or _loads_plugins(label):
        return False
    if (pf.call_name(call) or "").startswith(DEFERRED_IMPORTS):
        return False  # `samplerate = lazy.load("samplerate")`: a proxy whose module loads on first use
    if label in WORK_NAMES or label.startswith(WORK_PREFIXES):
        return not (pf.call_name(call) or "").startswith("re.")
    qualified = pf.call_name(call) or ""
    if qualified.startswith(LAYER_MODULES) and _weightless(label):
        return False  # `nn.Sequential(T.Resize(256), T.CenterCrop(224))`, `nn.BCELoss()`: no weights to allocate
    return qualified.startswith(MODEL_LIBRARIES) and label[:1].isupper()


def _loads_plugins(label: str) -> bool:
    """Return True for `load_plugins`, `load_class_extensions`, `load_entry_points`: registering the plugins
    installed packages declare is the registration a package does on import, not loading data."""
    return label.startswith("load_") and bool(set(label.lower().split("_")) & PLUGIN_WORDS)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    stmt: ast.stmt


def _module_spans(pf: PythonFile) -> list[_Span]:
    statements = module_level_statements(pf.tree.body)
    return sorted((_Span(s.lineno, s.end_lineno or s.lineno, s) for s in statements), key=lambda s: s.start)


def _span_of(spans: list[_Span], starts: list[int], line: int) -> _Span | None:
    index = bisect.bisect_right(starts, line) - 1
    return spans[index] if index >= 0 and spans[index].end >= line else None


@dataclass(frozen=True)
class WorkStatement:
    """A module-level statement that does real work on import: its first line."""

    lineno: int


def import_time_work(pf: PythonFile) -> tuple[WorkStatement, ...]:
    """Return the module-level statements that do real work on import (a per-file fact)."""
    return pf.file_fact(WORK_FACT, find_import_time_work)


def find_import_time_work(pf: PythonFile) -> tuple[WorkStatement, ...]:
    """Return the module-level statements that do real work (load, train, write) on import.

    Calling the module's own function or class counts when its body does such work
    (`model = Model()` whose constructor loads weights). Reading a config file
    (`json.load(open("config.json"))`) is configuration, not work.
    """
    spans = _module_spans(pf)
    if not spans:
        return ()
    starts = [s.start for s in spans]
    working: set[str] | None = None  # walked only when a module-level call names a local definition
    found: dict[int, ast.stmt] = {}
    config_reads: dict[int, bool] = {}  # per statement: a statement holds many calls
    for call in pf.nodes(ast.Call):
        span = _span_of(spans, starts, call.lineno)
        if span is None or id(span.stmt) in found:
            continue
        local = False
        if isinstance(call.func, ast.Name):
            working = _working_definitions(pf) if working is None else working
            local = call.func.id in working
        if not (local or is_work_call(pf, call)):
            continue
        config = config_reads.get(id(span.stmt))  # asked only of statements holding a working call
        if config is None:
            config = config_reads[id(span.stmt)] = _config_read(span.stmt) or _metadata_read(span.stmt)
        if config:
            continue
        if not any(isinstance(a, ast.Lambda) for a in pf.ancestors(call)):
            found[id(span.stmt)] = span.stmt
    return tuple(WorkStatement(s.lineno) for s in sorted(found.values(), key=lambda s: s.lineno))


CONSTRUCTORS = frozenset({"__init__", "__post_init__", "__new__"})


def _working_definitions(pf: PythonFile) -> set[str]:
    """Return the top-level functions and classes of the file that do real work when called.

    A class works when built only if the work runs then: in its body, its constructor, or a method
    the constructor calls on `self`; work in other methods (`download()`, `fit()`) waits for their call.
    """
    working: set[str] = set()
    module = pf.tree
    for call in pf.nodes(ast.Call):  # the few work calls, each walked up to its top-level statement
        if call_label(call) == "open" or not is_work_call(pf, call):
            continue
        top: ast.AST = call
        chain: list[ast.AST] = []
        parent = pf.parent(top)
        while parent is not None and parent is not module:
            chain.append(parent)
            top, parent = parent, pf.parent(parent)
        if not isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        if _works_when_called(top, chain) and not _reads_config_files(top, call):
            working.add(top.name)
    return working


def _reads_config_files(top: ast.AST, call: ast.Call) -> bool:
    """Return True for a parse of config files in a function that names their suffix (`json.load(f)` in a
    registry scan of `*.json` model configs: `config_ext = (".json",)`): reading configuration, as a module-level
    `json.load(open("config.json"))` is, not loading data."""
    if not isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef) or call_label(call) not in CONFIG_PARSES:
        return False
    return any(
        isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.endswith(CONFIG_SUFFIXES)
        for node in ast.walk(top)
    )


def _works_when_called(top: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, chain: list[ast.AST]) -> bool:
    """Return True when calling the top-level definition `top` runs the work call below it."""
    return not isinstance(top, ast.ClassDef) or _runs_when_built(top, chain)


def _runs_when_built(cls: ast.ClassDef, chain: list[ast.AST]) -> bool:
    """Return True when a work call (whose ancestors up to the class are `chain`) runs as the class is built."""
    methods = [n for n in chain if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n in cls.body]
    if not methods:
        return True  # in the class body itself
    reached = _constructor_reach(cls)
    return methods[-1].name in reached


def _constructor_reach(cls: ast.ClassDef) -> set[str]:
    """Return the constructors of a class and the methods they call on `self`, transitively."""
    defs = {n.name: n for n in cls.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    reached = {name for name in defs if name in CONSTRUCTORS}
    todo = list(reached)
    while todo:
        for node in ast.walk(defs[todo.pop()]):
            func = node.func if isinstance(node, ast.Call) else None
            on_self = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self"
            name = func.attr if on_self and isinstance(func, ast.Attribute) else ""
            if name in defs and name not in reached:
                reached.add(name)
                todo.append(name)
    return reached


METADATA_READS = frozenset(
    {"open", "read", "read_text", "readline", "strip", "rstrip", "decode", "Path", "join", "dirname"}
)


def _metadata_read(stmt: ast.stmt) -> bool:
    """Return True for a statement that only reads a file into module metadata (`__version__ = f.read().strip()`,
    also into a plain `version` or `VERSION`)."""
    stores = [n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]
    calls = [call_label(n) for n in ast.walk(stmt) if isinstance(n, ast.Call)]
    bound = [s for s in stores if not _is_handle(stmt, s)]
    return (
        bool(bound)
        and all((s.startswith("__") and s.endswith("__")) or s.lower() == "version" for s in bound)
        and all((label or "").lstrip("_") in METADATA_READS for label in calls)  # `Path` imported as `_Path` too
    )


def _is_handle(stmt: ast.stmt, name: str) -> bool:
    """Return True when `name` is the file handle a `with open(...) as name:` binds."""
    return isinstance(stmt, ast.With) and any(
        isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == name for item in stmt.items
    )


def _config_read(stmt: ast.stmt) -> bool:
    """Return True for a statement that only opens and parses a config file (`json.load(open("config.json"))`,
    `OmegaConf.load(os.path.join(root, "configs/default.yaml"))`)."""
    names = [n.value for n in ast.walk(stmt) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    calls = [call_label(n) for n in ast.walk(stmt) if isinstance(n, ast.Call)]
    configs = any(name.endswith(CONFIG_SUFFIXES) for name in names)
    return configs and all(label in CONFIG_READS for label in calls)
