"""Provides the capabilities of the `logging` practice: leveled, routable logs instead of prints."""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass

from mlaudit.capabilities import Assessment, Capability, register_capability
from mlaudit.capabilities._common import code_files, ratio, share_text, tracker_use
from mlaudit.capabilities.reproducibility import LIBRARY_RUNS, first_training_call
from mlaudit.facts.callgraph import imported_files
from mlaudit.facts.kind import is_library, project_kind
from mlaudit.model import FileKind
from mlaudit.project import Project, PythonFile
from mlaudit.rules.functions._shared import module_level_statements
from mlaudit.rules.logging._shared import (
    LOG_METHODS,
    LOGGER_MODULES,
    _is_logger,
    _output_flag,
    library_prints,
    records_metric,
    script_output,
)
from mlaudit.rules.security._shared import is_const
from mlaudit.rules.security._shared import keyword as kw_value

CONFIG_CALLS = frozenset(
    {"logging.basicConfig", "logging.config.dictConfig", "logging.config.fileConfig", "loguru.logger.add"}
    # absl's app.run(main) installs absl's handler on the root logger and reads --verbosity, --logtostderr and
    # --log_dir before main runs; absl.logging.set_verbosity sets the level
    | {"absl.app.run", "absl.logging.set_verbosity", "absl.logging.use_absl_handler"}
)
CONFIG_METHODS = frozenset({"addHandler", "setFormatter", "add"})
LEVELS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical"})
LOG_CONFIG_FILES = ("logging.yaml", "logging.yml", "logging.conf", "logging.ini", "logging.json", "log_config.yaml")
NO_LOGS = "No log calls (logger.info/warning/...) in library or script code"


@dataclass(frozen=True)
class LogCall:
    """One call of a logging method on a logger."""

    path: str
    line: int
    where: str
    level: str


@dataclass(frozen=True)
class LogFacts:
    """Log calls, module loggers and output statements of the library and script code."""

    calls: tuple[LogCall, ...]
    module_loggers: tuple[str, ...]
    gated_prints: int
    gated_helper_calls: int  # calls of a project helper that prints only when the verbosity asks for it
    bare_prints: tuple[str, ...]
    warnings: int
    library_modules: int
    printing_modules: tuple[str, ...]


@dataclass(frozen=True)
class LogFile:
    """What one module shows of logging: its log calls, a module logger, warnings and where it configures logs."""

    calls: tuple[LogCall, ...]
    module_logger: bool
    warnings: int
    configures: tuple[int, str] | None  # (line, call) of the first call that configures logging
    gated_helpers: tuple[str, ...] = ()  # output helpers defined here that return early below a verbosity level
    helper_calls: tuple[tuple[str, int], ...] = ()  # calls by name of this module's or an imported function
    works_at_top: bool = False  # its top level runs a loop or a call statement: a script's body, not a library's


LOG_FILE_FACT = "capabilities.logging.file"


def log_file(pf: PythonFile) -> LogFile:
    """Return the logging evidence of one module (a per-file fact)."""
    framework = tuple(_framework_log_calls(pf))
    calls = (*_log_calls(pf), *framework)
    warned = sum(1 for call in pf.nodes(ast.Call) if _warns(pf.call_name(call)))
    helpers = tuple(sorted(_gated_helpers(pf)))
    works = any(_is_work(stmt) for stmt in module_level_statements(pf.tree.body))
    named = bool(calls) and (_module_logger(pf) or len(framework) == len(calls))  # the framework's own named logger
    return LogFile(calls, named, warned, _configures(pf), helpers, _named_calls(pf), works)


# Lightning's rank-zero helpers: `rank_zero_info`/`rank_zero_debug` log through Lightning's named logger on the
# main process only, `rank_zero_warn`/`rank_zero_deprecation` raise a warning there.
LIGHTNING_PACKAGES = frozenset({"lightning", "pytorch_lightning", "lightning_fabric", "lightning_utilities"})
RANK_ZERO_LOGS = {"rank_zero_info": "info", "rank_zero_debug": "debug"}
RANK_ZERO_WARNINGS = frozenset({"rank_zero_warn", "rank_zero_deprecation"})


def _lightning_helper(name: str | None) -> str:
    """Return the last part of a call name that resolves into a Lightning package (`rank_zero_info`), else ""."""
    if not name or name.split(".", 1)[0] not in LIGHTNING_PACKAGES:
        return ""
    return name.rsplit(".", 1)[-1]


def _warns(name: str | None) -> bool:
    return name == "warnings.warn" or _lightning_helper(name) in RANK_ZERO_WARNINGS


# OpenMMLab's `print_log(msg, logger=..., level=...)` logs through the logger it is given ("current" is the
# framework's named logger); without one it prints.
OPENMMLAB_PACKAGES = frozenset({"mmcv", "mmengine"})


def _framework_log_calls(pf: PythonFile) -> list[LogCall]:
    """Return the module's calls of Lightning's rank-zero log helpers (`rank_zero_info("...")`) and of OpenMMLab's
    `print_log` given a logger (`print_log("...", logger="current")`)."""
    found: list[LogCall] = []
    for call in pf.nodes(ast.Call):
        name = pf.call_name(call)
        level = RANK_ZERO_LOGS.get(_lightning_helper(name)) or _print_log_level(name, call) or _wrapper_level(pf, call)
        if level is not None:
            found.append(LogCall(pf.path, call.lineno, pf.location(call.lineno), level))
    return found


# the level constants of the logging module (`from logging import INFO`, `logging.WARNING`)
LEVEL_CONSTANTS = {"DEBUG": "debug", "INFO": "info", "WARN": "warning", "WARNING": "warning", "ERROR": "error"}
LEVEL_CONSTANTS |= {"CRITICAL": "critical", "FATAL": "critical"}


def _wrapper_level(pf: PythonFile, call: ast.Call) -> str | None:
    """Return the level of `log(INFO, "...")`: a bare-name `log` the project imports from its own logging module
    (`from pkg.common.logger import log`, bound there to `LOGGER.log`) called as `Logger.log` is, with a level
    constant first; None for any other call (`logging.log` itself is a root-logger call `_log_calls` reads)."""
    func = call.func
    if not (isinstance(func, ast.Name) and func.id == "log" and func.id in pf.from_imports and call.args):
        return None
    if (pf.call_name(call) or "").rpartition(".")[0] in LOGGER_MODULES:
        return None
    first = call.args[0]
    constant = first.id if isinstance(first, ast.Name) else first.attr if isinstance(first, ast.Attribute) else ""
    qualified = pf.qualname(first) or ""
    return LEVEL_CONSTANTS.get(constant) if qualified.startswith("logging.") else None


def _print_log_level(name: str | None, call: ast.Call) -> str | None:
    """Return the level of an OpenMMLab `print_log` call handed a logger (`level=logging.WARNING` -> "warning",
    "info" by default); None for any other call, and for one without a logger (it prints)."""
    if not name or name.rsplit(".", 1)[-1] != "print_log" or name.split(".", 1)[0] not in OPENMMLAB_PACKAGES:
        return None
    logger = kw_value(call, "logger") or (call.args[1] if len(call.args) > 1 else None)
    if logger is None or is_const(logger, None) or is_const(logger, "silent"):
        return None
    level = kw_value(call, "level") or (call.args[2] if len(call.args) > 2 else None)
    named = level.attr.lower() if isinstance(level, ast.Attribute) else "info"
    return named if named in LEVELS else "info"


def _is_work(stmt: ast.stmt) -> bool:
    """Return True for a top-level statement that does work rather than define: a loop, a `with` or a call."""
    return isinstance(stmt, ast.For | ast.While | ast.With) or (
        isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
    )


def _named_calls(pf: PythonFile) -> tuple[tuple[str, int], ...]:
    """Return how often the module calls, by bare name, a function it defines or imports from another module."""
    own = {s.name for s in pf.tree.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)}
    known = own | {local for local, qualified in pf.imports.items() if "." in qualified}
    counts = Counter(c.func.id for c in pf.nodes(ast.Call) if isinstance(c.func, ast.Name) and c.func.id in known)
    return tuple(sorted(counts.items()))


def _logging_of(pf: PythonFile) -> LogFile:
    found: LogFile = pf.file_fact(LOG_FILE_FACT, log_file)
    return found


def log_facts(project: Project) -> LogFacts:
    """Return the logging facts of the project (computed once)."""
    facts: LogFacts = project.fact("capabilities.logging", _collect)
    return facts


def _log_calls(pf: PythonFile) -> list[LogCall]:
    """Return the module's level calls on a logger (`logger.info(...)`, `logging.warning(...)`) and of a level
    function imported from a logging module by name (`from logging import warning; warning(...)`)."""
    found: list[LogCall] = []
    for call in pf.nodes(ast.Call):
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in LOG_METHODS and _is_logger(pf, func.value):
            level = func.attr
        elif isinstance(func, ast.Name) and _imported_level_function(pf.call_name(call)):
            level = (pf.call_name(call) or "").rsplit(".", 1)[-1]
        else:
            continue
        if level == "log" and (not call.args or records_metric(pf, call)):
            continue
        found.append(LogCall(pf.path, call.lineno, pf.location(call.lineno), level))
    return found


def _imported_level_function(name: str | None) -> bool:
    """Return True for a level function of a logging module called by its bare name (`logging.warning`)."""
    module, _, level = (name or "").rpartition(".")
    return module in LOGGER_MODULES and level in LOG_METHODS


def _module_logger(pf: PythonFile) -> bool:
    """Return True when the module binds a logger at module level (also through the package's own logging module,
    imported relatively: `from ..utils import logging; logger = logging.get_logger(__name__)`), imports one by
    name (`from .logging import logger`, a package's named logger), gets its own by `__name__` in a function, or
    logs through absl's logging module (`from absl import logging`), whose functions use absl's named logger."""
    for stmt in pf.tree.body:
        if isinstance(stmt, ast.Assign | ast.AnnAssign) and isinstance(stmt.value, ast.Call):
            func = stmt.value.func
            name = pf.call_name(stmt.value) or (func.attr if isinstance(func, ast.Attribute) else "")
            if name.endswith(("getLogger", "get_logger")) or name == "structlog.get_logger":
                return True
    if any(local.lower().rstrip("_").endswith("logger") for local in [*pf.imports, *pf.from_imports]):
        return True
    if ABSL_LOGGING in pf.imports.values():
        return True  # absl's level functions log through absl's own named logger, never the root (as LOG003 reads it)
    return any(_named_for_module(pf, call) for call in pf.nodes(ast.Call))


ABSL_LOGGING = "absl.logging"  # `from absl import logging`: the logging of absl apps (Google and DeepMind code)


def _named_for_module(pf: PythonFile, call: ast.AST) -> bool:
    """Return True for `logging.getLogger(__name__)` anywhere in the module (in a function, stored on `self`):
    the same named logger a module-level binding would give."""
    if not (isinstance(call, ast.Call) and call.args and isinstance(call.args[0], ast.Name)):
        return False
    return call.args[0].id == "__name__" and (pf.call_name(call) or "").endswith(("getLogger", "get_logger"))


def _gated_helpers(pf: PythonFile) -> set[str]:
    """Return the module's output helpers that return early unless the verbosity asks for output
    (`def output(msg, level=0): if level > VERBOSITY.get(): return ...`)."""
    helpers: set[str] = set()
    for stmt in pf.tree.body:
        if not isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        body = stmt.body[1:] if ast.get_docstring(stmt, clean=False) is not None else stmt.body
        first = body[0] if body else None
        if (
            isinstance(first, ast.If)
            and _output_flag(first.test)
            and len(first.body) == 1
            and isinstance(first.body[0], ast.Return)
            and len(body) > 1
        ):
            helpers.add(stmt.name)
    return helpers


def _gated_helper_calls(project: Project) -> int:
    """Return how many calls of the library and script code go through a verbosity-gated output helper."""
    files = [_logging_of(pf) for pf in code_files(project)]
    helpers = {name for own in files for name in own.gated_helpers}
    if not helpers:
        return 0
    return sum(n for own in files for name, n in own.helper_calls if name in helpers)


def _is_script(project: Project, pf: PythonFile) -> bool:
    """Return True for a root-level module nothing imports that does its work at the top level (a training
    script without a main guard): it is run directly and its prints are its output, not a library's."""
    return "/" not in pf.path and _logging_of(pf).works_at_top and pf.path not in imported_files(project)


def _collect(project: Project) -> LogFacts:
    calls: list[LogCall] = []
    loggers: list[str] = []
    gated = warned = library = 0
    bare: list[str] = []
    printing: list[str] = []
    for pf in code_files(project):
        own = _logging_of(pf)
        calls.extend(own.calls)
        if own.module_logger:
            loggers.append(pf.path)
        warned += own.warnings
        if pf.kind is not FileKind.LIBRARY or _is_script(project, pf):
            continue
        library += pf.code_lines > 0
        before = len(bare)
        for call in library_prints(project, pf):
            if call.verbose:
                gated += 1
            elif call.function is not None or not script_output(project, pf, call):
                bare.append(pf.location(call.line))
        if len(bare) > before:
            printing.append(pf.path)
    helper_calls = _gated_helper_calls(project)
    return LogFacts(tuple(calls), tuple(loggers), gated, helper_calls, tuple(bare), warned, library, tuple(printing))


@register_capability
class LoggingUsed(Capability):
    """The code logs through a logging library (logging, loguru, structlog, Lightning's `rank_zero_info`, the
    project's own alias of `Logger.log` called with a level constant: `log(INFO, "...")`): five or more log calls
    earn it."""

    key = "logging_used"
    practice = "logging"
    title = "Code logs through a logging library"
    points = 20

    def assess(self, project: Project) -> Assessment:
        calls = log_facts(project).calls
        if not calls:
            return Assessment.missing(NO_LOGS)
        modules = len({c.path for c in calls})
        first = calls[0]
        return Assessment.partly(
            len(calls) / 5, f"{len(calls)} log calls in {modules} modules, e.g. {first.where}", first.path, first.line
        )


@register_capability
class OutputControllable(Capability):
    """Output goes through logs (or, in a library CLI, prints behind a verbose flag, an output helper that returns
    early below its verbosity level, and warnings), not bare prints in library code (share of output statements
    that can be silenced or routed). A published library with no output statement at all (layers, metrics, pure
    functions) prints nothing a caller cannot silence: earned, as for a library that only warns."""

    key = "output_controllable"
    practice = "logging"
    title = "Library output is logged, not printed"
    points = 25

    def assess(self, project: Project) -> Assessment:
        facts = log_facts(project)
        controlled = len(facts.calls) + facts.gated_prints + facts.gated_helper_calls + facts.warnings
        if not controlled and _silent_library(project):
            return Assessment.earned(SILENT_LIBRARY)
        if not controlled:
            detail = f"; {len(facts.bare_prints)} bare prints, e.g. {facts.bare_prints[0]}" if facts.bare_prints else ""
            return Assessment.missing(f"No log calls, warnings or verbose-gated output{detail}")
        good = controlled
        total = good + len(facts.bare_prints)
        sentence = f"{share_text(good, total)} output statements are log calls, warnings or verbose-gated prints"
        if facts.bare_prints:
            sentence += f"; bare prints in library code remain, e.g. {facts.bare_prints[0]}"
        return Assessment.partly(ratio(good / total, 0.2, 0.95), sentence)


SILENT_LIBRARY = "Published library with no output statement: it prints nothing a caller cannot silence"


def _silent_library(project: Project) -> bool:
    """Return True for a published library whose code neither prints, logs, warns nor gates output."""
    facts = log_facts(project)
    quiet = not (facts.calls or facts.gated_prints or facts.gated_helper_calls or facts.warnings or facts.bare_prints)
    return quiet and is_library(project)


@register_capability
class QuietLibraryCode(Capability):
    """Library modules do not print: the share of library modules without a bare print (95% earns it fully,
    half or fewer nothing). Output a caller cannot silence or route is the harm printing does, so a library
    that never prints has that half of the practice right even before it logs."""

    key = "library_quiet"
    practice = "logging"
    title = "Library code does not print"
    points = 10

    def assess(self, project: Project) -> Assessment:
        facts = log_facts(project)
        if not facts.library_modules:
            if project.python_of(FileKind.SCRIPT):  # command-line scripts: printing is their output
                return Assessment.earned(
                    "No library modules: every module is a command-line script, whose prints are its output"
                )
            return Assessment.missing("No library modules (all code runs as scripts or notebooks)")
        quiet = facts.library_modules - len(facts.printing_modules)
        sentence = f"{share_text(quiet, facts.library_modules)} library modules print nothing bare"
        if facts.printing_modules:
            sentence += f"; prints in {facts.printing_modules[0]}"
        return Assessment.partly(ratio(quiet / facts.library_modules, 0.5, 0.95), sentence)


@register_capability
class ModuleLoggers(Capability):
    """Modules that log use a named logger (`logging.getLogger(__name__)` or a shared logger), not the root logger."""

    key = "module_loggers"
    practice = "logging"
    title = "Named module loggers"
    points = 15

    def assess(self, project: Project) -> Assessment:
        facts = log_facts(project)
        logging_modules = sorted({c.path for c in facts.calls})
        if not logging_modules:
            return Assessment.missing(NO_LOGS)
        if not facts.module_loggers:
            return Assessment.missing(
                f"{len(logging_modules)} modules log through the root logger; none binds logger = logging.getLogger(__name__)"
            )
        path = facts.module_loggers[0]
        return Assessment.partly(
            len(facts.module_loggers) / len(logging_modules),
            f"{share_text(len(facts.module_loggers), len(logging_modules))} logging modules use a named logger, e.g. {path}",
            path,
        )


@register_capability
class LoggingConfigured(Capability):
    """Logging is configured once (basicConfig, dictConfig, handlers, a logging config file, absl's `app.run(main)`,
    which installs absl's handler and reads its --verbosity and --log_dir flags) so logs are shown.

    A published library earns it by leaving configuration to its users, as the logging HOWTO
    asks ("Configuring Logging for a Library"), provided its output can be routed at all: it
    logs, or prints only behind a verbose flag.
    """

    key = "logging_configured"
    practice = "logging"
    title = "Logging configured"
    points = 10

    def assess(self, project: Project) -> Assessment:
        for path in LOG_CONFIG_FILES:
            if project.has_file(path) or any(p.endswith("/" + path) for p in project.texts):
                return Assessment.earned(f"logging configuration file {path}", path)
        for pf in code_files(project):
            found = _logging_of(pf).configures
            if found is not None:
                line, name = found
                return Assessment.earned(f"{pf.location(line)} configures logging ({name})", pf.path, line)
        return _left_to_users(project) or Assessment.missing(
            "Logging is never configured (no basicConfig, dictConfig or handler)"
        )


def _configures(pf: PythonFile) -> tuple[int, str] | None:
    """Return (line, call) of the module's first call that configures logging (basicConfig, handlers, ...)."""
    for call in pf.nodes(ast.Call):
        name = pf.call_name(call) or ""
        method = call.func.attr if isinstance(call.func, ast.Attribute) else ""
        if name in CONFIG_CALLS or (method in CONFIG_METHODS and _on_logging(pf, call)):
            return call.lineno, name or method
    return None


def _on_logging(pf: PythonFile, call: ast.Call) -> bool:
    """Return True when a method call's receiver is a logger or part of `logging` (`root.addHandler(...)`)."""
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    return receiver is not None and (_is_logger(pf, receiver) or (pf.qualname(receiver) or "").startswith("logging."))


def _left_to_users(project: Project) -> Assessment | None:
    """Return the earned assessment of a library whose routable output is configured by its users."""
    if project_kind(project).kind != "library":
        return None
    facts = log_facts(project)
    counts = [(len(facts.calls), "log call"), (facts.gated_prints, "verbose-gated print")]
    routable = [f"{n} {noun}{'s' if n != 1 else ''}" for n, noun in counts if n]
    if not routable:
        return None
    return Assessment.earned(
        f"published library: its output ({', '.join(routable)}) is left for the application to configure, as a library should"
    )


@register_capability
class LevelsUsed(Capability):
    """Log calls use levels (at least two of debug, info, warning, error) so noise can be filtered."""

    key = "levels_used"
    practice = "logging"
    title = "Log levels used"
    points = 5

    def assess(self, project: Project) -> Assessment:
        calls = log_facts(project).calls
        levels = Counter(c.level for c in calls if c.level in LEVELS)
        if not levels:
            return Assessment.missing(NO_LOGS)
        names = ", ".join(f"{level} x{n}" for level, n in levels.most_common())
        return Assessment.partly(len(levels) / 2, f"log levels used: {names}")


_NOTHING_TRAINED = "No code trains a model (no backward pass, optimizer step or fit call): no run's metrics to track"
# a published library's training loop runs in its users' programs (the reproducibility practice's reading)
_NO_OWN_RUN = f"{LIBRARY_RUNS}, whose runs are theirs to track"


@register_capability
class ExperimentTracker(Capability):
    """Runs are recorded in an experiment tracker (W&B, MLflow, TensorBoard, Lightning or Keras loggers).

    Only code that trains has runs to track: where nothing trains (an inference library, a model
    service) the capability does not apply, as for tracked runs in reproducibility; nor in a published library
    whose only training loops are its API (a trainer's `fit`), said as such. It stands in
    only where the output is already routable (log calls, warnings, verbose-gated output) or a published
    library has none at all, so a project that prints without any logging still scores as one.
    """

    key = "experiment_tracker"
    practice = "logging"
    title = "Experiment tracker"
    points = 15

    def assess(self, project: Project) -> Assessment:
        found = tracker_use(project)
        if found is not None:
            return Assessment.earned(found, found.split(":", 1)[0])
        facts = log_facts(project)
        routable = len(facts.calls) + facts.gated_prints + facts.gated_helper_calls + facts.warnings
        if (routable or _silent_library(project)) and first_training_call(project) is None:
            return Assessment.nothing_to_apply(_NO_OWN_RUN if is_library(project) else _NOTHING_TRAINED)
        return Assessment.missing("No experiment tracker (W&B, MLflow, TensorBoard) records metrics")
