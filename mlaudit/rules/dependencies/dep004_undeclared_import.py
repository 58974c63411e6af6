"""Provides rule DEP004: Imported package not declared."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.dependency_use import missing_local_module
from mlaudit.model import FileKind, Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Metric, Output, Rule, register
from mlaudit.rules.dependencies._shared import (
    BACKPORT,
    BENCHMARK_ONLY,
    DOCS_BUILD,
    EXAMPLE_ONLY,
    UsedImport,
    _local_modules,
    _mapping_pairs,
    _undeclared,
    declared_dependencies,
    declares_no_dependencies,
)


@register
class UndeclaredImport(Rule):
    """Flags third-party packages the code imports but no dependency file declares.

    ## What it does
    Maps each imported top-level module to its distribution (`sklearn` -> scikit-learn,
    `cv2` -> opencv-python, `PIL` -> pillow, `yaml` -> pyyaml, ...) and checks it is declared
    (runtime or dev); an extra named after a package declares it (`transformers[torch]` installs torch), and
    the Python binding of a tool named with a `-py`, `-python` or `-sdk` suffix provides the tool's module
    (`rerun-sdk` installs `rerun`, `hebi-py` installs `hebi`, `dtw-python` installs `dtw`).
    Standard-library modules (also Python 2's renamed ones: `cPickle`, `urlparse`), local modules (also those of a
    folder the code puts on `sys.path`: a package's `__init__` appending its own folder, a script inserting
    `Path(__file__).resolve().parents[1]`; LAY014 reports the path edit) and hosted-runtime
    modules (`google.colab`,
    `kaggle_secrets`: only that notebook service provides them) are ignored, and so are a
    notebook's imports of `IPython` (the kernel running it provides them); imports guarded by
    `try/except ImportError` or an availability check, backports only an older interpreter imports (the `else:` of
    `if sys.version_info >= (3, 8):`, `import importlib_metadata`; a Python 2 branch: `if sys.version_info[0] == 2:`,
    `if six.PY2:`), imports used by tests only, and a published
    library's imports made only inside the function that uses them (optional integrations) or only by
    its benchmark scripts (`benchmarks/read.py` timing it against a rival package), and
    the imports of a module the repository itself imports only under `except ImportError` (an
    optional backend; never the shipped package's own `__init__`, which every `import pkg` loads, even when a test
    guards its import to run from a checkout) are reported as info.

    ## Why is this bad?
    The code works only on machines where the package happens to be installed already;
    a fresh environment (CI, a colleague, the serving image) breaks at import time.

    ## Example
    ```python
    import cv2          # requirements.txt lists only numpy and torch
    ```

    ## Use instead
    ```text
    numpy==1.26.4
    torch==2.3.1
    opencv-python-headless==4.10.0.84
    ```
    """

    code = "DEP004"
    restates = "imports_declared"
    title = "Imported package not declared"
    practice = "dependencies"
    severity = Severity.WARNING
    fix = "Add the distribution to your dependency declarations (pyproject.toml or requirements.txt)."

    def check(self, project: Project) -> Iterator[Output]:
        if not declared_dependencies(project).requirements and declares_no_dependencies(project) is None:
            return
        paired, _ = _mapping_pairs(project)
        missing = {k: v for k, v in _undeclared(project).items() if k not in paired}
        yield Metric("undeclared_imports", len(missing))
        top_level, _ = _local_modules(project)
        for distribution, uses in sorted(missing.items()):
            if all(missing_local_module(u.top, top_level) and not u.optional for u in uses):
                yield _missing_local_hit(uses)
            else:
                yield _undeclared_hit(distribution, uses)


def _undeclared_hit(distribution: str, uses: list[UsedImport]) -> Hit:
    required = [u for u in uses if not u.optional and u.kind is not FileKind.TEST]
    first = (required or [u for u in uses if u.kind is not FileKind.TEST] or uses)[0]
    message = f"import {first.module} ({distribution}) in {_where(first, uses)} is declared in no dependency file"
    if required:
        return Hit(first.path, first.line, message)
    in_code = [u for u in uses if u.optional and u.kind is not FileKind.TEST]  # the library's optional imports
    reasons = {u.reason for u in (in_code or [u for u in uses if u.optional])}
    optional = bool(in_code) or all(u.optional for u in uses)
    why = (reasons.pop() if len(reasons) == 1 else "optional") if optional else "used by tests only"
    fix = (
        f"Declare {distribution} as a test dependency (requirements-dev.txt, [dependency-groups] or a test extra)."
        if why == "used by tests only"
        else f"List {distribution} in the examples' requirements (examples/requirements.txt or a docs extra)."
        if why in (EXAMPLE_ONLY, DOCS_BUILD)
        else f'Declare {distribution} with an environment marker ({distribution}; python_version < "3.X"), or '
        "drop the branch if no supported Python takes it."
        if why == BACKPORT
        else f"List {distribution} in the benchmarks' requirements (a benchmarks extra or dependency group)."
        if why == BENCHMARK_ONLY
        else f"Declare {distribution} as an optional extra ([project.optional-dependencies]) for the feature that needs it."
    )
    return Hit(first.path, first.line, f"{message}: {why}", Severity.INFO, fix=fix)


def _missing_local_hit(uses: list[UsedImport]) -> Hit:
    first = uses[0]
    message = (
        f"import {first.module} in {_where(first, uses)}: module not found in the repository "
        f"(a local module that was renamed or removed?)"
    )
    fix = "Restore the module or fix the import (and delete code that only served the removed module)."
    return Hit(first.path, first.line, message, fix=fix)


def _where(first: UsedImport, uses: list[UsedImport]) -> str:
    others = len({u.path for u in uses}) - 1
    if others == 0:
        return first.path
    return f"{first.path} and {others} more file{'s' if others > 1 else ''}"
