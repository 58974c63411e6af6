"""Provides helpers shared by several rules of the `dependencies` practice (or by other modules)."""

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import cast

from mlaudit.discover import in_benchmarks_folder
from mlaudit.facts.dependency_use import (
    NAMED_MODULES_FACT,
    config_uses,
    iter_pairs,
    named_modules,
    notebook_installs,
    requirement_checked_spans,
)
from mlaudit.facts.distributions import (
    NAMESPACE_CONTAINERS,
    DependencyFacts,
    Pin,
    Requirement,
    aliases_of,
    candidate_distributions,
    collect_dependencies,
    is_implicit,
    is_standard_library,
    preferred_distribution,
)
from mlaudit.facts.kind import is_example, is_library, is_sphinx_conf, shipped_package
from mlaudit.facts.package_roots import mapped_packages, package_roots
from mlaudit.facts.randomness import module_paths
from mlaudit.model import FileKind
from mlaudit.project import Project, PythonFile, module_name
from mlaudit.readers import pyproject
from mlaudit.rules.layout.lay014_sys_path_edit import sys_path_edits

__all__ = ["DependencyFacts", "Pin", "Requirement", "UsedImport", "declared_dependencies", "used_imports"]


# settings modules (`configs/x.py`, kind CONFIG) import what they name: `from lab.models import Detector`
CODE_KINDS = (FileKind.LIBRARY, FileKind.SCRIPT, FileKind.NOTEBOOK, FileKind.TEST, FileKind.CONFIG)


_GUARDED = "optional (guarded by except ImportError)"


_LAZY = "optional backend, imported lazily after a run-time requirement check"


_DEFERRED = "optional integration of the library, imported only inside the function that uses it"


BACKPORT = "backport for older Pythons, imported only under a sys.version_info check"


_OPTIONAL_MODULE = "optional backend: its package imports this module only under except ImportError"


_DEFERRED_MODULE = (
    "optional integration of the library: its package imports this module only inside the functions using it"
)
# Modules that exist only inside a hosted notebook runtime: the environment provides them, as it
# provides the standard library; no dependency file can declare them.
HOSTED_RUNTIME_MODULES = frozenset({"google.colab", "kaggle_secrets", "kaggle_datasets", "kaggle_web_client"})
KERNEL_MODULES = frozenset({"IPython", "ipykernel"})  # the Jupyter kernel running a notebook provides them
_NAMED_INTEGRATION = (
    "optional integration: a library module named after a package it imports, used with that package only"
)
EXAMPLE_ONLY = "used by the library's examples or tutorials only, not by the package its users install"
DOCS_BUILD = "used by the Sphinx documentation build (conf.py) only, not by the code"
BENCHMARK_ONLY = "used by the library's benchmark scripts only, not by the package its users install"

# Modules the interpreter itself provides but `sys.stdlib_module_names` leaves out: `__main__` is
# the running script (`import __main__` reads its `__file__`), `__future__` the compiler's switches.
_INTERPRETER_MODULES = frozenset({"__main__", "__future__"})
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


@dataclass(frozen=True)
class UsedImport:
    """One third-party module imported by the code: where, by what kind of file, and whether optional."""

    module: str
    path: str
    line: int
    kind: FileKind
    optional: bool
    reason: str = ""

    @property
    def top(self) -> str:
        """Return the top-level package name."""
        return self.module.split(".", 1)[0]


def declared_dependencies(project: Project) -> DependencyFacts:
    """Return what the repository declares about its dependencies (computed once per audit)."""
    return cast(DependencyFacts, project.fact("dependencies.declared", collect_dependencies))


def declares_no_dependencies(project: Project) -> str | None:
    """Return `pyproject.toml:N` when `[project]` says on purpose that the package needs nothing at run
    time (`dependencies = []`) and no other manifest lists requirements; else None (computed once)."""
    return cast("str | None", project.fact("dependencies.declares_none", _declares_none))


def _declares_none(project: Project) -> str | None:
    if declared_dependencies(project).requirements:
        return None
    table = pyproject(project).get("project")
    if not isinstance(table, dict) or table.get("dependencies") != []:
        return _standard_library_package(project)
    text = project.text("pyproject.toml") or ""
    match = re.search(r"(?m)^dependencies\s*=", text)
    if match is None:
        return "pyproject.toml"
    line = text.count("\n", 0, match.start()) + 1
    return f"pyproject.toml:{line}"


def _standard_library_package(project: Project) -> str | None:
    """Return the packaging metadata (setup.py, setup.cfg, pyproject.toml) of a published library whose
    shipped code imports only the standard library and its own modules: it has nothing to declare, so
    metadata that lists no requirement is complete, not missing."""
    if not is_library(project) or any(use.kind is FileKind.LIBRARY for use in used_imports(project)):
        return None
    if isinstance(pyproject(project).get("project"), dict):
        return "pyproject.toml"
    return "setup.py" if "setup.py" in project.python else None


def used_imports(project: Project) -> tuple[UsedImport, ...]:
    """Return the third-party imports of code, scripts, notebooks and tests (stdlib and local left out)."""
    return cast(tuple[UsedImport, ...], project.fact("dependencies.imports", _collect_imports))


IMPORTS_FACT = "dependencies.imports"  # a per-file fact (mlaudit.filefacts)


def file_imports(pf: PythonFile) -> tuple[tuple[str, int, str], ...]:
    """Return each absolute import of a file: (module, line, why it may be optional, or "").

    An import inside a function is marked `_DEFERRED`; whether that makes it optional depends on
    the project (a published library's, see `_collect_imports`).
    """
    imported = list(_imported(pf))
    if not imported:
        return ()
    optional = SpanSet(_optional_spans(pf))
    backports = SpanSet(_older_python_spans(pf))
    checked = SpanSet(requirement_checked_spans(pf))
    deferred = SpanSet(_function_spans(pf))
    fallbacks = _relative_import_fallbacks(pf)
    found: list[tuple[str, int, str]] = []
    for module, line in imported:
        if (module.split(".", 1)[0], line) in fallbacks:
            continue  # `except ...: from renderer import render` after `from .renderer import render`: the same module
        if line in optional:
            found.append((module, line, _GUARDED))
        elif line in backports:
            found.append((module, line, BACKPORT))
        elif line in checked:
            found.append((module, line, _LAZY))
        elif line in deferred:
            found.append((module, line, _DEFERRED))
        else:
            found.append((module, line, ""))
    return tuple(found)


def _relative_import_fallbacks(pf: PythonFile) -> frozenset[tuple[str, int]]:
    """Return (name, line) of the absolute imports in the handlers of a `try:` whose body imports that name
    relatively (`try: from .renderer import render` / `except (ValueError, SystemError): from renderer import
    render`): the fallback for running the file as a script or under Python 2 names the sibling module, not a
    third-party package."""
    found: set[tuple[str, int]] = set()
    for node in pf.nodes(ast.Try):
        if not isinstance(node, ast.Try):
            continue
        relative = {
            stmt.module.split(".", 1)[0]
            for stmt in node.body
            if isinstance(stmt, ast.ImportFrom) and stmt.level == 1 and stmt.module
        }
        for handler in node.handlers if relative else ():
            for stmt in handler.body:
                if isinstance(stmt, ast.ImportFrom) and stmt.level == 0 and stmt.module:
                    names = [stmt.module]
                elif isinstance(stmt, ast.Import):
                    names = [alias.name for alias in stmt.names]
                else:
                    continue
                found.update((top, stmt.lineno) for name in names if (top := name.split(".", 1)[0]) in relative)
    return frozenset(found)


class SpanSet:
    """The lines covered by any of several spans (first and last line, both included), asked by bisection."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in sorted(span for span in spans if span[0] <= span[1]):
            if self.ends and start <= self.ends[-1]:  # overlaps (or nests in) the span before: one span
                self.ends[-1] = max(self.ends[-1], end)
            else:
                self.starts.append(start)
                self.ends.append(end)

    def __contains__(self, line: int) -> bool:
        """Return True when some span covers `line`."""
        index = bisect.bisect_right(self.starts, line) - 1
        return index >= 0 and line <= self.ends[index]


def _function_spans(pf: PythonFile) -> list[tuple[int, int]]:
    """Return the line spans of the module's function bodies (imports there run only when called)."""
    return [
        (fn.body[0].lineno, fn.end_lineno or fn.lineno)
        for fn in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef)
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def _collect_imports(project: Project) -> tuple[UsedImport, ...]:
    """Collect the third-party imports of code, with why each may be optional.

    A library that imports a package only inside the function that uses it (`import bitsandbytes`
    in the 8-bit optimizer path) installs and imports without it: it is an optional integration,
    whose callers bring it (declaring it as an extra is the fix). An application needs it declared.
    A module the repository imports only under `except ImportError` is an optional backend: the
    packages it imports are optional too (`try: from ._openai import OpenAIBackend`). So are the
    imports of a library module named after a package it imports (`einops/layers/flax.py` imports
    flax and jax): users import that module only when they use that framework.
    """
    top_level, siblings = _local_modules(project)
    library = is_library(project)
    backends = _optional_modules(project)
    deferred = _optional_modules(project, lazily=True) - backends if library else frozenset()
    portions = _namespace_portions(project)
    script_folders = _script_folders(project)
    below_path_entries = _below_path_entries(project)
    on_path = _path_folder_modules(project, siblings)
    found: list[UsedImport] = []
    for pf in sorted(project.python_of(*CODE_KINDS), key=lambda p: p.path):
        folder = _folder(pf.path)
        in_package = f"{folder}/__init__.py" in project.python if folder else False
        own_path = not in_package or folder in script_folders
        local = top_level | (siblings.get(folder, frozenset()) - {_stem(pf.path)}) if own_path else top_level
        local |= _run_from(folder, script_folders, siblings) | on_path
        if pf.kind is FileKind.TEST:
            local |= siblings.get(_pytest_base(folder, project), frozenset())
        own = library and pf.kind is FileKind.LIBRARY
        imports = [
            (module, line, reason)
            for module, line, reason in pf.file_fact(IMPORTS_FACT, file_imports)
            if not is_standard_library(top := module.split(".", 1)[0])
            and (top not in local or _portion(module) in portions)
            and module not in below_path_entries
            and top not in _INTERPRETER_MODULES
            and not hosted_runtime(module)
        ]
        integration = own and any(_named_after(pf.path, module.split(".", 1)[0]) for module, _, _ in imports)
        for module, line, reason in imports:
            top = module.split(".", 1)[0]
            why = "" if reason == _DEFERRED and not own else reason
            if not why and pf.path in backends:
                why = _OPTIONAL_MODULE
            if not why and pf.path in deferred:
                why = _DEFERRED_MODULE
            if not why and library and is_example(pf.path):
                why = EXAMPLE_ONLY  # a docs extension (`doc/sphinxext/sphinx_issues.py`) is the docs', first
            if not why and library and pf.kind is not FileKind.LIBRARY and in_benchmarks_folder(pf.path):
                why = BENCHMARK_ONLY  # `benchmarks/read.py` timing the package against pretty_midi, tabled by pandas
            if not why and integration:
                why = _NAMED_INTEGRATION
            if not why and is_sphinx_conf(pf):
                why = DOCS_BUILD
            found.append(UsedImport(module, pf.path, line, pf.kind, bool(why), why))
    return tuple(found)


def _below_path_entries(project: Project) -> frozenset[str]:
    """Return the dotted names (two parts or more) of repository modules as seen from a folder that is no package.

    Such a folder can be on sys.path (pytest puts the folder above a test package there, a script its own), so
    `import test_models.conftest` for `tests/test_models/conftest.py` names that module, not a third-party package;
    a single name (`import datasets` beside `pkg/datasets/`) stays third-party.
    """
    paths = [path for path in project.python if path.endswith((".py", ".pyi"))]
    packages = {path.rpartition("/")[0] for path in paths if path.rpartition("/")[2] in ("__init__.py", "__init__.pyi")}
    found: set[str] = set()
    for path in paths:
        parts = path.rsplit(".", 1)[0].split("/")
        if parts[-1] == "__init__":
            parts.pop()
        for start in range(len(parts) - 1):
            if "/".join(parts[:start]) not in packages:
                found.add(".".join(parts[start:]))
    return frozenset(found)


def _pytest_base(folder: str, project: Project) -> str:
    """Return the folder pytest puts on sys.path for a test module in `folder`: the first one up that is no
    package (`tests/` for `tests/test_models/test_heads.py`), so `from test_models import conftest` is local."""
    while folder and f"{folder}/__init__.py" in project.python:
        folder = _folder(folder)
    return folder


PATH_FOLDERS_FACT = "dependencies.path_folders"  # a per-file fact (mlaudit.filefacts)
_SAME_PATH = frozenset({"os.path.abspath", "os.path.realpath", "os.path.normpath", "str", "pathlib.Path"})
_MAX_HOPS = 4  # ROOT = FILE.parents[1]; FILE = Path(__file__).resolve(): a short chain of names


def path_folders(pf: PythonFile) -> tuple[int, ...]:
    """Return how many folders above the file's own each of its `sys.path` edits adds (0: its own folder, from
    `os.path.dirname(os.path.abspath(__file__))`; 1: its parent, from `Path(__file__).resolve().parents[1]` or
    `os.path.join(os.path.dirname(__file__), "..")`). Paths not built from `__file__` alone are left out."""
    edits = [call for call, origin in sys_path_edits(pf) if origin == "file"]  # LAY014's reading of the edits
    if not edits:  # most files: no name bindings to collect
        return ()
    bound: dict[str, list[ast.expr]] = {}
    for node in pf.nodes(ast.Assign):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            bound.setdefault(node.targets[0].id, []).append(node.value)
    levels = (_levels_up(pf, call.args[-1], bound, 0) for call in edits)
    return tuple(sorted({level for level in levels if level is not None and level >= 0}))


def _levels_up(pf: PythonFile, expr: ast.expr, bound: dict[str, list[ast.expr]], hops: int) -> int | None:
    """Return the folder a path expression names as levels above the file's folder (-1: the file itself)."""
    if isinstance(expr, ast.Name):
        if expr.id == "__file__":
            return -1
        values = bound.get(expr.id, []) if hops < _MAX_HOPS else []
        levels = {_levels_up(pf, v, bound, hops + 1) for v in values}
        return levels.pop() if len(levels) == 1 else None
    if isinstance(expr, ast.Attribute):
        inner = _levels_up(pf, expr.value, bound, hops)
        return inner + 1 if inner is not None and expr.attr == "parent" else None
    if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Attribute) and expr.value.attr == "parents":
        inner = _levels_up(pf, expr.value.value, bound, hops)
        index = expr.slice.value if isinstance(expr.slice, ast.Constant) else None
        return inner + 1 + index if inner is not None and isinstance(index, int) else None
    if not isinstance(expr, ast.Call):
        return None
    name = "str" if isinstance(expr.func, ast.Name) and expr.func.id == "str" else pf.call_name(expr) or ""
    if isinstance(expr.func, ast.Attribute) and expr.func.attr in ("resolve", "absolute") and not expr.args:
        return _levels_up(pf, expr.func.value, bound, hops)
    if name in _SAME_PATH and len(expr.args) == 1:
        return _levels_up(pf, expr.args[0], bound, hops)
    if name == "os.path.dirname" and len(expr.args) == 1:
        inner = _levels_up(pf, expr.args[0], bound, hops)
        return inner + 1 if inner is not None else None
    if name == "os.path.join" and expr.args:
        inner = _levels_up(pf, expr.args[0], bound, hops)
        rest = [a.value if isinstance(a, ast.Constant) else None for a in expr.args[1:]]
        if inner is None or not all(isinstance(r, str) and set(r.strip("/").split("/")) <= {"..", "."} for r in rest):
            return None  # a subfolder (`join(here, "src")`) or a value from elsewhere
        return inner + sum(str(r).strip("/").split("/").count("..") for r in rest)
    return None


def _path_folder_modules(project: Project, siblings: dict[str, frozenset[str]]) -> frozenset[str]:
    """Return the module names of the folders the code puts on `sys.path` (a package's `__init__` appending its own
    folder, a script inserting its parent): once that code runs, the rest of the program imports them by bare name."""
    found: set[str] = set()
    for pf in project.python_of(*CODE_KINDS):
        parts = _folder(pf.path).split("/") if _folder(pf.path) else []
        for level in pf.file_fact(PATH_FOLDERS_FACT, path_folders):
            if level <= len(parts):
                found |= siblings.get("/".join(parts[: len(parts) - level]), frozenset())
    return frozenset(found)


def _script_folders(project: Project) -> frozenset[str]:
    """Return the folders that hold a script (a module with a main guard).

    `python pkg/eval/evaluate.py` puts `pkg/eval/` first on sys.path even when it has an `__init__.py`, so
    the absolute imports its files make of each other (`import utils`, `from eval_datasets import ...`) name
    those sibling modules, not third-party packages.
    """
    return frozenset(_folder(pf.path) for pf in project.python_of(*CODE_KINDS) if pf.has_main_guard)


def _run_from(folder: str, script_folders: frozenset[str], siblings: dict[str, frozenset[str]]) -> frozenset[str]:
    """Return the module names of the script folders above `folder`: a script puts its folder on sys.path, so
    the modules it imports from subfolders (`evaluation/metric.py`) import its siblings too (`import evaluation.coco`)."""
    found: set[str] = set()
    for script_folder in script_folders:
        if script_folder and folder.startswith(script_folder + "/"):
            found |= siblings.get(script_folder, frozenset())
    return frozenset(found)


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def _portion(module: str) -> str:
    return ".".join(module.split(".", 2)[:2])


def _namespace_portions(project: Project) -> frozenset[str]:
    """Return the `ns.sub` names of declared distributions (`pyannote-core`) that share a top-level name with a
    local namespace package (`src/pyannote/audio/`) but are not in the repository: imports of them are
    third-party (`from pyannote.core import Segment`), not local."""
    local = {name.split(".", 1)[0] for name in module_paths(project)}
    paths = module_paths(project)
    found: set[str] = set()
    for req in declared_dependencies(project).requirements:
        parts = req.name.split("-")
        if len(parts) < 2 or parts[0] not in local:
            continue
        portion = f"{parts[0]}.{'_'.join(parts[1:])}"
        if not any(name == portion or name.startswith(portion + ".") for name in paths):
            found.add(portion)
    return frozenset(found)


def hosted_runtime(module: str) -> bool:
    """Return True for `google.colab` and its submodules, and the other hosted-runtime modules."""
    return any(module == m or module.startswith(f"{m}.") for m in HOSTED_RUNTIME_MODULES)


def _named_after(path: str, top: str) -> bool:
    """Return True for `einops/layers/torch.py` (or `_torch_specific.py`) importing torch: users import it
    only when they use torch."""
    stem = path.rsplit("/", 1)[-1].removesuffix(".py").lower()
    return top.lower() in stem.split("_")


def _optional_modules(project: Project, lazily: bool = False) -> frozenset[str]:
    """Return the repository modules imported somewhere under `except ImportError` (or an availability
    check) and nowhere at load time without one, and the modules only those load (`eli5/keras/__init__.py`,
    guarded, loads `keras/gradcam.py`: the whole sub-package is the optional backend). A test importing a
    backend plainly runs with the extras installed, so only code that ships decides what loads unguarded. The
    shipped package's own `__init__` is never one: every `import pkg` of its users loads it, whatever a test
    guards (`try: import pkg` / `except ImportError: sys.path.append(...)` runs the tests from a checkout).
    With `lazily`, a module the library's own code imports only inside functions counts too (`from .sql_bases
    import Run` in the SQL observer's methods): it loads only when that feature is used."""
    paths = module_paths(project)
    guarded: set[str] = set()
    importers: dict[str, set[str]] = {}
    optional_reasons = (_GUARDED, _LAZY, _DEFERRED) if lazily else (_GUARDED, _LAZY)
    for pf in project.python_of(*CODE_KINDS):
        for module, _line, reason in pf.file_fact(IMPORTS_FACT, file_imports):
            target = paths.get(module)
            if target is None or target == pf.path:
                continue
            if reason in optional_reasons and (reason != _DEFERRED or pf.kind is FileKind.LIBRARY):
                guarded.add(target)
            elif not reason and pf.kind is not FileKind.TEST:
                importers.setdefault(target, set()).add(pf.path)
    shipped = shipped_package(project)
    if shipped is not None:  # `import pkg` loads the shipped package's `__init__`: never an optional backend
        guarded.discard(f"{shipped}__init__.py")  # `pkg/`, or "" for a package at the root
    optional = {target for target in guarded if target not in importers}
    grown = True
    while grown:
        loaded_only_by_optional = {
            target for target, by in importers.items() if target not in optional and by <= optional
        }
        optional |= loaded_only_by_optional
        grown = bool(loaded_only_by_optional)
    return frozenset(optional)


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _imported(pf: PythonFile) -> Iterator[tuple[str, int]]:
    """Yield each imported module with its line; relative imports resolved to absolute names."""
    for node in pf.nodes(ast.Import, ast.ImportFrom):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in NAMESPACE_CONTAINERS:
            for alias in node.names:
                yield f"{node.module}.{alias.name}", node.lineno  # each subpackage is its own distribution
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level:
            base = _relative_base(pf.path, node.level)
            if base:
                yield ".".join([base, node.module] if node.module else [base]), node.lineno


def _relative_base(path: str, level: int) -> str:
    """Return the package a relative import of `level` dots in `path` starts from ("" above the root)."""
    parts = module_name(path).split(".")
    package = parts if path.endswith("__init__.py") else parts[:-1]
    return ".".join(package[: len(package) - (level - 1)]) if level - 1 < len(package) else ""


def _local_modules(project: Project) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """Return the repo's top-level module names (root, `src/` and declared package roots, and the stem of every
    Cython source: `pkg/search/fast_ext.pyx` builds the extension module `fast_ext` wherever setup.py puts it)
    and each folder's sibling module names."""
    top_level: set[str] = set()
    siblings: dict[str, set[str]] = {}
    roots = [root.split("/") for root in package_roots(project) if root]
    for source in project.files:
        if not source.path.endswith((".py", ".pyi", ".pyx")):
            continue
        parts = source.path.split("/")
        names = [*parts[:-1], parts[-1].rsplit(".", 1)[0]]
        top_level.add(names[0])
        if source.path.endswith(".pyx"):
            top_level.add(names[-1])
        top_level.update(names[len(root)] for root in roots if len(names) > len(root) and names[: len(root)] == root)
        for depth in range(len(parts)):
            siblings.setdefault("/".join(parts[:depth]), set()).add(names[depth])
    top_level |= mapped_packages(project)  # `package_dir={"telemetry": "src"}`: src/ installs as `telemetry`
    return frozenset(top_level), {k: frozenset(v) for k, v in siblings.items()}


def _optional_spans(pf: PythonFile) -> list[tuple[int, int]]:
    """Return line spans of `try:` blocks that catch ImportError and of `if TYPE_CHECKING:` blocks."""
    spans: list[tuple[int, int]] = []
    for node in pf.nodes(ast.Try, ast.TryStar):
        if isinstance(node, ast.Try | ast.TryStar) and any(_catches_import_error(h) for h in node.handlers):
            spans.append((node.lineno, node.end_lineno or node.lineno))
    for branch in pf.nodes(ast.If):
        if _is_type_checking(branch.test):
            spans.append((branch.lineno, branch.end_lineno or branch.lineno))
    return spans


def _older_python_spans(pf: PythonFile) -> list[tuple[int, int]]:
    """Return the line spans of the branches only an older interpreter runs: the `else` of
    `if sys.version_info >= (3, 8):`, the body of `if sys.version_info < (3, 9):`."""
    spans: list[tuple[int, int]] = []
    for branch in pf.nodes(ast.If):
        if not isinstance(branch, ast.If):
            continue
        older = _older_branch(branch)
        if older:
            spans.append((older[0].lineno, older[-1].end_lineno or older[-1].lineno))
    return spans


def _older_branch(branch: ast.If) -> list[ast.stmt]:
    """Return the statements of an `if` on the Python version that run on the older interpreters, else []:
    also those of a Python 2 branch (`if sys.version_info[0] == 2:`, `if six.PY2:`, the `else` of `if PY3:`)."""
    test = branch.test
    flag = _base_flag(test)
    if flag in ("PY2", "PY3"):
        return branch.body if flag == "PY2" else branch.orelse
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return []
    major = _major_compared(test)
    if major is not None:
        return branch.body if major == 2 else branch.orelse if major == 3 else []
    left, op, right = test.left, test.ops[0], test.comparators[0]
    if _is_version_info(right) and not _is_version_info(left):
        op = _FLIPPED.get(type(op), op)
    elif not _is_version_info(left):
        return []
    if isinstance(op, ast.GtE | ast.Gt):
        return branch.orelse
    return branch.body if isinstance(op, ast.Lt | ast.LtE) else []


def _base_flag(test: ast.expr) -> str:
    """Return the name of a flag test (`PY2`, `six.PY3`), else ""."""
    if isinstance(test, ast.Attribute):
        return test.attr
    return test.id if isinstance(test, ast.Name) else ""


def _major_compared(test: ast.Compare) -> int | None:
    """Return the major version a `sys.version_info[0] == 2` (or `.major == 3`) test takes the `if` branch on."""
    left, right = test.left, test.comparators[0]
    if not (isinstance(test.ops[0], ast.Eq) and isinstance(right, ast.Constant) and isinstance(right.value, int)):
        return None
    is_major = (isinstance(left, ast.Subscript) and _is_version_info(left.value) and _is_constant(left.slice, 0)) or (
        isinstance(left, ast.Attribute) and left.attr == "major" and _is_version_info(left.value)
    )
    return right.value if is_major else None


def _is_constant(node: ast.expr, value: int) -> bool:
    return isinstance(node, ast.Constant) and node.value == value and not isinstance(node.value, bool)


_FLIPPED: dict[type[ast.cmpop], ast.cmpop] = {
    ast.GtE: ast.LtE(),
    ast.Gt: ast.Lt(),
    ast.LtE: ast.GtE(),
    ast.Lt: ast.Gt(),
}


def _is_version_info(node: ast.expr) -> bool:
    """Return True for `sys.version_info`, `version_info` and their slices (`sys.version_info[:2]`)."""
    if isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Attribute):
        return node.attr == "version_info"
    return isinstance(node, ast.Name) and node.id == "version_info"


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(t, ast.Name) and t.id in _IMPORT_ERRORS for t in types)


def _has_code(project: Project) -> bool:
    return bool(project.python_of(*CODE_KINDS))


def _undeclared(project: Project) -> dict[str, list[UsedImport]]:
    """Return the imports no declaration (nor the notebook's own `%pip install`) covers, by distribution."""
    names = declared_dependencies(project).provided
    installs: dict[str, frozenset[str]] = {}
    missing: dict[str, list[UsedImport]] = {}
    for use in used_imports(project):
        candidates = candidate_distributions(use.module)
        if candidates & names:
            continue
        pf = project.python.get(use.path)
        if pf is not None and pf.is_notebook and use.top in KERNEL_MODULES:
            continue  # `from IPython.display import display` runs in the kernel that provides IPython
        if pf is not None and pf.is_notebook:
            if use.path not in installs:
                installs[use.path] = notebook_installs(pf)
            if candidates & installs[use.path]:
                continue
        missing.setdefault(preferred_distribution(use.module), []).append(use)
    return missing


def _never_imported(project: Project) -> list[Requirement]:
    """Return the runtime requirements (first of each name) that no import, config or plugin choice uses."""
    facts = declared_dependencies(project)
    imported: set[str] = set()
    for use in used_imports(project):
        imported |= candidate_distributions(use.module)
    plugins, modules = config_uses(project, list(facts.requirements))
    for module in modules | _named_in_code(project):
        imported |= candidate_distributions(module)
    unused: dict[str, Requirement] = {}
    for req in facts.requirements:
        used = req.name in imported or bool(aliases_of(req.name) & imported) or req.name in plugins
        if not (req.dev or used or is_implicit(req.name)):
            unused.setdefault(req.name, req)
    if unused.keys() & PICKLED_MODEL_LIBRARIES and unpickles(project):
        return [req for name, req in unused.items() if name not in PICKLED_MODEL_LIBRARIES]
    return list(unused.values())


def _named_in_code(project: Project) -> frozenset[str]:
    """Return the module names the code hands libraries as strings (`engine="xlsxwriter"`, `mysql+pymysql://`,
    `import_module("xarray")`)."""
    return frozenset(name for pf in project.python.values() for name in pf.file_fact(NAMED_MODULES_FACT, named_modules))


# Libraries whose fitted objects are saved with joblib/pickle: loading the file imports them.
PICKLED_MODEL_LIBRARIES = frozenset(
    {
        "scikit-learn",
        "xgboost",
        "lightgbm",
        "catboost",
        "statsmodels",
        "imbalanced-learn",
        "category-encoders",
        "feature-engine",
        "sktime",
        "pmdarima",
        "prophet",
        "umap-learn",
        "hdbscan",
        "scipy",
        "pandas",
    }
)
_UNPICKLERS = frozenset({"joblib", "pickle", "cloudpickle", "dill", "skops.io", "pandas", "mlflow"})
_LOADERS = frozenset({"load", "loads", "read_pickle", "load_model"})


def unpickles(project: Project) -> bool:
    """Return True when the code loads pickled objects (`joblib.load`, `pickle.load`, `pd.read_pickle`,
    `mlflow.sklearn.load_model`): the classes inside come from libraries the code need not import."""

    def compute(p: Project) -> bool:
        for pf in p.python_of(FileKind.LIBRARY, FileKind.SCRIPT, FileKind.NOTEBOOK):
            calls = [_loader_call(name, target) for name, target in pf.imports.items()]
            patterns = [c for c in calls if c is not None]
            # a call outside a comment: `^` and no `#` before it on its line
            if patterns and re.search(rf"^[^#\n]*?(?:{'|'.join(patterns)})", pf.text, re.MULTILINE):
                return True
        return False

    return cast(bool, project.fact("dependencies.unpickles", compute))


def _loader_call(name: str, target: str) -> str | None:
    """Return the regex of a call that unpickles through the imported `name` (bound to `target`), if any."""
    module, _, attr = target.rpartition(".")
    if attr in _LOADERS and (module in _UNPICKLERS or module.split(".", 1)[0] == "mlflow"):
        return rf"(?<![\w.]){re.escape(name)}\s*\("  # from joblib import load; load(path)
    if target in _UNPICKLERS or target.split(".", 1)[0] == "mlflow":
        return rf"(?<![\w.]){re.escape(name)}\.(?:\w+\.)?(?:load|loads|read_pickle|load_model)\s*\("
    return None


def _mapping_pairs(project: Project) -> tuple[frozenset[str], frozenset[str]]:
    """Return (undeclared keys, unused distributions) that explain each other (computed once)."""

    def compute(p: Project) -> tuple[frozenset[str], frozenset[str]]:
        tops = {k: sorted({u.top for u in uses}) for k, uses in _undeclared(p).items()}
        pairs = list(iter_pairs(tops, _never_imported(p)))
        return frozenset(k for k, _ in pairs), frozenset(d for _, d in pairs)

    return cast(tuple[frozenset[str], frozenset[str]], project.fact("dependencies.pairs", compute))
