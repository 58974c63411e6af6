"""Provides rule SEC001: Hard-coded secret."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, NotRun, Output, Rule, register
from mlaudit.rules.security._shared import _secrets, is_fixture_path
from mlaudit.secret_sweep import sweep


@register
class HardcodedSecret(Rule):
    """Flags API keys, tokens, passwords and private keys written into code, configs or .env files.

    ## What it does
    Scans the text of every tracked text file (Python modules, notebook cells, outputs and
    metadata, configs, `.env` files, Dockerfiles, shell scripts, small data files, files that
    do not parse, and tracked files under `build/`, `dist/` or `.dvc/`) for about seventy known
    token formats (cloud, LLM, forge, chat, payment and SaaS keys, private keys, JWTs, bearer
    headers), passwords in URLs and command lines, and random-looking values assigned to
    secret-like names (also on the line under the name). Documentation placeholders,
    templates, hash digests, UUIDs, numbers in exponent notation (`"output_cost_per_token": 1.124998e-05`),
    formulas (`tokens = h*w*seconds*24/1024`), upper-case constant names (`V3IO_ACCESS_KEY`: the variable
    that holds the key), the characters a password is drawn from (`PASSWORD_CHARS`, `passwordSymbols`)
    and values holding bytes that are not text (an undecodable byte or a control character: a run of a binary
    mesh, scan or raster that happens to follow `-u x:` or `--token`, never a typed secret) are ignored; values in tests, request credentials sent to a loopback address
    (a demo calling the server it just started), the password of a URL whose host is loopback
    (`postgresql://app:pw@localhost/db`, a database on the reader's own machine), a setting of a service container
    a GitHub Actions job starts for its tests (`jobs: test: services: postgres: env: POSTGRES_PASSWORD: ...`: it
    lives as long as the job, reachable from its runner alone), and a URL or
    command-line password inside the message of a raised exception, an `assert`, a warning or a log
    call (`raise ValueError("expected postgresql://user:pw@host/db")`: a format explained to the
    reader) are reported as info, as are such a password or a random value under a token-like name in a
    docstring (a connection format or a sample response shown to the reader; a key in a provider's format or a
    password by name there stays critical) and a random-looking value a data set's text names in a sentence ("Here
    is your new password: a9B7$#fG3&Z1." in a tool-calling conversation: what a model reads or says) or writes
    inside a quoted CSV field that runs over several lines (a model response quoting `password: ...`). A known
    format, a password, secret or private key by name, and any
    value in a `.env` file are critical; a random-looking value under a name like `token` or `api_key`
    alone is a strong suspicion, not proof (public telemetry and analytics tokens look the same):
    an error, which does not cap the grade.
    Files that could not be read are listed as not checked.

    ## Why is this bad?
    Anyone with read access to the repository (or a fork, a wheel, a Docker image) can use
    the key. Bots harvest public repositories for keys within minutes.

    ## Example
    ```python
    client = OpenAI(api_key="sk-proj-...")
    ```

    ## Use instead
    ```python
    class Settings(BaseSettings):
        openai_api_key: SecretStr

    client = OpenAI(api_key=Settings().openai_api_key.get_secret_value())
    ```
    """

    code = "SEC001"
    scoring = "flat"
    title = "Hard-coded secret"
    practice = "security"
    severity = Severity.CRITICAL
    fix = "Revoke and rotate the key, then read it from the environment (a settings object with SecretStr)."
    weight = 25
    cap = 50

    def check(self, project: Project) -> Iterator[Output]:
        for found in _secrets(project):
            if found.in_output:
                continue
            severity = Severity.INFO if found.harmless else Severity.ERROR if found.guessed else None
            message = f"{found.description} in {found.path}"
            if found.example and not is_fixture_path(found.path):  # a test's value needs no note
                message += " (in an error or log message: a format example, unless it is a real password)"
            elif found.documented and not is_fixture_path(found.path):
                message += " (in a docstring: a documentation example, unless it is a real key)"
            elif found.ci_service:
                message += " (in a service container a CI job starts for its tests: a throwaway credential)"
            elif found.dialogue:
                message += " (in a sentence of a data set's text: sample content, unless it is a real password)"
            yield Hit(found.path, found.line, message, severity=severity, cell=found.cell)
        missed = sweep(project).not_scanned
        if missed:
            shown = "; ".join(f"{s.path} ({s.reason.split(':')[0]})" for s in missed[:10])
            more = f"; and {len(missed) - 10} more" if len(missed) > 10 else ""
            yield NotRun(f"secrets in {len(missed)} file(s)", f"could not be read: {shown}{more}")
