"""Tests of rule TST006 (`mlaudit/rules/testing/tst006_manual_exception_check.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


def test_tst006_manual_exception_check(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "tests/test_data.py": (
                "def test_bad():\n"
                "    try:\n        load('x')\n    except ValueError:\n        assert True\n    else:\n        assert False\n\n\n"
                "def test_cleanup():\n"
                "    try:\n        assert load('x') == 1\n    except KeyError:\n        pass\n"
            )
        },
    )
    [hit] = findings(tmp_path, "TST006")
    assert hit.line == 2 and "ValueError" in hit.message and "pytest.raises(ValueError)" in hit.fix
