"""Provides the loops fact behind the performance rules: each `for` loop of numeric code, described once.

A file counts when it is library, script or notebook code importing a numeric, tensor or
dataframe library. Each loop comes with what the loop rules judge it by: the iterable without
its `enumerate`/`tqdm`/`sorted` wrapper, the names it binds, its function, the statements
whose innermost loop it is, whether it walks data elements or indexes (and which names), and
whether it walks components (layers, configs, batch tuples) rather than data.
"""

from __future__ import annotations

import ast
import bisect
import operator
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property

from mlaudit.model import FileKind
from mlaudit.project import FunctionNode, Project, PythonFile

NUMERIC_LIBS = frozenset(
    {"numpy", "pandas", "torch", "tensorflow", "jax", "jaxlib", "polars", "scipy", "sklearn", "cupy", "keras"}
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
    "leaf",  # `for leaf in leaves`, `leaves_dw`: the leaves of a pytree, each a whole array as a parameter is
    "leaves",
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
    "field",  # `for field in fields: df[field] = np.log1p(df[field])`: a table's named columns, each a whole column
    "name",
    "step",
    "chunk",
    "shard",
    "round",
    "trial",
    "repeat",
    "retr",
    *("class", "output", "component", "cluster", "layer", "feature", "center", "centre", "target", "label", "tree"),
    "variable",  # `for var in self.variables_`: the columns a transformer works on, each a whole column
    *("head", "channel", "dim", "task", "categor", "bin", "level", "kernel", "degree", "alpha", "stage", "neighbo"),
    *("quantile", "lag", "horizon", "precision", "mean", "cov", "coef"),
    *("cpu", "gpu", "worker", "thread", "job", "device", "partition"),
    "hyp",
    "estimator",
    "block",
    "resolution",
    "scale",
    "branch",
    "depth",
    "anchor",
)


SKIP_EXACT = frozenset(
    {"dl", "dls", "iter", "iters", "n_iter", "iteration", "iterations", "run", "runs"}
    | {"unique"}  # `for c in np.unique(y)`: the distinct classes or groups, each a mask over the whole array
    | {"proc", "procs", "process", "processes"}  # `range(n_procs)`: one partition per worker process
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


BATCH_FIELDS = 3


CONSTRUCTORS = frozenset({"__init__", "__post_init__", "build", "setup", "_build", "_init_weights", "init_weights"})


NON_COMPONENT_CLASSES = frozenset({"Tensor", "FloatTensor", "LongTensor", "DataFrame", "Series", "Path"})


WRAPPERS = frozenset({"enumerate", "tqdm", "trange", "sorted", "reversed", "list", "tuple", "iter"})


DICT_VIEWS = frozenset({"items", "keys", "values"})


# Decorators that compile a function's Python loops to machine code: such loops are the fast way.
COMPILERS = frozenset(
    {
        *("numba.jit", "numba.njit", "numba.vectorize", "numba.guvectorize", "numba.stencil", "numba.cfunc"),
        *("numba.generated_jit", "numba.cuda.jit", "taichi.kernel", "taichi.func", "triton.jit"),
        *("cython.cfunc", "cython.ccall", "pythran.export"),
        *("numba.experimental.jitclass", "numba.jitclass"),  # compiles every method of the class it decorates
    }
)


@dataclass(frozen=True)
class Iteration:
    """What a loop walks that is worth checking: element names, or index names over `range(len(x))`."""

    names: frozenset[str]
    indexed: bool


@dataclass(frozen=True)
class Loop:
    """One `for` loop and what the loop rules judge it by."""

    index: int  # position among the file's `for` loops
    node: ast.For
    iterable: ast.expr  # the iterable without `enumerate(...)`, `tqdm(...)`, `sorted(...)` wrappers
    targets: frozenset[str]  # every name the loop target binds, `_` included
    function: FunctionNode | None
    inner: tuple[ast.AST, ...]  # assignments, calls and breaks whose innermost loop is this one
    iteration: Iteration | None  # None for batches, epochs, files, configs, dict views, stepped ranges
    walks_components: bool  # construction code, layer loops, literal tuples, batch tuples, long bodies

    @property
    def has_break(self) -> bool:
        """Return True when the loop body (not a nested loop's) breaks out."""
        return any(isinstance(node, ast.Break) for node in self.inner)


@dataclass(frozen=True)
class FileLoops:
    """The `for` loops of one numeric code file, in source order, and the uses of each name."""

    index: int  # position among the numeric code files, for a stable project-wide order
    pf: PythonFile
    loops: tuple[Loop, ...]

    @cached_property
    def names(self) -> dict[str, list[ast.Name]]:
        """Return the uses of each name in the file, in source order (built when a rule first asks)."""
        names: dict[str, list[ast.Name]] = defaultdict(list)
        for name in self.pf.nodes(ast.Name):
            names[name.id].append(name)
        return names

    def uses(self, loop: Loop, names: frozenset[str]) -> Iterator[ast.Name]:
        """Yield the uses of `names` inside the loop (after its header line)."""
        end = loop.node.end_lineno or loop.node.lineno
        for name in names:
            for node in self.names.get(name, []):
                if loop.node.lineno < node.lineno <= end:
                    yield node


def code_files(project: Project) -> list[PythonFile]:
    """Return the library, script and notebook files (the code whose speed matters)."""
    return project.python_of(FileKind.LIBRARY, FileKind.SCRIPT, FileKind.NOTEBOOK)


def is_numeric(pf: PythonFile) -> bool:
    """Return True when the file imports a numeric, tensor or dataframe library."""
    return any(mod.split(".", 1)[0] in NUMERIC_LIBS for mod in pf.imported_modules)


def file_loops(project: Project) -> list[FileLoops]:
    """Return the loops of every numeric code file, computed once per project."""
    found: list[FileLoops] = project.fact("loops", _all_file_loops)
    return found


def _all_file_loops(project: Project) -> list[FileLoops]:
    numeric = [pf for pf in code_files(project) if is_numeric(pf)]
    return [loops_of(index, pf) for index, pf in enumerate(numeric)]


def loops_of(index: int, pf: PythonFile) -> FileLoops:
    """Return the loops of one numeric code file (`index`: its position among them)."""
    fors = pf.nodes(ast.For)
    if _imports_compiler(pf):  # else no loop is compiled: the check would walk every loop's ancestors for nothing
        jitted = _compiled_by_call(pf)
        jitted |= _compiled_classes(pf, jitted)
        fors = [loop for loop in fors if not _compiled(pf, loop, jitted)]
    if not fors:
        return FileLoops(index, pf, ())
    spelled = _spelled_out_constants(pf.tree)
    inner = _inner(pf, fors)
    calls_in = calls_in_loops(pf)
    return FileLoops(
        index,
        pf,
        tuple(_loop(pf, i, loop, tuple(inner.get(loop, ())), spelled, calls_in) for i, loop in enumerate(fors)),
    )


def calls_in_loops(pf: PythonFile) -> Callable[[ast.For], list[ast.Call]]:
    """Return a function giving every call in a loop of the file (as `ast.walk` finds them): the calls on the
    loop's lines, as no other statement shares a loop's lines, bisected from the file's calls sorted by line."""
    calls: list[ast.Call] = []
    lines: list[int] = []

    def calls_in(loop: ast.For) -> list[ast.Call]:
        if not lines:  # sorted on first use: most loops are judged without their calls
            calls.extend(sorted(pf.nodes(ast.Call), key=_LINE))
            lines.extend(call.lineno for call in calls)
        return calls[
            bisect.bisect_left(lines, loop.lineno) : bisect.bisect_right(lines, loop.end_lineno or loop.lineno)
        ]

    return calls_in


_INNER_RANK = (ast.Assign, ast.Call, ast.Break)  # the order of a tie in position: `f().x = 1`
_POSITION = operator.attrgetter("lineno", "col_offset")
_LINE = operator.attrgetter("lineno")


def _inner(pf: PythonFile, fors: list[ast.For]) -> dict[ast.AST, list[ast.AST]]:
    """Return the assignments, calls and breaks whose innermost loop (or function) is each loop, in source order
    (`pf.nodes(ast.Assign, ast.Call, ast.Break)`'s). Only nodes on the loops' lines can be in one."""
    lines: set[int] = set()
    for loop in fors:
        lines.update(range(loop.lineno, (loop.end_lineno or loop.lineno) + 1))
    inner: dict[ast.AST, list[ast.AST]] = defaultdict(list)
    owners: dict[ast.AST, ast.AST | None] = {}
    for kind in _INNER_RANK:
        for node in pf.nodes(kind):
            if node.lineno in lines:  # type: ignore[attr-defined]
                owner = _innermost_loop(pf, node, owners)
                if isinstance(owner, ast.For | ast.AsyncFor):
                    inner[owner].append(node)
    for found in inner.values():  # each kind in source order: sorted (stably) by position, as the merged index
        found.sort(key=_POSITION)
    return inner


def _innermost_loop(pf: PythonFile, node: ast.AST, owners: dict[ast.AST, ast.AST | None]) -> ast.AST | None:
    """Return the innermost loop or function around `node`; `owners` remembers it for every ancestor passed."""
    passed: list[ast.AST] = []
    current = pf.parent(node)
    while current is not None and not isinstance(current, _OWNERS):
        if current in owners:
            found = owners[current]
            break
        passed.append(current)
        current = pf.parent(current)
    else:
        found = current
    for anc in passed:  # the same innermost owner: none of them is a loop or function
        owners[anc] = found
    return found


def _spelled_out_constants(tree: ast.Module) -> frozenset[str]:
    """Return module names bound to a literal of constants: `METRICS = ("SDR", "SAR")` names a few things."""
    found: set[str] = set()
    for stmt in tree.body:
        target = stmt.targets[0] if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 else None
        target = stmt.target if isinstance(stmt, ast.AnnAssign) else target
        value = stmt.value if isinstance(stmt, ast.Assign | ast.AnnAssign) else None
        if isinstance(target, ast.Name) and _literal_display(value) and _all_constants(value):
            found.add(target.id)
    return frozenset(found)


def _all_constants(display: ast.expr | None) -> bool:
    return isinstance(display, ast.Tuple | ast.List | ast.Set) and all(
        isinstance(elt, ast.Constant) for elt in display.elts
    )


def _loop(
    pf: PythonFile,
    index: int,
    loop: ast.For,
    inner: tuple[ast.AST, ...],
    spelled: frozenset[str],
    calls_in: Callable[[ast.For], list[ast.Call]],
) -> Loop:
    """Return a loop's description (`inner`: its own assignments, calls and breaks; `calls_in`: `calls_in_loops`)."""
    function = pf.enclosing_function(loop)
    return Loop(
        index=index,
        node=loop,
        iterable=unwrap(loop.iter),
        targets=frozenset(target_names(loop.target)),
        function=function,
        inner=inner,
        iteration=_iteration(loop),
        walks_components=_walks_components(loop, function, spelled, calls_in),
    )


def _compiled(pf: PythonFile, loop: ast.For, jitted: frozenset[str]) -> bool:
    """Return True when the loop sits in a function a JIT compiler turns into machine code (`@numba.njit`, or
    a decorator of the file that hands the function it decorates to one: `@_lazy_jit`), or in a method of a class
    numba's `jitclass` compiles (`_compiled_classes`)."""
    for anc in pf.ancestors(loop):
        if isinstance(anc, ast.ClassDef) and anc.name in jitted:
            return True
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef) and compiled_function(pf, anc, jitted):
            return True
    return False


def jitted_names(pf: PythonFile) -> frozenset[str]:
    """Return the names of the file's functions a JIT compiles by a call, and of its decorators that hand what
    they decorate to one (`def lazy_jit(func): ... numba.njit(func)`, a registry the file compiles entry by entry)."""
    return _compiled_by_call(pf) if _imports_compiler(pf) else frozenset()


def compiled_function(pf: PythonFile, func: FunctionNode, jitted: frozenset[str]) -> bool:
    """Return True when a JIT compiles the function: `@numba.njit`, a decorator among `jitted` (`jitted_names`),
    or a call on it (`fast = numba.njit(slow)`)."""
    if func.name in jitted:
        return True
    for decorator in func.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if is_compiler(pf.qualname(target)) or (isinstance(target, ast.Name) and target.id in jitted):
            return True
    return False


_COMPILER_MODULES = frozenset(name.split(".", 1)[0] for name in COMPILERS)


def is_compiler(qualname: str | None) -> bool:
    """Return True for a JIT compiler's decorator: `numba.njit`, or the same re-exported by a module of the
    project named for it (`from pkg.utils.numba.njit import njit`, which imports numba's when it is installed)."""
    if not qualname:
        return False
    if qualname in COMPILERS:
        return True
    parts = qualname.split(".")
    return any(f"{part}.{parts[-1]}" in COMPILERS for part in parts[:-1] if part in _COMPILER_MODULES)


def _imports_compiler(pf: PythonFile) -> bool:
    """Return True when the file imports a JIT compiler's module, or a decorator a module named for one re-exports:
    a name resolves to a compiler only then."""
    return any(name.split(".", 1)[0] in _COMPILER_MODULES or is_compiler(name) for name in pf.imports.values())


def _compiled_by_call(pf: PythonFile) -> frozenset[str]:
    """Return the names of functions the file compiles by calling a JIT (`fast = numba.njit(slow)`), and of the
    file's decorators that compile the function they receive (`def lazy_jit(func): ... numba.njit(func)`: a
    deferred compile, so importing the package does not import numba)."""
    names: set[str] = set()
    for call in pf.nodes(ast.Call):
        compiler = call.func.func if isinstance(call.func, ast.Call) else call.func  # numba.njit(**kw)(slow)
        if call.args and isinstance(call.args[0], ast.Name) and is_compiler(pf.qualname(compiler)):
            names.add(call.args[0].id)
            decorator = _receiving_function(pf, call, call.args[0].id)
            if decorator is not None:
                names.add(decorator)
            registry = _drawn_from(pf, call, call.args[0].id)
            if registry is not None:
                names |= _registering_functions(pf, registry)
    return frozenset(names)


def _drawn_from(pf: PythonFile, node: ast.AST, name: str) -> str | None:
    """Return the module name `name` is drawn from by a loop or comprehension around `node`
    (`njit(f) for name, f, options in _KERNELS`, `for f in KERNELS.values():`), if any."""
    for anc in pf.ancestors(node):
        for loop in _loops_of(anc):
            if name in target_names(loop.target):
                source = loop.iter
                if isinstance(source, ast.Call) and isinstance(source.func, ast.Attribute):
                    source = source.func.value if source.func.attr in DICT_VIEWS else source
                return source.id if isinstance(source, ast.Name) else None
    return None


_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _loops_of(node: ast.AST) -> list[ast.comprehension | ast.For]:
    """Return the loops a node runs: itself for a `for` statement, the generators of a comprehension."""
    if isinstance(node, ast.For):
        return [node]
    return list(node.generators) if isinstance(node, _COMPREHENSIONS) else []


def _registering_functions(pf: PythonFile, registry: str) -> set[str]:
    """Return the functions that add their parameter to `registry` (`_KERNELS.append((f.__name__, f, opts))`,
    `KERNELS[f.__name__] = f`), with the functions around them: a decorator (or decorator factory) that registers
    what it decorates for the compile that walks the registry."""
    found: set[str] = set()
    for node in pf.nodes(ast.Call, ast.Assign):
        added = _added_to(node, registry)
        func = pf.enclosing_function(node)
        if added is None or func is None:
            continue
        params = {a.arg for a in (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs)}
        if params & {n.id for n in ast.walk(added) if isinstance(n, ast.Name)}:
            while func is not None:
                found.add(func.name)
                func = pf.enclosing_function(func)
    return found


def _added_to(node: ast.AST, registry: str) -> ast.expr | None:
    """Return what `registry.append(x)`, `registry.add(x)` or `registry[key] = x` adds, else None."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
        holder, method = node.func.value, node.func.attr
        if isinstance(holder, ast.Name) and holder.id == registry and method in ("append", "add"):
            return node.args[0]
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Subscript):
        holder = node.targets[0].value
        if isinstance(holder, ast.Name) and holder.id == registry:
            return node.value
    return None


def _compiled_classes(pf: PythonFile, jitted: frozenset[str]) -> frozenset[str]:
    """Return the file's classes whose methods numba's `jitclass` compiles: each one it decorates or is called on
    (`@jitclass(spec)`, `jitclass(spec)(Solver)`), and each base class of the file every subclass of which is
    compiled (jitclass compiles the methods a class inherits, so a base only jitclasses extend runs as machine code).
    """
    classes = pf.nodes(ast.ClassDef)
    compiled = {
        cls.name
        for cls in classes
        if cls.name in jitted or any(_compiles(pf, d) for d in cls.decorator_list) or _declares_jit_spec(pf, cls)
    }
    subclasses: dict[str, set[str]] = defaultdict(set)
    for cls in classes:
        for base in cls.bases:
            if isinstance(base, ast.Name):
                subclasses[base.id].add(cls.name)
    grown = True
    while grown:  # a base of compiled bases is compiled too
        bases = {name for name, subs in subclasses.items() if name not in compiled and subs <= compiled}
        compiled |= bases
        grown = bool(bases)
    return frozenset(compiled)


def _declares_jit_spec(pf: PythonFile, cls: ast.ClassDef) -> bool:
    """Return True for a class that declares its own jitclass spec, pairs of a field name and a numba type
    (`("Xty", float64[:])`, `("alpha", numba.float64)`): it is compiled by handing that spec to `jitclass` at run
    time, so its methods run as machine code. A numpy dtype (`("alpha", np.float64)`) declares no such class."""
    return any(
        len(node.elts) == 2
        and isinstance(node.elts[0], ast.Constant)
        and isinstance(node.elts[0].value, str)
        and _numba_type(pf, node.elts[1])
        for node in ast.walk(cls)
        if isinstance(node, ast.Tuple)
    )


def _numba_type(pf: PythonFile, expr: ast.expr) -> bool:
    """Return True for a numba type: `float64`, `numba.types.bool_`, an array of one (`float64[:, ::1]`)."""
    while isinstance(expr, ast.Subscript | ast.Call):
        expr = expr.value if isinstance(expr, ast.Subscript) else expr.func
    return (pf.qualname(expr) or "").startswith("numba.")


def _compiles(pf: PythonFile, decorator: ast.expr) -> bool:
    """Return True for a decorator that hands what it decorates to a JIT compiler (`@jitclass(spec)`)."""
    return is_compiler(pf.qualname(decorator.func if isinstance(decorator, ast.Call) else decorator))


def _receiving_function(pf: PythonFile, node: ast.AST, parameter: str) -> str | None:
    """Return the name of the function around `node` that takes `parameter` (`def lazy_jit(func)`), if any."""
    func = pf.enclosing_function(node)
    while func is not None:
        args = func.args
        if any(a.arg == parameter for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)):
            return func.name
        func = pf.enclosing_function(func)
    return None


_OWNERS = (ast.For, ast.AsyncFor, ast.While, ast.FunctionDef, ast.AsyncFunctionDef)


def target_names(target: ast.AST) -> set[str]:
    """Return the names bound by a loop target: `i`, `(i, (a, b))` -> {i, a, b}."""
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, ast.Tuple | ast.List):
        return {n for elt in target.elts for n in target_names(elt)}
    return set()


def unwrap(expr: ast.expr) -> ast.expr:
    """Strip `enumerate(...)`, `tqdm(...)`, `sorted(...)` and similar wrappers from an iterable."""
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in WRAPPERS and expr.args:
        expr = expr.args[0]
    return expr


def last_name(expr: ast.AST) -> str:
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


def method(call: ast.AST) -> str:
    """Return the method name of `x.m(...)`, or nothing for other nodes."""
    return call.func.attr if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) else ""


def skipped_name(name: str) -> bool:
    """Return True for names of things loops legitimately walk: epochs, batches, files, params, configs..."""
    if name.lower() in SKIP_EXACT:
        return True
    tokens = [t for t in re.split(r"_+|(?<=[a-z])(?=[A-Z])", name) if t]
    return any(t.lower() in SKIP_EXACT or t.lower().startswith(SKIP_PREFIXES) for t in tokens)


# Loop variables named for a channel or attention head (`ch`, `channel`, `head_idx`): the loop walks a small
# leading axis, one whole signal or head per step (`for ch in range(audio.shape[0])`, `for channel in waveform`).
SMALL_AXIS_TOKENS = frozenset({"ch", "chan", "chn", "chs", "channel", "channels", "head", "heads"})


def _names_small_axis(target: ast.AST) -> bool:
    """Return True when a loop variable names a channel or an attention head (`ch`, `i_ch`, `channel`, `head_idx`)."""
    return any(token in SMALL_AXIS_TOKENS for token in _target_tokens(target))


def _target_tokens(target: ast.AST) -> Iterator[str]:
    """Yield the lowercased words of a loop variable's names (`head_idx` -> head, idx; `microBatch` -> micro, batch)."""
    return (t.lower() for name in target_names(target) for t in re.split(r"_+|(?<=[a-z])(?=[A-Z])", name) if t)


# Loop variables named for a batch of items (`chunk`, `batch`, `shard`, `micro_batch`, `minibatch`): each step holds
# many items at once (`for chunk in iter(partial(f.read, 1 << 20), "")`), so a call on it is already batched.
BATCH_TOKENS = ("batch", "chunk", "shard")


def _names_batch(target: ast.AST) -> bool:
    """Return True when a loop variable names a batch, chunk or shard (`chunk`, `batch_idx`, `minibatch`)."""
    return any(token.startswith(BATCH_TOKENS) or token.endswith("batch") for token in _target_tokens(target))


def _iteration(loop: ast.For) -> Iteration | None:
    """Return the element (or index) names of a loop worth checking, and whether they are indexes."""
    iterable = unwrap(loop.iter)
    indexed = _index_loop(iterable)
    if indexed is False or _names_small_axis(loop.target) or _names_batch(loop.target):
        return None
    if indexed:
        return Iteration(frozenset(n for n in target_names(loop.target) if n != "_"), True)
    if any(skipped_name(last_name(part)) for part in _zipped(iterable)) or method(iterable) in DICT_VIEWS:
        return None
    names = target_names(loop.target)
    if _is_enumerate(loop.iter) and isinstance(loop.target, ast.Tuple):
        names -= target_names(loop.target.elts[0])
    return Iteration(frozenset(n for n in names if n != "_"), False)


def _index_loop(iterable: ast.expr) -> bool | None:
    """Return True for `range(len(x))`/`range(n)`, False for batched or epoch ranges, None otherwise."""
    if not (isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id == "range"):
        return None
    if len(iterable.args) >= 3 or not iterable.args:
        return False
    bound = iterable.args[-1]
    if _column_count(bound) or _structural_count(bound):
        return False
    return not (isinstance(bound, ast.Constant) or any(skipped_name(n) for n in _bound_names(bound)))


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


def _zipped(expr: ast.expr) -> list[ast.expr]:
    """Return the iterables of `zip(a, b)`, or the expression itself."""
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "zip":
        return [unwrap(arg) for arg in expr.args]
    return [expr]


def _is_enumerate(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "enumerate"


def _walks_components(
    loop: ast.For, function: FunctionNode | None, spelled: frozenset[str], calls_in: Callable[[ast.For], list[ast.Call]]
) -> bool:
    """Return True for loops that walk components, not data: construction code, layer loops, literals
    (written in the loop or as a module constant: `for metric in METRICS`), grids of constants (`calls_in`: the
    calls in a loop)."""
    iterable = unwrap(loop.iter)
    if _literal_display(iterable) or _constant_grid(iterable) or _batch_unpacking(loop.target):
        return True
    if isinstance(iterable, ast.Name) and iterable.id in spelled:
        return True
    if (loop.end_lineno or loop.lineno) - loop.lineno > LONG_LOOP_LINES:
        return True
    if function is not None and function.name in CONSTRUCTORS:
        return True
    names = {n for n in target_names(loop.target) if n != "_"}
    return any(_builds_or_runs_component(c, names) for c in calls_in(loop))


def _literal_display(expr: ast.expr | None) -> bool:
    """Return True for `for x in (a, b, *rest)`: a handful of named things, not a data-sized array."""
    return isinstance(expr, ast.Tuple | ast.List | ast.Set)


GRIDS = frozenset({"arange", "linspace", "logspace", "geomspace"})


def _constant_grid(expr: ast.expr) -> bool:
    """Return True for `np.arange(0.0, 1.1, 0.1)` or `torch.linspace(0, 1, 11)`: a grid written with constants
    is a fixed handful of settings (thresholds, weights), not data."""
    if not (isinstance(expr, ast.Call) and last_name(expr.func) in GRIDS and expr.args):
        return False
    values = [*expr.args, *(k.value for k in expr.keywords if k.arg not in ("dtype", "device"))]
    return all(_constant_number(v) for v in values)


def _constant_number(expr: ast.expr) -> bool:
    if isinstance(expr, ast.UnaryOp):
        expr = expr.operand
    return isinstance(expr, ast.Constant) and not isinstance(expr.value, str | bytes)


def _batch_unpacking(target: ast.expr) -> bool:
    """Return True for `for i, (imgs, targets, paths) in loader`: each element is a batch tuple."""
    tuples = [target] + (list(target.elts) if isinstance(target, ast.Tuple) else [])
    return any(isinstance(t, ast.Tuple) and len(t.elts) >= BATCH_FIELDS for t in tuples)


def _builds_or_runs_component(call: ast.Call, names: set[str]) -> bool:
    """Return True for calls that build modules (`nn.Conv2d(...)`) or run one per iteration (`blk(x)`, `m[i](x)`,
    or picked from a table at any depth: `grad_fns[k][j](*args)`, one function per step)."""
    func = call.func
    if isinstance(func, ast.Name) and func.id in names:
        return True
    if isinstance(func, ast.Subscript):
        slices: list[ast.expr] = []
        while isinstance(func, ast.Subscript):
            slices.append(func.slice)
            func = func.value
        return any(isinstance(n, ast.Name) and n.id in names for part in slices for n in ast.walk(part))
    last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return last[:1].isupper() and any(c.islower() for c in last) and last not in NON_COMPONENT_CLASSES
