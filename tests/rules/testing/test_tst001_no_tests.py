"""Tests of rule TST001 (`mlaudit/rules/testing/tst001_no_tests.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree
from tests.rules.testing._helpers import LIB


def test_tst001_fires_without_tests(tmp_path: Path) -> None:
    write_tree(tmp_path, LIB)
    [hit] = findings(tmp_path, "TST001")
    assert hit.severity is Severity.ERROR and hit.path is None


def test_tst001_silent_with_unittest_class(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            **LIB,
            "tests/test_data.py": (
                "import unittest\nfrom pkg.data import load\n\n\n"
                "class DataCase(unittest.TestCase):\n"
                "    def test_load(self):\n"
                "        self.assertEqual(load('x'), 'x')\n"
            ),
        },
    )
    assert findings(tmp_path, "TST001") == []
