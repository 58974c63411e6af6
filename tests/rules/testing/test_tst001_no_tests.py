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


def test_tst001_silent_with_unittest_discover_names(tmp_path: Path) -> None:
    # `python -m unittest discover` collects test*.py: testdata.py (no underscore) holds real tests
    case = (
        "import unittest\nfrom pkg.data import load\n\n\n"
        "class TestData(unittest.TestCase):\n"
        "    def testLoad(self):\n"
        "        self.assertEqual(load('x'), 'x')\n"
    )
    write_tree(tmp_path, {**LIB, "test/python/testdata.py": case})
    assert findings(tmp_path, "TST001") == []


def test_tst001_fires_with_only_unittest_helpers_named_test(tmp_path: Path) -> None:
    # a test*.py base class without test methods, or test* functions outside a TestCase, collects nothing
    helpers = (
        "import unittest\n\n\n"
        "class TestingBase(unittest.TestCase):\n"
        "    def setUp(self):\n"
        "        self.root = '/tmp/x'\n\n\n"
        "def testing_path(name):\n"
        "    return name\n"
    )
    write_tree(tmp_path, {**LIB, "tests/testingbase.py": helpers})
    [hit] = findings(tmp_path, "TST001")
    assert hit.severity is Severity.ERROR


def test_tst001_names_the_test_modules_that_hold_no_test(tmp_path: Path) -> None:
    # an evaluation script named like a test is the only "test module": the finding says which one
    script = (
        "import argparse\n\n\ndef main():\n    parser = argparse.ArgumentParser()\n"
        "    parser.add_argument('--model')\n    print(parser.parse_args().model)\n\n\n"
        "if __name__ == '__main__':\n    main()\n"
    )
    write_tree(tmp_path, {**LIB, "tools/test_pretrained.py": script})
    [hit] = findings(tmp_path, "TST001")
    assert hit.message == "No test functions in 1 test module(s): tools/test_pretrained.py"
