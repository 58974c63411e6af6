"""Provides reachability over the repository's own code: which top-level definitions a set of files uses.

Nodes are (file, top-level function or class, or None for module-level code). A node reaches
the definitions it names, through repo imports and re-exports (see `_randomness`), and the
module-level code of every module it imports. A decorator whose name contains `register`
makes a registry: when code reaches the registry module (`list_models()`, `create_model()`),
it reaches every module that registers something with it.
"""

from __future__ import annotations

import ast
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from mlaudit.facts.randomness import MAIN_BLOCK, FileRandomness, ModuleMap, Node, _Closures, module_map, scanned_files
from mlaudit.project import Project, PythonFile


def _registrations(pf: PythonFile, facts: FileRandomness) -> set[tuple[str, str]]:
    """Return the (registry file, decorator name) pairs this file's top-level definitions are registered with."""
    found: set[tuple[str, str]] = set()
    for stmt in pf.tree.body:
        if not isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for deco in stmt.decorator_list:
            target = deco.func if isinstance(deco, ast.Call) else deco
            name = (
                target.id if isinstance(target, ast.Name) else target.attr if isinstance(target, ast.Attribute) else ""
            )
            if "register" not in name.lower():
                continue
            if name in facts.top_names:
                found.add((pf.path, name))
            for edge in facts.aliases.get(name, ()):
                found.add((edge.target, edge.name or name))
    return found


REGISTRATIONS_FACT = "callgraph.registrations"  # a per-file fact (mlaudit.filefacts), through the module map


def registrations(pf: PythonFile, facts: FileRandomness) -> tuple[tuple[str, str], ...]:
    """Return the (registry file, decorator name) pairs of a file, sorted (a per-file fact)."""
    return tuple(sorted(_registrations(pf, facts)))


@dataclass(frozen=True)
class Registries:
    """Per registry file: the files that register something with it, and the decorator names they use."""

    users: dict[str, frozenset[str]]
    decorators: dict[str, frozenset[str]]


def registries(project: Project) -> Registries:
    """Return the project's registries (computed once: reachability and the testing capability share them)."""
    found: Registries = project.fact("callgraph.registries", _registries)
    return found


def _registries(project: Project) -> Registries:
    files = scanned_files(project, (pf for pf in project.python.values() if not pf.is_notebook))
    users: dict[str, set[str]] = defaultdict(set)
    decorators: dict[str, set[str]] = defaultdict(set)
    for path, pf in project.python.items():
        if path in files:
            found = pf.file_fact(REGISTRATIONS_FACT, partial(registrations, facts=files[path]))
            for registry, decorator in found:
                users[registry].add(path)
                decorators[registry].add(decorator)
    return Registries({k: frozenset(v) for k, v in users.items()}, {k: frozenset(v) for k, v in decorators.items()})


def reached_definitions(project: Project, roots: Iterable[str]) -> set[Node]:
    """Return every node the module-level code and definitions of the `roots` files reach."""
    files = scanned_files(project, (pf for pf in project.python.values() if not pf.is_notebook))
    graph = _Closures(files)
    found = registries(project)
    registered, decorators = found.users, found.decorators
    start = [
        node
        for root in roots
        if root in files
        for node in [(root, None), (root, MAIN_BLOCK), *((root, t) for t in files[root].top_names)]
    ]
    seen: set[Node] = set(start)
    queue = deque(start)
    opened: set[str] = set()
    while queue:
        node = queue.popleft()
        nexts = graph.references(node)  # each node is expanded once: no need to filter its list first
        registry = node[0]
        opens = node[1] is not None and node[1] not in decorators.get(registry, ())
        if registry in registered and registry not in opened and opens:
            opened.add(registry)
            nexts.extend((user, t) for user in registered[registry] for t in files[user].top_names)
        for nxt in nexts:
            if nxt not in seen and nxt[0] in files:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def imported_files(project: Project) -> frozenset[str]:
    """Return the repository files some other repository file imports (computed once)."""
    found: frozenset[str] = project.fact("callgraph.imported", _imported_files)
    return found


def _imported_files(project: Project) -> frozenset[str]:
    found: set[str] = set()
    for path, pf in project.python.items():
        found.update(target for target in import_targets(project, pf) if target != path)
    return frozenset(found)


TARGETS_FACT = "callgraph.import_targets"  # a per-file fact (mlaudit.filefacts), resolved through the module map


def import_targets(project: Project, pf: PythonFile) -> tuple[str, ...]:
    """Return the repository files a file's import statements load (no parent packages)."""
    modules = module_map(project)
    targets: tuple[str, ...] = pf.file_fact(TARGETS_FACT, lambda one: resolved_imports(one, modules))
    return targets


LOAD_TARGETS_FACT = "callgraph.load_time_import_targets"  # a per-file fact (mlaudit.filefacts), like TARGETS_FACT


def load_time_imports(pf: PythonFile, modules: ModuleMap) -> tuple[str, ...]:
    """Return the repository files the file's imports load when it is imported: not those inside a function,
    which run only when it is called (a test-parameters hook importing test fixtures lazily)."""
    every: list[ast.Import | ast.ImportFrom] = [*pf.nodes(ast.Import), *pf.nodes(ast.ImportFrom)]
    imports = [n for n in every if pf.enclosing_function(n) is None]
    return tuple(edge.target for node in imports for edge in modules.edges(pf.path, node))


def resolved_imports(pf: PythonFile, modules: ModuleMap) -> tuple[str, ...]:
    """Return the repository files each import statement of the file loads, in order."""
    imports: list[ast.Import | ast.ImportFrom] = [*pf.nodes(ast.Import), *pf.nodes(ast.ImportFrom)]
    return tuple(edge.target for node in imports for edge in modules.edges(pf.path, node))
