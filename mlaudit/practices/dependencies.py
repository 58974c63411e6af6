"""Provides the rules of the `dependencies` practice: declared, pinned, complete environments.

`declared_dependencies(project)` is the shared, computed-once view of every dependency
manifest (pyproject, requirements files, environment.yml, Pipfile, setup.py/cfg, locks)
that other practices may read (for example: is torch or fastapi declared?).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

from mlaudit.model import FileKind, Severity
from mlaudit.practices._dependency_use import (
    config_uses,
    iter_pairs,
    missing_local_module,
    notebook_installs,
    requirement_checked_spans,
)
from mlaudit.practices._distributions import (
    IMPORT_TO_DISTRIBUTIONS,
    DependencyFacts,
    Pin,
    Requirement,
    candidate_distributions,
    collect_dependencies,
    is_implicit,
    normalise,
    preferred_distribution,
    public_spec,
    vcs_ref,
)
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Metric, Output, Rule, applicability, register
from mlaudit.scoring import linear_points

__all__ = ["DependencyFacts", "Pin", "Requirement", "UsedImport", "declared_dependencies", "used_imports"]

CODE_KINDS = (FileKind.LIBRARY, FileKind.SCRIPT, FileKind.NOTEBOOK, FileKind.TEST)
_GUARDED = "optional (guarded by except ImportError)"
_LAZY = "optional backend, imported lazily after a run-time requirement check"
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


@dataclass(frozen=True)
class UsedImport:
    """One third-party module imported by the code: where, by what kind of file, and whether optional."""

    module: str
    path: str
    line: int
    kind: FileKind
    optional: bool
    reason: str = ""

    @property
    def top(self) -> str:
        """Return the top-level package name."""
        return self.module.split(".", 1)[0]


def declared_dependencies(project: Project) -> DependencyFacts:
    """Return what the repository declares about its dependencies (computed once per audit)."""
    return cast(DependencyFacts, project.fact("dependencies.declared", collect_dependencies))


def used_imports(project: Project) -> tuple[UsedImport, ...]:
    """Return the third-party imports of code, scripts, notebooks and tests (stdlib and local left out)."""
    return cast(tuple[UsedImport, ...], project.fact("dependencies.imports", _collect_imports))


def _collect_imports(project: Project) -> tuple[UsedImport, ...]:
    top_level, siblings = _local_modules(project)
    found: list[UsedImport] = []
    for pf in sorted(project.python_of(*CODE_KINDS), key=lambda p: p.path):
        optional = _optional_spans(pf)
        checked = requirement_checked_spans(pf)
        folder = _folder(pf.path)
        in_package = f"{folder}/__init__.py" in project.python if folder else False
        local = top_level if in_package else top_level | siblings.get(folder, frozenset())
        for module, line in _imported(pf):
            top = module.split(".", 1)[0]
            if top in sys.stdlib_module_names or top in local or top == "__future__":
                continue
            if any(start <= line <= end for start, end in optional):
                found.append(UsedImport(module, pf.path, line, pf.kind, True, _GUARDED))
            elif any(start <= line <= end for start, end in checked):
                found.append(UsedImport(module, pf.path, line, pf.kind, True, _LAZY))
            else:
                found.append(UsedImport(module, pf.path, line, pf.kind, False))
    return tuple(found)


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _imported(pf: PythonFile) -> Iterator[tuple[str, int]]:
    for node in pf.nodes(ast.Import, ast.ImportFrom):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, node.lineno


def _local_modules(project: Project) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """Return the repo's top-level module names (root and `src/`) and each folder's sibling module names."""
    top_level: set[str] = set()
    siblings: dict[str, set[str]] = {}
    for source in project.files:
        if not source.path.endswith((".py", ".pyi", ".pyx")):
            continue
        parts = source.path.split("/")
        names = [*parts[:-1], parts[-1].rsplit(".", 1)[0]]
        top_level.add(names[1] if names[0] == "src" and len(names) > 1 else names[0])
        for depth in range(len(parts)):
            siblings.setdefault("/".join(parts[:depth]), set()).add(names[depth])
    return frozenset(top_level), {k: frozenset(v) for k, v in siblings.items()}


def _optional_spans(pf: PythonFile) -> list[tuple[int, int]]:
    """Return line spans of `try:` blocks that catch ImportError and of `if TYPE_CHECKING:` blocks."""
    spans: list[tuple[int, int]] = []
    for node in pf.nodes(ast.Try, ast.TryStar):
        if isinstance(node, ast.Try | ast.TryStar) and any(_catches_import_error(h) for h in node.handlers):
            spans.append((node.lineno, node.end_lineno or node.lineno))
    for branch in pf.nodes(ast.If):
        if _is_type_checking(branch.test):
            spans.append((branch.lineno, branch.end_lineno or branch.lineno))
    return spans


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(t, ast.Name) and t.id in _IMPORT_ERRORS for t in types)


def _has_code(project: Project) -> bool:
    return bool(project.python_of(*CODE_KINDS))


@applicability("dependencies")
def _dependencies_apply(project: Project) -> str | None:
    manifests = project.of_kind(FileKind.MANIFEST)
    return None if _has_code(project) or manifests else "no Python code and no dependency manifest"


@register
class NoDependencyDeclarations(Rule):
    """Flags code that imports third-party packages while no file declares any dependency.

    ## What it does
    Looks for dependencies in pyproject.toml (`[project]`, Poetry, PDM, uv, dependency groups),
    requirements*.txt (following `-r`/`-c`), environment.yml, Pipfile, setup.py
    `install_requires` (read with `ast`, never run) and setup.cfg.

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
        if declared_dependencies(project).requirements:
            return
        modules = sorted({u.top for u in used_imports(project) if not u.optional})
        if modules:
            shown = ", ".join(modules[:6]) + (", ..." if len(modules) > 6 else "")
            yield Hit(
                None,
                None,
                f"No dependency is declared anywhere, yet the code imports {len(modules)} "
                f"third-party packages ({shown})",
            )


@register
class UnpinnedDependencies(Rule):
    """Measures the share of declared dependencies pinned exactly or covered by a lock file.

    ## What it does
    Counts each declared distribution once: pinned when some declaration uses `==`/`===`
    (or a direct URL), or a lock file (uv.lock, poetry.lock, pdm.lock, Pipfile.lock,
    conda-lock.yml, a constraints file) covers it. Ranged (`>=`) and bare names are not pinned.
    The score follows the pinned share; each unpinned distribution is listed as info.

    ## Why is this bad?
    `torch>=2.1` installs a different torch next month: results drift, and a training run
    from last quarter cannot be reproduced or debugged.

    ## Example
    ```text
    torch>=2.1
    pandas
    ```

    ## Use instead
    ```text
    # keep ranges in pyproject.toml for the library, and commit a lock file:
    uv lock            # or: pip-compile --generate-hashes -o requirements.txt
    ```
    """

    code = "DEP002"
    restates = "versions_pinned"
    scoring = "measured"
    title = "Dependencies not pinned"
    practice = "dependencies"
    severity = Severity.WARNING
    fix = "Commit a lock file (uv lock, poetry lock, pip-compile) or pin application requirements with ==."

    def check(self, project: Project) -> Iterator[Output]:
        yield Metric("dependency_tool", dependency_tool(project))
        facts = declared_dependencies(project)
        first: dict[str, Requirement] = {}
        for req in facts.requirements:
            first.setdefault(req.name, req)
        if not first:
            yield Metric("pinned_share", None)
            return
        pinned = {r.name for r in facts.requirements if facts.is_pinned(r)}
        unpinned = [r for r in first.values() if r.name not in pinned]
        share = 1 - len(unpinned) / len(first)
        points = linear_points(share, 0.0, project.options.threshold("pinned_share_target", 0.95), 30)
        yield Metric("pinned_share", round(share, 3), points, _pinned_reason(share, len(first), unpinned))
        yield Metric("declared_distributions", len(first))
        for req in unpinned:
            yield _unpinned_hit(req)


def _unpinned_hit(req: Requirement) -> Hit:
    spec = public_spec(req.spec)
    if req.pin is Pin.BRANCH:
        ref = vcs_ref(req.spec)
        moving = f"the branch @{ref}" if ref else "the default branch (no @ref)"
        fix = f"Pin {req.name} to a release tag or a commit hash (…@v1.2.3 or …@<sha>)."
        return Hit(req.path, req.line, f"{spec} tracks {moving}: every install can get different code", fix=fix)
    how = "has a version range only" if req.pin is Pin.RANGE else "has no version at all"
    return Hit(req.path, req.line, f"{spec} {how} and no lock file covers {req.name}", Severity.INFO)


def _pinned_reason(share: float, total: int, unpinned: list[Requirement]) -> str:
    reason = f"DEP002 {share:.0%} of {total} declared distributions pinned or locked"
    if not unpinned:
        return reason
    names = ", ".join(r.name for r in unpinned[:5]) + (", ..." if len(unpinned) > 5 else "")
    return f"{reason} (unpinned: {names})"


@register
class PythonVersionNotDeclared(Rule):
    """Flags a repository that never says which Python version it runs on.

    ## What it does
    Looks for `requires-python` (pyproject), `python_requires` (setup.py/cfg), Poetry's
    `python`, `.python-version`, `runtime.txt`, Pipfile `[requires]` and `python` in
    environment.yml.

    ## Why is this bad?
    Wheels for torch, numpy and friends exist per Python version; an undeclared version
    means installs that fail or silently resolve older packages on a newer interpreter.

    ## Example
    ```toml
    [project]
    name = "churn"
    ```

    ## Use instead
    ```toml
    [project]
    name = "churn"
    requires-python = ">=3.11"
    ```
    """

    code = "DEP003"
    restates = "python_declared"
    title = "Python version not declared"
    practice = "dependencies"
    severity = Severity.WARNING
    fix = 'Add requires-python = ">=3.11" to [project] in pyproject.toml (or a .python-version file).'
    weight = 10
    cap = 10

    def check(self, project: Project) -> Iterator[Output]:
        facts = declared_dependencies(project)
        if facts.python is not None:
            yield Metric("python_version", facts.python.spec)
            return
        yield Metric("python_version", None)
        yield Hit(None, None, "No Python version declared (no requires-python, .python-version or runtime.txt)")


@register
class UndeclaredImport(Rule):
    """Flags third-party packages the code imports but no dependency file declares.

    ## What it does
    Maps each imported top-level module to its distribution (`sklearn` -> scikit-learn,
    `cv2` -> opencv-python, `PIL` -> pillow, `yaml` -> pyyaml, ...) and checks it is declared
    (runtime or dev). Standard-library and local modules are ignored; imports guarded by
    `try/except ImportError` and imports used by tests only are reported as info.

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
        if not declared_dependencies(project).requirements:
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


def _undeclared(project: Project) -> dict[str, list[UsedImport]]:
    """Return the imports no declaration (nor the notebook's own `%pip install`) covers, by distribution."""
    names = declared_dependencies(project).names
    installs: dict[str, frozenset[str]] = {}
    missing: dict[str, list[UsedImport]] = {}
    for use in used_imports(project):
        candidates = candidate_distributions(use.module)
        if candidates & names:
            continue
        pf = project.python.get(use.path)
        if pf is not None and pf.is_notebook:
            if use.path not in installs:
                installs[use.path] = notebook_installs(pf)
            if candidates & installs[use.path]:
                continue
        missing.setdefault(preferred_distribution(use.module), []).append(use)
    return missing


def _never_imported(project: Project) -> list[Requirement]:
    """Return the runtime requirements (first of each name) that no import, config or plugin choice uses."""
    facts = declared_dependencies(project)
    imported: set[str] = set()
    for use in used_imports(project):
        imported |= candidate_distributions(use.module)
    plugins, modules = config_uses(project, list(facts.requirements))
    for module in modules:
        imported |= candidate_distributions(module)
    unused: dict[str, Requirement] = {}
    for req in facts.requirements:
        if not (req.dev or req.name in imported or req.name in plugins or is_implicit(req.name)):
            unused.setdefault(req.name, req)
    return list(unused.values())


def _mapping_pairs(project: Project) -> tuple[frozenset[str], frozenset[str]]:
    """Return (undeclared keys, unused distributions) that explain each other (computed once)."""

    def compute(p: Project) -> tuple[frozenset[str], frozenset[str]]:
        tops = {k: sorted({u.top for u in uses}) for k, uses in _undeclared(p).items()}
        pairs = list(iter_pairs(tops, _never_imported(p)))
        return frozenset(k for k, _ in pairs), frozenset(d for _, d in pairs)

    return cast(tuple[frozenset[str], frozenset[str]], project.fact("dependencies.pairs", compute))


def _undeclared_hit(distribution: str, uses: list[UsedImport]) -> Hit:
    required = [u for u in uses if not u.optional and u.kind is not FileKind.TEST]
    first = (required or uses)[0]
    message = f"import {first.module} ({distribution}) in {_where(first, uses)} is declared in no dependency file"
    if required:
        return Hit(first.path, first.line, message)
    reasons = {u.reason for u in uses if u.optional}
    why = (
        (reasons.pop() if len(reasons) == 1 else "optional") if all(u.optional for u in uses) else "used by tests only"
    )
    return Hit(first.path, first.line, f"{message}: {why}", Severity.INFO)


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


@register
class DeclaredNeverImported(Rule):
    """Notes runtime dependencies that no module, script, notebook or test imports.

    ## What it does
    Lists runtime (non-dev) distributions whose import names appear nowhere in the code.
    Tools, stubs, servers and backends used without an import (pytest, mypy, uvicorn,
    pyarrow, openpyxl, ...) are left out.

    ## Why is this bad?
    Unused dependencies slow installs, bloat images and widen the attack surface; they are
    often leftovers of an abandoned experiment.

    ## Example
    ```text
    xgboost==2.0.3     # nothing imports xgboost any more
    ```

    ## Use instead
    ```text
    # remove it, or move it to the optional extra that uses it
    ```
    """

    code = "DEP005"
    title = "Declared dependency never imported"
    practice = "dependencies"
    severity = Severity.INFO
    fix = "Remove the unused dependency, or move it to the extra (optional-dependencies) that needs it."

    def check(self, project: Project) -> Iterator[Output]:
        if not _has_code(project):
            return
        _, paired = _mapping_pairs(project)
        for req in _never_imported(project):
            if req.name not in paired:
                yield Hit(req.path, req.line, f"{req.name} is declared in {req.path} but never imported")


@register
class VirtualenvInRepository(Rule):
    """Flags a virtual environment committed to git, or present and not ignored.

    ## What it does
    Finds folders holding `pyvenv.cfg` or `conda-meta` inside the repository and checks
    whether git tracks their files or whether `.gitignore` leaves them visible.

    ## Why is this bad?
    A virtual environment is machine-specific (absolute paths, compiled wheels for one
    platform) and huge; committing it bloats history forever and still does not reproduce.

    ## Example
    ```text
    .venv/   # committed, 40,000 files
    ```

    ## Use instead
    ```text
    # .gitignore
    .venv/
    venv/
    ```
    """

    code = "DEP006"
    scoring = "flat"
    title = "Virtual environment in the repository"
    practice = "dependencies"
    severity = Severity.ERROR
    fix = "git rm -r --cached the environment folder and add it to .gitignore."
    weight = 20

    def check(self, project: Project) -> Iterator[Output]:
        inventory = project.inventory
        tracked = project.tracked or frozenset()
        for venv in inventory.venv_dirs:
            committed = sum(1 for path in tracked if path.startswith(venv + "/"))
            if committed:
                yield Hit(venv, None, f"Virtual environment {venv}/ is committed to git ({committed} files tracked)")
            elif f"{venv}/" not in inventory.ignored_probe:
                yield Hit(venv, None, f"Virtual environment {venv}/ is not ignored by .gitignore", Severity.WARNING)


@register
class UnreadableManifest(Rule):
    """Flags a dependency manifest that cannot be parsed, so its dependencies are unknown.

    ## What it does
    Reports malformed TOML (pyproject.toml, Pipfile, lock files), a broken setup.cfg or
    Pipfile.lock, and `-r`/`-c` includes pointing to missing files.

    ## Why is this bad?
    pip, uv and poetry fail on the same file, so nobody can install the project; and
    mlaudit cannot check what it declares.

    ## Example
    ```toml
    [project
    dependencies = ["numpy"]
    ```

    ## Use instead
    ```toml
    [project]
    dependencies = ["numpy"]
    ```
    """

    code = "DEP007"
    title = "Dependency manifest cannot be read"
    practice = "dependencies"
    severity = Severity.WARNING
    fix = "Fix the syntax (validate with `python -c 'import tomllib'` or `pip install --dry-run -r`)."

    def check(self, project: Project) -> Iterator[Output]:
        for problem in declared_dependencies(project).problems:
            yield Hit(problem.path, None, f"{problem.path}: {problem.reason}; its dependencies were not read")


@register
class ImportNameDeclared(Rule):
    """Flags a declaration that uses an import name instead of the distribution name.

    ## What it does
    Finds declared names such as `sklearn`, `cv2`, `PIL`, `yaml`, `dotenv`, `jwt` or `attr`
    whose PyPI distribution is really scikit-learn, opencv-python, pillow, pyyaml,
    python-dotenv, pyjwt or attrs.

    ## Why is this bad?
    `pip install sklearn` fails (the placeholder package is deprecated), and `dotenv`,
    `jwt` and `attr` are different, unrelated projects: the install succeeds with the wrong
    code.

    ## Example
    ```text
    sklearn
    ```

    ## Use instead
    ```text
    scikit-learn==1.5.1
    ```
    """

    code = "DEP008"
    title = "Import name declared instead of distribution"
    practice = "dependencies"
    severity = Severity.WARNING
    fix = "Declare the PyPI distribution name (sklearn -> scikit-learn, cv2 -> opencv-python, yaml -> pyyaml)."

    def check(self, project: Project) -> Iterator[Output]:
        wrong = {normalise(k): v for k, v in IMPORT_TO_DISTRIBUTIONS.items() if normalise(k) not in map(normalise, v)}
        for req in declared_dependencies(project).requirements:
            if req.name in wrong:
                yield Hit(
                    req.path,
                    req.line,
                    f"{public_spec(req.spec)} declares the import name; the distribution is {wrong[req.name][0]}",
                )


_TOOL_MARKERS = (
    ("poetry.lock", "poetry"),
    ("pdm.lock", "pdm"),
    ("uv.lock", "uv"),
    ("Pipfile", "pipenv"),
    ("conda-lock.yml", "conda"),
    ("environment.yml", "conda"),
    ("environment.yaml", "conda"),
    ("requirements.in", "pip-tools"),
)


def dependency_tool(project: Project) -> str | None:
    """Return the dependency tool the repository already uses, from its root files."""
    for marker, tool in _TOOL_MARKERS:
        if project.has_file(marker):
            return tool
    pyproject = project.text("pyproject.toml") or ""
    if "[tool.poetry" in pyproject:
        return "poetry"
    if "[tool.pdm" in pyproject:
        return "pdm"
    if "[tool.uv" in pyproject:
        return "uv"
    if any(f.kind is FileKind.MANIFEST and "requirements" in f.path for f in project.files):
        return "pip"
    return None
