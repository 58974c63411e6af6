"""Provides `--add-ignore REASON`: reasoned inline suppressions at every open finding.

This is the only code that writes into the audited tree, and it runs only on that explicit
flag. It edits Python files only (a `#` comment at the end of the finding's line), never a
line that continues with a backslash or lies inside a multi-line string, never through a
symbolic link or outside the root, and replaces each file in one atomic rename.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mlaudit.model import Finding, Report
from mlaudit.suppress import INLINE

Writer = Callable[[Path, str], None]
_EXISTING = re.compile(r"(#\s*mlaudit:\s*ignore\[)([A-Za-z0-9_, ]+)(\])")


@dataclass(frozen=True)
class AddIgnoreResult:
    """What `--add-ignore` changed, and what it left alone with the reason."""

    inserted: int
    files: int
    not_inserted: tuple[str, ...]

    def summary(self) -> str:
        """Return one line for the terminal."""
        skipped = f"; {len(self.not_inserted)} finding(s) left as they are" if self.not_inserted else ""
        return f"added {self.inserted} suppression(s) in {self.files} file(s){skipped}"


def add_ignores(root: Path, report: Report, reason: str, write: Writer) -> AddIgnoreResult:
    """Insert `# mlaudit: ignore[CODES] reason` at each open finding's line; return what was done."""
    reason = " ".join(reason.split())
    by_file: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    left: list[str] = []
    for finding in report.findings:
        if not finding.is_new:
            continue
        why = _unfit(finding)
        if why:
            left.append(f"{finding.rule} at {finding.location}: {why}")
            continue
        assert finding.path is not None and finding.line is not None
        codes = by_file[finding.path][finding.line]
        if finding.rule not in codes:
            codes.append(finding.rule)
    inserted = files = 0
    for rel, lines in sorted(by_file.items()):
        done, problems = _edit_file(root, rel, lines, reason, write)
        left.extend(problems)
        inserted += done
        files += 1 if done else 0
    return AddIgnoreResult(inserted, files, tuple(left))


def _unfit(finding: Finding) -> str:
    if finding.path is None:
        return "repository-level finding (use [tool.mlaudit.suppress] in the config)"
    if finding.cell is not None or finding.path.endswith(".ipynb"):
        return "notebook (add the comment in the cell, or use [tool.mlaudit.suppress])"
    if not finding.path.endswith((".py", ".pyi")):
        return "not a Python file (use [tool.mlaudit.suppress] in the config)"
    if finding.line is None or finding.line < 1:
        return "no line (use [tool.mlaudit.suppress] in the config)"
    return ""


def _edit_file(root: Path, rel: str, lines: dict[int, list[str]], reason: str, write: Writer) -> tuple[int, list[str]]:
    target = root / rel
    problem = _unsafe_target(root, target)
    if problem:
        return 0, [f"{rel}: {problem}"]
    try:
        text = target.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        return 0, [f"{rel}: cannot read ({err})"]
    source = text.splitlines(keepends=True)
    blocked = _lines_inside_strings(text)
    problems: list[str] = []
    done = 0
    for number, codes in sorted(lines.items()):
        if number > len(source):
            problems.append(f"{rel}:{number}: the line no longer exists")
            continue
        line = source[number - 1]
        body, ending = _split_ending(line)
        if number in blocked or body.rstrip().endswith("\\"):
            problems.append(
                f"{', '.join(codes)} at {rel}:{number}: the line continues (a comment would change the code)"
            )
            continue
        source[number - 1] = _with_comment(body, codes, reason) + ending
        done += 1
    if done:
        write(target, "".join(source))
    return done, problems


def _unsafe_target(root: Path, target: Path) -> str:
    """Return why the file must not be written (a symlink on the way, outside the root), or ''."""
    base = root.resolve()
    current = root
    for part in target.relative_to(root).parts:
        current = current / part
        if current.is_symlink():
            return "a symbolic link (not followed)"
    try:
        target.resolve().relative_to(base)
    except ValueError:
        return "outside the audited folder"
    if not target.is_file():
        return "not a regular file"
    return ""


def _split_ending(line: str) -> tuple[str, str]:
    body = line.rstrip("\r\n")
    return body, line[len(body) :]


def _with_comment(body: str, codes: list[str], reason: str) -> str:
    existing = _EXISTING.search(body)
    if existing is not None and INLINE.search(body[existing.start() :]):
        known = [c.strip() for c in existing.group(2).split(",") if c.strip()]
        merged = ", ".join([*known, *(c for c in codes if c not in known)])
        updated = body[: existing.start(2)] + merged + body[existing.end(2) :]
        found = INLINE.search(updated[existing.start() :])
        has_reason = bool(found and found.group(2).strip())
        return updated if has_reason else f"{updated} {reason}"
    return f"{body}  # mlaudit: ignore[{', '.join(codes)}] {reason}"


def _lines_inside_strings(text: str) -> set[int]:
    """Return the lines whose end lies inside a multi-line string (a comment there would be string text)."""
    blocked: set[int] = set()
    fstring_start, fstring_end = getattr(tokenize, "FSTRING_START", -1), getattr(tokenize, "FSTRING_END", -1)
    open_fstrings: list[int] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.STRING and token.end[0] > token.start[0]:
                blocked.update(range(token.start[0], token.end[0]))
            elif token.type == fstring_start:
                open_fstrings.append(token.start[0])
            elif token.type == fstring_end and open_fstrings:
                blocked.update(range(open_fstrings.pop(), token.end[0]))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return set(range(1, text.count("\n") + 2))
    return blocked
