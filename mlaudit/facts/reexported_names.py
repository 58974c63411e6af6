"""Provides the re-exported-names fact: names a repository module binds by importing them, to resolve through.

`from mypkg.torch_utils import torch` binds `torch` to `mypkg.torch_utils.torch`; when
`mypkg/torch_utils/__init__.py` holds `import torch`, a call `torch.load(...)` in the importing
file is `torch.load`. Each file's own imports are a per-file fact (`pf.imports`, and the
library modules' `from ... import` statements); this project-level fact joins them, so no
per-file fact depends on another file.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from mlaudit.facts.randomness import module_paths
from mlaudit.facts.tested_modules import FROM_IMPORTS_FACT, from_imports
from mlaudit.model import FileKind
from mlaudit.project import Project, PythonFile

HOPS = 4  # `pkg.name` followed through at most this many modules' imports (chains are short; cycles stop)


@dataclass(frozen=True)
class ReexportedNames:
    """What each repository library module binds by importing: module -> {name: qualified name it stands for}."""

    bindings: dict[str, dict[str, str]]
    tops: frozenset[str]  # the first part of every module name in `bindings`: a fast test for other names

    def resolve(self, qualname: str) -> str:
        """Return `qualname` followed through the repository modules that re-export its parts.

        `mypkg.torch_utils.torch.load` becomes `torch.load` when `mypkg.torch_utils` binds `torch` by
        `import torch`; a chain of modules is followed (each module once), and a name no repository
        module re-exports comes back unchanged.
        """
        seen: set[str] = set()
        current = qualname
        for _ in range(HOPS):
            if current.split(".", 1)[0] not in self.tops or current in seen:
                return current
            seen.add(current)
            following = self._one_hop(current)
            if following is None:
                return current
            current = following
        return current

    def _one_hop(self, qualname: str) -> str | None:
        parts = qualname.split(".")
        for cut in range(len(parts) - 1, 0, -1):  # the longest module prefix first
            bound = self.bindings.get(".".join(parts[:cut]), {}).get(parts[cut])
            if bound is not None:
                return ".".join([bound, *parts[cut + 1 :]])
        return None


def reexported_names(project: Project) -> ReexportedNames:
    """Return the names the repository's library modules bind by importing (computed once)."""
    found: ReexportedNames = project.fact("names.reexported", _find)
    return found


def resolve_call(project: Project, pf: PythonFile, call: ast.Call) -> str | None:
    """Return a call's qualified name through the file's imports (relative ones too: `from .models import
    load_model`) and then the repository's re-exports. Reads the file's tree: for files a fact singled out."""
    name = pf.call_name(call) or _relative_name(pf, call.func)
    return reexported_names(project).resolve(name) if name is not None else None


def _relative_name(pf: PythonFile, func: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name) or func.id not in pf.from_imports:
        return None
    module, name = pf.from_imports[func.id]
    return ".".join([module, name, *reversed(parts)]) if module else None


def reexported_calls(project: Project, files: list[PythonFile]) -> dict[str, dict[str, str]]:
    """Map each file to the call names (of `first_calls`) that a re-export resolves to another name, and that name;
    files without any are left out (computed once per set of files)."""
    key = "names.reexported_calls:" + ",".join(sorted({pf.kind.value for pf in files}))
    found: dict[str, dict[str, str]] = project.fact(key, lambda p: _reexported_calls(p, files))
    return found


def _reexported_calls(project: Project, files: list[PythonFile]) -> dict[str, dict[str, str]]:
    from mlaudit.rules.security._shared import first_calls  # imports this module

    names = reexported_names(project)
    found: dict[str, dict[str, str]] = {}
    for pf in files if names.bindings else ():
        hidden = {n: names.resolve(n) for n, _ in first_calls(pf) if n.split(".", 1)[0] in names.tops}
        hidden = {n: target for n, target in hidden.items() if target != n}
        if hidden:
            found[pf.path] = hidden
    return found


def _find(project: Project) -> ReexportedNames:
    bindings: dict[str, dict[str, str]] = {}
    for dotted, path in module_paths(project).items():
        pf = project.python.get(path)
        if pf is None or pf.kind is not FileKind.LIBRARY or pf.is_notebook:
            continue
        bound = _bindings(pf, dotted)
        if bound:
            bindings[dotted] = bound
    return ReexportedNames(bindings, frozenset(name.split(".", 1)[0] for name in bindings))


def _bindings(pf: PythonFile, dotted: str) -> dict[str, str]:
    """Map the names a module binds by importing to what they stand for, its relative imports resolved."""
    bound = {name: target for name, target in pf.imports.items() if target != f"{dotted}.{name}"}
    package = dotted.split(".") if pf.path.endswith("__init__.py") else dotted.split(".")[:-1]
    for level, module, names in pf.file_fact(FROM_IMPORTS_FACT, from_imports):
        if level == 0 or level - 1 >= len(package):
            continue  # absolute (in `pf.imports`), or above the top-level package
        base = package[: len(package) - (level - 1)]
        source = ".".join([*base, *([module] if module else [])])
        for name, asname in names:
            if name != "*" and source:
                bound[asname or name] = f"{source}.{name}"
    return {name: target for name, target in bound.items() if target != f"{dotted}.{name}"}
