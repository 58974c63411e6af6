"""Provides rule SRV005: Model loaded per request."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.production._shared import (
    _loader_name,
    _routes,
    calls_in,
    is_model_management_route,
    loads_state_not_model,
)


@register
class ModelLoadedPerRequest(Rule):
    """Flags models loaded inside a request handler, on every request.

    ## What it does
    Finds `torch.load`, `joblib.load`, `pickle.load`, `from_pretrained`, `pipeline(...)`,
    `load_model` and similar calls inside route handlers. A route whose action is loading a
    model (`POST /models/{name}/load`, `/reload-model`) loads on purpose and is left out, and so
    is `Session.load(id)` of a project class whose own `load()` parses JSON, YAML or text and
    loads no model (saved state or configuration, not weights).

    ## Why is this bad?
    Loading weights takes hundreds of milliseconds to minutes and a lot of memory; doing it per
    request multiplies latency and memory under load and can exhaust the worker.

    ## Example
    ```python
    @app.post("/predict")
    def predict(body: Req):
        model = joblib.load("model.joblib")
        return model.predict(body.x)
    ```

    ## Use instead
    ```python
    @asynccontextmanager
    async def lifespan(app):
        app.state.model = joblib.load("model.joblib")
        yield
    ```
    """

    code = "SRV005"
    scoring = "flat"
    title = "Model loaded per request"
    practice = "production"
    severity = Severity.ERROR
    fix = "Load the model once at startup (lifespan / app factory) and reuse it from app state."

    def check(self, project: Project) -> Iterator[Output]:
        for route in _routes(project):
            if is_model_management_route(route):
                continue
            for call in calls_in(route):
                loader = _loader_name(route.pf, call)
                if loader is not None and not loads_state_not_model(project, call):
                    yield Hit(route.pf.path, call.lineno, f"{loader}() called inside handler {route.func.name}()")
