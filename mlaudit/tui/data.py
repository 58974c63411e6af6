"""Provides the app's view of a Report: top fixes, counts, filters and display formats (no Textual)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mlaudit.model import Finding, PracticeScore, Report, Severity, Status
from mlaudit.report.ranking import ranked_fixes

SEVERITY_CYCLE: tuple[Severity | None, ...] = (None, Severity.ERROR, Severity.WARNING, Severity.INFO)
SORT_COLUMNS: tuple[str, ...] = ("rule", "severity", "location", "message")
_PERCENT_WORDS = ("share", "coverage", "ratio", "rate", "fraction")


@dataclass(frozen=True)
class TopFix:
    """One deduction worth fixing: the points its rule's findings cost one practice."""

    practice: str
    practice_title: str
    rule: str
    points: int
    reason: str


def top_fixes(report: Report, limit: int = 5) -> list[TopFix]:
    """Return the fixes that gain the most points, largest first (one per practice and rule)."""
    return [
        TopFix(f.practice.key, f.practice.title, f.rule, f.points, "; ".join(f.reasons))
        for f in ranked_fixes(report)[:limit]
    ]


def severity_counts(findings: Iterable[Finding]) -> Counter[Severity]:
    """Return how many counted findings there are per severity."""
    return Counter(f.severity for f in findings if f.counts)


def grade_colour(grade: str | None) -> str:
    """Return the theme colour name of a grade: success, warning or error."""
    if grade in ("A", "B"):
        return "success"
    if grade == "C":
        return "warning"
    return "error" if grade else "secondary"


def status_text(practice: PracticeScore) -> str:
    """Return how a practice without a score reads: `n/a (reason)` or `not checked (reason)`."""
    label = "n/a" if practice.status is Status.NOT_APPLICABLE else "not checked"
    return f"{label} ({practice.status_reason})" if practice.status_reason else label


def format_metric(key: str, value: float | int | str | None) -> str:
    """Return `annotation coverage: 63 %` style text for a practice metric."""
    name = key.replace("_", " ")
    if value is None:
        return f"{name}: n/a"
    if isinstance(value, float) and any(word in key for word in _PERCENT_WORDS) and 0 <= value <= 1:
        return f"{name}: {value * 100:.0f} %"
    if isinstance(value, float):
        return f"{name}: {value:.2f}".rstrip("0").rstrip(".")
    return f"{name}: {value}"


def display_path(root: str) -> str:
    """Return `root` as the user would type it: relative to the cwd, or with `~` for home."""
    path = Path(root)
    try:
        relative = path.resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError):
        home = str(Path.home())
        return "~" + root[len(home) :] if home != "/" and root.startswith(home + os.sep) else root
    return str(relative) if str(relative) != "." else "."


def filter_findings(
    findings: Sequence[Finding], text: str, severity: Severity | None, show_silenced: bool = False
) -> list[Finding]:
    """Return the findings whose rule, location or message contains `text` (any case), at `severity`.

    Suppressed and baselined findings are left out unless `show_silenced` is set.
    """
    needle = text.strip().lower()
    return [
        f
        for f in findings
        if (severity is None or f.severity is severity)
        and (show_silenced or not is_silenced(f))
        and (not needle or needle in f"{f.rule} {f.location} {f.message}".lower())
    ]


def is_silenced(finding: Finding) -> bool:
    """Return True for a suppressed or baselined finding."""
    return finding.suppressed is not None or finding.baselined


def silenced_note(finding: Finding) -> str:
    """Return `[suppressed: reason]`, `[baselined]` or '' for the findings table."""
    if finding.suppressed is not None:
        return f"[suppressed: {finding.suppressed}] "
    return "[baselined] " if finding.baselined else ""


def sort_findings(findings: Sequence[Finding], column: str, reverse: bool = False) -> list[Finding]:
    """Return the findings sorted by one column; severity sorts worst first."""
    keys = {
        "rule": lambda f: (f.rule, f.path or "", f.line or 0),
        "severity": lambda f: (-f.severity.rank, f.rule, f.path or "", f.line or 0),
        "location": lambda f: (f.path or "", f.cell or 0, f.line or 0, f.rule),
        "message": lambda f: (f.message.lower(), f.rule),
    }
    return sorted(findings, key=keys[column], reverse=reverse)


def next_severity(current: Severity | None) -> Severity | None:
    """Return the next severity filter: all -> error -> warning -> info -> all."""
    index = SEVERITY_CYCLE.index(current)
    return SEVERITY_CYCLE[(index + 1) % len(SEVERITY_CYCLE)]


def rule_points(report: Report, finding: Finding) -> int:
    """Return the points fixing every finding of this finding's rule would gain in its practice."""
    practice = report.practice(finding.practice)
    return sum(d.points for d in practice.deductions if d.rule == finding.rule)


def git_text(report: Report) -> str:
    """Return `branch @ 1a2b3c4 (dirty)` or `not a git repository`."""
    if report.git is None:
        return "not a git repository"
    commit = (report.git.commit or "")[:7] or "no commits"
    dirty = " (uncommitted changes)" if report.git.dirty else ""
    return f"{report.git.branch or 'detached'} @ {commit}{dirty}"
