"""Provides the rules of the `functions` practice: small, simple, single-purpose functions."""

from __future__ import annotations

import ast
import bisect
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from mlaudit.model import FileKind, Severity
from mlaudit.practices.logging import safe_snippet
from mlaudit.project import FunctionNode, Project, PythonFile, is_main_guard
from mlaudit.registry import Hit, Metric, Output, Rule, applicability, register
from mlaudit.scoring import linear_points
from mlaudit.tools.complexity import (
    FunctionMetrics,
    ModuleMetrics,
    function_code_lines,
    functions_of,
    module_metrics,
    parameter_count,
    rank,
)

CODE_KINDS = (FileKind.LIBRARY, FileKind.SCRIPT, FileKind.NOTEBOOK)
CONSTRUCTORS = frozenset({"__init__", "__post_init__", "__new__"})
PARSER_DECLARATIONS = frozenset({"add_argument", "add_argument_group", "add_mutually_exclusive_group", "set_defaults"})
MODEL_STATE_WORDS = ("checkpoint", "state_dict", "weights", "ckpt", "pretrained")
KERNEL_DECORATORS = frozenset({"jit", "njit", "autotune", "heuristics", "vectorize", "guvectorize", "stencil"})
SCRIPT_STYLE_EXEMPT_NAMES = frozenset({"__main__.py", "setup.py", "conftest.py", "noxfile.py", "manage.py"})
SCRIPT_STYLE_EXEMPT_DIRS = frozenset(
    {"docs", "doc", "examples", "example", "benchmarks", "benchmark", "asv_benchmarks"}
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
CONFIG_SUFFIXES = (".json", ".yaml", ".yml", ".toml", ".cfg", ".ini")
CONFIG_READS = frozenset({"open", "load", "safe_load", "loads", "read", "read_text", "Path"})
MODEL_LIBRARIES = ("torch.nn.", "sklearn.", "xgboost.", "lightgbm.", "catboost.", "keras.", "tensorflow.keras.")
STAGE_WORDS = {"load": "loads", "preprocess": "preprocesses", "train": "trains", "evaluate": "evaluates"}
PREPROCESS_NAMES = frozenset(
    {"fillna", "dropna", "drop_duplicates", "get_dummies", "fit_transform", "transform", "normalize", "tokenize"}
)
TRAIN_NAMES = frozenset({"fit", "partial_fit", "backward", "train_on_batch", "fit_generator", "zero_grad"})
EVALUATE_NAMES = frozenset(
    {"evaluate", "score", "predict", "predict_proba", "classification_report", "confusion_matrix"}
)


def _metrics_of(project: Project) -> dict[str, ModuleMetrics]:
    return {pf.path: module_metrics(pf) for pf in project.python_of(*CODE_KINDS)}


def code_metrics(project: Project) -> dict[str, ModuleMetrics]:
    """Return complexity and size figures of every library, script and notebook file (computed once)."""
    result: dict[str, ModuleMetrics] = project.fact("functions.metrics", _metrics_of)
    return result


def all_functions(project: Project) -> Iterator[tuple[str, FunctionMetrics]]:
    """Yield (path, function figures) for every function of library, script and notebook code."""
    for path, module in code_metrics(project).items():
        for func in module.functions:
            yield path, func


@applicability("functions")
def functions_apply(project: Project) -> str | None:
    """Functions are judged whenever there is non-test Python code."""
    return None if project.python_of(*CODE_KINDS) else "no Python code outside tests"


class _ComplexityRule(Rule):
    """Shared check of the three complexity bands; subclasses set `low` and `high`."""

    low = 11
    high = 20

    def check(self, project: Project) -> Iterator[Output]:
        for path, func in all_functions(project):
            if self.low <= func.complexity <= self.high:
                yield Hit(
                    path,
                    func.line,
                    f"{func.name}() has cyclomatic complexity {func.complexity} (rank {rank(func.complexity)})",
                )


@register
class ComplexFunction(_ComplexityRule):
    """Flags functions with cyclomatic complexity 11-20 (radon rank C).

    ## What it does
    Counts the independent paths through each function and method (radon's cyclomatic
    complexity: one plus every `if`, loop, `except`, boolean operator and comprehension),
    computed from the already-parsed syntax tree.

    ## Why is this bad?
    Every extra path needs its own test; a function with 15 paths is rarely tested on all of
    them, and the untested branch is where the silent data bug lives.

    ## Example
    ```python
    def clean(df, mode):
        if mode == "train":
            if df.isna().any().any():
                ...
        elif mode == "eval":
            ...
    ```

    ## Use instead
    ```python
    CLEANERS = {"train": clean_train, "eval": clean_eval}

    def clean(df: pd.DataFrame, mode: str) -> pd.DataFrame:
        return CLEANERS[mode](df)
    ```
    """

    code = "FUN001"
    restates = "simple_functions"
    title = "Complex function"
    practice = "functions"
    severity = Severity.WARNING
    fix = "Split the function: move each branch or loop body into a small named helper."
    weight = 3
    cap = 15

    def check(self, project: Project) -> Iterator[Output]:
        funcs = [f.complexity for _, f in all_functions(project)]
        if funcs:
            yield Metric("max_complexity", max(funcs))
            yield Metric("mean_complexity", round(sum(funcs) / len(funcs), 2))
        yield from super().check(project)


@register
class VeryComplexFunction(_ComplexityRule):
    """Flags functions with cyclomatic complexity 21-30 (radon rank D).

    ## What it does
    Reports functions and methods whose cyclomatic complexity is between 21 and 30.

    ## Why is this bad?
    At this size nobody holds every path in their head: changes break branches that no test
    exercises, and review cannot tell.

    ## Example
    ```python
    def run(cfg):
        # 25 ifs, loops and excepts in one body
        ...
    ```

    ## Use instead
    ```python
    def run(cfg: Config) -> Result:
        data = load(cfg.data)
        model = train(build_model(cfg.model), data)
        return evaluate(model, data)
    ```
    """

    code = "FUN002"
    restates = "simple_functions"
    title = "Very complex function"
    practice = "functions"
    severity = Severity.WARNING
    fix = "Break the function into steps with one job each; dispatch with a dict instead of if/elif chains."
    weight = 6
    cap = 20
    low = 21
    high = 30


@register
class UnmaintainableFunction(_ComplexityRule):
    """Flags functions with cyclomatic complexity above 30 (radon rank E/F).

    ## What it does
    Reports functions and methods whose cyclomatic complexity exceeds 30.

    ## Why is this bad?
    Such a function cannot be tested or reviewed with confidence; it is the place where
    bugs are found last.

    ## Example
    ```python
    def train_everything(...):
        # 400 lines, 45 branches
        ...
    ```

    ## Use instead
    ```python
    def train_everything(cfg: Config) -> Result:
        return evaluate(fit(build(cfg), load(cfg)), cfg)
    ```
    """

    code = "FUN003"
    restates = "simple_functions"
    title = "Unmaintainably complex function"
    practice = "functions"
    severity = Severity.ERROR
    fix = "Rewrite the function as a short pipeline of tested helpers, one per step."
    low = 31
    high = 10**9


@register
class LongFunction(Rule):
    """Flags functions longer than 60 code lines (error above 120).

    ## What it does
    Counts code lines (no blank lines, comments or docstring) of each function and method.
    Multi-line data literals (lookup tables) and argparse declarations are data, not logic:
    they count towards the warning but never make the finding an error.

    ## Why is this bad?
    A long function does several things; none of them can be tested or reused alone, and
    the reader has to scroll to understand any of it.

    ## Example
    ```python
    def train(cfg):
        ...  # 150 lines: load, clean, split, fit, evaluate, plot, save
    ```

    ## Use instead
    ```python
    def train(cfg: Config) -> Result:
        frame = load_frame(cfg.data)
        split = split_frame(clean(frame), cfg.split)
        return fit_and_score(cfg.model, split)
    ```
    """

    code = "FUN004"
    restates = "small_functions"
    title = "Long function"
    practice = "functions"
    severity = Severity.WARNING
    fix = "Extract the function's steps into named helpers of under 60 lines each."

    def check(self, project: Project) -> Iterator[Output]:
        warn = project.options.threshold("max_function_lines", 60)
        error = project.options.threshold("max_function_lines_error", 120)
        for pf in project.python_of(*CODE_KINDS):
            declarative = declaration_lines(pf)
            for fn in functions_of(pf):
                total = function_code_lines(pf, fn)
                if total <= warn:
                    continue
                data = len(declarative.get(fn, set()))
                logic = total - data
                severity = Severity.ERROR if logic > error else Severity.WARNING
                note = f" ({data} of them data literals or parser declarations)" if data else ""
                yield Hit(
                    pf.path, fn.lineno, f"{_qualified(pf, fn)}() is {total} code lines long{note}", severity=severity
                )


def declaration_lines(pf: PythonFile) -> dict[FunctionNode, set[int]]:
    """Map each function to the lines of multi-line data literals and argparse declarations in its body.

    Those lines are data, not logic: a constructor that is one big lookup table or a
    `get_parser()` of `add_argument` calls is long but not hard to follow.
    """
    found: dict[FunctionNode, set[int]] = defaultdict(set)
    for node in pf.nodes(ast.Dict, ast.List, ast.Set, ast.Tuple, ast.Call):
        end = node.end_lineno or node.lineno
        if end == node.lineno and not isinstance(node, ast.Call):
            continue
        if isinstance(node, ast.Call) and _last_attr(node.func) not in PARSER_DECLARATIONS:
            continue
        if not isinstance(node, ast.Call) and not _literal_data(node):
            continue
        owner = pf.enclosing_function(node)
        if owner is not None:
            found[owner].update(range(node.lineno, end + 1))
    return found


def _last_attr(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _literal_data(node: ast.AST) -> bool:
    """Return True for displays built only of constants, names and nested displays."""
    for child in ast.walk(node):
        if isinstance(child, ast.Call | ast.Lambda | ast.comprehension | ast.IfExp | ast.NamedExpr):
            return False
    return True


@register
class TooManyParameters(Rule):
    """Flags functions with more than seven parameters.

    ## What it does
    Counts the named parameters of each function and method (not `self`/`cls`, `*args`,
    `**kwargs`). Constructors (`__init__`) count only their required parameters: a model
    class configured by keyword defaults, filled from a registry or config, is not a smell.
    Compiled kernels (`@triton.jit`, `@numba.njit`) are skipped: their parameters are the
    kernel's calling convention.

    ## Why is this bad?
    Long parameter lists are hyperparameters passed by hand: call sites get them in the wrong
    order, defaults drift between callers, and nothing records the run's settings together.

    ## Example
    ```python
    def train(data, lr, epochs, batch_size, dropout, hidden, layers, seed, out_dir): ...
    ```

    ## Use instead
    ```python
    @dataclass(frozen=True)
    class TrainConfig:
        lr: float = 1e-3
        epochs: int = 10
        ...

    def train(data: Dataset, cfg: TrainConfig) -> Model: ...
    ```
    """

    code = "FUN005"
    title = "Too many parameters"
    practice = "functions"
    severity = Severity.WARNING
    fix = "Group related parameters into a frozen dataclass (a config object) and pass that."
    weight = 3
    cap = 15

    def check(self, project: Project) -> Iterator[Output]:
        limit = project.options.threshold("max_parameters", 7)
        for pf in project.python_of(*CODE_KINDS):
            for fn in functions_of(pf):
                counted = counted_parameters(fn)
                if counted > limit and not _kernel(pf, fn):
                    kind = " required" if fn.name in CONSTRUCTORS else ""
                    yield Hit(pf.path, fn.lineno, f"{_qualified(pf, fn)}() takes {counted}{kind} parameters")


def counted_parameters(fn: FunctionNode) -> int:
    """Return the parameters that make a call hard to write: every named one, or only required ones in constructors.

    A constructor whose parameters have defaults is configured by keyword (often from a
    registry or a YAML config); only its required parameters burden the caller.
    """
    if fn.name not in CONSTRUCTORS:
        return parameter_count(fn)
    args = fn.args
    positional = [*args.posonlyargs, *args.args]
    if positional and positional[0].arg in {"self", "cls", "mcs", "metacls"}:
        positional = positional[1:]
    required = len(positional) - len(args.defaults)
    required_kw = sum(1 for default in args.kw_defaults if default is None)
    return max(0, required) + required_kw


def _kernel(pf: PythonFile, fn: FunctionNode) -> bool:
    """Return True for compiled kernels (`@triton.jit`, `@numba.njit`): their parameters are a calling convention."""
    for deco in fn.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        name = (pf.qualname(target) or ast.unparse(target)).rsplit(".", 1)[-1]
        if name in KERNEL_DECORATORS:
            return True
    return False


def _qualified(pf: PythonFile, fn: FunctionNode) -> str:
    parent = pf.parent(fn)
    return f"{parent.name}.{fn.name}" if isinstance(parent, ast.ClassDef) else fn.name


@register
class LowMaintainability(Rule):
    """Flags modules whose maintainability index is below 10 (radon rank C).

    ## What it does
    Computes radon's maintainability index (0-100) per module from figures already known:
    code lines, total cyclomatic complexity, share of comment and docstring lines, and a
    Halstead volume estimated from operator nodes (see `mlaudit.tools.complexity`).

    ## Why is this bad?
    A low index means a big, branchy, undocumented module: the kind every change breaks.

    ## Example
    ```text
    utils.py   2,000 lines, 300 branches, no docstrings   MI 4
    ```

    ## Use instead
    ```text
    utils/io.py, utils/text.py, utils/plots.py   documented, small   MI 45+
    ```
    """

    code = "FUN006"
    restates = "maintainable_modules"
    title = "Low maintainability module"
    practice = "functions"
    severity = Severity.WARNING
    fix = "Split the module by responsibility and simplify its most complex functions."
    weight = 4
    cap = 15

    def check(self, project: Project) -> Iterator[Output]:
        floor = project.options.threshold("min_maintainability", 10)
        for path, module in code_metrics(project).items():
            if module.maintainability < floor:
                yield Hit(
                    path,
                    None,
                    f"{path} has maintainability index {module.maintainability:.0f} "
                    f"(total complexity {module.total_complexity})",
                )


def _script_style_candidate(pf: PythonFile) -> bool:
    parts = PurePosixPath(pf.path).parts
    if pf.kind not in (FileKind.LIBRARY, FileKind.SCRIPT) or parts[-1] in SCRIPT_STYLE_EXEMPT_NAMES:
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
    if label is None or label in HARMLESS_WORK:
        return False
    if label in WORK_NAMES or label.startswith(WORK_PREFIXES):
        return not (pf.call_name(call) or "").startswith("re.")
    qualified = pf.call_name(call) or ""
    return qualified.startswith(MODEL_LIBRARIES) and label[:1].isupper()


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


def import_time_work(pf: PythonFile) -> list[ast.stmt]:
    """Return the module-level statements that do real work (load, train, write) on import.

    Calling the module's own function or class counts when its body does such work
    (`model = Model()` whose constructor loads weights). Reading a config file
    (`json.load(open("config.json"))`) is configuration, not work.
    """
    spans = _module_spans(pf)
    if not spans:
        return []
    starts = [s.start for s in spans]
    working: set[str] | None = None  # walked only when a module-level call names a local definition
    found: dict[int, ast.stmt] = {}
    for call in pf.nodes(ast.Call):
        span = _span_of(spans, starts, call.lineno)
        if span is None or id(span.stmt) in found or _config_read(span.stmt):
            continue
        local = False
        if isinstance(call.func, ast.Name):
            working = _working_definitions(pf) if working is None else working
            local = call.func.id in working
        if not (local or is_work_call(pf, call)):
            continue
        if not any(isinstance(a, ast.Lambda) for a in pf.ancestors(call)):
            found[id(span.stmt)] = span.stmt
    return sorted(found.values(), key=lambda s: s.lineno)


def _working_definitions(pf: PythonFile) -> set[str]:
    """Return the top-level functions and classes of the file whose bodies do real work."""
    working: set[str] = set()
    for top in pf.tree.body:
        if not isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for node in ast.walk(top):
            if isinstance(node, ast.Call) and call_label(node) != "open" and is_work_call(pf, node):
                working.add(top.name)
                break
    return working


def _config_read(stmt: ast.stmt) -> bool:
    """Return True for a statement that only opens and parses a config file (`json.load(open("config.json"))`)."""
    names = [n.value for n in ast.walk(stmt) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    calls = [call_label(n) for n in ast.walk(stmt) if isinstance(n, ast.Call)]
    configs = any(name.endswith(CONFIG_SUFFIXES) for name in names)
    return configs and all(label in CONFIG_READS for label in calls)


@register
class ScriptStyleModule(Rule):
    """Flags modules that load data, build or train models at import time, outside a main guard.

    ## What it does
    Looks at statements that run when the module is imported (outside functions, classes and
    `if __name__ == "__main__":`) and reports the module when one of them loads data, parses
    arguments, builds or trains a model, plots or writes files. Imports, constants, logger
    creation, dataclass instances and registrations are fine. Notebooks, tests, `__main__.py`,
    setup.py and docs/examples/benchmarks folders are exempt.

    ## Why is this bad?
    Importing the module runs the experiment: tests, other modules and notebooks cannot reuse
    a single function from it without loading the data and training the model. Radon rates
    such a module "A" because the code is not inside a function.

    ## Example
    ```python
    df = pd.read_csv("train.csv")
    model = RandomForestClassifier().fit(df[FEATURES], df.y)
    ```

    ## Use instead
    ```python
    def main() -> None:
        df = pd.read_csv("train.csv")
        RandomForestClassifier().fit(df[FEATURES], df.y)

    if __name__ == "__main__":
        main()
    ```
    """

    code = "FUN007"
    restates = "no_import_time_work"
    title = "Module does work at import time"
    practice = "functions"
    severity = Severity.WARNING
    fix = 'Move the module-level work into a main() function called under if __name__ == "__main__":.'
    weight = 8
    cap = 25

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python_of(FileKind.LIBRARY, FileKind.SCRIPT):
            if not _script_style_candidate(pf):
                continue
            work = import_time_work(pf)
            if work:
                first = work[0]
                yield Hit(
                    pf.path,
                    first.lineno,
                    f"{pf.path} runs {len(work)} statement(s) on import, first: `{safe_snippet(pf.segment(first), 80)}`",
                )


def _local_tops(project: Project) -> frozenset[str]:
    tops: set[str] = set()
    for path in project.python:
        parts = PurePosixPath(path).parts
        if parts[0] == "src" and len(parts) > 1:
            parts = parts[1:]
        tops.add(PurePosixPath(parts[0]).stem)
    return frozenset(tops)


def _root_name(expr: ast.expr) -> str | None:
    while isinstance(expr, ast.Attribute | ast.Call | ast.Subscript):
        expr = expr.func if isinstance(expr, ast.Call) else expr.value
    return expr.id if isinstance(expr, ast.Name) else None


def _is_own_code(pf: PythonFile, call: ast.Call, local: frozenset[str]) -> bool:
    """Return True for calls into the project's own functions (orchestration, not work)."""
    root = _root_name(call.func)
    if root is None:
        return False
    if root in {"self", "cls"}:
        return True
    imported = pf.imports.get(root)
    if imported is None:
        return isinstance(call.func, ast.Name) and root != "open"
    return imported.split(".")[0] in local


def _receiver_name(call: ast.Call) -> str | None:
    """Return the lower-cased root name a method is called on (`optimizer` in `optimizer.step()`)."""
    if not isinstance(call.func, ast.Attribute):
        return None
    return (_root_name(call.func.value) or "").lower()


def _is_load(label: str) -> bool:
    return label == "open" or label.startswith(("read_", "load"))


def _is_preprocess(label: str) -> bool:
    return label in PREPROCESS_NAMES or label.startswith(("preprocess", "clean", "impute"))


def _is_train(label: str, receiver: str | None) -> bool:
    if label in TRAIN_NAMES:
        return True
    return receiver is not None and (label == "train" or (label == "step" and "optim" in receiver))


def _is_evaluate(label: str) -> bool:
    return label in EVALUATE_NAMES or label.endswith(("_score", "_error")) or label.startswith("eval")


def _mode_toggle(label: str, call: ast.Call) -> bool:
    """Return True for `model.train()` / `model.eval()`: switching a module's mode is not a stage."""
    return label in {"train", "eval"} and not call.args and not call.keywords


def _model_state(label: str) -> bool:
    """Return True for checkpoint and weight handling (`load_checkpoint`, `clean_checkpoint`): not data stages."""
    return any(word in label.lower() for word in MODEL_STATE_WORDS)


def stage_of(label: str, call: ast.Call) -> str | None:
    """Return which ML stage (load, preprocess, train, evaluate) a call's name belongs to."""
    if _mode_toggle(label, call) or _model_state(label):
        return None
    if _is_load(label):
        return "load"
    if _is_preprocess(label):
        return "preprocess"
    if _is_train(label, _receiver_name(call)):
        return "train"
    return "evaluate" if _is_evaluate(label) else None


def function_stages(pf: PythonFile, local: frozenset[str]) -> dict[FunctionNode, dict[str, str]]:
    """Map each function to the stages its own body touches, with the first call of each stage."""
    stages: dict[FunctionNode, dict[str, str]] = defaultdict(dict)
    for call in pf.nodes(ast.Call):
        label = call_label(call)
        stage = stage_of(label, call) if label else None
        if stage is None or label is None or _is_own_code(pf, call, local):
            continue
        owner = pf.enclosing_function(call)
        if owner is not None:
            stages[owner].setdefault(stage, label)
    return stages


@register
class MixedResponsibilities(Rule):
    """Flags one function that loads data, preprocesses, trains and evaluates by itself.

    ## What it does
    Classifies the calls in each function body into four stages (loading: `read_csv`,
    `load`, `open`; preprocessing: `fillna`, `transform`, `get_dummies`; training: `fit`,
    `backward`, `optimizer.step`; evaluating: `predict`, `score`, `*_score` metrics) and reports
    functions of 15+ code lines touching three or more. Calls into the project's own functions
    (an orchestrating `main()` calling `load_data()`, `train()`...) do not count, nor do mode
    switches (`model.train()`, `model.eval()`) or checkpoint handling (`load_checkpoint`).

    ## Why is this bad?
    None of the steps can be tested, reused or swapped alone: changing the metric means
    re-running the loading code, and a notebook cannot import just the preprocessing.

    ## Example
    ```python
    def run(path):
        df = pd.read_csv(path).fillna(0)
        model = LogisticRegression().fit(df[X], df.y)
        print(accuracy_score(df.y, model.predict(df[X])))
    ```

    ## Use instead
    ```python
    def run(path: Path) -> float:
        frame = clean(load(path))
        model = fit(frame)
        return score(model, frame)
    ```
    """

    code = "FUN008"
    title = "Function mixes loading, preprocessing, training and evaluation"
    practice = "functions"
    severity = Severity.WARNING
    fix = "Split it into load_*, preprocess_*, train_* and evaluate_* functions and call them in sequence."
    weight = 6
    cap = 20

    def check(self, project: Project) -> Iterator[Output]:
        local = _local_tops(project)
        for pf in project.python_of(*CODE_KINDS):
            for fn, stages in function_stages(pf, local).items():
                if len(stages) >= 3 and function_code_lines(pf, fn) >= 15:
                    did = ", ".join(f"{STAGE_WORDS[s]} ({c})" for s, c in stages.items())
                    yield Hit(pf.path, fn.lineno, f"{fn.name}() {did} in one body")


WINDOW = 8
MAX_SPREAD = 50


def string_statement_lines(pf: PythonFile) -> set[int]:
    """Return the lines of bare string statements (docstrings), which are not code to compare."""
    lines: set[int] = set()
    for stmt in pf.nodes(ast.Expr):
        if isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
            lines.update(range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1))
    return lines


def interface_lines(pf: PythonFile) -> set[int]:
    """Return the lines of function signatures and import statements: interfaces shared on purpose, not copied logic.

    Model families implement one method signature each (`forward_intermediates(self, x, indices=None, ...)`);
    identical parameter lists and multi-line import lists are not a block someone copied.
    """
    lines: set[int] = set()
    functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = [
        *pf.nodes(ast.FunctionDef),
        *pf.nodes(ast.AsyncFunctionDef),
    ]
    for func in functions:
        lines.update(range(func.lineno, func.body[0].lineno))
    for stmt in pf.nodes(ast.Import, ast.ImportFrom):
        lines.update(range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1))
    return lines


def normalised_lines(pf: PythonFile) -> tuple[list[int], list[int]]:
    """Return (hashes of normalised code lines, their 1-based line numbers), skipping noise."""
    skip = string_statement_lines(pf) | interface_lines(pf)
    hashes: list[int] = []
    numbers: list[int] = []
    for number, raw in enumerate(pf.lines, start=1):
        line = _without_comment(raw).strip()
        if len(line) < 4 or number in skip or line.startswith(("#", "import ", "from ", "@")):
            continue
        hashes.append(hash(line))
        numbers.append(number)
    return hashes, numbers


def _without_comment(line: str) -> str:
    """Return the line without a trailing `# comment` (a `#` after an odd number of quotes is in a string)."""
    cut = line.find("#")
    while cut > 0:
        before = line[:cut]
        if before.count('"') % 2 == 0 and before.count("'") % 2 == 0:
            return before
        cut = line.find("#", cut + 1)
    return line


def _windows(hashes: list[int]) -> dict[int, int]:
    """Return each distinct window hash of a file with its first position."""
    first: dict[int, int] = {}
    for start in range(len(hashes) - WINDOW + 1):
        first.setdefault(hash(tuple(hashes[start : start + WINDOW])), start)
    return first


@dataclass(frozen=True)
class DuplicatePair:
    """Two files sharing copied code: the size of the shared block and where it starts."""

    first: str
    second: str
    shared_lines: int
    line_in_second: int
    line_in_first: int


def _covered(starts: list[int]) -> int:
    covered = 0
    reach = -1
    for start in sorted(starts):
        end = start + WINDOW
        covered += end - max(start, reach)
        reach = end
    return covered


_SHIFT = 32
_MASK = (1 << _SHIFT) - 1


def _shared_windows(files: list[PythonFile]) -> tuple[dict[int, list[int]], list[list[int]]]:
    """Link every copy of a window to its first holder: linear, and only ints (no GC pressure).

    Keys of the result are `first << 32 | other` file indexes; values `pos_other << 32 | pos_first`.
    """
    numbers: list[list[int]] = []
    windows: list[dict[int, int]] = []
    first_holder: dict[int, int] = {}
    copies: dict[int, int] = defaultdict(int)
    for index, pf in enumerate(files):
        hashes, lines = normalised_lines(pf)
        numbers.append(lines)
        windows.append(_windows(hashes))
        for window, start in windows[-1].items():
            first_holder.setdefault(window, index << _SHIFT | start)
            copies[window] += 1
    shared: dict[int, list[int]] = defaultdict(list)
    for index, own in enumerate(windows):
        for window, start in own.items():
            holder = first_holder[window]
            if 2 <= copies[window] <= MAX_SPREAD and holder >> _SHIFT != index:
                shared[(holder >> _SHIFT) << _SHIFT | index].append(start << _SHIFT | (holder & _MASK))
    return shared, numbers


def duplicate_pairs(files: list[PythonFile], min_lines: int) -> list[DuplicatePair]:
    """Return file pairs sharing at least `min_lines` normalised lines; each copy is paired with the first file."""
    shared, numbers = _shared_windows(files)
    pairs: list[DuplicatePair] = []
    for key, positions in shared.items():
        a, b = key >> _SHIFT, key & _MASK
        size = _covered([p >> _SHIFT for p in positions])
        if size >= min_lines:
            first = min(positions)
            pos_b, pos_a = first >> _SHIFT, first & _MASK
            pairs.append(DuplicatePair(files[a].path, files[b].path, size, numbers[b][pos_b], numbers[a][pos_a]))
    return sorted(pairs, key=lambda p: (p.second, p.first))


COPIED_SHARE_OK = 0.01  # copies covering up to 1% of the code cost nothing
COPIED_SHARE_WORST = 0.07  # copies covering 7% or more cost the rule's cap


@register
class DuplicatedCode(Rule):
    """Flags files that share a copied block of code (copy-per-experiment folders).

    ## What it does
    Hashes every window of eight normalised code lines (whitespace, blank, comment, docstring,
    import, decorator and function-signature lines dropped) of library and script modules and reports each file
    sharing at least 12 such lines with an earlier file (in path order), once per pair, with
    the size of the shared block. `__init__.py` files and windows found in more than 50
    files (boilerplate) are ignored. Copies between numbered sibling folders (`week_1/`,
    `week_2/`, `lesson-3/`: a course's per-step snapshots) are an info note; numbered experiment
    folders (`exp055/`, `exp056/`) are the drift this rule is about. The copies are priced by the
    share of code lines they cover: up to 1% costs nothing, 7% or more costs the cap, linearly
    between.

    ## Why is this bad?
    `exp055/train.py` and `exp056/train.py` drift apart: a bug fixed in one lives on in the
    other, and nobody knows which copy produced the model in production.

    ## Example
    ```text
    exp055/train.py   # 300 lines
    exp056/train.py   # the same 300 lines, one learning rate changed
    ```

    ## Use instead
    ```text
    churn/train.py               # shared code, imported
    configs/exp055.yaml          # what differs between experiments
    configs/exp056.yaml
    ```
    """

    code = "FUN009"
    title = "Duplicated code block across files"
    practice = "functions"
    severity = Severity.WARNING
    fix = "Move the shared code into one module both files import, and keep only the differences (a config) apart."
    scoring = "measured"
    weight = 0  # each copy is listed where it is; the share they cover is what costs
    cap = 20

    def check(self, project: Project) -> Iterator[Output]:
        code = project.python_of(FileKind.LIBRARY, FileKind.SCRIPT)
        files = [pf for pf in code if not pf.path.endswith("__init__.py") and len(pf.lines) >= WINDOW]
        min_lines = int(project.options.threshold("min_duplicate_lines", 12))
        by_path = {pf.path: pf for pf in files}
        copied = 0
        for pair in duplicate_pairs(files, min_lines):
            snapshot = snapshot_folders(pair.first, pair.second)
            copied += 0 if snapshot else pair.shared_lines
            note = " (numbered snapshot folders, copied by design)" if snapshot else ""
            here = block_start(by_path[pair.second], pair.line_in_second)
            there = block_start(by_path[pair.first], pair.line_in_first)
            yield Hit(
                pair.second,
                here,
                f"{pair.second} shares {pair.shared_lines} code lines with {pair.first} "
                f"(from line {here} here, line {there} there){note}",
                severity=Severity.INFO if snapshot else None,
            )
        yield self._share(copied, sum(pf.code_lines for pf in code))

    @staticmethod
    def _share(copied: int, total: int) -> Metric:
        """Price the copies by the share of the code they cover: 1% is noise, 7% costs the cap."""
        share = copied / total if total else 0.0
        points = linear_points(1 - share, 1 - COPIED_SHARE_WORST, 1 - COPIED_SHARE_OK, DuplicatedCode.effective_cap())
        reason = f"FUN009 {share:.1%} of the code lines are copies of blocks in other files ({copied} of {total})"
        return Metric("duplicated_code_share", round(share, 4), points, reason)


def block_start(pf: PythonFile, line: int) -> int:
    """Return the `def` line when a shared block starts with a function's first statement, else `line`.

    Signatures are not compared, so a copied function is found from its body; the reader
    still wants to land on the function.
    """
    functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = [
        *pf.nodes(ast.FunctionDef),
        *pf.nodes(ast.AsyncFunctionDef),
    ]
    for func in functions:
        body = [s for s in func.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
        if body and body[0].lineno == line:
            return func.lineno
    return line


# Course and tutorial steps; numbered experiment folders (`exp055/`, `run3/`, `v2/`) are drift, not snapshots.
SNAPSHOT_FOLDER = re.compile(
    r"^(week|lesson|chapter|ch|part|step|day|lecture|module|session|unit|tutorial|lab|class|episode)[_-]?(\d+)",
    re.IGNORECASE,
)


def snapshot_folders(first: str, second: str) -> bool:
    """Return True when two files sit in numbered course-step folders (`week_1/`, `week_2/`; `lesson-3/`).

    Courses and tutorials keep one snapshot of the project per step; copies between steps
    are the point, not drift.
    """
    a, b = PurePosixPath(first).parts, PurePosixPath(second).parts
    if len(a) < 2 or len(b) < 2:
        return False
    ma, mb = SNAPSHOT_FOLDER.match(a[0]), SNAPSHOT_FOLDER.match(b[0])
    return bool(ma and mb and ma.group(1).lower() == mb.group(1).lower() and ma.group(2) != mb.group(2))
