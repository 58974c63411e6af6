"""Provides rule DEP001: No dependency declarations."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.dependencies._shared import declared_dependencies, declares_no_dependencies, used_imports
from mlaudit.rules.production._shared import _dockerfiles

INSTALLERS = frozenset({"pip", "setuptools", "wheel", "uv", "poetry", "pipenv", "\\"})  # tooling, not dependencies
PIP_INSTALL = re.compile(r"\bpip3?\s+install\s+([^&|;]+)")


@register
class NoDependencyDeclarations(Rule):
    """Flags code that imports third-party packages while no file declares any dependency.

    ## What it does
    Looks for dependencies in pyproject.toml (`[project]`, Poetry, PDM, uv, dependency groups),
    requirements*.txt (following `-r`/`-c`), environment.yml, Pipfile, setup.py
    `install_requires` (read with `ast`, never run) and setup.cfg. Packages named only in a
    Dockerfile's `pip install` are a warning: the image can be rebuilt, nothing else can.

    ## Why is this bad?
    Nobody, including CI and your future self, can rebuild the environment the model was
    trained in; every new machine becomes an archaeology session of `ModuleNotFoundError`s.

    ## Example
    ```text
    repo/
      train.py        # import torch, sklearn, pandas
    ```

    ## Use instead
    ```toml
    [project]
    dependencies = ["torch>=2.2,<3", "scikit-learn>=1.4,<2", "pandas>=2.1,<3"]
    ```
    """

    code = "DEP001"
    restates = "manifest_declared"
    title = "No dependency declarations"
    practice = "dependencies"
    severity = Severity.ERROR
    fix = "Declare the dependencies in pyproject.toml [project].dependencies (or requirements.txt) and lock them."
    weight = 30
    cap = 30

    def check(self, project: Project) -> Iterator[Output]:
        if declared_dependencies(project).requirements or declares_no_dependencies(project):
            return  # (`dependencies = []` on purpose: DEP004 still names a required import left out)
        modules = sorted({u.top for u in used_imports(project) if not u.optional})
        if modules:
            shown = ", ".join(modules[:6]) + (", ..." if len(modules) > 6 else "")
            image = _image_install(project)
            if image is not None:
                path, line, packages = image
                yield Hit(
                    path,
                    line,
                    f"Dependencies are named only in {path}'s pip install ({packages}): outside that image nothing "
                    f"declares the {len(modules)} third-party package{'' if len(modules) == 1 else 's'} the code "
                    f"imports ({shown})",
                    severity=Severity.WARNING,
                    fix="Move them into requirements.txt (or pyproject.toml) and let the Dockerfile pip install -r it.",
                )
                return
            yield Hit(
                None,
                None,
                f"No dependency is declared anywhere, yet the code imports {len(modules)} "
                f"third-party package{'' if len(modules) == 1 else 's'} ({shown})",
            )


def _image_install(project: Project) -> tuple[str, int, str] | None:
    """Return (Dockerfile, line, packages) of the first RUN that pip-installs named packages."""
    for path, instructions in _dockerfiles(project):
        for ins in instructions:
            if ins.keyword != "RUN":
                continue
            for match in PIP_INSTALL.finditer(ins.args):
                try:
                    words = shlex.split(match.group(1))
                except ValueError:
                    continue
                packages = [w for w in words if not w.startswith(("-", ".", "/", "$")) and w not in INSTALLERS]
                if packages and not any(w in {"-r", "--requirement", "-e", "--editable"} for w in words):
                    shown = " ".join(packages[:4]) + (" ..." if len(packages) > 4 else "")
                    return path, ins.line, shown
    return None
