"""Tests of rule TYP003 (`mlaudit/rules/typing/typ003_no_type_checker.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree


def test_typ003_fires_without_type_checker(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\n[tool.ruff]\n", "pkg/__init__.py": ""})
    [hit] = findings(tmp_path, "TYP003")
    assert hit.path is None and hit.severity is Severity.WARNING


def test_typ003_silent_with_setup_cfg_mypy_or_precommit(tmp_path: Path) -> None:
    write_tree(tmp_path, {"setup.cfg": "[mypy]\nstrict = True\n", "pkg/__init__.py": ""})
    assert findings(tmp_path, "TYP003") == []
    other = tmp_path / "other"
    hook = "repos:\n  - repo: https://github.com/pre-commit/mirrors-mypy\n    hooks:\n      - id: mypy\n"
    write_tree(other, {".pre-commit-config.yaml": hook, "pkg/__init__.py": ""})
    assert findings(other, "TYP003") == []
