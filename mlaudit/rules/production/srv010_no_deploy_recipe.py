"""Provides rule SRV010: Service without a deployment recipe."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.service_facts import deploy_recipes
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.production._shared import _real_services, caller_built_app, local_tool


@register
class NoDeployRecipe(Rule):
    """Flags a web service with no Dockerfile or other deployment recipe.

    ## What it does
    Looks for a Dockerfile, a compose file, Kubernetes manifests or a platform file
    (Procfile, serverless.yml, app.yaml, fly.toml, bentofile.yaml, ...) in a repository that
    defines a web service (examples and docs excluded). A Dockerfile template the project writes
    for its users (a `.j2`/`.tmpl` file, or a string in a module, with a `FROM` line and a `CMD` or
    `ENTRYPOINT` line: a serving library's `containerize` command) is a recipe too. A web app the code
    opens on localhost in the user's browser (`webbrowser.open(f"http://localhost:{port}")`) is a local
    tool that installing the package deploys: it needs none. Neither does a library that only adds routes to an
    app or router its caller hands it (`def add_routes(app: FastAPI, ...)`, no app built in the project): the
    caller deploys the service.

    ## Why is this bad?
    Without a recipe the service runs however the last person started it: an unpinned
    interpreter, a bare `uvicorn` command, no resource limits; nobody can rebuild it.

    ## Example
    ```text
    api.py        # FastAPI app
    start.sh      # uvicorn api:app
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.11.9-slim
    COPY . /app
    RUN pip install --no-cache-dir -r /app/requirements.txt
    CMD ["uvicorn", "api:app", "--host", "0.0.0.0"]
    ```
    """

    code = "SRV010"
    restates = "deploy_recipe"
    title = "Service without a deployment recipe"
    practice = "production"
    severity = Severity.WARNING
    fix = "Add a Dockerfile (pinned base image, non-root USER) or the platform manifest you deploy with."
    weight = 10
    cap = 10

    def check(self, project: Project) -> Iterator[Output]:
        services = _real_services(project)
        if not services or deploy_recipes(project) or local_tool(project) is not None:
            return
        if caller_built_app(project) is not None:
            return
        shown = ", ".join(f"{pf.path} ({fw})" for pf, fw in services[:3])
        yield Hit(None, None, f"web service {shown} has no Dockerfile or other deployment recipe")
