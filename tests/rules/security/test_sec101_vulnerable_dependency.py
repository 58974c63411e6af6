"""Tests of rule SEC101 (`mlaudit/rules/security/sec101_vulnerable_dependency.py`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlaudit.tools import pipaudit
from mlaudit.tools.pipaudit import RunOutcome
from tests.helpers import findings, write_tree
from tests.tools.test_pipaudit import VULNERABLE, FakeRunner


def test_sec101_flags_the_vulnerable_pin_but_not_the_safe_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipaudit, "RUNNER", FakeRunner(RunOutcome(1, json.dumps(VULNERABLE), "")))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    write_tree(tmp_path / "repo", {"requirements.txt": "numpy==1.26.4\nrequests==2.19.0\n", "a.py": ""})
    hits = findings(tmp_path / "repo", "SEC101", offline=False)
    assert [(h.path, h.line) for h in hits] == [("requirements.txt", 2)]
    assert "requests==2.19.0" in hits[0].message and "numpy" not in hits[0].message
