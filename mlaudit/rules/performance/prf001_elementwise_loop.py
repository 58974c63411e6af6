"""Provides rule PRF001: Python loop doing per-element numeric work."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator

from mlaudit.facts.loops import FileLoops, Iteration, Loop, last_name, method, skipped_name
from mlaudit.model import Severity
from mlaudit.project import PythonFile, local_reads, own_nodes
from mlaudit.registry import register
from mlaudit.rules.performance._shared import ClaimingLoopRule, draws_for_reader, fits_model

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


SMALL_CONTAINERS = ("shape", "size", "stride", "batch", "output")


# Words of a collection name that say each element is a whole array: `tensors`, `outs`, or an array word
# with `list` (`emb_list`, `pred_list`: a Python list of per-batch arrays; `grads_list`: of per-layer gradients).
ARRAY_COLLECTIONS = frozenset(
    {"tensors", "arrays", "maps", "masks", "outs", "feats", "images", "imgs", "matrices", "matrixes", "mats"}
)


ARRAY_WORDS = frozenset(
    {"tensor", "array", "map", "feat", "img", "image", "emb", "embedding", "embeddings", "mask", "masks", "matrix"}
    | {"out", "pred", "preds", "logit", "logits", "prob", "probs"}
    | {"grad", "grads", "gradient", "gradients", "activation", "activations"}  # `grads_list`: one per layer
)


LIST_WORDS = frozenset({"list", "lists", "seq"})


# Words naming a setting a loop sweeps (`for temp in temperatures:`, `for thr in thresholds:`): one value per step.
SETTING_WORDS = frozenset(
    {"temp", "temps", "temperature", "temperatures", "tau", "thr", "thrs", "thresh", "threshold", "thresholds"}
    | {"cut", "cuts", "cutoff", "cutoffs", "scale", "scales", "factor", "factors", "alpha", "alphas", "beta", "betas"}
    | {"sigma", "sigmas", "eps", "epsilon", "epsilons", "margin", "margins", "level", "levels"}
)


# A parameter annotated as a sequence of arrays: `List[Tensor]`, `Sequence[np.ndarray]`, `tuple[jax.Array, ...]`.
ARRAY_SEQUENCE = re.compile(
    r"^(?:typing\.)?(?:List|list|Sequence|Tuple|tuple|Iterable)\[.*\b(?:Tensor|ndarray|Array)\b"
)


ARRAY_NAME = re.compile(r"\b(?:Tensor|ndarray|Array)\b")


@register
class ElementwiseLoop(ClaimingLoopRule):
    """Flags Python loops doing per-element numeric work on arrays or tensors.

    ## What it does
    Reports `for v in X:` loops that call numpy/torch math on each element, and
    `for i in range(len(X))` loops (nested ones too) that index arrays element by element
    (`X[i]`, `X[i, j]`) for arithmetic or comparisons. Loops over epochs, batches from a
    DataLoader, files, parameters, the leaves of a pytree (`for l in leaves`, `jax.tree_util.tree_leaves(x)`: each a
    whole array), param groups or config dicts are not reported, nor are
    recurrences such as `x[i - 1]` or a running value rescaled each step (`acc = acc * gamma + r[t]`), online
    updates whose step reads state another statement of the loop rebinds from itself (`clust = np.argmin(
    dissim(centroids, x))`, then `centroids = move_point(x, clust, centroids)`), walks along a tree's or graph's
    links writing an array from its own entries at looked-up indices (`depth[left[i]] = depth[i] + 1`),
    construction code (`__init__`, loops that build modules),
    loops that run one layer or head per iteration (`blk(x)`, `self.m[i](x)`), loops over a
    literal tuple of arrays, loops over (or through the indices of) a name the function binds only to tuples or
    lists of number literals, negative ones too (`k_sec = (4, 8, 28, 3)`: a model builder's few stage sizes; `dx = [0.1, -0.1]`), loops over a transposed matrix (`for mask in masks.T`, or a name last bound to one: `X = X.T`: one column per step),
    loops whose element is tested against None (`if polys[k] is not None`: a numeric array holds no None, so
    the loop walks a list of optional objects), comparisons that only pick which Python literal to build
    (`counts = [] if mask[i, 0] == 0 else [0]`: a ragged result no mask returns), loops appending per item what a
    selection returns (`matches.append(torch.where(m0[k] > -1)[0])`, `nonzero`, `masked_select`: results of
    different sizes, which no one vectorised call returns), loops over a Python list of arrays (`for t in tensors:`, `for m in masks:`, `for e in emb_list:`,
    a parameter annotated `List[Tensor]`, indexed too (`X[j]` of `X: List[np.ndarray]`, one array per model input,
    also through `range(len(outs) - 1)`),
    the function's `*args` unless annotated as numbers (`*maps: Tensor`, `def forward(self, *embeddings)`: the arrays
    a caller passed one by one), a list the function builds of arrays (`[torch.zeros_like(x) for x in inputs]`,
    `torch.autograd.grad(...)`, a tape's `tape.gradient(loss, model.trainable_variables)`) or of Python lists
    (`[[] for _ in tracks]`, each extended by `+=`), or elements whose `.shape`,
    `.dtype` or `.size()` the loop reads, by index too: each element is a whole array or list, so the loop
    runs once per array), loops over a grid of constants (`np.arange(0, 1.1, 0.1)`), sweeps of a setting
    (the element passed by keyword, `np.histogram(X, bins=b)`, or as the `q` of `np.quantile(scores, q)`:
    one pass over the whole array per setting, or an element named for a setting that scales or thresholds a whole
    array: `for temp in temperatures: softmax(logits / temp)`), loops over a transformer's columns (`for variable in self.variables_`)
    or that pick whole columns of a batch
    (`x[:, c]`, `torch.stack([x[:, i] for i in combo])`, or through the index: `terms[:, 2 * i - 1] = np.sin(...)`), loops that add constraints to an optimisation model
    (`model.constraint(x[i] <= y[i])`, OR-Tools' `model.Add`, Gurobi's `addConstr`: arithmetic on decision
    variables builds solver expressions),
    loops that index parameters annotated as Python lists of numbers (`ids: list[int]`: each element is a
    Python int, and the data is no array) or lists the function builds of number literals (`passed = [0] * tries`,
    then `passed[i] += 1`: a tally per item; joined, `weight = [1.0] + [2.0] * k`, or computed from `range`
    counters, `square = [c * c for c in range(k)]`: Python numbers a `math` function weighs) or by repeating one named value (`sizes = [quotient] * n`, then
    `sizes[i] += 1`: a number split into n parts), loops over DataFrame rows (PRF002 reports those), loops whose variable names a channel or attention head
    (`for ch in range(audio.shape[0])`, `for channel in waveform`: a few whole signals), loops that file each result
    under a name formatted per item (`metrics[f"ppl_q{k}"] = torch.exp(ce_q)`, `writer.add_scalar(f"loss/{k}", v)`:
    a per-class or per-codebook report, one named value per item), loops over the distinct classes (`for c in np.unique(y)`, or any loop whose variable selects its group of a whole
    array: `np.flatnonzero(draws == s)`, `X[y == c]`) or
    worker partitions (`range(cpus - 1)`), the axes of an array (`range(img.ndim)`, `range(ndim)`, `range(len(shape))`,
    `range(len(out_size))`, `zip(k, spatial_shape)`), elements named for several values (`for fold, cv_scores in
    results`), a record's named field (`subsets[k]["cv_scores"]`), elements that key a mapping of objects
    (`for arm in self.arms: self.buffers[arm].push(...)`: one buffer or controller per named part), per-iteration work on whole arrays (`iou >= thr[i]`,
    `np.argmin(np.abs(freqs - edges[i]))`, `np.min(np.abs(beat - estimated))`: a search of the array one element
    offsets for its nearest entry) or on an element's
    named fields (`for linear in self.linears: torch.abs(linear.weight)`: an object holding arrays), elements read
    as matrices (`np.dot(W, resid.T)`, `X[:, j]` of `for X in groups`, `for am in np.nan_to_num(adjacency_matrices)`,
    `np.argmax(preds[i], axis=1)`: one whole matrix per step), steps that train a model (`est.fit(X, np.minimum(y, t))`: one whole fit per
    setting, horizon or resample), steps that catch their own array call's error (`try: np.linalg.solve(A[i], b[i])
    except LinAlgError:`: a per-element fallback, which one vectorised call, failing for all at once, cannot give),
    steps that run a `while` loop of their own (`while delta > 0 and end >= 0:` trimming one sequence's durations from
    its end: a search or fix-up whose number of steps each element decides),
    string building (`names[i] + f"_{n}"`: an operand is text), list joins (`groups[i] + ids[i].tolist()`),
    window bounds (`frames[:, tops[k] : tops[k] + heights[k]]`, checked first too:
    `if ey[k] > y[k]: img[:, y[k] : ey[k]]`; also through a local: `n = int(torch.round(lengths[i] * T))`, then
    `x[i, :n]` or `seq.narrow(0, 0, n)`, each sequence of a padded batch cut to its own length; the work is on the
    window), prefixes and suffixes the element
    sizes (`np.dot(y[:-lag], y[lag:])`, `coef[1:k]`: one pass per lag or order), the keys of the mapping the
    loop reads (`for k in recall_at_k: np.mean(recall_at_k[k])`) or the key a comprehension reads from every record of
    another collection (`for k in metrics: np.mean([r[k] for r in results])`: one field reduced over all records), finite differences (`x[i] += eps`, then
    `func(x)` on the whole array: one evaluation per coordinate), and numpy
    math over a literal list of a few numbers (`start = np.min([n * 512, total - 1024])`: a
    window offset, the work of Python's `min`), and numpy math whose value only goes into text (`str(np.round(stat,
    3))`, a `.format()` argument, an f-string, `"%.3f" % ...`, or a local only read there: a cell of a printed
    table or a rule's label, for a reader). Loops in
    functions a JIT compiles (`@numba.njit`, `numba.njit(f)`, a decorator of the file that hands the function
    to one or registers it in a list the file later compiles entry by entry: `numba.njit(f) for name, f in
    _KERNELS`, numba's decorator re-exported by a project module named for it: `from pkg.utils.numba.njit import njit`,
    taichi, triton), and in methods of a class numba's `@jitclass` compiles (or of a base only jitclasses extend,
    or a class that declares its own jitclass spec, `(field, numba type)` pairs such as `("xty", float64[:])`, handed
    to `jitclass(spec)(cls)` at run time), are the fast way there and are not reported by any loop rule.

    Loops in functions that draw a figure or page (`visualize`, `plot_*`, `draw_*`, `render`, `show`, or any
    function of a plotting module: `plots/_bar.py`, `plotting.py`) walk the items a person reads and are not reported.

    In examples, tutorials and docs it is a note (info): that code shows the reader how to call
    the project and is not its hot path.

    ## Why is this bad?
    Each iteration pays the Python interpreter's overhead; the same work as one vectorised
    call runs 10-1000x faster in compiled code (and on the GPU for tensors).

    ## Example
    ```python
    out = []
    for i in range(len(X)):
        out.append(X[i] / (np.linalg.norm(X[i]) + 1e-8))
    ```

    ## Use instead
    ```python
    out = X / (np.linalg.norm(X, axis=1, keepdims=True) + 1e-8)
    ```
    """

    code = "PRF001"
    title = "Python loop doing per-element numeric work"
    practice = "performance"
    severity = Severity.WARNING
    fix = "Replace the loop with one vectorised call over the whole array (axis=..., broadcasting, masks)."

    def claim(self, loops: FileLoops, loop: Loop, iteration: Iteration) -> str | None:
        """Describe the per-element numeric work of a data loop (PRF005 claims per-item model calls first)."""
        pf = loops.pf
        if (loop.function is not None and draws_for_reader(loop.function.name, pf.path)) or _runs_own_while(loop.node):
            # `visualize()`, `plot_attention()`: one step per item a reader looks at; `while delta > 0 and end >= 0:`
            # in each step: a search or fix-up whose number of steps the data decide
            return None
        if method(loop.iterable) in {"iterrows", "itertuples"} or _over_axes(loop.iterable):
            # a loop over DataFrame rows is PRF002's, reported once; `range(img.ndim)`, `range(len(shape))`
            # take one step per axis, as many as the array's rank
            return None
        uses = list(loops.uses(loop, iteration.names))
        if any(_works_on_parts(pf, use, loop, iteration) for use in uses):
            return None
        if _propagates_along_links(loop.node) or any(
            _rescaled_running_value(pf, use, loop.node) or _reads_updated_state(pf, use, loop) for use in uses
        ):
            # `acc = acc * gamma + r[t]`: a discounted return or moving average, a true recurrence;
            # `np.argmin(dist(centroids, x))`, then `centroids = move(x, centroids)`: an online update;
            # `depth[left[i]] = depth[i] + 1`: each node's value needs the one an earlier step wrote
            return None
        if any(isinstance(pf.parent(use), ast.keyword) for use in uses):
            return None  # `np.histogram(X, bins=b)`, `KMeans(n_clusters=k)`: a sweep over a setting
        if not iteration.indexed and uses and all(_sweeps_setting(pf, use, loop) for use in uses):
            return None  # `torch.softmax(logits / temp)`: one pass over the whole array per temperature
        if any(_metadata_reads(pf, uses, iteration.indexed)) or any(
            _read_as_matrix(pf, use, iteration.indexed) for use in uses
        ):
            return None  # `xs[i].shape`, `hv.size()`, `np.dot(W, resid.T)`, `X[:, j]`: the loop walks whole arrays
        if any(_checked_against_none(pf, use, iteration.indexed) for use in uses):
            return None  # `if polys[k] is not None`: a numeric array holds no None, the loop walks optional objects
        candidates = [use for use in uses if _numeric_use(pf, use, loop.node, iteration.indexed, frozenset())]
        if not candidates or _adds_constraints(loop.node) or _recovers_per_step(pf, loop) or _fits_per_step(loop):
            return None
        return self._describe(pf, loop, iteration, candidates)

    @staticmethod
    def _describe(pf: PythonFile, loop: Loop, iteration: Iteration, candidates: list[ast.Name]) -> str | None:
        """Describe the first per-element numeric use of a loop, unless what it walks holds no numbers to vectorise."""
        if _collects_ragged(loop):
            return None  # `matches.append(torch.where(m0[k] > -1)[0])`: one result per item, each of its own size
        lists = _built_lists(pf, loop)  # only for a loop about to be reported: it reads the function's assignments
        if _walks_constants_or_arrays(pf, loop, _walked(loop, iteration.indexed), lists):
            return None
        lists |= _scalar_list_params(loop)  # `a: list[int]`: its elements are Python numbers, not array entries
        lists |= _counter_lists(pf, loop)  # `passed = [0] * tries`: a Python list of counters
        lists |= _array_list_params(loop)  # `X: List[np.ndarray]`: `X[j]` is one whole input array
        for use in candidates:
            what = _numeric_use(pf, use, loop.node, iteration.indexed, lists)
            if what is not None:
                return f"Python loop over {_over(loop, iteration.indexed)} {what}"
        return None


def _walks_constants_or_arrays(pf: PythonFile, loop: Loop, walked: list[ast.expr], lists: frozenset[str]) -> bool:
    """Return True when the loop walks a few number literals the code wrote out (`k_sec = (4, 8, 28, 3)`: one step
    per constant) or a collection of whole arrays; both read the function's bindings, so only loops about to be
    reported ask."""
    return any(
        _bound_to_number_literals(pf, loop, p) or _is_array_collection(p, loop, lists) or _transposed_before(loop, p)
        for p in walked
    )


def _transposed_before(loop: Loop, walked: ast.expr) -> bool:
    """Return True when the last assignment to the walked name before the loop transposes a matrix (`sampled =
    sampled.T`, then `for col in sampled:`): the loop takes one whole column per step, as `for col in X.T` does."""
    func = loop.function
    if func is None or not isinstance(walked, ast.Name):
        return False
    before = [
        node
        for node in ast.walk(func)
        if isinstance(node, ast.Assign)
        and node.lineno < loop.node.lineno
        and any(isinstance(t, ast.Name) and t.id == walked.id for t in node.targets)
    ]
    if not before:
        return False
    value = max(before, key=lambda node: node.lineno).value
    return isinstance(value, ast.Attribute) and value.attr in TRANSPOSES


def _over_axes(iterable: ast.expr) -> bool:
    """Return True for `range(x.ndim)`, `range(x.dim())`, `range(ndim)` / `range(self.spatial_dims)` (a bound named
    for the rank, not `range(dim)`: a feature width), `range(len(x.shape))` / `range(len(out_size))` (the length of
    a shape, size or spacing tuple) or `zip(k, spatial_shape)`: the loop visits each axis of an array (a 3-D
    volume's three spacings), a handful of steps whatever its size."""
    if not isinstance(iterable, ast.Call) or not iterable.args:
        return False
    if last_name(iterable.func) == "zip":
        return any(_axis_tuple(arg) for arg in iterable.args)
    if last_name(iterable.func) != "range":
        return False
    bound = iterable.args[1] if len(iterable.args) > 1 else iterable.args[0]
    if isinstance(bound, ast.Attribute) and bound.attr == "ndim":
        return True
    if _RANK_NAME.fullmatch(_name_of(bound).lower()):
        return True
    if not isinstance(bound, ast.Call):
        return False
    if isinstance(bound.func, ast.Attribute) and bound.func.attr in {"dim", "ndimension"} and not bound.args:
        return True
    return last_name(bound.func) == "len" and len(bound.args) == 1 and _axis_tuple(bound.args[0])


# `ndim` (numpy's word for the rank) and `spatial_dims` (2 or 3), not a feature width such as `dim` or `hidden_dims`
_RANK_NAME = re.compile(r"ndims?|(?:n_?|num_)?spatial_dims?")


def _name_of(node: ast.expr) -> str:
    """Return the name of `x` or the attribute of `self.x`, else ""."""
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""


def _axis_tuple(node: ast.expr) -> bool:
    """Return True for a name of one entry per axis: `x.shape`, `patch_shape`, `out_size`, `voxel_spacing`."""
    return _name_of(node).lower().endswith(("shape", "size", "spacing"))


# Methods adding a constraint to an optimisation model (LocalSolver, OR-Tools, Gurobi, PuLP, docplex, SCIP).
CONSTRAINT_CALLS = frozenset(
    {"constraint", "add_constraint", "add_constraints", "addConstr", "addConstrs", "addCons", "addConstraint"}
    | {"Add", "AddConstraint", "AddLinearConstraint", "AddBoolOr", "AddBoolAnd", "AddImplication"}
)


def _adds_constraints(loop: ast.AST) -> bool:
    """Return True for a loop that adds constraints to an optimisation model (`model.constraint(x[i] <= y[i])`):
    its arithmetic on decision variables builds solver expressions, one constraint per element, not numbers."""
    return any(isinstance(node, ast.Call) and method(node) in CONSTRAINT_CALLS for node in ast.walk(loop))


# Calls whose result's size depends on the values: the positions a mask or condition selects.
SELECTIONS = frozenset({"nonzero", "argwhere", "flatnonzero", "masked_select"})


def _collects_ragged(loop: Loop) -> bool:
    """Return True when each step appends to a list what a selection returns (`torch.where(valid)[0]`, `nonzero`,
    `masked_select`): the items keep results of different sizes, a ragged list no one vectorised call returns."""
    appends = any(isinstance(node, ast.Call) and method(node) == "append" for node in loop.inner)
    return appends and any(
        isinstance(node, ast.Call)
        and (method(node) in SELECTIONS or (method(node) == "where" and len(node.args) == 1 and not node.keywords))
        for node in loop.inner
        for node in ast.walk(node)
    )


# Methods that train a model on the data they are given.
def _fits_per_step(loop: Loop) -> bool:
    """Return True when the loop's own step trains a model (`est.fit(X, np.minimum(y, t))`): one whole training
    per step (a sweep, a refit per horizon or bootstrap sample), whose cost is the fit, not the arithmetic preparing
    its data, and which no vectorised call replaces."""
    return fits_model(loop.inner)


def _recovers_per_step(pf: PythonFile, loop: Loop) -> bool:
    """Return True when the loop's own step guards an array call with `try`/`except` (`try: np.linalg.solve(A, b)
    except LinAlgError: pinv`): each step recovers from its own failure (a singular matrix), which one vectorised
    call over every step cannot do: it fails for all of them at once."""
    return any(
        isinstance(node, ast.Call)
        and (pf.call_name(node) or "").startswith(ARRAY_LIBS)
        and _guarded_by_try(pf, node, loop.node)
        for node in loop.inner
    )


def _guarded_by_try(pf: PythonFile, node: ast.AST, loop: ast.AST) -> bool:
    """Return True when `node` sits in the body of a `try` with handlers inside `loop`."""
    child = node
    for anc in pf.ancestors(node):
        if anc is loop:
            return False
        if isinstance(anc, ast.Try) and anc.handlers and child in anc.body:
            return True
        child = anc
    return False


def _works_on_parts(pf: PythonFile, use: ast.Name, loop: Loop, iteration: Iteration) -> bool:
    """Return True when a use shows each step works on a part of an array, or follows a recurrence."""
    if iteration.indexed and (
        _shifted_index(pf, use)
        or _slice_bound(pf, use, loop.node)
        or _perturbs_then_evaluates(pf, use, loop.node)
        or _picks_column(pf, use)
    ):
        # a recurrence (`x[i - 1]`), one window cut per step (`img[:, y[k] : ey[k]]`), a finite difference,
        # one whole column per step (`terms[:, 2 * i - 1] = ...`)
        return True
    if not iteration.indexed and (
        _selects_columns(pf, use) or _keys_walked_mapping(pf, use, loop) or _keys_objects(pf, use)
    ):
        # `x[:, c]`, `[x[:, i] for i in combo]`: whole columns; `for k in d: np.mean(d[k])`: whole entries;
        # `for arm in self.arms: self.buffers[arm].push(...)`: one object (and its arrays) per named part
        return True
    if _masks_group(pf, use, loop):
        return True  # `np.flatnonzero(labels == k)`, `X[y == c]`: one vectorised pass over the array per group
    if _bounds_a_cut(pf, use, loop.node):
        return True  # `n = round(lengths[i] * T)`, then `x[i, :n]`: one sequence of a padded batch cut per step
    return _sizes_window(pf, use, iteration.names, loop.node)  # `np.dot(y[:-t], y[t:])`: a prefix or suffix


def _runs_own_while(loop: ast.For) -> bool:
    """Return True when each step runs a `while` loop of its own (not one of a nested function): a search or a
    fix-up whose number of steps each element decides (`while delta > 0 and end >= 0:` trimming one sequence's
    durations from its end), which no single vectorised call replaces."""
    return any(isinstance(node, ast.While) for node in own_nodes(loop))


def _bounds_a_cut(pf: PythonFile, use: ast.Name, loop: ast.AST) -> bool:
    """Return True when the element goes into a local that the loop then takes as a slice bound or a `narrow()`
    length (`n = int(torch.round(lengths[i] * T))`, then `x[i, 0:n]` or `seq.narrow(0, 0, n)`): each step cuts
    one sequence of a padded batch to its own length, and the work is on that ragged window, not on one number."""
    stmt = next((anc for anc in pf.ancestors(use) if isinstance(anc, ast.stmt)), None)
    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
        return False
    name = stmt.targets[0].id
    for node in ast.walk(loop):
        if isinstance(node, ast.Slice):
            bounds = [node.lower, node.upper]
        elif isinstance(node, ast.Call) and last_name(node.func) == "narrow" and len(node.args) == 3:
            bounds = [node.args[2]]  # `narrow(dim, start, length)`
        else:
            continue
        if any(bound is not None and name in _names_in(bound) for bound in bounds):
            return True
    return False


def _masks_group(pf: PythonFile, use: ast.Name, loop: Loop) -> bool:
    """Return True when the loop variable is compared with a whole array to select its group's entries, the mask
    handed to an array library (`np.flatnonzero(draws == s)`, `torch.nonzero(y == c)`) or indexing (`X[y == c]`):
    the loop runs once per group, each step vectorised over the array."""
    compare = pf.parent(use)
    if not (
        isinstance(compare, ast.Compare) and len(compare.ops) == 1 and isinstance(compare.ops[0], ast.Eq | ast.NotEq)
    ):
        return False
    other = compare.comparators[0] if compare.left is use else compare.left
    if not isinstance(other, ast.Name | ast.Attribute) or (isinstance(other, ast.Name) and other.id in loop.targets):
        return False
    host = pf.parent(compare)
    if isinstance(host, ast.Subscript):
        return host.slice is compare
    return isinstance(host, ast.Call) and compare in host.args and (pf.call_name(host) or "").startswith(ARRAY_LIBS)


def _sweeps_setting(pf: PythonFile, use: ast.Name, loop: Loop) -> bool:
    """Return True when an element named for a setting (`temp`, `thr`, `scale`, or walked from `temperatures`)
    only scales or thresholds another operand (`logits / temp`, `scores > thr`) or keys a result (`out[temp]`):
    each step is one pass over a whole array for that setting, not per-number work."""
    named = _tokens(use.id) | _tokens(last_name(loop.iterable))
    if not named & SETTING_WORDS:
        return False
    parent = pf.parent(use)
    if isinstance(parent, ast.Subscript) and parent.slice is use:
        return True
    if isinstance(parent, ast.BinOp):
        other = parent.right if parent.left is use else parent.left
    elif isinstance(parent, ast.Compare) and len(parent.comparators) == 1:
        other = parent.comparators[0] if parent.left is use else parent.left
    else:
        return False
    return not isinstance(other, ast.Constant) and not (isinstance(other, ast.Name) and other.id in loop.targets)


def _tokens(name: str) -> set[str]:
    return {token.lower() for token in re.split(r"_+|(?<=[a-z])(?=[A-Z])", name) if token}


def _walked(loop: Loop, indexed: bool) -> list[ast.expr]:
    """Return what the loop walks: the iterables of `for x in zip(a, b)`, or `xs` of `range(len(xs))` (also of
    `range(len(xs) - 1)`: all but the last of the same elements)."""
    iterable = loop.iterable
    if indexed:
        bound = iterable.args[-1] if isinstance(iterable, ast.Call) and iterable.args else None
        if isinstance(bound, ast.BinOp) and isinstance(bound.op, ast.Add | ast.Sub) and _number_literal(bound.right):
            bound = bound.left
        is_len = isinstance(bound, ast.Call) and isinstance(bound.func, ast.Name) and bound.func.id == "len"
        return [bound.args[0]] if is_len and isinstance(bound, ast.Call) and bound.args else []
    if isinstance(iterable, ast.Call) and last_name(iterable.func) in SHAPE_KEEPING and len(iterable.args) == 1:
        return [iterable.args[0]]  # `np.nan_to_num(self.adjacency_matrices)`: the same elements, cleaned
    return list(iterable.args) if isinstance(iterable, ast.Call) and last_name(iterable.func) == "zip" else [iterable]


# Array functions returning their one argument's elements unchanged in number and shape: walking
# `np.asarray(mats)` walks what `mats` holds.
SHAPE_KEEPING = frozenset({"asarray", "asanyarray", "array", "nan_to_num", "copy", "stack"})


def _bound_to_number_literals(pf: PythonFile, loop: Loop, walked: ast.expr) -> bool:
    """Return True when the loop walks (or indexes through) a name that its function, or else the module, binds
    only to tuples or lists of number literals (`k_sec = (4, 8, 28, 3)` in each branch of a model builder): the
    loop takes one step per constant, a handful, and its arithmetic sizes things rather than touching array data."""
    if not isinstance(walked, ast.Name):
        return False
    func = loop.function
    if func is not None and walked.id in {a.arg for a in ast.walk(func.args) if isinstance(a, ast.arg)}:
        return False  # a parameter: the caller decides what it holds
    scope: ast.AST = func if func is not None else pf.tree
    values = _bindings(scope, walked.id)
    if not values and loop.function is not None:
        values = [v for stmt in pf.tree.body for v in _bindings_of(stmt, walked.id)]
    return bool(values) and all(
        isinstance(v, ast.Tuple | ast.List) and v.elts and all(_number_literal(e) for e in v.elts) for v in values
    )


def _counter_lists(pf: PythonFile, loop: Loop) -> frozenset[str]:
    """Return the names the loop indexes that its function binds only to Python lists of number literals
    (`passed_tests = [0] * tries`, `totals = [0.0, 0.0]`): indexing one reads a Python number, a tally kept
    per item, not an array entry."""
    func = loop.function
    if func is None:
        return frozenset()
    params = {a.arg for a in ast.walk(func.args) if isinstance(a, ast.arg)}
    indexed = {
        n.value.id for n in ast.walk(loop.node) if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name)
    }
    return frozenset(
        name
        for name in indexed - params
        if (values := _bindings(func, name)) and all(_number_list(value) for value in values)
    )


def _number_list(value: ast.expr) -> bool:
    """Return True for a list of number literals, or one repeated (`[0] * n`, `n * [0.0]`), or a list repeating one
    named value (`[quotient] * n`: n Python numbers, one per part; n copies of one array would be one object), or
    such lists joined (`[1.0] + [2.0] * k`), or a comprehension of arithmetic on `range` counters
    (`[c * c for c in range(k + 1)]`): Python numbers all, no array in them."""
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Mult):
        return any(_number_list(side) or _repeated_name(side) for side in (value.left, value.right))
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        return _number_list(value.left) and _number_list(value.right)
    if isinstance(value, ast.ListComp):
        return _counts_over_ranges(value)
    return isinstance(value, ast.List) and bool(value.elts) and all(_number_literal(e) for e in value.elts)


def _counts_over_ranges(comp: ast.ListComp) -> bool:
    """Return True for `[c * c for c in range(n)]`: arithmetic on the counters of `range` loops and number
    literals only (no call, no other name), so each element is a Python number."""
    counters: set[str] = set()
    for generator in comp.generators:
        iterable = generator.iter
        if not (isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id == "range"):
            return False
        if not isinstance(generator.target, ast.Name) or generator.ifs:
            return False
        counters.add(generator.target.id)
    allowed = (ast.BinOp, ast.UnaryOp, ast.operator, ast.unaryop, ast.Load)
    return all(
        (isinstance(node, ast.Name) and node.id in counters)
        or (isinstance(node, ast.expr) and _number_literal(node))
        or isinstance(node, allowed)
        for node in ast.walk(comp.elt)
    )


def _repeated_name(side: ast.expr) -> bool:
    """Return True for the one-name list a repetition copies (`[quotient]` of `[quotient] * n`)."""
    return isinstance(side, ast.List) and len(side.elts) == 1 and isinstance(side.elts[0], ast.Name)


def _bindings(scope: ast.AST, name: str) -> list[ast.expr]:
    """Return the values `name` is bound to anywhere in `scope`."""
    return [v for node in ast.walk(scope) for v in _bindings_of(node, name)]


def _bindings_of(node: ast.AST, name: str) -> list[ast.expr]:
    """Return what `node` binds `name` to: an assignment's value, or the iterable of a loop binding it. An item or
    attribute assignment (`fail[i] = k`, `fail.x = 0`) stores into the object `name` holds and rebinds nothing."""
    if isinstance(node, ast.For | ast.AsyncFor | ast.comprehension) and any(
        isinstance(t, ast.Name) and t.id == name for t in ast.walk(node.target)
    ):
        return [node.iter]
    if isinstance(node, ast.Assign):
        if any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return [node.value]
        unpacked = [t for t in node.targets if not isinstance(t, ast.Name)]
        return [t for t in unpacked if any(_stores(n, name) for n in ast.walk(t))]
    if isinstance(node, ast.AnnAssign | ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
        return [node.value] if node.value is not None else []
    return []


def _stores(node: ast.AST, name: str) -> bool:
    """Return True for `name` as an assignment target (`a` of `a, b = ...`), not read as the object an item or
    attribute target stores into (`a` of `a[i] = ...`)."""
    return isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store)


def _number_literal(node: ast.expr) -> bool:
    """Return True for an int or float literal (`4`, `0.5`, `-0.1`), not a bool."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool)


def _is_array_collection(expr: ast.expr, loop: Loop, lists: frozenset[str]) -> bool:
    """Return True for `tensors`, `emb_list`, a `List[Tensor]` parameter, a list the function builds of arrays
    or a transposed array (`masks.T`: its columns): each element is a whole array, so the loop runs once per
    array (a handful), not once per number."""
    if isinstance(expr, ast.Attribute) and expr.attr in TRANSPOSES:
        return True
    return _names_arrays(expr) or _annotated_arrays(expr, loop) or (isinstance(expr, ast.Name) and expr.id in lists)


# Attributes transposing a matrix: walking `x.T` yields its columns, whole vectors (a 1-D array has no use for one).
TRANSPOSES = frozenset({"T", "mT", "H", "mH"})


def _element(pf: PythonFile, use: ast.Name, indexed: bool) -> ast.AST | None:
    """Return the loop's element at a use: the name itself, or `xs[i]` when the loop is indexed (None when the
    index is not the subscript of a container there)."""
    if not indexed:
        return use
    holder = pf.parent(use)
    return holder if isinstance(holder, ast.Subscript) and holder.slice is use else None


def _checked_against_none(pf: PythonFile, use: ast.Name, indexed: bool) -> bool:
    """Return True when the element (`p`, or `polys[k]` when indexed) is tested with `is None` / `is not None`:
    an array of numbers holds no None, so the loop walks a list of optional objects (a polygon or nothing)."""
    node = _element(pf, use, indexed)
    if node is None:
        return False
    compare = pf.parent(node)
    return (
        isinstance(compare, ast.Compare)
        and all(isinstance(op, ast.Is | ast.IsNot) for op in compare.ops)
        and any(isinstance(c, ast.Constant) and c.value is None for c in (compare.left, *compare.comparators))
    )


ARRAY_METADATA = frozenset({"shape", "dtype", "device", "ndim"})


ARRAY_METADATA_CALLS = frozenset({"size", "dim", "numel"})


# Calls returning a tuple or list of whole arrays: one gradient per parameter, the pieces of a split.
ARRAY_TUPLE_CALLS = frozenset({"grad", "split", "chunk", "tensor_split", "array_split", "broadcast_tensors"})


def _built_lists(pf: PythonFile, loop: Loop) -> frozenset[str]:
    """Return the names the loop's function binds to a list or tuple of arrays (`[torch.zeros_like(x) for x in
    inputs]`, `torch.autograd.grad(...)`, `out: List[Tensor] = []`, or a list it joins into one array:
    `torch.cat(weight, dim=1)`) or of Python containers (`[[] for _ in tracks]`): an element of either is a whole
    value, not a number."""
    func = loop.function
    if func is None:
        return frozenset()
    end = func.end_lineno or func.lineno
    found: set[str] = set()
    for node in pf.nodes(ast.Assign, ast.AnnAssign):
        if not func.lineno <= node.lineno <= end:
            continue
        if isinstance(node, ast.AnnAssign):
            if isinstance(node.target, ast.Name) and ARRAY_SEQUENCE.match(ast.unparse(node.annotation)):
                found.add(node.target.id)
        elif isinstance(node, ast.Assign) and _binds_arrays(pf, node):
            found.add(ast.unparse(node.targets[0]))
    for call in pf.nodes(ast.Call):
        if func.lineno <= call.lineno <= end and isinstance(call, ast.Call) and _joins_arrays(pf, call):
            found.add(ast.unparse(call.args[0]))
    return frozenset(found)


# Array functions joining a sequence of arrays into one (`torch.cat(weight, dim=1)`, `np.stack(rows)`).
JOINERS = frozenset({"cat", "concat", "concatenate", "stack", "vstack", "hstack", "dstack", "column_stack"})


def _joins_arrays(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for `torch.cat(weight, dim=1)` on a local name: the list it joins holds whole arrays (Gram-Schmidt
    appending one orthonormal column a step), so a loop reading `weight[j]` works on a column, not a number."""
    if not (call.args and isinstance(call.args[0], ast.Name)):
        return False
    name = pf.call_name(call) or ""
    return name.startswith(ARRAY_LIBS) and name.rsplit(".", 1)[-1] in JOINERS


def _binds_arrays(pf: PythonFile, node: ast.Assign) -> bool:
    return len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) and _builds_arrays(pf, node.value)


def _builds_arrays(pf: PythonFile, value: ast.expr) -> bool:
    """Return True for `[torch.zeros_like(t) for t in xs]`, `tuple(np.ones(n) for ...)`, `torch.autograd.grad(...)`
    or `[[] for _ in tracks]`."""
    if isinstance(value, ast.Call) and last_name(value.func) in ("tuple", "list") and value.args:
        value = value.args[0]
    if isinstance(value, ast.ListComp | ast.GeneratorExp):
        value = value.elt
        if isinstance(value, ast.List | ast.Dict | ast.Set) or (
            isinstance(value, ast.Call) and _empty_container(value)
        ):
            return True  # `[[] for _ in tracks]`: one Python list per track, extended (`+=`), never number work
        return isinstance(value, ast.Call) and (pf.call_name(value) or "").startswith(ARRAY_LIBS)
    if _tape_gradients(pf, value):
        return True
    name = pf.call_name(value) if isinstance(value, ast.Call) else None
    return bool(name) and str(name).startswith(ARRAY_LIBS) and str(name).rsplit(".", 1)[-1] in ARRAY_TUPLE_CALLS


def _empty_container(call: ast.Call) -> bool:
    """Return True for `list()`, `dict()` or `set()`: a new, empty Python container."""
    return isinstance(call.func, ast.Name) and call.func.id in ("list", "dict", "set") and not call.args


def _tape_gradients(pf: PythonFile, value: ast.expr) -> bool:
    """Return True for `tape.gradient(loss, model.trainable_variables)`: a gradient tape's method returns one
    gradient tensor per source variable (numpy's `np.gradient(f)` is an array library function, not this)."""
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "gradient"):
        return False
    return len(value.args) >= 2 and not (pf.call_name(value) or "").startswith(ARRAY_LIBS)


def _metadata_reads(pf: PythonFile, uses: list[ast.Name], indexed: bool) -> Iterator[str]:
    """Yield `xs` for `xs[i].shape` (indexed) or the element `hv` for `hv.size()`: the element is an array."""
    for use in uses:
        node: ast.AST = use
        container = ""
        if indexed:
            holder = pf.parent(use)
            if not (isinstance(holder, ast.Subscript) and holder.slice is use):
                continue
            node, container = holder, _root_name(holder)
        attr = pf.parent(node)
        if not isinstance(attr, ast.Attribute):
            continue
        called = isinstance(pf.parent(attr), ast.Call) and attr.attr in ARRAY_METADATA_CALLS
        if attr.attr in ARRAY_METADATA or called:
            yield container or use.id


def _read_as_matrix(pf: PythonFile, use: ast.Name, indexed: bool) -> bool:
    """Return True when the element (`resid`, or `phis[i]` when indexed) is transposed into a matrix product
    (`np.dot(W, resid.T)`), sliced along a full axis (`X[:, j]`) or reduced along a second axis
    (`np.argmax(preds[i], axis=1)`): a number or a 1-D row has no use for any of them,
    so each element is a matrix and the loop runs once per matrix (a bootstrap sample, a lag, a group), not once
    per number."""
    node = _element(pf, use, indexed)
    if node is None:
        return False
    parent = pf.parent(node)
    if isinstance(parent, ast.Attribute):
        return parent.attr in TRANSPOSES and _matrix_product_operand(pf, parent)
    if isinstance(parent, ast.Call):
        return _reduced_along_second_axis(pf, parent, node)
    if not (isinstance(parent, ast.Subscript) and parent.value is node and isinstance(parent.slice, ast.Tuple)):
        return False
    return any(isinstance(e, ast.Slice) and e.lower is None and e.upper is None for e in parent.slice.elts)


MATRIX_PRODUCTS = frozenset({"dot", "matmul", "tensordot", "solve", "lstsq"})


def _reduced_along_second_axis(pf: PythonFile, call: ast.Call, node: ast.AST) -> bool:
    """Return True for `np.argmax(preds[i], axis=1)`: an array function working along axis 1 or later of the
    element, which therefore has two axes or more (a matrix per step)."""
    if not call.args or call.args[0] is not node or not (pf.call_name(call) or "").startswith(ARRAY_LIBS):
        return False
    axis = next((k.value for k in call.keywords if k.arg in ("axis", "dim")), None)
    axes = axis.elts if isinstance(axis, ast.Tuple) else [axis] if axis is not None else []
    return any(isinstance(a, ast.Constant) and isinstance(a.value, int) and a.value >= 1 for a in axes)


def _matrix_product_operand(pf: PythonFile, node: ast.AST) -> bool:
    """Return True when `node` is an operand of `@` or of an array library's matrix product (`np.dot(W, x.T)`)."""
    parent = pf.parent(node)
    if isinstance(parent, ast.BinOp):
        return isinstance(parent.op, ast.MatMult)
    if not (isinstance(parent, ast.Call) and node in parent.args):
        return False
    name = pf.call_name(parent) or ""
    return name.startswith(ARRAY_LIBS) and name.rsplit(".", 1)[-1] in MATRIX_PRODUCTS


def _names_arrays(expr: ast.expr) -> bool:
    tokens = {token.lower() for token in re.split(r"_+|(?<=[a-z])(?=[A-Z])", last_name(expr))}
    return bool(tokens & ARRAY_COLLECTIONS) or bool(tokens & ARRAY_WORDS and tokens & LIST_WORDS)


def _annotated_arrays(expr: ast.expr, loop: Loop) -> bool:
    """Return True when the iterable is a parameter annotated as a sequence of arrays, or the function's
    `*args` (`*tensors: Tensor`, or unannotated: `def forward(self, *embeddings)`): the separate arguments a
    caller wrote out, each a whole array, not the elements of one."""
    if loop.function is None or not isinstance(expr, ast.Name) or expr.id in loop.targets:
        return False
    args = loop.function.args
    for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
        if arg.arg == expr.id and arg.annotation is not None:
            return ARRAY_SEQUENCE.match(ast.unparse(arg.annotation)) is not None
    vararg = args.vararg
    return (
        vararg is not None
        and vararg.arg == expr.id
        and (vararg.annotation is None or ARRAY_NAME.search(ast.unparse(vararg.annotation)) is not None)
    )


# A parameter annotated as a Python container of scalars: `list[int]`, `Sequence[float]`, `tuple[int, ...]`.
SCALAR_SEQUENCE = re.compile(
    r"^(?:typing\.)?(?:List|list|Sequence|Tuple|tuple|MutableSequence)\[\s*(?:int|float|bool|str)\s*(?:,\s*\.\.\.\s*)?\]$"
)


def _scalar_list_params(loop: Loop) -> frozenset[str]:
    """Return the parameters of the loop's function annotated as Python lists of numbers (`ids: list[int]`):
    indexing one reads a Python int, so the loop is list work, not an array loop to vectorise."""
    return _params_annotated(loop, SCALAR_SEQUENCE.match)


# An annotation naming a sequence of arrays anywhere in it: `List[np.ndarray]`, `Union[List[float], List[Tensor]]`.
ARRAY_SEQUENCE_PART = re.compile(r"\b(?:List|list|Sequence|Tuple|tuple|Iterable)\[[^\]]*\b(?:Tensor|ndarray|Array)\b")


def _array_list_params(loop: Loop) -> frozenset[str]:
    """Return the parameters of the loop's function annotated as Python sequences of arrays (`X: List[np.ndarray]`,
    one array per model input): indexing one reads a whole array, so the loop runs once per input, not per number."""
    return _params_annotated(loop, ARRAY_SEQUENCE_PART.search)


def _params_annotated(loop: Loop, matches: Callable[[str], re.Match[str] | None]) -> frozenset[str]:
    """Return the parameters of the loop's function whose annotation's source `matches`."""
    if loop.function is None:
        return frozenset()
    args = loop.function.args
    return frozenset(
        arg.arg
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs)
        if arg.annotation is not None and matches(ast.unparse(arg.annotation))
    )


def _shifted_index(pf: PythonFile, use: ast.Name) -> bool:
    """Return True for `x[i - 1]`: a recurrence, not a plain elementwise map."""
    parent = pf.parent(use)
    if not isinstance(parent, ast.BinOp):
        return False
    holder = pf.parent(parent)
    holder = pf.parent(holder) if isinstance(holder, ast.Tuple) else holder
    return isinstance(holder, ast.Subscript)


def _selects_columns(pf: PythonFile, use: ast.Name) -> bool:
    """Return True when the element picks columns next to a full slice (`x[:, c]`, `x[..., c]`), itself or
    through a comprehension over it (`[x[:, i] for i in combo]`): each step spans every row of the batch."""
    names = {use.id}
    holder = pf.parent(use)
    if isinstance(holder, ast.comprehension) and holder.iter is use:
        names = {n.id for n in ast.walk(holder.target) if isinstance(n, ast.Name)}
        scope = pf.parent(holder)
        found = scope is not None and any(
            _column_index(pf, n) for n in ast.walk(scope) if isinstance(n, ast.Name) and n.id in names
        )
        return bool(found)
    return _column_index(pf, use)


def _column_index(pf: PythonFile, name: ast.Name) -> bool:
    index = pf.parent(name)
    holder = pf.parent(index) if isinstance(index, ast.Tuple) else None
    if not (isinstance(holder, ast.Subscript) and holder.slice is index and isinstance(index, ast.Tuple)):
        return False
    return any(
        (isinstance(e, ast.Slice) and e.lower is None and e.upper is None)
        or (isinstance(e, ast.Constant) and e.value is Ellipsis)
        for e in index.elts
    )


def _picks_column(pf: PythonFile, counter: ast.Name) -> bool:
    """Return True when a loop counter, or integer arithmetic on it, indexes an axis after full slices only
    (`terms[:, 2 * i - 1] = np.sin(2 * np.pi * i * t / m)`, `X[:, j]`): each step fills or reads one whole column,
    a feature or a seasonal term, not one sample (`X[i, :]` walks rows, and is reported)."""
    node: ast.AST = counter
    index = pf.parent(counter)
    while (isinstance(index, ast.BinOp) and isinstance(index.op, INDEX_ARITHMETIC)) or isinstance(index, ast.UnaryOp):
        node, index = index, pf.parent(index)
    if not isinstance(index, ast.Tuple):
        return False
    holder = pf.parent(index)
    if not (isinstance(holder, ast.Subscript) and holder.slice is index):
        return False
    position = next(k for k, e in enumerate(index.elts) if e is node)
    return position > 0 and all(_full_slice(e) for e in index.elts[:position])


def _full_slice(node: ast.expr) -> bool:
    """Return True for `:` or `...` in a subscript."""
    return (isinstance(node, ast.Slice) and node.lower is None and node.upper is None and node.step is None) or (
        isinstance(node, ast.Constant) and node.value is Ellipsis
    )


INDEX_ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Mod)


def _rescaled_running_value(pf: PythonFile, use: ast.Name, loop: ast.AST) -> bool:
    """Return True when the element feeds `acc = acc * gamma + r[t]` (or `gae = delta + g * lam * gae`): each step
    rescales the previous result, a linear recurrence (discounted return, moving average) no single numpy or
    torch call computes, unlike a plain running sum (`np.cumsum`)."""
    for anc in pf.ancestors(use):
        if anc is loop:
            return False
        if isinstance(anc, ast.Assign):
            if len(anc.targets) != 1 or not isinstance(anc.targets[0], ast.Name):
                return False
            name = anc.targets[0].id
            return any(
                isinstance(node, ast.BinOp)
                and isinstance(node.op, ast.Mult)
                and any(isinstance(side, ast.Name) and side.id == name for side in (node.left, node.right))
                for node in ast.walk(anc.value)
            )
    return False


def _reads_updated_state(pf: PythonFile, use: ast.Name, loop: Loop) -> bool:
    """Return True when the expression using the element reads a name that another statement of the loop rebinds
    from its own previous value (`clust = np.argmin(dissim(centroids, x))`, then `centroids = move_point(x, clust,
    centroids)`): each step works on the state the steps before left, an online update (k-modes moves, SGD,
    a filter) that one call over all elements cannot compute. A counter stepped by a constant (`n += 1`) is no
    such state, nor is the running total a use's own statement adds to (`total += np.abs(x[i])`)."""
    expression: ast.AST = use
    for anc in pf.ancestors(use):
        if anc is loop.node:
            return False
        if isinstance(anc, ast.stmt):
            break
        expression = anc
    else:
        return False
    statement = anc
    read = {n.id for n in ast.walk(expression) if isinstance(n, ast.Name) and n.id not in loop.targets}
    return any(
        node is not statement and bool(_self_updated(node) & read)
        for node in ast.walk(loop.node)
        if isinstance(node, ast.Assign | ast.AugAssign)
    )


def _propagates_along_links(loop: ast.AST) -> bool:
    """Return True when the loop writes an array entry from an entry of the same array at an index looked up in
    another array (`depth[left[i]] = depth[i] + 1`, `size[i] = size[left[i]] + size[right[i]]`): it passes values
    along a tree's or graph's links, each step reading what an earlier one wrote, which no single call computes."""
    for node in ast.walk(loop):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            if not (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)):
                continue
            written, at = target.value.id, ast.dump(target.slice)
            for read in ast.walk(node.value):
                if (
                    isinstance(read, ast.Subscript)
                    and isinstance(read.value, ast.Name)
                    and read.value.id == written
                    and ast.dump(read.slice) != at
                    and any(isinstance(index, ast.Subscript) for index in (read.slice, target.slice))
                ):
                    return True
    return False


def _self_updated(node: ast.Assign | ast.AugAssign) -> set[str]:
    """Return the names an assignment rebinds from their own value (`c = move(x, c)`, `w -= lr * grad(w, x)`),
    leaving out running sums (`loc -= values[i]`, `total = total + v`: a cumulative sum, which `np.cumsum`
    computes at once) and counters stepped by a constant (`moves += 1`)."""
    if isinstance(node, ast.AugAssign):
        if not isinstance(node.target, ast.Name) or isinstance(node.value, ast.Constant):
            return set()
        name = node.target.id
        summed = isinstance(node.op, ast.Add | ast.Sub) and name not in _names_in(node.value)
        return set() if summed else {name}
    bound = {n.id for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    value = node.value
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add | ast.Sub):
        for own, other in ((value.left, value.right), (value.right, value.left)):
            if isinstance(own, ast.Name) and own.id not in _names_in(other):
                bound.discard(own.id)  # `total = total + v`: a running sum
    return bound & _names_in(value)


def _names_in(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _sizes_window(pf: PythonFile, use: ast.Name, names: frozenset[str], loop: ast.AST) -> bool:
    """Return True when the element or index is one end of a slice whose other end stays put (`y[:-t]`, `x[t:]`,
    `phi[1:k]`): each step takes a prefix or suffix of a different size (a lag, an order), so its work is a pass
    over that part of the array; a window sliding with the index (`x[i : i + k]`) is not one."""
    child: ast.AST = use
    for anc in pf.ancestors(use):
        if anc is loop or isinstance(anc, ast.stmt):
            return False
        if isinstance(anc, ast.Slice):
            if child is anc.lower:
                other = anc.upper
            elif child is anc.upper:
                other = anc.lower
            else:
                return False  # the step of `x[::k]`
            return other is None or not any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(other))
        child = anc
    return False


def _perturbs_then_evaluates(pf: PythonFile, use: ast.Name, loop: ast.AST) -> bool:
    """Return True for `x[i] += eps; f_plus[i] = func(x)`: the step changes one element, then hands the whole
    array to a function, one full evaluation per coordinate (a numerical gradient or Hessian), whose cost is the
    call, not the element arithmetic."""
    holder = pf.parent(use)
    if not (isinstance(holder, ast.Subscript) and holder.slice is use and isinstance(holder.value, ast.Name)):
        return False
    written = pf.parent(holder)
    if not (isinstance(written, ast.AugAssign | ast.Assign) and holder in _targets(written)):
        return False
    name = holder.value.id
    body = loop.body if isinstance(loop, ast.For | ast.AsyncFor) else []
    return any(
        isinstance(node, ast.Call)
        and not _math_call(pf, node)
        and last_name(node.func) not in BUILTIN_CALLS
        and any(isinstance(arg, ast.Name) and arg.id == name for arg in node.args)
        for stmt in body
        for node in ast.walk(stmt)
    )


BUILTIN_CALLS = frozenset({"len", "print", "range", "enumerate", "list", "tuple", "isinstance", "str", "repr"})


def _targets(node: ast.AugAssign | ast.Assign) -> list[ast.expr]:
    return [node.target] if isinstance(node, ast.AugAssign) else list(node.targets)


def _keys_objects(pf: PythonFile, use: ast.Name) -> bool:
    """Return True for `buffers[arm].average` or `controllers[arm].update(...)` (shape metadata aside): the element
    keys a mapping of objects with attributes and methods (a buffer, a controller per arm or camera), so each step
    works on a named part and its arrays, not on one number."""
    holder, attr = _keyed_entry(pf, use)
    return isinstance(attr, ast.Attribute) and attr.value is holder and attr.attr not in ARRAY_METADATA_NAMES


ARRAY_METADATA_NAMES = ARRAY_METADATA | ARRAY_METADATA_CALLS


def _keyed_entry(pf: PythonFile, use: ast.Name) -> tuple[ast.Subscript | None, ast.AST | None]:
    """Return `(d[k], its parent)` when the element is the key of a subscript `d[k]`, else `(None, None)`."""
    holder = pf.parent(use)
    if not (isinstance(holder, ast.Subscript) and holder.slice is use):
        return None, None
    return holder, pf.parent(holder)


def _keys_walked_mapping(pf: PythonFile, use: ast.Name, loop: Loop) -> bool:
    """Return True for `for k in scores: ... scores[k]`: the element indexes the very collection the loop walks,
    so it is a key of a mapping (`for k, v in scores.items()`), and the entry it reads is a whole collection."""
    holder = pf.parent(use)
    return (
        isinstance(holder, ast.Subscript)
        and holder.slice is use
        and ast.unparse(holder.value) == ast.unparse(loop.iterable)
    )


def _slice_bound(pf: PythonFile, use: ast.Name, loop: ast.AST) -> bool:
    """Return True when `xs[i]` bounds a slice anywhere in the loop (`img[:, y[k] - 1 : ey[k]]`,
    `units[i, : lens[i]]`): each step cuts one window of its own size, so comparisons and arithmetic on those
    bounds check and size the window, and the work is the window, not one number."""
    holder = pf.parent(use)
    if not (isinstance(holder, ast.Subscript) and holder.slice is use):
        return False
    container = ast.unparse(holder.value)
    for node in ast.walk(loop):
        if isinstance(node, ast.Slice):
            for bound in (node.lower, node.upper):
                if bound is not None and any(
                    isinstance(sub, ast.Subscript)
                    and ast.unparse(sub.value) == container
                    and sub.slice is not None
                    and ast.unparse(sub.slice) == use.id
                    for sub in ast.walk(bound)
                ):
                    return True
    return False


def _over(loop: Loop, indexed: bool) -> str:
    source = ast.unparse(loop.iterable)
    return f"`{source[:50]}`" if indexed else f"elements of `{source[:50]}`"


ARRAY_ATTRIBUTES = frozenset({"T", "mT", "H", "mH", "real", "imag", "flat", "data"})


def _object_field(pf: PythonFile, use: ast.Name, indexed: bool) -> bool:
    """Return True for `layer.weight` of `for layer in self.layers:`: an element read through a named field
    is an object holding whole arrays, not one number of an array."""
    parent = pf.parent(use)
    if indexed or not isinstance(parent, ast.Attribute) or parent.attr in ARRAY_ATTRIBUTES:
        return False
    holder = pf.parent(parent)
    return not (isinstance(holder, ast.Call) and holder.func is parent)  # `v.sum()` is the element's own math


def _record_field(pf: PythonFile, use: ast.Name) -> bool:
    """Return True for `subsets[k]["cv_scores"]`: the key picks a record whose named field is read, not a number."""
    holder, outer = _keyed_entry(pf, use)
    return (
        isinstance(outer, ast.Subscript)
        and outer.value is holder
        and isinstance(outer.slice, ast.Constant)
        and isinstance(outer.slice.value, str)
    )


def _plural(name: str) -> bool:
    """Return True for `cv_scores`, `preds`, `feats`: a name for several values (not `loss`, `bias`, `axis`)."""
    word = re.split(r"_+|(?<=[a-z])(?=[A-Z])", name)[-1].lower()
    return len(word) >= 4 and word.endswith("s") and not word.endswith(("ss", "us", "is", "as", "os"))


def _numeric_use(pf: PythonFile, use: ast.Name, loop: ast.AST, indexed: bool, lists: frozenset[str]) -> str | None:
    """Describe the per-element numeric work done with an element or index, if any (none for the elements of
    `lists`, which are whole arrays)."""
    if _object_field(pf, use, indexed) or _record_field(pf, use) or (not indexed and use.id in lists):
        return None
    if not indexed and (_plural(use.id) or _keys_each_record(pf, use) or _searches_an_array(pf, use, pf.parent(use))):
        # `for fold, cv_scores in results: np.mean(cv_scores)`: each element holds several values;
        # `for k in metrics: np.mean([r[k] for r in rows])`: one field gathered from every record;
        # `np.min(np.abs(beat - estimated))`: the closest estimate to one beat, a pass over them all
        return None
    if _files_under_own_name(pf, use, loop):
        return None  # `metrics[f"ppl_q{k}"] = torch.exp(ce)`: one named value per item, a report for a reader
    child: ast.AST = use
    for anc in pf.ancestors(use):
        if anc is loop:
            return None
        if isinstance(anc, ast.Subscript) and (_small_container(_root_name(anc)) or _root_name(anc) in lists):
            return None
        if indexed and isinstance(anc, ast.Subscript) and child is anc.slice:
            if not _scalar_index(anc.slice) or _searches_an_array(pf, anc, pf.parent(anc)):
                return None  # `np.argmin(np.abs(freqs - edges[i]))`: the nearest bin to one edge, a pass over `freqs`
            context = _arithmetic_context(pf, anc)
            if context is not None:
                return context
        if isinstance(anc, ast.Call) and child in _data_args(anc) and _math_call(pf, anc):
            return _math_use(pf, anc, child)
        if not indexed and isinstance(anc, ast.BinOp) and isinstance(anc.op, ast.MatMult):
            return "multiplies matrices per element"
        child = anc
    return None


def _math_use(pf: PythonFile, call: ast.Call, argument: ast.AST) -> str | None:
    """Describe a math call on the element as per-element work, unless it works on a few numbers or makes text."""
    if isinstance(argument, ast.List | ast.Tuple):
        return None  # `np.min([n * 512, total - 1024])`: the smaller of a few numbers, not array work
    if _formatted_as_text(pf, call):
        return None  # `"{: >15s}".format(str(np.round(stat, 3)))`: a report row's cell, for a reader
    return f"calls {pf.call_name(call)}() per element"


TEXT_BUILDERS = frozenset({"str", "repr", "format"})


def _formatted_as_text(pf: PythonFile, call: ast.Call) -> bool:
    """Return True when the call's value only goes into text: through `str()`, `repr()`, a `.format()` argument,
    an f-string or `"%.3f" % ...` (a cell of a printed table or a label), directly or through a local every read
    of which does (`threshold = np.round(pivot, 5)`, then `f"{name} <= {threshold}"`), not into further numbers."""
    if _in_text(pf, call):
        return True
    reads = local_reads(pf, call)
    return bool(reads) and all(_in_text(pf, read) for read in reads or ())


def _in_text(pf: PythonFile, value: ast.AST) -> bool:
    """Return True when an expression's value is formatted into text within its statement."""
    node: ast.AST = value
    for anc in pf.ancestors(value):
        if isinstance(anc, ast.stmt):
            return False
        if isinstance(anc, ast.FormattedValue):
            return True
        if isinstance(anc, ast.Call) and node in (*anc.args, *anc.keywords) and last_name(anc.func) in TEXT_BUILDERS:
            return True
        if isinstance(anc, ast.BinOp) and isinstance(anc.op, ast.Mod) and node is anc.right:
            return isinstance(anc.left, ast.Constant) and isinstance(anc.left.value, str)
        node = anc
    return False


def _keys_each_record(pf: PythonFile, use: ast.Name) -> bool:
    """Return True for `k` in `[r[k] for r in rows]` or `[s[k].f1 for s in scores]`: the element is the key a
    comprehension reads from each record of another collection, so each step gathers and reduces one field over
    all records (a per-metric mean or argmax over results), a handful of keys, not per-number work."""
    holder = pf.parent(use)
    if not (isinstance(holder, ast.Subscript) and holder.slice is use and isinstance(holder.value, ast.Name)):
        return False
    record = holder.value.id
    for anc in pf.ancestors(holder):
        if isinstance(anc, ast.stmt):
            return False
        if isinstance(anc, ast.ListComp | ast.GeneratorExp | ast.SetComp):
            return any(
                isinstance(n, ast.Name) and n.id == record for gen in anc.generators for n in ast.walk(gen.target)
            )
    return False


def _files_under_own_name(pf: PythonFile, use: ast.Name, loop: ast.AST) -> bool:
    """Return True when the statement using the element files its result under a name formatted per item:
    `metrics[f"ppl_q{k}"] = torch.exp(ce_q)` or `writer.add_scalar(f"loss/{k}", torch.exp(v))`. Each step
    makes one named value for a reader (per class, codebook, layer), not array work to vectorise."""
    for anc in pf.ancestors(use):
        if anc is loop:
            return False
        if isinstance(anc, ast.Assign):
            return all(isinstance(t, ast.Subscript) and isinstance(t.slice, ast.JoinedStr) for t in anc.targets)
        if isinstance(anc, ast.Expr):
            call = anc.value
            return isinstance(call, ast.Call) and bool(call.args) and isinstance(call.args[0], ast.JoinedStr)
        if isinstance(anc, ast.stmt):
            return False
    return False


def _math_call(pf: PythonFile, call: ast.Call) -> bool:
    name = pf.call_name(call) or ""
    if name.startswith(MATH_MODULES):
        return True
    return name.startswith(ARRAY_LIBS) and name.rsplit(".", 1)[-1] in MATH_FUNCS


def _scalar_index(index: ast.expr) -> bool:
    """Return True for `x[i]`, `x[i, j]`: one element, not a slice, fancy index or recurrence (`x[i - 1]`)."""
    parts = index.elts if isinstance(index, ast.Tuple) else [index]
    return all(isinstance(p, ast.Name) or (isinstance(p, ast.Constant) and p.value is not Ellipsis) for p in parts)


def _arithmetic_context(pf: PythonFile, subscript: ast.Subscript) -> str | None:
    """Return a description when an indexed element feeds arithmetic or a comparison."""
    parent = pf.parent(subscript)
    target = ast.unparse(subscript)[:40]
    if _whole_array_operand(subscript, parent) or _joins_text(parent) or _joins_lists(parent):
        return None
    if parent is not None and isinstance(pf.parent(parent), ast.Slice):
        return None  # `frames[:, s[i] : s[i] + h[i]]`: computes a window's bound, the work is on the window
    if isinstance(parent, ast.BinOp | ast.AugAssign | ast.UnaryOp):
        return f"doing arithmetic on {target} element by element"
    if isinstance(parent, ast.Compare) and _picks_literal(pf, parent):
        return None  # `counts = [] if mask[i, 0] == 0 else [0]`: chooses which Python object to build
    if isinstance(parent, ast.Compare) and not any(
        isinstance(c, ast.Constant) and (c.value is None or isinstance(c.value, str))
        for c in (parent.left, *parent.comparators)
    ):
        return f"comparing {target} element by element"
    return None


def _picks_literal(pf: PythonFile, compare: ast.Compare) -> bool:
    """Return True when the comparison is the test of `a if test else b` choosing between two Python literals
    (`[] if x[i, 0] == 0 else [0]`, `"on" if m[i] > 0 else "off"`): it picks an object to build, no mask does."""
    choice = pf.parent(compare)
    return (
        isinstance(choice, ast.IfExp)
        and choice.test is compare
        and all(_python_literal(branch) for branch in (choice.body, choice.orelse))
    )


def _python_literal(node: ast.expr) -> bool:
    """Return True for a container display (`[]`, `[0]`, `{}`) or a text or None constant; a number or a bool
    is not one (`1.0 if x[i] > 0 else 0.0` is `np.where`)."""
    if isinstance(node, ast.List | ast.Tuple | ast.Set | ast.Dict):
        return True
    return isinstance(node, ast.Constant) and (node.value is None or isinstance(node.value, str | bytes))


def _joins_text(parent: ast.AST | None) -> bool:
    """Return True for `names[i] + f"_{n}"` or `"%s" % names[i]`: an operand is text, so the work is string
    building, not numbers."""
    if isinstance(parent, ast.BinOp):
        operands = [parent.left, parent.right]
    elif isinstance(parent, ast.AugAssign):
        operands = [parent.value]
    else:
        return False
    return any(
        isinstance(o, ast.JoinedStr) or (isinstance(o, ast.Constant) and isinstance(o.value, str)) for o in operands
    )


def _joins_lists(parent: ast.AST | None) -> bool:
    """Return True for `regions[j] + ind[j].tolist()` or `groups[i] + [k]`: list concatenation, not numbers."""
    if not isinstance(parent, ast.BinOp | ast.AugAssign) or not isinstance(parent.op, ast.Add):
        return False
    operands = [parent.left, parent.right] if isinstance(parent, ast.BinOp) else [parent.value]
    return any(
        isinstance(o, ast.List | ast.ListComp) or (isinstance(o, ast.Call) and last_name(o.func) in ("tolist", "list"))
        for o in operands
    )


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


# Reductions of numpy/torch (functions or methods) that search an array for its nearest or farthest entry.
SEARCHES = frozenset({"argmin", "argmax", "nanargmin", "nanargmax", "amin", "amax", "min", "max", "nanmin", "nanmax"})


def _searches_an_array(pf: PythonFile, element: ast.expr, parent: ast.AST | None) -> bool:
    """Return True for `np.argmin(np.abs(freqs - edges[i]))`, `np.min(np.abs(beat - estimated))` or
    `np.abs(grid - x[k]).argmin()`: the element offsets an operand the loop does not index, and a search of the
    result (argmin, min) finds the entry nearest to it, so that operand is a whole array and each step is one
    vectorised pass over it (the nearest bin to a band edge, the closest estimate to a reference beat)."""
    if not isinstance(parent, ast.BinOp):
        return False
    other = parent.right if parent.left is element else parent.left
    if not _plain_name(other):
        return False
    node: ast.AST = parent
    for anc in pf.ancestors(parent):
        if isinstance(anc, ast.Call) and node in anc.args:
            name = pf.call_name(anc) or ""
            if not name.startswith(ARRAY_LIBS):
                return False
            if name.rsplit(".", 1)[-1] in SEARCHES:
                return True
        elif isinstance(anc, ast.Attribute) and anc.value is node:
            if anc.attr in SEARCHES:
                return isinstance(pf.parent(anc), ast.Call)
        elif not isinstance(anc, ast.BinOp | ast.UnaryOp | ast.Call):
            return False
        node = anc
    return False


def _plain_name(node: ast.expr) -> bool:
    """Return True for `freqs` or `self.freqs`: a whole value, not an element picked by an index."""
    return isinstance(node, ast.Name) or (isinstance(node, ast.Attribute) and _plain_name(node.value))


def _root_name(expr: ast.expr) -> str:
    """Return the container name of `batch[i][0][j]` (batch) or `self.shapes[i]` (shapes)."""
    while isinstance(expr, ast.Subscript):
        expr = expr.value
    return last_name(expr)


def _small_container(name: str) -> bool:
    """Return True for containers of shapes, strides or batch items, and the names loops legitimately walk."""
    return skipped_name(name) or any(word in name.lower() for word in SMALL_CONTAINERS)


QUANTILES = frozenset({"quantile", "percentile", "nanquantile", "nanpercentile"})


def _data_args(call: ast.Call) -> list[ast.expr]:
    """Return the arguments that carry data: not the equation of `einsum(eq, ...)`, nor the `q` of
    `np.quantile(scores, q)` (one pass over the whole array per threshold)."""
    name = last_name(call.func)
    if name == "einsum":
        return call.args[1:]
    return call.args[:1] if name in QUANTILES else call.args
