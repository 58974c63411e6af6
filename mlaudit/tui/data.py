"""Provides the app's view of a Report: top fixes, counts, filters and display formats (no Textual)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from mlaudit.model import Finding, Report, Severity
from mlaudit.present import (
    FixGain,
    cost_order,
    fix_gains,
    format_metric,
    grade_colour,
    severity_counts,
    status_text,
)

__all__ = ["format_metric", "grade_colour", "severity_counts", "status_text"]

SEVERITY_CYCLE: tuple[Severity | None, ...] = (None, Severity.ERROR, Severity.WARNING, Severity.INFO)
SORT_COLUMNS: tuple[str, ...] = ("points", "rule", "severity", "location", "message")


def top_fixes(report: Report, limit: int = 5) -> list[FixGain]:
    """Return the fixes that gain the most points, largest first (one per practice and rule)."""
    return fix_gains(report)[:limit]


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


def sort_findings(
    findings: Sequence[Finding], column: str, reverse: bool = False, report: Report | None = None
) -> list[Finding]:
    """Return the findings sorted by one column; severity and points (needs `report`) sort worst first."""
    if column == "points" and report is not None:
        ordered = cost_order(report, findings)
        return ordered[::-1] if reverse else ordered
    keys = {
        "rule": lambda f: (f.rule, f.path or "", f.line or 0),
        "severity": lambda f: (-f.severity.rank, f.rule, f.path or "", f.line or 0),
        "location": lambda f: (f.path or "", f.cell or 0, f.line or 0, f.rule),
        "message": lambda f: (f.message.lower(), f.rule),
    }
    return sorted(findings, key=keys.get(column, keys["severity"]), reverse=reverse)


def next_severity(current: Severity | None) -> Severity | None:
    """Return the next severity filter: all -> error -> warning -> info -> all."""
    index = SEVERITY_CYCLE.index(current)
    return SEVERITY_CYCLE[(index + 1) % len(SEVERITY_CYCLE)]


def rule_points(report: Report, finding: Finding) -> int:
    """Return the points fixing every finding of this finding's rule would gain in its practice."""
    from mlaudit.present import rule_points as points

    return points(report, finding.practice, finding.rule)


def git_text(report: Report) -> str:
    """Return `branch @ 1a2b3c4 (dirty)` or `not a git repository`."""
    if report.git is None:
        return "not a git repository"
    commit = (report.git.commit or "")[:7] or "no commits"
    dirty = " (uncommitted changes)" if report.git.dirty else ""
    return f"{report.git.branch or 'detached'} @ {commit}{dirty}"
