"""Provides the capabilities of the `typing` practice: annotated code, checked by tools that run."""

from __future__ import annotations

import re
from collections.abc import Iterable

from mlaudit.capabilities import Assessment, Capability, register_capability
from mlaudit.capabilities._common import line_of, located, ratio, share_text
from mlaudit.facts.ci import ci_files, ci_text
from mlaudit.project import Project
from mlaudit.rules.typing._shared import (
    LINTERS,
    TYPE_CHECK_COMMANDS,
    FunctionAnnotations,
    ModuleAnnotations,
    annotation_coverage,
    find_linter,
    find_type_checker,
)

FULL_TARGET = 0.8
PARAM_TARGET = 0.9
PRE_COMMIT = ".pre-commit-config.yaml"


def _where(project: Project, found: str) -> tuple[str, int | None]:
    """Return the file and line of a `find_type_checker`/`find_linter` answer."""
    path = found.split(" ", 1)[0]
    section = re.search(r"\[(tool\.[\w-]+|[\w-]+)", found)
    needle = re.compile(rf"^\[{re.escape(section.group(1))}" if section else r"^", re.MULTILINE)
    return path, line_of(project.text(path), needle) if section else None


@register_capability
class FunctionsAnnotated(Capability):
    """Library functions are fully annotated (parameters and return); 80% of functions earns it fully, on a
    square-root curve: the first annotations (public entry points) buy the most, so 20% typed earns half."""

    key = "functions_annotated"
    practice = "typing"
    title = "Functions fully annotated"
    points = 40

    def assess(self, project: Project) -> Assessment:
        cov = annotation_coverage(project)
        funcs = _to_annotate(cov.functions)
        if not funcs:
            return Assessment.missing("No functions to annotate in library or script code")
        full = [f for f in funcs if f.fully_annotated]
        sentence = f"{share_text(len(full), len(funcs))} {cov.scope} functions fully annotated"
        best = _best_module(cov.modules)
        if best is not None:
            sentence += f" (best: {best[0]}, {best[1]} of {best[2]})"
        share = ratio(len(full) / len(funcs), 0.0, FULL_TARGET) ** 0.5
        return Assessment.partly(share, sentence, best[0] if best is not None else None)


def _best_module(modules: Iterable[ModuleAnnotations]) -> tuple[str, int, int] | None:
    """Return the module with the most fully annotated functions (path, how many, of how many), by the same
    functions the share counts (an `__init__(self)` has nothing to annotate), or None when none has one."""
    counts = [
        (m.path, sum(f.fully_annotated for f in own), len(own)) for m in modules if (own := _to_annotate(m.functions))
    ]
    best = max(counts, key=lambda c: (c[1], -c[2]), default=None)
    return best if best is not None and best[1] else None


def _to_annotate(functions: Iterable[FunctionAnnotations]) -> list[FunctionAnnotations]:
    """Return the functions with something to annotate: a parameter, or a return (not `__init__`'s)."""
    return [f for f in functions if f.parameters or f.needs_return]


@register_capability
class ParametersAnnotated(Capability):
    """Parameters carry type hints (share of annotated parameters; 90% earns it fully)."""

    key = "parameters_annotated"
    practice = "typing"
    title = "Parameters annotated"
    points = 15

    def assess(self, project: Project) -> Assessment:
        cov = annotation_coverage(project)
        total = sum(f.parameters for f in cov.functions)
        if not total:
            return Assessment.missing("No function parameters to annotate")
        done = sum(f.annotated_parameters for f in cov.functions)
        return Assessment.partly(
            ratio(done / total, 0.0, PARAM_TARGET), f"{share_text(done, total)} {cov.scope} parameters annotated"
        )


@register_capability
class TypeCheckerConfigured(Capability):
    """A type checker (mypy, pyright, pyre, pyrefly, ty) is configured or run."""

    key = "type_checker"
    practice = "typing"
    title = "Type checker configured"
    points = 20

    def assess(self, project: Project) -> Assessment:
        found = find_type_checker(project)
        if found is None:
            return Assessment.missing(
                "No type checker configured (expected [tool.mypy] in pyproject.toml or pyrightconfig.json)"
            )
        path, line = _where(project, found)
        return Assessment.earned(f"type checker at {located(path, line)}{found[len(path) :]}", path, line)


@register_capability
class LinterConfigured(Capability):
    """A linter (ruff, flake8, pylint) is configured, run, or declared as a development requirement."""

    key = "linter"
    practice = "typing"
    title = "Linter configured"
    points = 15

    def assess(self, project: Project) -> Assessment:
        found = find_linter(project)
        if found is None:
            return Assessment.missing("No linter configured (expected [tool.ruff] in pyproject.toml or .flake8)")
        path, line = _where(project, found)
        return Assessment.earned(f"linter at {located(path, line)}{found[len(path) :]}", path, line)


@register_capability
class ChecksAutomated(Capability):
    """The type checker or linter runs automatically, in CI or a pre-commit hook."""

    key = "checks_automated"
    practice = "typing"
    title = "Static checks run in CI or pre-commit"
    points = 10

    def assess(self, project: Project) -> Assessment:
        tools = re.compile(rf"\b({'|'.join((*TYPE_CHECK_COMMANDS, *LINTERS))})\b")
        for path in [*ci_files(project), PRE_COMMIT]:
            text = ci_text(project, path) if path != PRE_COMMIT else project.text(path) or ""
            match = tools.search(text)
            if match:
                line = line_of(project.text(path), tools)
                return Assessment.earned(f"{located(path, line)} runs {match.group(1)}", path, line)
        return Assessment.missing("No CI step or pre-commit hook runs a type checker or linter")
