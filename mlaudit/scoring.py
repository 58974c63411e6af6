"""Provides scoring: pure functions from findings and metrics to practice scores and grade.

A rule's findings deduct with diminishing returns by density: the first finding costs the
rule's weight, later ones approach the rule's cap geometrically, and the count is taken per
1,000 lines of code once a repository is larger than that, so size alone is not punished.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from mlaudit.model import Deduction, Severity

DEFAULT_WEIGHT = {Severity.CRITICAL: 40, Severity.ERROR: 15, Severity.WARNING: 8, Severity.INFO: 0}
DEFAULT_CAP = {Severity.CRITICAL: 80, Severity.ERROR: 40, Severity.WARNING: 25, Severity.INFO: 0}
GRADES = ((90, "A"), (80, "B"), (70, "C"), (60, "D"))


@dataclass(frozen=True)
class RuleTally:
    """How many counting findings of one severity a rule produced."""

    rule: str
    title: str
    severity: Severity
    count: int
    weight: int
    cap: int


def grade(score: float) -> str:
    """Return the letter grade for a 0-100 score."""
    for floor, letter in GRADES:
        if score >= floor:
            return letter
    return "F"


def effective_count(count: int, code_lines: int) -> float:
    """Return the finding count scaled to density once the code exceeds 1,000 lines."""
    kloc = code_lines / 1000
    return count / kloc if kloc > 1 else float(count)


def rule_points(weight: int, cap: int, count: int, code_lines: int) -> int:
    """Return the points a rule's findings cost: `weight` first, approaching `cap`."""
    if count <= 0 or weight <= 0 or cap <= 0:
        return 0
    weight = min(weight, cap)
    n = effective_count(count, code_lines)
    points = cap * (1 - math.pow(1 - weight / cap, n))
    return max(1, min(cap, round(points)))


def tally_deductions(tallies: Iterable[RuleTally], code_lines: int) -> list[Deduction]:
    """Turn per-rule finding counts into deductions (rules that cost nothing are left out)."""
    deductions: list[Deduction] = []
    for t in tallies:
        points = rule_points(t.weight, t.cap, t.count, code_lines)
        if points <= 0:
            continue
        noun = "finding" if t.count == 1 else "findings"
        density = ""
        if code_lines > 1000:
            density = f", {effective_count(t.count, code_lines):.1f} per 1,000 code lines"
        reason = f"{t.rule} {t.title}: {t.count} {t.severity.value} {noun}{density}"
        deductions.append(Deduction(t.rule, points, reason))
    return deductions


def cap_total(deductions: Sequence[Deduction]) -> list[Deduction]:
    """Scale deductions down so they sum to at most 100, keeping the sum exact."""
    total = sum(d.points for d in deductions)
    if total <= 100:
        return list(deductions)
    shares = [d.points * 100 / total for d in deductions]
    floors = [math.floor(s) for s in shares]
    remainder = 100 - sum(floors)
    order = sorted(range(len(shares)), key=lambda i: (floors[i] - shares[i], i))
    for i in order[:remainder]:
        floors[i] += 1
    return [
        Deduction(d.rule, p, f"{d.reason} (scaled from {d.points}: deductions capped at 100)")
        for d, p in zip(deductions, floors, strict=True)
        if p > 0
    ]


def practice_score(deductions: Sequence[Deduction]) -> int:
    """Return 100 minus the deductions (which `cap_total` keeps within 100)."""
    return 100 - sum(d.points for d in deductions)


def linear_points(value: float, floor: float, target: float, max_points: int) -> int:
    """Map a metric linearly: at or above target costs 0, at or below floor costs all."""
    if target == floor:
        return 0 if value >= target else max_points
    share = (value - floor) / (target - floor)
    share = min(1.0, max(0.0, share))
    return round(max_points * (1 - share))


def overall(scores: Mapping[str, int], weights: Mapping[str, float]) -> int | None:
    """Return the weighted mean of the scored practices, or None if none is scored."""
    total_weight = sum(weights.get(k, 1.0) for k in scores)
    if not scores or total_weight <= 0:
        return None
    value = sum(score * weights.get(k, 1.0) for k, score in scores.items()) / total_weight
    return round(value)
