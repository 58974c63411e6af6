"""Provides the ranking of fixes by points gained, shared by every view."""

from __future__ import annotations

from dataclasses import dataclass

from mlaudit.model import CapabilityScore, PracticeScore, Report, Status
from mlaudit.scoring import CRITICAL_PRACTICE_MAX


@dataclass(frozen=True)
class Fix:
    """One way to gain points in one practice, for the ranked fix list.

    Either one rule's deductions (`rule` set, summed `points`) or one capability not fully in
    place (`capability` set, `rule` empty, `points` = what the score rises by once it is in place).
    """

    practice: PracticeScore
    rule: str
    points: int
    reasons: tuple[str, ...]
    capability: CapabilityScore | None = None

    @property
    def name(self) -> str:
        """Return the rule code, or `add: <capability title>` for a missing capability."""
        return self.rule if self.capability is None else f"add: {self.capability.title}"


def scoring_label(practice: PracticeScore, rule: str) -> str:
    """Return how a rule's deduction was scored, e.g. `density, weight 8, cap 25` or `measured`."""
    for d in practice.deductions:
        if d.rule == rule and d.weight is not None:
            return f"{d.mode}, weight {d.weight}, cap {d.cap}"
    modes = {d.mode for d in practice.deductions if d.rule == rule}
    return ", ".join(sorted(modes))


def ranked_fixes(report: Report) -> list[Fix]:
    """Return one fix per (practice, rule) and per missing capability, most points first."""
    fixes = _rule_fixes(report) + _capability_fixes(report)
    return sorted(fixes, key=_order)


def _rule_fixes(report: Report) -> list[Fix]:
    """Return one fix per (practice, rule) with its deductions summed."""
    merged: dict[tuple[str, str], Fix] = {}
    for p in report.practices:
        for d in p.deductions:
            prev = merged.get((p.key, d.rule))
            points, reasons = (prev.points, prev.reasons) if prev else (0, ())
            merged[(p.key, d.rule)] = Fix(p, d.rule, points + d.points, (*reasons, d.reason))
    return [f for f in merged.values() if f.points > 0]


def _capability_fixes(report: Report) -> list[Fix]:
    """Return one fix per capability a scored practice has not fully earned, with what it gains."""
    fixes = [
        Fix(p, "", capability_gain(report, p, cap), (cap.evidence,), cap)
        for p in report.practices
        if p.status is Status.SCORED
        for cap in p.capabilities
        if cap.missing > 0
    ]
    return [f for f in fixes if f.points > 0]


def capability_gain(report: Report, practice: PracticeScore, cap: CapabilityScore) -> int:
    """Return how far the practice's score rises once `cap` is fully in place.

    That is its missing points less what the deductions grow by: they are weighed by the points
    earned (scoring.scale_to_earned), so `deducted` of `earned` becomes about
    `deducted * (earned + missing) / earned`. A practice with a critical finding stays at most 20.
    With nothing earned yet no deduction shows, so the whole missing points are the gain.
    """
    if practice.score is None or cap.missing <= 0:
        return 0
    earned = practice.earned
    if earned <= 0:
        return cap.missing
    after = earned + cap.missing
    score = after - round(practice.deducted * after / earned)
    if any(f.counts and f.caps_grade for f in report.findings_for(practice.key)):
        score = min(score, CRITICAL_PRACTICE_MAX)
    return max(0, score - practice.score)


def _order(fix: Fix) -> tuple[int, int, bool, str]:
    """Most points first, then practice order, rules before capabilities, then name."""
    return (-fix.points, fix.practice.number, fix.capability is not None, fix.name)
