"""Provides rule SRV011: Inference without error handling."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.service_facts import guarded, has_error_handler, reports_http_errors
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.production._shared import _real_services, _routes_in, blocking_inference, calls_in


@register
class UnhandledInferenceError(Rule):
    """Flags route handlers that call the model with no error handling.

    ## What it does
    Finds model calls (`model.predict(...)`, `pipeline(...)`) in a route handler that are not
    inside `try:`, in a handler that raises no HTTP error itself and a module that registers
    no exception handler.

    ## Why is this bad?
    A malformed input or an out-of-memory error becomes a bare 500 with a stack trace (and
    sometimes internals) in the response, and nothing says which input broke the model.

    ## Example
    ```python
    @app.post("/predict")
    def predict(req: PredictRequest) -> PredictResponse:
        return PredictResponse(label=model.predict(req.text))
    ```

    ## Use instead
    ```python
    @app.post("/predict")
    def predict(req: PredictRequest) -> PredictResponse:
        try:
            label = model.predict(req.text)
        except ValueError as err:
            raise HTTPException(status_code=422, detail=str(err)) from err
        return PredictResponse(label=label)
    ```
    """

    code = "SRV011"
    restates = "error_handling"
    title = "Inference without error handling"
    practice = "production"
    severity = Severity.WARNING
    fix = "Wrap the model call in try/except and return a 4xx/5xx with a clear message (or register an exception handler)."
    weight = 5
    cap = 10

    def check(self, project: Project) -> Iterator[Output]:
        for pf, _ in _real_services(project):
            if has_error_handler(pf):
                continue
            for route in _routes_in(project, pf):
                if reports_http_errors(route.func):
                    continue
                call = next(
                    (
                        c
                        for c in calls_in(route)
                        if blocking_inference(c, pf, project) and not guarded(pf, c, route.func)
                    ),
                    None,
                )
                if call is not None:
                    message = (
                        f"{route.func.name}() calls {blocking_inference(call, pf, project)} with no error handling"
                    )
                    yield Hit(pf.path, call.lineno, message)
