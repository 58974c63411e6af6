"""Provides rule PRF003: Row-wise apply instead of vectorised operations."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.facts.loops import FileLoops, method
from mlaudit.model import Severity
from mlaudit.registry import register
from mlaudit.rules.performance._shared import (
    APPLY,
    LoopFinding,
    LoopRule,
    describes_inputs,
    draws_for_reader,
    fits_model,
    where,
)


@register
class RowWiseApply(LoopRule):
    """Flags row-wise `DataFrame.apply(..., axis=1)` and `Series.apply(lambda ...)`.

    ## What it does
    Reports `.apply(f, axis=1)` on a DataFrame (warning) and `df["col"].apply(lambda v: ...)`
    on a column (info) in files that use pandas. Group-wise `groupby(...).apply` is left alone, and so
    are applies in functions that draw a figure or page (`plot`, `plot_*`, `visualize`, any function of a
    plotting module: `plots/_bar.py`): they format the handful of rows a reader sees (hover texts, labels),
    and the drawing is the cost. A lambda that only reads an attribute of a column's values
    (`df["segment"].apply(lambda s: s.start)`) reads a field of the Python objects the column holds, which no
    column operation replaces (a datetime field, `lambda d: d.year`, is `.dt.year` and still fires); nor does any
    build the Python container a lambda wraps each value in (`lambda x: {"correctness": x}`, `lambda t: [t]`, with
    no arithmetic inside). An applied
    lambda that fits a model or distribution to each row
    (`df.apply(lambda r: norm.fit(r), axis=1)`) is one fit per row, which no column arithmetic replaces. An
    apply over a frame that describes the data's variables or parameters (`var_df`, `variables`, `param_table`:
    one row per column of the data or per setting, as PRF002 reads such frames) loops over columns, not samples.

    In examples, tutorials and docs it is a note (info): that code shows the reader how to call
    the project and is not its hot path.

    ## Why is this bad?
    `apply` is a Python loop in disguise: the function runs once per row or value, where
    column arithmetic, `.map`, `.str` methods or `np.where` run in compiled code.

    ## Example
    ```python
    df["ratio"] = df.apply(lambda r: r["monthly"] / (r["total"] + 1), axis=1)
    df["plan"] = df["plan"].apply(lambda p: p.lower())
    ```

    ## Use instead
    ```python
    df["ratio"] = df["monthly"] / (df["total"] + 1)
    df["plan"] = df["plan"].str.lower()
    ```
    """

    code = "PRF003"
    title = "Row-wise apply instead of vectorised operations"
    practice = "performance"
    severity = Severity.WARNING
    fix = "Rewrite with column arithmetic, .map, .str/.dt accessors or np.where over whole columns."

    def detect(self, loops: FileLoops) -> Iterator[LoopFinding]:
        """Yield `.apply(..., axis=1)` and `df["col"].apply(lambda ...)` calls in a file that uses pandas."""
        pf = loops.pf
        if "pandas" not in {m.split(".", 1)[0] for m in pf.imported_modules}:
            return
        for index, call in enumerate(pf.nodes(ast.Call)):
            if method(call) != "apply" or not isinstance(call.func, ast.Attribute):
                continue
            host = pf.enclosing_function(call)
            if host is not None and draws_for_reader(host.name, pf.path):
                continue  # `plot()`: labels for the handful of rows a reader sees, the drawing is the cost
            receiver = call.func.value
            if describes_inputs(_frame_of(receiver)):
                continue  # `var_df.apply(..., axis=1)`: one row per column of the data, not one per sample
            rank = (loops.index, APPLY, index)
            if call.args and isinstance(call.args[0], ast.Lambda) and fits_model(ast.walk(call.args[0].body)):
                continue  # `apply(lambda x: dist.fit(x), axis=1)`: one fit per row, which no column arithmetic does
            if any(k.arg == "axis" and _is_row_axis(k.value) for k in call.keywords):
                text = f"{ast.unparse(receiver)[:40]}.apply(..., axis=1) runs Python per row{where(pf, call)}"
                yield LoopFinding(pf.path, call.lineno, text, None, rank)
            elif _is_column(receiver) and call.args and isinstance(call.args[0], ast.Lambda):
                if _reads_object_attribute(call.args[0]) or _wraps_value(call.args[0]):
                    continue  # `segment.apply(lambda s: s.start)`, `lambda x: {"k": x}`: Python objects, read or made
                text = f"{ast.unparse(receiver)[:40]}.apply(lambda ...) runs Python per value{where(pf, call)}"
                yield LoopFinding(pf.path, call.lineno, text, Severity.INFO, rank)


# the fields pandas' `.dt` accessor reads of a datetime, timedelta or period column in compiled code
DT_FIELDS = frozenset(
    {"year", "month", "day", "hour", "minute", "second", "microsecond", "nanosecond", "date", "time", "days"}
    | {"dayofweek", "day_of_week", "weekday", "dayofyear", "day_of_year", "quarter", "week", "weekofyear", "seconds"}
    | {"microseconds", "nanoseconds", "days_in_month", "daysinmonth", "is_leap_year", "tz", "freq", "components"}
    | {"is_month_start", "is_month_end", "is_quarter_start", "is_quarter_end", "is_year_start", "is_year_end"}
)


def _reads_object_attribute(func: ast.Lambda) -> bool:
    """Return True for `lambda s: s.start`: the lambda only reads an attribute of its value that no pandas accessor
    offers (a datetime field such as `x.year` is `.dt.year`), so the column holds Python objects and no column
    operation replaces the per-value read."""
    params = func.args.args
    body = func.body
    return (
        len(params) == 1
        and isinstance(body, ast.Attribute)
        and isinstance(body.value, ast.Name)
        and body.value.id == params[0].arg
        and body.attr not in DT_FIELDS
    )


CONTAINERS = (ast.Dict, ast.List, ast.Tuple, ast.Set)


def _wraps_value(func: ast.Lambda) -> bool:
    """Return True for `lambda x: {"correctness": x}` or `lambda t: [t]`: the lambda wraps each value in a Python
    container, computing nothing (no arithmetic inside), and no column operation builds such objects."""
    body = func.body
    return isinstance(body, CONTAINERS) and not any(
        isinstance(node, ast.BinOp | ast.UnaryOp | ast.Compare) for node in ast.walk(body)
    )


def _frame_of(receiver: ast.expr) -> ast.expr:
    """Return the frame an apply runs over: `var_df` for `var_df.apply` and for `var_df["type"].apply`."""
    return receiver.value if isinstance(receiver, ast.Subscript) else receiver


def _is_row_axis(value: ast.expr) -> bool:
    return isinstance(value, ast.Constant) and value.value in (1, "columns")


def _is_column(expr: ast.expr) -> bool:
    """Return True for `df["col"]` (a Series), not for groupby or rolling results."""
    if not isinstance(expr, ast.Subscript) or not isinstance(expr.slice, ast.Constant):
        return False
    return isinstance(expr.slice.value, str) and method(expr.value) not in {"groupby", "rolling", "resample"}
