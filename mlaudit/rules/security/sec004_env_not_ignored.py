"""Provides rule SEC004: .env not ignored by git."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.paths import pure_path
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.security._shared import CODE_KINDS, secret_env_read


@register
class EnvNotIgnored(Rule):
    """Flags a repository whose `.gitignore` is missing or does not ignore `.env`.

    ## What it does
    Asks git (or reads `.gitignore` outside git) whether a `.env` file at the root would be
    ignored. Only where a `.env` matters: an env file exists, or the code loads one
    (python-dotenv, a settings class) or reads secret-like environment variables.

    ## Why is this bad?
    `git add .` then commits the local secrets file on the first careless commit.

    ## Example
    ```text
    # .gitignore
    __pycache__/
    ```

    ## Use instead
    ```text
    # .gitignore
    __pycache__/
    .env
    .env.*
    !.env.example
    ```
    """

    code = "SEC004"
    title = ".env not ignored by git"
    practice = "security"
    severity = Severity.WARNING
    fix = "Add `.env` and `.env.*` (with `!.env.example`) to .gitignore."

    def check(self, project: Project) -> Iterator[Output]:
        if ".env" in project.inventory.ignored_probe or not reads_env_secrets(project):
            return
        if not project.has_file(".gitignore"):
            yield Hit(None, None, "No .gitignore: a .env file with secrets would be committed by `git add .`")
        else:
            yield Hit(".gitignore", None, ".gitignore does not ignore .env")


DOTENV_TEXT = re.compile(r"load_dotenv|dotenv_values|env_file\s*[:=]|BaseSettings")
DOTENV_FACT = "security.mentions_dotenv"  # a per-file fact (mlaudit.filefacts)


# Each alternative of DOTENV_TEXT holds one of these as written (`dotenv` in load_dotenv and
# dotenv_values): a text holding none of them cannot match, and is not searched with the regex.
_DOTENV_NEEDLES = ("dotenv", "env_file", "BaseSettings")


def mentions_dotenv(pf: PythonFile) -> bool:
    """Return True when a module's text loads a `.env` file or declares settings read from one."""
    text = pf.text
    return any(needle in text for needle in _DOTENV_NEEDLES) and DOTENV_TEXT.search(text) is not None


def reads_env_secrets(project: Project) -> bool:
    """Return True when a `.env` file exists, the code loads one, or it reads secret-like variables."""
    if any(pure_path(f.path).name.lower().startswith(".env") for f in project.files):
        return True
    if any(DOTENV_TEXT.search(text) for path, text in project.texts.items() if "compose" in path):
        return True
    files = project.python_of(*CODE_KINDS)
    return any(pf.file_fact(DOTENV_FACT, mentions_dotenv) or secret_env_read(pf) is not None for pf in files)
