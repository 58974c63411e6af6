"""Provides rule SRV007: No health endpoint."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.production._shared import _routes, caller_built_app, is_health_route, local_tool


@register
class NoHealthEndpoint(Rule):
    """Flags a web service without a health or readiness endpoint.

    ## What it does
    Looks for a route whose path mentions health, ready, live, ping or status
    (`/health`, `/healthz`, `/readyz`, `/livez`...) in the FastAPI/Flask services; a status under a resource
    of the service (`/jobs/status`, `/setup/status`, `/status/{job_id}`) reports on that resource, while
    `/api/v1/status` or the served model's `/model/status` reports on the service. A web app the code
    opens on localhost in the user's browser (`webbrowser.open(f"http://localhost:{port}")`) is a local
    tool that no load balancer or orchestrator probes: it needs none. Neither does a library that only adds
    routes to an app or router its caller hands it (`def add_routes(app: FastAPI, ...)` with `@app.post(...)`
    inside, no app built in the project): the caller's app serves the probe.

    ## Why is this bad?
    Load balancers and Kubernetes cannot tell a pod that is still loading the model from one
    that is ready, so traffic hits cold or broken workers.

    ## Example
    ```python
    @app.post("/predict")
    def predict(body: Req) -> Resp: ...
    ```

    ## Use instead
    ```python
    @app.get("/health")
    def health() -> Health:
        return Health(status="ok", model_loaded=app.state.model is not None)
    ```
    """

    code = "SRV007"
    restates = "health_endpoint"
    title = "No health endpoint"
    practice = "production"
    severity = Severity.WARNING
    fix = "Add GET /health (and /ready if the model loads slowly) returning the model's load state."

    def check(self, project: Project) -> Iterator[Output]:
        routes = _routes(project)
        paths = [r.path for r in routes if r.path is not None]
        if not paths or any(is_health_route(r) for r in routes) or local_tool(project) is not None:
            return
        if caller_built_app(project) is not None:
            return
        first = routes[0]
        shown = ", ".join(sorted(set(paths))[:4])
        yield Hit(first.pf.path, None, f"service routes ({shown}) include no health endpoint")
