"""Provides the rules of the `typing` practice: annotation coverage, a type checker and a linter."""

from __future__ import annotations

import ast
import configparser
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from mlaudit.model import FileKind, Severity
from mlaudit.practices._ci import ci_files, ci_text
from mlaudit.project import FunctionNode, Project, PythonFile
from mlaudit.readers import ini_file, toml_file
from mlaudit.registry import Hit, Metric, NotRun, Output, Rule, applicability, register
from mlaudit.scoring import linear_points
from mlaudit.tools.complexity import functions_of

SELF_NAMES = frozenset({"self", "cls", "mcs", "metacls"})
TYPE_CHECKERS = ("mypy", "pyright", "basedpyright", "pyre")
LINTERS = ("ruff", "flake8", "pylint")
CI_PREFIXES = (".github/workflows/", ".gitlab-ci", ".circleci/", "Makefile", "tox.ini", "noxfile")
FULL_SHARE_POINTS = 40
PARAMETER_SHARE_POINTS = 20
COVERAGE_TARGET = 0.9


@dataclass(frozen=True)
class FunctionAnnotations:
    """How completely one function signature is annotated."""

    name: str
    line: int
    parameters: int
    annotated_parameters: int
    needs_return: bool
    has_return: bool
    public: bool

    @property
    def fully_annotated(self) -> bool:
        """Return True when every parameter and (where needed) the return are annotated."""
        return self.annotated_parameters == self.parameters and (self.has_return or not self.needs_return)


@dataclass(frozen=True)
class ModuleAnnotations:
    """The annotation figures of one module."""

    path: str
    functions: tuple[FunctionAnnotations, ...]

    @property
    def fully_annotated(self) -> int:
        """Return how many functions are fully annotated."""
        return sum(1 for f in self.functions if f.fully_annotated)


@dataclass(frozen=True)
class Coverage:
    """Annotation coverage of a set of modules."""

    scope: str
    modules: tuple[ModuleAnnotations, ...]

    @property
    def functions(self) -> list[FunctionAnnotations]:
        """Return every counted function."""
        return [f for m in self.modules for f in m.functions]

    def share(self, public_only: bool = False) -> float:
        """Return the share (0-1) of functions fully annotated."""
        funcs = [f for f in self.functions if f.public or not public_only]
        return sum(1 for f in funcs if f.fully_annotated) / len(funcs) if funcs else 1.0

    def parameter_share(self) -> float:
        """Return the share (0-1) of parameters annotated."""
        total = sum(f.parameters for f in self.functions)
        return sum(f.annotated_parameters for f in self.functions) / total if total else 1.0


def signature_params(fn: FunctionNode) -> list[ast.arg]:
    """Return the parameters that should carry an annotation (not `self`/`cls`)."""
    args = fn.args
    named = [*args.posonlyargs, *args.args]
    if named and named[0].arg in SELF_NAMES:
        named = named[1:]
    extra = [a for a in (args.vararg, args.kwarg) if a is not None]
    return [*named, *args.kwonlyargs, *extra]


def function_annotations(pf: PythonFile, fn: FunctionNode) -> FunctionAnnotations:
    """Return the annotation figures of one function."""
    params = signature_params(fn)
    nested = pf.enclosing_function(fn) is not None
    public = not nested and (not fn.name.startswith("_") or fn.name.endswith("__"))
    return FunctionAnnotations(
        name=fn.name,
        line=fn.lineno,
        parameters=len(params),
        annotated_parameters=sum(1 for p in params if p.annotation is not None),
        needs_return=fn.name != "__init__",
        has_return=fn.returns is not None,
        public=public,
    )


def module_annotations(pf: PythonFile) -> ModuleAnnotations:
    """Return the annotation figures of every function of one module."""
    funcs = functions_of(pf)
    return ModuleAnnotations(pf.path, tuple(function_annotations(pf, fn) for fn in funcs))


def _compute_coverage(project: Project) -> Coverage:
    for kind, scope in ((FileKind.LIBRARY, "library"), (FileKind.SCRIPT, "script")):
        modules = tuple(module_annotations(pf) for pf in project.python_of(kind))
        if any(m.functions for m in modules):
            return Coverage(scope, modules)
    return Coverage("library", ())


def annotation_coverage(project: Project) -> Coverage:
    """Return the annotation coverage of library code (script code when there is no library)."""
    result: Coverage = project.fact("typing.coverage", _compute_coverage)
    return result


@applicability("typing")
def typing_applies(project: Project) -> str | None:
    """Typing is judged whenever there are Python modules outside tests and notebooks."""
    if project.python_of(FileKind.LIBRARY, FileKind.SCRIPT):
        return None
    return "no Python modules outside tests and notebooks"


def _pct(share: float) -> str:
    return f"{share * 100:.0f}%"


@register
class LowAnnotationCoverage(Rule):
    """Measures how much of the library code carries type annotations.

    ## What it does
    Counts, in library modules (not tests, not notebooks), the share of functions whose every
    parameter (except `self`/`cls`) and return are annotated (`__init__` needs no return), the
    share of annotated parameters and the share of fully annotated public functions. Coverage
    maps linearly from 0 % (all points lost) to 90 % (no points lost).

    ## Why is this bad?
    Unannotated code cannot be checked: shape, `None` and wrong-argument mistakes surface hours
    into a training run instead of in the editor.

    ## Example
    ```python
    def load(path, limit=None):
        ...
    ```

    ## Use instead
    ```python
    def load(path: Path, limit: int | None = None) -> pd.DataFrame:
        ...
    ```
    """

    code = "TYP001"
    restates = "functions_annotated"
    scoring = "measured"
    title = "Low annotation coverage"
    practice = "typing"
    severity = Severity.WARNING
    fix = "Annotate the parameters and return type of library functions, starting with the public ones."

    def check(self, project: Project) -> Iterator[Output]:
        coverage = annotation_coverage(project)
        funcs = coverage.functions
        if not funcs:
            yield NotRun("annotation coverage", "no functions in library or script code")
            return
        full, params, public = coverage.share(), coverage.parameter_share(), coverage.share(public_only=True)
        target = annotation_target(project)
        yield Metric(
            "annotated_functions_pct", round(full * 100, 1), *self._points(full, len(funcs), coverage.scope, target)
        )
        yield Metric(
            "annotated_parameters_pct",
            round(params * 100, 1),
            linear_points(params, 0.0, target, PARAMETER_SHARE_POINTS),
            f"TYP001 {_pct(params)} of {coverage.scope} parameters annotated (target {_pct(target)})",
        )
        yield Metric("annotated_public_functions_pct", round(public * 100, 1))
        yield Metric("functions_counted", len(funcs))

    @staticmethod
    def _points(share: float, count: int, scope: str, target: float) -> tuple[int, str]:
        points = linear_points(share, 0.0, target, FULL_SHARE_POINTS)
        reason = f"TYP001 {_pct(share)} of {count} {scope} functions fully annotated (target {_pct(target)})"
        return points, reason


def annotation_target(project: Project) -> float:
    """Return the configured annotation target as a share (config may say 90 or 0.9)."""
    value = project.options.threshold("annotation_target", COVERAGE_TARGET)
    return value / 100 if value > 1 else value


@register
class PoorlyAnnotatedModule(Rule):
    """Names the five modules with the weakest annotation coverage.

    ## What it does
    Ranks library modules with at least three functions by their share of fully annotated
    functions and reports the five worst (below 90 %), so you know where to start.

    ## Why is this bad?
    Annotation work pays off most where coverage is lowest: one typed module lets the checker
    catch misuse in every caller.

    ## Example
    ```python
    # features.py: 0 of 12 functions annotated
    def build(df, cols): ...
    ```

    ## Use instead
    ```python
    def build(df: pd.DataFrame, cols: Sequence[str]) -> pd.DataFrame: ...
    ```
    """

    code = "TYP002"
    title = "Poorly annotated module"
    practice = "typing"
    severity = Severity.INFO
    fix = "Annotate this module's functions first: it has the lowest coverage."

    def check(self, project: Project) -> Iterator[Output]:
        candidates = [m for m in annotation_coverage(project).modules if len(m.functions) >= 3]
        ranked = sorted(candidates, key=lambda m: (m.fully_annotated / len(m.functions), -len(m.functions), m.path))
        for module in ranked[:5]:
            share = module.fully_annotated / len(module.functions)
            if share >= annotation_target(project):
                break
            yield Hit(
                module.path,
                None,
                f"{module.path}: {module.fully_annotated} of {len(module.functions)} functions "
                f"fully annotated ({_pct(share)})",
            )


def _toml(project: Project, path: str) -> dict[str, Any]:
    return toml_file(project, path).table


def _ini(project: Project, path: str) -> configparser.ConfigParser | None:
    return ini_file(project, path).parser


def _pyproject_tools(project: Project) -> dict[str, Any]:
    tool = _toml(project, "pyproject.toml").get("tool", {})
    return tool if isinstance(tool, dict) else {}


def _ini_sections(project: Project, path: str) -> list[str]:
    parser = _ini(project, path)
    return parser.sections() if parser is not None else []


def _mentions(project: Project, names: tuple[str, ...], paths: list[str]) -> str | None:
    """Return the first CI file that names one of the tools as a word (`ruff`, not `trufflehog`)."""
    pattern = re.compile(rf"(?<![\w-])({'|'.join(map(re.escape, names))})(?![\w-])")
    for path in paths:
        if pattern.search(ci_text(project, path).lower()):
            return path
    return None


def _ci_files(project: Project) -> list[str]:
    extra = [p for p in project.texts if p.startswith(CI_PREFIXES) or p == ".pre-commit-config.yaml"]
    return sorted({*ci_files(project), *extra})


def find_type_checker(project: Project) -> str | None:
    """Return where a type checker is configured (file and tool), or None."""
    tools = _pyproject_tools(project)
    for name in TYPE_CHECKERS:
        if name in tools:
            return f"pyproject.toml [tool.{name}]"
    for path in ("mypy.ini", ".mypy.ini", "pyrightconfig.json", ".pyre_configuration"):
        if project.has_file(path):
            return path
    for path in ("setup.cfg", "tox.ini"):
        if any(s == "mypy" or s.startswith("mypy-") for s in _ini_sections(project, path)):
            return f"{path} [mypy]"
    found = _mentions(project, ("mypy", "pyright"), _ci_files(project))
    return f"{found} (runs a type checker)" if found else None


def find_linter(project: Project) -> str | None:
    """Return where a linter is configured (file and tool), or None."""
    tools = _pyproject_tools(project)
    for name in LINTERS:
        if name in tools:
            return f"pyproject.toml [tool.{name}]"
    for path in ("ruff.toml", ".ruff.toml", ".flake8", ".pylintrc", "pylintrc"):
        if project.has_file(path):
            return path
    for path in ("setup.cfg", "tox.ini"):
        if {"flake8", "pylint", "MASTER", "pylint.main"} & set(_ini_sections(project, path)):
            return f"{path} [flake8/pylint]"
    found = _mentions(project, LINTERS, _ci_files(project))
    return f"{found} (runs a linter)" if found else None


@register
class NoTypeChecker(Rule):
    """Flags a repository where no type checker (mypy, pyright, pyre) is configured or run.

    ## What it does
    Looks for `[tool.mypy]`/`[tool.pyright]` in pyproject.toml, `mypy.ini`, `.mypy.ini`,
    a `[mypy]` section in setup.cfg or tox.ini, `pyrightconfig.json`, `.pyre_configuration`, or
    a pre-commit hook or CI step running mypy or pyright.

    ## Why is this bad?
    Annotations nobody checks drift out of date and give false confidence; the checker is
    what turns them into caught bugs.

    ## Example
    ```toml
    [project]
    name = "churn"
    ```

    ## Use instead
    ```toml
    [tool.mypy]
    strict = true
    files = ["src"]
    ```
    """

    code = "TYP003"
    restates = "type_checker"
    title = "No type checker configured"
    practice = "typing"
    severity = Severity.WARNING
    fix = "Add a [tool.mypy] table (strict = true) to pyproject.toml and run mypy in CI or pre-commit."
    weight = 15
    cap = 15

    def check(self, project: Project) -> Iterator[Output]:
        found = find_type_checker(project)
        yield Metric("type_checker", found or "none")
        if found is None:
            yield Hit(
                None,
                None,
                "No type checker (mypy, pyright, pyre) is configured or run anywhere in the repo",
                fix=mypy_fix(project),
            )


def _package_names(project: Project) -> set[str]:
    names: set[str] = set()
    for pf in project.python_of(FileKind.LIBRARY):
        parts = pf.path.split("/")
        if parts[-1] == "__init__.py" and len(parts) >= 2:
            names.add(parts[-2])
    return names


def _mypy_patterns(pattern: object) -> list[str]:
    if isinstance(pattern, str):
        return [p.strip() for p in pattern.split(",")]
    return [str(p) for p in pattern] if isinstance(pattern, list) else []


def _covers_package(patterns: list[str], packages: set[str]) -> str | None:
    for pattern in patterns:
        head = pattern.split(".")[0]
        if head == "*" or (head in packages and pattern in {head, f"{head}.*"}):
            return pattern
    return None


def _truthy(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in {"true", "1", "yes", "on"})


def _defeated_in_toml(project: Project, packages: set[str]) -> str | None:
    mypy = _pyproject_tools(project).get("mypy", {})
    if not isinstance(mypy, dict):
        return None
    if _truthy(mypy.get("ignore_errors")):
        return "pyproject.toml [tool.mypy] ignore_errors = true"
    for override in mypy.get("overrides", []):
        if isinstance(override, dict) and _truthy(override.get("ignore_errors")):
            pattern = _covers_package(_mypy_patterns(override.get("module")), packages)
            if pattern:
                return f"pyproject.toml [[tool.mypy.overrides]] module = {pattern!r} ignore_errors = true"
    return None


def _defeated_in_ini(project: Project, packages: set[str]) -> str | None:
    for path in ("mypy.ini", ".mypy.ini", "setup.cfg", "tox.ini"):
        parser = _ini(project, path)
        if parser is None:
            continue
        for section in parser.sections():
            if not (section == "mypy" or section.startswith("mypy-")):
                continue
            if not _truthy(parser.get(section, "ignore_errors", fallback="")):
                continue
            if section == "mypy" or _covers_package(_mypy_patterns(section[5:]), packages):
                return f"{path} [{section}] ignore_errors = True"
    return None


@register
class TypeCheckerDefeated(Rule):
    """Flags a mypy configuration that ignores every error in the package.

    ## What it does
    Reads the mypy settings (pyproject.toml, mypy.ini, .mypy.ini, setup.cfg, tox.ini) and
    reports `ignore_errors = true` set globally or on an override that covers the whole
    package (`mypkg` or `mypkg.*`). Overrides for single modules are left alone.

    ## Why is this bad?
    The checker runs and passes, but checks nothing: the configuration looks typed while
    every error is thrown away.

    ## Example
    ```toml
    [[tool.mypy.overrides]]
    module = "churn.*"
    ignore_errors = true
    ```

    ## Use instead
    ```toml
    [[tool.mypy.overrides]]
    module = "churn.legacy_loader"
    ignore_errors = true
    ```
    """

    code = "TYP004"
    title = "Type checker configured to ignore every error"
    practice = "typing"
    severity = Severity.WARNING
    fix = "Remove ignore_errors for the package; silence single modules or lines (# type: ignore[code]) instead."
    weight = 10
    cap = 10

    def check(self, project: Project) -> Iterator[Output]:
        packages = _package_names(project)
        where = _defeated_in_toml(project, packages) or _defeated_in_ini(project, packages)
        if where is not None:
            path = where.split(" ", 1)[0]
            yield Hit(path, None, f"Type checking is switched off: {where}")


@register
class NoLinter(Rule):
    """Flags a repository where no linter (ruff, flake8, pylint) is configured or run.

    ## What it does
    Looks for `[tool.ruff]`/`[tool.pylint]` in pyproject.toml, `ruff.toml`, `.flake8`,
    `.pylintrc`, a `[flake8]` section in setup.cfg or tox.ini, or a pre-commit hook or CI step
    that runs one of them.

    ## Why is this bad?
    Without a linter, unused variables, shadowed names, mutable defaults and bare excepts
    slip through review, and style arguments replace real review.

    ## Example
    ```text
    repo/
      pyproject.toml   # no [tool.ruff]
    ```

    ## Use instead
    ```toml
    [tool.ruff.lint]
    select = ["E", "F", "B", "I", "UP"]
    ```
    """

    code = "TYP005"
    restates = "linter"
    title = "No linter configured"
    practice = "typing"
    severity = Severity.WARNING
    fix = 'Add [tool.ruff.lint] select = ["E", "F", "B", "I"] to pyproject.toml and run ruff in CI or pre-commit.'
    weight = 10
    cap = 10

    def check(self, project: Project) -> Iterator[Output]:
        found = find_linter(project)
        yield Metric("linter", found or "none")
        if found is None:
            yield Hit(
                None,
                None,
                "No linter (ruff, flake8, pylint) is configured or run anywhere in the repo",
                fix=ruff_fix(project),
            )


def declared_python(project: Project) -> str | None:
    """Return the lowest Python version the project declares (`requires-python`, `python_requires`), e.g. "3.8"."""
    candidates: list[str] = []
    requires = _toml(project, "pyproject.toml").get("project", {}).get("requires-python")
    if isinstance(requires, str):
        candidates.append(requires)
    for path in ("setup.py", "setup.cfg"):
        match = re.search(r"python_requires\s*=\s*['\"]?([^'\"\n]+)", project.text(path) or "")
        if match:
            candidates.append(match.group(1))
    for spec in candidates:
        found = re.search(r">=\s*(3\.\d+)", spec)
        if found:
            return found.group(1)
    return None


def check_targets(project: Project) -> list[str]:
    """Return the folders a checker should cover: `src` when the layout has it, else the top packages."""
    if any(path.startswith("src/") for path in project.python):
        return ["src"]
    inits = {
        pf.path.rsplit("/", 1)[0] for pf in project.python_of(FileKind.LIBRARY) if pf.path.endswith("/__init__.py")
    }
    tops = sorted(d for d in inits if "/" not in d or d.rsplit("/", 1)[0] not in inits)
    return tops[:4]


def mypy_fix(project: Project) -> str:
    """Return the TYP003 fix for this repository's layout, declared Python and config file."""
    parts = ["strict = true"]
    targets = check_targets(project)
    if targets:
        parts.append("files = [" + ", ".join(f'"{t}"' for t in targets) + "]")
    version = declared_python(project)
    if version:
        parts.append(f'python_version = "{version}"')
    where = (
        "a [tool.mypy] table to pyproject.toml" if project.has_file("pyproject.toml") else "a mypy.ini [mypy] section"
    )
    return f"Add {where} ({'; '.join(parts)}) and run mypy in CI or pre-commit."


def ruff_fix(project: Project) -> str:
    """Return the TYP005 fix for this repository's config file and declared Python."""
    version = declared_python(project)
    target = f'; target-version = "py{version.replace(".", "")}"' if version else ""
    where = "pyproject.toml [tool.ruff]" if project.has_file("pyproject.toml") else "a ruff.toml"
    return f'Add {where} with lint.select = ["E", "F", "B", "I"]{target}, and run ruff in CI or pre-commit.'


def _top_packages(project: Project) -> list[str]:
    inits = {
        pf.path.rsplit("/", 1)[0] for pf in project.python_of(FileKind.LIBRARY) if pf.path.endswith("/__init__.py")
    }
    return sorted(d for d in inits if d.rsplit("/", 1)[0] not in inits)


def _is_installable(project: Project) -> bool:
    return (
        "project" in _toml(project, "pyproject.toml") or project.has_file("setup.py") or project.has_file("setup.cfg")
    )


@register
class MissingPyTyped(Rule):
    """Notes an installable, annotated package that does not ship a `py.typed` marker.

    ## What it does
    For each top-level package of an installable project (pyproject `[project]`, setup.py
    or setup.cfg) whose code is at least half annotated, checks for a `py.typed` file.

    ## Why is this bad?
    Without the PEP 561 marker, type checkers in projects that install the package ignore
    its annotations and treat every import as `Any`.

    ## Example
    ```text
    src/churn/__init__.py
    src/churn/features.py
    ```

    ## Use instead
    ```text
    src/churn/__init__.py
    src/churn/py.typed
    ```
    """

    code = "TYP006"
    title = "Annotated package without py.typed"
    practice = "typing"
    severity = Severity.INFO
    fix = "Add an empty py.typed file to the package and include it in the package data."

    def check(self, project: Project) -> Iterator[Output]:
        if not _is_installable(project) or annotation_coverage(project).share() < 0.5:
            return
        for package in _top_packages(project):
            if not project.has_file(f"{package}/py.typed"):
                yield Hit(f"{package}/__init__.py", None, f"Package {package} has no py.typed marker")


def _is_any(pf: PythonFile, annotation: ast.expr | None) -> bool:
    if annotation is None:
        return False
    if isinstance(annotation, ast.Constant) and annotation.value == "Any":
        return True
    name = pf.qualname(annotation)
    return name in {"typing.Any", "typing_extensions.Any"}


def any_slots(pf: PythonFile, fn: FunctionNode) -> tuple[int, int]:
    """Return (slots typed as bare `Any`, annotated slots) of a signature, ignoring *args/**kwargs."""
    args = fn.args
    named = [a for a in (*args.posonlyargs, *args.args, *args.kwonlyargs) if a.annotation is not None]
    slots = [a.annotation for a in named] + ([fn.returns] if fn.returns is not None else [])
    return sum(1 for s in slots if _is_any(pf, s)), len(slots)


@register
class AnyHeavySignature(Rule):
    """Notes library functions whose signatures are mostly `Any`.

    ## What it does
    Reports functions with at least two parameters or return typed as bare `Any`, making up
    at least half of the annotated signature (`*args: Any`, `**kwargs: Any` and
    `dict[str, Any]` are not counted).

    ## Why is this bad?
    `Any` switches the checker off for every value that flows through it: the function looks
    typed but nothing is checked.

    ## Example
    ```python
    def train(model: Any, data: Any, cfg: Any) -> Any: ...
    ```

    ## Use instead
    ```python
    def train(model: nn.Module, data: DataLoader[Batch], cfg: TrainConfig) -> TrainResult: ...
    ```
    """

    code = "TYP007"
    title = "Signature typed mostly as Any"
    practice = "typing"
    severity = Severity.INFO
    fix = "Replace Any with the concrete types, a Protocol, or a TypeVar."

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python_of(FileKind.LIBRARY):
            if "Any" not in pf.text:
                continue
            for fn in functions_of(pf):
                anys, annotated = any_slots(pf, fn)
                if anys >= 2 and anys * 2 >= annotated:
                    yield Hit(pf.path, fn.lineno, f"{fn.name}() has {anys} of {annotated} signature types as Any")
