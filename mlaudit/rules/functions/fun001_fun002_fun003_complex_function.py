"""Provides rules FUN001 (Complex function), FUN002 (Very complex function), FUN003 (Unmaintainably complex function), one detection."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Metric, Output, Rule, register
from mlaudit.rules.functions._shared import all_functions
from mlaudit.tools.complexity import rank


class _ComplexityRule(Rule):
    """Shared check of the three complexity bands; subclasses set `low` and `high`."""

    low = 11
    high = 20

    def check(self, project: Project) -> Iterator[Output]:
        for path, func in all_functions(project):
            if self.low <= func.branching <= self.high:
                guards = (
                    f", not counting {func.guard_paths} of its raise-only guard clauses" if func.guard_paths else ""
                )
                yield Hit(
                    path,
                    func.line,
                    f"{func.name}() has cyclomatic complexity {func.branching} (rank {rank(func.branching)}){guards}",
                )


@register
class ComplexFunction(_ComplexityRule):
    """Flags functions with cyclomatic complexity 11-20 (radon rank C).

    ## What it does
    Counts the independent paths through each function and method (radon's cyclomatic
    complexity: one plus every `if`, loop, `except`, boolean operator and comprehension),
    computed from the already-parsed syntax tree. Guard clauses at the top of the body that
    only raise (`if n_bins < 2: raise ValueError(...)`) are preconditions, not logic: a flat
    run of them is read as a checklist, so their paths are not counted.

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
