"""Provides where a finding is for CI tools: paths from the git top level, notebook file lines.

Code scanning, annotations and GitLab resolve paths against the repository's top level, not
the audited folder, and show a notebook as its raw `.ipynb` text. A `Locator` is built once
from the audited folder by reading files only (it never runs git) and maps a finding there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from mlaudit.model import Finding

MAX_NOTEBOOK_BYTES = 50_000_000


@dataclass(frozen=True)
class Locator:
    """Maps a report path to the top-level path, and a notebook (cell, line) to a file line."""

    prefix: str = ""
    notebooks: dict[str, dict[int, tuple[int, ...]]] = field(default_factory=dict)

    def path(self, path: str) -> str:
        """Return the path relative to the git top level."""
        return f"{self.prefix}{path}"

    def line(self, finding: Finding) -> int | None:
        """Return the line in the file as stored: for a notebook, where that source line sits in the JSON."""
        if finding.cell is None or finding.path is None:
            return finding.line
        lines = self.notebooks.get(finding.path, {}).get(finding.cell)
        if not lines:
            return finding.line
        index = (finding.line or 1) - 1
        return lines[min(max(index, 0), len(lines) - 1)]


def locator_for(root: Path, notebook_paths: list[str]) -> Locator:
    """Return the Locator of an audited folder: its git top-level prefix and its notebooks' line maps."""
    maps: dict[str, dict[int, tuple[int, ...]]] = {}
    for rel in notebook_paths:
        target = root / rel
        try:
            if target.is_symlink() or not target.is_file() or target.stat().st_size > MAX_NOTEBOOK_BYTES:
                continue
            maps[rel] = notebook_lines(target.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError):
            continue
    return Locator(git_prefix(root), maps)


def git_prefix(root: Path) -> str:
    """Return the audited folder's path below the nearest folder holding `.git` ('' at the top, or without git)."""
    start = root.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            rel = PurePosixPath(start.relative_to(folder).as_posix())
            return "" if str(rel) == "." else f"{rel}/"
    return ""


def notebook_lines(text: str) -> dict[int, tuple[int, ...]]:
    """Return, per 1-based cell, the file line of each line of its source, as stored in the `.ipynb` JSON."""
    scanner = _Scanner(text)
    data = scanner.value(0, ())[1]
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise ValueError("not a notebook")
    out: dict[int, tuple[int, ...]] = {}
    for index, cell in enumerate(data["cells"], start=1):
        source = cell.get("source") if isinstance(cell, dict) else None
        pieces = source if isinstance(source, list) else [source] if isinstance(source, str) else []
        keys = (
            [("cells", index - 1, "source", n) for n in range(len(pieces))]
            if isinstance(source, list)
            else [("cells", index - 1, "source")]
        )
        out[index] = _source_lines(pieces, [scanner.lines.get(key, 1) for key in keys])
    return out


def _source_lines(pieces: list[object], file_lines: list[int]) -> tuple[int, ...]:
    """Return the file line of each line of the joined source (a line belongs to the piece it starts in)."""
    lines: list[int] = []
    at_start = True
    for piece, where in zip(pieces, file_lines, strict=True):
        for char in piece if isinstance(piece, str) else "":
            if at_start:
                lines.append(where)
                at_start = False
            at_start = char == "\n"
    return tuple(lines)


JSONPath = tuple[str | int, ...]


class _Scanner:
    """A small JSON reader that records the file line where each string under `cells[*].source` starts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.decoder = json.JSONDecoder()
        self.lines: dict[JSONPath, int] = {}
        self._newlines = [i for i, c in enumerate(text) if c == "\n"]

    def _line_at(self, pos: int) -> int:
        low, high = 0, len(self._newlines)
        while low < high:
            mid = (low + high) // 2
            if self._newlines[mid] < pos:
                low = mid + 1
            else:
                high = mid
        return low + 1

    def _skip(self, pos: int) -> int:
        while pos < len(self.text) and self.text[pos] in " \t\r\n":
            pos += 1
        return pos

    def value(self, pos: int, path: JSONPath) -> tuple[int, object]:
        pos = self._skip(pos)
        char = self.text[pos : pos + 1]
        if char == "{":
            return self._object(pos + 1, path)
        if char == "[":
            return self._array(pos + 1, path)
        if char == '"' and len(path) >= 3 and path[0] == "cells" and path[2] == "source":
            self.lines[path] = self._line_at(pos)
        parsed, end = self.decoder.raw_decode(self.text, pos)
        return end, parsed

    def _object(self, pos: int, path: JSONPath) -> tuple[int, object]:
        out: dict[str, object] = {}
        pos = self._skip(pos)
        if self.text[pos : pos + 1] == "}":
            return pos + 1, out
        while True:
            key, pos = self.decoder.raw_decode(self.text, self._skip(pos))
            pos = self._skip(pos)
            if self.text[pos : pos + 1] != ":":
                raise ValueError("expected ':'")
            pos, out[str(key)] = self.value(pos + 1, (*path, str(key)))
            pos = self._skip(pos)
            if self.text[pos : pos + 1] == ",":
                pos += 1
                continue
            if self.text[pos : pos + 1] == "}":
                return pos + 1, out
            raise ValueError("expected ',' or '}'")

    def _array(self, pos: int, path: JSONPath) -> tuple[int, object]:
        out: list[object] = []
        pos = self._skip(pos)
        if self.text[pos : pos + 1] == "]":
            return pos + 1, out
        while True:
            pos, item = self.value(pos, (*path, len(out)))
            out.append(item)
            pos = self._skip(pos)
            if self.text[pos : pos + 1] == ",":
                pos += 1
                continue
            if self.text[pos : pos + 1] == "]":
                return pos + 1, out
            raise ValueError("expected ',' or ']'")
