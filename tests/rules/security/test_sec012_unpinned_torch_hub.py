"""Tests of rule SEC012 (`mlaudit/rules/security/sec012_unpinned_torch_hub.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import findings, write_tree
from tests.rules.security._helpers import SAFE, UNSAFE


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("SEC012", [13]),
    ],
)
def test_unsafe_calls_fire_and_safe_lookalikes_stay_silent(tmp_path: Path, code: str, expected: list[int]) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/unsafe.py": UNSAFE, "pkg/safe.py": SAFE})
    hits = findings(tmp_path, code)
    assert all(f.path == "pkg/unsafe.py" for f in hits)
    assert sorted(f.line or 0 for f in hits) == expected
