"""Tests of rule SRV003 (`mlaudit/rules/production/srv003_assert_in_handler.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings
from tests.rules.production._helpers import _bad, _good


def test_srv003_assert_in_handler(tmp_path: Path) -> None:
    [hit] = findings(_bad(tmp_path), "SRV003")
    assert hit.line == 13 and "predict()" in hit.message
    assert findings(_good(tmp_path / "g"), "SRV003") == []
