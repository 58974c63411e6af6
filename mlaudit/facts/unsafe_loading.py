"""Provides one step of data flow for unsafe loading: `**kwargs` built from literal dicts,
`weights_only` parameters, and loader wrappers (the project's own, one level deep, and known
library helpers that unpickle by default).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from mlaudit.model import FileKind
from mlaudit.project import FunctionNode, Project, PythonFile, module_name, parameter_defaults

# Library helpers that call torch.load with weights_only=False unless told otherwise. Kept
# empty on purpose: a name belongs here only when its library documents that default, and
# the project's own wrappers are followed one level by `wrapper_of` instead.
UNSAFE_BY_DEFAULT_LOADERS: dict[str, str] = {}
_DOWNLOAD_WORDS = ("download", "urlopen", "hf_hub", "fetch")


def _literal_flag(value: ast.expr) -> ast.expr | None:
    """Return the `weights_only` value of a dict literal / dict(...) call, or None."""
    if isinstance(value, ast.Dict):
        for key, item in zip(value.keys, value.values, strict=True):
            if isinstance(key, ast.Constant) and key.value == "weights_only":
                return item
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict":
        return next((kw.value for kw in value.keywords if kw.arg == "weights_only"), None)
    if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or):
        flags = [_literal_flag(v) for v in value.values]
        given = [f for f in flags if f is not None]
        return given[-1] if given else None
    if isinstance(value, ast.IfExp):
        flags = [_literal_flag(value.body), _literal_flag(value.orelse)]
        given = [f for f in flags if f is not None]
        if given and all(isinstance(f, ast.Constant) and f.value is True for f in given):
            return given[0]  # True where the installed torch supports it, absent otherwise
    return None


def kwargs_weights_only(pf: PythonFile, call: ast.Call) -> ast.expr | None:
    """Return the `weights_only` value a call receives through `**name` built from a literal dict."""
    assigned = kwargs_assignment(pf, call)
    return _literal_flag(assigned) if assigned is not None else None


def kwargs_assignment(pf: PythonFile, call: ast.Call) -> ast.expr | None:
    """Return the value last assigned to the `name` a call receives as `**name`, if the code assigns it.

    The name is looked up in the calling function, then in the functions enclosing it
    (closures), then at module level; the last assignment before the call wins.
    """
    for kw in call.keywords:
        if kw.arg is not None or not isinstance(kw.value, ast.Name):
            continue
        for scope in _scopes(pf, call):
            assigned = [
                node
                for node in pf.nodes(ast.Assign)
                if node.lineno <= call.lineno
                and pf.enclosing_function(node) is scope
                and any(isinstance(t, ast.Name) and t.id == kw.value.id for t in node.targets)
            ]
            if assigned:
                return assigned[-1].value
    return None


def _scopes(pf: PythonFile, node: ast.AST) -> list[ast.AST | None]:
    found: list[ast.AST | None] = [
        a for a in pf.ancestors(node) if isinstance(a, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    return [*found, None]


# a parameter by which the caller vouches for the file: `trusted`, `trust_remote_code`, `allow_pickle`, `unsafe`
TRUST_PARAM = re.compile(r"(?:is_)?trust(?:ed)?(?:_\w+)?|(?:allow_)?unsafe(?:_\w+)?|allow_?pickle")
# a check named for permission to load (`self.allow()`, `is_trusted(path)`, `self.allow_pickle`)
PERMISSION_CHECK = re.compile(
    r"(?:is_)?(?:allow(?:ed)?|trust(?:ed)?(?:_\w+)?)|(?:allow_)?unsafe(?:_\w+)?|allow_?pickle"
)


def is_opt_out_branch(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for the explicit opt-out branch of a helper that loads safely by default.

    That is `if not weights_only:` in a helper taking `weights_only`; or a load reached only when
    the caller vouches for the file: under `if trusted:` (or `... if trusted else None`), or after
    `if not trusted: raise ...`, where `trusted` is a parameter defaulting to off (`trusted`,
    `trust_remote_code`, `allow_pickle`, ...), a local variable named so (`trusted = os.environ.get(...)`)
    or a permission check (`self.allow()`, `self.trusted`).
    The caller that opts in is the place to judge.
    """
    func = pf.enclosing_function(call)
    if func is None:
        return False
    params = {a.arg for a in (*func.args.args, *func.args.kwonlyargs)}
    trust = {p for p in params if TRUST_PARAM.fullmatch(p) and _defaults_off(func, p)} | _trust_locals(func)
    child: ast.AST = call
    for anc in pf.ancestors(call):
        if (
            isinstance(anc, ast.If | ast.IfExp)
            and child is not anc.test
            and (child in anc.body if isinstance(anc, ast.If) else child is anc.body)
            and (("weights_only" in params and _tests_not_weights_only(anc.test)) or _requires(anc.test, trust))
        ):
            return True
        if _refused_before(anc, child, trust):
            return True
        if anc is func:
            return False
        child = anc
    return False


def _trust_locals(func: FunctionNode) -> set[str]:
    """Return the local variables named for trust the function sets (`trusted = os.environ.get("TRUST_REMOTE_CODE")`)."""
    return {
        target.id
        for node in ast.walk(func)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and TRUST_PARAM.fullmatch(target.id)
    }


def _requires(test: ast.expr, trust: set[str]) -> bool:
    """Return True when `test` holds only if the caller vouches for the file (`trusted`,
    `trusted and path.exists()`, `self.allow()`)."""
    if isinstance(test, ast.Name):
        return test.id in trust
    if isinstance(test, ast.Call):
        func = test.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        return PERMISSION_CHECK.fullmatch(name) is not None
    if isinstance(test, ast.Attribute):
        return (
            isinstance(test.value, ast.Name)
            and test.value.id == "self"
            and PERMISSION_CHECK.fullmatch(test.attr) is not None
        )
    return (
        isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) and any(_requires(v, trust) for v in test.values)
    )


def _refused_before(block: ast.AST, child: ast.AST, trust: set[str]) -> bool:
    """Return True when a statement before `child` in `block` leaves unless the caller vouches for
    the file (`if not trusted: raise ValueError(...)`)."""
    body = getattr(block, "body", None)
    if not isinstance(body, list) or child not in body:
        return False
    for stmt in body[: body.index(child)]:
        if (
            isinstance(stmt, ast.If)
            and isinstance(stmt.test, ast.UnaryOp)
            and isinstance(stmt.test.op, ast.Not)
            and _requires(stmt.test.operand, trust)
            and not stmt.orelse
            and isinstance(stmt.body[-1], ast.Raise | ast.Return)
        ):
            return True
    return False


def _defaults_off(func: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """Return True when parameter `name` defaults to False or None (a flag the caller must turn on)."""
    default = parameter_defaults(func.args).get(name)
    return isinstance(default, ast.Constant) and default.value in (False, None)


def _tests_not_weights_only(test: ast.expr) -> bool:
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return isinstance(test.operand, ast.Name) and test.operand.id == "weights_only"
    if isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "weights_only":
        return any(isinstance(c, ast.Constant) and c.value is False for c in test.comparators)
    return False


@dataclass(frozen=True)
class Wrapper:
    """A function that loads with pickle: where it is defined and how it calls torch.load."""

    qualname: str
    where: str
    explicit_false: bool


def file_wrappers(pf: PythonFile, unsafe: Iterator[tuple[ast.Call, bool]]) -> tuple[Wrapper, ...]:
    """Return the module-level functions of a module whose torch.load (given their parameter) is unsafe,
    once per name they are called by (`module.func` and `path::func`)."""
    found: list[Wrapper] = []
    for call, explicit_false in unsafe:
        func = pf.enclosing_function(call)
        if func is None or pf.parent(func) is not pf.tree or not call.args:
            continue
        params = {a.arg for a in (*func.args.posonlyargs, *func.args.args)} | (
            {func.args.vararg.arg} if func.args.vararg else set()
        )
        loaded = call.args[0]
        if isinstance(loaded, ast.Starred):
            loaded = loaded.value
        if not (isinstance(loaded, ast.Name) and loaded.id in params):
            continue
        where = pf.location(call.lineno)  # path[cell N]:line in a notebook
        for name in (f"{module_name(pf.path)}.{func.name}", f"{pf.path}::{func.name}"):
            found.append(Wrapper(name, where, explicit_false))
    return tuple(found)


def wrapper_target(pf: PythonFile, call: ast.Call, wrappers: dict[str, Wrapper]) -> Wrapper | None:
    """Return the wrapper a call invokes: a project wrapper or a known unsafe library helper."""
    qualified = pf.call_name(call)
    if qualified is not None and qualified in UNSAFE_BY_DEFAULT_LOADERS:
        return Wrapper(qualified, UNSAFE_BY_DEFAULT_LOADERS[qualified], True)
    if qualified is not None and qualified in wrappers:
        return wrappers[qualified]
    if isinstance(call.func, ast.Name):
        return wrappers.get(f"{pf.path}::{call.func.id}")
    return None


def loads_download(pf: PythonFile, call: ast.Call) -> bool:
    """Return True when the loaded argument is fetched from the network (a download call or URL)."""
    if not call.args:
        return False
    for node in ast.walk(call.args[0]):
        if isinstance(node, ast.Call):
            name = (pf.call_name(node) or ast.unparse(node.func)).lower()
            if any(word in name for word in _DOWNLOAD_WORDS):
                return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("http"):
            return True
    return False


def code_files(project: Project) -> list[PythonFile]:
    """Return the modules, scripts and notebooks (not tests) that unsafe-loading rules read."""
    return project.python_of(FileKind.LIBRARY, FileKind.SCRIPT, FileKind.NOTEBOOK)


_PATH_WRAPPERS = frozenset({"str", "os.fspath", "pathlib.Path", "os.path.abspath", "os.path.realpath"})
_RESOURCE_CALLS = ("importlib.resources.files", "importlib_resources.files", "pkg_resources.resource_filename")


def loads_bundled_file(pf: PythonFile, call: ast.Call) -> bool:
    """Return True when a load reads a file shipped inside the package: its path is built from
    `__file__` (or `importlib.resources.files(...)`) in the expression, or in a module constant or a
    local variable it names or joins (`os.path.join(HERE, "x.jbl")`, through a chain of locals:
    `here = os.path.dirname(__file__)`, `path = os.path.join(here, "x.pkl")`; never a parameter, which a
    caller can point anywhere), also when the load reads a handle opened on that path
    (`with open(path, "rb") as f: pickle.load(f)`)."""
    target = call.args[0] if call.args else None
    if target is None:
        return False
    func = pf.enclosing_function(call)
    if isinstance(target, ast.Name):
        opened = opened_paths(func if func is not None else pf.tree).get(target.id)
        target = opened if opened is not None else target
    return _bundled_path(pf, call, target, BUNDLED_DEPTH)


BUNDLED_DEPTH = 4  # locals followed from the load back to `__file__`


def _bundled_path(pf: PythonFile, call: ast.Call, target: ast.expr, depth: int) -> bool:
    """Return True when a path expression at `call` names a file under the package's own folder."""
    while isinstance(target, ast.Call) and target.args and _path_wrapper(pf, target):
        target = target.args[0]
    if _from_package_dir(pf, target):
        return True
    if depth == 0:
        return False
    names = [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]
    if isinstance(target, ast.Name):
        return _names_bundled_path(pf, call, target.id, depth)
    return any(_names_bundled_path(pf, call, name, depth) for name in names)


def _names_bundled_path(pf: PythonFile, call: ast.Call, name: str, depth: int) -> bool:
    """Return True when every value bound to `name` before the load (in its function or at module level) is a
    bundled path; a parameter of the loading function is never one."""
    func = pf.enclosing_function(call)
    if func is not None and name in {a.arg for a in (*func.args.args, *func.args.kwonlyargs)}:
        return False
    values = [
        node.value
        for node in pf.nodes(ast.Assign)
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
        and pf.enclosing_function(node) in (func, None)
        and (pf.enclosing_function(node) is None or node.lineno < call.lineno)
    ]
    return bool(values) and all(_bundled_path(pf, call, v, depth - 1) for v in values)


_OPENERS = frozenset({"open", "io.open", "gzip.open", "bz2.open", "lzma.open", "fsspec.open"})


def opened_paths(scope: ast.AST) -> dict[str, ast.expr]:
    """Map each name bound by `with open(path, ...) as name` (or `gzip.open`, `io.open`) in a scope to the
    path opened."""
    found: dict[str, ast.expr] = {}
    for node in ast.walk(scope):
        if isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                opener, target = item.context_expr, item.optional_vars
                if (
                    isinstance(opener, ast.Call)
                    and opener.args
                    and isinstance(target, ast.Name)
                    and ast.unparse(opener.func) in _OPENERS
                ):
                    found[target.id] = opener.args[0]
    return found


def _path_wrapper(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for `str(path)`, `os.fspath(path)`, `Path(path)`: the same path in another form."""
    name = pf.call_name(call) or (call.func.id if isinstance(call.func, ast.Name) else "")
    return name in _PATH_WRAPPERS


def _from_package_dir(pf: PythonFile, expr: ast.expr) -> bool:
    """Return True when an expression builds a path from `__file__` or the package's resources."""
    for node in ast.walk(expr):
        if isinstance(node, ast.Name) and node.id == "__file__":
            return True
        if isinstance(node, ast.Call) and (pf.call_name(node) or "").startswith(_RESOURCE_CALLS):
            return True
    return False
