"""Provides suppressions and fingerprints: reasoned `# mlaudit: ignore[...]`, config entries.

An inline comment covers its own line, or the next line when it stands alone on its line.

Suppressed findings stay in the report, marked with their reason, and cost no points. A
suppression without a reason, one that matches nothing, or one past its `until` date is
itself reported (info), so silencing is always visible.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import io
import re
import tokenize
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import ClassVar

from mlaudit.config import ConfigSuppression
from mlaudit.model import Finding, RuleDoc, Severity
from mlaudit.project import Project, PythonFile

INLINE = re.compile(r"#\s*mlaudit:\s*ignore\[([A-Za-z0-9_, ]+)\]\s*(.*)$")


@dataclass(frozen=True)
class _Inline:
    path: str
    line: int
    codes: tuple[str, ...]
    reason: str
    standalone: bool


class _MetaDoc:
    code: ClassVar[str]
    title: ClassVar[str]
    text: ClassVar[tuple[str, str, str, str, str]]

    @classmethod
    def doc(cls, practice: str) -> RuleDoc:
        what, why, example, use_instead, fix = cls.text
        return RuleDoc(cls.code, cls.title, practice, Severity.INFO, what, why, example, use_instead, fix)


class SuppressionWithoutReason(_MetaDoc):
    code = "SUP001"
    title = "suppression without a reason"
    text = (
        "Flags `# mlaudit: ignore[CODE]` comments that give no reason.",
        "A silenced finding without a reason cannot be reviewed later; nobody knows if it still applies.",
        "```python\nmodel = torch.load(path)  # mlaudit: ignore[SEC009]\n```",
        "```python\nmodel = torch.load(path)  # mlaudit: ignore[SEC009] our own checkpoints, built in CI\n```",
        "Write why the finding does not apply after the closing bracket.",
    )


class UnusedSuppression(_MetaDoc):
    code = "SUP002"
    title = "suppression that matches nothing"
    text = (
        "Flags inline or config suppressions that silenced no finding in this audit.",
        "Stale suppressions hide future problems on the same line and clutter the code.",
        "```python\nx = 1  # mlaudit: ignore[LOG001] debugging print\n```",
        "```python\nx = 1\n```",
        "Remove the suppression (the problem it silenced is gone).",
    )


class ExpiredSuppression(_MetaDoc):
    code = "SUP003"
    title = "suppression past its expiry date"
    text = (
        "Flags config suppressions whose `until` date has passed; their findings count again.",
        "Temporary exceptions that never end become permanent blind spots.",
        '```toml\n[tool.mlaudit.suppress]\n"SEC009:legacy/*" = { reason = "migrating", until = 2025-01-01 }\n```',
        "Fix the findings, or extend `until` with a new reason after review.",
        "Fix the findings or renew the suppression with a reason and a new date.",
    )


class UnknownCodeInSuppression(_MetaDoc):
    code = "SUP004"
    title = "suppression names an unknown rule code"
    text = (
        "Flags `# mlaudit: ignore[...]` comments that name a code no mlaudit rule has.",
        "A typo in the code silences nothing, so the finding it was meant for still counts, or never existed.",
        "```python\nmodel = torch.load(path)  # mlaudit: ignore[SEC09] our own checkpoints\n```",
        "```python\nmodel = torch.load(path)  # mlaudit: ignore[SEC009] our own checkpoints\n```",
        "Use a code or prefix from `mlaudit --list-rules`.",
    )


META_RULES = {
    cls.code: cls for cls in (SuppressionWithoutReason, UnusedSuppression, ExpiredSuppression, UnknownCodeInSuppression)
}


def fingerprint(finding: Finding, code_line: str) -> str:
    """Return a fingerprint that survives line moves and rewording: rule, path and a stable subject.

    The subject is what the rule names (a package and its advisory ids), else the normalised code
    line; a finding with neither is identified by rule and path (and its occurrence). The message,
    with its counts and lists, never takes part: a new endpoint must not renew an old finding.
    """
    anchor = finding.subject or " ".join(code_line.split())
    digest = hashlib.sha256(f"{finding.rule}\0{finding.path or ''}\0{anchor}".encode()).hexdigest()
    return digest[:16]


def code_line(project: Project, finding: Finding) -> str:
    """Return the source line a finding points at (notebooks: within its cell), or ''."""
    if finding.path is None or finding.line is None or finding.commit is not None:
        return ""
    pf = project.python.get(finding.path)
    if pf is not None:
        return pf.line(pf.virtual_line(finding.cell, finding.line))
    text = project.text(finding.path)
    if text is None:
        return ""
    lines = text.splitlines()
    return lines[finding.line - 1] if 1 <= finding.line <= len(lines) else ""


def with_fingerprints(project: Project, findings: list[Finding]) -> list[Finding]:
    """Attach fingerprints; identical anchors in one file are told apart by occurrence."""
    seen: Counter[str] = Counter()
    out: list[Finding] = []
    for f in findings:
        base = fingerprint(f, code_line(project, f))
        seen[base] += 1
        out.append(replace(f, fingerprint=base if seen[base] == 1 else f"{base}-{seen[base]}"))
    return out


def apply(
    project: Project,
    findings: list[Finding],
    config: tuple[ConfigSuppression, ...],
    today: dt.date,
    practice_of: dict[str, str],
    ran: frozenset[str] = frozenset(),
) -> tuple[list[Finding], list[Finding]]:
    """Mark suppressed findings; return them and the meta findings (SUP001-SUP003).

    A suppression is reported as unused only when a rule it names actually ran.
    """
    inline = list(_inline_comments(project, {f.path for f in findings if f.path}))
    used_inline: set[_Inline] = set()
    used_config: set[ConfigSuppression] = set()
    out: list[Finding] = []
    for f in findings:
        match = _match_inline(project, f, inline)
        if match is not None:
            used_inline.add(match)
            if match.reason:
                out.append(replace(f, suppressed=match.reason, suppressed_by="comment"))
                continue
        entry = _match_config(f, config)
        if entry is not None:
            used_config.add(entry)
            if entry.until is None or entry.until >= today:
                out.append(replace(f, suppressed=entry.reason, suppressed_by="config"))
                continue
        out.append(f)
    used_inline.update(e for e in inline if not _ran_any(e.codes, ran))
    judged = tuple(c for c in config if _ran_any((c.code,), ran))
    meta = list(_meta(inline, used_inline, judged, used_config, today, practice_of))
    return out, meta


def _ran_any(codes: tuple[str, ...], ran: frozenset[str]) -> bool:
    """Return True when some rule that ran matches one of the codes (or prefixes)."""
    return any(rule.startswith(codes) for rule in ran) if codes else False


def reviewed_lines(project: Project, prefix: str) -> frozenset[tuple[str, int]]:
    """Return the (path, line) pairs covered by an inline suppression of a `prefix` rule that gives a reason.

    Capabilities use it so a reviewed, suppressed risk costs the practice nothing twice over.
    """
    found: frozenset[tuple[str, int]] = project.fact(
        f"suppress.reviewed.{prefix}", lambda p: _reviewed_lines(p, prefix.upper())
    )
    return found


def _reviewed_lines(project: Project, prefix: str) -> frozenset[tuple[str, int]]:
    covered: set[tuple[str, int]] = set()
    for entry in _python_inline(project):
        if entry.reason and any(code.startswith(prefix) for code in entry.codes):
            covered.add((entry.path, entry.line + 1 if entry.standalone else entry.line))
    return frozenset(covered)


def _python_inline(project: Project) -> tuple[_Inline, ...]:
    """Return the inline suppressions of every Python file (tokenised once per audit)."""
    found: tuple[_Inline, ...] = project.fact(
        "suppress.python_inline",
        lambda p: tuple(entry for path in sorted(p.python) for entry in _file_inline(p, path)),
    )
    return found


def _inline_comments(project: Project, paths: set[str]) -> Iterator[_Inline]:
    by_path: dict[str, list[_Inline]] = defaultdict(list)
    for entry in _python_inline(project):
        by_path[entry.path].append(entry)
    for path in sorted(paths | set(by_path)):
        if path in project.python:
            yield from by_path.get(path, ())
        else:
            yield from _file_inline(project, path)


def _file_inline(project: Project, path: str) -> Iterator[_Inline]:
    """Yield the inline suppressions of one file (real comments only in Python; a per-file fact there)."""
    pf = project.python.get(path)
    if pf is not None:
        found = pf.file_fact(INLINE_FACT, inline_suppressions)
    else:
        found = _inline_in(project.text(path) or "", python=False)
    for number, codes, reason, standalone in found:
        yield _Inline(path, number, codes, reason, standalone)


INLINE_FACT = "suppress.inline"  # a per-file fact (mlaudit.filefacts)


def inline_suppressions(pf: PythonFile) -> tuple[tuple[int, tuple[str, ...], str, bool], ...]:
    """Return each `# mlaudit: ignore[CODE] reason` comment of a module: (line, codes, reason, on its own line)."""
    return _inline_in(pf.text, python=True)


def _inline_in(text: str, *, python: bool) -> tuple[tuple[int, tuple[str, ...], str, bool], ...]:
    if "mlaudit:" not in text:
        return ()
    lines = text.splitlines()
    found: list[tuple[int, tuple[str, ...], str, bool]] = []
    for number, comment in _comments(text, python=python):
        match = INLINE.search(comment)
        if match:
            codes = tuple(c.strip().upper() for c in match.group(1).split(",") if c.strip())
            found.append((number, codes, match.group(2).strip(), lines[number - 1].lstrip().startswith("#")))
    return tuple(found)


def _comments(text: str, *, python: bool) -> Iterator[tuple[int, str]]:
    """Yield (line, comment text): real comments only in Python (not `#` inside strings)."""
    if python:
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
        except (tokenize.TokenError, SyntaxError, IndentationError):
            tokens = []
        if tokens:
            yield from ((t.start[0], t.string) for t in tokens if t.type == tokenize.COMMENT and "mlaudit:" in t.string)
            return
    for number, line in enumerate(text.splitlines(), start=1):
        if "mlaudit:" in line and "#" in line:
            yield number, line[line.index("#") :]


def _match_inline(project: Project, finding: Finding, inline: list[_Inline]) -> _Inline | None:
    if finding.path is None or finding.line is None or finding.commit is not None:
        return None
    pf = project.python.get(finding.path)
    line = pf.virtual_line(finding.cell, finding.line) if pf is not None else finding.line
    for entry in inline:
        covers = entry.line == line or (entry.standalone and entry.line == line - 1)
        if entry.path == finding.path and covers and finding.rule.startswith(entry.codes):
            return entry
    return None


def _match_config(finding: Finding, config: tuple[ConfigSuppression, ...]) -> ConfigSuppression | None:
    for entry in config:
        path = finding.path or ""
        if finding.rule.startswith(entry.code) and (fnmatch.fnmatch(path, entry.path_glob) or entry.path_glob == "*"):
            return entry
    return None


def _meta(
    inline: list[_Inline],
    used_inline: set[_Inline],
    config: tuple[ConfigSuppression, ...],
    used_config: set[ConfigSuppression],
    today: dt.date,
    practice_of: dict[str, str],
) -> Iterator[Finding]:
    known = (*practice_of, *META_RULES)
    for entry in inline:
        practice = _practice(entry.codes[0] if entry.codes else "", practice_of)
        unknown = [c for c in entry.codes if not any(k.startswith(c) for k in known)]
        if unknown:
            yield _meta_finding(
                UnknownCodeInSuppression,
                practice,
                entry.path,
                entry.line,
                f"ignore[{', '.join(entry.codes)}] names no mlaudit rule: {', '.join(unknown)}",
            )
        if not entry.reason:
            yield _meta_finding(
                SuppressionWithoutReason,
                practice,
                entry.path,
                entry.line,
                f"ignore[{', '.join(entry.codes)}] has no reason",
            )
        if entry not in used_inline:
            yield _meta_finding(
                UnusedSuppression,
                practice,
                entry.path,
                entry.line,
                f"ignore[{', '.join(entry.codes)}] matches no finding",
            )
    for item in config:
        practice = _practice(item.code, practice_of)
        if item not in used_config:
            yield _meta_finding(
                UnusedSuppression,
                practice,
                None,
                None,
                f"config suppression {item.code}:{item.path_glob} matches no finding",
                f"{item.code}:{item.path_glob}",
            )
        elif item.until is not None and item.until < today:
            message = f"config suppression {item.code}:{item.path_glob} expired on {item.until.isoformat()}: its findings count again"
            yield _meta_finding(ExpiredSuppression, practice, None, None, message, f"{item.code}:{item.path_glob}")


def _practice(code: str, practice_of: dict[str, str]) -> str:
    for rule_code, practice in practice_of.items():
        if rule_code.startswith(code) and code:
            return practice
    return "layout"


def _meta_finding(
    rule: type[_MetaDoc], practice: str, path: str | None, line: int | None, message: str, subject: str = ""
) -> Finding:
    fix = rule.text[4]
    return Finding(rule.code, practice, Severity.INFO, path, line, None, message, fix, subject=subject)
