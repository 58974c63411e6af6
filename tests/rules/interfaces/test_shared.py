"""Tests of the `interfaces` practice that span several rules (or none in particular)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Status
from tests.helpers import run_audit, write_tree
from tests.rules.interfaces._helpers import RETRIEVERS


def test_interfaces_not_applicable_for_tiny_repo(tmp_path: Path) -> None:
    write_tree(tmp_path, {"run.py": "def main():\n    return 1\n"})
    assert run_audit(tmp_path, select=("API",)).practice("interfaces").status is Status.NOT_APPLICABLE
    write_tree(tmp_path, {"rag.py": RETRIEVERS})
    assert run_audit(tmp_path, select=("API",)).practice("interfaces").status is Status.SCORED
