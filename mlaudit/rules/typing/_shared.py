"""Provides helpers shared by several rules of the `typing` practice (or by other modules)."""

from __future__ import annotations

import ast
import configparser
import re
from dataclasses import dataclass
from typing import Any

from mlaudit.facts.ci import ci_files, ci_text
from mlaudit.facts.distributions import normalise
from mlaudit.model import FileKind
from mlaudit.project import FunctionNode, Project, PythonFile
from mlaudit.readers import ini_file, toml_file
from mlaudit.rules.dependencies._shared import declared_dependencies
from mlaudit.tools.complexity import functions_of

SELF_NAMES = frozenset({"self", "cls", "mcs", "metacls"})


TYPE_CHECKERS = ("mypy", "pyright", "basedpyright", "pyre", "pyrefly", "ty")
# how each checker is named in a CI step or hook: `ty` only as the command `ty check`, a short word otherwise
TYPE_CHECK_COMMANDS = (*(name for name in TYPE_CHECKERS if name != "ty"), "ty check")
TYPE_CHECKER_FILES = ("mypy.ini", ".mypy.ini", "pyrightconfig.json", ".pyre_configuration", "pyrefly.toml", "ty.toml")


LINTERS = ("ruff", "flake8", "pylint")


CI_PREFIXES = (".github/workflows/", ".gitlab-ci", ".circleci/", "Makefile", "tox.ini", "noxfile")


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
        has_return=fn.returns is not None or declares_response_model(fn),
        public=public,
    )


def declares_response_model(fn: FunctionNode) -> bool:
    """Return True for a route whose decorator types its response (`@app.post(..., response_model=Reply)`).

    FastAPI validates and documents the return value against `response_model`: it is the
    function's return type, declared where the framework reads it.
    """
    return any(
        isinstance(d, ast.Call) and any(k.arg == "response_model" and not _is_none(k.value) for k in d.keywords)
        for d in fn.decorator_list
    )


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


ANNOTATIONS_FACT = "typing.annotations"  # a per-file fact (mlaudit.filefacts)


def module_annotations(pf: PythonFile) -> ModuleAnnotations:
    """Return the annotation figures of every function of one module."""
    funcs = functions_of(pf)
    return ModuleAnnotations(pf.path, tuple(function_annotations(pf, fn) for fn in funcs))


def _compute_coverage(project: Project) -> Coverage:
    for kind, scope in ((FileKind.LIBRARY, "library"), (FileKind.SCRIPT, "script")):
        modules = tuple(pf.file_fact(ANNOTATIONS_FACT, module_annotations) for pf in project.python_of(kind))
        if any(m.functions for m in modules):
            return Coverage(scope, modules)
    return Coverage("library", ())


def annotation_coverage(project: Project) -> Coverage:
    """Return the annotation coverage of library code (script code when there is no library)."""
    result: Coverage = project.fact("typing.coverage", _compute_coverage)
    return result


def _pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def annotation_target(project: Project) -> float:
    """Return the configured annotation target as a share (config may say 90 or 0.9)."""
    value = project.options.threshold("annotation_target", COVERAGE_TARGET)
    return value / 100 if value > 1 else value


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
    for path in TYPE_CHECKER_FILES:
        if project.has_file(path):
            return path
    for path in ("setup.cfg", "tox.ini"):
        if any(s == "mypy" or s.startswith("mypy-") for s in _ini_sections(project, path)):
            return f"{path} [mypy]"
    found = _mentions(project, TYPE_CHECK_COMMANDS, _ci_files(project))
    if found:
        return f"{found} (runs a type checker)"
    return _mode_headers(project)


def _dev_requirement(project: Project, distributions: frozenset[str]) -> str | None:
    """Return where one of the linters is declared as a development requirement (requirements-dev.txt, a dev
    or lint extra or dependency group, Pipfile's dev-packages): the developers install it to run it, and a
    linter's defaults check real faults (unused names, undefined names, bare excepts). Not so a type checker,
    which by default skips every unannotated function; nor a runtime requirement (a frozen environment lists
    whatever was installed)."""
    for requirement in declared_dependencies(project).requirements:
        if requirement.dev and normalise(requirement.name) in distributions:
            return f"{requirement.path} ({requirement.name} is a development requirement, run with its defaults)"
    return None


# A checker's per-file mode line (`# pyre-strict`, `# pyright: strict`): set in a module only for that checker.
MODE_HEADER = re.compile(r"^#\s*(pyre-strict|pyre-unsafe|pyright:\s*(?:strict|basic|standard))\s*$", re.MULTILINE)
MODE_HEADER_SHARE = 0.25  # of the library modules: a checker's setting, not one file copied in
HEADER_LINES = 20


def _mode_headers(project: Project) -> str | None:
    """Return the first of the library modules that set a type checker's mode in their header (`# pyre-strict`),
    when a quarter of them or more do: the checker runs on the code, configured where the sdist does not ship."""
    modules = [pf for pf in project.python_of(FileKind.LIBRARY) if pf.code_lines]
    marked = [pf for pf in modules if MODE_HEADER.search("\n".join(pf.text.splitlines()[:HEADER_LINES]))]
    if len(marked) < 2 or len(marked) < MODE_HEADER_SHARE * len(modules):
        return None
    first = sorted(marked, key=lambda pf: pf.path)[0]
    mode = MODE_HEADER.search("\n".join(first.text.splitlines()[:HEADER_LINES]))
    shown = mode.group(1) if mode else "mode"
    return f"{first.path} (# {shown} in {len(marked)} of {len(modules)} library modules)"


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
    return f"{found} (runs a linter)" if found else _dev_requirement(project, frozenset(LINTERS))


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
