"""Tests of rule API005 (`mlaudit/rules/interfaces/api005_untyped_interface_method.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree
from tests.rules.interfaces._helpers import PROTOCOL


def test_api005_untyped_interface_method(tmp_path: Path) -> None:
    code = PROTOCOL + "class Ranker(Protocol):\n    def rank(self, items, k): ...\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/api.py": code})
    [hit] = findings(tmp_path, "API005")
    assert hit.message.startswith("Ranker.rank()") and hit.severity is Severity.INFO
