"""Tests of rule DEP007 (`mlaudit/rules/dependencies/dep007_unreadable_manifest.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


def test_dep007_reports_malformed_toml_without_crashing(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": "[project\ndependencies = ['numpy']\n", "a.py": ""})
    [hit] = findings(tmp_path, "DEP007")
    assert hit.path == "pyproject.toml" and "malformed TOML" in hit.message


def test_dep007_reports_missing_include_but_not_valid_files(tmp_path: Path) -> None:
    write_tree(tmp_path / "bad", {"requirements.txt": "-r base.txt\n"})
    write_tree(tmp_path / "ok", {"requirements.txt": "-r base.txt\n", "base.txt": "numpy\n"})
    assert "includes base.txt" in findings(tmp_path / "bad", "DEP007")[0].message
    assert findings(tmp_path / "ok", "DEP007") == []
