"""Tests of rule TYP004 (`mlaudit/rules/typing/typ004_type_checker_defeated.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


def test_typ004_fires_on_package_wide_ignore_errors(tmp_path: Path) -> None:
    pyproject = "[tool.mypy]\nstrict = true\n[[tool.mypy.overrides]]\nmodule = 'churn.*'\nignore_errors = true\n"
    write_tree(tmp_path, {"pyproject.toml": pyproject, "churn/__init__.py": ""})
    [hit] = findings(tmp_path, "TYP004")
    assert "churn.*" in hit.message and hit.path == "pyproject.toml"


def test_typ004_silent_for_single_module_override(tmp_path: Path) -> None:
    pyproject = "[tool.mypy]\nstrict = true\n[[tool.mypy.overrides]]\nmodule = 'churn.legacy'\nignore_errors = true\n"
    write_tree(tmp_path, {"pyproject.toml": pyproject, "churn/__init__.py": ""})
    assert findings(tmp_path, "TYP004") == []


def test_typ004_fires_on_global_ini_ignore_errors(tmp_path: Path) -> None:
    write_tree(tmp_path, {"mypy.ini": "[mypy]\nignore_errors = True\n", "churn/__init__.py": ""})
    [hit] = findings(tmp_path, "TYP004")
    assert hit.path == "mypy.ini"


def test_typ004_silent_when_only_the_docs_package_ignores_errors(tmp_path: Path) -> None:
    ini = "[mypy]\nstrict = True\n[mypy-doc.*]\nignore_errors = True\n[mypy-churn.*]\nwarn_return_any = True\n"
    tree = {"mypy.ini": ini, "churn/__init__.py": "", "doc/__init__.py": "", "doc/hooks/__init__.py": ""}
    write_tree(tmp_path, tree)
    assert findings(tmp_path, "TYP004") == []


def test_typ004_still_fires_when_the_library_package_ignores_errors_beside_docs(tmp_path: Path) -> None:
    ini = "[mypy]\nstrict = True\n[mypy-doc.*]\nignore_errors = True\n[mypy-churn.*]\nignore_errors = True\n"
    write_tree(tmp_path, {"mypy.ini": ini, "churn/__init__.py": "", "doc/__init__.py": ""})
    [hit] = findings(tmp_path, "TYP004")
    assert "[mypy-churn.*]" in hit.message
