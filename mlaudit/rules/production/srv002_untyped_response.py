"""Provides rule SRV002: Untyped response."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.service_facts import returns_html, returns_response_objects
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.production._shared import _routes, _typed_return, hidden_from_schema, returns_no_body


@register
class UntypedResponse(Rule):
    """Flags FastAPI endpoints with neither `response_model=` nor a typed return annotation.

    ## What it does
    Checks each FastAPI route for a `response_model=` argument or a return annotation other
    than `dict`/`Any`. Routes left out of the API schema (`include_in_schema=False`: a docs
    page, an internal hook) are not part of the contract and are skipped, and so are handlers
    that return no value (they answer with a status code or raise): they send no body.

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
            keywords = {k.arg for k in route.decorator.keywords}
            if keywords & {"response_model", "response_class"} or _typed_return(route.func.returns):
                continue
            if hidden_from_schema(route) or returns_no_body(route.func):
                continue
            if returns_response_objects(route.func) and not returns_html(route.func):
                continue
            if returns_html(route.func):
                message = f"endpoint {route.func.name}() returns HTML without response_class=HTMLResponse"
                fix = "Declare response_class=HTMLResponse on the route (an HTML page needs no response model)."
                yield Hit(route.pf.path, route.func.lineno, message, fix=fix)
                continue
            yield Hit(route.pf.path, route.func.lineno, f"endpoint {route.func.name}() has no response model")
