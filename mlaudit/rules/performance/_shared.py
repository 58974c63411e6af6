"""Provides helpers shared by several rules of the `performance` practice (or by other modules)."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from mlaudit.model import FileKind, Severity
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Output, Rule

NUMERIC_LIBS = frozenset(
    {"numpy", "pandas", "torch", "tensorflow", "jax", "jaxlib", "polars", "scipy", "sklearn", "cupy", "keras"}
)


ARRAY_LIBS = ("numpy.", "torch.", "jax.", "cupy.", "scipy.", "tensorflow.")


MATH_MODULES = ("numpy.linalg.", "torch.linalg.", "scipy.spatial.distance.", "scipy.special.")


MATH_FUNCS = frozenset(
    {
        *("dot", "matmul", "inner", "outer", "norm", "sqrt", "exp", "exp2", "log", "log1p", "abs", "absolute"),
        *("sum", "mean", "std", "var", "max", "min", "argmax", "argmin", "sin", "cos", "tanh", "sigmoid"),
        *("softmax", "clip", "power", "square", "round", "floor", "ceil", "multiply", "add", "subtract"),
        *("divide", "maximum", "minimum", "isnan", "isfinite", "cumsum", "prod", "median", "percentile"),
        *("quantile", "cross", "einsum", "tensordot", "cdist", "cosine_similarity", "pairwise_distance"),
        *("sign", "diff", "allclose"),
    }
)


GROW_FUNCS = frozenset(
    {
        "pandas.concat",
        "numpy.append",
        "numpy.vstack",
        "numpy.hstack",
        "numpy.concatenate",
        "numpy.row_stack",
        "numpy.column_stack",
        "torch.cat",
        "torch.vstack",
        "torch.concat",
        "tensorflow.concat",
        "jax.numpy.concatenate",
    }
)


SKIP_PREFIXES = (
    "batch",
    "loader",
    "dataloader",
    "epoch",
    "file",
    "path",
    "dir",
    "folder",
    "glob",
    "listdir",
    "walk",
    "scandir",
    "param",
    "group",
    "config",
    "cfg",
    "setting",
    "option",
    "arg",
    "kwarg",
    "model",
    "layer",
    "module",
    "fold",
    "split",
    "seed",
    "key",
    "col",
    "name",
    "step",
    "chunk",
    "shard",
    "round",
    "trial",
    "repeat",
    "retr",
    *("class", "output", "component", "cluster", "layer", "feature", "center", "centre", "target", "label", "tree"),
    *("head", "channel", "dim", "task", "categor", "bin", "level", "kernel", "degree", "alpha", "stage", "neighbo"),
    *("quantile", "lag", "horizon", "precision", "mean", "cov", "coef"),
    "hyp",
    "estimator",
    "block",
    "resolution",
    "scale",
    "branch",
    "depth",
    "anchor",
)


LONG_LOOP_LINES = 40


DATA_ATTRIBUTES = (
    "data",
    "sample",
    "item",
    "row",
    "record",
    "value",
    "array",
    "frame",
    "df",
    "x",
    "y",
    "point",
    "vector",
)


SMALL_CONTAINERS = ("shape", "size", "stride", "batch", "output")


BATCH_FIELDS = 3


CONSTRUCTORS = frozenset({"__init__", "__post_init__", "build", "setup", "_build", "_init_weights", "init_weights"})


NON_COMPONENT_CLASSES = frozenset({"Tensor", "FloatTensor", "LongTensor", "DataFrame", "Series", "Path"})


SKIP_EXACT = frozenset({"dl", "dls", "iter", "iters", "n_iter", "iteration", "iterations", "run", "runs"})


WRAPPERS = frozenset({"enumerate", "tqdm", "trange", "sorted", "reversed", "list", "tuple", "iter"})


DICT_VIEWS = frozenset({"items", "keys", "values"})


FEW_ROWS = frozenset({"head", "tail", "sample", "nlargest", "nsmallest"})


MODEL_METHODS = frozenset(
    {"predict", "predict_proba", "decision_function", "encode", "embed", "embed_query", "generate", "forward"}
)


TEXT_METHODS = frozenset({"encode", "embed", "embed_query", "embed_documents"})


PROFILERS = frozenset(
    {"cProfile", "profile", "pstats", "pyinstrument", "line_profiler", "memory_profiler", "scalene", "yappi", "timeit"}
)


@dataclass(frozen=True)
class LoopFinding:
    """One loop problem: which rule reports it, where the loop is, and what it does."""

    rule: str
    path: str
    line: int
    message: str
    severity: Severity | None = None


def _code_files(project: Project) -> list[PythonFile]:
    return project.python_of(FileKind.LIBRARY, FileKind.SCRIPT, FileKind.NOTEBOOK)


def _numeric(pf: PythonFile) -> bool:
    return any(mod.split(".", 1)[0] in NUMERIC_LIBS for mod in pf.imported_modules)


def loop_findings(project: Project) -> list[LoopFinding]:
    """Return every loop problem of the project, computed once and shared by the PRF rules."""
    found: list[LoopFinding] = project.fact("performance.loops", _all_loop_findings)
    return found


def _all_loop_findings(project: Project) -> list[LoopFinding]:
    found: list[LoopFinding] = []
    for pf in _code_files(project):
        if _numeric(pf):
            found.extend(_FileLoops(pf).findings())
    return found


def _target_names(target: ast.AST) -> set[str]:
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, ast.Tuple | ast.List):
        return {n for elt in target.elts for n in _target_names(elt)}
    return set()


def _unwrap(expr: ast.expr) -> ast.expr:
    """Strip `enumerate(...)`, `tqdm(...)`, `sorted(...)` and similar wrappers from an iterable."""
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in WRAPPERS and expr.args:
        expr = expr.args[0]
    return expr


def _last_name(expr: ast.AST) -> str:
    """Return the identifier that names an expression: `cfg.epochs` -> epochs, `loader()` -> loader."""
    while True:
        if isinstance(expr, ast.Name):
            return expr.id
        if isinstance(expr, ast.Attribute):
            return expr.attr
        if isinstance(expr, ast.Call):
            expr = expr.func
        elif isinstance(expr, ast.Subscript):
            expr = expr.value
        else:
            return ""


def _method(call: ast.AST) -> str:
    return call.func.attr if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) else ""


def _index_loop(iterable: ast.expr) -> bool | None:
    """Return True for `range(len(x))`/`range(n)`, False for batched or epoch ranges, None otherwise."""
    if not (isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id == "range"):
        return None
    if len(iterable.args) >= 3 or not iterable.args:
        return False
    bound = iterable.args[-1]
    if _column_count(bound) or _structural_count(bound):
        return False
    return not (isinstance(bound, ast.Constant) or any(_skipped_name(n) for n in _bound_names(bound)))


def _structural_count(bound: ast.expr) -> bool:
    """Return True for `range(self.num_layers)` or `range(len(self.chns))`: a count of the object's parts.

    A bound read from `self` is set when the object was built (layers, heads, scales); data
    arrives as arguments. Attributes named like data (`self.samples`, `self.data`) still count.
    """
    names = list(_bound_names(bound))
    if len(names) < 2 or names[-1] != "self":
        return False
    return not any(names[0].lower().startswith(word) for word in DATA_ATTRIBUTES)


def _column_count(bound: ast.expr) -> bool:
    """Return True for `X.shape[1]` (or any axis but 0): loops over columns are not per-element loops."""
    if not (isinstance(bound, ast.Subscript) and isinstance(bound.value, ast.Attribute)):
        return False
    axis = bound.slice
    return bound.value.attr == "shape" and not (isinstance(axis, ast.Constant) and axis.value == 0)


def _bound_names(expr: ast.AST) -> Iterator[str]:
    """Yield the identifiers of a range bound: `len(self.files)` -> files, self; `cfg.epochs` -> epochs, cfg."""
    while True:
        if isinstance(expr, ast.Call):
            expr = expr.args[0] if expr.args else expr.func
        elif isinstance(expr, ast.Attribute):
            yield expr.attr
            expr = expr.value
        elif isinstance(expr, ast.Subscript):
            expr = expr.value
        elif isinstance(expr, ast.BinOp):
            expr = expr.left
        else:
            if isinstance(expr, ast.Name):
                yield expr.id
            return


def _skipped_name(name: str) -> bool:
    """Return True for names of things loops legitimately walk: epochs, batches, files, params, configs..."""
    if name.lower() in SKIP_EXACT:
        return True
    tokens = [t for t in re.split(r"_+|(?<=[a-z])(?=[A-Z])", name) if t]
    return any(t.lower() in SKIP_EXACT or t.lower().startswith(SKIP_PREFIXES) for t in tokens)


class _FileLoops:
    """The loop analysis of one file."""

    def __init__(self, pf: PythonFile) -> None:
        self.pf = pf
        self.names: dict[str, list[ast.Name]] = defaultdict(list)
        for name in pf.nodes(ast.Name):
            self.names[name.id].append(name)
        self.reported: set[ast.AST] = set()
        self._inner: dict[ast.AST, list[ast.AST]] | None = None

    def inner(self, loop: ast.AST) -> list[ast.AST]:
        """Return the assignments, calls and breaks whose innermost enclosing loop is `loop`."""
        if self._inner is None:
            self._inner = defaultdict(list)
            for node in self.pf.nodes(ast.Assign, ast.Call, ast.Break):
                owner = self._innermost_loop(node)
                if isinstance(owner, ast.For | ast.AsyncFor):
                    self._inner[owner].append(node)
        return self._inner.get(loop, [])

    def findings(self) -> Iterator[LoopFinding]:
        """Yield the findings of every `for` loop and row-wise `apply` in the file."""
        for loop in self.pf.nodes(ast.For):
            yield from self._loop(loop)
        yield from self._comprehension_rows()
        yield from self._row_applies()

    def _where(self, loop: ast.AST) -> str:
        func = self.pf.enclosing_function(loop)
        return f" in {func.name}()" if func is not None else ""

    def _loop(self, loop: ast.For | ast.AsyncFor) -> Iterator[LoopFinding]:
        rows = self._row_iteration(loop.iter)
        if rows is not None:
            yield rows
        yield from self._growth(loop)
        if self._inside_reported(loop) or self._not_a_data_loop(loop):
            return
        per_item = self._per_item_call(loop)
        if per_item is not None:
            self.reported.add(loop)
            yield per_item
            return
        elementwise = self._elementwise(loop)
        if elementwise is not None:
            self.reported.add(loop)
            yield elementwise

    def _not_a_data_loop(self, loop: ast.For | ast.AsyncFor) -> bool:
        """Return True for loops that walk components, not data: construction code, layer loops, literals."""
        if _literal_display(_unwrap(loop.iter)) or _batch_unpacking(loop.target):
            return True
        if (loop.end_lineno or loop.lineno) - loop.lineno > LONG_LOOP_LINES:
            return True
        func = self.pf.enclosing_function(loop)
        if func is not None and func.name in CONSTRUCTORS:
            return True
        names = {n for n in _target_names(loop.target) if n != "_"}
        return any(isinstance(c, ast.Call) and _builds_or_runs_component(c, names) for c in self._all_calls(loop))

    def _all_calls(self, loop: ast.AST) -> Iterator[ast.Call]:
        for node in ast.walk(loop):
            if isinstance(node, ast.Call):
                yield node

    def _inside_reported(self, loop: ast.AST) -> bool:
        return any(anc in self.reported for anc in self.pf.ancestors(loop))

    def _finding(self, rule: str, loop: ast.AST, text: str, severity: Severity | None = None) -> LoopFinding:
        line = getattr(loop, "lineno", 0)
        shown = self.pf.where(line).line
        return LoopFinding(rule, self.pf.path, line, f"{text}{self._where(loop)} (loop at line {shown})", severity)

    def _row_iteration(self, iterable: ast.expr) -> LoopFinding | None:
        call = _unwrap(iterable)
        method = _method(call)
        if method not in {"iterrows", "itertuples"} or not isinstance(call, ast.Call):
            return None
        receiver = call.func.value if isinstance(call.func, ast.Attribute) else call.func
        if _method(receiver) in FEW_ROWS:
            return None
        frame = ast.unparse(receiver)
        severity = Severity.INFO if method == "itertuples" else None
        return self._finding("PRF002", iterable, f"{frame}.{method}() loop over DataFrame rows", severity)

    def _comprehension_rows(self) -> Iterator[LoopFinding]:
        for comp in self.pf.nodes(ast.comprehension):
            found = self._row_iteration(comp.iter)
            if found is not None:
                yield found

    def _growth(self, loop: ast.For | ast.AsyncFor) -> Iterator[LoopFinding]:
        if _last_name(_unwrap(loop.iter)).lower().startswith("col"):
            return
        for stmt in self._body_assignments(loop):
            grown = self._grown_name(stmt)
            if grown is not None and self._accumulates(loop, stmt, grown):
                text = f"{grown} grows by `{self.pf.segment(stmt)[:70]}` (line {stmt.lineno}) on every iteration"
                yield self._finding("PRF004", loop, text)

    def _accumulates(self, loop: ast.For | ast.AsyncFor, grow: ast.Assign, name: str) -> bool:
        """Return True when the grown value survives the iteration: nothing else rebinds `name` in the loop.

        `h = cat([h, skip]); h = block(h)` and `c = encode(x); c = cat((c, m))` rebuild the
        value every iteration; a concatenation under `if i == k:` runs once.
        """
        if name in _target_names(loop.target) or self._runs_once(loop, grow):
            return False
        for node in ast.walk(loop):
            if node is grow or not isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.For):
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(ast.unparse(t) == name for t in targets) and not self._first_fill(node, name):
                return False
        return True

    def _first_fill(self, node: ast.AST, name: str) -> bool:
        """Return True for the `if x is None: x = first` start of an accumulation."""
        parent = self.pf.parent(node)
        return isinstance(parent, ast.If) and name in ast.unparse(parent.test) and node in parent.body

    def _runs_once(self, loop: ast.For | ast.AsyncFor, stmt: ast.AST) -> bool:
        """Return True when `stmt` sits under `if <loop variable> == ...`: it runs on one iteration."""
        names = _target_names(loop.target)
        for anc in self.pf.ancestors(stmt):
            if anc is loop:
                return False
            if isinstance(anc, ast.If) and isinstance(anc.test, ast.Compare):
                ops_eq = all(isinstance(op, ast.Eq) for op in anc.test.ops)
                used = {n.id for n in ast.walk(anc.test) if isinstance(n, ast.Name)}
                if ops_eq and used & names:
                    return True
        return False

    def _body_assignments(self, loop: ast.For | ast.AsyncFor) -> Iterator[ast.Assign]:
        for node in self.inner(loop):
            if isinstance(node, ast.Assign):
                yield node

    def _innermost_loop(self, node: ast.AST) -> ast.AST | None:
        for anc in self.pf.ancestors(node):
            if isinstance(anc, ast.For | ast.AsyncFor | ast.While | ast.FunctionDef | ast.AsyncFunctionDef):
                return anc
        return None

    def _grown_name(self, stmt: ast.Assign) -> str | None:
        """Return the name `x` when the statement is `x = concat([x, ...])`, `x = np.append(x, ...)`, ..."""
        if len(stmt.targets) != 1 or not isinstance(stmt.value, ast.Call):
            return None
        target = ast.unparse(stmt.targets[0])
        call = stmt.value
        name = self.pf.call_name(call) or ""
        if name in GROW_FUNCS and call.args:
            first = call.args[0]
            if isinstance(first, ast.List | ast.Tuple):
                parts = first.elts
            elif name.endswith(".append"):
                parts = [first]
            else:
                return None  # `x = torch.cat(x)` joins a list once; it does not grow
            return target if any(ast.unparse(p) == target for p in parts) else None
        appended = _method(call) == "append" and isinstance(call.func, ast.Attribute)
        if appended and isinstance(call.func, ast.Attribute) and ast.unparse(call.func.value) == target:
            return target if "pandas" in self.pf.imported_modules else None
        return None

    def _iteration(self, loop: ast.For | ast.AsyncFor) -> tuple[set[str], bool] | None:
        """Return the element (or index) names of a loop worth checking, and whether they are indexes."""
        iterable = _unwrap(loop.iter)
        indexed = _index_loop(iterable)
        if indexed is False:
            return None
        if indexed:
            return {n for n in _target_names(loop.target) if n != "_"}, True
        if any(_skipped_name(_last_name(part)) for part in _zipped(iterable)) or _method(iterable) in DICT_VIEWS:
            return None
        names = _target_names(loop.target)
        if _is_enumerate(loop.iter) and isinstance(loop.target, ast.Tuple):
            names -= _target_names(loop.target.elts[0])
        return {n for n in names if n != "_"}, False

    def _uses(self, loop: ast.For | ast.AsyncFor, names: set[str]) -> Iterator[ast.Name]:
        end = loop.end_lineno or loop.lineno
        for name in names:
            for node in self.names.get(name, []):
                if loop.lineno < node.lineno <= end:
                    yield node

    def _per_item_call(self, loop: ast.For | ast.AsyncFor) -> LoopFinding | None:
        iteration = self._iteration(loop)
        if iteration is None or self._has_break(loop):
            return None
        for call in self.inner(loop):
            if isinstance(call, ast.Call) and _single_item_call(call, iteration[0]):
                return self._finding("PRF005", loop, f"per-item model call `{ast.unparse(call.func)}(...)`")
        return None

    def _has_break(self, loop: ast.For | ast.AsyncFor) -> bool:
        return any(isinstance(node, ast.Break) for node in self.inner(loop))

    def _elementwise(self, loop: ast.For | ast.AsyncFor) -> LoopFinding | None:
        iteration = self._iteration(loop)
        if iteration is None or self._has_break(loop):
            return None
        names, indexed = iteration
        uses = list(self._uses(loop, names))
        if indexed and any(self._shifted_index(use) for use in uses):
            return None
        for use in uses:
            what = self._numeric_use(use, loop, indexed)
            if what is not None:
                return self._finding("PRF001", loop, f"Python loop over {self._over(loop, indexed)} {what}")
        return None

    def _shifted_index(self, use: ast.Name) -> bool:
        """Return True for `x[i - 1]`: a recurrence, not a plain elementwise map."""
        parent = self.pf.parent(use)
        if not isinstance(parent, ast.BinOp):
            return False
        holder = self.pf.parent(parent)
        holder = self.pf.parent(holder) if isinstance(holder, ast.Tuple) else holder
        return isinstance(holder, ast.Subscript)

    def _over(self, loop: ast.For | ast.AsyncFor, indexed: bool) -> str:
        source = ast.unparse(_unwrap(loop.iter))
        return f"`{source[:50]}`" if indexed else f"elements of `{source[:50]}`"

    def _numeric_use(self, use: ast.Name, loop: ast.AST, indexed: bool) -> str | None:
        """Describe the per-element numeric work done with an element or index, if any."""
        child: ast.AST = use
        for anc in self.pf.ancestors(use):
            if anc is loop:
                return None
            if isinstance(anc, ast.Subscript) and _small_container(_root_name(anc)):
                return None
            if indexed and isinstance(anc, ast.Subscript) and child is anc.slice:
                if not _scalar_index(anc.slice):
                    return None
                context = _arithmetic_context(self.pf, anc)
                if context is not None:
                    return context
            if isinstance(anc, ast.Call) and child in anc.args[_equation_args(anc) :] and self._math_call(anc):
                return f"calls {self.pf.call_name(anc)}() per element"
            if not indexed and isinstance(anc, ast.BinOp) and isinstance(anc.op, ast.MatMult):
                return "multiplies matrices per element"
            child = anc
        return None

    def _math_call(self, call: ast.Call) -> bool:
        name = self.pf.call_name(call) or ""
        if name.startswith(MATH_MODULES):
            return True
        return name.startswith(ARRAY_LIBS) and name.rsplit(".", 1)[-1] in MATH_FUNCS

    def _row_applies(self) -> Iterator[LoopFinding]:
        if "pandas" not in {m.split(".", 1)[0] for m in self.pf.imported_modules}:
            return
        for call in self.pf.nodes(ast.Call):
            if _method(call) != "apply" or not isinstance(call.func, ast.Attribute):
                continue
            receiver = call.func.value
            if any(k.arg == "axis" and _is_row_axis(k.value) for k in call.keywords):
                yield self._apply_finding(call, f"{ast.unparse(receiver)[:40]}.apply(..., axis=1) runs Python per row")
            elif _is_column(receiver) and call.args and isinstance(call.args[0], ast.Lambda):
                text = f"{ast.unparse(receiver)[:40]}.apply(lambda ...) runs Python per value"
                yield self._apply_finding(call, text, Severity.INFO)

    def _apply_finding(self, call: ast.Call, text: str, severity: Severity | None = None) -> LoopFinding:
        return LoopFinding("PRF003", self.pf.path, call.lineno, f"{text}{self._where(call)}", severity)


def _zipped(expr: ast.expr) -> list[ast.expr]:
    """Return the iterables of `zip(a, b)`, or the expression itself."""
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "zip":
        return [_unwrap(arg) for arg in expr.args]
    return [expr]


def _is_enumerate(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "enumerate"


def _scalar_index(index: ast.expr) -> bool:
    """Return True for `x[i]`, `x[i, j]`: one element, not a slice, fancy index or recurrence (`x[i - 1]`)."""
    parts = index.elts if isinstance(index, ast.Tuple) else [index]
    return all(isinstance(p, ast.Name) or (isinstance(p, ast.Constant) and p.value is not Ellipsis) for p in parts)


def _arithmetic_context(pf: PythonFile, subscript: ast.Subscript) -> str | None:
    """Return a description when an indexed element feeds arithmetic or a comparison."""
    parent = pf.parent(subscript)
    target = ast.unparse(subscript)[:40]
    if _whole_array_operand(subscript, parent):
        return None
    if isinstance(parent, ast.BinOp | ast.AugAssign | ast.UnaryOp):
        return f"doing arithmetic on {target} element by element"
    if isinstance(parent, ast.Compare) and not any(
        isinstance(c, ast.Constant) and (c.value is None or isinstance(c.value, str))
        for c in (parent.left, *parent.comparators)
    ):
        return f"comparing {target} element by element"
    return None


def _whole_array_operand(subscript: ast.Subscript, parent: ast.AST | None) -> bool:
    """Return True for `k[r, c] * k` or `iou >= thr[i]`: the element scales or thresholds a whole array."""
    if isinstance(parent, ast.BinOp):
        others = [parent.left, parent.right]
    elif isinstance(parent, ast.Compare):
        others = [parent.left, *parent.comparators]
    else:
        return False
    base = ast.unparse(subscript.value)
    for other in others:
        if other is subscript:
            continue
        if ast.unparse(other) == base:
            return True
        if isinstance(parent, ast.Compare) and isinstance(other, ast.Name):
            return True
    return False


def _root_name(expr: ast.expr) -> str:
    """Return the container name of `batch[i][0][j]` (batch) or `self.shapes[i]` (shapes)."""
    while isinstance(expr, ast.Subscript):
        expr = expr.value
    return _last_name(expr)


def _small_container(name: str) -> bool:
    """Return True for containers of shapes, strides or batch items, and the names loops legitimately walk."""
    return _skipped_name(name) or any(word in name.lower() for word in SMALL_CONTAINERS)


def _equation_args(call: ast.Call) -> int:
    """Return how many leading arguments are not data: the equation string of `einsum(eq, ...)`."""
    return 1 if _last_name(call.func) == "einsum" else 0


def _literal_display(expr: ast.expr) -> bool:
    """Return True for `for x in (a, b, *rest)`: a handful of named things, not a data-sized array."""
    return isinstance(expr, ast.Tuple | ast.List | ast.Set)


def _batch_unpacking(target: ast.expr) -> bool:
    """Return True for `for i, (imgs, targets, paths) in loader`: each element is a batch tuple."""
    tuples = [target] + (list(target.elts) if isinstance(target, ast.Tuple) else [])
    return any(isinstance(t, ast.Tuple) and len(t.elts) >= BATCH_FIELDS for t in tuples)


def _builds_or_runs_component(call: ast.Call, names: set[str]) -> bool:
    """Return True for calls that build modules (`nn.Conv2d(...)`) or run one per iteration (`blk(x)`, `m[i](x)`)."""
    func = call.func
    if isinstance(func, ast.Name) and func.id in names:
        return True
    if isinstance(func, ast.Subscript):
        return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(func.slice))
    last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return last[:1].isupper() and any(c.islower() for c in last) and last not in NON_COMPONENT_CLASSES


def _is_row_axis(value: ast.expr) -> bool:
    return isinstance(value, ast.Constant) and value.value in (1, "columns")


def _is_column(expr: ast.expr) -> bool:
    """Return True for `df["col"]` (a Series), not for groupby or rolling results."""
    if not isinstance(expr, ast.Subscript) or not isinstance(expr.slice, ast.Constant):
        return False
    return isinstance(expr.slice.value, str) and _method(expr.value) not in {"groupby", "rolling", "resample"}


def _single_item(expr: ast.expr) -> bool:
    """Return True for `x.reshape(1, -1)`, `x.unsqueeze(0)`, `x[None]`, `np.expand_dims(x, 0)`, `[x]`."""
    if isinstance(expr, ast.Subscript):
        first = expr.slice.elts[0] if isinstance(expr.slice, ast.Tuple) and expr.slice.elts else expr.slice
        return (isinstance(first, ast.Constant) and first.value is None) or _last_name(first) == "newaxis"
    if not isinstance(expr, ast.Call):
        return False
    method = _method(expr) or _last_name(expr.func)
    first_arg = expr.args[0] if expr.args else None
    one = isinstance(first_arg, ast.Constant) and first_arg.value in (0, 1)
    if method in {"reshape", "view", "unsqueeze"}:
        return one and (method == "unsqueeze" or len(expr.args) >= 2)
    if method == "expand_dims":
        return len(expr.args) >= 2 and isinstance(expr.args[1], ast.Constant) and expr.args[1].value == 0
    return False


def _single_item_call(call: ast.Call, elements: set[str]) -> bool:
    """Return True for a model/embedding/tokenizer call on a single element of the loop."""
    arg = call.args[0] if call.args else None
    if arg is None:
        return False
    method = _method(call)
    if _single_item(arg) and (method in MODEL_METHODS or _looks_like_model(call.func)):
        return True
    if isinstance(arg, ast.List) and len(arg.elts) == 1 and method in MODEL_METHODS:
        return _last_name(arg.elts[0]) in elements
    on_element = isinstance(arg, ast.Name) and arg.id in elements and not _plural(arg.id)
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    if on_element and method in TEXT_METHODS and receiver is not None:
        return _looks_like_model(receiver)
    return on_element and "tokenizer" in _last_name(call.func).lower()


def _plural(name: str) -> bool:
    """Return True for `prompts`, `texts`, `images`: an element that is itself a batch."""
    return name.endswith("s") and not name.endswith("ss") and len(name) > 3


def _looks_like_model(expr: ast.expr) -> bool:
    name = _last_name(expr).lower()
    return any(word in name for word in ("model", "encoder", "embed", "net", "clf", "classifier", "tokenizer"))


class _LoopRule(Rule):
    """Base of the rules that report `LoopFinding`s of their own code."""

    def check(self, project: Project) -> Iterator[Output]:
        for found in loop_findings(project):
            if found.rule == self.code:
                yield Hit(found.path, found.line, found.message, severity=found.severity)


def profiling_evidence(project: Project) -> list[str]:
    """Return where the repository shows profiling or benchmarking (imports, fixtures, folders)."""
    found: list[str] = []
    for pf in project.python.values():
        tops = {m.split(".", 1)[0] for m in pf.imported_modules}
        used = sorted(tops & PROFILERS) + (["torch.profiler"] if "torch.profiler" in pf.imported_modules else [])
        if used:
            found.append(f"{used[0]} in {pf.path}")
        elif pf.kind is FileKind.TEST and any(a.arg == "benchmark" for a in pf.nodes(ast.arg)):
            found.append(f"pytest-benchmark in {pf.path}")
    folders = {f.path.split("/", 1)[0] for f in project.files if "/" in f.path}
    found.extend(f"{name}/ folder" for name in sorted(folders & {"benchmarks", "benchmark", "bench"}))
    return found
