"""Tests of rule SRV004 (`mlaudit/rules/production/srv004_deprecated_on_event.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings
from tests.rules.production._helpers import _bad, _good


def test_srv004_on_event(tmp_path: Path) -> None:
    [hit] = findings(_bad(tmp_path), "SRV004")
    assert hit.line == 7 and "'startup'" in hit.message
    assert findings(_good(tmp_path / "g"), "SRV004") == []
