"""Provides rule LOG004: logging.basicConfig in library code."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from mlaudit.model import FileKind, Severity
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.logging._shared import is_cli_output, outputs


@register
class BasicConfigInLibrary(Rule):
    """Flags `logging.basicConfig` in library modules.

    ## What it does
    Reports `logging.basicConfig(...)` in library modules outside the main guard, CLI
    modules, command functions, helpers whose job is configuring logging (`setup_logger()`,
    `configure_logging()`, `set_basic_log_config()`: an entry point opts in by calling them), calls behind an option
    the caller passes (`def __init__(self, log_level=None)`: `if log_level is not None: logging.basicConfig(...)`,
    also through `self.log_level`: the caller opts in) and the module that builds the
    web application a server runs (`app = FastAPI()`, a dashboard's `app = dash.Dash(__name__)`, a Gradio
    `gr.Blocks()` demo: the app's entry point).

    ## Why is this bad?
    Configuring logging is the application's job: a library that calls `basicConfig` on
    import or in a helper overrides the handlers, format and level its user chose.

    ## Example
    ```python
    # churn/features.py
    logging.basicConfig(level=logging.DEBUG)
    ```

    ## Use instead
    ```python
    # churn/cli.py
    def main() -> None:
        logging.basicConfig(level=logging.INFO)
    ```
    """

    code = "LOG004"
    title = "logging.basicConfig in library code"
    practice = "logging"
    severity = Severity.WARNING
    fix = "Call logging.basicConfig only in the entry point (main() or the CLI), never in library modules."

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python_of(FileKind.LIBRARY):
            builds_app: bool | None = None  # read from the tree only for a module that calls basicConfig
            for call in outputs(pf):
                if call.name != "logging.basicConfig" or _logging_setup_helper(call.function) or call.opted_in:
                    continue
                if is_cli_output(project, pf, call):
                    continue
                builds_app = _builds_web_app(pf) if builds_app is None else builds_app
                if not builds_app:
                    yield Hit(pf.path, call.line, f"logging.basicConfig(...) in {call.where}{pf.path}")


# The application objects a web server runs (`uvicorn app.main:app`): the module that builds one is the
# service's entry point. Routers and blueprints are parts of an app, built in library modules.
WEB_APPS = frozenset(
    {"fastapi.FastAPI", "flask.Flask", "starlette.applications.Starlette", "aiohttp.web.Application"}
    | {"litserve.LitServer", "quart.Quart", "sanic.Sanic"}
    | {"dash.Dash", "gradio.Blocks", "gradio.Interface", "gradio.ChatInterface"}
)


def _builds_web_app(pf: PythonFile) -> bool:
    """Return True for the module that builds the web application a server runs (`app = FastAPI()`).

    Only a module importing a web framework (a cached fact) can build one: no other module is parsed.
    """
    frameworks = {name.split(".", 1)[0] for name in WEB_APPS}
    if not any(module.split(".", 1)[0] in frameworks for module in pf.imported_modules):
        return False
    return any(isinstance(call, ast.Call) and pf.call_name(call) in WEB_APPS for call in pf.nodes(ast.Call))


# `setup_logger`, `configure_logging`, `init_logging`, `enable_default_logging`
LOG_SETUP_NAME = re.compile(
    r"^_?(setup|set_up|set|configure|config|init|initialize|enable)_([a-z]+_)?log", re.IGNORECASE
)


def _logging_setup_helper(function: str | None) -> bool:
    """Return True inside a function whose job is configuring logging: the entry point opts in by calling it."""
    return function is not None and LOG_SETUP_NAME.match(function) is not None
