"""Tests of rule LAY001 (`mlaudit/rules/layout/lay001_missing_packaging_metadata.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree


def test_lay001_fires_without_any_packaging(tmp_path: Path) -> None:
    write_tree(tmp_path, {"train.py": "x = 1\n"})
    [hit] = findings(tmp_path, "LAY001")
    assert hit.severity is Severity.WARNING and hit.path is None
    assert "cannot be pip-installed" in hit.message


def test_lay001_notes_setup_py_only(tmp_path: Path) -> None:
    write_tree(tmp_path, {"setup.py": "from setuptools import setup\nsetup()\n"})
    [hit] = findings(tmp_path, "LAY001")
    assert hit.severity is Severity.INFO and hit.path == "setup.py"


def test_lay001_silent_with_pyproject(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\n", "setup.py": "import setuptools\n"})
    assert findings(tmp_path, "LAY001") == []
