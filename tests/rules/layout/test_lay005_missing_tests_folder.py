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


def test_lay005_silent_when_a_differently_named_folder_holds_the_tests(tmp_path: Path) -> None:
    test = "from churn.steps import step\n\n\ndef test_step():\n    assert step(1) == 2\n"
    code = {k: v for k, v in PACKAGE.items() if not k.startswith("tests/")}
    write_tree(tmp_path, {**code, "test_churn/api/test_steps.py": test})
    assert findings(tmp_path, "LAY005") == []


def test_lay005_fires_when_the_only_tests_sit_at_the_root(tmp_path: Path) -> None:
    test = "from churn.steps import step\n\n\ndef test_step():\n    assert step(1) == 2\n"
    code = {k: v for k, v in PACKAGE.items() if not k.startswith("tests/")}
    write_tree(tmp_path, {**code, "test_steps.py": test})
    assert len(findings(tmp_path, "LAY005")) == 1
