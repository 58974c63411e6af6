"""Provides the report cache: a re-audit of an unchanged tree returns the stored, redacted report.

An entry is keyed by everything the report depends on: mlaudit's own code and version, the
Python and library versions, the options that shape the report, the day (suppressions and
vulnerability ignores expire), and a fingerprint of the tree: every discovered and every
tracked file's path, mode and content identity, the skipped entries, the git state and
HEAD. A tracked file git reports unmodified is identified by its blob id from the index, so
it is not even read; any other file is hashed. Anything that cannot be fingerprinted turns
the cache off for that run. Entries live in `$XDG_CACHE_HOME/mlaudit/reports` (never inside
the audited tree), hold only the final redacted report, are written atomically and are
ignored (and rebuilt) when corrupt, truncated, foreign, expired or not read back as the same JSON. A report that holds a
pip-audit result expires with that result; one whose pip-audit check failed is not stored.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import json
import logging
import os
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from mlaudit import __version__
from mlaudit.discover import Inventory, discover, read_regular, regular_file_in
from mlaudit.model import SCHEMA_VERSION, SCORING_VERSION, Report
from mlaudit.options import AuditOptions
from mlaudit.progress import Progress
from mlaudit.project import MAX_FILE_BYTES, Project
from mlaudit.tools import git as gittool

log = logging.getLogger(__name__)

FORMAT = 1
MAX_CACHE_BYTES = 200 * 1024 * 1024
MAX_ENTRY_BYTES = 256 * 1024 * 1024
STALE_TEMP_SECONDS = 24 * 3600
ENV_OFF = "MLAUDIT_NO_CACHE"
# AuditOptions fields that never change the report (the JSON is identical across them).
NOT_KEYED = frozenset({"jobs", "cache"})
KEYED = frozenset(
    {
        "select",
        "ignore",
        "exclude",
        "offline",
        "history_depth",
        "weights",
        "thresholds",
        "run_tests",
        "python",
        "test_timeout",
        "profile",
        "placeholders",
        "suppressions",
        "vulnerability_ignores",
        "baseline",
        "today",
    }
)
COVERAGE_FILES = (".coverage", "coverage.json", "coverage.xml")
GIT_BLOB_MODES = frozenset({"100644", "100755"})


class Uncacheable(Exception):
    """An input of the audit that cannot be fingerprinted: the run goes without the cache."""


@dataclass(frozen=True)
class Slot:
    """Where one audit's entry lives and the key it must carry."""

    folder: Path
    key: str
    blobs: Mapping[str, str] = dataclasses.field(default_factory=dict)
    """The git blob id (sha1) of each file git's index shows unchanged, by path: its content's name, unread."""

    @property
    def path(self) -> Path:
        """Return the entry file."""
        return self.folder / f"{self.key[:40]}.json"


@dataclass(frozen=True)
class Lookup:
    """What an audit knows before it reads a file: the inventory, the options of today, the slot, any stored report."""

    inventory: Inventory
    options: AuditOptions
    slot: Slot | None
    report: Report | None


def lookup(root: Path, options: AuditOptions) -> Lookup:
    """Discover the tree at `root` and return its stored report if there is one (no slot for an empty tree).

    It needs neither the rules nor the engine: the app's audit process shows a stored report without loading them.
    """
    inventory = discover(root, options.exclude)
    options = options if options.today else dataclasses.replace(options, today=dt.date.today())  # one day: key, run
    slot = slot_for(inventory, options) if inventory.files else None
    return Lookup(inventory, options, slot, load(slot) if slot is not None else None)


def replay(report: Report, notify: Callable[[Progress], object]) -> Report:
    """Announce a stored report the way a run would: each practice's score, then done."""
    for done, practice in enumerate(report.practices, 1):
        notify(Progress("scored", done, len(report.practices), practice.key, practice))
    notify(Progress("done", 1, 1, "from the cache"))
    return report


def default_cache_dir() -> Path:
    """Return `$XDG_CACHE_HOME/mlaudit`, or `~/.cache/mlaudit`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mlaudit"


def slot_for(inventory: Inventory, options: AuditOptions) -> Slot | None:
    """Return the cache slot of this audit, or None (with the reason at -v) when the cache is off."""
    reason = off_reason(inventory.root, options)
    if reason is not None:
        log.info("cache off (%s)", reason)
        return None
    try:
        blobs: dict[str, str] = {}
        key = audit_key(inventory, options, blobs)
    except (Uncacheable, OSError, gittool.GitError) as err:
        log.info("cache off (cannot fingerprint the tree: %s)", _one_line(err))
        return None
    except Exception as err:  # noqa: BLE001 - the cache only saves time: a fault in it never ends an audit
        log.warning("cache off (fingerprint failed: %s: %s)", type(err).__name__, _one_line(err))
        return None
    return Slot(default_cache_dir() / "reports", key, blobs)


def off_reason(root: Path, options: AuditOptions) -> str | None:
    """Return why the cache is off for this audit, or None."""
    if not options.cache:
        return "--no-cache"
    if os.environ.get(ENV_OFF, "").strip().lower() not in ("", "0", "false", "no"):
        return f"{ENV_OFF} is set"
    if options.run_tests:
        return "--run-tests runs the tests: their outcome is never reused"
    folder = default_cache_dir()
    try:
        inside = folder.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return "cannot resolve the cache folder"
    return f"the cache folder {folder} is inside the audited tree" if inside else None


def load(slot: Slot) -> Report | None:
    """Return the stored report of this slot, or None (a miss, with the reason at -v)."""
    from mlaudit.report import json as json_report

    try:
        raw = read_regular(slot.path, limit=MAX_ENTRY_BYTES)
    except FileNotFoundError:
        log.info("cache miss (no entry)")
        return None
    except OSError as err:
        log.info("cache miss (unreadable entry: %s)", _one_line(err))
        return None
    problem, body = _check_entry(raw, slot.key)
    if body is None:
        log.info("cache miss (%s)", problem)
        return None
    try:
        report = json_report.loads(body)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as err:
        log.info("cache miss (unreadable report in the entry: %s)", _one_line(err))
        return None
    if json_report.compact(report) != body:  # checked here, not when stored: a re-audit after an edit skips it
        log.info("cache miss (the stored report does not survive its JSON round trip)")
        return None
    touch(slot.path)
    log.info("cache hit")
    return report


def _check_entry(raw: bytes, key: str) -> tuple[str, str | None]:
    """Return (why the entry is unusable, None) or ("", the report text)."""
    head, newline, rest = raw.partition(b"\n")
    try:
        header = json.loads(head) if newline else None
        body = rest.decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return "corrupt entry", None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        return "entry of another cache format", None
    if header.get("mlaudit") != __version__ or header.get("scoring") != SCORING_VERSION:
        return "entry of another mlaudit version", None
    if header.get("key") != key:
        return "entry of another audit", None
    if header.get("sha256") != hashlib.sha256(rest).hexdigest():
        return "truncated or corrupt entry", None
    expires = header.get("expires")
    if expires is not None and (not isinstance(expires, int | float) or time.time() >= expires):
        return "expired: its pip-audit result is out of date", None
    return "", body


def store(slot: Slot, report: Report, project: Project) -> None:
    """Store the (already redacted) report, unless a result in it must not be reused."""
    from mlaudit.report import json as json_report

    refused, expires = _lifetime(report, project)
    if refused is not None:
        log.info("cache not written (%s)", refused)
        return
    text = json_report.compact(report)  # a report that does not survive its JSON round trip misses when read (`load`)
    try:
        body = text.encode("utf-8")
    except UnicodeEncodeError:
        log.info("cache not written (the report holds text that is not UTF-8)")
        return
    header = {
        "format": FORMAT,
        "mlaudit": __version__,
        "scoring": SCORING_VERSION,
        "key": slot.key,
        "expires": expires,
        "sha256": hashlib.sha256(body).hexdigest(),
    }
    try:
        write_atomic(slot.folder, slot.path, json.dumps(header).encode("ascii") + b"\n" + body)
        evict(slot.folder, MAX_CACHE_BYTES, keep=slot.path)
    except OSError as err:
        log.info("cache not written (%s: %s)", slot.folder, _one_line(err))
    except Exception as err:  # noqa: BLE001 - the cache only saves time: a fault in it never ends an audit
        log.warning("cache not written (%s: %s)", type(err).__name__, _one_line(err))


def _lifetime(report: Report, project: Project) -> tuple[str | None, float | None]:
    """Return (why not to store, expiry): a crashed check or a failed pip-audit run is tried again next time."""
    from mlaudit.tools.pipaudit import PipAuditResult

    if report.incomplete:
        return "a check failed; it runs again next time", None
    result = project.tool("pip_audit")
    if not isinstance(result, PipAuditResult):
        return None, None
    if result.not_checked is None:
        until = result.valid_until
        return (None, until) if until is not None else ("pip-audit result of unknown age", None)
    if result.requirements:
        return "pip-audit could not check the pins; it is tried again next time", None
    return None, None  # nothing to check (offline, no pins): the same tree gives the same answer


def write_atomic(folder: Path, target: str | Path, data: bytes) -> None:
    """Write `data` to `target` through a temporary file in the same folder and one rename."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, partial = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(partial, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise


def evict(folder: Path, bound: int, keep: Path | None = None, suffix: str = ".json") -> int:
    """Delete the least recently used entries until the folder holds at most `bound` bytes; return what it holds."""
    now = time.time()
    entries: list[tuple[float, int, str]] = []
    with os.scandir(folder) as listing:
        for item in listing:
            with contextlib.suppress(OSError):
                info = item.stat(follow_symlinks=False)
                if not stat.S_ISREG(info.st_mode):
                    continue
                if item.name.startswith(".tmp-"):
                    if now - info.st_mtime > STALE_TEMP_SECONDS:
                        os.unlink(item.path)  # left by a run that was killed while writing
                    continue
                if item.name.endswith(suffix):
                    entries.append((info.st_mtime, info.st_size, item.path))
    total = sum(size for _, size, _ in entries)
    kept = str(keep) if keep is not None else None
    for _, size, path in sorted(entries, key=lambda e: e[0]):
        if total <= bound:
            break
        if path != kept:
            with contextlib.suppress(OSError):
                os.unlink(path)
                total -= size
    return total


LEDGER = ".size"
LEDGER_SECONDS = 3600  # the folder is measured again at least this often (concurrent writers may undercount)


def evict_when_full(folder: Path, bound: int, written: int, suffix: str) -> None:
    """Evict (`evict`) only when the folder may hold more than `bound` bytes.

    A ledger in the folder holds its size as last measured plus every byte written since; while
    that stays within the bound and the measure is under `LEDGER_SECONDS` old, the folder is not
    listed (a folder of tens of thousands of entries costs a re-audit a tenth of a second to list).
    A missing, corrupt or foreign ledger means a measure now.
    """
    ledger = folder / LEDGER
    try:
        head = json.loads(read_regular(ledger, limit=4096))
        size, measured = head["bytes"], head["measured"]
        fresh = (
            isinstance(size, int) and isinstance(measured, int | float) and 0 <= time.time() - measured < LEDGER_SECONDS
        )
    except (OSError, ValueError, KeyError, TypeError):
        fresh, size, measured = False, 0, 0
    if fresh and size + written <= bound:
        size += written
    else:
        size, measured = evict(folder, bound, suffix=suffix), time.time()
    write_atomic(folder, ledger, json.dumps({"bytes": size, "measured": measured}).encode("ascii"))


class CleanKeys:
    """Hashes of inputs a scan found clean, one store per repository and purpose: never any content.

    A key is a hash of what names the input (blob ids, or a hash of the text), the scan's
    settings and mlaudit's own code. A lost, corrupt or foreign store only means a full scan;
    inputs holding a secret are never added, so they are scanned every time.
    """

    FORMAT = 1
    MAX_KEYS = 400_000  # about 13 MB; the newest are kept
    MAX_FOLDER_BYTES = 64 * 1024 * 1024

    def __init__(self, path: Path, salt: str) -> None:
        self.path = path
        self.salt = f"{code_fingerprint()}\0{salt}\0"
        self.keys: dict[str, None] = dict.fromkeys(self._read())
        self.added = 0

    @classmethod
    def of(cls, root: Path, options: AuditOptions, purpose: str, salt: str) -> CleanKeys | None:
        """Return the store of this repository and purpose, or None when the cache is off."""
        if off_reason(root, options) is not None:
            return None
        name = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:32]
        return cls(default_cache_dir() / "clean" / f"{purpose}-{name}.clean", salt)

    def key(self, *parts: str) -> str:
        """Return the key of an input named by `parts` under this store's settings."""
        text = self.salt + "\0".join(parts)
        return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]

    def known(self, key: str) -> bool:
        """Return True when the input of `key` was scanned clean before."""
        return key in self.keys

    def add(self, key: str) -> None:
        """Remember an input scanned clean."""
        self.keys[key] = None
        self.added += 1

    def _read(self) -> list[str]:
        try:
            raw = read_regular(self.path, limit=self.MAX_KEYS * 40 + 4096)
        except OSError:
            return []
        head, _, body = raw.partition(b"\n")
        try:
            header = json.loads(head)
        except ValueError:
            return []
        if not isinstance(header, dict) or header.get("format") != self.FORMAT:
            return []
        keys = body.decode("ascii", "replace").split()
        return [k for k in keys if len(k) == 32 and all(c in "0123456789abcdef" for c in k)]

    def save(self) -> None:
        """Write the store atomically when something was added (a failure only costs time next run)."""
        if not self.added:
            return
        keys = list(self.keys)[-self.MAX_KEYS :]
        data = json.dumps({"format": self.FORMAT}).encode("ascii") + b"\n" + "\n".join(keys).encode("ascii")
        try:
            write_atomic(self.path.parent, self.path, data)
            evict(self.path.parent, self.MAX_FOLDER_BYTES, keep=self.path, suffix=".clean")
        except OSError as err:
            log.info("scan store not written (%s: %s)", self.path, err)


def touch(path: str | Path) -> None:
    """Mark an entry as used now, so eviction removes the least recently used first."""
    with contextlib.suppress(OSError):
        os.utime(path)


# --- the key -----------------------------------------------------------------------------


def audit_key(inventory: Inventory, options: AuditOptions, blobs: dict[str, str] | None = None) -> str:
    """Return the hex key of an audit: code, settings and tree, everything the report depends on.

    `blobs` receives the sha1 blob id of every file git's index shows unchanged.
    """
    digest = hashlib.sha256()
    for part in _key_parts(inventory, options, blobs):
        digest.update(part.encode("utf-8", "surrogateescape"))
        digest.update(b"\n")
    return digest.hexdigest()


def _key_parts(inventory: Inventory, options: AuditOptions, blobs: dict[str, str] | None) -> Iterator[str]:
    yield f"format {FORMAT} mlaudit {__version__} scoring {SCORING_VERSION} schema {SCHEMA_VERSION}"
    yield f"code {code_fingerprint()}"
    yield f"python {sys.version} {sys.implementation.name}"
    yield f"libraries {library_versions()}"
    yield f"options {options_fingerprint(options)}"
    yield _canonical(
        {
            "root": str(inventory.root),
            "git": inventory.git,
            "skipped": inventory.skipped,
            "venvs": inventory.venv_dirs,
            "ignored_probe": sorted(inventory.ignored_probe),
            "tracked": None if inventory.tracked is None else sorted(inventory.tracked),
        }
    )
    yield from tree_fingerprint(inventory, options.history_depth, blobs)


def options_fingerprint(options: AuditOptions) -> str:
    """Return the canonical text of every option that shapes the report; raise Uncacheable on an unknown one."""
    names = {f.name for f in dataclasses.fields(options)}
    unknown = names - KEYED - NOT_KEYED
    if unknown:
        raise Uncacheable(f"option(s) the cache does not know: {', '.join(sorted(unknown))}")
    today = options.today or dt.date.today()
    values = {name: getattr(options, name) for name in sorted(KEYED)}
    return _canonical({**values, "today": today})


def _canonical(value: object) -> str:
    return json.dumps(_plain(value), sort_keys=True, separators=(",", ":"))


def _plain(value: object) -> object:
    """Return JSON-ready data for a setting; raise Uncacheable for a type with no stable form."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, frozenset | set):
        return sorted((_plain(v) for v in value), key=_canonical)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    raise Uncacheable(f"a setting of type {type(value).__name__}")


@functools.cache
def code_fingerprint() -> str:
    """Return a hash of mlaudit's own files, so an edited rule (same version number) misses."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if "__pycache__" in path.parts or path.suffix not in (".py", ".json") or not path.is_file():
            continue
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def library_versions() -> str:
    """Return the versions of mlaudit's declared dependencies that are installed (their output shapes findings)."""
    try:
        requires = metadata.requires("mlaudit-cli") or []
    except metadata.PackageNotFoundError:
        requires = []
    names = sorted({_requirement_name(r) for r in requires} | {"radon", "coverage", "pip-audit", "pyyaml"})
    found = []
    for name in names:
        try:
            found.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=absent")
    return ",".join(found)


def _requirement_name(requirement: str) -> str:
    name = requirement.split(";", 1)[0]
    for stop in "<>=!~[ (":
        name = name.split(stop, 1)[0]
    return name.strip().lower()


# --- the tree ------------------------------------------------------------------------------


def tree_fingerprint(inventory: Inventory, history_depth: int, blobs: dict[str, str] | None = None) -> Iterator[str]:
    """Yield one line per file: path, mode, size and content identity (git blob id, or a hash of its bytes).

    `blobs`, when given, receives the sha1 blob id of each file the index shows unchanged.
    """
    root = inventory.root
    repo = inventory.repo or (gittool.open_repo(root) if inventory.git is not None else None)
    if inventory.git is not None and repo is None:
        raise Uncacheable("git listed the files but the repository cannot be opened again")
    if repo is None:
        index, history = _Index({}, set(), "sha1"), ""
    else:
        index, history = _read_git_state(repo, history_depth > 0, inventory.index if inventory.repo is repo else None)
    if history:
        yield f"history {history}"
    sizes = {_rel(root, f.abspath): f.size for f in inventory.files}
    paths = set(sizes) | index.tracked | _tracked_paths(inventory)
    for rel in sorted(paths):
        clean = index.clean.get(rel)
        if clean is not None:
            mode, oid = clean
            identity = f"{mode} {sizes[rel] if rel in sizes else _size(root / rel)} {oid}"
            if blobs is not None and index.hash_name == "sha1":
                blobs[rel] = oid.removeprefix("git:")
        else:
            identity = _file_identity(root, rel, index.hash_name if rel in index.tracked else None)
        yield f"file {_escape(rel)} {identity}"
    yield from _coverage_inputs(inventory)


def unmodified_blobs(inventory: Inventory) -> dict[str, str]:
    """Return the sha1 blob id of each tracked file git's index shows unmodified in the working tree, by path.

    Empty outside git or when the repository uses sha256 object names.
    """
    repo = inventory.repo or (gittool.open_repo(inventory.root) if inventory.git is not None else None)
    if repo is None:
        return {}
    index, _ = _read_git_state(repo, False, inventory.index if inventory.repo is repo else None)
    if index.hash_name != "sha1":
        return {}
    return {path: oid.removeprefix("git:") for path, (_mode, oid) in index.clean.items()}


@dataclass(frozen=True)
class _Index:
    """What git's index says without reading files: blob ids of unmodified files, every tracked path."""

    clean: dict[str, tuple[str, str]]
    tracked: set[str]
    hash_name: str


def _rel(root: Path, path: Path) -> str:
    """Return `path` relative to `root` (a string cut for the usual `root / relative` path, no pathlib parsing)."""
    prefix, text = os.path.join(str(root), ""), str(path)
    if os.sep == "/" and text.startswith(prefix):
        return text[len(prefix) :]
    return path.relative_to(root).as_posix()


def _size(path: Path) -> int | str:
    try:
        return path.lstat().st_size
    except OSError as err:
        return f"unreadable {err.errno}"


def _tracked_paths(inventory: Inventory) -> set[str]:
    """Return tracked paths outside the inventory (the secret sweep reads them too)."""
    return set(inventory.tracked or ()) - {f.path for f in inventory.files}


def _escape(path: str) -> str:
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace").replace("\n", "\\n")


def _read_git_state(repo: gittool.GitRepo, history: bool, read: gittool.IndexState | None = None) -> tuple[_Index, str]:
    """Return what git's index says (`_Index`) and, when history is scanned, its state (`_history_state`).

    `read`: the same reads, done beside discovery's listing (`gittool.list_files`); without it
    they are done here, side by side.
    """
    if read is None:
        listing_call = gittool.Call(("ls-files", "-s", "-v", "-z"), timeout=gittool.WORKTREE_TIMEOUT)
        results = repo.run_all([listing_call, *(gittool.KEY_CALLS if history else gittool.KEY_CALLS[:1])])
        read = gittool.IndexState(gittool.stdout_of(results[:1])[0], tuple(results[1:]))
    [changed] = gittool.stdout_of(read.reads[:1])
    index = _index_of(read.listing, changed)
    if not history:
        return index, ""
    partial, shallow = gittool.stdout_of(read.reads[1:3])
    return index, _history_state(repo.root, partial, shallow)


def _index_of(listing: bytes, changed: bytes) -> _Index:
    """Return the blob ids of tracked regular files git sees unmodified, and every tracked path.

    Entries git is told to trust without looking (assume-unchanged, skip-worktree), unmerged
    ones, links and submodules get no blob id here: their bytes are hashed instead. Stat
    checks are strict whatever the repository configures (`core.checkStat`, `core.trustctime`).
    """
    dirty = {os.fsdecode(p) for p in changed.split(b"\0") if p}
    clean: dict[str, tuple[str, str]] = {}
    tracked: set[str] = set()
    hash_name = "sha1"
    for record in listing.split(b"\0"):
        meta, tab, raw_path = record.partition(b"\t")
        fields = meta.decode("ascii", "replace").split()
        if not tab or len(fields) != 4:
            continue
        tag, mode, oid, stage = fields
        path = os.fsdecode(raw_path)
        tracked.add(path)
        hash_name = "sha256" if len(oid) == 64 else "sha1"
        if tag == "H" and stage == "0" and mode in GIT_BLOB_MODES and path not in dirty:
            clean[path] = (mode, f"git:{oid}")
    return _Index(clean, tracked, hash_name)


def _history_state(root: Path, partial: bytes, shallow_out: bytes) -> str:
    """Return what the history scan depends on besides HEAD: the clone's depth; refuse a partial clone."""
    if partial.strip():
        raise Uncacheable("a partial clone: history objects may arrive later")
    shallow, _, where = os.fsdecode(shallow_out).partition("\n")
    if shallow.strip() != "true":
        return shallow.strip()
    boundary = read_regular(root / where.strip(), limit=MAX_FILE_BYTES)  # deepening a clone changes it
    return f"shallow {hashlib.sha256(boundary).hexdigest()}"


def _file_identity(root: Path, rel: str, git_hash: str | None) -> str:
    """Return mode, size and content identity of a file that has to be looked at.

    A tracked file is named by the blob id its bytes would have (`git_hash`), so a file that
    was only touched gets the identity the index gives it; others by SHA-256. A file too
    large for mlaudit to read is named by its stat identity.
    """
    path = root / rel
    try:
        link = path.lstat()
        info = path.stat() if stat.S_ISLNK(link.st_mode) else link
    except FileNotFoundError:
        return "missing"
    except OSError as err:
        return f"unreadable {err.errno}"
    if stat.S_ISLNK(link.st_mode):
        git_hash = None  # the index holds the link's target text, not the bytes mlaudit reads
    if not stat.S_ISREG(info.st_mode):
        return f"{info.st_mode:o} special"
    mode = "100755" if info.st_mode & stat.S_IXUSR else "100644"
    if stat.S_ISLNK(link.st_mode):
        mode = f"link {_escape(os.readlink(path))} {mode}"
    if info.st_size > MAX_FILE_BYTES:
        return f"{mode} {info.st_size} stat:{info.st_mtime_ns}:{info.st_ino}"
    try:
        data = read_regular(path, root, MAX_FILE_BYTES)
    except OSError as err:
        return f"{mode} unreadable {err.errno}"
    if git_hash is None:
        return f"{mode} {len(data)} sha256:{hashlib.sha256(data).hexdigest()}"
    blob = hashlib.new(git_hash, b"blob %d\0" % len(data) + data).hexdigest()
    return f"{mode} {len(data)} git:{blob}"


def _coverage_inputs(inventory: Inventory) -> Iterator[str]:
    """Yield coverage data at the root (read even when ignored) and the source times it is compared with."""
    found = False
    for name in COVERAGE_FILES:
        path = regular_file_in(inventory.root, name)
        if path is None:
            continue
        found = True
        info = path.stat()
        data = read_regular(path, inventory.root)
        yield f"coverage {name} {info.st_mtime_ns} {hashlib.sha256(data).hexdigest()}"
    if found:
        for source in inventory.files:
            if source.path.endswith(".py"):
                yield f"mtime {_escape(source.path)} {source.abspath.stat().st_mtime_ns}"


def _one_line(err: BaseException) -> str:
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    return " ".join(str(err).split())[:200] or type(err).__name__
