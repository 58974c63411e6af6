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


INHERITED = """import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, field_validator
from typing_extensions import override


class PathEncoder(json.JSONEncoder):
    def default(self, o: Any) -> Any:
        return str(o) if isinstance(o, Path) else super().default(o)


class Cache(dict):
    @override
    def get(self, key: Any, default: Any = None) -> Any:
        return super().get(key, default)


class Config(BaseModel):
    size: list[int]

    @field_validator("size", mode="before")
    @classmethod
    def split(cls, value: Any) -> Any:
        return [int(v) for v in value.split(",")] if isinstance(value, str) else value
"""
OWN_CHOICE = """from typing import Any

from pydantic import BaseModel, field_validator


class Encoder:
    def default(self, o: Any) -> Any:
        return str(o)


class Config(BaseModel):
    size: int

    @field_validator("size", mode="after")
    @classmethod
    def positive(cls, value: Any) -> Any:
        return value
"""


def test_typ007_silent_where_the_base_class_or_raw_input_fixes_the_any(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/io.py": INHERITED})
    assert findings(tmp_path, "TYP007") == []


def test_typ007_notes_the_same_names_when_nothing_fixes_the_signature(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/io.py": OWN_CHOICE})
    assert sorted(f.line or 0 for f in findings(tmp_path, "TYP007")) == [7, 16]
