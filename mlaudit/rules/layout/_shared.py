"""Provides helpers shared by several rules of the `layout` practice (or by other modules)."""

from __future__ import annotations

from mlaudit.discover import SourceFile
from mlaudit.facts.package_roots import package_roots, src_namespace_packages
from mlaudit.model import FileKind
from mlaudit.project import Project, PythonFile

NON_PACKAGE_DIRS = frozenset(
    {"tests", "test", "docs", "doc", "examples", "example", "scripts", "benchmarks", "bench", "notebooks"}
)


ROOT_EXEMPT = frozenset(
    {"setup.py", "conftest.py", "noxfile.py", "manage.py", "fabfile.py", "tasks.py", "dodo.py", "hubconf.py"}
)


TEST_DIRS = frozenset({"tests", "test", "testing"})


README_NAMES = frozenset({"readme", "readme.md", "readme.rst", "readme.txt", "readme.markdown"})


def _parent(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def package_dirs(project: Project) -> frozenset[str]:
    """Return every folder holding an `__init__.py` (a regular package), and each folder under `src/` that
    setuptools' automatic discovery installs as a namespace package (`src_namespace_packages`)."""
    regular = frozenset(_parent(f.path) for f in project.files if f.path.endswith("/__init__.py"))
    return regular | src_namespace_packages(project)


def _in_package(path: str, packages: frozenset[str]) -> bool:
    folder = _parent(path)
    while folder:
        if folder in packages:
            return True
        folder = _parent(folder)
    return False


def _top_packages(project: Project) -> list[str]:
    """Return importable top-level packages: `<pkg>/__init__.py`, `src/<pkg>/__init__.py`, or a package in the
    folder the packaging metadata names as its root (`package_dir={"": "lib"}`)."""
    roots = package_roots(project)
    found = []
    for folder in sorted(package_dirs(project)):
        parts = folder.split("/")
        top = _parent(folder) in roots
        if top and parts[-1] not in NON_PACKAGE_DIRS:
            found.append(folder)
    return found


def _loose_root_scripts(project: Project) -> list[str]:
    return sorted(
        f.path for f in project.files if "/" not in f.path and f.path.endswith(".py") and f.path not in ROOT_EXEMPT
    )


def _notebooks(project: Project) -> list[PythonFile]:
    return sorted(project.python_of(FileKind.NOTEBOOK), key=lambda pf: pf.path)


def _artifacts(project: Project) -> list[SourceFile]:
    return project.of_kind(FileKind.DATA, FileKind.MODEL)


def _is_large(source: SourceFile, project: Project, model_kb: float = 10) -> bool:
    """Return True for model files of `model_kb` KB or more and data files of 100 KB or more."""
    if source.kind is FileKind.MODEL:
        return source.size >= project.options.threshold("model_artifact_kb", model_kb) * 1000
    return source.size >= project.options.threshold("data_artifact_kb", 100) * 1000


def _size(size: int) -> str:
    if size < 1000:
        return f"{size} bytes"
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} KB"
