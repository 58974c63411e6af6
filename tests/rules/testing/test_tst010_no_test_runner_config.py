"""Tests of rule TST010 (`mlaudit/rules/testing/tst010_no_test_runner_config.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.testing._helpers import LIB


def test_tst010_fires_without_pytest_config_and_not_with_it(tmp_path: Path) -> None:
    write_tree(tmp_path, {**LIB, "tests/test_a.py": "def test_a():\n    assert 1\n"})
    assert len(findings(tmp_path, "TST010")) == 1
    write_tree(tmp_path, {"pytest.ini": "[pytest]\ntestpaths = tests\n"})
    assert findings(tmp_path, "TST010") == []
