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


NO_README = {path: text for path, text in PACKAGE.items() if path != "README.md"}
POETRY = (
    '[tool.poetry]\nname = "rowstats"\nversion = "1.2.0"\nreadme = "DESCRIPTION.md"\n'
    '\n[tool.poetry.dependencies]\npython = ">=3.9"\nnumpy = ">=1.23"\n'
)


def test_lay004_silent_when_the_package_metadata_names_its_readme(tmp_path: Path) -> None:
    description = "# rowstats\n\nProfile data frames.\n\n```\npip install rowstats\n```\n"
    write_tree(tmp_path, {**NO_README, "pyproject.toml": POETRY, "DESCRIPTION.md": description})
    assert findings(tmp_path, "LAY004") == []


def test_lay004_fires_when_the_readme_the_metadata_names_is_missing(tmp_path: Path) -> None:
    write_tree(tmp_path, {**NO_README, "pyproject.toml": POETRY, "docs/DESCRIPTION.md": "# rowstats\n"})
    assert len(findings(tmp_path, "LAY004")) == 1
