"""Provides the ranking of fixes by points gained, shared by every view."""

from __future__ import annotations

from dataclasses import dataclass

from mlaudit.model import PracticeScore, Report


@dataclass(frozen=True)
class Fix:
    """One rule's deductions in one practice, with what fixing it gains, for the ranked fix list."""

    practice: PracticeScore
    rule: str
    points: int
    reasons: tuple[str, ...]


def scoring_label(practice: PracticeScore, rule: str) -> str:
    """Return how a rule's deduction was scored, e.g. `density, weight 8, cap 25` or `measured`."""
    for d in practice.deductions:
        if d.rule == rule and d.weight is not None:
            return f"{d.mode}, weight {d.weight}, cap {d.cap}"
    modes = {d.mode for d in practice.deductions if d.rule == rule}
    return ", ".join(sorted(modes))


def ranked_fixes(report: Report) -> list[Fix]:
    """Return one fix per (practice, rule) with its deductions summed, most points first."""
    merged: dict[tuple[str, str], Fix] = {}
    for p in report.practices:
        for d in p.deductions:
            prev = merged.get((p.key, d.rule))
            points, reasons = (prev.points, prev.reasons) if prev else (0, ())
            merged[(p.key, d.rule)] = Fix(p, d.rule, points + d.points, (*reasons, d.reason))
    fixes = [f for f in merged.values() if f.points > 0]
    return sorted(fixes, key=lambda f: (-f.points, f.practice.number, f.rule))
