"""Provides what several `performance` rules share: the loop-rule base, one claim per data loop, profiling evidence.

The loops themselves are a fact (`mlaudit.facts.loops`); each loop rule's module holds its
own detection. PRF005 and PRF001 both describe the work of a data loop, so a loop gets one
description: the first rule of `CLAIM_ORDER` that claims it; loops nested in a claimed loop
are left alone. Every loop rule's findings in a file are one per-file fact
(`LOOP_FINDINGS_FACT`): the project-wide lists are built from it without a tree.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from mlaudit.discover import BENCHMARK_DIRS
from mlaudit.facts.kind import is_example
from mlaudit.facts.loops import FileLoops, Iteration, Loop, code_files, is_numeric, last_name, loops_of
from mlaudit.model import FileKind, Severity
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Output, Rule, load_rules

CLAIM_ORDER = ("PRF005", "PRF001")


PROFILERS = frozenset(
    {"cProfile", "profile", "pstats", "pyinstrument", "line_profiler", "memory_profiler", "scalene", "yappi", "timeit"}
)


# Where a finding sits in the project-wide order of loop findings: file, then each `for` loop's
# row iteration (0), growth (1) and claim (2), then comprehensions over rows, then applies.
FOR_LOOP, COMPREHENSION, APPLY = 0, 1, 2
ROW_SLOT, GROWTH_SLOT, CLAIM_SLOT = 0, 1, 2


# Methods that train a model or fit a distribution on the data they get: one whole fit per call, no vectorised form.
FIT_METHODS = frozenset({"fit", "fit_transform", "fit_predict"})


def fits_model(calls: Iterable[ast.AST]) -> bool:
    """Return True when one of the nodes calls a fit method with data (`est.fit(X, y)`, `dist.fit(row)`)."""
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in FIT_METHODS
        and bool(node.args)
        for node in calls
    )


# a frame that describes the model's inputs holds one row per variable or parameter, not one per sample
# (`var_df`: `var`/`vars` is the usual short form of variables)
DESCRIBING_WORDS = ("variable", "param", "schema")
DESCRIBING_SHORT = frozenset({"var", "vars"})
# a frame named a grid holds one row per point to evaluate (a partial-dependence or parameter grid): each row sets
# the values a whole-dataset computation runs with, so that computation, not the loop, is the cost
GRID_WORDS = frozenset({"grid", "grids"})


def describes_inputs(receiver: ast.expr) -> bool:
    """Return True for a frame named for the model's variables or parameters (`self.variables`, `param_table`,
    `var_df`) or for a grid of points to evaluate (`grid`, `value_grid`): one row per column of the data or per
    setting, not one per sample."""
    words = [w.lower() for w in re.split(r"_+|(?<=[a-z])(?=[A-Z])", last_name(receiver).strip("_")) if w]
    return any(word.startswith(DESCRIBING_WORDS) or word in GRID_WORDS | DESCRIBING_SHORT for word in words)


LOOP_FINDINGS_FACT = "performance.loop_findings"  # a per-file fact (mlaudit.filefacts)


# A function named for showing its result to a person (`plot_roc`, `print_summary`, as the logging rules read it).
DISPLAY_WORDS = frozenset(
    {"visualize", "visualise", "plot", "render", "display", "draw", "show", "print", "pprint", "figure", "chart"}
)


# Modules and packages of plotting code (`shap/plots/_bar.py`, `utils/plotting.py`, `viz/`): their functions draw.
PLOTTING_MODULES = frozenset(
    {"plot", "plots", "plotting", "viz", "vis", "visualization", "visualizations", "visualisation", "visualisations"}
)


def draws_for_reader(function: str, path: str = "") -> bool:
    """Return True for `visualize`, `plot_attention`, `draw_boxes`, `print_summary`, `make_error_figure`, or any function of a plotting module
    (`plots/_bar.py`): a function that builds a figure or page walks the tokens, boxes or rows a person reads,
    a handful, and its cost is the drawing, not the numbers."""
    if {word.lower() for word in re.split(r"_+|(?<=[a-z])(?=[A-Z])", function)} & DISPLAY_WORDS:
        return True
    parts = path.removesuffix(".py").split("/")
    return any(part.lstrip("_").lower() in PLOTTING_MODULES for part in parts)


@dataclass(frozen=True)
class LoopFinding:
    """One loop problem: where it is, what it does, and its place in the project-wide order.

    In the per-file fact the rank starts with 0; the project's lists put the file's position there.
    """

    path: str
    line: int
    message: str
    severity: Severity | None
    rank: tuple[int, ...]


def loop_finding(
    pf: PythonFile, node: ast.AST, text: str, rank: tuple[int, ...], severity: Severity | None = None
) -> LoopFinding:
    """Return a finding at `node`: `text in f() (loop at line N)`."""
    line = getattr(node, "lineno", 0)
    shown = pf.where(line).line
    return LoopFinding(pf.path, line, f"{text}{where(pf, node)} (loop at line {shown})", severity, rank)


def where(pf: PythonFile, node: ast.AST) -> str:
    """Return ` in f()` naming the node's function, or nothing at module level."""
    func = pf.enclosing_function(node)
    return f" in {func.name}()" if func is not None else ""


class LoopRule(Rule):
    """Base of the rules that judge the loops fact: `detect` finds one file's problems."""

    def detect(self, loops: FileLoops) -> Iterator[LoopFinding]:
        """Yield this rule's findings in one numeric code file."""
        raise NotImplementedError

    def findings(self, project: Project) -> list[LoopFinding]:
        """Return this rule's findings in the whole project, in file and source order."""
        found: list[tuple[str, LoopFinding]] = project.fact("performance.all_loop_findings", _all_findings)
        return [finding for code, finding in found if code == self.code]

    def check(self, project: Project) -> Iterator[Output]:
        for found in self.findings(project):
            yield Hit(found.path, found.line, found.message, severity=found.severity)


class ClaimingLoopRule(LoopRule):
    """Base of the rules that describe a data loop's work (`CLAIM_ORDER`): each data loop gets one description."""

    def claim(self, loops: FileLoops, loop: Loop, iteration: Iteration) -> str | None:
        """Return this rule's description of a data loop's work, or None."""
        raise NotImplementedError

    def detect(self, loops: FileLoops) -> Iterator[LoopFinding]:
        return (found for code, found in _claims(loops, _claimers()) if code == self.code)


def _claimers() -> list[ClaimingLoopRule]:
    return [rule() for rule in _claiming_rules()]


@functools.cache
def _claiming_rules() -> tuple[type[ClaimingLoopRule], ...]:
    """Return the rules that claim data loops, in `CLAIM_ORDER` (the registry is complete once loaded)."""
    rules = load_rules()
    return tuple(rule for code in CLAIM_ORDER if issubclass(rule := rules[code], ClaimingLoopRule))


@functools.cache
def _detecting_rules() -> tuple[tuple[str, type[LoopRule]], ...]:
    """Return the loop rules that detect on their own (not by claiming loops), by code, found once."""
    return tuple(
        (code, rule)
        for code, rule in load_rules().items()
        if issubclass(rule, LoopRule) and not issubclass(rule, ClaimingLoopRule)
    )


def file_loop_findings(pf: PythonFile) -> tuple[tuple[str, LoopFinding], ...]:
    """Return every loop rule's findings in one file with the rule's code (ranks start with 0, the file).

    A file that is not numeric code has none; the file's loops are walked once for all rules.
    """
    if not is_numeric(pf):
        return ()
    loops = loops_of(0, pf)
    found = [(code, finding) for code, rule in _detecting_rules() for finding in rule().detect(loops)]
    found.extend(_claims(loops, _claimers()))
    return tuple(found)


def _all_findings(project: Project) -> list[tuple[str, LoopFinding]]:
    """Return the loop findings of every numeric code file, ranked by the file's position among them.

    Loops in examples, tutorials and docs are info: they show the reader how to call the code, and
    are not the project's hot path.
    """
    numeric = [pf for pf in code_files(project) if is_numeric(pf)]
    return [
        (code, replace(finding, rank=(index, *finding.rank[1:]), severity=_severity(pf, finding)))
        for index, pf in enumerate(numeric)
        for code, finding in pf.file_fact(LOOP_FINDINGS_FACT, file_loop_findings)
    ]


def _severity(pf: PythonFile, finding: LoopFinding) -> Severity | None:
    return Severity.INFO if is_example(pf.path) else finding.severity


def _claims(loops: FileLoops, claimers: list[ClaimingLoopRule]) -> Iterator[tuple[str, LoopFinding]]:
    """Yield the claimed data loops of a file: each with the first rule of `CLAIM_ORDER` that describes it."""
    seen: set[ast.AST] = set()
    for loop in loops.loops:
        iteration = loop.iteration
        if loop.walks_components or iteration is None or loop.has_break:
            continue
        if any(anc in seen for anc in loops.pf.ancestors(loop.node)):
            continue
        for claimer in claimers:
            text = claimer.claim(loops, loop, iteration)
            if text is not None:
                seen.add(loop.node)
                rank = (loops.index, FOR_LOOP, loop.index, CLAIM_SLOT)
                yield claimer.code, loop_finding(loops.pf, loop.node, text, rank)
                break


def slow_loops(project: Project) -> list[LoopFinding]:
    """Return every loop problem of the project (PRF001-PRF005) outside examples, tutorials and docs, in file
    and source order."""
    found = [
        f
        for rule in load_rules().values()
        if issubclass(rule, LoopRule)
        for f in rule().findings(project)
        if not is_example(f.path)
    ]
    return sorted(found, key=lambda f: f.rank)


BENCHMARK_FACT = "performance.benchmark_fixture"  # a per-file fact (mlaudit.filefacts)


def takes_benchmark(pf: PythonFile) -> bool:
    """Return True when a function of the file takes pytest-benchmark's `benchmark` fixture."""
    return any(a.arg == "benchmark" for a in pf.nodes(ast.arg))


# a script named for benchmarking or profiling (`scripts/benchmark_predict.py`, `bench.py`, `profile_train.py`)
BENCH_FILE = re.compile(r"(^|/)(bench\w*|\w*benchmark\w*|profil\w*)\.py$")


def benchmark_script(pf: PythonFile) -> bool:
    """Return True for a script, test or runnable module named for benchmarking or profiling, or standing in a
    benchmark folder at any depth (`pkg/benchmark/cache_speed.py`), that reads a clock (`speed_benchmark`); a
    library module named after a benchmark it serves (a data set: `datasets/imagenet_benchmark.py`) or a
    script comparing models' scores (`plot_over_sampling_benchmark.py`: ROC curves) measures no speed."""
    runnable = pf.kind in (FileKind.SCRIPT, FileKind.TEST) or pf.has_main_guard
    return runnable and speed_benchmark(pf)


def benchmark_module(pf: PythonFile) -> bool:
    """Return True for a library module named for benchmarking that times code (`utils/benchmark.py` whose
    `measure_latency(model, inputs)` reads `time.perf_counter()` or CUDA timing events around the calls it
    measures): the project's speed measurements, shipped for its users to run. A library module named after a
    benchmark it serves (a data set: `datasets/imagenet_benchmark.py`) times nothing."""
    named = pf.kind is FileKind.LIBRARY and not pf.has_main_guard and LIBRARY_BENCH_FILE.search(pf.path) is not None
    return named and bool(pf.file_fact(TIMES_CODE_FACT, times_code))


# a library module named for benchmarking (`utils/benchmark.py`, `bench_utils.py`); a library's `profile.py` is as
# often a user's or a setting's profile as a profiler
LIBRARY_BENCH_FILE = re.compile(r"(^|/)(bench\w*|\w*benchmark\w*)\.py$")
# the calls that time code: a timer read around it, or CUDA events recording its elapsed time
TIMERS = frozenset(
    {"time.perf_counter", "time.perf_counter_ns", "time.time", "time.time_ns", "time.monotonic", "time.monotonic_ns"}
    | {"time.process_time", "time.process_time_ns", "timeit.default_timer", "torch.utils.benchmark.Timer"}
    | {"torch.cuda.Event"}
)
TIMES_CODE_FACT = "performance.times_code"  # a per-file fact (mlaudit.filefacts)


def times_code(pf: PythonFile) -> bool:
    """Return True when the module reads a timer or records CUDA timing events (`time.perf_counter()`,
    `torch.cuda.Event(enable_timing=True)`); a per-file fact."""
    return any(pf.call_name(call) in TIMERS for call in pf.nodes(ast.Call))


def speed_benchmark(pf: PythonFile) -> bool:
    """Return True for a benchmark that times code: a script in a benchmarks folder (`benchmark/table_perf.py`)
    or named for benchmarking (`bench_loader.py`) that reads a clock, or has asv time its `time_*` methods. It measures the API's speed; the models
    it fits are its workload, not a model the project makes."""
    in_folder = any(part.lower() in BENCHMARK_DIRS for part in pf.path.split("/")[:-1])
    return (in_folder or bool(BENCH_FILE.search(pf.path))) and _reads_clock(pf)


# Modules a speed measurement reads its clock from: `time.perf_counter()`, `timeit`, `torch.utils.benchmark`.
CLOCKS = frozenset({"time", "timeit", "datetime"}) | PROFILERS


READS_CLOCK_FACT = "performance.reads_clock"  # a per-file fact (mlaudit.filefacts)


def _reads_clock(pf: PythonFile) -> bool:
    found: bool = pf.file_fact(READS_CLOCK_FACT, reads_clock)
    return found


# Prefixes of the functions and methods airspeed velocity (asv) times or measures (`def time_run_check(self, ...)`):
# its harness reads the clock around each.
ASV_BENCHMARK_PREFIXES = ("time_", "timeraw_", "peakmem_")


def reads_clock(pf: PythonFile) -> bool:
    """Return True when the module reads a clock: imports one, times CUDA work (`torch.cuda.Event`), or defines the
    timing benchmarks of airspeed velocity (`def time_checks(self, cache)`, or one added as
    `setattr(Suite, f"time_{name}", run)`, which asv's harness times); a per-file
    fact."""
    names = (*pf.imported_modules, *pf.imports.values())
    if any(n.split(".", 1)[0] in CLOCKS or n.startswith("torch.utils.benchmark") for n in names):
        return True
    if any(
        isinstance(f, ast.FunctionDef) and f.name.startswith(ASV_BENCHMARK_PREFIXES) for f in pf.nodes(ast.FunctionDef)
    ):
        return True
    calls = [call for call in pf.nodes(ast.Call) if isinstance(call, ast.Call)]
    return any(_adds_asv_benchmark(call) for call in calls) or any(
        (pf.call_name(call) or "").endswith(("cuda.Event", "cuda.synchronize")) for call in calls
    )


def _adds_asv_benchmark(call: ast.Call) -> bool:
    """Return True for `setattr(Suite, f"time_{name}", run)`: a timing benchmark asv finds on the class, added by name."""
    if not (isinstance(call.func, ast.Name) and call.func.id == "setattr" and len(call.args) == 3):
        return False
    name = call.args[1]
    if isinstance(name, ast.JoinedStr) and name.values:
        name = name.values[0]
    return (
        isinstance(name, ast.Constant) and isinstance(name.value, str) and name.value.startswith(ASV_BENCHMARK_PREFIXES)
    )


def _uses_profiler(pf: PythonFile) -> str | None:
    """Return the profiler a module imports (`import cProfile`, `from torch import profiler`), if any.

    `timeit` counts only when its benchmark runs (`timeit.timeit`, `repeat`, `Timer`): a module that reads
    `timeit.default_timer` around an epoch uses a clock, as `time.perf_counter()` is, and benchmarks nothing."""
    tops = sorted({m.split(".", 1)[0] for m in pf.imported_modules} & PROFILERS)
    if tops == ["timeit"] and not _runs_timeit(pf):
        tops = []
    if tops:
        return tops[0]
    names = (*pf.imported_modules, *pf.imports.values())
    return "torch.profiler" if any(n == "torch.profiler" or n.startswith("torch.profiler.") for n in names) else None


TIMEIT_BENCHMARKS = frozenset({"timeit.timeit", "timeit.repeat", "timeit.Timer", "timeit.main"})


RUNS_TIMEIT_FACT = "performance.runs_timeit"  # a per-file fact (mlaudit.filefacts)


def _runs_timeit(pf: PythonFile) -> bool:
    if any(qualified in TIMEIT_BENCHMARKS for qualified in pf.imports.values()):
        return True
    found: bool = pf.file_fact(RUNS_TIMEIT_FACT, runs_timeit)
    return found


def runs_timeit(pf: PythonFile) -> bool:
    """Return True when the module times a statement with `timeit` (`timeit.timeit(...)`, `Timer(...).repeat()`);
    a per-file fact."""
    return any(pf.call_name(call) in TIMEIT_BENCHMARKS for call in pf.nodes(ast.Call))


def profiling_evidence(project: Project) -> list[str]:
    """Return where the repository shows profiling or benchmarking (scripts, imports, fixtures, folders).

    PRF006 and the `profiled` capability read this one list, so they never disagree.
    """
    found = [f"benchmark script {path}" for path, pf in sorted(project.python.items()) if benchmark_script(pf)]
    found += [f"benchmark module {path}" for path, pf in sorted(project.python.items()) if benchmark_module(pf)]
    for pf in project.python.values():
        used = _uses_profiler(pf)
        if used:
            found.append(f"{used} in {pf.path}")
        elif pf.kind is FileKind.TEST and pf.file_fact(BENCHMARK_FACT, takes_benchmark):
            found.append(f"pytest-benchmark in {pf.path}")
    folders = {f.path.split("/", 1)[0] for f in project.files if "/" in f.path}
    found.extend(f"{name}/ folder" for name in sorted(folders & BENCHMARK_DIRS))
    return found
