"""Tests of rule SRV001 (`mlaudit/rules/production/srv001_untyped_request_body.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings
from tests.rules.production._helpers import _bad, _good


def test_srv001_untyped_bodies(tmp_path: Path) -> None:
    hits = findings(_bad(tmp_path), "SRV001")
    messages = sorted(f.message for f in hits)
    assert len(hits) == 2
    assert "`payload: dict`" in messages[1] and "untyped parameter `k`" in messages[0]
    assert "await request.json()" in messages[0]
    assert findings(_good(tmp_path / "g"), "SRV001") == []
