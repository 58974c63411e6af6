"""Tests of rule TST005 (`mlaudit/rules/testing/tst005_empty_test_module.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


def test_tst005_empty_test_module_but_not_helper_module(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "tests/test_features.py": "import pytest\n",
            "tests/test_helpers.py": "def make_frame():\n    return 1\n",
            "tests/conftest.py": "import pytest\n",
        },
    )
    assert [h.path for h in findings(tmp_path, "TST005")] == ["tests/test_features.py"]
