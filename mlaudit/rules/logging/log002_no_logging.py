"""Provides rule LOG002: No logging in a training or serving codebase."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.capabilities.logging import LOG_FILE_FACT, LogFile, log_file
from mlaudit.facts.distributions import without_sklearn_lightning
from mlaudit.facts.kind import is_example, is_library
from mlaudit.facts.randomness import training_marker
from mlaudit.model import FileKind, Severity
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.logging._shared import library_prints
from mlaudit.rules.production._shared import constructs_app

LOGGING_MODULES = ("logging", "loguru", "structlog", "absl.logging", "logzero")


ML_OR_SERVING = (
    "torch",
    "tensorflow",
    "keras",
    "jax",
    "sklearn",
    "xgboost",
    "lightgbm",
    "catboost",
    "transformers",
    "lightning",
    "pytorch_lightning",
    "fastapi",
    "flask",
    "starlette",
    "bentoml",
    "litserve",
)


def _uses_logging(pf: PythonFile) -> bool:
    """Return True when the module imports a logging library or logs at a level through a logger, wherever that
    logger comes from (`transformers.utils.logging.get_logger(__name__)`, a dependency's `get_root_logger()`)."""
    if any(m == name or m.startswith(name + ".") for m in pf.imported_modules for name in LOGGING_MODULES):
        return True
    found: LogFile = pf.file_fact(LOG_FILE_FACT, log_file)  # the log calls the logging capabilities count
    return bool(found.calls)


def _is_ml_or_service(pf: PythonFile) -> bool:
    return any(m.split(".")[0] in ML_OR_SERVING for m in pf.imported_modules)


SERVICE_FRAMEWORKS = (
    "fastapi",
    "flask",
    "starlette",
    "bentoml",
    "litserve",
    "aiohttp.web",  # the server half: plain `aiohttp` is as often the async HTTP client
    "sanic",
    "tornado.web",  # tornado.httpclient is a client
    "ray.serve",
)


EXPERIMENT_LOGGERS = (
    "wandb",
    "mlflow",
    "tensorboard",
    "tensorboardX",
    "torch.utils.tensorboard",
    "comet_ml",
    "neptune",
    "clearml",
    "aim",
    "catalyst",
    "lightning",
    "pytorch_lightning",
    "dvclive",
)


def _top_level_imports(body: list[ast.stmt]) -> Iterator[str]:
    """Yield the modules imported when the module loads (descending into top-level if/try, not into defs)."""
    for stmt in body:
        if isinstance(stmt, ast.Import):
            yield from (alias.name for alias in stmt.names)
        elif isinstance(stmt, ast.ImportFrom) and stmt.module and not stmt.level:
            yield stmt.module
            yield from (f"{stmt.module}.{alias.name}" for alias in stmt.names)
        elif isinstance(stmt, ast.If):
            yield from _top_level_imports([*stmt.body, *stmt.orelse])
        elif isinstance(stmt, ast.Try):
            yield from _top_level_imports([*stmt.body, *(s for h in stmt.handlers for s in h.body), *stmt.orelse])


def _serves(pf: PythonFile) -> bool:
    """Return True for a web service module: it imports its framework on load or builds an app (a lazy
    `create_app()` included); one framework helper imported inside a function (`track()`) is no service."""
    if _imports_any(pf, SERVICE_FRAMEWORKS) is None:
        return False
    loaded = frozenset(_top_level_imports(pf.tree.body))
    return any(m == n or m.startswith(n + ".") for m in loaded for n in SERVICE_FRAMEWORKS) or constructs_app(pf)


def _imports_any(pf: PythonFile, names: tuple[str, ...]) -> str | None:
    """Return the first of `names` the module imports (`from aiohttp import web` imports `aiohttp.web`);
    scikit-learn-contrib lightning (`from lightning.classification import CDClassifier`) is no PyTorch Lightning."""
    for module in sorted(without_sklearn_lightning({*pf.imported_modules, *pf.imports.values()})):
        for name in names:
            if module == name or module.startswith(name + "."):
                return name
    return None


TRAINS_FACT = "logging.trains"


def _trains(pf: PythonFile) -> bool:
    trains: bool = pf.file_fact(TRAINS_FACT, trains_models)
    return trains


def trains_models(pf: PythonFile) -> bool:
    """Return True when a call of the module trains a model (`loss.backward()`, `optimizer.step()`, `fit(...)`),
    or a class of it defines `training_step` (Lightning, Keras): the framework's trainer runs that step."""
    if any(training_marker(pf.call_name(call), call) is not None for call in pf.nodes(ast.Call)):
        return True
    return any(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name == "training_step"
        and isinstance(pf.parent(node), ast.ClassDef)
        for node in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef)
    )


def _sklearn_convention(project: Project, files: list[PythonFile]) -> bool:
    """Return True when the library reports through `warnings.warn` or verbose-gated prints and prints nothing
    outside a verbose flag (CLI output, docs and examples aside): scikit-learn's convention."""
    modules = [pf for pf in files if pf.kind is FileKind.LIBRARY and not is_example(pf.path)]
    prints = [call for pf in modules for call in library_prints(project, pf)]
    if any(not call.verbose for call in prints):
        return False
    return bool(prints) or any(pf.call_name(call) == "warnings.warn" for pf in modules for call in pf.nodes(ast.Call))


LIBRARY_FIX = "Emit diagnostics through logging.getLogger(__name__) and leave configuring logging to applications."


@register
class NoLogging(Rule):
    """Flags a service, or a training codebase of more than 500 lines, that never logs.

    ## What it does
    Checks that some module uses `logging` (or loguru/structlog/absl), or logs at a level through a logger
    it gets elsewhere (`logging.get_logger(__name__)` of transformers/diffusers, a dependency's
    `get_root_logger()`: those are `logging` loggers too). A web service
    (FastAPI, Flask, BentoML, ...) with no logging is a warning at any size. A training
    codebase of more than 500 lines is an error, or a warning when metrics go through an
    experiment logger (Lightning, catalyst, W&B, MLflow, TensorBoard) and only status
    messages lack a logger. A published library that trains (scikit-learn-style estimators)
    is a warning when it prints outside a verbose flag or reports nothing; one whose diagnostics
    all go through `warnings.warn` and verbose-gated prints follows scikit-learn's convention
    (callers can silence them, not route them by logger) and is an info note, as is an inference
    library or CLI whose output is its job (prints behind `verbose`). A published library whose only training
    runs in its examples, tutorials or docs (an optimizer library's `examples/mnist.py` logging to TensorBoard)
    trains nothing itself: its demos train, its package has nothing to report, and that is an info note too.

    ## Why is this bad?
    A training run or a service without logs leaves nothing to debug from: which data,
    which config, which epoch failed, which request was slow.

    ## Example
    ```python
    def train(cfg):
        print("starting")
    ```

    ## Use instead
    ```python
    logger = logging.getLogger(__name__)

    def train(cfg: Config) -> None:
        logger.info("training %s for %d epochs", cfg.model, cfg.epochs)
    ```
    """

    code = "LOG002"
    restates = "logging_used"
    title = "No logging in a training or serving codebase"
    practice = "logging"
    severity = Severity.ERROR
    fix = "Create a module logger (logging.getLogger(__name__)) in each module and configure logging in main()."
    weight = 20
    cap = 20

    def check(self, project: Project) -> Iterator[Output]:
        files = project.python_of(FileKind.LIBRARY, FileKind.SCRIPT)
        if any(_uses_logging(pf) for pf in files):
            return
        lines = project.library_code_lines
        service = next((pf for pf in files if _serves(pf)), None)
        if service is not None:
            yield Hit(
                service.path,
                None,
                f"A web service ({service.path}) with no logging: requests, errors and latency leave no trace",
                severity=Severity.WARNING,
                fix="Add logger = logging.getLogger(__name__); log each request's outcome and every exception.",
            )
            return
        if lines <= 500 or not any(_is_ml_or_service(pf) for pf in files):
            return
        library = is_library(project)
        own = [pf for pf in files if not is_example(pf.path)] if library else files  # a library's demos aside
        if not any(_trains(pf) for pf in own):
            what = "a library that trains nothing itself" if library else "inference code"
            yield Hit(
                None,
                None,
                f"No module uses logging in {lines} lines of {what} (its printed output is its job)",
                severity=Severity.INFO,
                fix="For a library, emit diagnostics through logging.getLogger(__name__) so callers can route them.",
            )
            return
        tracker = next((name for pf in own if (name := _imports_any(pf, EXPERIMENT_LOGGERS))), None)
        if tracker is not None:
            yield Hit(
                None,
                None,
                f"Metrics go through {tracker}, but no module uses logging for status and errors"
                f" in {lines} lines of training code",
                severity=Severity.WARNING,
                fix=LIBRARY_FIX if library else None,
            )
            return
        if library and _sklearn_convention(project, files):
            yield Hit(
                None,
                None,
                f"No module uses logging in {lines} lines of a published library; it reports through warnings, "
                "verbose-gated prints and return values (scikit-learn's convention), which callers can silence "
                "but not route by logger",
                severity=Severity.INFO,
                fix=LIBRARY_FIX,
            )
            return
        if library:
            yield Hit(
                None,
                None,
                f"No module uses logging in {lines} lines of a published library (it reports through bare prints "
                "or not at all, so callers cannot route or silence its diagnostics)",
                severity=Severity.WARNING,
                fix=LIBRARY_FIX,
            )
            return
        yield Hit(None, None, f"No module uses logging in {lines} lines of training/serving code")
