"""Provides rule PRF005: Per-item model call in a loop."""

from __future__ import annotations

import ast

from mlaudit.facts.loops import FileLoops, Iteration, Loop, last_name, method
from mlaudit.model import Severity
from mlaudit.registry import register
from mlaudit.rules.performance._shared import ClaimingLoopRule

MODEL_METHODS = frozenset(
    {"predict", "predict_proba", "decision_function", "encode", "embed", "embed_query", "generate", "forward"}
)


TEXT_METHODS = frozenset({"encode", "embed", "embed_query", "embed_documents"})


@register
class PerItemModelCall(ClaimingLoopRule):
    """Flags per-item model, embedding or tokenizer calls inside a loop where a batched call exists.

    ## What it does
    Reports loops that call a model on one item at a time: `model.encode(text)`,
    `tokenizer(text)`, `model(x.unsqueeze(0))`, `model.predict(row.reshape(1, -1))`,
    `model.predict([x])`. Loops over batches (`for batch in loader`, `range(0, n, bs)`) are fine, and so are
    loops that take each item's own gradients (`torch.autograd.grad(loss, params)`, no optimizer step): per-sample
    gradients, which one batched pass would sum together.

    In examples, tutorials and docs it is a note (info): that code shows the reader how to call
    the project and is not its hot path.

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

    def claim(self, loops: FileLoops, loop: Loop, iteration: Iteration) -> str | None:
        """Describe a model, embedding or tokenizer call on one element of a data loop."""
        for call in loop.inner:
            if isinstance(call, ast.Call) and _single_item_call(call, iteration.names):
                if _per_sample_gradients(loops, loop):
                    return None  # each item's own gradients: a batched pass would sum them together
                return f"per-item model call `{ast.unparse(call.func)}(...)`"
        return None


# Functional gradients: the gradients of one loss, returned without touching `.grad` or stepping an optimizer.
GRADIENT_CALLS = frozenset({"torch.autograd.grad", "jax.grad", "jax.value_and_grad"})


def _per_sample_gradients(loops: FileLoops, loop: Loop) -> bool:
    """Return True for a loop that takes each item's gradients (`torch.autograd.grad(loss, params)`) and steps no
    optimizer: per-sample gradients (a gradient-norm score, an attack on one input), not batch-size-one training."""
    calls = [node for node in ast.walk(loop.node) if isinstance(node, ast.Call)]
    if any(method(call) == "step" for call in calls):
        return False
    return any(loops.pf.call_name(call) in GRADIENT_CALLS for call in calls)


def _single_item(expr: ast.expr) -> bool:
    """Return True for `x.reshape(1, -1)`, `x.unsqueeze(0)`, `x[None]`, `np.expand_dims(x, 0)`, `[x]`."""
    if isinstance(expr, ast.Subscript):
        first = expr.slice.elts[0] if isinstance(expr.slice, ast.Tuple) and expr.slice.elts else expr.slice
        return (isinstance(first, ast.Constant) and first.value is None) or last_name(first) == "newaxis"
    if not isinstance(expr, ast.Call):
        return False
    name = method(expr) or last_name(expr.func)
    first_arg = expr.args[0] if expr.args else None
    one = isinstance(first_arg, ast.Constant) and first_arg.value in (0, 1)
    if name in {"reshape", "view", "unsqueeze"}:
        return one and (name == "unsqueeze" or len(expr.args) >= 2)
    if name == "expand_dims":
        return len(expr.args) >= 2 and isinstance(expr.args[1], ast.Constant) and expr.args[1].value == 0
    return False


def _single_item_call(call: ast.Call, elements: frozenset[str]) -> bool:
    """Return True for a model/embedding/tokenizer call on a single element of the loop."""
    arg = call.args[0] if call.args else None
    if arg is None:
        return False
    name = method(call)
    if _single_item(arg) and (name in MODEL_METHODS or _looks_like_model(call.func)):
        return True
    if isinstance(arg, ast.List) and len(arg.elts) == 1 and name in MODEL_METHODS:
        return last_name(arg.elts[0]) in elements
    on_element = isinstance(arg, ast.Name) and arg.id in elements and not _plural(arg.id)
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    if on_element and name in TEXT_METHODS and receiver is not None:
        return _looks_like_model(receiver)
    return on_element and "tokenizer" in last_name(call.func).lower()


def _plural(name: str) -> bool:
    """Return True for `prompts`, `texts`, `images`: an element that is itself a batch."""
    return name.endswith("s") and not name.endswith("ss") and len(name) > 3


def _looks_like_model(expr: ast.expr) -> bool:
    name = last_name(expr).lower()
    return any(word in name for word in ("model", "encoder", "embed", "net", "clf", "classifier", "tokenizer"))
