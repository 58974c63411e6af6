"""Tests of rule TYP005 (`mlaudit/rules/typing/typ005_no_linter.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


def test_typ005_fires_without_linter(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\n[tool.mypy]\n", "pkg/__init__.py": ""})
    [hit] = findings(tmp_path, "TYP005")
    assert "No linter" in hit.message


def test_typ005_silent_with_flake8_file_or_tox_section(tmp_path: Path) -> None:
    write_tree(tmp_path, {".flake8": "[flake8]\nmax-line-length = 100\n", "pkg/__init__.py": ""})
    assert findings(tmp_path, "TYP005") == []
    other = tmp_path / "other"
    write_tree(other, {"tox.ini": "[flake8]\nmax-line-length = 100\n", "pkg/__init__.py": ""})
    assert findings(other, "TYP005") == []
