"""Provides the capabilities of the `functions` practice: code cut into small, simple, callable units."""

from __future__ import annotations

from mlaudit.capabilities import Assessment, Capability, register_capability
from mlaudit.capabilities._common import ratio, share_text
from mlaudit.model import FileKind
from mlaudit.practices.functions import (
    _script_style_candidate,
    all_functions,
    code_metrics,
    import_time_work,
)
from mlaudit.project import Project

SMALL_LINES = 40
SIMPLE_COMPLEXITY = 10
SHARE_FLOOR = 0.75
SHARE_TARGET = 0.97
MAINTAINABLE = 20.0
NO_FUNCTIONS = "No functions: the code runs as module-level statements"


@register_capability
class SmallFunctions(Capability):
    """Functions are short: the share of functions of at most 40 code lines, 97% earning it fully
    (75% or fewer earns nothing: a codebase is judged by its long tail)."""

    key = "small_functions"
    practice = "functions"
    title = "Functions are short"
    points = 30

    def assess(self, project: Project) -> Assessment:
        funcs = list(all_functions(project))
        if not funcs:
            return Assessment.missing(NO_FUNCTIONS)
        small = [f for _, f in funcs if f.code_lines <= SMALL_LINES]
        path, longest = max(funcs, key=lambda pair: pair[1].code_lines)
        sentence = f"{share_text(len(small), len(funcs))} functions have at most {SMALL_LINES} code lines"
        if longest.code_lines > SMALL_LINES:
            sentence += f"; longest: {longest.name} ({longest.code_lines} lines, {path}:{longest.line})"
        return Assessment.partly(ratio(len(small) / len(funcs), SHARE_FLOOR, SHARE_TARGET), sentence)


@register_capability
class SimpleFunctions(Capability):
    """Functions are simple: the share with cyclomatic complexity of 10 or less (radon A-B), 97% earning it fully."""

    key = "simple_functions"
    practice = "functions"
    title = "Low complexity"
    points = 30

    def assess(self, project: Project) -> Assessment:
        funcs = list(all_functions(project))
        if not funcs:
            return Assessment.missing(NO_FUNCTIONS)
        simple = [f for _, f in funcs if f.complexity <= SIMPLE_COMPLEXITY]
        path, worst = max(funcs, key=lambda pair: pair[1].complexity)
        sentence = f"{share_text(len(simple), len(funcs))} functions have complexity {SIMPLE_COMPLEXITY} or less"
        if worst.complexity > SIMPLE_COMPLEXITY:
            sentence += f"; most complex: {worst.name} ({worst.complexity}, {path}:{worst.line})"
        return Assessment.partly(ratio(len(simple) / len(funcs), SHARE_FLOOR, SHARE_TARGET), sentence)


@register_capability
class GuardedEntryPoints(Capability):
    """Modules do no work at import: loading, training and writing happen inside functions called from
    a main guard or a CLI (share of modules without import-time work)."""

    key = "no_import_time_work"
    practice = "functions"
    title = "No work at import time"
    points = 20

    def assess(self, project: Project) -> Assessment:
        candidates = [pf for pf in project.python_of(FileKind.LIBRARY, FileKind.SCRIPT) if _script_style_candidate(pf)]
        if not any(
            code_metrics(project).get(pf.path) and code_metrics(project)[pf.path].functions for pf in candidates
        ):
            return Assessment.missing(NO_FUNCTIONS)
        working = sorted((pf.path, import_time_work(pf)) for pf in candidates)
        bad = [(path, work) for path, work in working if work]
        clean = len(candidates) - len(bad)
        sentence = f"{share_text(clean, len(candidates))} modules do no work at import time"
        if bad:
            path, work = bad[0]
            sentence += f"; e.g. {path}:{work[0].lineno} runs on import"
        share = clean / len(candidates)
        return Assessment.partly(ratio(share, 0.5, 1.0), sentence)


@register_capability
class MaintainableModules(Capability):
    """Modules stay maintainable: the share of code lines in modules with a maintainability index of 20 or more."""

    key = "maintainable_modules"
    practice = "functions"
    title = "Maintainable modules"
    points = 20

    def assess(self, project: Project) -> Assessment:
        metrics = code_metrics(project)
        sized = [(path, m, project.python[path].code_lines) for path, m in metrics.items() if m.functions]
        total = sum(lines for _, _, lines in sized)
        if not total:
            return Assessment.missing(NO_FUNCTIONS)
        good = sum(lines for _, m, lines in sized if m.maintainability >= MAINTAINABLE)
        worst = min(sized, key=lambda item: item[1].maintainability)
        sentence = (
            f"{good * 100 // total}% of code lines sit in modules with maintainability index >= {MAINTAINABLE:.0f}"
        )
        if worst[1].maintainability < MAINTAINABLE:
            sentence += f"; lowest: {worst[0]} ({worst[1].maintainability:.0f})"
        return Assessment.partly(ratio(good / total, 0.5, 0.95), sentence)
