"""Provides test helpers: write a small tree, audit it, and pick out one rule's findings."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

from mlaudit.discover import discover
from mlaudit.engine import AuditOptions, audit
from mlaudit.model import Finding, Report
from mlaudit.project import Project, load_project

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
}


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write `files` (repo-relative path -> text or bytes) under `root`; return root."""
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root


def git_init(root: Path, commit: bool = True) -> Path:
    """Make `root` a git repository with everything committed (deterministic dates)."""
    import os

    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True, env=env)
    if commit:
        subprocess.run(["git", "-C", str(root), "add", "-A", "-f"], check=True, env=env)
        subprocess.run(["git", "-C", str(root), "commit", "-q", "-m", "init", "--allow-empty"], check=True, env=env)
    return root


def run_audit(root: Path, **options: object) -> Report:
    """Audit `root` offline with the given AuditOptions fields."""
    opts = {"offline": True, "history_depth": 0, **options}
    return audit(root, AuditOptions(**opts))  # type: ignore[arg-type]


def run_audit_rules_only(root: Path, **options: object) -> Report:
    """Audit `root` with no capability assessed: each practice starts at 100, only rules deduct.

    For tests of a rule's own deduction (a measured rule whose capability would price it instead).
    """
    from unittest import mock

    from mlaudit import evidence

    with mock.patch.object(evidence, "capabilities_of", lambda _practice: []):
        return run_audit(root, **options)


def findings(root: Path, code: str, **options: object) -> list[Finding]:
    """Audit `root` with only rule `code` selected; return that rule's findings."""
    report = run_audit(root, select=(code,), **options)
    return [f for f in report.findings if f.rule == code]


def project_of(root: Path) -> Project:
    """Discover and parse `root` without running rules."""
    return load_project(discover(root))
