"""Provides the rules of the `logging` practice: log through loggers, never swallow errors."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from mlaudit.model import FileKind, Severity
from mlaudit.practices._callgraph import imported_files
from mlaudit.practices._randomness import training_marker
from mlaudit.project import Project, PythonFile, is_main_guard
from mlaudit.readers import pyproject
from mlaudit.redact import redact
from mlaudit.registry import Hit, Output, Rule, applicability, register

CLI_MODULES = frozenset({"cli", "__main__", "commands", "console"})
CLI_DECORATORS = frozenset({"command", "group", "callback", "main"})
PRINTING_FUNCTIONS = ("print", "show", "display", "pprint", "report", "summary", "summarize", "describe")
LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})
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
BROAD_EXCEPTIONS = frozenset({"Exception", "BaseException"})
_TOKEN_LIKE = re.compile(r"[A-Za-z0-9_\-+/=]{24,}")
CLEANUP_FUNCTIONS = frozenset({"__del__", "__exit__", "__aexit__", "close", "cleanup", "shutdown"})


@applicability("logging")
def logging_applies(project: Project) -> str | None:
    """Logging is judged whenever there are Python modules outside tests and notebooks."""
    if project.python_of(FileKind.LIBRARY, FileKind.SCRIPT):
        return None
    return "no Python modules outside tests and notebooks"


def _console_scripts(project: Project) -> set[tuple[str, str]]:
    """Return (module, function) pairs named in [project.scripts] of pyproject.toml."""
    scripts = pyproject(project).get("project", {}).get("scripts", {})
    pairs: set[tuple[str, str]] = set()
    for target in scripts.values() if isinstance(scripts, dict) else ():
        module, _, func = str(target).partition(":")
        pairs.add((module.strip(), func.split(".")[0].strip()))
    return pairs


def module_name(path: str) -> str:
    """Return the dotted module name of a repo-relative path (`src/` dropped)."""
    parts = list(PurePosixPath(path).with_suffix("").parts)
    if parts and parts[0] == "src":
        parts = parts[1:]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _decorator_label(node: ast.expr) -> str | None:
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Attribute):
        return target.attr
    return target.id if isinstance(target, ast.Name) else None


def _guard_called_names(pf: PythonFile) -> set[str]:
    guards = [(s.lineno, s.end_lineno or s.lineno) for s in pf.tree.body if isinstance(s, ast.If) and is_main_guard(s)]
    return {
        call.func.id
        for call in pf.nodes(ast.Call)
        if isinstance(call.func, ast.Name) and any(a <= call.lineno <= b for a, b in guards)
    }


def cli_functions(project: Project, pf: PythonFile) -> set[str]:
    """Return the names of the file's functions that are command-line entry points."""
    scripts = project.fact("logging.scripts", _console_scripts)
    module = module_name(pf.path)
    names = {func for mod, func in scripts if mod == module}
    if pf.has_main_guard:
        names |= _guard_called_names(pf)
    for fn in pf.nodes(ast.FunctionDef):
        if any(_decorator_label(d) in CLI_DECORATORS for d in fn.decorator_list):
            names.add(fn.name)
    if "argparse" in pf.imported_modules:
        names |= _argparse_functions(pf)
    return names


def _argparse_functions(pf: PythonFile) -> set[str]:
    names: set[str] = set()
    for call in pf.nodes(ast.Call):
        if pf.call_name(call) == "argparse.ArgumentParser":
            fn = pf.enclosing_function(call)
            if fn is not None:
                names.add(fn.name)
    return names


def in_cli_context(project: Project, pf: PythonFile, node: ast.AST) -> bool:
    """Return True when a node runs as command-line output: main guard, CLI module or command function."""
    if PurePosixPath(pf.path).stem in CLI_MODULES or pf.in_main_guard(node):
        return True
    commands: set[str] = project.fact(f"logging.cli:{pf.path}", lambda p: cli_functions(p, pf))
    for anc in pf.ancestors(node):
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef) and _is_output_function(anc.name, commands):
            return True
    return False


def _is_output_function(name: str, commands: set[str]) -> bool:
    """Return True for command functions and helpers whose job is to print (`print_summary`, `__repr__`)."""
    return (
        name in commands
        or name == "main"
        or name in {"__repr__", "__str__"}
        or name.lstrip("_").startswith(PRINTING_FUNCTIONS)
    )


def safe_snippet(text: str, limit: int = 40) -> str:
    """Return a one-line, shortened code snippet with token-like runs (possible secrets) redacted."""
    text = _TOKEN_LIKE.sub(lambda m: redact(m.group(0)), " ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _first_argument(call: ast.Call) -> str:
    if not call.args:
        return ""
    return safe_snippet(ast.unparse(call.args[0]))


def _prints_to_file(call: ast.Call, pf: PythonFile) -> bool:
    for keyword in call.keywords:
        if keyword.arg == "file":
            target = pf.qualname(keyword.value)
            return target not in {"sys.stdout", "sys.stderr"}
    return False


def _behind_verbose_flag(pf: PythonFile, call: ast.Call) -> bool:
    for anc in pf.ancestors(call):
        if isinstance(anc, ast.If) and "verbos" in ast.unparse(anc.test).lower():
            return True
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef):
            return False
    return False


def _where(pf: PythonFile, node: ast.AST) -> str:
    fn = pf.enclosing_function(node)
    return f"{fn.name}() of {pf.path}" if fn is not None else pf.path


def library_prints(project: Project, pf: PythonFile) -> Iterator[ast.Call]:
    """Yield the print calls of a library module that are not CLI output or writes to a file."""
    for call in pf.nodes(ast.Call):
        is_print = isinstance(call.func, ast.Name) and call.func.id == "print"
        if is_print and not (_prints_to_file(call, pf) or in_cli_context(project, pf, call)):
            yield call


def script_output(project: Project, pf: PythonFile, call: ast.Call) -> bool:
    """Return True for a print of a module nothing imports that is a script's output.

    That is any print of a root-level module, and a module-level print (outside any function)
    of a module in a folder that is not a package: an analysis script that prints its result is
    run, never imported. A package module prints at import, which is never a script's output.
    """
    if pf.path in imported_files(project):
        return False
    if "/" not in pf.path:
        return True
    folder = pf.path.rsplit("/", 1)[0]
    in_package = project.has_file(f"{folder}/__init__.py")
    return not in_package and pf.enclosing_function(call) is None


@register
class PrintInLibrary(Rule):
    """Flags `print` used for diagnostics in library code.

    ## What it does
    Reports `print(...)` calls in library modules. Not reported: prints under
    `if __name__ == "__main__":`, in CLI modules (`cli.py`, `__main__.py`) and command
    functions (argparse `main()`, `@click.command`, `@app.command`, functions named in
    `[project.scripts]` or called from the main guard), in `print_*`/`show_*` helpers and
    `__repr__`, prints to a file handle, and scripts, tests and notebooks. Prints behind a
    `verbose`/`verbosity` setting, and prints of a module nothing imports (any print of a
    root-level training script run directly, and module-level prints of a script in a folder,
    such as an analysis script printing its result), are reported as info.

    ## Why is this bad?
    Prints have no level, timestamp or module name, cannot be silenced or routed to a file
    or log service, and interleave with the real output of the program.

    ## Example
    ```python
    def train(model, loader):
        for epoch in range(10):
            print("epoch", epoch, "loss", loss)
    ```

    ## Use instead
    ```python
    logger = logging.getLogger(__name__)

    def train(model: nn.Module, loader: DataLoader) -> None:
        for epoch in range(10):
            logger.info("epoch %d loss %.4f", epoch, loss)
    ```
    """

    code = "LOG001"
    title = "print in library code"
    practice = "logging"
    severity = Severity.WARNING
    fix = "Use logger = logging.getLogger(__name__) and logger.info(...) instead of print."

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python_of(FileKind.LIBRARY):
            if "print" not in pf.text:
                continue
            for call in library_prints(project, pf):
                verbose = _behind_verbose_flag(pf, call)
                script = script_output(project, pf, call)
                suffix = " behind a verbose flag" if verbose else " (a script nothing imports)" if script else ""
                yield Hit(
                    pf.path,
                    call.lineno,
                    f"print({_first_argument(call)}) in {_where(pf, call)}{suffix}",
                    severity=Severity.INFO if verbose or script else None,
                )


def _uses_logging(pf: PythonFile) -> bool:
    return any(m == name or m.startswith(name + ".") for m in pf.imported_modules for name in LOGGING_MODULES)


def _is_ml_or_service(pf: PythonFile) -> bool:
    return any(m.split(".")[0] in ML_OR_SERVING for m in pf.imported_modules)


SERVICE_FRAMEWORKS = (
    "fastapi",
    "flask",
    "starlette",
    "bentoml",
    "litserve",
    "aiohttp",
    "sanic",
    "tornado",
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


def _imports_any(pf: PythonFile, names: tuple[str, ...]) -> str | None:
    for module in pf.imported_modules:
        for name in names:
            if module == name or module.startswith(name + "."):
                return name
    return None


def _trains(pf: PythonFile) -> bool:
    return any(training_marker(pf.call_name(call), call) is not None for call in pf.nodes(ast.Call))


@register
class NoLogging(Rule):
    """Flags a service, or a training codebase of more than 500 lines, that never logs.

    ## What it does
    Checks that some module uses `logging` (or loguru/structlog/absl). A web service
    (FastAPI, Flask, BentoML, ...) with no logging is a warning at any size. A training
    codebase of more than 500 lines is an error, or a warning when metrics go through an
    experiment logger (Lightning, catalyst, W&B, MLflow, TensorBoard) and only status
    messages lack a logger. An inference library or CLI whose output is its job (prints
    behind `verbose`) is an info note.

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
        service = next((pf for pf in files if _imports_any(pf, SERVICE_FRAMEWORKS)), None)
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
        if not any(_trains(pf) for pf in files):
            yield Hit(
                None,
                None,
                f"No module uses logging in {lines} lines of inference code (its printed output is its job)",
                severity=Severity.INFO,
                fix="For a library, emit diagnostics through logging.getLogger(__name__) so callers can route them.",
            )
            return
        tracker = next((name for pf in files if (name := _imports_any(pf, EXPERIMENT_LOGGERS))), None)
        if tracker is not None:
            yield Hit(
                None,
                None,
                f"Metrics go through {tracker}, but no module uses logging for status and errors"
                f" in {lines} lines of training code",
                severity=Severity.WARNING,
            )
            return
        yield Hit(None, None, f"No module uses logging in {lines} lines of training/serving code")


def _root_logger_calls(pf: PythonFile) -> Iterator[tuple[ast.Call, str]]:
    for call in pf.nodes(ast.Call):
        name = pf.call_name(call)
        if name and name.startswith("logging.") and name[8:] in (LOG_METHODS | {"basicConfig"}):
            yield call, name


@register
class RootLoggerCall(Rule):
    """Flags `logging.info(...)` and friends called on the root logger in library modules.

    ## What it does
    Reports `logging.debug/info/warning/error/exception/critical/log(...)` in library
    modules (scripts and tests may use them).

    ## Why is this bad?
    Root-logger records carry no module name, so they cannot be filtered or silenced per
    module, and the first call silently runs `basicConfig`, overriding the application's setup.

    ## Example
    ```python
    import logging

    logging.info("loaded %d rows", len(df))
    ```

    ## Use instead
    ```python
    logger = logging.getLogger(__name__)

    logger.info("loaded %d rows", len(df))
    ```
    """

    code = "LOG003"
    title = "Root logger used in library code"
    practice = "logging"
    severity = Severity.WARNING
    fix = "Create logger = logging.getLogger(__name__) at the top of the module and call logger.info(...)."
    weight = 4
    cap = 15

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python_of(FileKind.LIBRARY):
            for call, name in _root_logger_calls(pf):
                if name != "logging.basicConfig" and not pf.in_main_guard(call):
                    yield Hit(pf.path, call.lineno, f"{name}(...) in {_where(pf, call)} logs to the root logger")


@register
class BasicConfigInLibrary(Rule):
    """Flags `logging.basicConfig` in library modules.

    ## What it does
    Reports `logging.basicConfig(...)` in library modules outside the main guard, CLI
    modules and command functions.

    ## Why is this bad?
    Configuring logging is the application's job: a library that calls `basicConfig` on
    import or in a helper overrides the handlers, format and level its user chose.

    ## Example
    ```python
    # churn/features.py
    logging.basicConfig(level=logging.DEBUG)
    ```

    ## Use instead
    ```python
    # churn/cli.py
    def main() -> None:
        logging.basicConfig(level=logging.INFO)
    ```
    """

    code = "LOG004"
    title = "logging.basicConfig in library code"
    practice = "logging"
    severity = Severity.WARNING
    fix = "Call logging.basicConfig only in the entry point (main() or the CLI), never in library modules."

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python_of(FileKind.LIBRARY):
            for call, name in _root_logger_calls(pf):
                if name == "logging.basicConfig" and not in_cli_context(project, pf, call):
                    yield Hit(pf.path, call.lineno, f"logging.basicConfig(...) in {_where(pf, call)}")


def _is_logger(pf: PythonFile, expr: ast.expr) -> bool:
    if isinstance(expr, ast.Call):
        return pf.call_name(expr) == "logging.getLogger"
    name = expr.attr if isinstance(expr, ast.Attribute) else expr.id if isinstance(expr, ast.Name) else ""
    return name.lower().rstrip("_").endswith(("log", "logger")) or pf.qualname(expr) in {"logging", "loguru.logger"}


def _is_fstring(arg: ast.expr) -> bool:
    return isinstance(arg, ast.JoinedStr) and any(isinstance(v, ast.FormattedValue) for v in arg.values)


def _is_percent_format(arg: ast.expr) -> bool:
    return isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Mod) and isinstance(arg.left, ast.Constant)


def _is_format_call(arg: ast.expr) -> bool:
    func = arg.func if isinstance(arg, ast.Call) else None
    return isinstance(func, ast.Attribute) and func.attr == "format" and isinstance(func.value, ast.Constant)


_EAGER_FORMS = (("an f-string", _is_fstring), ("%-formatting", _is_percent_format), ("str.format()", _is_format_call))


def _eager_kind(arg: ast.expr) -> str | None:
    """Return how a log message is formatted before the call (f-string, %, .format()), or None."""
    return next((label for label, test in _EAGER_FORMS if test(arg)), None)


def eager_log_calls(pf: PythonFile) -> Iterator[tuple[ast.Call, str, str]]:
    """Yield (call, method, kind) for log calls whose message is formatted before the call."""
    for call in pf.nodes(ast.Call):
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr in LOG_METHODS and _is_logger(pf, func.value)):
            continue
        position = 1 if func.attr == "log" else 0
        if len(call.args) > position:
            kind = _eager_kind(call.args[position])
            if kind:
                yield call, func.attr, kind


@register
class EagerLogFormatting(Rule):
    """Notes log calls that format their message eagerly (f-string, `%`, `.format()`).

    ## What it does
    Reports logger calls in library and script code whose message is an f-string,
    a `%`-formatted string or a `.format()` call instead of a template plus arguments.

    ## Why is this bad?
    The string is built even when the level is disabled (costly in hot training loops), and
    log aggregators cannot group messages that differ only in their values.

    ## Example
    ```python
    logger.debug(f"batch {i} loss {loss:.4f}")
    ```

    ## Use instead
    ```python
    logger.debug("batch %d loss %.4f", i, loss)
    ```
    """

    code = "LOG005"
    title = "Eagerly formatted log message"
    practice = "logging"
    severity = Severity.INFO
    fix = 'Pass a template and arguments: logger.info("loss %.4f", loss).'

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python_of(FileKind.LIBRARY, FileKind.SCRIPT):
            if "log" not in pf.text:
                continue
            for call, method, kind in eager_log_calls(pf):
                yield Hit(pf.path, call.lineno, f"{method}() in {_where(pf, call)} is given {kind}")


@register
class StderrAsLogging(Rule):
    """Flags `sys.stderr.write` used for diagnostics in library code.

    ## What it does
    Reports `sys.stderr.write(...)` in library modules outside the main guard, CLI modules
    and command functions.

    ## Why is this bad?
    It is a print with extra steps: no level, no timestamp, no module, and no way for the
    application to silence or redirect it.

    ## Example
    ```python
    sys.stderr.write(f"skipping {path}\\n")
    ```

    ## Use instead
    ```python
    logger.warning("skipping %s", path)
    ```
    """

    code = "LOG006"
    title = "sys.stderr.write used as logging"
    practice = "logging"
    severity = Severity.WARNING
    fix = "Use logger.warning(...) / logger.error(...) from logging.getLogger(__name__)."
    weight = 3
    cap = 10

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python_of(FileKind.LIBRARY):
            if "stderr" not in pf.text:
                continue
            for call in pf.nodes(ast.Call):
                if pf.call_name(call) == "sys.stderr.write" and not in_cli_context(project, pf, call):
                    yield Hit(pf.path, call.lineno, f"sys.stderr.write({_first_argument(call)}) in {_where(pf, call)}")


def _handler_type(pf: PythonFile, handler: ast.ExceptHandler) -> str | None:
    """Return the broad exception a handler catches (`bare`, `Exception`...), or None if narrow."""
    if handler.type is None:
        return "bare except"
    caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for expr in caught:
        name = expr.id if isinstance(expr, ast.Name) else pf.qualname(expr) or ""
        if name.rsplit(".", 1)[-1] in BROAD_EXCEPTIONS:
            return f"except {name}"
    return None


def _is_print(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Call)
        and isinstance(stmt.value.func, ast.Name)
        and stmt.value.func.id == "print"
    )


def swallow_kind(body: list[ast.stmt]) -> str | None:
    """Return how a handler body swallows the error (`pass`, `continue`, `print`), or None."""
    if all(isinstance(s, ast.Pass) or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)) for s in body):
        return "pass"
    if len(body) == 1 and isinstance(body[0], ast.Continue):
        return "continue"
    if all(_is_print(s) or isinstance(s, ast.Continue | ast.Pass) for s in body):
        return "only print"
    return None


@register
class SwallowedException(Rule):
    """Flags broad `except` blocks that silently discard the error.

    ## What it does
    Reports `except:`, `except Exception:` and `except BaseException:` whose body is only
    `pass`, `...`, `continue`, or a `print`, in library and script code. Narrow handlers
    (`except FileNotFoundError: pass`, `except ImportError: pass`) and cleanup methods
    (`__del__`, `__exit__`, `close`) are left alone.

    ## Why is this bad?
    A failed load, a NaN loss or a broken request disappears without a trace: the run
    "succeeds" with wrong results, and nobody learns why.

    ## Example
    ```python
    try:
        df = load_features(path)
    except Exception:
        pass
    ```

    ## Use instead
    ```python
    try:
        df = load_features(path)
    except FileNotFoundError:
        logger.warning("no cached features at %s; recomputing", path)
        df = compute_features(raw)
    ```
    """

    code = "LOG007"
    title = "Exception swallowed silently"
    practice = "logging"
    severity = Severity.WARNING
    fix = "Catch the specific exception and log it (logger.exception(...)) or re-raise; never pass on Exception."
    weight = 6
    cap = 25

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python_of(FileKind.LIBRARY, FileKind.SCRIPT):
            for handler in pf.nodes(ast.ExceptHandler):
                caught = _handler_type(pf, handler)
                how = swallow_kind(handler.body) if caught else None
                fn = pf.enclosing_function(handler)
                if how is None or (fn is not None and fn.name in CLEANUP_FUNCTIONS):
                    continue
                yield Hit(pf.path, handler.lineno, f"{caught}: {how} in {_where(pf, handler)} swallows every error")
