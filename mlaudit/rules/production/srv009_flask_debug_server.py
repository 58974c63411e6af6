"""Provides rule SRV009: Flask debug server."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from mlaudit.facts.kind import is_example
from mlaudit.model import Severity
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.production._shared import _launch_files, _services


@register
class FlaskDebugServer(Rule):
    """Flags `app.run(debug=True)`.

    ## What it does
    Finds `.run(..., debug=True)` calls in Flask modules.

    ## Why is this bad?
    The Werkzeug debugger lets anyone who can trigger an error run Python on the server,
    and the dev server is single-process and not meant for traffic.

    ## Example
    ```python
    app.run(host="0.0.0.0", debug=True)
    ```

    ## Use instead
    ```text
    gunicorn -w 4 -b 0.0.0.0:5000 app:app
    ```
    """

    code = "SRV009"
    scoring = "flat"
    title = "Flask debug server"
    practice = "production"
    severity = Severity.CRITICAL
    fix = "Remove debug=True (use FLASK_DEBUG locally) and serve with gunicorn/uvicorn."

    def check(self, project: Project) -> Iterator[Output]:
        for pf, framework in _services(project):
            if framework != "Flask":
                continue
            apps = set() if _served_by_wsgi_server(project) else _flask_apps(pf)
            for call in pf.nodes(ast.Call):
                if _is_debug_run(call):
                    yield Hit(
                        pf.path, call.lineno, f"{ast.unparse(call.func)}(debug=True) starts the Werkzeug debugger"
                    )
                elif _is_app_run(call, apps) and not is_example(pf.path):
                    message = f"{ast.unparse(call.func)}() serves the API with Flask's development server"
                    fix = "Serve with a production WSGI server (gunicorn 'module:app' or waitress-serve)."
                    yield Hit(pf.path, call.lineno, message, Severity.WARNING, fix=fix)


WSGI_SERVERS = re.compile(r"\b(?:gunicorn|waitress-serve|waitress|uwsgi|hypercorn|uvicorn|mod_wsgi)\b")


def _served_by_wsgi_server(project: Project) -> bool:
    """Return True when a Dockerfile, Procfile, compose file or script starts a production server."""
    return any(WSGI_SERVERS.search(project.texts[path]) for path in _launch_files(project))


def _flask_apps(pf: PythonFile) -> set[str]:
    """Return the names bound to `Flask(...)` in a module."""
    names: set[str] = set()
    for assign in pf.nodes(ast.Assign):
        if isinstance(assign.value, ast.Call) and pf.call_name(assign.value) == "flask.Flask":
            names.update(t.id for t in assign.targets if isinstance(t, ast.Name))
    return names


def _is_app_run(call: ast.Call, apps: set[str]) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "run"
        and isinstance(func.value, ast.Name)
        and func.value.id in apps
    )


def _is_debug_run(call: ast.Call) -> bool:
    """Return True for `<app>.run(..., debug=True)`."""
    func = call.func
    debug = next((k.value for k in call.keywords if k.arg == "debug"), None)
    is_run = isinstance(func, ast.Attribute) and func.attr == "run"
    return is_run and isinstance(debug, ast.Constant) and debug.value is True
