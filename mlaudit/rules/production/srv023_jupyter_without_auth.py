"""Provides rule SRV023: Jupyter server without authentication."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.production._shared import _launch_files

JUPYTER_OPEN = re.compile(
    r"jupyter.*--(?:NotebookApp|ServerApp|IdentityProvider)\.(?:token|password)\s*=\s*(?:''|\"\"|\s|$|\\)"
)


@register
class JupyterWithoutAuth(Rule):
    """Flags Jupyter servers started with an empty token or password.

    ## What it does
    Scans Dockerfiles, docker-compose files, shell scripts and Makefiles for `jupyter`
    commands passing `--NotebookApp.token=''` / `--ServerApp.token=''` (or an empty password).

    ## Why is this bad?
    A Jupyter server is a remote shell: without a token anyone who reaches the port
    (a published container port, a cloud VM) runs code as the container user.

    ## Example
    ```dockerfile
    CMD jupyter lab --ip=0.0.0.0 --ServerApp.token=''
    ```

    ## Use instead
    ```dockerfile
    CMD jupyter lab --ip=127.0.0.1   # default random token; reach it through an SSH tunnel
    ```
    """

    code = "SRV023"
    scoring = "flat"
    title = "Jupyter server without authentication"
    practice = "production"
    severity = Severity.ERROR
    fix = "Keep Jupyter's token (the default) or a password, and bind to 127.0.0.1 behind an SSH tunnel."

    def check(self, project: Project) -> Iterator[Output]:
        for path in _launch_files(project):
            for number, line in enumerate(project.texts[path].splitlines(), start=1):
                if JUPYTER_OPEN.search(line):
                    yield Hit(path, number, "Jupyter started with an empty token/password")
