"""Provides the capabilities of the `layout` practice: an installable package, tests beside it, thin notebooks."""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace

from mlaudit.capabilities import Assessment, Capability, register_capability
from mlaudit.capabilities._common import line_of, located, ratio, table, toml_of
from mlaudit.facts.distributions import (
    aliases_of,
    candidate_distributions,
    module_value,
    parse_requirement,
    preferred_distribution,
    requirement_literals,
)
from mlaudit.facts.kind import package_code_lines
from mlaudit.facts.package_roots import namespace_roots, subprojects
from mlaudit.facts.test_suite import suite_of
from mlaudit.model import FileKind
from mlaudit.project import Project, PythonFile
from mlaudit.readers import metadata_readme
from mlaudit.rules.dependencies._shared import _mapping_pairs, declared_dependencies, used_imports
from mlaudit.rules.layout._shared import README_NAMES, _in_package, _loose_root_scripts, _top_packages, package_dirs

NO_PACKAGE = "No importable package (expected <pkg>/__init__.py or src/<pkg>/__init__.py)"
ROOT_SCRIPTS_OK = 6
ROOT_SCRIPTS_BAD = 20
# `import utils` resolves to whichever installed project's utils comes first on sys.path.
GENERIC_PACKAGE_NAMES = frozenset(
    {"utils", "util", "models", "model", "data", "lib", "common", "helpers", "core", "tools", "modules", "layers"}
)
GENERIC_SHARE = 0.5
METADATA_FILES = frozenset({"pyproject.toml", "setup.py", "setup.cfg"})
MIN_IMPORTS_JUDGED = 4  # fewer imported packages say little about a stub
STUB_SHARE = 0.5  # credit kept by metadata naming under a third of what the package imports when loaded


def _package_share(project: Project) -> tuple[float, list[str]]:
    """Return the share of library code lines inside a package, and the top-level packages.

    The lines of a literal data table (`C6 = [0.30267E+01, 0.1E+01, ...]` over thousands of lines) are data
    kept in a module, not code lines (`count_code_lines`): they weigh nothing on either side.
    """
    packages = package_dirs(project)
    tops = _top_packages(project)
    files = project.python_of(FileKind.LIBRARY, FileKind.SCRIPT)
    lines = {pf.path: pf.code_lines for pf in files}
    total = sum(lines.values())
    inside = sum(count for path, count in lines.items() if _in_package(path, packages))
    return (inside / total if total else 0.0), tops


def _namespace_package(project: Project) -> str | None:
    """Return a folder without `__init__.py` used as a package: imported by dotted name or with relative imports."""
    files = project.python_of(FileKind.LIBRARY, FileKind.SCRIPT)
    folders = {pf.path.split("/", 1)[0] for pf in files if "/" in pf.path}
    for pf in sorted(files, key=lambda p: p.path):
        top = pf.path.split("/", 1)[0]
        if top in folders and f"{top}/__init__.py" not in project.python:
            relative = next((n for n in pf.nodes(ast.ImportFrom) if n.level > 0), None)
            if relative is not None:
                return f"{pf.location(relative.lineno)} imports relatively inside the namespace folder {top}/"
        for module in sorted(pf.imported_modules):
            head = module.split(".", 1)[0]
            if "." in module and head in folders and f"{head}/__init__.py" not in project.python:
                return f"{pf.path} imports {module} from the namespace folder {head}/"
    return None


def _generic_name(project: Project, top: str) -> bool:
    """Return True for a top-level package named like every project's helpers (`utils/`); one inside a
    namespace package (`llama_index/core/`, imported as `llama_index.core`) is named by its namespace."""
    parent, _, name = top.rpartition("/")
    return name.lower() in GENERIC_PACKAGE_NAMES and parent not in namespace_roots(project)


@register_capability
class ImportablePackage(Capability):
    """The code lives in an importable package (`<pkg>/__init__.py` or `src/<pkg>/`, also without `__init__.py`
    where setuptools' automatic discovery installs it as a namespace package); the share of code
    lines inside packages counts, so one package beside a pile of scripts earns part, and a namespace
    folder imported by dotted name earns half, as do packages with only generic names (`utils/`,
    `models/`), which collide with other projects' packages once installed."""

    key = "importable_package"
    practice = "layout"
    title = "Code in an importable package"
    points = 30

    def assess(self, project: Project) -> Assessment:
        share, tops = _package_share(project)
        if not tops:
            namespace = _namespace_package(project)
            if namespace:
                return Assessment.partly(0.5, f"{namespace}; no __init__.py makes it a regular package")
            return Assessment.missing(NO_PACKAGE)
        main = min(tops, key=lambda top: (-package_code_lines(project, top), top))  # the package with most code
        init = f"{main}/__init__.py"
        holds = f"and {len(tops) - 1} more hold" if len(tops) > 1 else "holds"
        sentence = f"package {main}/ ({init}) {holds} {share:.0%} of the code lines"
        if init not in project.python:  # `src/<name>/` installed by setuptools' discovery of namespace packages
            init = main
            sentence = f"namespace package {main}/, installed by setuptools' src-layout discovery, {holds} {share:.0%} of the code lines"
        generic = [top for top in tops if _generic_name(project, top)]
        if len(generic) == len(tops):
            listed = ", ".join(f"{top}/" for top in generic[:3])
            return Assessment.partly(
                GENERIC_SHARE * ratio(share, 0.2, 0.8),
                f"{sentence}, but only generic top-level names ({listed}) that clash with other projects' "
                "packages once installed; nest them under one package named for the project",
                init,
            )
        return Assessment.partly(ratio(share, 0.2, 0.8), sentence, init)


@register_capability
class PackagingMetadata(Capability):
    """Packaging metadata makes the code installable: pyproject.toml `[project]` (full), setup.py/setup.cfg (most).

    Metadata whose written-out requirement list names under a third of the packages the
    package's modules import at load time is a stub (`install_requires=["torch"]` for a package
    importing ten): it earns half, since the installed package cannot import itself. An import counts as named
    as the dependencies practice reads it (`dtw-python` provides dtw; `import whisper` pairs with an otherwise
    unimported `openai-whisper`). A package the
    metadata names in an extra (`[project.optional-dependencies]`, `extras_require`) counts as named:
    the modules importing it are that extra's (`envs/mujoco/` with `pip install pkg[mujoco]`,
    `automl = ["lightgbm", ...]`); test and dev extras do not.
    """

    key = "packaging_metadata"
    practice = "layout"
    title = "Packaging metadata"
    points = 20

    def assess(self, project: Project) -> Assessment:
        found = _declared_package(project)
        coverage = _metadata_coverage(project) if found.share else None
        if coverage is None or coverage[0] * 3 >= coverage[1]:
            return found
        covered, total, example = coverage
        return replace(
            found,
            share=found.share * STUB_SHARE,
            evidence=f"{found.evidence}, but its requirements name only {covered} of the {total} packages the "
            f"package imports when loaded (missing e.g. {example}): installed, it cannot import itself",
        )


def _declared_package(project: Project) -> Assessment:
    data = toml_of(project, "pyproject.toml")
    poetry = table(table(data.get("tool")).get("poetry"))
    if table(data.get("project")).get("name") or poetry.get("name"):
        line = line_of(project.text("pyproject.toml"), "[project]") or line_of(
            project.text("pyproject.toml"), "[tool.poetry]"
        )
        return Assessment.earned(f"{located('pyproject.toml', line)} declares the package", "pyproject.toml", line)
    present = []
    for path in ("setup.cfg", "setup.py"):
        text = project.text(path) or (project.python[path].text if path in project.python else "")
        if text and "name" in text and ("packages" in text or "install_requires" in text or "py_modules" in text):
            return Assessment.partly(0.75, f"{path} declares the package (setuptools)", path)
        if text:
            present.append(path)
    nested = subprojects(project)
    if nested:  # a repository of several projects, each with its own metadata
        more = f" (and {len(nested) - 1} more projects)" if len(nested) > 1 else ""
        line = line_of(project.text(nested[0]), "[project]") or line_of(project.text(nested[0]), "[tool.poetry]")
        return Assessment.earned(f"{located(nested[0], line)} declares a project{more}", nested[0], line)
    if present:  # a setup.cfg holding only tool settings ([flake8]) does not hide a setup.py
        return Assessment.partly(0.3, f"{present[0]} exists but declares no packages or requirements", present[0])
    return Assessment.missing("No packaging metadata (expected pyproject.toml with a [project] table)")


def _metadata_coverage(project: Project) -> tuple[int, int, str] | None:
    """Return (packages named, packages imported, one left out) for the package modules' load-time imports
    against the metadata's own requirement list and its optional extras (a module of an optional feature,
    `mylib/types/airports.py` importing the `airports` extra's package, needs it only when that feature is
    installed); None when the list is not written out there (read from a file) or too short to judge."""
    named = _core_requirements(project)
    if not named:
        return None
    named |= _extra_requirements(project)
    packages = package_dirs(project)
    library = {pf.path for pf in project.python_of(FileKind.LIBRARY)}  # a tests/ package is not installed code
    uses = [u for u in used_imports(project) if not u.optional and u.path in library and _in_package(u.path, packages)]
    load_time = {path: _load_time_import_lines(project, path) for path in {u.path for u in uses}}
    imported = sorted({u.module.split(".")[0] for u in uses if u.line in load_time[u.path]})
    if len(imported) < MIN_IMPORTS_JUDGED:
        return None
    provided = named.union(*(aliases_of(name) for name in named))  # `dtw-python` provides dtw
    paired, _ = _mapping_pairs(project)  # `whisper` under declared openai-whisper, as the dependencies practice reads
    missing = [
        m for m in imported if not candidate_distributions(m) & provided and preferred_distribution(m) not in paired
    ]
    return len(imported) - len(missing), len(imported), (missing or ["-"])[0]


METADATA_FILES = frozenset({"pyproject.toml", "setup.py", "setup.cfg"})


def _extra_requirements(project: Project) -> frozenset[str]:
    """Return the distributions the root metadata's extras name (`pip install flaml[automl]`), test and dev extras
    left out: a package split into optional parts declares what each part imports there."""
    return frozenset(
        r.name
        for r in declared_dependencies(project).requirements
        if r.extra and not r.dev and r.path in METADATA_FILES
    )


def _core_requirements(project: Project) -> frozenset[str]:
    """Return the distributions the metadata itself lists as always required (no extras), written out literally.

    Empty when the list is read from a file or computed, or when there is no such metadata.
    """
    data = toml_of(project, "pyproject.toml")
    meta = table(data.get("project"))
    if meta.get("name"):
        deps = meta.get("dependencies")
        dynamic = meta.get("dynamic")
        if (isinstance(dynamic, list) and "dependencies" in dynamic) or not isinstance(deps, list):
            return frozenset()
        return frozenset(_names(d for d in deps if isinstance(d, str)))
    setup = project.python.get("setup.py")
    for call in setup.nodes(ast.Call) if setup is not None else ():
        for keyword in call.keywords:
            value = module_value(setup, keyword.value) if setup is not None else keyword.value
            if keyword.arg == "install_requires" and isinstance(value, ast.List | ast.Tuple):
                items = [e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
                if len(items) == len(value.elts):
                    return frozenset(_names(items))
            if keyword.arg == "install_requires" and setup is not None and isinstance(value, ast.Name):
                # a list built in steps (`install = []`, `install += core`): every literal it gathers
                return frozenset(_names(str(c.value) for c in requirement_literals(setup, keyword.value)))
    return frozenset()


def _names(specs: Iterable[str]) -> Iterator[str]:
    for spec in specs:
        parsed = parse_requirement(spec)
        if parsed is not None:
            yield parsed[0]


TOP_IMPORTS_FACT = "layout.top_level_import_lines"  # a per-file fact (mlaudit.filefacts)


def top_level_import_lines(pf: PythonFile) -> frozenset[int]:
    """Return the lines of a module's top-level imports: run whenever the package is imported."""
    return frozenset(s.lineno for s in pf.tree.body if isinstance(s, ast.Import | ast.ImportFrom))


def _load_time_import_lines(project: Project, path: str) -> frozenset[int]:
    pf = project.python.get(path)
    return frozenset() if pf is None else pf.file_fact(TOP_IMPORTS_FACT, top_level_import_lines)


@register_capability
class TestsFolder(Capability):
    """Tests sit in their own folder beside the package (tests/ with collected test functions)."""

    key = "tests_folder"
    practice = "layout"
    title = "Tests folder"
    points = 15

    def assess(self, project: Project) -> Assessment:
        suite = suite_of(project)
        testing = sorted({t.path for t in suite.functions})  # modules that define collected tests
        counts = Counter(m.split("/", 1)[0] for m in testing if "/" in m)
        if counts:
            folder = min(counts, key=lambda f: (-counts[f], f))  # the folder holding most of them
            total = len(testing)
            share = f"all {total}" if counts[folder] == total else f"{counts[folder]} of the {total}"
            return Assessment.earned(f"{folder}/ holds {share} test modules", folder)
        if testing:
            return Assessment.partly(0.5, f"test modules sit at the root ({testing[0]})", testing[0])
        return Assessment.missing("No tests/ folder with test modules")


@register_capability
class Readme(Capability):
    """A README explains what the project is and how to run it."""

    key = "readme"
    practice = "layout"
    title = "README"
    points = 10

    def assess(self, project: Project) -> Assessment:
        paths = [f.path for f in project.files if "/" not in f.path and f.path.lower() in README_NAMES]
        path = paths[0] if paths else metadata_readme(project)
        if path is None:
            return Assessment.missing("No README at the repository root")
        lines = len((project.text(path) or "").splitlines())
        if lines >= 5:
            return Assessment.earned(f"{path} ({lines} lines)", path)
        noun = "line" if lines == 1 else "lines"
        return Assessment.partly(0.3, f"{path} is a stub ({lines} {noun})", path)


@register_capability
class NotebooksThin(Capability):
    """Logic lives in modules, not notebooks: notebook code stays under 15% of all code lines."""

    key = "notebooks_thin"
    practice = "layout"
    title = "Notebooks stay thin"
    points = 10

    def assess(self, project: Project) -> Assessment:
        modules = project.library_code_lines
        if not modules:
            return Assessment.missing("No Python modules: the code lives in notebooks")
        notebooks = sum(pf.code_lines for pf in project.python_of(FileKind.NOTEBOOK))
        if not notebooks:
            return Assessment.earned(f"no notebook code; {modules} code lines in modules")
        share = notebooks / (notebooks + modules)
        return Assessment.partly(
            ratio(1 - share, 0.5, 0.85),
            f"notebooks hold {notebooks} code lines against {modules} in modules ({share:.0%})",
        )


@register_capability
class CodeInFolders(Capability):
    """Code is organised in folders with few loose root scripts: the share of code lines outside root scripts
    (90% earns it), reduced when more than six scripts sit at the root (twenty or more earn nothing)."""

    key = "code_in_folders"
    practice = "layout"
    title = "Code in folders, few root scripts"
    points = 15

    def assess(self, project: Project) -> Assessment:
        files = project.python_of(FileKind.LIBRARY, FileKind.SCRIPT)
        total = sum(pf.code_lines for pf in files)
        if not total:
            return Assessment.missing("No Python modules")
        loose = _loose_root_scripts(project)
        at_root = sum(project.python[p].code_lines for p in loose if p in project.python)
        inside = 1 - at_root / total
        share = ratio(inside, 0.3, 0.9) * (1.0 - ratio(len(loose), ROOT_SCRIPTS_OK, ROOT_SCRIPTS_BAD))
        listed = f" ({', '.join(loose[:4])})" if loose else ""
        return Assessment.partly(
            share, f"{inside:.0%} of code lines in folders; {len(loose)} loose root scripts{listed}"
        )
