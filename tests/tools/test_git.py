"""Tests that git, run on an audited repository, never runs a program the repository configures."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.helpers import git_init, run_audit, write_tree

TREE = {
    "pkg/__init__.py": "",
    "pkg/core.py": "def add(a: int, b: int) -> int:\n    return a + b\n",
    "notes/data.txt": "rows\n",
}


def _configure(repo: Path, key: str, program: str) -> None:
    subprocess.run(["git", "-C", str(repo), "config", key, program], check=True)


def test_git_runs_no_program_from_the_repository_config(tmp_path: Path) -> None:
    repo = git_init(write_tree(tmp_path / "repo", TREE))
    marker = tmp_path / "ran"
    touch = f"sh -c 'echo $0 >> {marker}; cat'"
    (repo / ".gitattributes").write_text("*.py diff=conv filter=clean\n*.txt filter=proc\n", encoding="utf-8")
    _configure(repo, "core.fsmonitor", touch.replace("$0", "fsmonitor"))
    _configure(repo, "filter.clean.clean", touch.replace("$0", "clean"))
    _configure(repo, "filter.clean.smudge", touch.replace("$0", "smudge"))
    _configure(repo, "filter.proc.process", touch.replace("$0", "process"))
    _configure(repo, "diff.conv.textconv", touch.replace("$0", "textconv"))
    _configure(repo, "log.showSignature", "true")
    _configure(repo, "gpg.program", touch.replace("$0", "gpg"))
    safe = ["-c", "core.fsmonitor=false", "-c", "filter.clean.clean=cat", "-c", "filter.proc.process="]
    who = ["-c", "user.email=a@b", "-c", "user.name=t"]
    subprocess.run(["git", "-C", str(repo), *safe, *who, "commit", "-qam", "more", "--allow-empty"], check=True)
    (repo / "pkg" / "core.py").write_text("def add(a: int, b: int) -> int:\n    return b + a\n", encoding="utf-8")
    (repo / "notes" / "data.txt").write_text("more rows\n", encoding="utf-8")
    report = run_audit(repo, history_depth=10)
    assert report.git is not None and report.git.dirty
    assert not marker.exists(), marker.read_text(encoding="utf-8")


def test_calls_run_side_by_side_each_with_its_own_outcome(tmp_path: Path) -> None:
    from mlaudit.tools.git import Call, GitError, open_repo

    repo = open_repo(git_init(write_tree(tmp_path / "repo", TREE)))
    assert repo is not None
    listed, failed, fed = repo.run_all(
        [
            Call(("ls-files", "-z")),
            Call(("rev-parse", "--verify", "no-such-branch")),
            Call(("check-ignore", "--no-index", "-z", "--stdin"), b"pkg/core.py\0", ok=(0, 1)),
        ]
    )
    assert not isinstance(listed, GitError) and b"pkg/core.py" in listed.stdout
    assert isinstance(failed, GitError) and "rev-parse failed" in str(failed)
    assert not isinstance(fed, GitError) and fed.stdout == b""  # nothing ignored, and the input was read


def test_a_call_past_its_timeout_is_killed_and_reported(tmp_path: Path) -> None:
    import os

    from mlaudit.tools.git import Call, GitError, open_repo

    repo = open_repo(git_init(write_tree(tmp_path / "repo", TREE)))
    assert repo is not None
    os.mkfifo(tmp_path / "repo" / "pkg" / ".gitignore")  # reading it blocks: nobody writes
    hung, listed = repo.run_all(
        [Call(("ls-files", "-z", "--others", "--exclude-standard"), timeout=0.5), Call(("ls-files", "-z"))]
    )
    assert isinstance(hung, GitError) and "timed out after 0.5 s" in str(hung)
    assert not isinstance(listed, GitError) and b"pkg/core.py" in listed.stdout
