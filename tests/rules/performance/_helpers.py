"""Provides helpers shared by several test modules of the `performance` rules."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings


def _lines(root: Path, code: str) -> list[int | None]:
    return [f.line for f in findings(root, code)]
