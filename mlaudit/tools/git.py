"""Provides the only door to git: file lists, repository state and history, run safely.

Every git invocation goes through `GitRepo.run`, which never lets git run a program the
audited repository configures: hooks, fsmonitor, filter/textconv/diff drivers, pagers,
credential helpers, signature programs and transports are switched off with command-scope
config (`GIT_CONFIG_COUNT`, which outranks the repository's own), the repository is named
explicitly (`GIT_DIR`/`GIT_WORK_TREE`, never one found in a parent folder), and no call
writes `.git/index` (`GIT_OPTIONAL_LOCKS=0`). Blobs are read with `git cat-file`, which
applies no filter and no textconv.
"""

from __future__ import annotations

import os
import stat
import subprocess
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from mlaudit.model import GitInfo

IGNORE_PROBES: tuple[str, ...] = (".env", ".venv/", "venv/", "__pycache__/", ".ipynb_checkpoints/")
TIMEOUT = 60.0
# Calls that read the work tree (.gitignore, .gitattributes) can block on a FIFO planted there.
WORKTREE_TIMEOUT = 20.0
HISTORY_TIMEOUT = 300.0
BLOB_CHUNK_BYTES = 32 * 1024 * 1024
ZERO_OIDS = frozenset({"0" * 40, "0" * 64})
TEXT_MODES = frozenset({"100644", "100755"})

# Command-scope settings applied to every call, whatever the repository or user configured.
SAFE_CONFIG: tuple[tuple[str, str], ...] = (
    ("core.fsmonitor", "false"),
    ("core.hooksPath", os.devnull),
    ("core.pager", "cat"),
    ("core.askPass", ""),
    ("core.sshCommand", ""),
    ("core.gitProxy", ""),
    ("core.alternateRefsCommand", ""),
    ("core.untrackedCache", "false"),
    ("core.quotePath", "false"),
    ("credential.helper", ""),
    ("diff.external", ""),
    ("log.showSignature", "false"),
    ("gpg.program", ""),
    ("gpg.ssh.program", ""),
    ("gpg.x509.program", ""),
    ("gpg.openpgp.program", ""),
    ("protocol.allow", "never"),
    ("submodule.recurse", "false"),
    ("uploadpack.packObjectsHook", ""),
    ("gc.auto", "0"),
    ("maintenance.auto", "false"),
)
# Variables (last key component) that name a program, per section, and their neutral value.
PROGRAM_KEYS: dict[str, dict[str, str]] = {
    "filter": {"clean": "", "smudge": "", "process": "", "required": "false"},
    "diff": {"textconv": "", "command": "", "external": ""},
    "merge": {"driver": ""},
    "credential": {"helper": ""},
    "gpg": {"program": ""},
    "pager": {},
    "remote": {"uploadpack": "", "receivepack": "", "vcs": "", "proxy": ""},
    "hook": {"command": "", "event": ""},
    "protocol": {"allow": "never"},
    "core": {"fsmonitor": "false", "sshcommand": "", "askpass": "", "pager": "cat", "hookspath": os.devnull},
}


class GitError(Exception):
    """A git call failed or timed out; the message is one line."""


@dataclass(frozen=True)
class GitView:
    """The files git lists under the audited root, which of them are tracked, and HEAD."""

    files: tuple[str, ...]
    tracked: frozenset[str]
    info: GitInfo
    ignored_probe: frozenset[str]
    problems: tuple[str, ...] = ()
    repo: GitRepo | None = None
    index: IndexState | None = None


@dataclass(frozen=True)
class IndexState:
    """What the report cache keys a tree with, read in the listing's batch (one round trip fewer).

    `listing`: `ls-files -s -v -z` (every index entry with its tag, mode, blob id and stage);
    `reads`: the results of `KEY_CALLS` in order: the files whose stat differs from the index
    (checked strictly), the partial-clone configuration and the shallow state.
    """

    listing: bytes
    reads: tuple[subprocess.CompletedProcess[bytes] | GitError, ...]


@dataclass(frozen=True)
class BlobChange:
    """One file version a commit wrote: the commit, the path, and the old and new blob ids."""

    commit: str
    path: str
    old: str | None
    new: str


@dataclass(frozen=True)
class HistoryLog:
    """The last non-merge commits (newest first), the file versions they wrote, and the clone's depth."""

    commits: tuple[str, ...]
    changes: tuple[BlobChange, ...]
    shallow: bool
    available: int
    missing: frozenset[str] = frozenset()


def git_dir_of(root: Path) -> Path | None:
    """Return `root/.git` when it is a real folder or gitfile (never a link, never a parent's)."""
    candidate = root / ".git"
    try:
        mode = candidate.lstat().st_mode
    except OSError:
        return None
    return candidate if stat.S_ISDIR(mode) or stat.S_ISREG(mode) else None


class GitRepo:
    """The git repository whose top is the audited root; every call is neutralised."""

    def __init__(self, root: Path, git_dir: Path) -> None:
        self.root = root
        self.git_dir = git_dir
        self._env = _base_env(root, git_dir, SAFE_CONFIG)
        names = self.run("config", "--list", "-z", "--name-only", timeout=WORKTREE_TIMEOUT).stdout
        extra = [_neutral(name) for name in os.fsdecode(names).split("\0") if name]
        self._env = _base_env(root, git_dir, (*SAFE_CONFIG, *(pair for pair in extra if pair is not None)))

    @property
    def env(self) -> dict[str, str]:
        """Return a copy of the environment every call runs with (for tests and audits)."""
        return dict(self._env)

    def run(
        self, *args: str, stdin: bytes | None = None, timeout: float = TIMEOUT, ok: Sequence[int] = (0,)
    ) -> subprocess.CompletedProcess[bytes]:
        """Run `git <args>` neutralised; raise GitError when it fails (exit code not in `ok`)."""
        done = self.run_all([Call(args, stdin, timeout, tuple(ok))])[0]
        if isinstance(done, GitError):
            raise done
        return done

    def run_all(self, calls: Sequence[Call]) -> list[subprocess.CompletedProcess[bytes] | GitError]:
        """Run independent git calls side by side, each neutralised like `run`; a failed call's slot holds its error.

        Every process is started first and then read in turn, each within its own timeout;
        none outlives this call.
        """
        started: list[tuple[Call, subprocess.Popen[bytes] | GitError, float]] = []
        try:
            for call in calls:
                started.append((call, self._start(call), time.monotonic() + call.timeout))
            return [_finish(call, proc, deadline) for call, proc, deadline in started]
        finally:
            for _, proc, _ in started:
                if isinstance(proc, subprocess.Popen) and proc.poll() is None:
                    proc.kill()
                    proc.wait()

    def _start(self, call: Call) -> subprocess.Popen[bytes] | GitError:
        argv = ["git", "--no-pager", "--no-replace-objects", *call.args]
        try:
            return subprocess.Popen(
                argv,
                cwd=self.root,
                env=self._env,
                stdin=subprocess.PIPE if call.stdin is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError as err:
            return GitError(f"cannot run git: {err.strerror or err}")


@dataclass(frozen=True)
class Call:
    """One git call for `GitRepo.run_all`: its arguments, input, timeout and accepted exit codes."""

    args: tuple[str, ...]
    stdin: bytes | None = None
    timeout: float = TIMEOUT
    ok: tuple[int, ...] = (0,)


STRICT_STAT = ("-c", "core.checkStat=default", "-c", "core.trustctime=true")
PARTIAL_CLONE = r"^(extensions\.partialclone|remote\..*\.promisor)$"  # config keys of a partial clone
KEY_CALLS = (
    Call((*STRICT_STAT, "diff-files", "--name-only", "-z"), timeout=WORKTREE_TIMEOUT),
    Call(("config", "--get-regexp", PARTIAL_CLONE), ok=(0, 1)),
    Call(("rev-parse", "--is-shallow-repository", "--git-path", "shallow")),
)


def stdout_of(results: Sequence[subprocess.CompletedProcess[bytes] | GitError]) -> list[bytes]:
    """Return the output of each call `GitRepo.run_all` ran; raise the first error when one failed."""
    outputs: list[bytes] = []
    for done in results:
        if isinstance(done, GitError):
            raise done
        outputs.append(done.stdout)
    return outputs


def _finish(
    call: Call, proc: subprocess.Popen[bytes] | GitError, deadline: float
) -> subprocess.CompletedProcess[bytes] | GitError:
    """Wait for one started call (until its deadline); return its output or the error it ends in."""
    if isinstance(proc, GitError):
        return proc
    try:
        out, err = proc.communicate(call.stdin, timeout=max(deadline - time.monotonic(), 0.001))
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return GitError(f"git {call.args[0]} timed out after {call.timeout:g} s")
    if proc.returncode not in call.ok:
        message = err.decode("utf-8", "replace").strip().splitlines()
        detail = message[-1] if message else f"exit code {proc.returncode}"
        return GitError(f"git {call.args[0]} failed: {detail}")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _base_env(root: Path, git_dir: Path, config: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Return the environment of a neutralised call: no inherited GIT_*, our config on top."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k not in {"SSH_ASKPASS", "PAGER"}}
    env.update(
        GIT_DIR=str(git_dir),
        GIT_WORK_TREE=str(root),
        GIT_CEILING_DIRECTORIES=str(root.parent),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_ATTR_NOSYSTEM="1",
        GIT_OPTIONAL_LOCKS="0",
        GIT_TERMINAL_PROMPT="0",
        GIT_ASKPASS="",
        GIT_PAGER="cat",
        PAGER="cat",
        GIT_EXTERNAL_DIFF="",
        GIT_ALLOW_PROTOCOL="mlaudit-none",
        GIT_NO_LAZY_FETCH="1",
        GIT_NO_REPLACE_OBJECTS="1",
        LC_ALL="C",
    )
    pairs = list(config)
    env["GIT_CONFIG_COUNT"] = str(len(pairs))
    for index, (key, value) in enumerate(pairs):
        env[f"GIT_CONFIG_KEY_{index}"] = key
        env[f"GIT_CONFIG_VALUE_{index}"] = value
    return env


def _neutral(name: str) -> tuple[str, str] | None:
    """Return the neutral override of one configured key that could name a program, else None."""
    section, _, rest = name.partition(".")
    variable = rest.rsplit(".", 1)[-1].lower()
    section = section.lower()
    if section == "pager":
        return name, "false"
    value = PROGRAM_KEYS.get(section, {}).get(variable)
    return (name, value) if value is not None else None


def open_repo(root: Path) -> GitRepo | None:
    """Return the repository whose top folder is `root`, or None (never a parent's repository)."""
    git_dir = git_dir_of(root)
    if git_dir is None:
        return None
    try:
        repo = GitRepo(root, git_dir)
        inside = repo.run("rev-parse", "--is-inside-work-tree").stdout.strip()
    except GitError:
        return None
    return repo if inside == b"true" else None


def list_files(root: Path) -> GitView | None:
    """Return git's view of `root`, or None when `root` is not the top of a usable work tree.

    The reads are independent and run side by side (a re-audit waits for the slowest, not the sum),
    with those the report cache keys the tree with (`IndexState`).
    """
    repo = open_repo(root)
    if repo is None:
        return None
    probes = "\0".join(IGNORE_PROBES).encode() + b"\0"
    tracked_out, branch, commit, status, untracked_out, ignored_out, *key_reads = repo.run_all(
        [
            Call(("ls-files", "-s", "-v", "-z"), timeout=WORKTREE_TIMEOUT),
            Call(("symbolic-ref", "-q", "--short", "HEAD"), ok=(0, 1)),
            Call(("rev-parse", "-q", "--verify", "HEAD^{commit}"), ok=(0, 1)),
            Call(
                ("status", "--porcelain=v1", "-z", "--untracked-files=no", "--ignore-submodules=all", "--no-renames"),
                timeout=WORKTREE_TIMEOUT,
            ),
            Call(("ls-files", "-z", "--others", "--exclude-standard"), timeout=WORKTREE_TIMEOUT),
            Call(("check-ignore", "--no-index", "-z", "--stdin"), probes, WORKTREE_TIMEOUT, (0, 1)),
            *KEY_CALLS,
        ]
    )
    if isinstance(tracked_out, GitError) or isinstance(branch, GitError) or isinstance(commit, GitError):
        return None
    problems: list[str] = []
    if isinstance(untracked_out, GitError):
        untracked: list[str] = []
        problems.append(f"untracked files not listed ({untracked_out}; a .gitignore that is a FIFO or device?)")
    else:
        untracked = _split_z(untracked_out.stdout)
    if isinstance(ignored_out, GitError):
        probe: frozenset[str] = frozenset()
        problems.append(f".gitignore not checked ({ignored_out})")
    else:
        probe = frozenset(_split_z(ignored_out.stdout))
    dirty = isinstance(status, GitError) or bool(status.stdout.strip(b"\0")) or bool(untracked)
    name = branch.stdout.decode("utf-8", "replace").strip()
    info = GitInfo(branch=name or None, commit=commit.stdout.decode().strip() or None, dirty=dirty)
    tracked = _staged_paths(tracked_out.stdout)
    index = IndexState(tracked_out.stdout, tuple(key_reads))
    return GitView(tuple(sorted({*tracked, *untracked})), frozenset(tracked), info, probe, tuple(problems), repo, index)


def _staged_paths(listing: bytes) -> list[str]:
    """Return the path of each entry of `ls-files -s -z` output (`<tag> <mode> <oid> <stage>\\t<path>`)."""
    paths: list[str] = []
    for record in listing.split(b"\0"):
        _meta, tab, raw_path = record.partition(b"\t")
        if tab and raw_path:
            paths.append(os.fsdecode(raw_path))
    return paths


def _split_z(output: bytes) -> list[str]:
    """Split NUL-separated git output into paths (bytes that are not UTF-8 kept as surrogates)."""
    return [os.fsdecode(p) for p in output.split(b"\0") if p]


def history(repo: GitRepo, depth: int) -> HistoryLog:
    """Return the last `depth` non-merge commits from HEAD and the text-file versions they wrote.

    Reads `git diff-tree -r -z` (raw records, NUL-separated: no quoting, no patch text to fake),
    without rename detection, so every file version a commit wrote is listed with its path.
    """
    listed, shallow_out, count, partial = stdout_of(
        repo.run_all(
            [
                Call(("rev-list", "--no-merges", f"--max-count={depth}", "HEAD", "--"), timeout=HISTORY_TIMEOUT),
                Call(("rev-parse", "--is-shallow-repository")),
                Call(("rev-list", "--count", "HEAD"), timeout=HISTORY_TIMEOUT),
                Call(("config", "--get-regexp", PARTIAL_CLONE), ok=(0, 1)),
            ]
        )
    )
    commits = tuple(listed.decode().split())
    shallow = shallow_out.strip() == b"true"
    available = int(count.strip() or 0)
    if not commits:
        return HistoryLog((), (), shallow, available)
    missing = _missing_objects(repo, depth) if partial.strip() else frozenset()
    raw = repo.run(
        "diff-tree",
        "-r",
        "-z",
        "--no-renames",
        "--root",
        "--no-ext-diff",
        "--no-textconv",
        "--ignore-submodules=all",
        "--stdin",
        stdin="\n".join(commits).encode() + b"\n",
        timeout=HISTORY_TIMEOUT,
    ).stdout
    return HistoryLog(commits, tuple(parse_raw_z(raw)), shallow, available, missing)


def _missing_objects(repo: GitRepo, depth: int) -> frozenset[str]:
    """Return the objects a partial clone lacks (reading one would fetch it: that is never done)."""
    out = repo.run(
        "rev-list",
        "--objects",
        "--no-object-names",
        "--missing=print",
        f"--max-count={depth}",
        "HEAD",
        timeout=HISTORY_TIMEOUT,
    ).stdout.decode("ascii", "replace")
    return frozenset(line[1:] for line in out.split() if line.startswith("?"))


def parse_raw_z(raw: bytes) -> Iterator[BlobChange]:
    """Parse `diff-tree --stdin -r -z` output into the regular-file versions each commit wrote."""
    tokens = raw.split(b"\0")
    commit = ""
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token.startswith(b":"):
            path = os.fsdecode(tokens[index]) if index < len(tokens) else ""
            index += 1
            change = _change(commit, token.decode("ascii", "replace"), path)
            if change is not None:
                yield change
        elif token.strip():
            commit = token.decode("ascii", "replace").strip()


def _change(commit: str, meta: str, path: str) -> BlobChange | None:
    """Return the file version one raw record wrote, or None (deleted, link, submodule)."""
    fields = meta[1:].split()
    if len(fields) != 5 or not commit or not path:
        return None
    old_mode, new_mode, old, new, status = fields
    if new_mode not in TEXT_MODES or new in ZERO_OIDS or status[:1] not in {"A", "M", "T"}:
        return None
    previous = old if old_mode in TEXT_MODES and old not in ZERO_OIDS else None
    return BlobChange(commit, path, previous, new)


def blob_sizes(repo: GitRepo, oids: Sequence[str], missing: frozenset[str] = frozenset()) -> dict[str, int]:
    """Return the size of each blob that exists locally (missing ones are left out, never fetched)."""
    oids = [oid for oid in oids if oid not in missing]
    if not oids:
        return {}
    out = repo.run("cat-file", "--batch-check", stdin="\n".join(oids).encode() + b"\n", timeout=HISTORY_TIMEOUT)
    sizes: dict[str, int] = {}
    for line in out.stdout.decode("ascii", "replace").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] == "blob" and parts[2].isdigit():
            sizes[parts[0]] = int(parts[2])
    return sizes


def read_blobs(repo: GitRepo, sizes: dict[str, int]) -> Iterator[tuple[str, bytes]]:
    """Yield `(oid, content)` for the given blobs, a bounded chunk per `git cat-file --batch` call."""
    chunk: list[str] = []
    total = 0
    for oid, size in sizes.items():
        chunk.append(oid)
        total += size
        if total >= BLOB_CHUNK_BYTES:
            yield from _read_chunk(repo, chunk)
            chunk, total = [], 0
    if chunk:
        yield from _read_chunk(repo, chunk)


def _read_chunk(repo: GitRepo, oids: list[str]) -> Iterator[tuple[str, bytes]]:
    out = repo.run("cat-file", "--batch", stdin="\n".join(oids).encode() + b"\n", timeout=HISTORY_TIMEOUT).stdout
    position = 0
    while position < len(out):
        end = out.find(b"\n", position)
        if end == -1:
            return
        header = out[position:end].decode("ascii", "replace").split()
        position = end + 1
        if len(header) != 3 or not header[2].isdigit():
            continue
        size = int(header[2])
        yield header[0], out[position : position + size]
        position += size + 1
