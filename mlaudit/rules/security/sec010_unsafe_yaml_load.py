"""Provides rule SEC010: yaml.load without a safe loader."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from mlaudit.facts.input_origin import request_derived, user_supplied
from mlaudit.facts.randomness import module_paths
from mlaudit.facts.tested_modules import FROM_IMPORTS_FACT, from_imports
from mlaudit.facts.unsafe_loading import is_opt_out_branch
from mlaudit.model import Severity
from mlaudit.project import Project, PythonFile, is_self, module_name, own_nodes
from mlaudit.registry import Hit, Output, register
from mlaudit.rules.security._shared import SAFE_YAML_LOADERS, CallRule, keyword, place

FULL_YAML_LOADERS = ("FullLoader", "CFullLoader")
# a document made in memory by serialising an object (`yaml.load(repr(config), ...)`) comes from no file or request
IN_MEMORY_DUMPS = frozenset({"yaml.dump", "yaml.dump_all", "yaml.safe_dump"})


@register
class UnsafeYamlLoad(CallRule):
    """Flags `yaml.load` without a safe loader, and `yaml.unsafe_load`.

    ## What it does
    Finds `yaml.load`/`yaml.load_all` calls whose `Loader` is not `SafeLoader`/`CSafeLoader`
    (or is missing), and `yaml.unsafe_load`. A loader held in a local, in an instance attribute set once
    (`self.yaml_loader = self._build_yaml_loader()`) or returned by a helper of the module (`loader =
    yaml.SafeLoader; loader.add_implicit_resolver(...); return loader`) is judged by the loader it holds.
    `FullLoader` is a warning: since PyYAML 5.4 it
    no longer constructs arbitrary objects. A document the code just made from an object in
    memory (`yaml.load(repr(config), ...)`, `yaml.dump(obj)`) is info: no outside input. A document that is a
    command-line argument (`args.override` of `parse_args()`, the `values` an `argparse.Action` is handed) is a
    warning: only whoever types the command chooses what it builds, as for SEC013. A loader
    class (also one defined under the optional import of PyYAML, `if yaml_required: import yaml; class
    OrderedLoader(yaml.SafeLoader)`, or one a module function builds and returns, adding an `!include` tag) is judged by its
    base; a base chosen by a condition (`CSafeLoader if libyaml else FullLoader`) by the least safe one.
    A load reached only when the caller vouches for the file (under `if allow_unsafe:`, or after
    `if not allow_unsafe: raise`, for a parameter defaulting to off) is the explicit opt-in of a helper that
    loads safely by default, as for SEC008 and SEC009: the caller that opts in is the place to judge.
    A loader class imported from another module of the project (`from pkg.utils import StrictKeysLoader`)
    is judged by its base there: a subclass of `SafeLoader` that only adds checks is safe, and so is the class a
    factory imported from another module builds and returns (`Loader=get_yaml_loader()`, defining `class
    ConfigLoader(_Base)` for a `_Base` bound under a top-level `try` to `CSafeLoader`, else `SafeLoader`).

    ## Why is this bad?
    The full loaders construct arbitrary Python objects from tags such as
    `!!python/object/apply:os.system`, so a config file can run code.

    ## Example
    ```python
    cfg = yaml.load(open("config.yaml"), Loader=yaml.Loader)
    ```

    ## Use instead
    ```python
    cfg = yaml.safe_load(open("config.yaml"))
    ```
    """

    code = "SEC010"
    title = "yaml.load without a safe loader"
    practice = "security"
    severity = Severity.ERROR
    fix = "Use yaml.safe_load(...) (or Loader=yaml.SafeLoader)."
    targets = frozenset({"yaml.load", "yaml.load_all", "yaml.unsafe_load", "yaml.unsafe_load_all"})

    def check(self, project: Project) -> Iterator[Output]:
        """Yield the hits of every file, less those whose loader is a project class extending a safe loader, or
        the class a factory function of another project module builds on one."""
        for out in super().check(project):
            pf = project.python.get(out.path) if isinstance(out, Hit) and out.path and out.severity is None else None
            if pf is not None and isinstance(out, Hit) and safe_by_project(project, pf, out.line, out.message):
                continue
            yield out

    def judge(self, pf: PythonFile, call: ast.Call, name: str) -> Hit | None:
        if is_opt_out_branch(pf, call):
            return None  # loaded only when the caller vouches for the file: the caller that opts in is judged
        if name.startswith("yaml.unsafe"):
            return Hit(pf.path, call.lineno, f"{name}() {place(pf, call)}")
        loader = keyword(call, "Loader") or (call.args[1] if len(call.args) > 1 else None)
        loader_name = (pf.qualname(loader) or ast.unparse(loader)) if loader is not None else None
        if isinstance(loader, ast.Name):  # `Loader = yaml.FullLoader` earlier: judged by what it holds
            loader_name = _bound_loader(pf, pf.enclosing_function(call) or pf.tree, loader.id) or loader_name
        elif loader is not None:  # `Loader=self.yaml_loader` set from a helper building it: judged by what it holds
            held = _held_loader(pf, call, loader)
            loader_name = held if held is not None and held.endswith("Loader") else loader_name
        if loader_name is not None and loader_name.endswith(SAFE_YAML_LOADERS):
            return None
        shown = f"Loader={loader_name}" if loader_name else "no Loader"
        if loader_name is not None and loader_name.endswith(FULL_YAML_LOADERS):
            message = f"{name}() with {shown} {place(pf, call)} (no arbitrary objects since PyYAML 5.4; use safe_load)"
            return Hit(pf.path, call.lineno, message, Severity.WARNING)
        if _in_memory_document(pf, call):
            message = (
                f"{name}() with {shown} {place(pf, call)} reads back an object it just serialised (no outside input)"
            )
            return Hit(pf.path, call.lineno, message, Severity.INFO)
        if loader is None:
            why = "a TypeError on PyYAML 6+, and arbitrary Python objects on PyYAML before 5.1"
            return Hit(pf.path, call.lineno, f"{name}() with no Loader {place(pf, call)}: {why}")
        document = call.args[0] if call.args else keyword(call, "stream")
        if document is not None and user_supplied(pf, call, document) and not request_derived(pf, call, document):
            message = (
                f"{name}() with {shown} {place(pf, call)} of a command-line argument: it builds the Python objects "
                "whoever types the command names"
            )
            return Hit(pf.path, call.lineno, message, Severity.WARNING)
        return Hit(pf.path, call.lineno, f"{name}() with {shown} {place(pf, call)}: it builds arbitrary Python objects")


def _in_memory_document(pf: PythonFile, call: ast.Call) -> bool:
    """Return True when the document is `repr(obj)` or `yaml.dump(obj)`, directly or through a local name."""
    document = call.args[0] if call.args else keyword(call, "stream")
    if isinstance(document, ast.Name):
        scope: ast.AST = pf.enclosing_function(call) or pf.tree
        bound = [
            node.value
            for node in ast.walk(scope)
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == document.id for t in node.targets)
        ]
        document = bound[0] if len(bound) == 1 else None
    if not isinstance(document, ast.Call):
        return False
    builtin = isinstance(document.func, ast.Name) and document.func.id == "repr"
    return builtin or (pf.call_name(document) or "") in IN_MEMORY_DUMPS


def _bound_loader(pf: PythonFile, scope: ast.AST, name: str, depth: int = 2) -> str | None:
    """Return the loader a local `name` holds, in a function or the module: the value of
    `loader = yaml.SafeLoader` (or of `loader = make_loader(root)`: what that helper returns, or of
    `loader = ConfigLoader`: what that name holds), or the base of `class ConfigLoader(yaml.SafeLoader)` defined
    there or in the module."""
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            helper = _helper(pf, None, node.value) if isinstance(node.value, ast.Call) and depth else None
            made = _returned_loader(pf, helper, depth - 1) if helper is not None else None
            if made is None and isinstance(node.value, ast.Name) and node.value.id != name and depth:
                made = _bound_loader(pf, scope, node.value.id, depth - 1)  # `loader = ConfigLoader`, a class here
            return made or pf.qualname(node.value) or ast.unparse(node.value)
    for stmt in [*getattr(scope, "body", []), *pf.tree.body, *_guarded_classes(pf)]:
        if isinstance(stmt, ast.ClassDef) and stmt.name == name:
            return _loader_base(pf, stmt)
    return None


def _guarded_classes(pf: PythonFile) -> list[ast.ClassDef]:
    """Return the module's classes defined under an `if` or `try` of its top level (`if yaml_required: import
    yaml; class OrderedLoader(yaml.SafeLoader): ...`), not inside a function or class."""
    return [
        node
        for node in pf.nodes(ast.ClassDef)
        if isinstance(node, ast.ClassDef)
        and isinstance(pf.parent(node), ast.If | ast.Try | ast.TryStar)
        and not any(isinstance(a, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) for a in pf.ancestors(node))
    ]


FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def _held_loader(pf: PythonFile, call: ast.Call, loader: ast.expr) -> str | None:
    """Return the loader an instance attribute or a helper of the module holds: `Loader=self.yaml_loader` with
    `self.yaml_loader = self._build_yaml_loader()` (once in the class) whose body binds `loader = yaml.FullLoader`,
    adds resolvers and returns it, or `Loader=make_loader()`; None when the value cannot be followed."""
    owner = next((a for a in pf.ancestors(call) if isinstance(a, ast.ClassDef)), None)
    if isinstance(loader, ast.Attribute) and is_self(loader.value):
        values = [
            node.value
            for node in ast.walk(owner or pf.tree)
            if isinstance(node, ast.Assign) and any(ast.unparse(t) == f"self.{loader.attr}" for t in node.targets)
        ]
        if len(values) != 1:
            return None
        loader = values[0]
        if not isinstance(loader, ast.Call):
            return pf.qualname(loader) or ast.unparse(loader)
    helper = _helper(pf, owner, loader) if isinstance(loader, ast.Call) and not loader.args else None
    return _returned_loader(pf, helper) if helper is not None else None


def _returned_loader(pf: PythonFile, helper: FunctionNode, depth: int = 1) -> str | None:
    """Return the one loader a helper returns: a loader it binds to a name or a class it defines
    (`class Loader(_Base): ...; return Loader`, judged by its base); None when it returns several (the returns of
    the methods it defines are theirs, not its own)."""
    returned = {
        (_bound_loader(pf, helper, node.value.id, depth) if isinstance(node.value, ast.Name) else None)
        or pf.qualname(node.value)
        or ast.unparse(node.value)
        for node in _own_returns(helper)
        if node.value is not None
    }
    return returned.pop() if len(returned) == 1 else None


def _own_returns(func: FunctionNode) -> Iterator[ast.Return]:
    """Yield the `return` statements of a function itself, not of the functions and classes it defines (the
    methods of `class ConfigLoader(yaml.SafeLoader)` built in a factory return their own values)."""
    return (node for node in own_nodes(func) if isinstance(node, ast.Return))


def _helper(pf: PythonFile, owner: ast.ClassDef | None, call: ast.Call) -> FunctionNode | None:
    """Return the method (`self._build_loader()`) or module function (`make_loader()`) a call runs."""
    func = call.func
    if isinstance(func, ast.Attribute) and is_self(func.value):
        body, name = (owner.body if owner is not None else []), func.attr
    elif isinstance(func, ast.Name):
        body, name = pf.tree.body, func.id
    else:
        return None
    return next((s for s in body if isinstance(s, FunctionNode) and s.name == name), None)


def _loader_base(pf: PythonFile, cls: ast.ClassDef) -> str | None:
    """Return the loader a loader class extends: its safe base if it has one, else its first base; a base chosen by
    a condition counts as the least safe loader it may be."""
    bases = [_weakest(_module_alternatives(pf, b)) for b in cls.bases]
    return next((b for b in bases if b.endswith(SAFE_YAML_LOADERS)), bases[0] if bases else None)


def _module_alternatives(pf: PythonFile, base: ast.expr) -> list[str]:
    """Return what a base names: itself, or each loader a module-level name may hold
    (`_Base = yaml.CSafeLoader if fast else yaml.FullLoader`: both; each value bound under a top-level `try`)."""
    if isinstance(base, ast.Name):
        values = [
            stmt.value
            for stmt in _top_level_statements(pf.tree.body)
            if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == base.id for t in stmt.targets)
        ]
        choices = [c for v in values for c in ([v.body, v.orelse] if isinstance(v, ast.IfExp) else [v])]
        if choices:
            return [pf.qualname(c) or ast.unparse(c) for c in choices]
    return [pf.qualname(base) or ast.unparse(base)]


def _top_level_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Yield a module's top-level statements, also those under its top-level `try` and `if` (`try: from yaml
    import CSafeLoader; _Base = CSafeLoader` / `except ImportError: _Base = yaml.SafeLoader`: each may bind)."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.Try | ast.TryStar):
            blocks = [stmt.body, *(h.body for h in stmt.handlers), stmt.orelse, stmt.finalbody]
        elif isinstance(stmt, ast.If):
            blocks = [stmt.body, stmt.orelse]
        else:
            continue
        for block in blocks:
            yield from _top_level_statements(block)


def _weakest(names: list[str]) -> str:
    """Return the least safe of the loaders a name may hold: an unsafe one, else a full one, else a safe one."""
    unsafe = [n for n in names if not n.endswith(SAFE_YAML_LOADERS) and not n.endswith(FULL_YAML_LOADERS)]
    full = [n for n in names if n.endswith(FULL_YAML_LOADERS)]
    return (unsafe or full or names)[0]


def safe_by_project(project: Project, pf: PythonFile, line: int | None, message: str) -> bool:
    """Return True when the `yaml.load` on `line` (reported with `message`) takes a safe loader another module of
    the project defines: a class imported from it that extends a safe loader, or the class a factory imported from
    it builds on one. Other modules are read only when the message shows a from-imported name building the loader."""
    shown = _SHOWN_LOADER.search(message)
    if shown is None or shown.group(1).rpartition(".")[2] not in _from_imported_names(pf):
        return False  # no imported name builds the loader: no other module to read, no tree to parse
    if shown.group(2):
        return _imported_factory_loader(project, pf, line).endswith(SAFE_YAML_LOADERS)
    safe: frozenset[str] = project.fact("security.safe_yaml_loaders", _project_safe_loaders)
    return bool(safe) and _project_loader(pf, line) in safe


# the loader a message shows: a class (`Loader=pkg.loaders.StrictKeysLoader`) or a factory's call
# (`Loader=get_yaml_loader(max_nodes=...)`, group 2 set)
_SHOWN_LOADER = re.compile(r"\bLoader=([A-Za-z_][\w.]*)(\()?")


def _from_imported_names(pf: PythonFile) -> set[str]:
    """Return the names the module binds by `from ... import`, as imported and as bound (from its per-file fact: a
    cached file is not parsed)."""
    return {
        bound
        for _level, _module, names in pf.file_fact(FROM_IMPORTS_FACT, from_imports)
        for name, asname in names
        for bound in (name, asname or name)
    }


def _project_safe_loaders(project: Project) -> frozenset[str]:
    """Return the dotted names of the module-level loader classes of the project that extend a safe loader."""
    found: set[str] = set()
    for pf in project.python.values():
        if pf.is_notebook or "Loader" not in pf.text:
            continue
        for stmt in pf.tree.body:
            base = _loader_base(pf, stmt) if isinstance(stmt, ast.ClassDef) else None
            if base is not None and base.endswith(SAFE_YAML_LOADERS) and isinstance(stmt, ast.ClassDef):
                found.add(f"{module_name(pf.path)}.{stmt.name}")
    return frozenset(found)


def _project_loader(pf: PythonFile, line: int | None) -> str | None:
    """Return the dotted name an imported loader name stands for in the `yaml.load` call on `line` (relative imports
    resolved), or None."""
    for call in pf.nodes(ast.Call):
        if not isinstance(call, ast.Call) or call.lineno != line:
            continue
        loader = keyword(call, "Loader") or (call.args[1] if len(call.args) > 1 else None)
        if isinstance(loader, ast.Name) and loader.id in pf.from_imports:
            module, name = pf.from_imports[loader.id]
            return f"{module}.{name}"
    return None


def _imported_factory_loader(project: Project, pf: PythonFile, line: int | None) -> str:
    """Return the loader a factory function of another project module returns when the `yaml.load` call on `line`
    takes `Loader=make_loader(...)` and `make_loader` is imported from that module (`from ._yaml import
    get_yaml_loader`, which defines `class ConfigLoader(_Base)` adding constructors and returns it), or ''."""
    for call in pf.nodes(ast.Call):
        if not isinstance(call, ast.Call) or call.lineno != line:
            continue
        loader = keyword(call, "Loader") or (call.args[1] if len(call.args) > 1 else None)
        if not (isinstance(loader, ast.Call) and isinstance(loader.func, ast.Name)):
            continue
        module, name = pf.from_imports.get(loader.func.id, ("", ""))
        source = project.python.get(module_paths(project).get(module, "")) if module else None
        if source is None or source.is_notebook:
            continue
        factory = next((s for s in source.tree.body if isinstance(s, FunctionNode) and s.name == name), None)
        made = _returned_loader(source, factory, depth=2) if factory is not None else None
        return made or ""
    return ""
