"""Provides helpers shared by the capability modules: evidence lines, TOML, imports, trackers.

Everything here reads the parsed project (`project.text`, `pf.nodes`, facts); nothing opens
files or walks trees on its own.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from typing import Any

from mlaudit.facts.callgraph import import_targets
from mlaudit.facts.lazy_exports import as_statement, lazy_imports
from mlaudit.facts.randomness import module_map, module_paths
from mlaudit.model import FileKind
from mlaudit.name_tests import NameTest
from mlaudit.project import Project, PythonFile
from mlaudit.readers import toml_file
from mlaudit.rules.security._shared import first_calls

CODE_KINDS = (FileKind.LIBRARY, FileKind.SCRIPT)
TRACKER_MODULES = ("wandb", "mlflow", "comet_ml", "neptune", "clearml", "aim", "dvclive", "tensorboardX", "swanlab")
TRACKER_PREFIXES = (
    "torch.utils.tensorboard",
    "pytorch_lightning.loggers",
    "lightning.pytorch.loggers",
    "lightning.loggers",
    "tensorflow.summary",
    "catalyst.loggers",
    "tensorboard",
    "sacred.observers",  # an observer (FileStorageObserver, MongoObserver) records each run's config and metrics
)
TRAINER_LOGGERS = (
    "pytorch_lightning.Trainer",
    "lightning.Trainer",
    "lightning.pytorch.Trainer",
    "catalyst.dl.SupervisedRunner",
    "catalyst.dl.Runner",
    "transformers.Trainer",
    "keras.callbacks.TensorBoard",
    "tensorflow.keras.callbacks.TensorBoard",
    # detectron2's DefaultTrainer writes its metrics to TensorBoard (TensorboardXWriter) unless told otherwise
    "detectron2.engine.DefaultTrainer",
    "detectron2.engine.defaults.DefaultTrainer",
)
TRACKER_NAMES = frozenset(
    {"TensorBoard", "WandbLogger", "MLFlowLogger", "TensorBoardLogger", "CometLogger", "NeptuneLogger", "CSVLogger"}
)

COMPONENT_FACT = "capabilities.tracker_component"
# a registry-built logger hook or visualisation backend named in a settings dict (OpenMMLab and similar toolboxes):
# `dict(type='TensorboardLoggerHook')`, `dict(type='WandbVisBackend')`, `{'type': 'MlflowLoggerHook'}`
TRACKER_COMPONENT = re.compile(
    r"(?:tensorboard|wandb|mlflow|neptune|comet|clearml|dvclive|aim|swanlab)\w*(?:hook|visbackend|logger|writer)",
    re.IGNORECASE,
)


def located(path: str, line: int | None) -> str:
    """Return `path:line` (or just the path when the line is unknown)."""
    return f"{path}:{line}" if line else path


def line_of(text: str | None, pattern: str | re.Pattern[str]) -> int | None:
    """Return the 1-based line of the first match of a regex (or plain substring) in `text`."""
    if not text:
        return None
    regex = pattern if isinstance(pattern, re.Pattern) else re.compile(re.escape(pattern))
    match = regex.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def where_in(project: Project, path: str, pattern: str | re.Pattern[str]) -> str:
    """Return `path:line` of the first match of `pattern` in a text file (the bare path if none)."""
    return located(path, line_of(project.text(path), pattern))


def toml_of(project: Project, path: str) -> dict[str, Any]:
    """Return a TOML file parsed (empty when missing or malformed), shared by every rule."""
    return toml_file(project, path).table


def table(value: object) -> dict[str, Any]:
    """Return `value` when it is a TOML table, else an empty dict."""
    return value if isinstance(value, dict) else {}


def code_files(project: Project, *kinds: FileKind) -> list[PythonFile]:
    """Return parsed files of the given kinds (library and scripts by default), sorted by path."""
    return sorted(project.python_of(*(kinds or CODE_KINDS)), key=lambda pf: pf.path)


def first_call(
    project: Project, names: Iterable[str], kinds: tuple[FileKind, ...] = CODE_KINDS, outside: tuple[str, ...] = ()
) -> str | None:
    """Return `path:line` of the first call resolving to one of `names` (or a name under them), in a file whose
    path starts with none of `outside` (`("docs/",)`)."""
    wanted = tuple(names)
    under = tuple(w + "." for w in wanted)
    for pf in code_files(project, *kinds):
        if outside and pf.path.startswith(outside):
            continue
        for name, line in first_calls(pf):
            if name in wanted or name.startswith(under):
                return pf.location(line)
    return None


def calls_named(pf: PythonFile, attr: str) -> Iterator[ast.Call]:
    """Yield calls whose function is named `attr` (`x.attr(...)` or `attr(...)`)."""
    for call in pf.nodes(ast.Call):
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name == attr:
            yield call


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    """Return the value of a call's keyword argument, if given."""
    return next((k.value for k in call.keywords if k.arg == name), None)


def is_true(node: ast.expr | None) -> bool:
    """Return True for the literal `True`."""
    return isinstance(node, ast.Constant) and node.value is True


def tracker_use(project: Project) -> str | None:
    """Return where an experiment tracker (W&B, MLflow, TensorBoard, Lightning loggers, ...) is used."""
    found: str | None = project.fact("capabilities.tracker", _find_tracker)
    return found


TRACKER_FACT = "capabilities.tracker"


def tracker_evidence(pf: PythonFile) -> tuple[tuple[int, str] | None, tuple[int, str] | None]:
    """Return the module's first tracker import and first tracker name in a string, as (line, name)."""
    imported: tuple[int, str] | None = None
    for node in pf.nodes(ast.Import, ast.ImportFrom):
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        names = _import_targets(node)
        if any(_is_tracker(n) for n in names):
            imported = node.lineno, next(n for n in names if _is_tracker(n))
            break
    imported = imported or _dynamic_tracker_import(pf) or _summary_writer(pf)
    for const in pf.nodes(ast.Constant):
        if isinstance(const.value, str) and "." in const.value and _is_tracker(const.value):
            return imported, (const.lineno, const.value)
    return imported, _tracker_wrapper_call(pf)


SUMMARY_WRITERS = ("tensorflow.summary.", "tensorflow.compat.v1.summary.", "tensorflow.compat.v2.summary.")
# TensorFlow Estimator training writes TensorBoard summaries to the estimator's model_dir (every
# `save_summary_steps`, 100 unless set): the run's loss and eval metrics are recorded without a writer.
ESTIMATOR_TRAINING = frozenset(
    {"tensorflow.estimator.train_and_evaluate", "tensorflow.compat.v1.estimator.train_and_evaluate"}
)


def _summary_writer(pf: PythonFile) -> tuple[int, str] | None:
    """Return (line, call) of a TensorBoard summary written through TensorFlow itself
    (`tf.summary.create_file_writer(logdir)`, `tf.compat.v1.summary.FileWriter(path)`, or an Estimator trained by
    `tf.estimator.train_and_evaluate`, which writes its summaries to its model_dir): no tracker import, but the
    run's metrics are recorded for TensorBoard."""
    for call in pf.nodes(ast.Call):
        name = pf.call_name(call) or ""
        if name.startswith(SUMMARY_WRITERS) or name in ESTIMATOR_TRAINING:
            return call.lineno, name
    return None


def _dynamic_tracker_import(pf: PythonFile) -> tuple[int, str] | None:
    """Return (line, module) of a tracker imported by name at run time: `importlib.import_module("wandb")`,
    or an optional-dependency helper such as `import_or_print_error("wandb", ...)`."""
    for call in pf.nodes(ast.Call):
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        first = call.args[0] if call.args else None
        if (
            "import" in name.lower()
            and isinstance(first, ast.Constant)
            and isinstance(first.value, str)
            and _is_tracker(first.value)
        ):
            return call.lineno, first.value
    return None


TRACKER_WRAPPER = re.compile(
    r"^(?:init|setup|start|enable|create|configure|use)_(wandb|tensorboard|mlflow|comet|neptune|clearml|aim|swanlab)$"
)
_wraps_tracker = NameTest(TRACKER_WRAPPER, anchored=True)


def _tracker_wrapper_call(pf: PythonFile) -> tuple[int, str] | None:
    """Return (line, what) of a call that starts a tracker through a framework's wrapper
    (`self.init_wandb(...)`, `setup_tensorboard(log_dir)`): the run is tracked without importing it here."""
    for call in pf.nodes(ast.Call):
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name and _wraps_tracker(name):
            found = TRACKER_WRAPPER.match(name)
            tracker = found.group(1) if found else name
            return call.lineno, f"{tracker} through {ast.unparse(func)[:40]}()"
    return None


def _tracker_of(pf: PythonFile) -> tuple[tuple[int, str] | None, tuple[int, str] | None]:
    found: tuple[tuple[int, str] | None, tuple[int, str] | None] = pf.file_fact(TRACKER_FACT, tracker_evidence)
    return found


def _find_tracker(project: Project) -> str | None:
    """Return where the code records its runs with a tracker. A tracker library's own package, imported by its own
    modules (`from sacred.observers import ...` inside sacred), records nothing of the project's runs."""
    files = [*code_files(project), *code_files(project, FileKind.NOTEBOOK)]
    own = {name.split(".", 1)[0] for name in module_paths(project)}
    for pf in files:
        imported = _tracker_of(pf)[0]
        if imported is not None and imported[1].split(".", 1)[0] not in own:
            return f"{pf.location(imported[0])} imports {imported[1]}"
    for pf in files:
        named = _tracker_of(pf)[1]
        if named is not None:
            return f"{pf.location(named[0])} configures the logger {named[1]}"
    for pf in [*files, *code_files(project, FileKind.CONFIG)]:
        component = _component_of(pf)
        if component is not None:
            return (
                f"{pf.location(component[0])} configures the tracker component {component[1]}, "
                "which the framework's registry builds to record the run"
            )
    for pf in files:
        for name in pf.imports.values():
            if name.startswith(TRAINER_LOGGERS):
                return f"{pf.path} trains with {name}, whose runner records metrics to its loggers"
    for pf in files:
        if LIGHTNING_TOPS & {m.split(".", 1)[0] for m in pf.imported_modules}:
            logged = _lightning_self_log(pf)  # the tree of the rare module that imports Lightning
            if logged is not None:
                return logged
    return None


def _component_of(pf: PythonFile) -> tuple[int, str] | None:
    found: tuple[int, str] | None = pf.file_fact(COMPONENT_FACT, tracker_component)
    return found


def tracker_component(pf: PythonFile) -> tuple[int, str] | None:
    """Return (line, type) of the first tracker component declared as `type=` of a settings dict: the framework's
    registry builds it (a live entry, not one commented out) and it records the run's metrics."""
    for node in pf.nodes(ast.Call, ast.Dict):
        for value in _declared_types(node):
            name = value.value if isinstance(value, ast.Constant) else value.id if isinstance(value, ast.Name) else ""
            if isinstance(name, str) and TRACKER_COMPONENT.fullmatch(name):
                return node.lineno, name
    return None


def _declared_types(node: ast.AST) -> Iterator[ast.expr]:
    """Yield the `type` values of `dict(type=...)` calls and `{'type': ...}` literals."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
        yield from (k.value for k in node.keywords if k.arg == "type")
    elif isinstance(node, ast.Dict):
        yield from (
            v for k, v in zip(node.keys, node.values, strict=True) if isinstance(k, ast.Constant) and k.value == "type"
        )


LIGHTNING_TOPS = frozenset({"pytorch_lightning", "lightning"})
LIGHTNING_MODULE = re.compile(r"(?:pytorch_lightning|lightning)(?:\.pytorch)?(?:\.core(?:\.\w+)*)?\.LightningModule")


def _lightning_self_log(pf: PythonFile) -> str | None:
    """Return where a LightningModule records a metric with `self.log(...)`/`self.log_dict(...)`: Lightning
    sends it to the trainer's loggers (TensorBoard or CSV by default), so the run's metrics are tracked."""
    for cls in pf.nodes(ast.ClassDef):
        if not isinstance(cls, ast.ClassDef) or not any(
            LIGHTNING_MODULE.fullmatch(pf.qualname(base) or "") for base in cls.bases
        ):
            continue
        for node in ast.walk(cls):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("log", "log_dict")
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "self"
                and node.args
            ):
                return (
                    f"{pf.location(node.lineno)} records metrics with self.{node.func.attr}() in LightningModule "
                    f"{cls.name}, which Lightning sends to the trainer's loggers"
                )
    return None


def _import_targets(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if node.module is None or node.level:
        return []
    return [node.module, *(f"{node.module}.{a.name}" for a in node.names)]


def _is_tracker(module: str) -> bool:
    top = module.split(".", 1)[0]
    last = module.rsplit(".", 1)[-1]
    return (
        top in TRACKER_MODULES
        or module.startswith(TRACKER_PREFIXES)
        or last in TRACKER_NAMES
        or bool(TRACKER_COMPONENT.fullmatch(last))  # a framework's tracker hook or writer: `WandbLoggerHook`
    )


def import_graph(project: Project) -> dict[str, frozenset[str]]:
    """Map each parsed `.py` file to the repo files its imports load (parent packages included)."""
    graph: dict[str, frozenset[str]] = project.fact("capabilities.import_graph", _build_graph)
    return graph


def _build_graph(project: Project) -> dict[str, frozenset[str]]:
    graph: dict[str, frozenset[str]] = {}
    inits: dict[str, tuple[str, ...]] = {}  # many files import the same modules: their packages are found once
    for path, pf in project.python.items():
        if pf.is_notebook:
            continue
        targets: set[str] = set()
        for target in (*import_targets(project, pf), *_lazy_targets(project, pf)):
            parents = inits.get(target)
            if parents is None:
                parents = inits[target] = (target, *_parent_inits(project, target))
            targets.update(parents)
        graph[path] = frozenset(targets - {path})
    return graph


def _lazy_targets(project: Project, pf: PythonFile) -> Iterator[str]:
    """Yield the repo files a package `__init__` loads on first access through lazy_loader (its stub's imports)."""
    deferred = lazy_imports(project).get(pf.path, ())
    if deferred:
        modules = module_map(project)
        yield from (edge.target for found in deferred for edge in modules.edges(pf.path, as_statement(found)))


def _parent_inits(project: Project, path: str) -> Iterator[str]:
    parts = path.split("/")[:-1]
    for end in range(1, len(parts) + 1):
        init = "/".join(parts[:end]) + "/__init__.py"
        if init in project.python and init != path:
            yield init


def reached_from(project: Project, starts: Iterable[str]) -> set[str]:
    """Return every repo file the start files load, transitively through repo imports."""
    graph = import_graph(project)
    seen: set[str] = set()
    stack = list(starts)
    while stack:
        path = stack.pop()
        for nxt in graph.get(path, ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def nearest_first(project: Project, starts: Iterable[str], launchers: Iterable[str] = ()) -> list[str]:
    """Return the start files, then the repo files they load, nearest first (breadth-first, by path within a step).

    `launchers` (files that import a start file to run it) stand one step away, beside the start files' imports.
    """
    graph = import_graph(project)
    order = sorted(set(starts))
    seen = set(order)
    frontier = order
    extra = sorted(set(launchers) - seen)
    while frontier or extra:
        step = sorted({n for p in frontier for n in graph.get(p, ()) if n not in seen} | set(extra))
        seen.update(step)
        order.extend(step)
        frontier, extra = step, []
    return order


def share_text(part: int, whole: int) -> str:
    """Return `part of whole (NN%)`."""
    pct = 100 * part / whole if whole else 0
    return f"{part} of {whole} ({pct:.0f}%)"


def ratio(value: float, floor: float, target: float) -> float:
    """Map `value` linearly from `floor` (0.0) to `target` (1.0), clamped."""
    if target <= floor:
        return 1.0 if value >= target else 0.0
    return min(1.0, max(0.0, (value - floor) / (target - floor)))
