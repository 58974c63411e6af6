"""Provides the capabilities of the `functions` practice: code cut into small, simple, callable units."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, replace

from mlaudit.capabilities import Assessment, Capability, register_capability
from mlaudit.capabilities._common import import_graph, ratio, share_text
from mlaudit.facts.kind import is_library
from mlaudit.model import FileKind
from mlaudit.project import Project, PythonFile, is_main_guard, module_name
from mlaudit.rules.functions._shared import _script_style_candidate, all_functions, code_metrics, import_time_work
from mlaudit.rules.functions.fun004_long_function import LENGTHS_FACT, function_lengths
from mlaudit.rules.logging._shared import (
    CLI_DECORATORS,
    _console_scripts,
    _decorator_label,
    _guard_called_names,
)
from mlaudit.tools.complexity import FunctionMetrics

SMALL_LINES = 40
SIMPLE_COMPLEXITY = 10
SHARE_FLOOR = 0.4
SHARE_TARGET = 0.9
ORCHESTRATOR_LINES = 50
ORCHESTRATOR_COMPLEXITY = 12
INLINE_GUARD_LINES = 40
FLAT_COMPLEXITY = 3
PARSER_OPTIONS = 5
ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "route", "api_route", "websocket"})
MAINTAINABLE = 20.0
NO_FUNCTIONS = "No functions: the code runs as module-level statements"
ENTRY_FACT = "functions.entry_shape"  # a per-file fact (mlaudit.filefacts)


@dataclass(frozen=True)
class EntryShape:
    """What the entry-point measure needs of one module.

    `tops`: its top-level functions as (name, `def` line, async), in source order; `decorated`: those with
    a CLI or route decorator; `guard_calls`: names called in its main guards; `calls`: (function, top-level
    function it calls by name); `parsers`: lines of argument-parser builders; `inline_guards`: (line, length)
    of long inline main guards.
    """

    tops: tuple[tuple[str, int, bool], ...]
    decorated: frozenset[str]
    guard_calls: frozenset[str]
    calls: frozenset[tuple[str, str]]
    parsers: frozenset[int]
    inline_guards: tuple[tuple[int, int], ...]
    factories: frozenset[int] = frozenset()  # `def` lines of top-level functions and methods returning their own defs


def entry_shape(pf: PythonFile) -> EntryShape:
    """Return the entry-point shape of one module (a per-file fact)."""
    defs = [s for s in pf.tree.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)]
    decorated = {
        fn.name for fn in defs if {_decorator_label(d) for d in fn.decorator_list} & (CLI_DECORATORS | ROUTE_METHODS)
    }
    return EntryShape(
        tuple((fn.name, fn.lineno, isinstance(fn, ast.AsyncFunctionDef)) for fn in defs),
        frozenset(decorated),
        frozenset(_guard_called_names(pf) if pf.has_main_guard else ()),
        _top_calls(pf, {fn.name for fn in defs}),
        frozenset(_parser_builders(pf)),
        tuple(_inline_guards(pf)),
        frozenset(_factories(pf)),
    )


def _factories(pf: PythonFile) -> set[int]:
    """Return the `def` lines of the module's top-level functions and its top-level classes' methods that return a
    function or class they define (`def adam(lr): def init_fn(params): ...; def update_fn(...): ...; return
    GradientTransformation(init_fn, update_fn)`, a class built on a given base, returned or instantiated)."""
    hosts = [s for s in pf.tree.body if isinstance(s, ast.FunctionDef)]
    hosts += [m for c in pf.tree.body if isinstance(c, ast.ClassDef) for m in c.body if isinstance(m, ast.FunctionDef)]
    return {fn.lineno for fn in hosts if _returns_own_definition(fn)}


def _returns_own_definition(fn: ast.FunctionDef) -> bool:
    """Return True when a `return` of the function (not of a function inside it) hands over a function or class
    defined directly in its body."""
    functions = {s.name for s in fn.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)}
    classes = {s.name for s in fn.body if isinstance(s, ast.ClassDef)}
    if not functions and not classes:
        return False
    todo: list[ast.AST] = list(fn.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        if (
            isinstance(node, ast.Return)
            and node.value is not None
            and _hands_definition(node.value, functions, classes)
        ):
            return True
        todo.extend(ast.iter_child_nodes(node))
    return False


def _hands_definition(value: ast.expr, functions: set[str], classes: set[str]) -> bool:
    """Return True when a returned value hands over one of the functions as it is (`Pair(init_fn, update_fn)`,
    `(init_fn, apply_fn)`), or one of the classes or an instance of it (`Adapter`, `Adapter(base)`: its methods
    come with it). A function it calls (`update_fn(state)`) hands over a result, not the function."""
    called = {id(n.func) for n in ast.walk(value) if isinstance(n, ast.Call)}
    names = [n for n in ast.walk(value) if isinstance(n, ast.Name)]
    return any(n.id in classes or (n.id in functions and id(n) not in called) for n in names)


def _shape(pf: PythonFile) -> EntryShape:
    return pf.file_fact(ENTRY_FACT, entry_shape)


@register_capability
class SmallFunctions(Capability):
    """Function code lives in short functions: the share of function code lines inside functions of at most
    40 code lines (90% earns it fully, 40% or less nothing). One 600-line function holds as much code as
    thirty small ones, so the measure is weighted by lines, not by function count. A line is counted once, in
    the function whose own statement it is: a nested function (a closure, a route handler a method registers,
    with its decorators and signature) is measured on its own, not again in its host, as FUN004 measures."""

    key = "small_functions"
    practice = "functions"
    title = "Functions are short"
    points = 20

    def assess(self, project: Project) -> Assessment:
        return _line_weighted_share(
            project,
            lambda f: f.own_lines,
            SMALL_LINES,
            f"functions of at most {SMALL_LINES} lines",
            "longest",
            "lines",
        )


@register_capability
class SimpleFunctions(Capability):
    """Function code lives in simple functions: the share of function code lines inside functions with
    cyclomatic complexity of 10 or less (radon A-B) once raise-only guard clauses at the top of the body are set
    aside (preconditions, not logic); 90% earns it fully, 40% or less nothing."""

    key = "simple_functions"
    practice = "functions"
    title = "Low complexity"
    points = 20

    def assess(self, project: Project) -> Assessment:
        return _line_weighted_share(
            project,
            lambda f: f.branching,
            SIMPLE_COMPLEXITY,
            f"functions of complexity {SIMPLE_COMPLEXITY} or less",
            "most complex",
            "",
        )


def _line_weighted_share(
    project: Project, measure: Callable[[FunctionMetrics], int], limit: int, within: str, worst_label: str, unit: str
) -> Assessment:
    """Return the share of function code lines in functions whose `measure` is at most `limit`, naming the worst."""
    funcs = list(all_functions(project))
    total = sum(f.own_lines for _, f in funcs)
    if not total:
        return Assessment.missing(NO_FUNCTIONS)
    kept = sum(f.own_lines for _, f in funcs if measure(f) <= limit)
    path, worst = max(funcs, key=lambda pair: measure(pair[1]))
    sentence = f"{kept * 100 // total}% of function code sits in {within}"
    if measure(worst) > limit:
        amount = f"{measure(worst)} {unit}".strip()
        sentence += f"; {worst_label}: {worst.name} ({amount}, {path}:{worst.line})"
    return Assessment.partly(ratio(kept / total, SHARE_FLOOR, SHARE_TARGET), sentence, path, worst.line)


@register_capability
class GuardedEntryPoints(Capability):
    """Modules do no work at import: loading, training and writing happen inside functions called from
    a main guard or a CLI (share of modules without import-time work)."""

    key = "no_import_time_work"
    practice = "functions"
    title = "No work at import time"
    points = 15

    def assess(self, project: Project) -> Assessment:
        candidates = [pf for pf in project.python_of(FileKind.LIBRARY, FileKind.SCRIPT) if _script_style_candidate(pf)]
        if not project.python_of(FileKind.LIBRARY, FileKind.SCRIPT) and project.python_of(FileKind.NOTEBOOK):
            return Assessment.missing("No Python modules: the code lives in notebooks, which run cell by cell")
        if not any(
            code_metrics(project).get(pf.path) and code_metrics(project)[pf.path].functions for pf in candidates
        ):
            return Assessment.missing(NO_FUNCTIONS)
        working = sorted((pf.path, import_time_work(pf)) for pf in candidates)
        bad = [(path, work) for path, work in working if work]
        clean = len(candidates) - len(bad)
        sentence = f"{share_text(clean, len(candidates))} modules do no work at import time"
        if bad:
            path, work = bad[0]
            sentence += f"; e.g. {path}:{work[0].lineno} runs on import"
        share = clean / len(candidates)
        return Assessment.partly(ratio(share, 0.5, 1.0), sentence)


@register_capability
class MaintainableModules(Capability):
    """Modules stay maintainable: the share of code lines in modules with a maintainability index of 20 or more."""

    key = "maintainable_modules"
    practice = "functions"
    title = "Maintainable modules"
    points = 15

    def assess(self, project: Project) -> Assessment:
        metrics = code_metrics(project)
        sized = [(path, m, project.python[path].code_lines) for path, m in metrics.items() if m.functions]
        total = sum(lines for _, _, lines in sized)
        if not total:
            return Assessment.missing(NO_FUNCTIONS)
        good = sum(lines for _, m, lines in sized if m.maintainability >= MAINTAINABLE)
        worst = min(sized, key=lambda item: item[1].maintainability)
        sentence = (
            f"{good * 100 // total}% of code lines sit in modules with maintainability index >= {MAINTAINABLE:.0f}"
        )
        if worst[1].maintainability < MAINTAINABLE:
            sentence += f"; lowest: {worst[0]} ({worst[1].maintainability:.0f})"
        return Assessment.partly(ratio(good / total, 0.5, 0.95), sentence)


def _entry_names(project: Project, pf: PythonFile) -> set[str]:
    """Return the names of the module's entry functions: console scripts, main-guard calls, CLI commands, routes."""
    scripts = project.fact("logging.scripts", _console_scripts)
    module = module_name(pf.path)
    names = {func for mod, func in scripts if mod == module}
    shape = _shape(pf)
    return names | shape.guard_calls | shape.decorated


def _inline_guards(pf: PythonFile) -> list[tuple[int, int]]:
    """Return (line, length) of main guards that run a long script inline instead of calling a function."""
    found: list[tuple[int, int]] = []
    for stmt in pf.tree.body:
        if isinstance(stmt, ast.If) and is_main_guard(stmt):
            length = (stmt.end_lineno or stmt.lineno) - stmt.lineno
            if length > INLINE_GUARD_LINES:
                found.append((stmt.lineno, length))
    return found


def _top_calls(pf: PythonFile, tops: set[str]) -> frozenset[tuple[str, str]]:
    """Return (function, top-level function of the module it calls directly by name)."""
    called: set[tuple[str, str]] = set()
    for call in pf.nodes(ast.Call):
        if isinstance(call.func, ast.Name) and call.func.id in tops:
            func = pf.enclosing_function(call)
            if func is not None:
                called.add((func.name, call.func.id))
    return frozenset(called)


def _called_tops(shape: EntryShape, names: set[str]) -> set[str]:
    """Return the module's top-level functions that the named entry functions call directly (one level)."""
    return {callee for caller, callee in shape.calls if caller in names}


def _delegated(shape: EntryShape, names: set[str], thin: set[str]) -> set[str]:
    """Return the entry functions, the module's functions they call, and the heavy functions reached through
    thin ones beyond (a console script's `cmd()` calling `cmd_finetune()`, which only calls `finetune()`: the
    work, and so an entry point to judge, is `finetune()`); a thin helper further down is no entry point."""
    found = names | _called_tops(shape, names)
    walked = set(found)
    frontier = (found - names) & thin
    while frontier:
        callees = _called_tops(shape, frontier) - walked
        walked |= callees
        found |= callees - thin
        frontier = callees & thin
    return found


def entry_points(project: Project) -> tuple[list[tuple[str, FunctionMetrics, bool]], list[tuple[str, int]]]:
    """Return the entry functions (and the functions they call in their module) with their figures, and the
    long inline main guards and script-style modules (`path:line (...)`, code lines)."""
    metrics = code_metrics(project)
    imported = {target for targets in import_graph(project).values() for target in targets}
    entries: list[tuple[str, FunctionMetrics, bool]] = []
    inline: list[tuple[str, int]] = []
    for pf in sorted(project.python_of(FileKind.LIBRARY, FileKind.SCRIPT), key=lambda p: p.path):
        module = metrics.get(pf.path)
        names = _entry_names(project, pf)
        shape = _shape(pf)
        if module is not None and names:
            tops = {name: line for name, line, _ in shape.tops}
            data = _data_lines(pf)
            by_line = {f.line: f for f in module.functions}
            thin = {n for n, line in tops.items() if line in by_line and _thin(by_line[line], shape.parsers, data)}
            lines = {tops[n] for n in _delegated(shape, names, thin) if n in tops}
            entries.extend((pf.path, f, _thin(f, shape.parsers, data)) for f in module.functions if f.line in lines)
        inline.extend((f"{pf.path}:{line} ({length} lines inline)", length) for line, length in shape.inline_guards)
        if _script_style_candidate(pf) and pf.path not in imported:
            work = import_time_work(pf)
            if work:
                inline.append((f"{pf.path}:{work[0].lineno} (module-level script)", pf.code_lines))
    return entries, inline


def _public_functions(project: Project) -> list[tuple[str, FunctionMetrics, bool]]:
    """Return a library's public top-level functions: without a CLI or service, they are its entry points."""
    found: list[tuple[str, FunctionMetrics, bool]] = []
    for path, module in sorted(code_metrics(project).items()):
        pf = project.python[path]
        if pf.kind is not FileKind.LIBRARY:
            continue
        shape = _shape(pf)
        tops = {line for name, line, is_async in shape.tops if not is_async and not name.startswith("_")}
        data = _data_lines(pf)
        api = (_as_factory(f, shape) for f in module.functions if f.line in tops)
        found.extend((path, f, _thin(f, shape.parsers, data)) for f in api)
    return found


def _as_factory(func: FunctionMetrics, shape: EntryShape) -> FunctionMetrics:
    """Return a factory's metrics with its own lines as its length: a public function returning the functions or
    classes it defines (optax's `init_fn`/`update_fn` pair, a stax layer's `init_fn`, `apply_fn`, `kernel_fn`)
    orchestrates nothing itself, and each definition it returns is measured as a function of its own."""
    if func.line not in shape.factories:
        return func
    return replace(func, code_lines=func.own_lines)


def _public_methods(project: Project) -> list[tuple[str, FunctionMetrics, bool]]:
    """Return the public methods (and `__call__`) of a library's public top-level classes: the API of a
    library without public functions. Read only for such a library, the rare module tree it needs."""
    found: list[tuple[str, FunctionMetrics, bool]] = []
    for path, module in sorted(code_metrics(project).items()):
        pf = project.python[path]
        if pf.kind is not FileKind.LIBRARY:
            continue
        lines = {
            item.lineno
            for cls in pf.tree.body
            if isinstance(cls, ast.ClassDef) and not cls.name.startswith("_")
            for item in cls.body
            if isinstance(item, ast.FunctionDef) and (not item.name.startswith("_") or item.name == "__call__")
        }
        data = _data_lines(pf)
        shape = _shape(pf)
        api = (_as_factory(f, shape) for f in module.functions if f.line in lines)
        found.extend((path, f, _thin(f, shape.parsers, data)) for f in api)
    return found


def _thin(func: FunctionMetrics, parsers: frozenset[int], data: dict[int, int]) -> bool:
    """Return True for an orchestrator: short and simple once its option declarations and data literals are
    set aside (a CLI that declares 50 options then calls one function is thin), or a flat parser builder."""
    if func.complexity > ORCHESTRATOR_COMPLEXITY:
        return False
    logic = func.code_lines - data.get(func.line, 0)
    return logic <= ORCHESTRATOR_LINES or (func.complexity <= FLAT_COMPLEXITY and func.line in parsers)


def _data_lines(pf: PythonFile) -> dict[int, int]:
    """Map each function's `def` line to its lines of data literals and option declarations (FUN004's fact)."""
    return {fn.line: fn.data_lines for fn in pf.file_fact(LENGTHS_FACT, function_lengths)}


def _parser_builders(pf: PythonFile) -> set[int]:
    """Return the lines of functions that mostly declare command-line options (add_argument calls)."""
    counts: dict[int, int] = {}
    for call in pf.nodes(ast.Call):
        if isinstance(call.func, ast.Attribute) and call.func.attr in {"add_argument", "add_option"}:
            func = pf.enclosing_function(call)
            if func is not None:
                counts[func.lineno] = counts.get(func.lineno, 0) + 1
    return {line for line, n in counts.items() if n >= PARSER_OPTIONS}


@register_capability
class EntryPointsOrchestrate(Capability):
    """Entry points (console scripts, main-guard calls, CLI commands, route handlers, and the functions of their
    module they call, on through thin wrappers to the heavy function doing the work; for a library without any, or a
    published library whose only scripts run at module level, its public functions, or the public methods of its
    public classes when its API is classes; one of those that returns the functions or classes it defines, a
    factory, is as long as its own statements) orchestrate: each is at most 50 code
    lines with complexity 12 or less (an argument-parser builder may be longer), and scripts do not run as
    module-level code or long inline main guards. Measured half by the share of entry points that are thin,
    half by the share of entry-point code lines inside them, so one 600-line main weighs more than a short one."""

    key = "entry_points_orchestrate"
    practice = "functions"
    title = "Entry points orchestrate"
    points = 30

    def assess(self, project: Project) -> Assessment:
        entries, inline = entry_points(project)
        if not entries and (not inline or is_library(project)):  # a library's API is its entry point
            entries = _public_functions(project)
        if not entries and not inline:  # a library whose API is classes: their public methods
            entries = _public_methods(project)
        if not entries and not inline:
            return Assessment.missing("No entry point function (main guard, console script, CLI command or route)")
        thin = [f for _, f, ok in entries if ok]
        fat = sorted(((p, f) for p, f, ok in entries if not ok), key=lambda pair: -pair[1].code_lines)
        problems = [
            (f"{f.name} ({f.code_lines} lines, complexity {f.complexity}, {p}:{f.line})", f.code_lines) for p, f in fat
        ]
        problems = sorted([*problems, *inline], key=lambda item: -item[1])
        thin_lines = sum(f.code_lines for f in thin)
        total_lines = thin_lines + sum(lines for _, lines in problems)
        sentence = f"{share_text(len(thin), len(entries) + len(inline))} entry points are thin orchestrators"
        if problems:
            sentence += f"; not: {', '.join(label for label, _ in problems[:2])}"
        by_lines = thin_lines / total_lines if total_lines else 0.0
        by_count = len(thin) / (len(entries) + len(inline))
        return Assessment.partly((by_lines + by_count) / 2, sentence)
