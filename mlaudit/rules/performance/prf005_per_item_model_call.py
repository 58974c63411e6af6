"""Provides rule PRF005: Per-item model call in a loop."""

from __future__ import annotations

from mlaudit.model import Severity
from mlaudit.registry import register
from mlaudit.rules.performance._shared import _LoopRule


@register
class PerItemModelCall(_LoopRule):
    """Flags per-item model, embedding or tokenizer calls inside a loop where a batched call exists.

    ## What it does
    Reports loops that call a model on one item at a time: `model.encode(text)`,
    `tokenizer(text)`, `model(x.unsqueeze(0))`, `model.predict(row.reshape(1, -1))`,
    `model.predict([x])`. Loops over batches (`for batch in loader`, `range(0, n, bs)`) are fine.

    ## Why is this bad?
    Models are built for batches: one call per item pays the framework overhead and leaves
    the CPU vector units or the GPU idle, typically 10-100x slower.

    ## Example
    ```python
    embs = [model.encode(text) for text in texts]
    for x in X:
        probs.append(model.predict_proba(x.reshape(1, -1))[0, 1])
    ```

    ## Use instead
    ```python
    embs = model.encode(texts, batch_size=64)
    probs = model.predict_proba(X)[:, 1]
    ```
    """

    code = "PRF005"
    title = "Per-item model call in a loop"
    practice = "performance"
    severity = Severity.WARNING
    fix = "Call the model once on the whole list or in batches (model.encode(texts, batch_size=64))."
