"""Tests of rule TYP002 (`mlaudit/rules/typing/typ002_poorly_annotated_module.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.typing._helpers import TYPED, UNTYPED


def test_typ002_names_worst_modules(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/untyped.py": UNTYPED, "pkg/model.py": TYPED})
    hits = findings(tmp_path, "TYP002")
    assert [h.path for h in hits] == ["pkg/untyped.py"]
    assert "0 of 4 functions" in hits[0].message


def test_typ002_points_at_the_first_function_not_fully_annotated(tmp_path: Path) -> None:
    module = (
        '"""Feature helpers."""\nimport os\n\n\ndef ready(path: str) -> bool:\n    return os.path.exists(path)\n\n'
        + UNTYPED
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/features.py": module})
    [hit] = findings(tmp_path, "TYP002")
    assert hit.line == module.splitlines().index("def load(path, limit=None):") + 1  # not the docstring or imports
    assert "1 of 5 functions" in hit.message
