"""Tests of rule SRV006 (`mlaudit/rules/production/srv006_blocking_inference_in_async_handler.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings
from tests.rules.production._helpers import _bad, _good


def test_srv006_blocking_inference_in_async_handler(tmp_path: Path) -> None:
    hits = findings(_bad(tmp_path), "SRV006")
    assert sorted(f.line or 0 for f in hits) == [14, 20]
    assert findings(_good(tmp_path / "g"), "SRV006") == []
