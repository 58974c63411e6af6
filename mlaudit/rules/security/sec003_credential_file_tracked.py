"""Provides rule SEC003: Credential file tracked by git."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.paths import pure_path
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.security._shared import is_fixture_path

SAFE_ENV_SUFFIXES = (".example", ".sample", ".template", ".dist", ".defaults")


CREDENTIAL_NAMES = frozenset(
    {
        "id_rsa",
        "id_dsa",
        "id_ecdsa",
        "id_ed25519",
        "credentials.json",
        "kaggle.json",
        ".netrc",
        ".git-credentials",
        ".htpasswd",
    }
)


CREDENTIAL_SUFFIXES = (".pem", ".key", ".p12", ".pfx", ".keystore", ".jks")


TOKEN_CONFIGS = {".npmrc": ("_authToken=", "_auth=", "_password="), ".pypirc": ("password",)}


def is_env_file(name: str) -> bool:
    """Return True for `.env` and `.env.local`-style files, not `.env.example`/`.sample`/`.template`."""
    lower = name.lower()
    return lower == ".env" or (lower.startswith(".env.") and not lower.endswith(SAFE_ENV_SUFFIXES))


PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----")
PUBLIC_BLOCKS = frozenset({"PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CRL"})


def only_public_material(text: str | None) -> bool:
    """Return True for a PEM file whose every block is a public key or certificate (nothing to rotate).

    A CA bundle or the public key that verifies signed model files is meant to be shipped; a file
    with any other block (a private key), or with no PEM block at all, is not judged public.
    """
    blocks = PEM_BLOCK.findall(text or "")
    return bool(blocks) and all(block in PUBLIC_BLOCKS for block in blocks)


def _key_file_kind(lower: str) -> str | None:
    if lower in CREDENTIAL_NAMES or lower.endswith(CREDENTIAL_SUFFIXES):
        return "credential/key file"
    if lower.startswith(("service-account", "service_account", "client_secret")) and lower.endswith(".json"):
        return "service-account key file"
    return None


def credential_kind(project: Project, path: str) -> str | None:
    """Return why a file is a credential file (e.g. `.env file`), or None."""
    name = pure_path(path).name
    if is_env_file(name):
        return ".env file"
    kind = _key_file_kind(name.lower())
    if kind is not None:
        return None if only_public_material(project.text(path)) else kind
    markers = TOKEN_CONFIGS.get(name.lower())
    text = project.text(path) or ""
    if markers and any(m in text for m in markers):
        return f"{name} with a token"
    return None


@register
class CredentialFileTracked(Rule):
    """Flags `.env` files, private keys and credential files tracked by git.

    ## What it does
    Checks the files git tracks for `.env` (not `.env.example`), `*.pem`/`*.key`, `id_rsa`,
    `credentials.json`, `kaggle.json`, `service-account*.json`, and `.npmrc`/`.pypirc`
    holding tokens. A PEM file holding only public keys or certificates (a CA bundle, the
    public key that verifies signed downloads) holds nothing secret and is left alone.

    ## Why is this bad?
    Every clone carries the credentials, and deleting the file later leaves them in history.

    ## Example
    ```text
    $ git ls-files
    .env
    gcp/service-account.json
    ```

    ## Use instead
    ```text
    # .gitignore
    .env
    *.pem
    service-account*.json
    ```
    """

    code = "SEC003"
    scoring = "flat"
    title = "Credential file tracked by git"
    practice = "security"
    severity = Severity.ERROR
    fix = "Rotate what it holds, `git rm --cached` the file and add it to .gitignore; commit a .env.example instead."
    weight = 20
    cap = 40

    def check(self, project: Project) -> Iterator[Output]:
        if project.tracked is None:
            return
        discovered = {f.path for f in project.files}
        for path in sorted(project.tracked & discovered):
            kind = credential_kind(project, path)
            if kind is not None:
                severity = Severity.INFO if is_fixture_path(path) else None
                yield Hit(path, None, f"{kind} {path} is tracked by git", severity=severity)
