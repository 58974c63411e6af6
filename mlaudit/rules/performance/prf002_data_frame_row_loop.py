"""Provides rule PRF002: Loop over DataFrame rows."""

from __future__ import annotations

from mlaudit.model import Severity
from mlaudit.registry import register
from mlaudit.rules.performance._shared import _LoopRule


@register
class DataFrameRowLoop(_LoopRule):
    """Flags loops over DataFrame rows with `iterrows()` or `itertuples()`.

    ## What it does
    Reports `for ... in df.iterrows()` (warning) and `df.itertuples()` (info) loops and
    comprehensions, except over a handful of rows (`df.head(20).iterrows()`).

    ## Why is this bad?
    `iterrows` builds a Series per row: 100-1000x slower than column operations, and it
    silently upcasts mixed dtypes.

    ## Example
    ```python
    for _, row in df.iterrows():
        df.loc[_, "ratio"] = row["monthly"] / (row["total"] + 1)
    ```

    ## Use instead
    ```python
    df["ratio"] = df["monthly"] / (df["total"] + 1)
    ```
    """

    code = "PRF002"
    title = "Loop over DataFrame rows"
    practice = "performance"
    severity = Severity.WARNING
    fix = "Use column operations (df['a'] / df['b'], np.where, groupby().agg) instead of iterating rows."
