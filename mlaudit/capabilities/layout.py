"""Provides the capabilities of the `layout` practice: an installable package, tests beside it, thin notebooks."""

from __future__ import annotations

from mlaudit.capabilities import Assessment, Capability, register_capability
from mlaudit.capabilities._common import line_of, located, ratio, table, toml_of
from mlaudit.model import FileKind
from mlaudit.practices.layout import README_NAMES, _in_package, _loose_root_scripts, _top_packages, package_dirs
from mlaudit.practices.testing import suite_of
from mlaudit.project import Project

NO_PACKAGE = "No importable package (expected <pkg>/__init__.py or src/<pkg>/__init__.py)"
ROOT_SCRIPTS_OK = 6
ROOT_SCRIPTS_BAD = 20


def _package_share(project: Project) -> tuple[float, list[str]]:
    """Return the share of library code lines inside a package, and the top-level packages."""
    packages = package_dirs(project)
    tops = _top_packages(project)
    files = project.python_of(FileKind.LIBRARY, FileKind.SCRIPT)
    total = sum(pf.code_lines for pf in files)
    inside = sum(pf.code_lines for pf in files if _in_package(pf.path, packages))
    return (inside / total if total else 0.0), tops


@register_capability
class ImportablePackage(Capability):
    """The code lives in an importable package (`<pkg>/__init__.py` or `src/<pkg>/`); the share of code
    lines inside packages counts, so one package beside a pile of scripts earns part."""

    key = "importable_package"
    practice = "layout"
    title = "Code in an importable package"
    points = 30

    def assess(self, project: Project) -> Assessment:
        share, tops = _package_share(project)
        if not tops:
            return Assessment.missing(NO_PACKAGE)
        init = f"{tops[0]}/__init__.py"
        return Assessment.partly(
            ratio(share, 0.2, 0.8),
            f"package {tops[0]}/ ({init}) holds {share:.0%} of the code lines",
            init,
        )


@register_capability
class PackagingMetadata(Capability):
    """Packaging metadata makes the code installable: pyproject.toml `[project]` (full), setup.py/setup.cfg (most)."""

    key = "packaging_metadata"
    practice = "layout"
    title = "Packaging metadata"
    points = 20

    def assess(self, project: Project) -> Assessment:
        data = toml_of(project, "pyproject.toml")
        poetry = table(table(data.get("tool")).get("poetry"))
        if table(data.get("project")).get("name") or poetry.get("name"):
            line = line_of(project.text("pyproject.toml"), "[project]") or line_of(
                project.text("pyproject.toml"), "[tool.poetry]"
            )
            return Assessment.earned(f"{located('pyproject.toml', line)} declares the package", "pyproject.toml", line)
        for path in ("setup.cfg", "setup.py"):
            text = project.text(path) or (project.python[path].text if path in project.python else "")
            if text and "name" in text and ("packages" in text or "install_requires" in text or "py_modules" in text):
                return Assessment.partly(0.75, f"{path} declares the package (setuptools)", path)
            if text:
                return Assessment.partly(0.3, f"{path} exists but declares no packages or requirements", path)
        return Assessment.missing("No packaging metadata (expected pyproject.toml with a [project] table)")


@register_capability
class TestsFolder(Capability):
    """Tests sit in their own folder beside the package (tests/ with collected test functions)."""

    key = "tests_folder"
    practice = "layout"
    title = "Tests folder"
    points = 15

    def assess(self, project: Project) -> Assessment:
        suite = suite_of(project)
        folders = sorted({m.split("/", 1)[0] for m in suite.test_modules if "/" in m})
        if folders:
            return Assessment.earned(f"{folders[0]}/ holds {len(suite.test_modules)} test modules", folders[0])
        if suite.test_modules:
            return Assessment.partly(
                0.5, f"test modules sit at the root ({suite.test_modules[0]})", suite.test_modules[0]
            )
        return Assessment.missing("No tests/ folder with test modules")


@register_capability
class Readme(Capability):
    """A README explains what the project is and how to run it."""

    key = "readme"
    practice = "layout"
    title = "README"
    points = 10

    def assess(self, project: Project) -> Assessment:
        for f in project.files:
            if "/" not in f.path and f.path.lower() in README_NAMES:
                lines = len((project.text(f.path) or "").splitlines())
                if lines >= 5:
                    return Assessment.earned(f"{f.path} ({lines} lines)", f.path)
                return Assessment.partly(0.3, f"{f.path} is a stub ({lines} lines)", f.path)
        return Assessment.missing("No README at the repository root")


@register_capability
class NotebooksThin(Capability):
    """Logic lives in the package, not in notebooks: notebook code stays small next to module code
    (earned only when a package exists)."""

    key = "notebooks_thin"
    practice = "layout"
    title = "Notebooks stay thin"
    points = 10

    def assess(self, project: Project) -> Assessment:
        if not _top_packages(project):
            return Assessment.missing(NO_PACKAGE)
        modules = project.library_code_lines
        notebooks = sum(pf.code_lines for pf in project.python_of(FileKind.NOTEBOOK))
        if not notebooks:
            return Assessment.earned(f"no notebook code; {modules} code lines in modules")
        share = notebooks / (notebooks + modules)
        return Assessment.partly(
            ratio(1 - share, 0.5, 0.85),
            f"notebooks hold {notebooks} code lines against {modules} in modules ({share:.0%})",
        )


@register_capability
class FewRootScripts(Capability):
    """Entry points are few and thin: at most six loose scripts at the root, importing the package
    (earned only when a package exists; twenty or more earn nothing)."""

    key = "few_root_scripts"
    practice = "layout"
    title = "Few, thin root scripts"
    points = 15

    def assess(self, project: Project) -> Assessment:
        if not _top_packages(project):
            return Assessment.missing(NO_PACKAGE)
        loose = _loose_root_scripts(project)
        share = 1.0 - ratio(len(loose), ROOT_SCRIPTS_OK, ROOT_SCRIPTS_BAD)
        listed = f": {', '.join(loose[:4])}" if loose else ""
        return Assessment.partly(share, f"{len(loose)} loose scripts at the root{listed}")
