"""Tests of rule SRV030 (`mlaudit/rules/production/srv030_no_ci_tests.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.production._helpers import FLASK_MIN


def test_srv030_ci_tests(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"app.py": FLASK_MIN, ".github/workflows/lint.yml": "jobs:\n  l:\n    steps:\n      - run: ruff check .\n"},
    )
    [hit] = findings(tmp_path, "SRV030")
    assert "no step runs the tests" in hit.message
    write_tree(tmp_path, {".github/workflows/ci.yml": "jobs:\n  t:\n    steps:\n      - run: uv run pytest -q\n"})
    assert findings(tmp_path, "SRV030") == []
