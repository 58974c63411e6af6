"""Tests for .gitignore outside git: discovery ignores exactly what `git check-ignore` ignores."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from mlaudit.discover import discover
from tests.helpers import GIT_ENV, write_tree

# (root .gitignore, nested .gitignore files, files, the files git ignores)
CASES: dict[str, tuple[str, dict[str, str], tuple[str, ...], set[str]]] = {
    "suffix glob": ("*.pyc\n", {}, ("mod.pyc", "sub/mod.pyc", "mod.py", "pyc.txt"), {"mod.pyc", "sub/mod.pyc"}),
    "anchored folder": ("/output\n", {}, ("output/x.py", "sub/output/x.py"), {"output/x.py"}),
    "folder only": (
        "data/\n",
        {},
        ("data/a.csv", "sub/data/b.csv", "sub/data.csv", "other/data"),
        {"data/a.csv", "sub/data/b.csv"},
    ),
    "negation": ("*.csv\n!keep.csv\n", {}, ("x.csv", "sub/y.csv", "keep.csv", "sub/keep.csv"), {"x.csv", "sub/y.csv"}),
    "any depth": (
        "**/logs\n",
        {},
        ("logs/a.txt", "deep/er/logs/a.txt", "logs.txt", "catalogs/a.txt"),
        {"logs/a.txt", "deep/er/logs/a.txt"},
    ),
    "star stays in its folder": (
        "docs/*.md\n",
        {},
        ("docs/index.md", "docs/api/ref.md", "sub/docs/index.md", "docs/notes.txt"),
        {"docs/index.md"},
    ),
    "middle double star": (
        "a/**/b\n",
        {},
        ("a/b/f.txt", "a/x/y/b/f.txt", "a/bb/f.txt", "z/a/b/f.txt"),
        {"a/b/f.txt", "a/x/y/b/f.txt"},
    ),
    "trailing spaces": ("notes.txt   \n", {}, ("notes.txt", "notes.txt.bak"), {"notes.txt"}),
    "comments": ("# secret.txt\nsecret.py\n", {}, ("secret.txt", "# secret.txt", "secret.py"), {"secret.py"}),
    "escaped hash": ("\\#file\n", {}, ("#file", "file", "sub/#file"), {"#file", "sub/#file"}),
    "nested file": (
        "*.tmp\n",
        {"sub/.gitignore": "!keep.tmp\n/local.txt\n"},
        ("a.tmp", "keep.tmp", "sub/a.tmp", "sub/keep.tmp", "sub/local.txt", "sub/deeper/local.txt", "local.txt"),
        {"a.tmp", "keep.tmp", "sub/a.tmp", "sub/local.txt"},
    ),
    "folder-only glob": (
        "tmp*/\n",
        {},
        ("tmp1/x.py", "sub/tmpdir/y.py", "tmpfile", "sub/tmp.txt"),
        {"tmp1/x.py", "sub/tmpdir/y.py"},
    ),
    "no re-include under an ignored folder": (
        "secret/\n!secret/keep.txt\n",
        {},
        ("secret/keep.txt", "secret/a.txt", "public/keep.txt"),
        {"secret/keep.txt", "secret/a.txt"},
    ),
}


def _git_env(home: Path) -> dict[str, str]:
    """An environment where no user or system git configuration (core.excludesFile) can apply."""
    return {
        **os.environ,
        **GIT_ENV,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }


def _git_ignored(tree: Path, files: tuple[str, ...], home: Path) -> set[str]:
    """Return the files `git check-ignore` ignores in a throwaway git copy of `tree`."""
    copy = home / "copy"
    shutil.copytree(tree, copy)
    env = _git_env(home)
    subprocess.run(["git", "init", "-q", str(copy)], check=True, env=env)
    done = subprocess.run(
        ["git", "-C", str(copy), "check-ignore", "--stdin", "-z"],
        input="\0".join(files).encode() + b"\0",
        capture_output=True,
        env=env,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return {p for p in done.stdout.decode().split("\0") if p}


@pytest.mark.parametrize("case", sorted(CASES))
def test_gitignore_outside_git_matches_git_check_ignore(tmp_path: Path, case: str) -> None:
    root_ignore, nested, files, expected = CASES[case]
    tree = write_tree(tmp_path / "tree", {".gitignore": root_ignore, **nested, **dict.fromkeys(files, "x\n")})
    home = tmp_path / "home"
    home.mkdir()
    by_git = _git_ignored(tree, files, home)
    by_mlaudit = set(files) - {f.path for f in discover(tree).files}
    assert by_git == expected
    assert by_mlaudit == by_git


def test_invalid_gitignore_line_is_dropped_not_fatal(tmp_path: Path) -> None:
    write_tree(tmp_path, {".gitignore": "!\n*.log\nfoo\\\n", "run.log": "x", "a.py": "x = 1\n"})
    assert {f.path for f in discover(tmp_path).files} == {".gitignore", "a.py"}


@pytest.mark.parametrize(
    ("ignore", "probed"),
    [(".env\n.venv/\n", {".env", ".venv/"}), ("venv\n", {"venv/"}), (".env.example\nvenv.txt\n", set())],
)
def test_ignore_probe_outside_git(tmp_path: Path, ignore: str, probed: set[str]) -> None:
    write_tree(tmp_path, {".gitignore": ignore, "a.py": "x = 1\n"})
    assert set(discover(tmp_path).ignored_probe) == probed
