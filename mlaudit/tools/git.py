"""Provides a typed adapter over GitPython: file lists, repository state and history."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import git

from mlaudit.model import GitInfo

IGNORE_PROBES: tuple[str, ...] = (".env", ".venv/", "venv/", "__pycache__/", ".ipynb_checkpoints/")
# Settings with which a repository's own config makes git run a program; every git call overrides them.
NEUTRAL_CONFIG: tuple[str, ...] = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "log.showSignature=false",
    "diff.external=",
)
_DRIVER_SECTION = re.compile(r'^(filter|diff) "(.+)"$')
_DRIVER_OVERRIDES = {
    "filter": ("clean=cat", "smudge=cat", "process="),
    "diff": ("textconv=cat", "command="),
}


@dataclass(frozen=True)
class GitView:
    """The files git lists under the audited root, which of them are tracked, and HEAD."""

    files: tuple[str, ...]
    tracked: frozenset[str]
    info: GitInfo
    ignored_probe: frozenset[str]


@dataclass(frozen=True)
class AddedLines:
    """Lines one commit added to one file, for history scans."""

    commit: str
    path: str
    lines: tuple[tuple[int, str], ...]


def neutral_config(repo: git.Repo) -> list[str]:
    """Return `-c` overrides that stop git from running programs named in the repository's config.

    Covers fsmonitor, hooks, pager, signature checks, external diff, and every filter and diff
    driver the config defines (clean/smudge/process filters, textconv). Reading the config runs nothing.
    """
    overrides = list(NEUTRAL_CONFIG)
    try:
        sections = repo.config_reader().sections()
    except (OSError, ValueError):
        sections = []
    for section in sections:
        match = _DRIVER_SECTION.match(section)
        if match:
            kind, name = match.groups()
            overrides.extend(f"{kind}.{name}.{setting}" for setting in _DRIVER_OVERRIDES[kind])
    return overrides


def _guarded(repo: git.Repo, cwd: Path) -> git.Git:
    """Return a git runner in `cwd`, and make `repo`'s own runner, use the neutral config."""
    overrides = neutral_config(repo)
    repo.git.set_persistent_git_options(c=overrides)
    runner = git.Git(str(cwd))
    runner.set_persistent_git_options(c=overrides)
    return runner


def list_files(root: Path) -> GitView | None:
    """Return git's view of `root`, or None when it is not inside a usable work tree."""
    try:
        with git.Repo(root, search_parent_directories=True) as repo:
            if repo.bare:
                return None
            runner = _guarded(repo, root)
            listed = _split_z(runner.ls_files("-z", "--cached", "--others", "--exclude-standard"))
            tracked = frozenset(_split_z(runner.ls_files("-z", "--cached")))
            return GitView(
                files=tuple(sorted(set(listed))),
                tracked=tracked,
                info=_info(repo),
                ignored_probe=_ignored(runner),
            )
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, git.GitCommandError, git.GitCommandNotFound):
        return None
    except OSError:
        return None


def _split_z(output: str) -> list[str]:
    return [p for p in output.split("\0") if p]


def _info(repo: git.Repo) -> GitInfo:
    try:
        branch: str | None = repo.active_branch.name
    except (TypeError, ValueError):
        branch = None
    try:
        commit: str | None = repo.head.commit.hexsha
    except ValueError:
        commit = None
    try:
        dirty = repo.is_dirty(untracked_files=True)
    except git.GitCommandError:
        dirty = True
    return GitInfo(branch=branch, commit=commit, dirty=dirty)


def _ignored(runner: git.Git) -> frozenset[str]:
    try:
        out = runner.check_ignore("--no-index", *IGNORE_PROBES)
    except git.GitCommandError as err:
        out = err.stdout if isinstance(err.stdout, str) else ""
    return frozenset(line.strip().strip("'") for line in out.splitlines() if line.strip())


def added_lines(root: Path, depth: int) -> Iterator[AddedLines]:
    """Yield the lines added by each of the last `depth` commits, newest first.

    One `git log -p` call is parsed as a stream; binary files and merges are skipped.
    """
    if depth <= 0:
        return
    try:
        with git.Repo(root, search_parent_directories=True) as repo:
            runner = _guarded(repo, root)
            out = runner.log(
                f"-{depth}",
                "--no-merges",
                "--format=commit %H",
                "-p",
                "-U0",
                "--no-color",
                "--no-ext-diff",
                "--no-textconv",
                "--relative",
            )
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, git.GitCommandError, git.GitCommandNotFound, OSError):
        return
    yield from _parse_patch_log(out)


def _parse_patch_log(out: str) -> Iterator[AddedLines]:
    commit = ""
    path = ""
    line_no = 0
    lines: list[tuple[int, str]] = []
    for raw in out.splitlines():
        if raw.startswith("commit ") and len(raw) == 47:
            if lines:
                yield AddedLines(commit, path, tuple(lines))
            commit, path, lines = raw[7:], "", []
        elif raw.startswith("+++ "):
            if lines:
                yield AddedLines(commit, path, tuple(lines))
            lines = []
            path = raw[6:] if raw.startswith("+++ b/") else ""
        elif raw.startswith("@@"):
            line_no = _hunk_start(raw)
        elif raw.startswith("+") and path:
            lines.append((line_no, raw[1:]))
            line_no += 1
    if lines:
        yield AddedLines(commit, path, tuple(lines))


def _hunk_start(header: str) -> int:
    try:
        plus = header.split("+", 1)[1].split(" ", 1)[0]
        return int(plus.split(",", 1)[0])
    except (IndexError, ValueError):
        return 0
