"""Provides the package-roots fact: the folders top-level packages live in.

The repository root and `src/` always count; packaging metadata may name another folder
(`package_dir={"": "lib/python"}`, `find_packages(where="lib")`, setup.cfg `package_dir = =lib`,
`[tool.setuptools.packages.find] where = ["lib"]`, poetry `from = "lib"`): a package there is as
importable once installed as one in `src/`. In a repository of several projects, each folder with
its own packaging metadata (`analyzer/pyproject.toml` naming a project) is the root of that project,
as is its `src/`.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from collections.abc import Iterator
from typing import Any

from mlaudit.facts.distributions import module_value, setup_arguments
from mlaudit.project import Project, PythonFile, module_name
from mlaudit.readers import ini_file, pyproject, toml_file

DEFAULT_ROOTS = ("", "src")
FIND_CALLS = frozenset({"find_packages", "find_namespace_packages"})
# Folders whose own metadata is teaching material or a fixture, not a project of the repository.
NOT_PROJECTS = frozenset(
    {"docs", "doc", "examples", "example", "samples", "sample", "tutorials", "tests", "test", "testing", "fixtures"}
)


def package_roots(project: Project) -> tuple[str, ...]:
    """Return the folders whose sub-folders are top-level packages ("" is the repository root), computed once."""
    roots: tuple[str, ...] = project.fact("package_roots", _roots)
    return roots


def namespace_roots(project: Project) -> frozenset[str]:
    """Return the namespace packages among the package roots (`llama_index/`, whose `core/` installs as
    `llama_index.core`): a package below one is imported by the dotted name, computed once."""
    found: frozenset[str] = project.fact("package_roots.namespaces", _namespaces)
    return found


def _namespaces(project: Project) -> frozenset[str]:
    return frozenset(_namespace_roots(project, list(_plain_roots(project))))


def _roots(project: Project) -> tuple[str, ...]:
    roots = list(_plain_roots(project))
    return tuple(dict.fromkeys([*roots, *namespace_roots(project)]))


def _plain_roots(project: Project) -> tuple[str, ...]:
    """Return the default roots, those the packaging metadata names and those of nested projects."""
    declared = [*_setup_py_roots(project), *_setup_cfg_roots(project), *_pyproject_roots(pyproject(project))]
    cleaned = (_clean(r) for r in declared)
    nested = [folder for path in subprojects(project) for folder in _project_roots(project, path)]
    return tuple(dict.fromkeys([*DEFAULT_ROOTS, *(r for r in cleaned if r is not None), *nested]))


def _namespace_roots(project: Project, roots: list[str]) -> Iterator[str]:
    """Yield the namespace packages the packaging metadata names (`src/pyannote/` holding only packages such as
    `audio/__init__.py`, no `__init__.py` of its own, and `pyannote` in pyproject.toml or setup.py): each of
    their sub-packages installs as `pyannote.audio`, so the namespace folder is a root of packages. A folder with
    modules of its own is one only when the metadata asks for namespace packages (`find_namespace_packages()`);
    otherwise it is a package whose `__init__.py` is missing."""
    metadata = " ".join(project.text(p) or "" for p in ("pyproject.toml", "setup.cfg"))
    metadata += project.python["setup.py"].text if "setup.py" in project.python else ""
    if not metadata:
        return
    paths = [f.path for f in project.files if f.path.endswith(".py")]
    for root in roots:
        prefix = f"{root}/" if root else ""
        children = {
            p[len(prefix) :].split("/", 1)[0] for p in paths if p.startswith(prefix) and "/" in p[len(prefix) :]
        }
        for child in sorted(children):
            folder = f"{prefix}{child}"
            inside = [p[len(folder) + 1 :] for p in paths if p.startswith(folder + "/")]
            packages = [p for p in inside if p.count("/") == 1 and p.endswith("/__init__.py")]
            loose = [p for p in inside if "/" not in p]
            named = re.search(rf"(?<![\w-]){re.escape(child)}(?![\w-])", metadata)
            if packages and (not loose or NAMESPACE_DISCOVERY.search(metadata)) and named:
                yield folder


# Metadata that asks setuptools for PEP 420 namespace packages: a folder it names needs no `__init__.py`, and its
# own modules (`merlion/plot.py` beside `merlion/models/`) import as `merlion.plot`.
NAMESPACE_DISCOVERY = re.compile(r"find_namespace_packages\s*\(|find_namespace:|namespaces\s*=\s*true", re.I)


def subprojects(project: Project) -> tuple[str, ...]:
    """Return the `pyproject.toml` files below the root that declare a project of their own (`[project]` or
    `[tool.poetry]` with a name), outside documentation, example and test folders, computed once."""
    found: tuple[str, ...] = project.fact("package_roots.subprojects", _subprojects)
    return found


def _subprojects(project: Project) -> tuple[str, ...]:
    found: list[str] = []
    for source in project.files:
        parts = source.path.split("/")
        if len(parts) < 2 or parts[-1] != "pyproject.toml":
            continue
        if any(p.startswith(".") or p.lower() in NOT_PROJECTS for p in parts[:-1]):
            continue
        table = toml_file(project, source.path).table
        meta = table.get("project")
        tool = table.get("tool")
        poetry = tool.get("poetry") if isinstance(tool, dict) else None
        named = (isinstance(meta, dict) and meta.get("name")) or (isinstance(poetry, dict) and poetry.get("name"))
        if named:
            found.append(source.path)
    return tuple(sorted(found))


def _project_roots(project: Project, path: str) -> Iterator[str]:
    """Yield the package roots of a subproject: its folder, its `src/`, and any folder its metadata names."""
    folder = path.rsplit("/", 1)[0]
    yield folder
    yield f"{folder}/src"
    for declared in _pyproject_roots(toml_file(project, path).table):
        cleaned = _clean(f"{folder}/{declared}")
        if cleaned is not None:
            yield cleaned


def _clean(folder: str) -> str | None:
    """Return a repository-relative folder, or None for anything that leaves the tree."""
    parts = [p for p in folder.strip().replace("\\", "/").split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return None
    return "/".join(parts)


def _setup_py_roots(project: Project) -> Iterator[str]:
    pf = project.python.get("setup.py")
    if pf is None:
        return
    for call in pf.nodes(ast.Call):
        if not isinstance(call, ast.Call):
            continue
        name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")
        if name in FIND_CALLS:
            where = call.args[0] if call.args else _keyword(call, "where")
            text = _literal(pf, where)
            if text is not None:
                yield text
        for keyword in call.keywords:
            if keyword.arg == "package_dir":
                yield from _root_entry(pf, keyword.value)


def root_package(project: Project) -> str | None:
    """Return the package name the packaging metadata maps to the repository root itself
    (`package_dir={"facenet_pytorch": "."}` in setup.py, `[tool.setuptools.package-dir]`, setup.cfg
    `package_dir`): the root folder is that package once installed (computed once)."""
    found: str | None = project.fact("package_roots.root_package", _root_package)
    return found


def _root_package(project: Project) -> str | None:
    entries = [*_setup_py_package_dirs(project), *_setup_cfg_package_dirs(project), *_pyproject_package_dirs(project)]
    return next((name for name, folder in entries if name and _clean(folder) == ""), None)


def mapped_packages(project: Project) -> frozenset[str]:
    """Return the top-level packages the packaging metadata maps to a folder of another name
    (`package_dir={"openvino_telemetry": "src"}`, `[tool.setuptools.package-dir] mypkg = "lib/core"`):
    once installed, the folder's code is imported by that name, so the name is the repository's own
    (computed once)."""
    found: frozenset[str] = project.fact("package_roots.mapped_packages", _mapped_packages)
    return found


def _mapped_packages(project: Project) -> frozenset[str]:
    entries = [*_setup_py_package_dirs(project), *_setup_cfg_package_dirs(project), *_pyproject_package_dirs(project)]
    folders = {source.path.rsplit("/", 1)[0] if "/" in source.path else "" for source in project.python.values()}
    found: set[str] = set()
    for name, folder in entries:
        cleaned = _clean(folder)
        if name and cleaned is not None and (cleaned in folders or any(f.startswith(f"{cleaned}/") for f in folders)):
            found.add(name.split(".", 1)[0])
    return frozenset(found)


def _setup_py_package_dirs(project: Project) -> Iterator[tuple[str, str]]:
    pf = project.python.get("setup.py")
    if pf is None or "package_dir" not in pf.text:
        return
    for call in pf.nodes(ast.Call):
        for keyword in call.keywords if isinstance(call, ast.Call) else ():
            if keyword.arg == "package_dir" and isinstance(keyword.value, ast.Dict):
                for key, value in zip(keyword.value.keys, keyword.value.values, strict=True):
                    name, folder = _literal(pf, key), _literal(pf, value)
                    if name is not None and folder is not None:
                        yield name, folder


def _setup_cfg_package_dirs(project: Project) -> Iterator[tuple[str, str]]:
    parser = ini_file(project, "setup.cfg").parser
    if parser is not None and parser.has_section("options"):
        for line in parser["options"].get("package_dir", "").splitlines():
            key, equals, value = line.partition("=")
            if equals:
                yield key.strip(), value.strip()


def _pyproject_package_dirs(project: Project) -> Iterator[tuple[str, str]]:
    tool = pyproject(project).get("tool")
    setuptools = tool.get("setuptools") if isinstance(tool, dict) else None
    package_dir = setuptools.get("package-dir") if isinstance(setuptools, dict) else None
    for name, folder in package_dir.items() if isinstance(package_dir, dict) else ():
        if isinstance(folder, str):
            yield str(name), folder


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _literal(pf: PythonFile, node: ast.expr | None) -> str | None:
    """Return a string literal, or the literal a module-level name is bound to."""
    if isinstance(node, ast.Name):
        name = node.id
        for stmt in pf.tree.body:
            if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets):
                node = stmt.value
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _root_entry(pf: PythonFile, node: ast.expr) -> Iterator[str]:
    """Yield the folder `package_dir` maps the root package ("") to."""
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and key.value == "":
                text = _literal(pf, value)
                if text is not None:
                    yield text


def _setup_cfg_roots(project: Project) -> Iterator[str]:
    parser = ini_file(project, "setup.cfg").parser
    if parser is None:
        return
    if parser.has_section("options"):
        for line in parser["options"].get("package_dir", "").splitlines():
            key, _, value = line.partition("=")
            if _ and not key.strip():
                yield value
    if parser.has_section("options.packages.find"):
        where = parser["options.packages.find"].get("where")
        if where:
            yield where


def _pyproject_roots(data: dict[str, Any]) -> Iterator[str]:
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    setuptools = tool.get("setuptools") if isinstance(tool, dict) else None
    if isinstance(setuptools, dict):
        package_dir = setuptools.get("package-dir")
        if isinstance(package_dir, dict) and isinstance(package_dir.get(""), str):
            yield package_dir[""]
        packages = setuptools.get("packages")
        find = packages.get("find") if isinstance(packages, dict) else None
        where = find.get("where") if isinstance(find, dict) else None
        yield from (w for w in (where if isinstance(where, list) else [where]) if isinstance(w, str))
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    for entry in poetry.get("packages", []) if isinstance(poetry, dict) else []:
        if isinstance(entry, dict) and isinstance(entry.get("from"), str):
            yield entry["from"]


# folders under src/ that hold no package's modules: tests, docs, examples, scripts
SRC_NOT_PACKAGES = frozenset(
    {"tests", "test", "docs", "doc", "examples", "example", "scripts", "benchmarks", "bench", "notebooks"}
)


def src_namespace_packages(project: Project) -> frozenset[str]:
    """Return the folders `src/<name>/` holding Python modules but no `__init__.py` that setuptools installs as
    packages anyway: pyproject.toml declares a `[project]` built by setuptools and configures no package list
    (`[tool.setuptools] packages`/`package-dir`, a setup.py or setup.cfg `[options]`), so its automatic discovery
    of a src layout finds PEP 420 namespace packages too (`src/f5_tts/api.py` installs as `f5_tts.api`)."""
    found: frozenset[str] = project.fact("layout.src_namespace_packages", _src_namespace_packages)
    return found


def _src_namespace_packages(project: Project) -> frozenset[str]:
    data = pyproject(project)
    build = data.get("build-system")
    backend = build.get("build-backend") if isinstance(build, dict) else None
    if not isinstance(data.get("project"), dict) or not (isinstance(backend, str) and "setuptools" in backend):
        return frozenset()
    tool = data.get("tool")
    configured = tool.get("setuptools") if isinstance(tool, dict) else None
    if isinstance(configured, dict) and {"packages", "package-dir", "py-modules"} & configured.keys():
        return frozenset()
    if "setup.py" in project.python or ini_file(project, "setup.cfg").section("options") is not None:
        return frozenset()
    names = {
        parts[1]
        for f in project.files
        if f.path.endswith(".py") and (parts := f.path.split("/"))[0] == "src" and len(parts) >= 3
    }
    return frozenset(
        f"src/{name}"
        for name in names
        if name.isidentifier() and name not in SRC_NOT_PACKAGES and f"src/{name}/__init__.py" not in project.python
    )


def declares_package_data(project: Project, path: str) -> bool:
    """Return True when the packaging metadata declares the file as package data: a setup.py `package_data`
    (`{"pkg.resources": ["*.json"]}`) or pyproject `[tool.setuptools.package-data]` glob matching it, by the
    package holding it (or "" / "*" for every package)."""
    declared: tuple[tuple[str, str], ...] = project.fact("package_roots.package_data", _package_data)
    folder, _, name = path.rpartition("/")
    parts = module_name(f"{folder}/__init__.py").split(".") if folder else []
    for package, pattern in declared:
        if package in ("", "*"):
            if fnmatch.fnmatch(name, pattern):
                return True
            continue
        owner = package.split(".")
        if parts[: len(owner)] == owner and fnmatch.fnmatch("/".join([*parts[len(owner) :], name]), pattern):
            return True
    return False


def _package_data(project: Project) -> tuple[tuple[str, str], ...]:
    return (*_setup_py_package_data(project), *_pyproject_package_data(project))


def _setup_py_package_data(project: Project) -> Iterator[tuple[str, str]]:
    pf = project.python.get("setup.py")
    if pf is None or "package_data" not in pf.text:
        return
    for key, value in setup_arguments(pf):
        mapping = module_value(pf, value) if key == "package_data" else None
        for package, patterns in (
            zip(mapping.keys, mapping.values, strict=True) if isinstance(mapping, ast.Dict) else ()
        ):
            name = _literal(pf, package)
            globs = module_value(pf, patterns)
            for pattern in globs.elts if isinstance(globs, ast.List | ast.Tuple) and name is not None else ():
                text = _literal(pf, pattern)
                if text is not None and name is not None:
                    yield name, text


def _pyproject_package_data(project: Project) -> Iterator[tuple[str, str]]:
    tool = pyproject(project).get("tool")
    setuptools = tool.get("setuptools") if isinstance(tool, dict) else None
    package_data = setuptools.get("package-data") if isinstance(setuptools, dict) else None
    for package, patterns in package_data.items() if isinstance(package_data, dict) else ():
        for pattern in patterns if isinstance(patterns, list) else ():
            if isinstance(pattern, str):
                yield str(package), pattern
