"""Provides rule SRV002: Untyped response."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.service_facts import returns_html, returns_response_objects
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.production._shared import (
    Schema,
    _routes,
    hidden_from_schema,
    is_health_route,
    returns_no_body,
    route_schema,
)

NO_FIELDS_FIX = "Name the fields: return a pydantic model (-> PredictResponse) instead of a dict of anything."


@register
class UntypedResponse(Rule):
    """Flags FastAPI endpoints with neither `response_model=` nor a typed return annotation.

    ## What it does
    Checks each FastAPI route for a `response_model=` argument or a return annotation other
    than `Any`. A route whose every return is a Response object (`FileResponse(...)`, or a call of a function of
    its module that returns only those: `return await _authenticate_user(request, user)`) is sent as it is and
    needs no response model. A route declared to return a dict of anything (`-> dict`, `-> dict[str, Any]`,
    `-> list[dict]`) is typed as a JSON object but names none of its fields: weaker than a
    response model, not untyped, so it is reported as info (a mapping of typed values,
    `-> dict[str, float]` for scores by label, declares its schema). Routes left out of the API schema (`include_in_schema=False`: a docs
    page, an internal hook) are not part of the contract and are skipped, and so are handlers
    that return no value (they answer with a status code or raise): they send no body, and health or
    readiness probes (`/health`, `/ready`): an orchestrator reads their status code, not a schema.

    ## Why is this bad?
    The response shape is undocumented and unchecked: a renamed key breaks every client
    without a single failing test.

    ## Example
    ```python
    @app.post("/predict")
    def predict(body: PredictRequest):
        return {"score": score}
    ```

    ## Use instead
    ```python
    @app.post("/predict")
    def predict(body: PredictRequest) -> PredictResponse:
        return PredictResponse(score=score)
    ```
    """

    code = "SRV002"
    restates = "typed_responses"
    title = "Untyped response"
    practice = "production"
    severity = Severity.WARNING
    fix = "Return a pydantic model and annotate it (-> PredictResponse) or pass response_model=."
    weight = 3
    cap = 10

    def check(self, project: Project) -> Iterator[Output]:
        for route in _routes(project, "FastAPI"):
            schema = route_schema(route)
            if schema is Schema.DECLARED:
                continue
            if hidden_from_schema(route) or returns_no_body(route.func) or is_health_route(route):
                continue
            if returns_response_objects(route.func, route.pf) and not returns_html(route.func):
                continue
            if returns_html(route.func):
                message = f"endpoint {route.func.name}() returns HTML without response_class=HTMLResponse"
                fix = "Declare response_class=HTMLResponse on the route (an HTML page needs no response model)."
                yield Hit(route.pf.path, route.func.lineno, message, fix=fix)
                continue
            if schema is Schema.NO_FIELDS:
                message = f"endpoint {route.func.name}() returns a dict of any keys: its schema declares no fields"
                yield Hit(route.pf.path, route.func.lineno, message, severity=Severity.INFO, fix=NO_FIELDS_FIX)
                continue
            yield Hit(route.pf.path, route.func.lineno, f"endpoint {route.func.name}() has no response model")
