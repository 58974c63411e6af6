"""Provides rule PRF003: Row-wise apply instead of vectorised operations."""

from __future__ import annotations

from mlaudit.model import Severity
from mlaudit.registry import register
from mlaudit.rules.performance._shared import _LoopRule


@register
class RowWiseApply(_LoopRule):
    """Flags row-wise `DataFrame.apply(..., axis=1)` and `Series.apply(lambda ...)`.

    ## What it does
    Reports `.apply(f, axis=1)` on a DataFrame (warning) and `df["col"].apply(lambda v: ...)`
    on a column (info) in files that use pandas. Group-wise `groupby(...).apply` is left alone.

    ## Why is this bad?
    `apply` is a Python loop in disguise: the function runs once per row or value, where
    column arithmetic, `.map`, `.str` methods or `np.where` run in compiled code.

    ## Example
    ```python
    df["ratio"] = df.apply(lambda r: r["monthly"] / (r["total"] + 1), axis=1)
    df["plan"] = df["plan"].apply(lambda p: p.lower())
    ```

    ## Use instead
    ```python
    df["ratio"] = df["monthly"] / (df["total"] + 1)
    df["plan"] = df["plan"].str.lower()
    ```
    """

    code = "PRF003"
    title = "Row-wise apply instead of vectorised operations"
    practice = "performance"
    severity = Severity.WARNING
    fix = "Rewrite with column arithmetic, .map, .str/.dt accessors or np.where over whole columns."
