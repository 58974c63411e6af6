"""Tests of rule LOG004 (`mlaudit/rules/logging/log004_basic_config_in_library.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.logging._helpers import ROOT_LOGGER


def test_log004_flags_basic_config_outside_entry_point(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/data.py": ROOT_LOGGER})
    assert [h.line for h in findings(tmp_path, "LOG004")] == [4]
