"""Provides rule SRV022: Secret in Dockerfile ENV/ARG."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.redact import redact
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.production._shared import DOCKER_NOT_SECRET, DOCKER_SECRET_NAME, _dockerfiles, env_pairs
from mlaudit.secrets import is_placeholder

NOT_SECRET_VALUES = frozenset({"true", "false", "yes", "no", "on", "off", "none", "null"})


@register
class SecretInDockerfile(Rule):
    """Flags secrets baked into a Dockerfile with `ENV` or `ARG`.

    ## What it does
    Finds `ENV`/`ARG` variables named like *KEY*, *TOKEN*, *SECRET*, *PASSWORD* that are given
    a literal value (not empty, not `$VAR`, not a placeholder).

    ## Why is this bad?
    ENV values are stored in the image config and ARG values in its history: anyone who can
    pull the image can read them with `docker history` / `docker inspect`.

    ## Example
    ```dockerfile
    ENV OPENAI_API_KEY=sk-proj-...
    ```

    ## Use instead
    ```dockerfile
    RUN --mount=type=secret,id=openai_key ...  # build time; pass runtime secrets with -e / a secret store
    ```
    """

    code = "SRV022"
    scoring = "flat"
    title = "Secret in Dockerfile ENV/ARG"
    practice = "production"
    severity = Severity.CRITICAL
    fix = (
        "Remove the value; pass secrets at runtime (docker run -e, orchestrator secrets) or via BuildKit secret mounts."
    )

    def check(self, project: Project) -> Iterator[Output]:
        for path, instructions in _dockerfiles(project):
            for ins in instructions:
                if ins.keyword not in {"ENV", "ARG"}:
                    continue
                for name, value in env_pairs(ins.args):
                    if _is_baked_secret(name, value):
                        yield Hit(path, ins.line, f"{ins.keyword} {name}={redact(value)} bakes a secret into the image")


def _is_baked_secret(name: str, value: str) -> bool:
    if not DOCKER_SECRET_NAME.search(name) or DOCKER_NOT_SECRET.search(name):
        return False
    if not value or value.startswith("$") or value.lower() in NOT_SECRET_VALUES or value.isdigit():
        return False
    return not is_placeholder(value)
