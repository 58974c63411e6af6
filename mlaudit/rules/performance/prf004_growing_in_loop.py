"""Provides rule PRF004: DataFrame or array grown inside a loop."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from mlaudit.facts.loops import FileLoops, Loop, last_name, method
from mlaudit.model import Severity
from mlaudit.project import PythonFile
from mlaudit.registry import register
from mlaudit.rules.performance._shared import (
    FOR_LOOP,
    GROWTH_SLOT,
    LoopFinding,
    LoopRule,
    draws_for_reader,
    loop_finding,
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


@register
class GrowingInLoop(LoopRule):
    """Flags a DataFrame, array or tensor grown inside a loop.

    ## What it does
    Reports `x = pd.concat([x, ...])`, `x = x.append(...)` (pandas), `x = np.append(x, ...)`,
    `np.vstack`/`np.concatenate`/`torch.cat` accumulating into the same name on every
    iteration. Only accumulation counts: the value must survive the iteration. A name rebuilt
    every iteration (`h = cat([h, skip]); h = block(h)`, or unpacked afresh: `x, state = layer(x);
    state = cat([cache, state])`), a concatenation under
    `if i == k:` or in a branch that then leaves the loop (`if np.isnan(loss): hist = np.concatenate([hist, done]);
    raise ...`, also `return` or `break`: it runs once), an element indexed by the loop variable or held by the loop's element
    (`parts[i] = np.hstack([parts[i], extra])`, `pred["boxes"] = torch.cat([pred["boxes"], angle])`:
    each iteration extends a different one) and `torch.cat(list_of_parts)` are not growth, nor is a sequence the loop
    reads besides growing it (autoregressive decoding feeds `idx` to the model and appends the
    sampled token, in either order; windowed decoding starts each window from the last tokens of the sequence its
    inner loop grows, so a loop around the growth that reads it, and never resets it, feeds it back too), nor growth over a handful of components (`for model in self.clfs_:`
    stacking one block of columns per base model, `for fold in folds:`, a splitter's folds
    `for train_idx, test_idx in cv.split(X, y):`, `for name, factory in factories.items():`) or over the count of such components (`for i in range(self.n_octaves - 1):` adding one band per octave of a
    multi-resolution pyramid, `range(len(self.heads))`) or over the classes or clusters
    (`for target_class in np.unique(y):` gathering each class's resampled indices: one block per class), nor growth
    in functions that draw a figure or page (`plot`, `plot_*`, `visualize`, any function of a plotting module:
    one block per explanation or model drawn, a handful a reader compares). Collecting rows in a list and
    building one DataFrame after the loop is fine.

    In examples, tutorials and docs it is a note (info): that code shows the reader how to call
    the project and is not its hot path.

    ## Why is this bad?
    Every iteration copies everything gathered so far: the loop is quadratic in time and
    churns memory.

    ## Example
    ```python
    feats = pd.DataFrame()
    for _, row in df.iterrows():
        feats = pd.concat([feats, pd.DataFrame([make_row(row)])])
    ```

    ## Use instead
    ```python
    rows = [make_row(row) for row in df.to_dict("records")]
    feats = pd.DataFrame(rows)
    ```
    """

    code = "PRF004"
    title = "DataFrame or array grown inside a loop"
    practice = "performance"
    severity = Severity.WARNING
    fix = "Append to a Python list inside the loop and build the DataFrame/array once after it."

    def detect(self, loops: FileLoops) -> Iterator[LoopFinding]:
        """Yield each accumulation into the same name in the body of a `for` loop (not over columns)."""
        pf = loops.pf
        for loop in loops.loops:
            if last_name(loop.iterable).lower().startswith("col") or _over_components(loop):
                continue
            if loop.function is not None and draws_for_reader(loop.function.name, pf.path):
                continue  # `plot()`: one block per explanation or model drawn, a handful a reader compares
            for stmt in loop.inner:
                if not isinstance(stmt, ast.Assign):
                    continue
                grown = _grown_name(pf, stmt)
                if grown is not None and _accumulates(pf, loop, stmt, grown):
                    text = f"{grown} grows by `{pf.segment(stmt)[:70]}` (line {stmt.lineno}) on every iteration"
                    yield loop_finding(pf, loop.node, text, (loops.index, FOR_LOOP, loop.index, GROWTH_SLOT))


# What a loop walks a handful of: one block of columns per base model, one out-of-fold part per fold,
# one block of sample indices per class or cluster.
COMPONENT_WORDS = (
    *("model", "estimator", "clf", "classifier", "regressor", "learner", "fold", "layer", "head"),
    *("factory", "factories"),  # `for name, factory in self.env_factories.items()`: one component built per factory
    "octave",  # `for i in range(self.n_octaves - 1)`: one band per octave of a pyramid, each half the last's rate
)
GROUP_WORDS = ("class", "cluster")


def _over_components(loop: Loop) -> bool:
    """Return True for `for n, model in enumerate(self.clfs_):`, `for fold in folds:` or
    `for target_class in np.unique(y):`: a handful of copies, or one part per class or cluster."""
    iterable = loop.iterable
    if isinstance(iterable, ast.Call) and last_name(iterable.func) == "unique":
        return True
    if _cross_validation_folds(loop):
        return True
    parts = iterable.args if isinstance(iterable, ast.Call) and last_name(iterable.func) == "zip" else [iterable]
    names = [last_name(part) for part in parts] + sorted(loop.targets) + _counted(iterable)
    words = [_words(name)[-1] for name in names if name.strip("_")]
    if any(word.startswith(COMPONENT_WORDS + GROUP_WORDS) for word in words):
        return True
    # a target named for its class (`for class_sample, n_samples in strategy.items():`)
    return any(word.startswith(GROUP_WORDS) for name in loop.targets for word in _words(name))


def _counted(iterable: ast.expr) -> list[str]:
    """Return the names a `range(...)` counts up to: `range(self.n_octaves - 1)` -> n_octaves,
    `range(len(self.heads))` -> heads (a loop over the count of components walks the components)."""
    if not (isinstance(iterable, ast.Call) and last_name(iterable.func) == "range" and iterable.args):
        return []
    bound = iterable.args[1] if len(iterable.args) > 1 else iterable.args[0]
    if isinstance(bound, ast.BinOp) and isinstance(bound.right, ast.Constant):
        bound = bound.left  # `n_octaves - 1`
    if isinstance(bound, ast.Call) and last_name(bound.func) == "len" and len(bound.args) == 1:
        bound = bound.args[0]
    return [last_name(bound)] if isinstance(bound, ast.Name | ast.Attribute) else []


def _cross_validation_folds(loop: Loop) -> bool:
    """Return True for `for train_idx, test_idx in cv.split(X, y):`: a splitter's (train, test) index pairs, one
    iteration per fold (a handful), however the splitter is named; a string's `split(",")` yields no pairs."""
    iterable, target = loop.iterable, loop.node.target
    return (
        isinstance(iterable, ast.Call)
        and method(iterable) == "split"
        and bool(iterable.args)
        and not any(isinstance(arg, ast.Constant) for arg in iterable.args)
        and isinstance(target, ast.Tuple)
        and len(target.elts) == 2
    )


def _words(name: str) -> list[str]:
    """Return the lower-case words of an identifier: `valid_clusterIdx` -> valid, cluster, idx."""
    return [word.lower() for word in re.split(r"_+|(?<=[a-z])(?=[A-Z])", name.strip("_")) if word]


def _grown_name(pf: PythonFile, stmt: ast.Assign) -> str | None:
    """Return the name `x` when the statement is `x = concat([x, ...])`, `x = np.append(x, ...)`, ..."""
    if len(stmt.targets) != 1 or not isinstance(stmt.value, ast.Call):
        return None
    call = stmt.value
    name = pf.call_name(call) or ""
    if name in GROW_FUNCS and call.args:
        target = ast.unparse(stmt.targets[0])
        first = call.args[0]
        if isinstance(first, ast.List | ast.Tuple):
            parts = first.elts
        elif name.endswith(".append"):
            parts = [first]
        else:
            return None  # `x = torch.cat(x)` joins a list once; it does not grow
        return target if any(ast.unparse(p) == target for p in parts) else None
    appended = method(call) == "append" and isinstance(call.func, ast.Attribute)
    if appended and isinstance(call.func, ast.Attribute):
        target = ast.unparse(stmt.targets[0])  # written out only for the few calls that could grow it
        if ast.unparse(call.func.value) == target:
            return target if "pandas" in pf.imported_modules else None
    return None


def _accumulates(pf: PythonFile, loop: Loop, grow: ast.Assign, name: str) -> bool:
    """Return True when the grown value survives the iteration: nothing else rebinds `name` in the loop.

    `h = cat([h, skip]); h = block(h)` and `c = encode(x); c = cat((c, m))` rebuild the
    value every iteration; a concatenation under `if i == k:` runs once.
    """
    if name in loop.targets or _runs_once(pf, loop, grow) or _fed_back(pf, loop.node, grow, name):
        return False
    if any(_fed_back(pf, outer, grow, name) for outer in _kept_by_enclosing_loops(pf, loop, name)):
        return False  # `x_in = cat([prompt, generated[:, -history:]])` per window: the sliding window of decoding
    if _slot_of_the_iteration(grow.targets[0], loop):
        return False
    for node in ast.walk(loop.node):
        if node is grow or not isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.For):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if any(name in _bound(t) for t in targets) and not _first_fill(pf, node, name):
            return False
    return True


def _slot_of_the_iteration(target: ast.expr, loop: Loop) -> bool:
    """Return True for `parts[i] = concat([parts[i], extra])` indexed by the loop variable, or
    `pred["boxes"] = cat([pred["boxes"], extra])` on the loop's element: each iteration rebuilds a
    different value once, so nothing accumulates across iterations."""
    if not isinstance(target, ast.Subscript | ast.Attribute):
        return False
    return any(isinstance(n, ast.Name) and n.id in loop.targets for n in ast.walk(target))


def _bound(target: ast.expr) -> set[str]:
    """Return what an assignment target binds: `x`, `self.x`, or each name unpacked by `x, state = ...`."""
    if isinstance(target, ast.Tuple | ast.List):
        return {name for elt in target.elts for name in _bound(elt)}
    if isinstance(target, ast.Starred):
        return _bound(target.value)
    return {ast.unparse(target)}


REPORTING_CALLS = frozenset({"len", "print", "repr", "str"})


def _kept_by_enclosing_loops(pf: PythonFile, loop: Loop, name: str) -> Iterator[ast.For | ast.While]:
    """Yield the loops around `loop` (inside its function) that never rebind `name` outside it: the sequence the
    inner loop grows then keeps growing across their iterations, one sequence for the whole nest."""
    for anc in pf.ancestors(loop.node):
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            return
        if not isinstance(anc, ast.For | ast.While):
            continue
        if _rebinds_outside(anc, loop.node, name):
            return
        yield anc


def _rebinds_outside(outer: ast.AST, inner: ast.AST, name: str) -> bool:
    """Return True when `outer` assigns `name` anywhere but inside `inner` (`preds = []` at each epoch's start)."""
    pending: list[ast.AST] = list(ast.iter_child_nodes(outer))
    while pending:
        node = pending.pop()
        if node is inner:
            continue
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.For):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(name in _bound(t) for t in targets):
                return True
        pending.extend(ast.iter_child_nodes(node))
    return False


def _fed_back(pf: PythonFile, loop: ast.AST, grow: ast.Assign, name: str) -> bool:
    """Return True when the loop reads the grown value besides growing it: the running sequence of
    autoregressive decoding (also when a loop around the one growing it reads it: a window of it per step) (`logits = model(idx); idx = torch.cat((idx, next_id), dim=1)`, or the
    model call after the append that feeds the next step) is each step's input, not a pile of
    results that could be joined once after the loop.

    A grown field (`inp["input_ids"] = torch.cat(...)`) is fed back when the loop reads that field, or
    passes its holder whole (`model(**inp)`). Reading it only to report or test it (`len(x)`, `print(x)`,
    `if x is None:`) does not feed it back.
    """
    target = grow.targets[0]
    holder = _holder(target)
    for node in ast.walk(loop):
        if not isinstance(getattr(node, "ctx", None), ast.Load) or any(anc is grow for anc in pf.ancestors(node)):
            continue
        read = isinstance(node, ast.Name) and node.id == name
        if holder is not None and not read:
            read = (isinstance(node, ast.Subscript | ast.Attribute) and ast.unparse(node) == name) or (
                isinstance(node, ast.Name) and node.id == holder and _read_whole(pf, node)
            )
        if not read:
            continue
        parent = pf.parent(node)
        reported = (
            isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id in REPORTING_CALLS
        )
        if not reported and not isinstance(parent, ast.Compare):
            return True
    return False


def _holder(target: ast.expr) -> str | None:
    """Return `inp` for a grown field `inp["ids"]` or `state.ids`, None for a plain name."""
    if not isinstance(target, ast.Subscript | ast.Attribute):
        return None
    root: ast.expr = target
    while isinstance(root, ast.Subscript | ast.Attribute):
        root = root.value
    return root.id if isinstance(root, ast.Name) else None


def _read_whole(pf: PythonFile, node: ast.Name) -> bool:
    """Return True for `model(**inp)` or `step(inp)`: the holder is passed on whole, not one of its fields."""
    parent = pf.parent(node)
    return isinstance(parent, ast.Call | ast.keyword | ast.Starred) and not (
        isinstance(parent, ast.Call) and parent.func is node
    )


def _first_fill(pf: PythonFile, node: ast.AST, name: str) -> bool:
    """Return True for the `if x is None: x = first` start of an accumulation."""
    parent = pf.parent(node)
    return isinstance(parent, ast.If) and name in ast.unparse(parent.test) and node in parent.body


def _runs_once(pf: PythonFile, loop: Loop, stmt: ast.AST) -> bool:
    """Return True when `stmt` sits under `if <loop variable> == ...`, or in a block that then leaves the loop
    (`if np.isnan(loss): hist = np.concatenate([hist, scores[:i]]); raise ...`): it runs on one iteration."""
    child = stmt
    for anc in pf.ancestors(stmt):
        if _block_leaves(anc, child):
            return True
        if anc is loop.node:
            return False
        if isinstance(anc, ast.If) and isinstance(anc.test, ast.Compare):
            ops_eq = all(isinstance(op, ast.Eq) for op in anc.test.ops)
            used = {n.id for n in ast.walk(anc.test) if isinstance(n, ast.Name)}
            if ops_eq and used & loop.targets:
                return True
        child = anc
    return False


def _block_leaves(parent: ast.AST, child: ast.AST) -> bool:
    """Return True when the block of `parent` holding `child` ends by leaving the loop: `raise`, `return` or
    `break` (the statement's innermost loop is the one judged, so a `break` here leaves that one)."""
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and child in block:
            return isinstance(block[-1], ast.Raise | ast.Return | ast.Break)
    return False
