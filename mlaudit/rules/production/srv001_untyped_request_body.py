"""Provides rule SRV001: Untyped request body."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.production._shared import _routes, untyped_inputs


@register
class UntypedRequestBody(Rule):
    """Flags FastAPI endpoints that take `dict`, `Any`, untyped parameters or parse raw JSON.

    ## What it does
    Checks each FastAPI route handler's parameters for `dict`/`Any` annotations, missing
    annotations, `Request` bodies parsed with `await request.json()` (or `await request.body()`
    given to `json.loads`), and request models of the repository whose every field is `Any` or a
    bare `dict` (`data: Any` validates nothing). Raw bytes a handler forwards (a proxy) or decodes
    otherwise (an image upload) are no JSON document and are not reported, and a raw document handed whole
    to a request model (`Req.model_validate(await request.json())`, `Req(**payload)`, `Req.parse_raw(body)`)
    is validated by it; fields picked out of it one by one (`payload.get("model")`) are not. A parameter the
    server injects (`user=Depends(get_verified_user)`) is no client input and needs no request type.

    ## Why is this bad?
    Without a pydantic model FastAPI cannot validate the payload or document it in OpenAPI:
    malformed requests reach the model and fail with 500s (or silently wrong predictions).

    ## Example
    ```python
    @app.post("/predict")
    async def predict(payload: dict):
        return model.predict(payload["features"])
    ```

    ## Use instead
    ```python
    class PredictRequest(BaseModel):
        features: list[float]

    @app.post("/predict", response_model=PredictResponse)
    def predict(body: PredictRequest) -> PredictResponse: ...
    ```
    """

    code = "SRV001"
    restates = "typed_requests"
    title = "Untyped request body"
    practice = "production"
    severity = Severity.WARNING
    fix = "Declare the body as a pydantic BaseModel parameter so FastAPI validates and documents it."

    def check(self, project: Project) -> Iterator[Output]:
        for route in _routes(project, "FastAPI"):
            problems = untyped_inputs(route.pf, route.func, project)
            if problems:
                yield Hit(route.pf.path, route.func.lineno, f"endpoint {route.func.name}() takes {', '.join(problems)}")
