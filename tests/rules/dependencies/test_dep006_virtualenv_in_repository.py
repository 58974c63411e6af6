"""Tests of rule DEP006 (`mlaudit/rules/dependencies/dep006_virtualenv_in_repository.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, git_init, write_tree


def test_dep006_fires_on_committed_venv(tmp_path: Path) -> None:
    venv = {".venv/pyvenv.cfg": "home = /usr\n", ".venv/bin/python": "", ".venv/lib/site.py": ""}
    write_tree(tmp_path, {"a.py": "", **venv})
    git_init(tmp_path)
    [hit] = findings(tmp_path, "DEP006")
    assert hit.severity is Severity.ERROR and "committed to git (3 files tracked)" in hit.message


def test_dep006_warns_on_unignored_venv_and_silent_when_ignored(tmp_path: Path) -> None:
    venv = {"venv/pyvenv.cfg": "home = /usr\n", "venv/bin/python": "", "venv/lib/site.py": ""}
    write_tree(tmp_path / "a", {"a.py": "", **venv})
    git_init(tmp_path / "a", commit=False)
    [hit] = findings(tmp_path / "a", "DEP006")
    assert hit.severity is Severity.WARNING
    write_tree(tmp_path / "b", {"a.py": "", **venv, ".gitignore": "venv/\n"})
    git_init(tmp_path / "b", commit=False)
    assert findings(tmp_path / "b", "DEP006") == []
