"""Provides rule LAY002: No importable package."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.layout_intent import headless_packages, served_namespace_packages
from mlaudit.model import FileKind, Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.layout._shared import NON_PACKAGE_DIRS, _top_packages, package_dirs


@register
class NoImportablePackage(Rule):
    """Flags Python code that lives only in loose modules, with no importable package.

    ## What it does
    Looks for `<pkg>/__init__.py` or `src/<pkg>/__init__.py` (tests, docs, examples and
    scripts folders do not count) when the repository has library or script code. A `src/<pkg>/` folder of
    modules without `__init__.py` counts when pyproject.toml's `[project]` is built by setuptools and lists no
    packages: its automatic discovery of a src layout installs PEP 420 namespace packages too.

    ## Why is this bad?
    Without a package, code is shared by copy-paste and `sys.path` hacks; nothing can be
    installed, versioned or imported cleanly by notebooks, tests and services.

    ## Example
    ```text
    repo/
      train.py
      utils.py
    ```

    ## Use instead
    ```text
    repo/
      src/churn/__init__.py
      src/churn/train.py
    ```
    """

    code = "LAY002"
    restates = "importable_package"
    title = "No importable package"
    practice = "layout"
    severity = Severity.WARNING
    fix = "Move the reusable code into src/<name>/ with an __init__.py and install it with `pip install -e .`."
    weight = 15
    cap = 15

    def check(self, project: Project) -> Iterator[Output]:
        modules = [pf.path for pf in project.python_of(FileKind.LIBRARY, FileKind.SCRIPT) if not pf.is_notebook]
        if not modules or _top_packages(project):
            return
        packages = package_dirs(project)
        headless = headless_packages(packages, NON_PACKAGE_DIRS)
        served = served_namespace_packages(project, packages)
        if headless:
            shown = ", ".join(f"{name}/__init__.py" for name in headless[:3])
            yield Hit(
                None, None, f"No importable package: top-level __init__.py missing ({shown}) although subpackages exist"
            )
        elif served:
            shown = ", ".join(f"{name}/" for name in served[:3])
            message = (
                f"No importable package: {shown} is served by an app server as a namespace package with no __init__.py"
            )
            yield Hit(None, None, message)
        else:
            yield Hit(None, None, f"No importable package: {len(modules)} Python modules, none inside a package")
