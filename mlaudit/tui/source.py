"""Provides the code around a finding, read for display only, with secret lines masked (no Textual)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from mlaudit.model import Finding, Report
from mlaudit.redact import redact_lines

MAX_BYTES = 2 * 1024 * 1024
SECRET_PRACTICE = "security"
MASK = "••••"
_STRING = re.compile(r"""(?P<prefix>[rRbBuUfF]{0,2})(?P<quote>'''|\"\"\"|'|")(?:\\.|(?!(?P=quote)).)*(?P=quote)?""")
_ASSIGNED = re.compile(r"^(?P<head>[^=:]*[=:]\s*)(?P<value>\S.*)$")
_PEM_BEGIN = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")
_PEM_END = re.compile(r"-----END [A-Z ]*PRIVATE KEY-----")
_LEXERS = {".py": "python", ".ipynb": "python", ".toml": "toml", ".yaml": "yaml", ".yml": "yaml", ".json": "json"}


@dataclass(frozen=True)
class CodeContext:
    """Lines around a finding: the text, the number of its first line, the marked line and a lexer."""

    text: str
    start_line: int
    mark_line: int | None
    lexer: str
    title: str


class SourceUnavailable(Exception):
    """The finding's file cannot be shown (gone, unreadable, too large, or outside the root)."""


def code_context(report: Report, finding: Finding, radius: int = 6) -> CodeContext:
    """Return the code around `finding`, with lines flagged by security findings masked."""
    if finding.path is None:
        raise SourceUnavailable("repository-level finding: no file to show")
    lines, title = _source_lines(Path(report.root), finding)
    lines = mask_secrets(redact_lines(lines), flagged_lines(report, finding.path, finding.cell))
    line = finding.line if finding.line is not None and 1 <= finding.line <= len(lines) else None
    first = max(1, (line or 1) - radius)
    last = min(len(lines), (line or 1) + radius)
    text = "\n".join(lines[first - 1 : last])
    lexer = _LEXERS.get(Path(finding.path).suffix.lower(), "text")
    if Path(finding.path).name.startswith(".env"):
        lexer = "bash"
    return CodeContext(text, first, line, lexer, title)


def _source_lines(root: Path, finding: Finding) -> tuple[list[str], str]:
    assert finding.path is not None
    target = _inside(root, finding.path)
    text = _read(target)
    if finding.path.endswith(".ipynb") and finding.cell is not None:
        return _cell_source(text, finding.cell).splitlines(), f"{finding.path}, cell {finding.cell}"
    return text.splitlines(), finding.path


def _inside(root: Path, relative: str) -> Path:
    resolved_root = root.resolve()
    target = (resolved_root / relative).resolve()
    if not target.is_relative_to(resolved_root):
        raise SourceUnavailable(f"{relative} is outside the audited folder")
    return target


def _read(target: Path) -> str:
    try:
        if target.stat().st_size > MAX_BYTES:
            raise SourceUnavailable(f"{target.name} is larger than {MAX_BYTES // 1024 // 1024} MB")
        return target.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise SourceUnavailable(f"{target.name} no longer exists (rescan with r)") from None
    except OSError as err:
        raise SourceUnavailable(f"cannot read {target.name}: {err.strerror or err}") from None


def _cell_source(text: str, cell: int) -> str:
    try:
        cells = json.loads(text).get("cells", [])
        source = cells[cell - 1].get("source", "")
    except (ValueError, AttributeError, IndexError, TypeError):
        raise SourceUnavailable(f"cell {cell} cannot be read from the notebook") from None
    return "".join(source) if isinstance(source, list) else str(source)


def flagged_lines(report: Report, path: str, cell: int | None) -> set[int]:
    """Return the lines of one file (or notebook cell) that security findings point at."""
    return {
        f.line
        for f in report.findings
        if f.practice == SECRET_PRACTICE and f.path == path and f.cell == cell and f.line is not None
    }


def mask_secrets(lines: list[str], flagged: set[int]) -> list[str]:
    """Return `lines` with flagged lines masked; private-key blocks and strings opened on them masked whole."""
    if not flagged:
        return lines
    masked: list[str] = []
    block_end: re.Pattern[str] | None = None
    for number, line in enumerate(lines, start=1):
        if block_end is not None:
            masked.append(_mask_all(line))
            block_end = None if block_end.search(line) else block_end
            continue
        block_end = _opened_block(line, number in flagged)
        masked.append(_mask_all(line) if _PEM_BEGIN.search(line) else mask_line(line) if number in flagged else line)
    return masked


def _opened_block(line: str, flagged: bool) -> re.Pattern[str] | None:
    """Return the pattern closing a private-key block, or a triple-quoted string a flagged line opens."""
    if _PEM_BEGIN.search(line) and not _PEM_END.search(line):
        return _PEM_END
    if not flagged:
        return None
    for quote in ('"""', "'''"):
        if line.count(quote) % 2 == 1:
            return re.compile(re.escape(quote))
    return None


def _mask_all(line: str) -> str:
    indent = len(line) - len(line.lstrip())
    return line[:indent] + MASK if line.strip() else line


def mask_line(line: str) -> str:
    """Return `line` with its string literals (or, without any, its assigned value) replaced by a mask."""
    if _STRING.search(line):
        return _STRING.sub(lambda m: f"{m['prefix']}{m['quote']}{MASK}{m['quote']}", line)
    assigned = _ASSIGNED.match(line)
    if assigned:
        return assigned["head"] + MASK
    return _mask_all(line)
