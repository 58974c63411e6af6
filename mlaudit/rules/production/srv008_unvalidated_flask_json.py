"""Provides rule SRV008: Unvalidated Flask request JSON."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.production._shared import Route, _routes, validates_input


def _json_reads(route: Route) -> list[int]:
    return [
        node.lineno
        for node in route.pf.nodes(ast.Attribute)
        if node.attr in {"json", "get_json"}
        and isinstance(node.value, ast.Name)
        and node.value.id == "request"
        and route.pf.enclosing_function(node) is route.func
    ]


@register
class UnvalidatedFlaskJson(Rule):
    """Flags Flask handlers that use `request.json` / `request.get_json()` without validation.

    ## What it does
    Finds Flask route handlers reading the JSON body with no pydantic, marshmallow or
    jsonschema validation in the same handler.

    ## Why is this bad?
    A missing key or a string where a number was expected becomes a KeyError/500 or, worse,
    a silently wrong prediction.

    ## Example
    ```python
    data = request.json
    x = [[data["tenure"], data["charges"]]]
    ```

    ## Use instead
    ```python
    req = PredictRequest.model_validate(request.get_json())
    x = [[req.tenure, req.charges]]
    ```
    """

    code = "SRV008"
    title = "Unvalidated Flask request JSON"
    practice = "production"
    severity = Severity.WARNING
    fix = "Validate the body with a pydantic model (Model.model_validate(request.get_json())) or a marshmallow schema."

    def check(self, project: Project) -> Iterator[Output]:
        for route in _routes(project, "Flask"):
            lines = _json_reads(route)
            if lines and not validates_input(route):
                yield Hit(route.pf.path, lines[0], f"handler {route.func.name}() uses request.json without validation")
