"""Provides the `git_history` gatherer: secrets added by recent commits and gone at HEAD.

The last `options.history_depth` non-merge commits are listed with `git diff-tree -r -z`
(raw records: no patch text to fake, no quoted paths) and every text-file version they wrote
is read with `git cat-file` (no filters, no textconv) and scanned with the same settings as
HEAD. A secret counts as added by a commit when its version of the file holds the value and
the previous version did not. Only redacted forms and fingerprints leave this module.

A file version found clean is remembered (`cache.CleanKeys`: a hash of its blob ids, path, the
settings and mlaudit's code; never any content) in the user's cache folder, so the next audit
of the same history reads and scans only what changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from mlaudit import cache
from mlaudit.discover import Inventory, classify, is_excluded, safe_path
from mlaudit.model import FileKind
from mlaudit.options import AuditOptions
from mlaudit.paths import pure_path
from mlaudit.project import MAX_FILE_BYTES, Project
from mlaudit.secret_sweep import SweepSettings
from mlaudit.secrets import SecretMatch, may_hold_secret, scan_text
from mlaudit.tools import early, gatherer
from mlaudit.tools import git as gittool

SKIPPED_NAMES = frozenset({"uv.lock", "poetry.lock", "Pipfile.lock", "pdm.lock", "package-lock.json", "yarn.lock"})
FIXTURE_DIRS = frozenset({"tests", "test", "fixtures", "testdata", "test_data"})
UNREAD_KINDS = frozenset({FileKind.DATA, FileKind.MODEL, FileKind.BINARY})


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
    """What the history scan found, or why it could not run; `partial` says what it could not cover."""

    ran: bool
    reason: str | None
    commits: int
    secrets: tuple[HistorySecret, ...]
    partial: str | None = None


@dataclass(frozen=True)
class ScanSettings:
    """The secret-scan settings shared with HEAD: entropy, minimum length and placeholders."""

    entropy: float = 3.5
    min_length: int = 12
    placeholders: tuple[str, ...] = ()

    @classmethod
    def of(cls, options: AuditOptions) -> ScanSettings:
        """Return the scan settings HEAD's sweep uses (configured thresholds and placeholders)."""
        head = SweepSettings.of(options)
        return cls(head.entropy, head.min_length, options.placeholders)


def fingerprint(value: str) -> str:
    """Return a one-way fingerprint of a secret value, for comparisons without the value."""
    return hashlib.sha256(value.encode("utf-8", errors="replace")).hexdigest()[:16]


def scanned_path(path: str) -> bool:
    """Return True when a path's versions are worth scanning (text, not lock files or fixtures)."""
    pure = pure_path(path)
    if pure.name in SKIPPED_NAMES or pure.suffix in {".lock", ".dvc"} or classify(path) in UNREAD_KINDS:
        return False
    return not any(part in FIXTURE_DIRS for part in pure.parts[:-1])


def scan_blob(path: str, raw: bytes, settings: ScanSettings, previous: bytes = b"") -> list[tuple[int, SecretMatch]]:
    """Return the secrets one file version added over its previous version (binary content is skipped).

    Only the lines that are new (with one line of context each side) are scanned; a match
    counts when its value is not in the previous version at all.
    """
    if b"\0" in raw[:8192]:
        return []
    old = previous.decode("utf-8", errors="replace")
    text = raw.decode("utf-8", errors="replace")
    added = _added_lines(text, old)
    if added is None:
        return []
    found = scan_text(
        added,
        quoted_only=path.endswith(".py"),
        entropy=settings.entropy,
        min_length=settings.min_length,
    )
    return [
        (line, m)
        for line, m in found
        if m.value not in old and not any(p and p in m.value for p in settings.placeholders)
    ]


def _added_lines(text: str, old: str) -> str | None:
    """Return `text` with every line blanked except new lines and their neighbours (numbers kept).

    None when none of those lines holds a secret scan's needle, so scanning them would find nothing.
    """
    lines = text.splitlines()
    if not old:
        return "\n".join(lines) if may_hold_secret(text) else None
    before = set(old.splitlines())
    new = [index for index, line in enumerate(lines) if line not in before]
    kept = sorted({near for index in new for near in (index - 1, index, index + 1) if 0 <= near < len(lines)})
    if not may_hold_secret("\n".join(lines[index] for index in kept)):
        return None
    blanked = [""] * len(lines)
    for index in kept:
        blanked[index] = lines[index]
    return "\n".join(blanked)


def scan_history(
    repo: gittool.GitRepo,
    log: gittool.HistoryLog,
    settings: ScanSettings,
    clean: cache.CleanKeys | None = None,
    held_now: frozenset[tuple[str, str]] = frozenset(),
) -> tuple[dict[str, tuple[HistorySecret, str]], int]:
    """Return, per fingerprint, the oldest commit's sighting of each added secret and its value.

    File versions `clean` knows were scanned clean before are neither read nor scanned again;
    the ones found clean now are added to it. Nor are the versions in `held_now` (path, blob id):
    the working tree holds those very bytes, so a secret in them is at HEAD, never gone.
    """
    changes = [c for c in log.changes if scanned_path(safe_path(c.path))]
    if clean is not None:
        changes = [c for c in changes if not clean.known(_version_key(clean, c))]
    oids = sorted({c.new for c in changes} | {c.old for c in changes if c.old is not None})
    sizes = {oid: size for oid, size in gittool.blob_sizes(repo, oids, log.missing).items() if size <= MAX_FILE_BYTES}
    unread = len({c.new for c in changes if c.new not in sizes})
    changes = [c for c in changes if (c.path, c.new) not in held_now]
    order = {commit: index for index, commit in enumerate(log.commits)}
    found: dict[str, tuple[HistorySecret, str]] = {}
    for batch in _batches(sorted(changes, key=lambda c: order.get(c.commit, 0)), sizes):
        needed = {oid: sizes[oid] for c in batch for oid in (c.new, c.old) if oid is not None and oid in sizes}
        blobs = dict(gittool.read_blobs(repo, needed))
        for change in batch:
            if change.new not in blobs:
                continue
            previous = blobs.get(change.old, b"") if change.old is not None else b""
            matches = scan_blob(change.path, blobs[change.new], settings, previous)
            if not matches and clean is not None:
                clean.add(_version_key(clean, change))
            for line, match in matches:
                key = fingerprint(match.value)
                where = safe_path(change.path)
                found[key] = (
                    HistorySecret(change.commit[:7], where, line, match.kind, match.redacted, key),
                    match.value,
                )
    return found, unread


def _version_key(clean: cache.CleanKeys, change: gittool.BlobChange) -> str:
    """Return the store key of a file version: its path and blob ids (the content is named by them)."""
    return clean.key(change.path, change.old or "", change.new)


def _batches(changes: list[gittool.BlobChange], sizes: dict[str, int]) -> Iterator[list[gittool.BlobChange]]:
    """Group changes (newest commit first) so that one group's blobs stay within one `cat-file` chunk."""
    batch: list[gittool.BlobChange] = []
    total = 0
    for change in changes:
        batch.append(change)
        total += sizes.get(change.new, 0) + (sizes.get(change.old, 0) if change.old else 0)
        if total >= gittool.BLOB_CHUNK_BYTES:
            yield batch
            batch, total = [], 0
    if batch:
        yield batch


def held_now(inventory: Inventory) -> frozenset[tuple[str, str]]:
    """Return (path, blob id) of the file versions the working tree holds unmodified (git's index says so).

    A secret such a version added is still in the working tree, so it is never reported as gone:
    scanning it again would only find what HEAD's sweep reports. Notebooks are left out: the
    sweep reads their cells and outputs, not the JSON a file version holds.
    """
    return frozenset(
        (path, oid) for path, oid in cache.unmodified_blobs(inventory).items() if not path.endswith(".ipynb")
    )


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


def _partial(log: gittool.HistoryLog, depth: int, unread: int) -> str | None:
    """Return what the scan could not cover, or None when it covered the requested depth."""
    notes: list[str] = []
    if log.shallow and len(log.commits) < depth:
        notes.append(
            f"shallow clone: {log.available} commits (fetch the full history, e.g. fetch-depth: 0, to scan it)"
        )
    if unread:
        notes.append(f"{unread} file version(s) not read (larger than 5 MB or missing from a partial clone)")
    return "; ".join(notes) or None


@dataclass(frozen=True)
class _Scanned:
    """What scanning the history found, before it is compared with HEAD: every added secret and its value."""

    found: dict[str, tuple[HistorySecret, str]]
    commits: int
    partial: str | None


def _unscannable(inventory: Inventory, options: AuditOptions) -> str | None:
    """Return why the history cannot be scanned, or None."""
    if options.history_depth <= 0:
        return "history scan disabled (history_depth=0)"
    if inventory.git is None or inventory.git.commit is None:
        return "not the top folder of a git repository with commits"
    return None


def _scan(inventory: Inventory, options: AuditOptions) -> _Scanned | str:
    """Scan the history (the slow part: git reads and the secret scan); a string says why it failed."""
    repo = inventory.repo or gittool.open_repo(inventory.root)
    if repo is None:
        return "git cannot read the repository"
    settings = ScanSettings.of(options)
    clean = cache.CleanKeys.of(inventory.root, options, "history", repr(settings))
    try:
        log = gittool.history(repo, options.history_depth)
        found, unread = scan_history(repo, log, settings, clean, held_now(inventory))
    except gittool.GitError as err:
        return f"history scan failed: {err}"
    if clean is not None:
        clean.save()
    return _Scanned(found, len(log.commits), _partial(log, options.history_depth, unread))


@early("git_history")
def start(inventory: Inventory, options: AuditOptions) -> Callable[[], object] | None:
    """Return the scan to run beside the parse, or None when there is nothing to scan."""
    if _unscannable(inventory, options) is not None:
        return None
    return partial(_scan, inventory, options)


@gatherer("git_history")
def gather(project: Project) -> HistoryScan:
    """Scan the file versions of the last `history_depth` commits for secrets gone at HEAD."""
    reason = _unscannable(project.inventory, project.options)
    if reason is not None:
        return HistoryScan(False, reason, 0, ())
    scanned = project.early_result("git_history")
    if not isinstance(scanned, _Scanned | str):  # no early start, or it failed: scan here
        scanned = _scan(project.inventory, project.options)
    if isinstance(scanned, str):
        return HistoryScan(False, scanned, 0, ())
    gone = [
        s for s, value in scanned.found.values() if _judgeable(project, s.path) and not _present_now(project, value)
    ]
    gone.sort(key=lambda s: (s.path, s.line, s.commit))
    return HistoryScan(True, None, scanned.commits, tuple(gone), scanned.partial)
