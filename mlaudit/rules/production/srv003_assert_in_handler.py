"""Provides rule SRV003: assert used for request validation."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.production._shared import _routes


@register
class AssertInHandler(Rule):
    """Flags `assert` used to validate requests inside route handlers.

    ## What it does
    Finds `assert` statements in web route handlers.

    ## Why is this bad?
    Asserts vanish under `python -O`, and when they fire the client gets a 500 instead of a
    400 with a useful message.

    ## Example
    ```python
    assert len(body.texts) <= 64
    ```

    ## Use instead
    ```python
    if len(body.texts) > 64:
        raise HTTPException(status_code=413, detail="batch too large")
    ```
    """

    code = "SRV003"
    title = "assert used for request validation"
    practice = "production"
    severity = Severity.WARNING
    fix = "Validate with the request model (Field constraints) or raise HTTPException(400/422)."

    def check(self, project: Project) -> Iterator[Output]:
        for route in _routes(project):
            for node in route.pf.nodes(ast.Assert):
                if route.pf.enclosing_function(node) is route.func:
                    shown = ast.unparse(node.test)[:50]
                    yield Hit(route.pf.path, node.lineno, f"assert {shown} in handler {route.func.name}()")
