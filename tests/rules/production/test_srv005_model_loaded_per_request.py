"""Tests of rule SRV005 (`mlaudit/rules/production/srv005_model_loaded_per_request.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings
from tests.rules.production._helpers import _bad, _good


def test_srv005_model_loaded_per_request(tmp_path: Path) -> None:
    [hit] = findings(_bad(tmp_path), "SRV005")
    assert hit.line == 19 and "joblib.load" in hit.message
    assert findings(_good(tmp_path / "g"), "SRV005") == []
