"""Provides the rules of the `layout` practice: a repo shaped like software, not notebooks."""

from __future__ import annotations

import ast
import fnmatch
from collections.abc import Iterator

from mlaudit.discover import SourceFile
from mlaudit.model import FileKind, Severity
from mlaudit.practices._layout_intent import (
    documented_scripts,
    headless_packages,
    in_notebook_folder,
    intentional_small_data,
    is_teaching_notebook,
    served_namespace_packages,
)
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Metric, NotRun, Output, Rule, register
from mlaudit.scoring import linear_points


@register
class MissingPackagingMetadata(Rule):
    """Flags a repository with no packaging metadata, or only legacy setup.py/setup.cfg.

    ## What it does
    Looks for `pyproject.toml` at the repository root; `setup.py` or `setup.cfg` alone earn
    partial credit.

    ## Why is this bad?
    Without packaging metadata the code cannot be installed (`pip install -e .`), so
    notebooks and scripts reach it through `sys.path` hacks and copies.

    ## Example
    ```text
    repo/
      train.py
      utils.py
    ```

    ## Use instead
    ```toml
    [project]
    name = "churn"
    requires-python = ">=3.11"
    ```
    """

    code = "LAY001"
    restates = "packaging_metadata"
    title = "No packaging metadata"
    practice = "layout"
    severity = Severity.ERROR
    fix = "Add a pyproject.toml with a [project] table so the code installs with `pip install -e .`."
    weight = 20
    cap = 20

    def check(self, project: Project) -> Iterator[Output]:
        if project.has_file("pyproject.toml"):
            return
        legacy = [p for p in ("setup.py", "setup.cfg") if project.has_file(p)]
        if legacy:
            yield Hit(
                legacy[0],
                None,
                f"Only legacy packaging metadata ({', '.join(legacy)}); no pyproject.toml",
                severity=Severity.WARNING,
                fix="Move the metadata from setup.py/setup.cfg into pyproject.toml ([project] table).",
            )
            return
        yield Hit(None, None, "No pyproject.toml, setup.py or setup.cfg: the code cannot be installed")


NOTEBOOK_DIRS = frozenset({"notebooks", "notebook", "nbs", "docs", "doc", "examples", "example", "tutorials"})
NON_PACKAGE_DIRS = frozenset(
    {"tests", "test", "docs", "doc", "examples", "example", "scripts", "benchmarks", "notebooks"}
)
ROOT_EXEMPT = frozenset(
    {"setup.py", "conftest.py", "noxfile.py", "manage.py", "fabfile.py", "tasks.py", "dodo.py", "hubconf.py"}
)
TEST_DIRS = frozenset({"tests", "test", "testing"})
README_NAMES = frozenset({"readme", "readme.md", "readme.rst", "readme.txt", "readme.markdown"})


def _parent(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def package_dirs(project: Project) -> frozenset[str]:
    """Return every folder holding an `__init__.py` (a regular package)."""
    return frozenset(_parent(f.path) for f in project.files if f.path.endswith("/__init__.py"))


def _in_package(path: str, packages: frozenset[str]) -> bool:
    folder = _parent(path)
    while folder:
        if folder in packages:
            return True
        folder = _parent(folder)
    return False


def _top_packages(project: Project) -> list[str]:
    """Return importable top-level packages: `<pkg>/__init__.py` or `src/<pkg>/__init__.py`."""
    found = []
    for folder in sorted(package_dirs(project)):
        parts = folder.split("/")
        top = len(parts) == 1 or (len(parts) == 2 and parts[0] == "src")
        if top and parts[-1] not in NON_PACKAGE_DIRS:
            found.append(folder)
    return found


def _loose_root_scripts(project: Project) -> list[str]:
    return sorted(
        f.path for f in project.files if "/" not in f.path and f.path.endswith(".py") and f.path not in ROOT_EXEMPT
    )


def _notebooks(project: Project) -> list[PythonFile]:
    return sorted(project.python_of(FileKind.NOTEBOOK), key=lambda pf: pf.path)


@register
class NoImportablePackage(Rule):
    """Flags Python code that lives only in loose modules, with no importable package.

    ## What it does
    Looks for `<pkg>/__init__.py` or `src/<pkg>/__init__.py` (tests, docs, examples and
    scripts folders do not count) when the repository has library or script code.

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


@register
class LooseRootScripts(Rule):
    """Flags many loose `.py` scripts at the repository root.

    ## What it does
    Counts `.py` files directly at the root (setup.py, conftest.py, noxfile.py, manage.py
    and similar do not count); four or more (threshold `loose_root_scripts`) is a finding.

    ## Why is this bad?
    `train.py`, `train_v2.py`, `predict.py` and `utils.py` side by side are the sign of code
    that grew by copying; nothing says which one is current or what depends on what.

    ## Example
    ```text
    train.py  train_v2.py  predict.py  utils.py  models.py
    ```

    ## Use instead
    ```text
    src/churn/{train,predict,models}.py   # one package
    scripts/train.py                      # thin entry points, if any
    ```
    """

    code = "LAY003"
    restates = "code_in_folders"
    title = "Loose scripts at the repository root"
    practice = "layout"
    severity = Severity.WARNING
    fix = "Move the modules into a package and keep at most thin entry points under scripts/ or [project.scripts]."
    weight = 10
    cap = 10

    def check(self, project: Project) -> Iterator[Output]:
        loose = _loose_root_scripts(project)
        yield Metric("loose_root_scripts", len(loose))
        if len(loose) >= project.options.threshold("loose_root_scripts", 4):
            shown = ", ".join(loose[:6]) + (", ..." if len(loose) > 6 else "")
            documented = documented_scripts(project, loose)
            if _top_packages(project) and 2 * len(documented) >= len(loose):
                message = (
                    f"{len(loose)} root scripts are the documented command-line tools of the package "
                    f"({', '.join(documented[:6])}); entry points in [project.scripts] would make them installable"
                )
                yield Hit(None, None, message, Severity.INFO)
                return
            yield Hit(None, None, f"{len(loose)} loose Python scripts at the repository root ({shown})")


@register
class MissingReadme(Rule):
    """Flags a repository without a README at its root.

    ## What it does
    Looks for README, README.md, README.rst or README.txt at the root.

    ## Why is this bad?
    Nobody knows how to install, train, evaluate or serve the model, or what data it needs.

    ## Example
    ```text
    repo/  (no README)
    ```

    ## Use instead
    ```markdown
    # churn
    Install: `pip install -e .`; train: `churn train --config configs/default.yaml`
    ```
    """

    code = "LAY004"
    restates = "readme"
    title = "No README"
    practice = "layout"
    severity = Severity.WARNING
    fix = "Add a README.md saying what the project does and how to install, train, test and run it."
    weight = 10
    cap = 10

    def check(self, project: Project) -> Iterator[Output]:
        if not any("/" not in f.path and f.path.lower() in README_NAMES for f in project.files):
            yield Hit(None, None, "No README at the repository root")


@register
class MissingTestsFolder(Rule):
    """Flags a repository with no tests/ folder.

    ## What it does
    Looks for a `tests/` (or `test/`) folder holding files, at the root or inside a package.

    ## Why is this bad?
    Tests scattered as `test_*.py` next to the code, or absent, mean no one runs them;
    a tests/ folder is where pytest, CI and reviewers look.

    ## Example
    ```text
    repo/
      src/churn/
    ```

    ## Use instead
    ```text
    repo/
      src/churn/
      tests/test_features.py
    ```
    """

    code = "LAY005"
    restates = "tests_folder"
    title = "No tests folder"
    practice = "layout"
    severity = Severity.WARNING
    fix = "Create tests/ with pytest tests of the data loading, features and metrics."
    weight = 10
    cap = 10

    def check(self, project: Project) -> Iterator[Output]:
        if not any(set(f.path.split("/")[:-1]) & TEST_DIRS for f in project.files):
            yield Hit(None, None, "No tests/ folder")


@register
class NotebookOutsideNotebooksFolder(Rule):
    """Flags notebooks lying among the code instead of in a notebooks/ folder.

    ## What it does
    Reports notebooks outside `notebooks/` (or any folder named like `*notebooks*`, `docs/`,
    `examples/`, `tutorials/`); tutorial, example and demo notebooks next to the code they
    teach are fine.

    ## Why is this bad?
    Notebooks next to modules blur what is exploration and what is the product; they end up
    imported, copied from and run in production.

    ## Example
    ```text
    repo/EDA.ipynb  repo/train_final_v2.ipynb
    ```

    ## Use instead
    ```text
    repo/notebooks/01_eda.ipynb
    ```
    """

    code = "LAY006"
    title = "Notebook outside a notebooks folder"
    practice = "layout"
    severity = Severity.WARNING
    fix = "Move exploratory notebooks into notebooks/ (numbered, e.g. 01_eda.ipynb) and code into the package."
    weight = 5
    cap = 15

    def check(self, project: Project) -> Iterator[Output]:
        packages = package_dirs(project)
        for pf in _notebooks(project):
            if set(pf.path.split("/")[:-1]) & NOTEBOOK_DIRS or _in_package(pf.path, packages):
                continue
            if not in_notebook_folder(pf.path) and not is_teaching_notebook(pf.path):
                yield Hit(pf.path, None, f"Notebook {pf.path} is not in a notebooks/ folder")


@register
class NotebookInsidePackage(Rule):
    """Flags notebooks inside the importable package.

    ## What it does
    Reports `.ipynb` files under a folder holding an `__init__.py`.

    ## Why is this bad?
    They get shipped in the wheel, and their code cannot be imported or tested like the
    modules around them.

    ## Example
    ```text
    src/churn/explore.ipynb
    ```

    ## Use instead
    ```text
    notebooks/explore.ipynb   # importing from churn
    ```
    """

    code = "LAY007"
    title = "Notebook inside the package"
    practice = "layout"
    severity = Severity.WARNING
    fix = "Move the notebook to notebooks/ and import the package from it."

    def check(self, project: Project) -> Iterator[Output]:
        packages = package_dirs(project)
        for pf in _notebooks(project):
            if _in_package(pf.path, packages):
                yield Hit(pf.path, None, f"Notebook {pf.path} sits inside the package {_parent(pf.path)}/")


@register
class LogicInNotebooks(Rule):
    """Measures how much of the code lives in notebooks rather than modules.

    ## What it does
    Compares code lines in notebook cells with code lines in library and script modules.
    With 50 or more notebook code lines, a module share under 60% starts to cost points;
    under 20% costs the most.

    ## Why is this bad?
    Notebook code cannot be imported, reviewed line by line or unit-tested, and runs in
    whatever order its cells were last executed.

    ## Example
    ```text
    train_final_v2.ipynb   400 code lines
    utils.py                30 code lines
    ```

    ## Use instead
    ```text
    src/churn/train.py     # the logic, tested
    notebooks/train.ipynb  # calls churn.train.fit(...) and plots
    ```
    """

    code = "LAY008"
    restates = "notebooks_thin"
    scoring = "measured"
    title = "Logic stuck in notebooks"
    practice = "layout"
    severity = Severity.WARNING
    fix = "Move functions and pipeline steps out of notebooks into package modules; keep notebooks for exploration."

    def check(self, project: Project) -> Iterator[Output]:
        notebook_lines = sum(pf.code_lines for pf in _notebooks(project))
        module_lines = project.library_code_lines
        yield Metric("notebook_code_lines", notebook_lines)
        yield Metric("module_code_lines", module_lines)
        if notebook_lines < project.options.threshold("notebook_code_lines_min", 50):
            return
        module_share = module_lines / (notebook_lines + module_lines)
        target = project.options.threshold("module_code_share", 0.6)
        points = linear_points(module_share, 0.2, target, 20)
        reason = f"LAY008 {1 - module_share:.0%} of code lines are in notebooks ({notebook_lines} vs {module_lines})"
        yield Metric("notebook_code_share", round(1 - module_share, 3), points, reason)


@register
class NotebookDefinesFunctions(Rule):
    """Flags notebooks that define many functions or classes.

    ## What it does
    Counts top-level `def` and `class` statements in a notebook's code cells; three or more
    (threshold `notebook_definitions`) is a finding.

    ## Why is this bad?
    Functions defined in a notebook get copy-pasted into the next notebook and drift; they
    belong in a module where they can be imported and tested.

    ## Example
    ```python
    # cell 4
    def clean(df): ...
    def add_features(df): ...
    class Model(nn.Module): ...
    ```

    ## Use instead
    ```python
    from churn.features import clean, add_features
    from churn.model import Model
    ```
    """

    code = "LAY009"
    title = "Notebook defines functions that belong in modules"
    practice = "layout"
    severity = Severity.WARNING
    fix = "Move the functions and classes into a package module and import them in the notebook."

    def check(self, project: Project) -> Iterator[Output]:
        limit = project.options.threshold("notebook_definitions", 3)
        for pf in _notebooks(project):
            defs = [n for n in pf.tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)]
            if len(defs) >= limit:
                names = ", ".join(d.name for d in defs[:5]) + (", ..." if len(defs) > 5 else "")
                yield Hit(pf.path, defs[0].lineno, f"{pf.path} defines {len(defs)} functions/classes ({names})")


@register
class LargeNotebookOutputs(Rule):
    """Flags notebooks committed with large outputs.

    ## What it does
    Adds up everything stored in the cells' outputs (text, HTML, embedded base64 images);
    500 KB or more (threshold `notebook_output_kb`) is a finding.

    ## Why is this bad?
    Outputs bloat git history, make diffs unreadable, and often leak data samples,
    customer rows or tokens into the repository.

    ## Example
    ```text
    EDA.ipynb   4.2 MB (plots and printed DataFrames)
    ```

    ## Use instead
    ```text
    pip install nbstripout && nbstripout --install   # strip outputs on commit
    ```
    """

    code = "LAY010"
    title = "Notebook with large committed outputs"
    practice = "layout"
    severity = Severity.WARNING
    scoring = "flat"  # megabytes in git weigh the same in a small or a large repository
    weight = 5
    cap = 10
    fix = "Clear outputs before committing (nbstripout --install, or jupyter nbconvert --clear-output)."

    def check(self, project: Project) -> Iterator[Output]:
        limit = project.options.threshold("notebook_output_kb", 500) * 1000
        for pf in _notebooks(project):
            total = sum(cell.output_bytes for cell in pf.cells)
            text_bytes = sum(len(out) for cell in pf.cells for out in cell.outputs)
            if total >= limit:
                yield Hit(
                    pf.path,
                    None,
                    f"{pf.path} carries ~{total / 1000:.0f} KB of committed outputs "
                    f"({text_bytes / 1000:.0f} KB text, the rest images/other)",
                )


def _artifacts(project: Project) -> list[SourceFile]:
    return project.of_kind(FileKind.DATA, FileKind.MODEL)


def _is_large(source: SourceFile, project: Project, model_kb: float = 10) -> bool:
    """Return True for model files of `model_kb` KB or more and data files of 100 KB or more."""
    if source.kind is FileKind.MODEL:
        return source.size >= project.options.threshold("model_artifact_kb", model_kb) * 1000
    return source.size >= project.options.threshold("data_artifact_kb", 100) * 1000


@register
class ArtifactInPackage(Rule):
    """Flags data and model files stored inside the importable package.

    ## What it does
    Reports data files (csv, parquet, npy, ...) of 100 KB or more and model files (pt, ckpt,
    pkl, onnx, h5, ...) of 10 KB or more under a folder with an `__init__.py`.

    ## Why is this bad?
    They get shipped in every wheel and image, bloat the package, and tie a model version
    to a code version by accident.

    ## Example
    ```text
    src/churn/model.pt
    ```

    ## Use instead
    ```python
    model = load_model(settings.model_uri)   # an artifact store, DVC or the model registry
    ```
    """

    code = "LAY011"
    title = "Data or model artifact inside the package"
    practice = "layout"
    severity = Severity.WARNING
    fix = "Move the artifact to an artifact store (DVC, MLflow, S3) and load it by path or URI from config."

    def check(self, project: Project) -> Iterator[Output]:
        packages = package_dirs(project)
        for source in _artifacts(project):
            inside = _in_package(source.path, packages)
            if inside and _is_large(source, project) and not intentional_small_data(project, source, True):
                what = "model" if source.kind is FileKind.MODEL else "data"
                yield Hit(source.path, None, f"{what} file {source.path} ({_size(source.size)}) inside the package")


@register
class ArtifactTrackedByGit(Rule):
    """Flags data and model artifacts committed to git instead of DVC, Git LFS or an artifact store.

    ## What it does
    Reports tracked model files (any size) and data files of 100 KB or more that neither
    a `.dvc` pointer nor a `.gitattributes` `filter=lfs` rule covers. Small fixtures
    under tests/, runtime package data the package reads, and result tables the docs
    publish (each under 1 MB) are fine.

    ## Why is this bad?
    Binary artifacts bloat every clone forever (deleting them later does not shrink
    history), cannot be diffed, and their lineage (which data, which code) is lost.

    ## Example
    ```text
    git add models/model.pkl data/train.parquet
    ```

    ## Use instead
    ```text
    dvc add data/train.parquet models/model.pkl    # or: git lfs track "*.pkl"
    ```
    """

    code = "LAY012"
    title = "Artifact tracked by git"
    practice = "layout"
    severity = Severity.WARNING
    fix = "git rm --cached the file and track it with DVC (dvc add) or Git LFS (git lfs track), or an artifact store."
    weight = 8
    cap = 20

    def check(self, project: Project) -> Iterator[Output]:
        candidates = [f for f in _artifacts(project) if _is_large(f, project, 0) and not _small_fixture(f)]
        if not candidates:
            return
        tracked = project.tracked
        if tracked is None:
            yield NotRun("LAY012 artifacts tracked by git", "not a git repository")
            return
        lfs = _lfs_patterns(project)
        packages = package_dirs(project)
        for source in candidates:
            if intentional_small_data(project, source, _in_package(source.path, packages)):
                continue
            if _committed_plainly(project, source.path, tracked, lfs):
                what = "model" if source.kind is FileKind.MODEL else "data"
                yield Hit(source.path, None, f"{what} file {source.path} ({_size(source.size)}) is committed to git")


def _committed_plainly(project: Project, path: str, tracked: frozenset[str], lfs: list[tuple[str, str]]) -> bool:
    """Return True when git tracks the file itself (not through a DVC pointer or Git LFS)."""
    return path in tracked and not _dvc_pointer(project, path) and not _lfs(path, lfs)


def _small_fixture(source: SourceFile) -> bool:
    return bool(set(source.path.split("/")[:-1]) & TEST_DIRS) and source.size < 1_000_000


def _size(size: int) -> str:
    if size < 1000:
        return f"{size} bytes"
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} KB"


def _dvc_pointer(project: Project, path: str) -> bool:
    current = path
    while current:
        if project.has_file(current + ".dvc"):
            return True
        current = _parent(current)
    return False


def _lfs_patterns(project: Project) -> list[tuple[str, str]]:
    """Return (folder, pattern) for each `.gitattributes` line that sets `filter=lfs`."""
    found: list[tuple[str, str]] = []
    for source in project.files:
        if source.path.rsplit("/", 1)[-1] != ".gitattributes":
            continue
        for line in (project.text(source.path) or "").splitlines():
            fields = line.split()
            if len(fields) >= 2 and "filter=lfs" in fields[1:]:
                found.append((_parent(source.path), fields[0]))
    return found


def _lfs(path: str, patterns: list[tuple[str, str]]) -> bool:
    for folder, pattern in patterns:
        if folder and not path.startswith(folder + "/"):
            continue
        local = path[len(folder) + 1 :] if folder else path
        anchored = "/" in pattern.strip("/")
        target = local if anchored else local.rsplit("/", 1)[-1]
        if fnmatch.fnmatch(target, pattern.lstrip("/")) or fnmatch.fnmatch(
            local, pattern.lstrip("/").rstrip("/") + "/*"
        ):
            return True
    return False
