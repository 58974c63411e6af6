"""Provides the lazy-exports fact: what a package `__init__` re-exports through lazy_loader, loaded on first access.

`__getattr__, __dir__, __all__ = lazy.attach_stub(__name__, __file__)` re-exports what the `__init__.pyi`
stub beside it imports (`from .spectral import mfcc`); `lazy.attach(__name__, submodules=["io"],
submod_attrs={"spectral": ["mfcc"]})` names them in the call (so does a copy of `attach` vendored into the
`__init__`, called the same way). Either way `pkg.mfcc` is
`pkg.spectral.mfcc` and importing `pkg` makes its submodules reachable, as eager imports would.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.model import FileKind
from mlaudit.project import Project, PythonFile

LAZY_ATTACH_FACT = "lazy.attach"  # a per-file fact (mlaudit.filefacts)

# (stub attached, (name, submodule, name there; "" for the submodule itself) each)
LazyAttach = tuple[bool, tuple[tuple[str, str, str], ...]]

# a `from` import as plain data: level, module, (name, asname) each
FromImport = tuple[int, str | None, tuple[tuple[str, str | None], ...]]

ATTACH_STUB = "lazy_loader.attach_stub"
ATTACH = "lazy_loader.attach"


def lazy_attach(pf: PythonFile) -> LazyAttach:
    """Return whether the module's top level calls `lazy.attach_stub(...)` and the names its `lazy.attach(...)`
    calls bind from submodules (literal `submodules` and `submod_attrs` only; a per-file fact)."""
    stub = False
    found: list[tuple[str, str, str]] = []
    for stmt in pf.tree.body:
        call = stmt.value if isinstance(stmt, ast.Assign | ast.Expr) else None
        if not isinstance(call, ast.Call):
            continue
        name = pf.call_name(call)
        if name == ATTACH_STUB:
            stub = True
        elif name == ATTACH or _vendored_attach(call):
            found.extend(_attached_names(call))
    return stub, tuple(found)


def _vendored_attach(call: ast.Call) -> bool:
    """Return True for a module's own copy of lazy_loader's `attach` (vendored as `_attach`, as several packages do):
    a plain-named function called with `__name__` and the `submodules`/`submod_attrs` keywords."""
    first = call.args[0] if call.args else None
    return (
        isinstance(call.func, ast.Name)
        and isinstance(first, ast.Name)
        and first.id == "__name__"
        and any(kw.arg in ("submodules", "submod_attrs") for kw in call.keywords)
    )


def _attached_names(call: ast.Call) -> Iterator[tuple[str, str, str]]:
    """Yield (name, submodule, name there) for the literal `submodules` and `submod_attrs` of `lazy.attach`."""
    args: dict[str, ast.expr] = dict(zip(("submodules", "submod_attrs"), call.args[1:], strict=False))
    args.update((kw.arg, kw.value) for kw in call.keywords if kw.arg)
    submodules = args.get("submodules")
    if isinstance(submodules, ast.List | ast.Tuple | ast.Set):
        yield from ((sub, sub, "") for sub in _texts(submodules.elts))
    attrs = args.get("submod_attrs")
    if isinstance(attrs, ast.Dict):
        for key, value in zip(attrs.keys, attrs.values, strict=True):
            if isinstance(key, ast.Constant) and isinstance(key.value, str) and isinstance(value, ast.List | ast.Tuple):
                yield from ((name, key.value, name) for name in _texts(value.elts))


def _texts(elts: list[ast.expr]) -> list[str]:
    return [e.value for e in elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]


def lazy_imports(project: Project) -> dict[str, tuple[FromImport, ...]]:
    """Map each package `__init__.py` that attaches lazily to the `from` imports it defers, relative to the
    package as its stub writes them (computed once)."""
    found: dict[str, tuple[FromImport, ...]] = project.fact("lazy.imports", _find)
    return found


def _find(project: Project) -> dict[str, tuple[FromImport, ...]]:
    found: dict[str, tuple[FromImport, ...]] = {}
    for path, pf in project.python.items():
        if not path.endswith("__init__.py") or pf.kind is not FileKind.LIBRARY or pf.is_notebook:
            continue
        stub, attached = pf.file_fact(LAZY_ATTACH_FACT, lazy_attach)
        imports = [*(_stub_imports(project, path) if stub else ())]
        for name, submodule, original in attached:
            imports.append((1, submodule, ((original, None),)) if original else (1, None, ((name, None),)))
        if imports:
            found[path] = tuple(imports)
    return found


def _stub_imports(project: Project, init: str) -> tuple[FromImport, ...]:
    """Return the `from` imports of the `__init__.pyi` stub beside `init` (none when absent or unparsable)."""
    text = project.text(init + "i")
    if text is None:
        return ()
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return ()
    return tuple(
        (node.level, node.module, tuple((alias.name, alias.asname) for alias in node.names))
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
    )


def as_statement(found: FromImport) -> ast.ImportFrom:
    """Return a deferred import as the `from` statement it stands for (to resolve like the file's own)."""
    level, module, names = found
    return ast.ImportFrom(module=module, names=[ast.alias(name, asname) for name, asname in names], level=level)
