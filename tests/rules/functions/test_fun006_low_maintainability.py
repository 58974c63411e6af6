"""Tests of rule FUN006 (`mlaudit/rules/functions/fun006_low_maintainability.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.functions._helpers import branchy


def test_fun006_flags_huge_branchy_module(tmp_path: Path) -> None:
    code = "".join(branchy(f"f{i}", 30) for i in range(30))
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/big.py": code, "pkg/small.py": branchy("g", 3)})
    assert [h.path for h in findings(tmp_path, "FUN006")] == ["pkg/big.py"]
