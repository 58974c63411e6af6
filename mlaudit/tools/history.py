"""Provides the `git_history` gatherer: secrets added by recent commits and gone at HEAD.

One `git log -p` over the last `options.history_depth` commits is parsed as a stream
(`mlaudit.tools.git.added_lines`); only redacted forms and fingerprints leave this module.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from mlaudit.discover import is_excluded
from mlaudit.project import Project
from mlaudit.secrets import SecretMatch, scan_line
from mlaudit.tools import gatherer
from mlaudit.tools import git as gittool

SKIPPED_NAMES = frozenset({"uv.lock", "poetry.lock", "Pipfile.lock", "pdm.lock", "package-lock.json", "yarn.lock"})
FIXTURE_DIRS = frozenset({"tests", "test", "fixtures", "testdata", "test_data"})


@dataclass(frozen=True)
class HistorySecret:
    """A secret some commit added: where, what kind, and its redacted form only."""

    commit: str
    path: str
    line: int
    kind: str
    redacted: str
    fingerprint: str


@dataclass(frozen=True)
class HistoryScan:
    """What the history scan found, or why it could not run."""

    ran: bool
    reason: str | None
    commits: int
    secrets: tuple[HistorySecret, ...]


def fingerprint(value: str) -> str:
    """Return a one-way fingerprint of a secret value, for comparisons without the value."""
    return hashlib.sha256(value.encode("utf-8", errors="replace")).hexdigest()[:16]


def scanned_path(path: str) -> bool:
    """Return True when a path's added lines are worth scanning (not lock files or fixtures)."""
    pure = PurePosixPath(path)
    if pure.name in SKIPPED_NAMES or pure.suffix in {".lock", ".dvc"}:
        return False
    return not any(part in FIXTURE_DIRS for part in pure.parts[:-1])


def scan_added(
    chunks: Iterable[gittool.AddedLines], entropy: float
) -> tuple[int, dict[str, tuple[HistorySecret, str]]]:
    """Scan added lines; return the commit count and, per fingerprint, the oldest sighting and value."""
    commits: set[str] = set()
    found: dict[str, tuple[HistorySecret, str]] = {}
    for chunk in chunks:
        commits.add(chunk.commit)
        if not scanned_path(chunk.path):
            continue
        for line_no, match in _matches(chunk, entropy):
            key = fingerprint(match.value)
            secret = HistorySecret(chunk.commit[:7], chunk.path, line_no, match.kind, match.redacted, key)
            found[key] = (secret, match.value)
    return len(commits), found


def _matches(chunk: gittool.AddedLines, entropy: float) -> Iterator[tuple[int, SecretMatch]]:
    quoted_only = chunk.path.endswith(".py")
    for line_no, text in chunk.lines:
        for match in scan_line(text, quoted_only=quoted_only, entropy=entropy):
            yield line_no, match


def _present_now(project: Project, value: str) -> bool:
    if any(value in text for text in project.texts.values()):
        return True
    for pf in project.python.values():
        if value in pf.text or any(value in cell.source or value in "".join(cell.outputs) for cell in pf.cells):
            return True
    return False


def _judgeable(project: Project, path: str) -> bool:
    """Return False for excluded paths and for files tracked now but not read (cannot compare)."""
    if is_excluded(path, project.options.exclude):
        return False
    tracked = project.tracked or frozenset()
    return path not in tracked or path in project.texts or path in project.python


@gatherer("git_history")
def gather(project: Project) -> HistoryScan:
    """Scan the added lines of the last `history_depth` commits for secrets gone at HEAD."""
    depth = project.options.history_depth
    if depth <= 0:
        return HistoryScan(False, "history scan disabled (history_depth=0)", 0, ())
    if project.inventory.git is None or project.inventory.git.commit is None:
        return HistoryScan(False, "not a git repository with commits", 0, ())
    entropy = project.options.threshold("entropy", 3.5)
    commits, found = scan_added(gittool.added_lines(project.root, depth), entropy)
    gone = [
        secret
        for secret, value in found.values()
        if _judgeable(project, secret.path) and not _present_now(project, value)
    ]
    gone.sort(key=lambda s: (s.path, s.line, s.commit))
    return HistoryScan(True, None, commits, tuple(gone))
