"""Tests of rule SRV008 (`mlaudit/rules/production/srv008_unvalidated_flask_json.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.production._helpers import FLASK_BAD, FLASK_GOOD


def test_srv008_flask_request_json_without_validation(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": FLASK_BAD})
    [json_hit] = findings(tmp_path, "SRV008")
    assert json_hit.line == 6


def test_srv008_silent_on_validated_flask(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": FLASK_GOOD, "Procfile": "web: gunicorn app:app --workers 2\n"})
    assert findings(tmp_path, "SRV008") == []
