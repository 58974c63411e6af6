"""Provides the ranking of fixes by points gained, shared by every view."""

from __future__ import annotations

from dataclasses import dataclass

from mlaudit.model import CapabilityScore, PracticeScore, Report, Status


@dataclass(frozen=True)
class Fix:
    """One way to gain points in one practice, for the ranked fix list.

    Either one rule's deductions (`rule` set, summed `points`) or one capability not fully in
    place (`capability` set, `rule` empty, `points` = the points it has not earned).
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
    """Return one fix per capability a scored practice has not fully earned, gaining its missing points."""
    return [
        Fix(p, "", cap.missing, (cap.evidence,), cap)
        for p in report.practices
        if p.status is Status.SCORED
        for cap in p.capabilities
        if cap.missing > 0
    ]


def _order(fix: Fix) -> tuple[int, int, bool, str]:
    """Most points first, then practice order, rules before capabilities, then name."""
    return (-fix.points, fix.practice.number, fix.capability is not None, fix.name)
