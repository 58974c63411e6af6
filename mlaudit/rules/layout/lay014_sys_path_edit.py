"""Provides rule LAY014: Project code imported through a sys.path edit."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.facts.kind import is_example
from mlaudit.model import FileKind, Severity
from mlaudit.project import PythonFile
from mlaudit.registry import FileRule, Hit, register

PATH_EDITS = frozenset({"sys.path.append", "sys.path.insert", "sys.path.extend"})
# Sphinx's conf.py, setup.py and pytest's conftest.py are where a path edit is the tool's own convention
_CONVENTIONAL_NAMES = frozenset({"conf.py", "setup.py", "conftest.py"})
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


def _project_relative(expr: ast.expr, bound: dict[str, list[ast.expr]], depth: int = 0) -> bool:
    """Return True when the path comes from the file's own location (`__file__`) or a path literal."""
    for node in ast.walk(expr):
        if isinstance(node, ast.Name) and node.id == "__file__":
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip():
            return True
        if (
            isinstance(node, ast.Name)
            and depth < _MAX_DEPTH
            and any(_project_relative(value, bound, depth + 1) for value in bound.get(node.id, ()))
        ):
            return True
    return False


def sys_path_edits(pf: PythonFile) -> Iterator[ast.Call]:
    """Yield `sys.path.append/insert/extend` calls that add the file's own folder, a parent or a literal path."""
    for call in pf.nodes(ast.Call):
        if pf.call_name(call) not in PATH_EDITS or not call.args:
            continue
        added = call.args[-1]
        function = pf.enclosing_function(call)
        scopes: list[ast.AST] = [pf.tree] if function is None else [pf.tree, function]
        if _project_relative(added, _assignments(scopes)):
            yield call


@register
class SysPathEdit(FileRule):
    """Flags modules, scripts, notebooks and tests that edit `sys.path` to import the project's own code.

    ## What it does
    Finds `sys.path.append/insert/extend` calls whose path is built from the file's own location
    (`os.path.dirname(__file__)`, `Path(__file__).parents[1]`, a name bound to either) or is a
    path literal (`".."`, `"../src"`). Paths taken from arguments or the working directory (a
    tool loading its user's plugins) are left alone, and so are the conventional places of
    such edits: Sphinx's `conf.py`, `setup.py`, pytest's `conftest.py`, examples and tutorials.

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

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        if pf.path.rsplit("/", 1)[-1] in _CONVENTIONAL_NAMES or is_example(pf.path):
            return
        edits = list(sys_path_edits(pf))
        if edits:
            first = edits[0]
            more = f" (+{len(edits) - 1} more)" if len(edits) > 1 else ""
            shown = ast.unparse(first)
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            yield Hit(pf.path, first.lineno, f"{shown} in {pf.path} imports project code through sys.path{more}")
