"""Provides rule SEC005: Secret in git history."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, NotRun, Output, Rule, register
from mlaudit.secrets import is_guessed


@register
class SecretInHistory(Rule):
    """Flags secrets that recent commits added and that are no longer in the tree.

    ## What it does
    Scans the file versions written by the last `history_depth` commits for the secrets
    SEC001 finds (same settings and placeholders) and reports those no longer present at
    HEAD, with the file, line and commit. A shallow clone is reported as not checked. As in
    SEC001, a random-looking value under a name like `token` or `api_key` (no known format, not
    in a `.env` file) is an error.

    ## Why is this bad?
    Deleting a key from the code does not remove it from history: every clone still has it,
    and hosted forks and caches keep it even after a history rewrite.

    ## Example
    ```text
    a1b2c3d  add quick test   (+ OPENAI_API_KEY = "sk-proj-...")
    e4f5a6b  remove key       (- OPENAI_API_KEY = "sk-proj-...")
    ```

    ## Use instead
    ```text
    Revoke the key at the provider and issue a new one, kept out of git.
    ```
    """

    code = "SEC005"
    scoring = "flat"
    title = "Secret in git history"
    practice = "security"
    severity = Severity.CRITICAL
    fix = "Rotate the key; rewriting history does not un-leak it."
    needs = ("git_history",)
    weight = 20
    cap = 40

    def check(self, project: Project) -> Iterator[Output]:
        scan = project.tool("git_history")
        if scan is None:
            yield NotRun("secrets in git history", "history scan did not run")
            return
        if not scan.ran:
            yield NotRun("secrets in git history", scan.reason or "history scan did not run")
            return
        for secret in scan.secrets:
            message = (
                f"{secret.kind} {secret.redacted} added to {secret.path} (line {secret.line}) in commit "
                f"{secret.commit}, gone at HEAD: rotate the key; rewriting history does not un-leak it"
            )
            severity = Severity.ERROR if is_guessed(secret.kind, secret.path) else None
            yield Hit(secret.path, secret.line, message, commit=secret.commit, severity=severity)
        if scan.partial:
            yield NotRun("secrets in git history", scan.partial)
