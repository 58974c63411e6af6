"""Tests of the `testing` practice that span several rules (or none in particular)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree
from tests.rules.testing._helpers import LIB


def test_tst010_and_tst011_runner_and_ci(tmp_path: Path) -> None:
    write_tree(tmp_path, {**LIB, "tests/test_a.py": "def test_a():\n    assert 1\n"})
    assert len(findings(tmp_path, "TST010")) == 1
    [ci] = findings(tmp_path, "TST011")
    assert ci.path is None and ci.severity is Severity.WARNING
    write_tree(tmp_path, {".github/workflows/lint.yml": "jobs:\n  l:\n    steps:\n      - run: ruff check .\n"})
    [ci] = findings(tmp_path, "TST011")
    assert ci.path == ".github/workflows/lint.yml"
    write_tree(
        tmp_path,
        {
            ".github/workflows/ci.yml": "jobs:\n  t:\n    steps:\n      - run: uv run pytest --cov\n",
            "pyproject.toml": "[project]\nname='x'\n\n[tool.pytest.ini_options]\ntestpaths = ['tests']\n",
        },
    )
    assert findings(tmp_path, "TST010") == [] and findings(tmp_path, "TST011") == []
