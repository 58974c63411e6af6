"""Provides rule PRF004: DataFrame or array grown inside a loop."""

from __future__ import annotations

from mlaudit.model import Severity
from mlaudit.registry import register
from mlaudit.rules.performance._shared import _LoopRule


@register
class GrowingInLoop(_LoopRule):
    """Flags a DataFrame, array or tensor grown inside a loop.

    ## What it does
    Reports `x = pd.concat([x, ...])`, `x = x.append(...)` (pandas), `x = np.append(x, ...)`,
    `np.vstack`/`np.concatenate`/`torch.cat` accumulating into the same name on every
    iteration. Only accumulation counts: the value must survive the iteration. A name rebuilt
    every iteration (`h = cat([h, skip]); h = block(h)`), a concatenation under
    `if i == k:` and `torch.cat(list_of_parts)` are not growth. Collecting rows in a list and
    building one DataFrame after the loop is fine.

    ## Why is this bad?
    Every iteration copies everything gathered so far: the loop is quadratic in time and
    churns memory.

    ## Example
    ```python
    feats = pd.DataFrame()
    for _, row in df.iterrows():
        feats = pd.concat([feats, pd.DataFrame([make_row(row)])])
    ```

    ## Use instead
    ```python
    rows = [make_row(row) for row in df.to_dict("records")]
    feats = pd.DataFrame(rows)
    ```
    """

    code = "PRF004"
    title = "DataFrame or array grown inside a loop"
    practice = "performance"
    severity = Severity.WARNING
    fix = "Append to a Python list inside the loop and build the DataFrame/array once after it."
