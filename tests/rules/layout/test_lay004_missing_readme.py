"""Tests of rule LAY004 (`mlaudit/rules/layout/lay004_missing_readme.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.layout._helpers import PACKAGE


def test_lay004_fires_on_bare_repo(tmp_path: Path) -> None:
    write_tree(tmp_path, {"churn/__init__.py": "", "churn/test_helpers.py": "x = 1\n"})
    assert len(findings(tmp_path, "LAY004")) == 1


def test_lay004_silent_on_package_layout(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PACKAGE, "README.md": "", "readme.rst": ""})
    assert findings(tmp_path, "LAY004") == []
