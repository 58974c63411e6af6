"""Provides rule PRF007: Inference with gradients on."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.facts.kind import is_example
from mlaudit.facts.loops import method
from mlaudit.model import FileKind, Severity
from mlaudit.project import FunctionNode, PythonFile, is_main_guard, is_self_attribute
from mlaudit.registry import FileRule, Hit, register
from mlaudit.rules.logging._shared import _guard_called_names

GRAD_FREE = ("torch.no_grad", "torch.inference_mode", "torch.set_grad_enabled", "torch.enable_grad")
# Lightning's evaluation loops call these hooks under torch.no_grad()/inference_mode()
LIGHTNING_EVAL_HOOKS = frozenset({"validation_step", "test_step", "predict_step"})
LIGHTNING_MODULES = frozenset({"lightning", "pytorch_lightning"})


def _grad_free(pf: PythonFile, node: ast.AST) -> bool:
    """Return True when a node runs under `with torch.no_grad()`/`inference_mode()`, in a decorated function,
    or in a Lightning evaluation hook (`validation_step`, `test_step`, `predict_step`)."""
    lightning = any(m.split(".", 1)[0] in LIGHTNING_MODULES for m in pf.imported_modules)
    for anc in pf.ancestors(node):
        if lightning and isinstance(anc, ast.FunctionDef) and anc.name in LIGHTNING_EVAL_HOOKS:
            return True
        if isinstance(anc, ast.With | ast.AsyncWith):
            for item in anc.items:
                expr = item.context_expr
                if _grad_free_expr(pf, expr.func if isinstance(expr, ast.Call) else expr):
                    return True
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef):
            for deco in anc.decorator_list:
                if _grad_free_expr(pf, deco.func if isinstance(deco, ast.Call) else deco):
                    return True
    return False


def _grad_free_expr(pf: PythonFile, expr: ast.expr) -> bool:
    """Return True for torch's grad switches and project wrappers named after them (`smart_inference_mode`)."""
    name = pf.qualname(expr) or ast.unparse(expr)
    return name.startswith(GRAD_FREE) or any(word in name for word in ("no_grad", "inference_mode"))


def _training_calls(calls: Iterator[ast.Call]) -> bool:
    """Return True when one of the calls is a backward pass or an optimizer step."""
    for call in calls:
        name = method(call)
        receiver = ast.unparse(call.func.value).lower() if isinstance(call.func, ast.Attribute) else ""
        if name == "backward" or (name == "step" and "optim" in receiver):
            return True
    return False


def _disables_grad(pf: PythonFile) -> bool:
    return any((pf.call_name(call) or "") == "torch.set_grad_enabled" for call in pf.nodes(ast.Call))


def ungraded_model_calls(pf: PythonFile) -> Iterator[ast.Call]:
    """Yield calls of a model switched to eval mode in this file that run with gradients on, by line."""
    if "torch" not in {m.split(".", 1)[0] for m in pf.imported_modules} or _disables_grad(pf):
        return
    calls = list(_evaluated_attribute_calls(pf))
    if not _training_calls(c for c in pf.nodes(ast.Call) if isinstance(c, ast.Call)):
        calls += _ungraded_name_calls(pf)
    yield from sorted(set(calls), key=lambda call: (call.lineno, call.col_offset))


def _evaluated_attribute_calls(pf: PythonFile) -> Iterator[ast.Call]:
    """Yield `self.network(x)` calls of a method that put that attribute into eval mode itself (`self.network.eval()`
    earlier in the method, as an estimator's `predict` does), with gradients on: also in a file that trains
    elsewhere (`fit` in the same class), since the method's own switch says it predicts."""
    for func in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef) or _trains(func) or func.name in GRAPH_METHODS:
            continue
        calls = [n for n in ast.walk(func) if isinstance(n, ast.Call) and pf.enclosing_function(n) is func]
        switched = {
            ast.unparse(c.func.value): c.lineno
            for c in calls
            if method(c) == "eval"
            and not c.args
            and isinstance(c.func, ast.Attribute)
            and is_self_attribute(c.func.value)
        }
        for name in _switched_back(calls):  # `self.bn.eval(); self.bn(x); self.bn.train()`: frozen statistics
            switched.pop(name, None)
        if not switched or _training_calls(iter(calls)) or any(_asks_gradients(pf, c) for c in calls):
            continue
        if reads_autograd_graph(func):
            continue
        for call in calls:
            line = switched.get(ast.unparse(call.func)) if is_self_attribute(call.func) else None
            if line is not None and call.lineno > line and _runs_with_grad(pf, func, call):
                yield call


# A module's own forward pass: a submodule it puts into eval mode there has its statistics frozen (batch norm,
# dropout) inside the graph that backpropagates, so its gradients are wanted.
GRAPH_METHODS = frozenset({"forward", "__call__", "training_step", "compute_loss"})


def _switched_back(calls: list[ast.Call]) -> set[str]:
    """Return the `self.<attr>` the function puts back into training mode (`self.bn.train()`)."""
    return {
        ast.unparse(c.func.value)
        for c in calls
        if method(c) == "train" and isinstance(c.func, ast.Attribute) and is_self_attribute(c.func.value)
    }


def _runs_with_grad(pf: PythonFile, func: FunctionNode, call: ast.Call) -> bool:
    """Return True when a call runs with autograd on: not under a grad switch, in a `test_*` function, or in a
    function every caller runs without gradients."""
    guarded = _grad_free(pf, call) or _in_test_function(pf, call)
    return not guarded and not _called_only_grad_free(pf, func, depth=2)


GRADIENT_CALLS = frozenset({"torch.autograd.grad", "torch.autograd.functional.jacobian", "requires_grad_"})


def _asks_gradients(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for `torch.autograd.grad(out, x)` or `x.requires_grad_()`: the method wants the gradients (a
    saliency map, an adversarial input) of the model it put into eval mode."""
    return (pf.call_name(call) or "") in GRADIENT_CALLS or method(call) in GRADIENT_CALLS


# The autograd graph a forward pass records: `out.grad_fn`, and the functions it links to (`next_functions`).
AUTOGRAD_GRAPH = frozenset({"grad_fn", "next_functions"})


def reads_autograd_graph(func: FunctionNode) -> bool:
    """Return True when the function (or a hook it defines) reads the autograd graph of what it runs
    (`seen[outputs.grad_fn] = module`): it traces the model through that graph, which only exists with gradients on."""
    return any(isinstance(node, ast.Attribute) and node.attr in AUTOGRAD_GRAPH for node in ast.walk(func))


def _ungraded_name_calls(pf: PythonFile) -> Iterator[ast.Call]:
    """Yield calls of a name put into eval mode (`model.eval()`, then `model(x)`) with gradients on."""
    evaluated = {
        (call.func.value.id, pf.enclosing_function(call))
        for call in pf.nodes(ast.Call)
        if method(call) == "eval" and not call.args and isinstance(call.func, ast.Attribute)
        if isinstance(call.func.value, ast.Name)
    }
    for call in pf.nodes(ast.Call):
        if isinstance(call.func, ast.Name) and _evaluated_here(pf, call, evaluated) and not _grad_free(pf, call):
            if _in_asserting_main_block(pf, call) or _in_test_function(pf, call):
                continue
            func = pf.enclosing_function(call)
            if func is not None and (_trains(func) or reads_autograd_graph(func)):
                continue
            if func is None or not _called_only_grad_free(pf, func, depth=2):
                yield call


def _in_asserting_main_block(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for a call under `if __name__ == "__main__":` whose block asserts on results, or in a
    module-level function that block calls and that asserts (`def _test(): ... assert y.shape == (1, 1000)`,
    then `if __name__ == "__main__": _test()`): a self-test of the module, not an inference path."""
    for anc in pf.ancestors(call):
        if isinstance(anc, ast.If) and is_main_guard(anc):
            return any(isinstance(node, ast.Assert) for stmt in anc.body for node in ast.walk(stmt))
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef) and isinstance(pf.parent(anc), ast.Module):
            asserts = any(isinstance(node, ast.Assert) for node in ast.walk(anc))
            return asserts and anc.name in _guard_called_names(pf)
    return False


def _in_test_function(pf: PythonFile, call: ast.Call) -> bool:
    """Return True inside a function named `test_*` (`test_module_to_torchscript(m, inputs)` shipped in a library):
    it checks that the model runs, once, as a test does, and serves no predictions."""
    func = pf.enclosing_function(call)
    while func is not None:
        if func.name.startswith("test_"):
            return True
        func = pf.enclosing_function(func)
    return False


def _evaluated_here(pf: PythonFile, call: ast.Call, evaluated: set[tuple[str, FunctionNode | None]]) -> bool:
    """Return True when the called name was put into eval mode: in the call's function, an enclosing one or at
    module level, or elsewhere when the calling function receives it (a parameter, `embed(self, net, x)`).
    A name the calling function binds itself (`for stage in self.stages: x = stage(x)` in `forward`) is
    another object than a same-named local put into eval mode elsewhere (`stage.eval()` in `_freeze_stages`), and
    a constructor's parameter it calls is a layer factory (`self.norm = norm_layer(dim)` in `__init__`), not the
    model a same-named local put into eval mode elsewhere (`norm_layer = getattr(self, name); norm_layer.eval()`)."""
    assert isinstance(call.func, ast.Name)
    name = call.func.id
    scopes: list[FunctionNode | None] = [None]
    func = pf.enclosing_function(call)
    while func is not None:
        scopes.append(func)
        func = pf.enclosing_function(func)
    if any((name, scope) in evaluated for scope in scopes):
        return True
    caller = scopes[1] if len(scopes) > 1 else None  # the innermost function
    if name == "self":
        return False  # a model's own method (`predictions(self, x)`) leaves the gradient mode to its callers
    if caller is not None and caller.name == "__init__":
        return False  # a constructor builds its layers from factories it is given: `self.norm = norm_layer(dim)`
    elsewhere = any(evaluated_name == name for evaluated_name, _ in evaluated)
    return elsewhere and not (caller is not None and _binds_locally(caller, name))


def _binds_locally(func: FunctionNode, name: str) -> bool:
    """Return True when the function binds `name` itself: an assignment, a loop or `with` target."""
    for node in ast.walk(func):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.For | ast.AsyncFor | ast.comprehension):
            targets = [node.target]
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            targets = [node.optional_vars]
        if any(isinstance(n, ast.Name) and n.id == name for t in targets for n in ast.walk(t)):
            return True
    return False


def _trains(func: FunctionNode) -> bool:
    """Return True for a training step (`training_step`, `train_one_epoch`): the model needs its gradients there."""
    name = func.name.lstrip("_")
    return name.startswith(("train", "fit")) or name in ("training_step", "optimization_step")


def _called_only_grad_free(pf: PythonFile, func: FunctionNode, depth: int) -> bool:
    """Return True when every call of `func` in its file runs without autograd: a helper used under `no_grad`.

    `get_embeddings(model, x)` called only inside `with torch.no_grad():` never records a graph.
    """
    sites = [
        call
        for call in pf.nodes(ast.Call)
        if (method(call) or (call.func.id if isinstance(call.func, ast.Name) else "")) == func.name
        and pf.enclosing_function(call) is not func
    ]
    if not sites:
        return False
    for site in sites:
        if _grad_free(pf, site):
            continue
        caller = pf.enclosing_function(site)
        if depth <= 0 or caller is None or not _called_only_grad_free(pf, caller, depth - 1):
            return False
    return True


@register
class InferenceWithGradients(FileRule):
    """Flags model inference that runs with autograd on (no `torch.no_grad()`/`inference_mode()`).

    ## What it does
    In files that import torch and never train (no `backward()`, no `optimizer.step()`), finds
    calls of a model put into eval mode (`model.eval()`), and in any file a method's calls of an attribute
    it put into eval mode itself (`self.network.eval()`, then `self.network(x)` in an estimator's `predict`,
    beside the `fit` that trains it; not in a module's own `forward`, nor where the method switches it back with
    `.train()`: a submodule frozen inside the training graph), that run outside `with
    torch.no_grad()`/`torch.inference_mode()` and outside a function decorated with either. A
    helper whose every call in the file runs under one of those (up to two calls deep) is fine,
    as are Lightning's `validation_step`/`test_step`/`predict_step` (its loops run them without
    gradients), and so is a training step (`training_step`, `train_one_epoch`, `fit`), where the framework
    runs the backward pass, and a function that reads the autograd graph of the pass (`out.grad_fn`, also in a
    forward hook it registers: tracing a model's layer dependencies through that graph). A module's self-test under its main guard, a block that asserts on what the
    model returns (`assert torch.allclose(out1, out2)` after `net.eval()`) or a module function that block calls
    and that asserts (`def _test(): ... assert y.shape == (1, 1000)`), checks behaviour, not inference,
    and so does a `test_*` function a library ships (`test_module_to_torchscript(m, inputs)`).

    In examples, tutorials and docs it is a note (info): that code shows the reader how to call
    the project and is not its hot path.

    ## Why is this bad?
    `model.eval()` only switches dropout and batch norm; autograd still records every
    operation, keeping activations alive: inference uses more memory and runs slower.

    ## Example
    ```python
    model.eval()

    def predict(x):
        return model(x)
    ```

    ## Use instead
    ```python
    model.eval()

    @torch.inference_mode()
    def predict(x: torch.Tensor) -> torch.Tensor:
        return model(x)
    ```
    """

    code = "PRF007"
    file_kinds = (FileKind.LIBRARY, FileKind.SCRIPT, FileKind.NOTEBOOK)
    title = "Inference with gradients on"
    practice = "performance"
    severity = Severity.WARNING
    fix = "Wrap inference in `with torch.inference_mode():` (or decorate the function with @torch.inference_mode())."

    def check_file(self, pf: PythonFile) -> Iterator[Hit]:
        """Yield the file's first model call with autograd on (one per file)."""
        for call in ungraded_model_calls(pf):
            func = pf.enclosing_function(call)
            where = f" in {func.name}()" if func is not None else ""
            severity = Severity.INFO if is_example(pf.path) else None
            message = f"{ast.unparse(call.func)}(...) runs with autograd on{where}"
            yield Hit(pf.path, call.lineno, message, severity=severity)
            break
