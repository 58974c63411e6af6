"""Provides rule SRV021: Container runs as root."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.production._shared import _dockerfiles


@register
class ContainerRunsAsRoot(Rule):
    """Flags Dockerfiles whose final stage never switches to a non-root `USER`.

    ## What it does
    Checks the last `USER` instruction of the final build stage.

    ## Why is this bad?
    A compromised service (say, through a pickle or a parser bug) runs as root inside the
    container, which makes escaping or tampering with mounted volumes much easier.

    ## Example
    ```dockerfile
    FROM python:3.11.9-slim
    CMD ["uvicorn", "app:app"]
    ```

    ## Use instead
    ```dockerfile
    RUN useradd --system app
    USER app
    CMD ["uvicorn", "app:app"]
    ```
    """

    code = "SRV021"
    title = "Container runs as root"
    practice = "production"
    severity = Severity.INFO
    fix = "Create an unprivileged user and add `USER app` before CMD."

    def check(self, project: Project) -> Iterator[Output]:
        for path, instructions in _dockerfiles(project):
            starts = [i for i, ins in enumerate(instructions) if ins.keyword == "FROM"]
            final = instructions[starts[-1] :] if starts else instructions
            users = [ins.args.split(":", 1)[0] for ins in final if ins.keyword == "USER"]
            if not users or users[-1] in {"root", "0"}:
                yield Hit(path, None, f"{path} runs as root (no non-root USER in the final stage)")
