"""Provides rule TYP002: Poorly annotated module."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.typing._shared import _pct, annotation_coverage, annotation_target


@register
class PoorlyAnnotatedModule(Rule):
    """Names the five modules with the weakest annotation coverage.

    ## What it does
    Ranks library modules with at least three functions by their share of fully annotated
    functions and reports the five worst (below 90 %), so you know where to start. Each
    finding points at the module's first function that is not fully annotated.

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
    restates = "functions_annotated"  # names where that capability is missing most

    def check(self, project: Project) -> Iterator[Output]:
        candidates = [m for m in annotation_coverage(project).modules if len(m.functions) >= 3]
        ranked = sorted(candidates, key=lambda m: (m.fully_annotated / len(m.functions), -len(m.functions), m.path))
        for module in ranked[:5]:
            share = module.fully_annotated / len(module.functions)
            if share >= annotation_target(project):
                break
            first = min(f.line for f in module.functions if not f.fully_annotated)
            yield Hit(
                module.path,
                first,  # where annotating starts: the code view opens there, not at the imports
                f"{module.path}: {module.fully_annotated} of {len(module.functions)} functions "
                f"fully annotated ({_pct(share)})",
                subject=module.path,  # one finding per module, whichever function comes first
            )
