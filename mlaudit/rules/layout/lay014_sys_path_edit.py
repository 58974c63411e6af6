"""Provides rule LAY014: Project code imported through a sys.path edit."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from mlaudit.facts.kind import is_example, is_library
from mlaudit.model import FileKind, Severity
from mlaudit.project import Project, PythonFile
from mlaudit.registry import FileRule, Hit, Output, register

PATH_EDITS = frozenset({"sys.path.append", "sys.path.insert", "sys.path.extend"})
# Sphinx's conf.py, setup.py and pytest's conftest.py are where a path edit is the tool's own convention
_CONVENTIONAL_NAMES = frozenset({"conf.py", "setup.py", "conftest.py"})
CWD_CALLS = frozenset({"os.getcwd", "os.getcwdb", "pathlib.Path.cwd"})
ENV_READS = frozenset({"os.getenv", "os.environ.get", "os.getenvb", "os.environb.get"})
_CWD_ONLY = ", from the working directory"  # ends the message of a file whose edits all add the working directory
_MAX_DEPTH = 4  # ROOT = FILE.parents[1]; FILE = Path(__file__).resolve(): a short chain of names


def _assignments(scopes: list[ast.AST]) -> dict[str, list[ast.expr]]:
    """Return the values bound to each plain name by the statements of the given scopes (not nested functions)."""
    bound: dict[str, list[ast.expr]] = {}
    for scope in scopes:
        for stmt in _statements(scope):
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        bound.setdefault(target.id, []).append(stmt.value)
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
                bound.setdefault(stmt.target.id, []).append(stmt.value)
    return bound


def _statements(scope: ast.AST) -> Iterator[ast.stmt]:
    """Yield the statements of a module or function, entering blocks but not nested functions or classes."""
    todo = list(getattr(scope, "body", []))
    while todo:
        stmt = todo.pop()
        yield stmt
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for field in ("body", "orelse", "finalbody", "handlers"):
            todo.extend(n for n in getattr(stmt, field, []) if isinstance(n, ast.stmt | ast.excepthandler))


def path_origin(expr: ast.expr, bound: dict[str, list[ast.expr]], pf: PythonFile) -> str | None:
    """Return where an added path points: "file" (built from `__file__`), "literal" (relative literals such
    as `".."` or `"src"`), "cwd" (the working directory: `"./"`, `os.getcwd()`), or None (an absolute
    folder, or anything taken from a parameter, the environment or a call without arguments: not the
    repository's code).

    A call of an imported function (`os.path.join(...)`) is built from its arguments alone; a method of
    a path (`Path(__file__).resolve()`) from its object and arguments.
    """
    return _origin(expr, _Names(bound, pf), 0)


@dataclass(frozen=True)
class _Names:
    bound: dict[str, list[ast.expr]]  # values assigned to each plain name
    pf: PythonFile  # resolves imported names (`os.getcwd`)


def _origin(expr: ast.expr, names: _Names, depth: int) -> str | None:
    if isinstance(expr, ast.Name):
        if expr.id == "__file__":
            return "file"
        values = names.bound.get(expr.id, []) if depth < _MAX_DEPTH else []
        return _combined([_origin(v, names, depth + 1) for v in values])
    if isinstance(expr, ast.Constant):
        text = expr.value.strip() if isinstance(expr.value, str) else None
        if text in (".", "./"):
            return "cwd"
        if not text or text.startswith(("/", "~", "\\")) or ":" in text:
            return None
        return "literal"
    if isinstance(expr, ast.Call):
        return _call_origin(expr, names, depth)
    if isinstance(expr, ast.Attribute | ast.Subscript | ast.Starred):
        return _origin(expr.value, names, depth)
    if isinstance(expr, ast.BinOp):
        return _combined([_origin(expr.left, names, depth), _origin(expr.right, names, depth)])
    if isinstance(expr, ast.JoinedStr):
        parts = [v.value if isinstance(v, ast.FormattedValue) else v for v in expr.values]
        return _combined([_origin(p, names, depth) for p in parts])
    if isinstance(expr, ast.List | ast.Tuple):
        return _combined([_origin(e, names, depth) for e in expr.elts])
    return None


def _call_origin(call: ast.Call, names: _Names, depth: int) -> str | None:
    """Return where a path a call returns points: the working directory, a folder read from the environment
    (`os.getenv("DINOV3_LOCATION")`: the user configures it, so only a default built from `__file__`,
    `os.getenv("ROOT", os.path.dirname(__file__))`, still points at the repository's code), or what the call is
    built from (its arguments, and the path it is a method of)."""
    called = names.pf.call_name(call)
    if called in CWD_CALLS:
        return "cwd"
    if called in ENV_READS:
        default = call.args[1] if len(call.args) > 1 else next((k.value for k in call.keywords), None)
        return "file" if default is not None and _origin(default, names, depth) == "file" else None
    parts = [*call.args, *(k.value for k in call.keywords)]
    if isinstance(call.func, ast.Attribute) and names.pf.qualname(call.func) is None:
        parts.append(call.func.value)  # a method of a path: `Path(__file__).resolve()`, `ROOT.joinpath("src")`
    return _combined([_origin(p, names, depth) for p in parts])


def _combined(origins: list[str | None]) -> str | None:
    """Return the origin of a path built from parts: every part known; "file" when one comes from
    `__file__`, else "cwd" when one is the working directory, else "literal"."""
    if not origins or None in origins:
        return None
    return next((kind for kind in ("file", "cwd") if kind in origins), "literal")


def sys_path_edits(pf: PythonFile) -> Iterator[tuple[ast.Call, str]]:
    """Yield `sys.path.append/insert/extend` calls that add the file's own folder, a parent, a relative
    literal path or the working directory, with that origin (`path_origin`)."""
    for call in pf.nodes(ast.Call):
        if pf.call_name(call) not in PATH_EDITS or not call.args:
            continue
        added = call.args[-1]
        function = pf.enclosing_function(call)
        scopes: list[ast.AST] = [pf.tree] if function is None else [pf.tree, function]
        origin = path_origin(added, _assignments(scopes), pf)
        if origin is not None:
            yield call, origin


@register
class SysPathEdit(FileRule):
    """Flags modules, scripts, notebooks and tests that edit `sys.path` to import the project's own code.

    ## What it does
    Finds `sys.path.append/insert/extend` calls whose path is built from the file's own location
    (`os.path.dirname(__file__)`, `Path(__file__).parents[1]`, a name bound to either) or is a
    relative path literal (`".."`, `"../src"`), and nothing else; and the working directory
    (`"./"`, `os.getcwd()`) put on the path before modules imported by name, outside a published
    library. Paths taken from arguments, the environment (`os.getenv("DINOV3_LOCATION")`, unless its default
    is built from `__file__`) or an absolute folder are left alone, and so is the
    working directory before a dynamic import (a tool loading its user's code from there), and so
    are the conventional places of such edits: Sphinx's `conf.py`, `setup.py`, pytest's
    `conftest.py`, examples and tutorials.

    ## Why is this bad?
    An edit of `sys.path` stands in for an installable package: imports work only from one
    folder layout and one working directory, the same module can be imported twice under two
    names, and notebooks, tests and services each grow their own copy of the hack.

    ## Example
    ```python
    ROOT = Path(__file__).resolve().parents[1]
    sys.path.append(str(ROOT))
    from utils.general import load_config
    ```

    ## Use instead
    ```python
    # pyproject.toml declares the package; `pip install -e .` once
    from myproject.utils.general import load_config
    ```
    """

    code = "LAY014"
    file_kinds = (FileKind.LIBRARY, FileKind.SCRIPT, FileKind.NOTEBOOK, FileKind.TEST)
    title = "Project code imported through a sys.path edit"
    practice = "layout"
    severity = Severity.WARNING
    fix = "Make the code an installable package (pyproject.toml, `pip install -e .`) and import it by its name."
    scoring = "flat"
    weight = 2
    cap = 8

    def check(self, project: Project) -> Iterable[Output]:
        """Yield each file's hit; in a published library, edits adding only the working directory are its users'."""
        library = is_library(project)
        for hit in super().check(project):
            if not (library and isinstance(hit, Hit) and hit.message.endswith(_CWD_ONLY)):
                yield hit

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        if pf.path.rsplit("/", 1)[-1] in _CONVENTIONAL_NAMES or is_example(pf.path):
            return
        edits = list(sys_path_edits(pf))
        own = [call for call, origin in edits if origin != "cwd"]
        if own:
            yield _hit(pf, own, "")
        imports = [n.lineno for n in pf.nodes(ast.Import, ast.ImportFrom)]
        # the working directory put first, then modules imported by name: the code runs from one folder only
        cwd = [call for call, origin in edits if origin == "cwd" and any(line > call.lineno for line in imports)]
        if cwd:
            yield _hit(pf, cwd, _CWD_ONLY)


def _hit(pf: PythonFile, edits: list[ast.Call], suffix: str) -> Hit:
    first = edits[0]
    more = f" (+{len(edits) - 1} more)" if len(edits) > 1 else ""
    shown = ast.unparse(first)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return Hit(pf.path, first.lineno, f"{shown} in {pf.path} imports project code through sys.path{more}{suffix}")
