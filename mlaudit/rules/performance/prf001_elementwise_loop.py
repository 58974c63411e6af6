"""Provides rule PRF001: Python loop doing per-element numeric work."""

from __future__ import annotations

from mlaudit.model import Severity
from mlaudit.registry import register
from mlaudit.rules.performance._shared import _LoopRule


@register
class ElementwiseLoop(_LoopRule):
    """Flags Python loops doing per-element numeric work on arrays or tensors.

    ## What it does
    Reports `for v in X:` loops that call numpy/torch math on each element, and
    `for i in range(len(X))` loops (nested ones too) that index arrays element by element
    (`X[i]`, `X[i, j]`) for arithmetic or comparisons. Loops over epochs, batches from a
    DataLoader, files, parameters, param groups or config dicts are not reported, nor are
    recurrences such as `x[i - 1]`, construction code (`__init__`, loops that build modules),
    loops that run one layer or head per iteration (`blk(x)`, `self.m[i](x)`), loops over a
    literal tuple of arrays, and per-iteration work on whole arrays (`iou >= thr[i]`).

    ## Why is this bad?
    Each iteration pays the Python interpreter's overhead; the same work as one vectorised
    call runs 10-1000x faster in compiled code (and on the GPU for tensors).

    ## Example
    ```python
    out = []
    for i in range(len(X)):
        out.append(X[i] / (np.linalg.norm(X[i]) + 1e-8))
    ```

    ## Use instead
    ```python
    out = X / (np.linalg.norm(X, axis=1, keepdims=True) + 1e-8)
    ```
    """

    code = "PRF001"
    title = "Python loop doing per-element numeric work"
    practice = "performance"
    severity = Severity.WARNING
    fix = "Replace the loop with one vectorised call over the whole array (axis=..., broadcasting, masks)."
