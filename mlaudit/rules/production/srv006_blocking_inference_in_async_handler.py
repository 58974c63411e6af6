"""Provides rule SRV006: Blocking inference in async handler."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.production._shared import Route, _receiver_name, _routes, blocking_inference, calls_in

OFFLOADERS = frozenset({"run_in_threadpool", "to_thread", "run_in_executor", "run_sync"})


def _offloaded(pf: PythonFile, call: ast.Call) -> bool:
    """Return True when the call does not block the event loop: handed to a thread pool, or awaited itself
    (`await engine.generate(params)`: an async API, which yields while the model runs)."""
    for anc in pf.ancestors(call):
        if isinstance(anc, ast.Await | ast.stmt):
            return isinstance(anc, ast.Await) and anc.value is call
        if isinstance(anc, ast.Call) and _receiver_name(anc.func) in OFFLOADERS:
            return True
    return False


def _awaited_methods(route: Route) -> frozenset[str]:
    """Return the methods the handler awaits on a receiver (`model.generate` of `await model.generate(p)`): a
    coroutine method, whose call the same handler also makes without `await` to hand the coroutine on
    (`await run_request(model.generate(p))`), which blocks nothing."""
    return frozenset(
        ast.unparse(node.value.func)
        for node in ast.walk(route.func)
        if isinstance(node, ast.Await)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Attribute)
    )


@register
class BlockingInferenceInAsyncHandler(Rule):
    """Flags CPU-bound model calls made directly inside `async def` handlers.

    ## What it does
    Finds `model.predict(...)`, `model(...)`, `.generate(...)`, `encoder.encode(...)` and
    similar calls in `async def` route handlers that are not offloaded to a thread. A call that is
    awaited itself (`await engine.generate(params)`) is an async API and is not reported, nor is a call of a
    method the handler awaits elsewhere (`await run(engine.generate(p))` beside `await engine.generate(p)`: the
    coroutine handed on), of a helper function the repository defines (`evict_model_cache(uid)`) or of a
    request or response schema class (`input_model(**body)`, `response_model(data=out)`); a model
    call inside the arguments of an awaited call (`await send(model.predict(x))`) still runs on the loop.

    ## Why is this bad?
    An async handler runs on the event loop: a 200 ms forward pass blocks every other
    request, health checks included, for those 200 ms.

    ## Example
    ```python
    @app.post("/predict")
    async def predict(body: Req) -> Resp:
        return Resp(score=model.predict(body.x))
    ```

    ## Use instead
    ```python
    @app.post("/predict")
    def predict(body: Req) -> Resp:  # FastAPI runs sync handlers in a threadpool
        return Resp(score=model.predict(body.x))
    ```
    """

    code = "SRV006"
    title = "Blocking inference in async handler"
    practice = "production"
    severity = Severity.WARNING
    fix = "Make the handler a plain def, or await run_in_threadpool(model.predict, x)."

    def check(self, project: Project) -> Iterator[Output]:
        for route in _routes(project):
            if not isinstance(route.func, ast.AsyncFunctionDef):
                continue
            awaited = _awaited_methods(route)
            for call in calls_in(route):
                what = blocking_inference(call, route.pf, project)
                if what is not None and not _offloaded(route.pf, call) and ast.unparse(call.func) not in awaited:
                    message = f"blocking {what} in async def {route.func.name}()"
                    yield Hit(route.pf.path, call.lineno, message, fix=_offload_fix(route.func.name, call))


def _offload_fix(handler: str, call: ast.Call) -> str:
    """Return the fix with the call itself moved to the thread pool: `run_in_threadpool(predictor.predict, text)`."""
    arguments = [ast.unparse(a) for a in call.args] + [ast.unparse(k) for k in call.keywords]
    offloaded = ", ".join([ast.unparse(call.func), *arguments])
    if len(offloaded) > 80:
        offloaded = f"{ast.unparse(call.func)}, ..."
    return (
        f"Make {handler}() a plain def (FastAPI then runs it in a worker thread), or call "
        f"`await run_in_threadpool({offloaded})` (from starlette.concurrency)."
    )
