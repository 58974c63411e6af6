"""Provides rule PRF002: Loop over DataFrame rows."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

from mlaudit.facts.loops import FileLoops, method, unwrap
from mlaudit.model import Severity
from mlaudit.project import PythonFile
from mlaudit.registry import register
from mlaudit.rules.performance._shared import (
    COMPREHENSION,
    FOR_LOOP,
    ROW_SLOT,
    LoopFinding,
    LoopRule,
    describes_inputs,
    draws_for_reader,
    loop_finding,
)

FEW_ROWS = frozenset({"head", "tail", "sample", "nlargest", "nsmallest"})
# A row loop that reads or fetches a file per row walks a manifest: the I/O, not the loop, is the cost.
ROW_IO = frozenset(
    {"open", "read_image", "imread", "load", "read_file", "read_csv", "read_parquet", "urlopen", "download"}
    | {"exists", "isfile", "isdir", "getsize", "stat"}  # checking each row's file: the disk, not pandas, sets the pace
)
# Calls that place one mark on a map or figure (folium markers, matplotlib text and patches, a plotly figure's traces
# and shapes): no column form exists.
MARK_CALLS = frozenset(
    {"annotate", "text", "arrow", "add_patch", "add_artist", "axvline", "axhline", "axvspan", "add_annotation"}
    | {"add_trace", "add_shape", "add_vline", "add_hline", "add_vrect", "add_hrect"}
    | {"add_to", "add_child", "Marker", "CircleMarker", "Circle", "Rectangle", "Polygon", "PolyLine", "Popup"}
)
# Calls that hand work to a concurrent task or worker (`asyncio.create_task(...)`, `executor.submit(f, row)`): a row
# loop made of them dispatches I/O-bound work (an LLM or HTTP call per row) that runs concurrently.
DISPATCH_CALLS = frozenset(
    {"create_task", "ensure_future", "to_thread", "run_in_executor", "submit", "apply_async", "delay", "spawn"}
)
# Calls that keep a value computed per row: a loop that makes them computes, whatever else it draws.
KEEPS = frozenset({"append", "extend", "update", "insert", "add", "setdefault"})


@register
class DataFrameRowLoop(LoopRule):
    """Flags loops over DataFrame rows with `iterrows()` or `itertuples()`.

    ## What it does
    Reports `for ... in df.iterrows()` (warning) and `df.itertuples()` (info) loops and
    comprehensions, except over a handful of rows (`df.head(20).iterrows()`) and over a frame that
    describes the model's inputs, one row per variable or parameter (`self.variables.iterrows()`, `var_df.iterrows()`,
    `param_grid_df.iterrows()`), or that is a grid of points to evaluate (`grid.iterrows()`: one row per
    partial-dependence or parameter setting, each running the model over the whole data), not one per sample.
    A row loop that only turns each row into a line of a report or text (formats text, joins the row's fields,
    prints, logs or keeps it, with no arithmetic: `print(f"{row.label}: {row.recall:.3f}")` over a per-class
    table, `lines.append(", ".join(f"{h}: {row[h]}" for h in headers))` to index a table as text) computes
    nothing and is info, as is a comprehension whose element only formats the row into text
    (`"".join(f"<td>{row.label}</td>" for _, row in df.iterrows())`). A row loop that
    reads or checks a file per row (`read_image`, `open`, `imread`, `os.path.exists`) walks a
    file manifest and is info, and so is a loop or comprehension that turns each row into an object of a class
    and keeps nothing else (`[Order(**row) for _, row in df.iterrows()]`, `out.append(Observation(...))`):
    records become objects, which no column operation makes. So is a loop that ends by yielding each row's record
    and keeps no running value (`yield key, {"text": row.text, "label": int(row.label)}` in a dataset builder's
    example generator): the consumer takes the stream one example at a time. A loop or comprehension that hands each row to a
    concurrent task or worker and keeps nothing else (`[asyncio.to_thread(summarise, row) for row in
    df.iterrows()]`, `futures.append(pool.submit(embed, row))`) dispatches I/O-bound work, an LLM or HTTP call per
    row, that runs concurrently: the task, not the loop, is the cost, and it is info. Row loops in functions that draw a figure or page (`visualize_*`,
    `plot_*`, `draw_*`, `render`, `make_*_figure`, `*_chart`, any function of a plotting module such as `plots/_bar.py`) place one
    mark per row a person reads and are not reported, nor are
    loops that only place a mark per row on a map or figure (`folium.CircleMarker(...).add_to(m)`,
    `ax.annotate(row.name, ...)`, a plotly `fig.add_trace(go.Scatter(...))` per subgroup) and keep nothing: those calls have no column-wise form. Each
    row loop is a slow spot of its own, whatever the size of the rest of the code: the rule scores
    flat, every finding counts.

    In examples, tutorials and docs it is a note (info): that code shows the reader how to call
    the project and is not its hot path.

    ## Why is this bad?
    `iterrows` builds a Series per row: 100-1000x slower than column operations, and it
    silently upcasts mixed dtypes.

    ## Example
    ```python
    for _, row in df.iterrows():
        df.loc[_, "ratio"] = row["monthly"] / (row["total"] + 1)
    ```

    ## Use instead
    ```python
    df["ratio"] = df["monthly"] / (df["total"] + 1)
    ```
    """

    code = "PRF002"
    scoring = "flat"
    title = "Loop over DataFrame rows"
    practice = "performance"
    severity = Severity.WARNING
    fix = "Use column operations (df['a'] / df['b'], np.where, groupby().agg) instead of iterating rows."

    def detect(self, loops: FileLoops) -> Iterator[LoopFinding]:
        """Yield the `for` loops, then the comprehensions, over `iterrows()`/`itertuples()`."""
        for loop in loops.loops:
            if loop.function is not None and draws_for_reader(loop.function.name, loops.pf.path):
                continue  # `visualize_documents()`: one mark per row a person reads, the drawing is the cost
            found = _row_iteration(loops.pf, loop.node.iter, (loops.index, FOR_LOOP, loop.index, ROW_SLOT))
            if found is not None and not _only_marks(loop.node.body):
                yield _judged_loop(found, loop.node.body)
        for index, comp in enumerate(loops.pf.nodes(ast.comprehension)):
            host = loops.pf.enclosing_function(comp)
            if host is not None and draws_for_reader(host.name, loops.pf.path):
                continue
            found = _row_iteration(loops.pf, comp.iter, (loops.index, COMPREHENSION, index))
            if found is not None:
                yield _judged_comprehension(found, loops.pf.parent(comp))


def _judged_loop(found: LoopFinding, body: Sequence[ast.stmt]) -> LoopFinding:
    """Return a row loop's finding as its body's work judges it: a file read, a task handed off, a report line
    or an object per row is a note."""
    if _reads_per_row(body):
        return _per_row_io(found)
    if _keeps_only(body, _dispatches):
        return _per_row_task(found)
    if _only_reports(body):
        return _per_row_report(found)
    if _yields_each_row(body):
        return _per_row_example(found)
    return _per_row_object(found) if _keeps_only_objects(body) else found


def _yields_each_row(body: Sequence[ast.stmt]) -> bool:
    """Return True when a loop body ends by yielding the row's record (`yield key, {"text": row.text, ...}`) and
    keeps no running value (no augmented assignment): a generator streaming one example per row to a consumer
    that takes them one at a time (a dataset builder, a data loader)."""
    last = body[-1] if body else None
    if not (isinstance(last, ast.Expr) and isinstance(last.value, ast.Yield) and last.value.value is not None):
        return False
    return not any(isinstance(node, ast.AugAssign) for stmt in body for node in ast.walk(stmt))


def _per_row_example(found: LoopFinding) -> LoopFinding:
    faster = "; itertuples() is faster" if "iterrows()" in found.message else ""
    return replace(
        found,
        severity=Severity.INFO,
        message=f"{found.message} (each row is yielded as one example of a stream{faster})",
    )


def _judged_comprehension(found: LoopFinding, built: ast.AST | None) -> LoopFinding:
    """Return a row comprehension's finding as its element judges it (`_judged_loop`): an element that only formats
    the row into text (`"".join(f"<td>{row.name}</td>" for _, row in df.iterrows())`) is a line of a report."""
    if built is not None and _reads_per_row([built]):
        return _per_row_io(found)
    element = _element(built)
    if _dispatches(element):
        return _per_row_task(found)
    if element is not None and _only_reports([element]):
        return _per_row_report(found)
    return _per_row_object(found) if _builds_objects(built) else found


def _only_marks(body: Sequence[ast.stmt]) -> bool:
    """Return True when a loop body places a mark on a map or figure per row and keeps no value it computes
    (no store into an item or attribute, no `append`): the drawing call has no vectorised form."""
    nodes = [node for stmt in body for node in ast.walk(stmt)]
    calls = [method(node) or getattr(node.func, "id", "") for node in nodes if isinstance(node, ast.Call)]
    if not any(name in MARK_CALLS for name in calls) or any(name in KEEPS for name in calls):
        return False
    return not any(
        isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, ast.Store) for node in nodes
    )


# Array and frame types: one built per row is data a column operation would build at once (`torch.tensor(df.values)`).
ARRAY_TYPES = frozenset(
    {"Series", "DataFrame", "Tensor", "FloatTensor", "LongTensor", "Timestamp", "Timedelta", "Index", "Categorical"}
)
CLASS_NAME = re.compile(r"^_*[A-Z][a-z0-9]\w*$")  # `ObservationFeatures`, not a constant (`MAX_ROWS`)


def _makes_object(node: ast.expr | None) -> bool:
    """Return True for a call of a class by its name (`Order(...)`, `models.Order(...)`), arrays and frames aside."""
    if not isinstance(node, ast.Call):
        return False
    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
    return bool(CLASS_NAME.match(name)) and name not in ARRAY_TYPES


def _element(built: ast.AST | None) -> ast.expr | None:
    """Return a comprehension's element (a dict comprehension's value), or None for anything else."""
    if isinstance(built, ast.ListComp | ast.SetComp | ast.GeneratorExp):
        return built.elt
    return built.value if isinstance(built, ast.DictComp) else None


def _builds_objects(built: ast.AST | None) -> bool:
    """Return True for a comprehension whose element (or value) is an object of a class made from the row."""
    return _makes_object(_element(built))


def _dispatches(node: ast.expr | None) -> bool:
    """Return True for a call handing work to a concurrent task or worker (`asyncio.to_thread(fetch, row)`,
    `pool.submit(embed, row)`), awaited or not."""
    node = node.value if isinstance(node, ast.Await) else node
    return isinstance(node, ast.Call) and method(node) in DISPATCH_CALLS


def _per_row_task(found: LoopFinding) -> LoopFinding:
    return replace(
        found,
        severity=Severity.INFO,
        message=f"{found.message} (each row is handed to a concurrent task: the task's I/O, not the loop, is the cost)",
    )


def _keeps_only_objects(body: Sequence[ast.stmt]) -> bool:
    """Return True when a loop body keeps one object of a class per row and nothing else (`_keeps_only`)."""
    return _keeps_only(body, _makes_object)


def _keeps_only(body: Sequence[ast.stmt], kind: Callable[[ast.expr | None], bool]) -> bool:
    """Return True when a loop body keeps one value of a kind per row and nothing else: every value it appends
    or stores into a local collection is of that kind (an object of a class, a dispatched task), or a name bound
    to one in the body; no inner loop."""
    nodes = [node for stmt in body for node in ast.walk(stmt)]
    if any(isinstance(node, ast.For | ast.While | ast.AsyncFor) for node in nodes):
        return False
    objects = {
        target.id
        for node in nodes
        if isinstance(node, ast.Assign) and kind(node.value)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    kept: list[ast.expr] = []
    for node in nodes:
        if isinstance(node, ast.Call) and method(node) in KEEPS and isinstance(node.func, ast.Attribute):
            kept.extend(node.args)
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Subscript) for t in node.targets):
            if not all(isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) for t in node.targets):
                return False  # `df.loc[i, "col"] = ...`: a value written back into the frame
            kept.append(node.value)
    return bool(kept) and all(kind(value) or (isinstance(value, ast.Name) and value.id in objects) for value in kept)


def _per_row_object(found: LoopFinding) -> LoopFinding:
    return replace(
        found,
        severity=Severity.INFO,
        message=f"{found.message} (each row becomes an object: no column form; itertuples() is faster)",
    )


# Calls that write or format a line of a report (and keep it): the loop turns rows into text, computing nothing.
REPORT_CALLS = frozenset(
    {"print", "echo", "write", "info", "debug", "warning", "log", "format", "append", "str", "round", "len"}
    | {"join"}  # a row's fields joined into a line of text (`sep.join(f"{h}: {row[h]}" for h in headers)`)
)


def _only_reports(body: Sequence[ast.AST]) -> bool:
    """Return True when a loop body (or a comprehension's element) turns each row into a line of a report and
    computes nothing: it formats text (an f-string or `.format`), calls only output and formatting functions, and
    does no arithmetic."""
    nodes = [node for stmt in body for node in ast.walk(stmt)]
    formats = any(isinstance(node, ast.JoinedStr) or method(node) == "format" for node in nodes)
    if not formats or any(isinstance(node, ast.AugAssign | ast.For | ast.While) for node in nodes):
        return False
    for node in nodes:
        if isinstance(node, ast.BinOp) and not _formats_text(node):
            return False
        if isinstance(node, ast.Call) and (method(node) or getattr(node.func, "id", "")) not in REPORT_CALLS:
            return False
    return True


def _formats_text(node: ast.BinOp) -> bool:
    """Return True for string formatting or joining (`"%s: %d" % (...)`, `"class " + name`)."""
    return any(
        isinstance(side, ast.JoinedStr) or isinstance(getattr(side, "value", None), str)
        for side in (node.left, node.right)
    )


def _per_row_report(found: LoopFinding) -> LoopFinding:
    return replace(
        found,
        severity=Severity.INFO,
        message=f"{found.message} (each row becomes a line of a report: nothing to compute)",
    )


def _per_row_io(found: LoopFinding) -> LoopFinding:
    return replace(found, severity=Severity.INFO, message=f"{found.message} (each row reads or checks a file)")


def _reads_per_row(body: Sequence[ast.AST]) -> bool:
    """Return True when a loop body (or a comprehension) opens, reads, fetches or checks a file for each row."""
    return any(isinstance(node, ast.Call) and _does_io(node) for stmt in body for node in ast.walk(stmt))


def _does_io(call: ast.Call) -> bool:
    """Return True for a call that reads, checks or downloads a file (`download_clip(row)` too)."""
    name = method(call) or getattr(call.func, "id", "")
    return name in ROW_IO or "download" in name.lower()


def _row_iteration(pf: PythonFile, iterable: ast.expr, rank: tuple[int, ...]) -> LoopFinding | None:
    call = unwrap(iterable)
    name = method(call)
    if name not in {"iterrows", "itertuples"} or not isinstance(call, ast.Call):
        return None
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else call.func
    if method(receiver) in FEW_ROWS or describes_inputs(receiver):
        return None
    severity = Severity.INFO if name == "itertuples" else None
    return loop_finding(pf, iterable, f"{ast.unparse(receiver)}.{name}() loop over DataFrame rows", rank, severity)
