"""Provides the tested-modules fact: the modules the tests import, reach through calls, patch or doctest."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from mlaudit.facts.callgraph import import_targets, reached_definitions
from mlaudit.facts.lazy_exports import lazy_imports
from mlaudit.facts.randomness import MAIN_BLOCK
from mlaudit.facts.test_suite import suite_of
from mlaudit.model import FileKind
from mlaudit.project import Project, PythonFile


def module_name(path: str, python: Iterable[str] | dict[str, PythonFile]) -> str:
    """Return the import name of a module: its package chain (found by `__init__.py`) plus its stem."""
    dirs = path.split("/")[:-1]
    stem = path.rsplit("/", 1)[-1].removesuffix(".py")
    top = len(dirs)
    while top > 0 and "/".join(dirs[:top]) + "/__init__.py" in python:
        top -= 1
    parts = dirs[top:] if stem == "__init__" else [*dirs[top:], stem]
    return ".".join(parts)


def _prefixes(name: str) -> Iterator[str]:
    parts = name.split(".")
    for i in range(1, len(parts) + 1):
        yield ".".join(parts[:i])


REFERENCES_FACT = "tested.references"  # a per-file fact (mlaudit.filefacts)


def referenced_names(pf: PythonFile) -> tuple[str, ...]:
    """Return the dotted names a test file references, once each (a per-file fact)."""
    return tuple(dict.fromkeys(_referenced_names(pf)))


def _referenced_names(pf: PythonFile) -> Iterator[str]:
    """Yield the dotted names a test file imports, reaches through attributes, or patches by string."""
    yield from pf.imports.values()
    yield from pf.imported_modules
    for attr in pf.nodes(ast.Attribute):
        if not isinstance(pf.parent(attr), ast.Attribute):
            qual = pf.qualname(attr)
            if qual is not None:
                yield qual
    for call in pf.nodes(ast.Call):
        callee = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        if callee in {"patch", "import_module"} and call.args and isinstance(call.args[0], ast.Constant):
            yield str(call.args[0].value)
        if callee in MEMBER_LISTINGS:
            yield from _enumerated_modules(pf, call)
    yield from _star_imported_names(pf)


# Calls that list a module's members: a test handed a package this way (`inspect.getmembers(pkg, inspect.isclass)`,
# `dir(pkg)`) walks whatever the package exports, so it reaches every module the package re-exports from.
MEMBER_LISTINGS = frozenset({"getmembers", "dir", "vars"})
ALL_MEMBERS = ".*"  # marks a module whose every member a test enumerates
MODULE_DUNDERS = frozenset({"__name__", "__dict__", "__all__"})


def _enumerated_modules(pf: PythonFile, call: ast.Call) -> Iterator[str]:
    """Yield `pkg.*` for each module a member-listing call is handed, directly or through its name
    (`inspect.getmembers(sys.modules[srai.datasets.__name__], inspect.isclass)`)."""
    for arg in call.args[:1]:
        for node in ast.walk(arg):
            if isinstance(node, ast.Attribute | ast.Name) and not isinstance(pf.parent(node), ast.Attribute):
                qual = pf.qualname(node)
                if qual is None:
                    continue
                head, _, last = qual.rpartition(".")
                yield (head if last in MODULE_DUNDERS else qual) + ALL_MEMBERS


def _star_imported_names(pf: PythonFile) -> Iterator[str]:
    """Yield `module.Name` for each name the file uses without binding it, from each module it star-imports
    (`from pkg.spectrogram import *`, then `STFT(n_fft=512)`): one of them brought the name."""
    sources = [
        node.module
        for node in pf.nodes(ast.ImportFrom)
        if node.level == 0 and node.module and any(alias.name == "*" for alias in node.names)
    ]
    if not sources:
        return
    bound = {a.arg for a in pf.nodes(ast.arg)} | {n.id for n in pf.nodes(ast.Name) if not isinstance(n.ctx, ast.Load)}
    definitions = pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    bound |= {n.name for n in definitions if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)}
    used = {n.id for n in pf.nodes(ast.Name) if isinstance(n.ctx, ast.Load)} - bound - set(pf.imports)
    yield from (f"{source}.{name}" for source in sources for name in sorted(used))


FROM_IMPORTS_FACT = "tested.from_imports"  # a per-file fact (mlaudit.filefacts)

FromImport = tuple[int, str | None, tuple[tuple[str, str | None], ...]]  # level, module, (name, asname) each


def from_imports(pf: PythonFile) -> tuple[FromImport, ...]:
    """Return each `from ... import ...` of the file as (level, module, names) (a per-file fact)."""
    return tuple(
        (node.level, node.module, tuple((alias.name, alias.asname) for alias in node.names))
        for node in pf.nodes(ast.ImportFrom)
    )


LAZY_BINDINGS_FACT = "tested.lazy_bindings"  # a per-file fact (mlaudit.filefacts)


def lazy_bindings(pf: PythonFile) -> tuple[tuple[str, str], ...]:
    """Return (name, module path) for each top-level name the module binds from a call handed a dotted module
    path as a string: `CEM = import_optional("alibi.explainers.cem", names=["CEM"])`, `sub =
    importlib.import_module("pkg.sub")` (a lazy or optional import helper; a per-file fact)."""
    found: list[tuple[str, str]] = []
    for stmt in pf.tree.body:
        if not (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) and stmt.value.args):
            continue
        first = stmt.value.args[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str) and DOTTED.match(first.value)):
            continue
        found.extend((n.id, first.value) for t in stmt.targets for n in ast.walk(t) if isinstance(n, ast.Name))
    return tuple(found)


DOTTED = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$")


DYNAMIC_IMPORTS_FACT = "tested.dynamic_import_prefixes"  # a per-file fact (mlaudit.filefacts)
# The fixed part of a module path built at run time: `pkg.detection.` of `"pkg.detection." + name`.
PACKAGE_PREFIX = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\.$")


def dynamic_import_prefixes(pf: PythonFile) -> tuple[tuple[str, str | None], ...]:
    """Return the packages whose modules the file imports by a name it builds at run time, each with the
    top-level function or class doing it (None at module level; a per-file fact): `__import__("pkg.detection." +
    name)`, `importlib.import_module(f"pkg.models.{name}")` (a plugin chosen by a string the caller passes,
    `FaceAlignment(face_detector="sfd")`)."""
    found: list[tuple[str, str | None]] = []
    for call in pf.nodes(ast.Call):
        prefix = _imported_prefix(call)
        if prefix is not None:
            found.append((prefix, _top_level_name(pf, call)))
    return tuple(dict.fromkeys(found))


def _top_level_name(pf: PythonFile, node: ast.AST) -> str | None:
    """Return the name of the top-level function or class a node sits in (None at module level)."""
    top = next(t for t in (node, *pf.ancestors(node)) if pf.parent(t) is pf.tree)
    return top.name if isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) else None


def _imported_prefix(call: ast.Call) -> str | None:
    """Return `pkg.detection` of `__import__("pkg.detection." + name)` or `import_module(f"pkg.detection.{x}")`."""
    callee = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    if callee not in ("__import__", "import_module") or not call.args:
        return None
    first = call.args[0]
    head = first.left if isinstance(first, ast.BinOp) and isinstance(first.op, ast.Add) else first
    if isinstance(head, ast.JoinedStr) and head.values:
        head = head.values[0]
    fixed = head.value if head is not first and isinstance(head, ast.Constant) else None
    if isinstance(fixed, str) and PACKAGE_PREFIX.match(fixed):
        return fixed.removesuffix(".")
    return None


TOP_NAMES_FACT = "tested.top_level_names"  # a per-file fact (mlaudit.filefacts)


def top_level_names(pf: PythonFile) -> frozenset[str]:
    """Return the names a module defines at top level: its classes, functions and assigned names."""
    names: set[str] = set()
    for stmt in pf.tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(stmt.name)
        elif isinstance(stmt, ast.Assign | ast.AnnAssign):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            names.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
    return frozenset(names)


@dataclass(frozen=True)
class Reexports:
    """What package `__init__` modules re-export: `pkg.Name` -> (source module, name there; "" for a submodule),
    each package's star-import sources, and the top-level names of the star sources that are modules."""

    named: dict[str, tuple[str, str]]
    stars: dict[str, tuple[str, ...]]
    defines: dict[str, frozenset[str]]


def _reexports(project: Project) -> Reexports:
    """Map `pkg.name` re-exported by a package `__init__` to where it comes from (a `from` import, or a lazy
    import helper handed one of the package's module paths); list each package's star imports, and those of a
    module standing in for another (`spec/legacy.py`: `from .features import *`)."""
    named: dict[str, tuple[str, str]] = {}
    stars: dict[str, list[str]] = {}
    for path, pf in project.python.items():
        if not path.endswith("/__init__.py") or pf.kind is not FileKind.LIBRARY:
            continue
        package = module_name(path, project.python)
        deferred = lazy_imports(project).get(path, ())  # `lazy.attach_stub(__name__, __file__)` and its stub
        for level, module, names in (*pf.file_fact(FROM_IMPORTS_FACT, from_imports), *deferred):
            source = _import_source(package, level, module)
            if source is None:
                continue
            for name, asname in names:
                if name == "*":
                    stars.setdefault(package, []).append(source)
                elif module is None:  # `from . import sub`: the name is the submodule itself
                    named[f"{package}.{asname or name}"] = (f"{source}.{name}", "")
                else:
                    named[f"{package}.{asname or name}"] = (source, name)
        for name, source in pf.file_fact(LAZY_BINDINGS_FACT, lazy_bindings):
            if source.startswith(package + "."):  # `CEM = import_optional("pkg.explainers.cem", names=["CEM"])`
                named.setdefault(f"{package}.{name}", (source, name))
    for own, sources in _module_stars(project):
        stars.setdefault(own, []).extend(sources)
    modules = {module_name(path, project.python): pf for path, pf in project.python.items()}
    defines = {
        source: modules[source].file_fact(TOP_NAMES_FACT, top_level_names)
        for sources in stars.values()
        for source in sources
        if source in modules and not modules[source].path.endswith("__init__.py")
    }
    return Reexports(named, {k: tuple(v) for k, v in stars.items()}, defines)


def _module_stars(project: Project) -> Iterator[tuple[str, list[str]]]:
    """Yield each library module (no package `__init__`) that star-imports others, with their names: a module
    standing in for another (`spec/legacy.py`: `from .features import *`) re-exports all they define."""
    for path, pf in project.python.items():
        if path.endswith("/__init__.py") or pf.kind is not FileKind.LIBRARY or pf.is_notebook:
            continue
        own = module_name(path, project.python)
        package = own.rpartition(".")[0]
        sources = [
            source
            for level, module, names in pf.file_fact(FROM_IMPORTS_FACT, from_imports)
            if package
            and any(name == "*" for name, _ in names)
            and (source := _import_source(package, level, module)) is not None
        ]
        if sources:
            yield own, sources


REEXPORT_DEPTH = 4  # `pkg.Name` through at most this many package `__init__` re-exports


def _resolve_reexport(name: str, reexports: Reexports) -> Iterator[str]:
    """Yield the modules a name reaches through package re-exports, following chains and star imports.

    `from txt.pipeline import Labels` reaches `txt.pipeline.text.labels` when `txt/pipeline/__init__.py`
    holds `from .text import *` and `txt/pipeline/text/__init__.py` holds `from .labels import Labels`.
    Star imports are followed to names a package re-exports by name, and into a module that defines the
    name (`from skl.callbacks import Callback` reaches `skl.callbacks.base` when `skl/callbacks/__init__.py`
    holds `from .base import *` and `base.py` defines `Callback`).
    """
    pending = [name]
    for _ in range(REEXPORT_DEPTH):
        following: list[str] = []
        for current in pending:
            if current in reexports.named:
                source, original = reexports.named[current]
                yield source
                if original:
                    following.append(f"{source}.{original}")
                continue
            package, _, attr = current.rpartition(".")
            for star in reexports.stars.get(package, ()):
                if attr in reexports.defines.get(star, ()):
                    yield star
                following.append(f"{star}.{attr}")
        pending = following
        if not pending:
            return


def _enumerated_reexports(names: set[str], reexports: Reexports) -> set[str]:
    """Return the modules a package re-exports from, for each package a test enumerates (`pkg.*`): listing its
    members (`inspect.getmembers(pkg)`) reaches every class and function it exports, wherever defined."""
    packages = {name.removesuffix(ALL_MEMBERS) for name in names if name.endswith(ALL_MEMBERS)}
    found: set[str] = set()
    for exported in reexports.named:
        if exported.rpartition(".")[0] in packages:
            found.update(_resolve_reexport(exported, reexports))
    for package in packages:
        found.update(reexports.stars.get(package, ()))
    return found


def _import_source(package: str, level: int, module: str | None) -> str | None:
    if level == 1:
        return f"{package}.{module}" if module else package
    if level == 0 and module and module.startswith(package + "."):
        return module
    return None


def _plugins_loaded(project: Project, reached: set[str], called: set[tuple[str, str | None]]) -> set[str]:
    """Return the modules of the packages a reached module imports by a name built at run time: the tests that
    reach `__import__("pkg.detection." + name)` reach whichever detector a test names, so every one of them. An
    import inside a function or class counts only when the tests reach that definition: a package `__init__` runs
    when a test imports one of its modules, but its lazy-import helper (`def _lazy_import(name):
    importlib.import_module(f"pkg.{name}")`) loads nothing until a test calls through it."""
    modules = {module_name(path, project.python): pf for path, pf in project.python.items()}
    prefixes = {
        prefix
        for name in reached & modules.keys()
        if modules[name].kind is FileKind.LIBRARY
        for prefix, top in modules[name].file_fact(DYNAMIC_IMPORTS_FACT, dynamic_import_prefixes)
        if top is None or (modules[name].path, top) in called
    }
    return {name for name in modules for prefix in prefixes if name.startswith(prefix + ".")}


def _from_enclosing_roots(project: Project, tests: Iterable[PythonFile], referenced: set[str]) -> set[str]:
    """Return the modules the tests reach through a package around them run as the import root.

    A Django backend whose folder is itself a package (`backend/__init__.py` beside `backend/manage.py`) runs
    its tests from that folder: `backend/labels/tests/test_span.py` imports `labels.models`, which is
    `backend.labels.models`. A test's import whose first name is no top-level module of the repository is
    read under each package folder around the test, where one holds that first name as a module."""
    modules = {module_name(path, project.python) for path in project.python}
    tops = {name.split(".", 1)[0] for name in modules}
    found: set[str] = set()
    for pf in tests:
        roots = _package_folders(pf.path, project.python)
        for ref in pf.file_fact(REFERENCES_FACT, referenced_names) if roots else ():
            first = ref.split(".", 1)[0]
            if first in tops:
                continue
            for root in roots:
                if f"{root}.{first}" in modules:
                    found.update(_prefixes(f"{root}.{ref}"))
    return found - referenced


URL_ROUTES = frozenset({"path", "re_path", "url"})  # Django's URL patterns
URL_REVERSERS = frozenset({"reverse", "reverse_lazy"})


def _reversed_views(project: Project, tests: Iterable[PythonFile]) -> set[str]:
    """Return the modules of the views the tests request by URL name: a Django test calls
    `self.client.get(reverse("project_list"))`, and a `urls.py` maps that name to its view
    (`path("projects", ProjectList.as_view(), name="project_list")`, `ProjectList` imported from `.views.project`)."""
    wanted = {name for pf in tests for name in pf.file_fact(URL_NAMES_FACT, url_names)}
    found: set[str] = set()
    for path, pf in project.python.items() if wanted else ():
        if pf.kind is not FileKind.LIBRARY:
            continue
        routes = [(name, view) for name, view in pf.file_fact(ROUTES_FACT, named_routes) if name in wanted]
        bound = _from_bindings(path, pf, project.python) if routes else {}
        for _, view in routes:
            if view in bound:
                found.update(_prefixes(bound[view]))  # the view's module, and the URL module routing to it
                found.update(_prefixes(module_name(path, project.python)))
    return found


URL_NAMES_FACT = "tested.url_names"  # a per-file fact (mlaudit.filefacts)
ROUTES_FACT = "tested.named_routes"  # a per-file fact (mlaudit.filefacts)


def url_names(pf: PythonFile) -> tuple[str, ...]:
    """Return the URL names a test module reverses (a per-file fact)."""
    return tuple(dict.fromkeys(_url_names(pf)))


def named_routes(pf: PythonFile) -> tuple[tuple[str, str], ...]:
    """Return (URL name, the local name its view starts from) for each named Django URL pattern of a module
    (`path("items", ItemList.as_view(), name="item_list")` gives `("item_list", "ItemList")`; a per-file fact)."""
    if "urlpatterns" not in pf.text:
        return ()
    found: list[tuple[str, str]] = []
    for call in pf.nodes(ast.Call):
        routed = _routed_view(call)
        if routed is None:
            continue
        name, root = routed
        while isinstance(root, ast.Call | ast.Attribute):
            root = root.func if isinstance(root, ast.Call) else root.value
        if isinstance(root, ast.Name):
            found.append((name, root.id))
    return tuple(found)


def _url_names(pf: PythonFile) -> Iterator[str]:
    """Yield the URL names a test reverses (`reverse("projects:project_list")` gives `project_list`)."""
    for call in pf.nodes(ast.Call):
        func = call.func
        callee = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if callee not in URL_REVERSERS:
            continue
        first = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "viewname"), None)
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield first.value.rsplit(":", 1)[-1]


def _routed_view(call: ast.Call) -> tuple[str, ast.expr] | None:
    """Return the name and view of a named URL pattern (`path(..., View.as_view(), name="x")`), else None."""
    func = call.func
    if not (isinstance(func, ast.Name) and func.id in URL_ROUTES):
        return None
    name = next((k.value for k in call.keywords if k.arg == "name"), None)
    view = call.args[1] if len(call.args) > 1 else next((k.value for k in call.keywords if k.arg == "view"), None)
    if not (isinstance(name, ast.Constant) and isinstance(name.value, str)) or view is None:
        return None
    return name.value, view


def _from_bindings(path: str, pf: PythonFile, python: dict[str, PythonFile]) -> dict[str, str]:
    """Map the names a module binds by `from ... import` (relative ones too) to the dotted names they import."""
    own = module_name(path, python)
    package = own if path.endswith("__init__.py") else own.rpartition(".")[0]
    bound: dict[str, str] = {}
    for level, module, names in pf.file_fact(FROM_IMPORTS_FACT, from_imports):
        base = package.split(".")[: len(package.split(".")) - (level - 1)] if level else []
        source = ".".join([*base, *([module] if module else [])])
        for name, asname in names:
            if name != "*" and source:
                bound[asname or name] = f"{source}.{name}"
    return bound


def _package_folders(path: str, python: Iterable[str] | dict[str, PythonFile]) -> list[str]:
    """Return the import names of the package folders around a module, outermost first (`backend`,
    `backend.labels`, `backend.labels.tests` for `backend/labels/tests/test_span.py`)."""
    package = module_name(path, python).rsplit(".", 1)[0] if "." in module_name(path, python) else ""
    return list(_prefixes(package)) if package else []


def tested_modules(project: Project) -> frozenset[str]:
    """Return the modules the tests reach (computed once: the rule and the capability share it)."""
    tested: frozenset[str] = project.fact("tested_modules", _find_tested_modules)
    return tested


def used_support_files(project: Project) -> frozenset[str]:
    """Return the test-support modules (helpers, fixtures, conftest files) that run with the tests: every
    `conftest.py` (pytest loads it for the tests under its folder), a module a `conftest.py` names as a plugin,
    and what the test modules and those import, transitively. A helper no test imports runs in no test."""
    result: frozenset[str] = project.fact("tested_modules.used_support", _used_support)
    return result


def _used_support(project: Project) -> frozenset[str]:
    suite = suite_of(project)
    support = set(suite.support_files)
    conftests = [path for path in support if path.rsplit("/", 1)[-1] == "conftest.py"]
    plugin_text = "\n".join(project.python[path].text for path in conftests)
    named = [path for path in support if module_name(path, project.python) in plugin_text]
    used = {*conftests, *named}
    stack = [*suite.test_modules, *used]
    while stack:
        pf = project.python.get(stack.pop())
        for target in import_targets(project, pf) if pf is not None else ():
            if target in support and target not in used:
                used.add(target)
                stack.append(target)
    return frozenset(used)


def _find_tested_modules(project: Project) -> frozenset[str]:
    names: set[str] = set()
    unused = set(suite_of(project).support_files) - used_support_files(project)
    tests = [pf for pf in project.python_of(FileKind.TEST) if pf.path not in unused]
    for pf in tests:
        for ref in pf.file_fact(REFERENCES_FACT, referenced_names):
            if ref not in names:  # a name already there brought its prefixes with it
                names.update(_prefixes(ref))
    names.update(_from_enclosing_roots(project, tests, names))
    names.update(_reversed_views(project, tests))
    modules: dict[str, str] = {}
    called = reached_definitions(project, [pf.path for pf in tests])
    for path, top in called:
        if top is not None and top != MAIN_BLOCK:
            if path not in modules:
                modules[path] = module_name(path, project.python)
            names.add(modules[path])
    reexports = _reexports(project)
    names.update(_enumerated_reexports(names, reexports))
    names.update(found for n in list(names) for found in _resolve_reexport(n, reexports))
    names.update(_plugins_loaded(project, names, called))
    if suite_of(project).config.doctest_modules:
        names.update(
            module_name(p, project.python)
            for p, pf in project.python.items()
            if ">>>" in pf.text and not pf.is_notebook
        )
    return frozenset(names)
