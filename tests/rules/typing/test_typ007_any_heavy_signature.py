"""Tests of rule TYP007 (`mlaudit/rules/typing/typ007_any_heavy_signature.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


def test_typ007_notes_any_heavy_signature(tmp_path: Path) -> None:
    code = "from typing import Any\n\ndef train(model: Any, data: Any, epochs: int) -> Any:\n    return model\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/t.py": code})
    [hit] = findings(tmp_path, "TYP007")
    assert "train()" in hit.message and "3 of 4" in hit.message


def test_typ007_silent_for_kwargs_any_and_dict_any(tmp_path: Path) -> None:
    code = (
        "from typing import Any\n\n"
        "def log(msg: str, *args: Any, **kwargs: Any) -> None: ...\n"
        "def to_json(row: dict[str, Any], value: Any) -> str: ...\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/t.py": code})
    assert findings(tmp_path, "TYP007") == []
