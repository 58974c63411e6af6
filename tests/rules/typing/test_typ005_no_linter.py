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


def test_typ005_silent_when_a_linter_is_a_development_requirement(tmp_path: Path) -> None:
    pyproject = "[project]\nname = 'x'\ndependencies = ['numpy']\n\n[dependency-groups]\ntest = ['pytest', 'flake8']\n"
    write_tree(tmp_path, {"pyproject.toml": pyproject, "pkg/__init__.py": ""})
    assert findings(tmp_path, "TYP005") == []
    other = tmp_path / "other"
    write_tree(other, {"requirements-dev.txt": "pytest\nruff>=0.4\n", "pkg/__init__.py": ""})
    assert findings(other, "TYP005") == []


def test_typ005_fires_when_a_linter_is_only_a_runtime_requirement_or_a_plugin(tmp_path: Path) -> None:
    # a frozen environment (pip freeze > requirements.txt) lists whatever was installed, linters included
    write_tree(tmp_path, {"requirements.txt": "numpy==1.26.4\npylint==3.1.0\n", "pkg/__init__.py": ""})
    assert len(findings(tmp_path, "TYP005")) == 1
    other = tmp_path / "other"
    write_tree(other, {"requirements-dev.txt": "pytest\nflake8-bugbear\npytest-flake8\n", "pkg/__init__.py": ""})
    assert len(findings(other, "TYP005")) == 1
