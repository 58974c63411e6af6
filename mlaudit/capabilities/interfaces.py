"""Provides the capabilities of the `interfaces` practice: swappable parts behind shared contracts."""

from __future__ import annotations

import ast
from collections import defaultdict

from mlaudit.capabilities import Assessment, Capability, register_capability
from mlaudit.capabilities._common import code_files, ratio, share_text
from mlaudit.practices.interfaces import (
    ClassInfo,
    classes_of,
    component_groups,
    fully_typed,
    without_interface,
)
from mlaudit.project import Project, PythonFile

TYPED_DECORATORS = frozenset({"dataclass", "define", "frozen", "attrs", "s", "mutable", "dataclasses"})
TYPED_BASES = frozenset({"BaseModel", "BaseSettings", "NamedTuple", "TypedDict", "Struct"})
FACTORY_PREFIXES = ("create_", "build_", "make_", "get_", "instantiate", "load_")
INJECTORS = frozenset({"fastapi.Depends", "hydra.utils.instantiate", "hydra.utils.call", "dependency_injector"})


def _families(classes: dict[str, list[ClassInfo]]) -> dict[str, list[ClassInfo]]:
    """Return repo base classes that two or more repo classes derive from, by base name."""
    children: dict[str, list[ClassInfo]] = defaultdict(list)
    for infos in classes.values():
        for info in infos:
            for base in set(info.bases):
                if base in classes and base != info.name:
                    children[base].append(info)
    return {base: kids for base, kids in children.items() if len(kids) >= 2}


@register_capability
class SharedBases(Capability):
    """Interchangeable components share a repo base class, ABC or Protocol (families of two or more
    implementations, against groups of look-alike classes that share nothing)."""

    key = "shared_bases"
    practice = "interfaces"
    title = "Swappable parts share a base class or Protocol"
    points = 30

    def assess(self, project: Project) -> Assessment:
        classes = classes_of(project)
        families = _families(classes)
        loose = [g for g in component_groups(classes).values() if without_interface(g, classes)]
        if not families:
            detail = f"; {len(loose)} groups of look-alike classes share nothing" if loose else ""
            return Assessment.missing(f"No repo base class, ABC or Protocol with two or more implementations{detail}")
        base, kids = max(families.items(), key=lambda item: len(item[1]))
        info = classes[base][0]
        sentence = f"{len(families)} base classes with several implementations, e.g. {base} ({info.path}:{info.line}) with {len(kids)}"
        if loose:
            sentence += f"; {len(loose)} groups of look-alike classes share no base"
        share = min(1.0, len(families) / 2) * (len(families) / (len(families) + len(loose)))
        return Assessment.partly(share, sentence, info.path, info.line)


@register_capability
class ExplicitContracts(Capability):
    """The contract of a swappable part is explicit: an ABC with abstract methods, a Protocol, or base
    methods that raise NotImplementedError."""

    key = "explicit_contracts"
    practice = "interfaces"
    title = "Explicit interface contracts"
    points = 15

    def assess(self, project: Project) -> Assessment:
        classes = classes_of(project)
        for infos in sorted(classes.values(), key=lambda i: (i[0].path, i[0].line)):
            for info in infos:
                if info.is_interface:
                    return Assessment.earned(f"interface {info.name} at {info.path}:{info.line}", info.path, info.line)
        found = _not_implemented_base(project)
        if found:
            return Assessment.earned(found)
        return Assessment.missing("No ABC, Protocol or abstract base method defines a component contract")


def _not_implemented_base(project: Project) -> str | None:
    for pf in code_files(project):
        for node in pf.nodes(ast.Raise):
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id == "NotImplementedError":
                func = pf.enclosing_function(node)
                owner = pf.parent(func) if func is not None else None
                if isinstance(owner, ast.ClassDef) and func is not None:
                    return (
                        f"base method {owner.name}.{func.name} raises NotImplementedError at {pf.location(node.lineno)}"
                    )
    return None


@register_capability
class RegistryOrFactory(Capability):
    """Components are created in one place: a registry filled by a decorator, a factory over a name
    mapping, config-driven instantiation, or dependency injection."""

    key = "registry_or_factory"
    practice = "interfaces"
    title = "Registry, factory or injection"
    points = 20

    def assess(self, project: Project) -> Assessment:
        for pf in code_files(project):
            found = _registry_decorator(pf) or _injection(pf) or _mapping_factory(pf)
            if found:
                return Assessment.earned(found, pf.path)
        return Assessment.missing("No registry, factory or dependency injection: components are built ad hoc")


def _registry_decorator(pf: PythonFile) -> str | None:
    for node in pf.nodes(ast.FunctionDef):
        if node.name.startswith(("register", "_register")) and pf.enclosing_function(node) is None:
            return f"registry decorator {node.name}() at {pf.location(node.lineno)}"
    return None


def _injection(pf: PythonFile) -> str | None:
    for call in pf.nodes(ast.Call):
        name = pf.call_name(call) or ""
        if name in INJECTORS or name.endswith(".instantiate_from_config"):
            return f"{name.rsplit('.', 1)[-1]}() at {pf.location(call.lineno)} builds components"
        if isinstance(call.func, ast.Name) and call.func.id == "instantiate_from_config":
            return f"instantiate_from_config() at {pf.location(call.lineno)} builds components from config"
    return None


def _mapping_factory(pf: PythonFile) -> str | None:
    """Return a factory function that looks a class up in a name mapping (`MODELS[name](...)`)."""
    for call in pf.nodes(ast.Call):
        if isinstance(call.func, ast.Subscript) and isinstance(call.func.value, ast.Name | ast.Attribute):
            func = pf.enclosing_function(call)
            if func is not None and func.name.startswith(FACTORY_PREFIXES):
                return f"factory {func.name}() at {pf.location(func.lineno)} picks a class from a mapping"
    return None


@register_capability
class TypedDataObjects(Capability):
    """Data passed between parts travels in typed objects (dataclass, pydantic, attrs, NamedTuple,
    TypedDict), not loose dicts; three or more earn it fully."""

    key = "typed_data_objects"
    practice = "interfaces"
    title = "Typed data objects"
    points = 20

    def assess(self, project: Project) -> Assessment:
        found: list[str] = []
        for pf in code_files(project):
            for node in pf.nodes(ast.ClassDef):
                if _is_typed(node):
                    found.append(f"{node.name} ({pf.location(node.lineno)})")
        if not found:
            return Assessment.missing(
                "No dataclass, pydantic model, NamedTuple or TypedDict carries data between parts"
            )
        return Assessment.partly(len(found) / 3, f"{len(found)} typed data classes, e.g. {', '.join(found[:2])}")


def _is_typed(node: ast.ClassDef) -> bool:
    names: set[str] = set()
    for expr in [*node.decorator_list, *node.bases]:
        target = expr.func if isinstance(expr, ast.Call) else expr
        names.add(target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", ""))
    return bool(names & (TYPED_DECORATORS | TYPED_BASES))


@register_capability
class TypedPublicApi(Capability):
    """Public functions and methods declare their types, so callers see the contract (80% earns it fully)."""

    key = "typed_public_api"
    practice = "interfaces"
    title = "Typed public signatures"
    points = 15

    def assess(self, project: Project) -> Assessment:
        total = typed = 0
        for pf in code_files(project):
            for func in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
                if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                if func.name.startswith("_") and func.name != "__call__":
                    continue
                owner = pf.parent(func)
                if not isinstance(owner, ast.Module | ast.ClassDef):
                    continue
                total += 1
                typed += fully_typed(func)
        if not total:
            return Assessment.missing("No public functions or methods")
        return Assessment.partly(
            ratio(typed / total, 0.0, 0.8), f"{share_text(typed, total)} public functions and methods fully typed"
        )
