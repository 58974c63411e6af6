"""Tests of rule LAY005 (`mlaudit/rules/layout/lay005_missing_tests_folder.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.layout._helpers import PACKAGE


def test_lay005_fires_on_bare_repo_whose_only_test_like_file_is_a_helper(tmp_path: Path) -> None:
    write_tree(tmp_path, {"churn/__init__.py": "", "churn/test_helpers.py": "x = 1\n"})
    assert len(findings(tmp_path, "LAY005")) == 1


def test_lay005_silent_on_package_layout(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PACKAGE, "README.md": "", "readme.rst": ""})
    assert findings(tmp_path, "LAY005") == []
