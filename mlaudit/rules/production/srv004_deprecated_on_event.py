"""Provides rule SRV004: Deprecated on_event handler."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.production._shared import _services


@register
class DeprecatedOnEvent(Rule):
    """Flags FastAPI `@app.on_event("startup"/"shutdown")` handlers.

    ## What it does
    Finds decorators `@<app>.on_event(...)` in FastAPI modules.

    ## Why is this bad?
    `on_event` is deprecated; startup and shutdown logic split over two functions cannot
    share state safely, and a lifespan handler is what tests and newer versions expect.

    ## Example
    ```python
    @app.on_event("startup")
    def load_model(): ...
    ```

    ## Use instead
    ```python
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.model = load_model()
        yield

    app = FastAPI(lifespan=lifespan)
    ```
    """

    code = "SRV004"
    title = "Deprecated on_event handler"
    practice = "production"
    severity = Severity.WARNING
    fix = "Move startup/shutdown code into a lifespan context manager: FastAPI(lifespan=lifespan)."
    weight = 3
    cap = 8

    def check(self, project: Project) -> Iterator[Output]:
        for pf, framework in _services(project):
            if framework != "FastAPI":
                continue
            for func in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
                for dec in getattr(func, "decorator_list", []):
                    if (
                        isinstance(dec, ast.Call)
                        and isinstance(dec.func, ast.Attribute)
                        and dec.func.attr == "on_event"
                    ):
                        event = ast.unparse(dec.args[0]) if dec.args else ""
                        yield Hit(
                            pf.path, dec.lineno, f"@{ast.unparse(dec.func)}({event}) on {getattr(func, 'name', '?')}()"
                        )
