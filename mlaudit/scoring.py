"""Provides scoring: pure functions from capabilities, findings and metrics to scores and grade.

A practice earns the points of the capabilities it shows evidence for, then its rules' findings
deduct from that: the first finding costs the rule's weight, later ones approach the rule's cap
geometrically. `density` rules count per 1,000 code lines once a repository is larger than
that, `flat` rules count every finding, `measured` rules deduct what their metric costs.
Repository-level findings are never density-scaled.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from mlaudit.model import CAP_GRADE, SCORING_VERSION, Deduction, Severity

SCORING_MODES = ("density", "flat", "measured")
DENSITY_UNIT = 1000
"""Code lines per density unit: a density rule's count is per this many lines above it."""
CRITICAL_PRACTICE_MAX = 20
STAND_IN_CEILING = 75  # the most capabilities that have nothing to apply to lift a practice to (a C)
"""The most a practice with a counting critical finding can score."""
CAPPED_OVERALL_MAX = 69
"""The most the overall score can be while a critical finding counts (grade D)."""
DEFAULT_WEIGHT = {Severity.CRITICAL: 40, Severity.ERROR: 15, Severity.WARNING: 8, Severity.INFO: 0}
DEFAULT_CAP = {Severity.CRITICAL: 80, Severity.ERROR: 40, Severity.WARNING: 25, Severity.INFO: 0}
GRADES = ((90, "A"), (80, "B"), (70, "C"), (60, "D"))


STEP_COPIES_NOTE = "in other course-step folders, counted once"


@dataclass(frozen=True)
class RuleTally:
    """How many counting findings of one severity a rule produced; `repo_level` of them have no path."""

    rule: str
    title: str
    severity: Severity
    count: int
    weight: int
    cap: int
    mode: str = "density"
    repo_level: int = 0
    step_copies: int = 0  # more findings, copies of counted ones in other course-step folders


def grade(score: float) -> str:
    """Return the letter grade for a 0-100 score."""
    for floor, letter in GRADES:
        if score >= floor:
            return letter
    return "F"


def effective_count(count: float, code_lines: int, mode: str = "density", repo_level: int = 0) -> float:
    """Return the count that scores: located findings of a density rule per 1,000 code lines
    once the code exceeds 1,000 lines; flat rules and repository-level findings count as is."""
    located = count - repo_level
    kloc = code_lines / DENSITY_UNIT
    if mode == "density" and kloc > 1:
        return located / kloc + repo_level
    return float(count)


def rule_points(
    weight: int, cap: int, count: float, code_lines: int = 0, mode: str = "density", repo_level: int = 0
) -> int:
    """Return the points a rule's findings cost: `weight` first, approaching `cap`."""
    if count <= 0 or weight <= 0 or cap <= 0:
        return 0
    weight = min(weight, cap)
    n = effective_count(count, code_lines, mode, repo_level)
    points = cap * (1 - math.pow(1 - weight / cap, n))
    return max(1, min(cap, round(points)))


def tally_deductions(tallies: Iterable[RuleTally], code_lines: int) -> list[Deduction]:
    """Turn per-rule finding counts into deductions (rules that cost nothing are left out)."""
    deductions: list[Deduction] = []
    for t in tallies:
        n = effective_count(t.count, code_lines, t.mode, t.repo_level)
        points = rule_points(t.weight, t.cap, t.count, code_lines, t.mode, t.repo_level)
        if points <= 0:
            continue
        noun = "finding" if t.count == 1 else "findings"
        density = ""
        if n != t.count:
            density = f", {n:.1f} per 1,000 code lines"
        how = f"{t.mode}, weight {min(t.weight, t.cap)}, cap {t.cap}"
        copy = "copy" if t.step_copies == 1 else "copies"
        copies = f" (+{t.step_copies} {copy} {STEP_COPIES_NOTE})" if t.step_copies else ""
        reason = f"{t.rule} {t.title}: {t.count} {t.severity.value} {noun}{copies}{density} ({how})"
        deductions.append(Deduction(t.rule, points, reason, t.mode, min(t.weight, t.cap), t.cap))
    return deductions


def cap_total(deductions: Sequence[Deduction], limit: int = 100) -> list[Deduction]:
    """Scale deductions down so they sum to at most `limit` (the points earned), keeping the sum exact."""
    limit = max(0, limit)
    total = sum(d.points for d in deductions)
    if total <= limit:
        return list(deductions)
    shares = [d.points * limit / total for d in deductions]
    floors = [math.floor(s) for s in shares]
    remainder = limit - sum(floors)
    order = sorted(range(len(shares)), key=lambda i: (floors[i] - shares[i], i))
    for i in order[:remainder]:
        floors[i] += 1
    return [
        Deduction(
            d.rule,
            p,
            f"{d.reason} (scaled from {d.points}: deductions capped at the {limit} points earned)",
            d.mode,
            d.weight,
            d.cap,
        )
        for d, p in zip(deductions, floors, strict=True)
        if p > 0
    ]


def scale_to_earned(deductions: Sequence[Deduction], earned: int) -> list[Deduction]:
    """Scale deductions by `earned`/100: flaws weigh in proportion to what is in place.

    The scaled points keep an exact sum (largest remainders get the rounding), so the score stays
    exactly `earned` minus the listed deductions.
    """
    if earned >= 100 or not deductions:
        return list(deductions)
    products = [d.points * earned for d in deductions]
    target = (sum(products) + 50) // 100
    floors = [p // 100 for p in products]
    order = sorted(range(len(products)), key=lambda i: (-(products[i] % 100), i))
    for i in order[: target - sum(floors)]:
        floors[i] += 1
    note = f" (x{earned / 100:.2f}: weighed by the {earned} points earned)"
    return [
        Deduction(d.rule, p, d.reason + note, d.mode, d.weight, d.cap)
        for d, p in zip(deductions, floors, strict=True)
        if p > 0
    ]


def practice_score(deductions: Sequence[Deduction], earned: int = 100) -> int:
    """Return the points earned minus the deductions (which `cap_total` keeps within `earned`)."""
    return earned - sum(d.points for d in deductions)


def earned_points(points: int, share: float) -> int:
    """Return the points a capability earns: its points times the share of it in place."""
    return round(points * min(1.0, max(0.0, share)))


def critical_floor(score: int, rule: str, location: str) -> Deduction | None:
    """Return the extra deduction that brings a practice with a critical finding down to 20."""
    extra = score - CRITICAL_PRACTICE_MAX
    if extra <= 0:
        return None
    reason = f"{rule} critical finding at {location}: the practice is capped at {CRITICAL_PRACTICE_MAX}"
    return Deduction(rule, extra, reason, "flat", None, None)


def practice_deductions(
    raw: Sequence[Deduction], earned: int, critical: tuple[str, str] | None = None
) -> list[Deduction]:
    """Return a practice's final deductions: weighed by and within the points earned, and with a
    critical finding (rule, location) bringing the score down to 20. Score = earned - their sum."""
    deductions = cap_total(scale_to_earned(cap_total(raw), earned), earned)
    if critical is not None:
        extra = critical_floor(practice_score(deductions, earned), *critical)
        if extra is not None:
            deductions.append(extra)
    return deductions


def capped_overall(score: int, critical: bool) -> int:
    """Return the overall score, at most 69 (grade D) while a critical finding counts."""
    return min(score, CAPPED_OVERALL_MAX) if critical else score


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


def rule_scoring_line(mode: str, weight: int, cap: int) -> str:
    """Return one sentence saying how a rule's findings cost points (for `--explain` and docs)."""
    if mode == "measured":
        return "Scoring: measured - the metric deducts linearly between a floor and a target."
    if weight <= 0 or cap <= 0:
        return "Scoring: advice only - its findings cost no points."
    more = "approach" if weight < cap else "stay at"
    first = f"the first finding costs {weight} points, more {more} the cap of {cap}"
    if mode == "flat":
        return f"Scoring: flat - {first}; every finding counts, whatever the size of the code."
    return (
        f"Scoring: density - {first}; findings are counted per {DENSITY_UNIT:,} code lines once the "
        f"code is larger than that (repository-level findings count as they are)."
    )


def how_scores_work() -> str:
    """Return README's "How scores work" section, rendered from the scoring constants."""
    weights = ", ".join(f"{s.value} {DEFAULT_WEIGHT[s]}" for s in Severity)
    caps = " / ".join(str(DEFAULT_CAP[s]) for s in Severity if DEFAULT_CAP[s])
    grades = ", ".join(f"{letter} >= {floor}" for floor, letter in GRADES)
    from mlaudit.facts.kind import KINDS  # imported here: the facts import the scoring types

    kinds = ", ".join(KINDS)
    text = f"""Scoring version {SCORING_VERSION}. Each practice lists the capabilities an expert looks for,
worth points that sum to 100 (for tests: tests are collected, run in CI, assert, reach the
data and model code...). A capability earns its points only with positive evidence in the
repository (a file and line, a config key, a CI step); nothing flagged earns nothing. Then
the practice's findings deduct from what it earned: a rule's first finding costs its weight
(by default {weights}), further ones approach its cap ({caps}), and flaws weigh in
proportion to what is in place (a practice that earned 60 points loses 60% of that). A rule
that only reports a missing capability ("no type checker") costs nothing more: the unearned
points price the absence once. Each rule
declares how it counts: `density` rules (pervasive habits) count per {DENSITY_UNIT:,} code lines
once the code is larger than that, `flat` rules (discrete events such as a committed secret)
count every finding, and `measured` rules (coverage, pinned share) deduct linearly between a
floor and a target. Repository-level findings are never density-scaled. The same finding in
copies of one project kept per course step (`week_1/`, `week_2/`) counts once. Deductions never
exceed the points earned, so a practice's score is exactly its earned points minus its
deductions, and every report shows both. While a practice has no capabilities defined it
starts from 100. Having nothing to do is not doing it well: capabilities credited only because
they do not apply (code that trains nothing has no run to seed, track or version) lift their
practice to {STAND_IN_CEILING} at most, and say so in their evidence.

A `critical` finding (a live credential, unpickling request data, an exposed debugger) brings
its practice down to {CRITICAL_PRACTICE_MAX} or less and caps the overall score at
{CAPPED_OVERALL_MAX} (grade {CAP_GRADE}); the report names the finding next to the grade. A
suppression with a reason lifts the cap and stays listed. A practice with nothing to judge
(no service, no numeric code) is n/a, with the reason, and left out of the overall score,
which is the weighted mean of the scored practices: {grades}, else F.
`mlaudit --explain CODE` shows how one rule scores.

Expectations follow the kind of project, which every report shows with its evidence
({kinds}; a `profile` overrides it). A published library is right to declare version ranges
(a constraints or lock file its CI installs with earns the pinning points), may print behind a
`verbose` flag, and leaves training runs to its users: its `fit` methods and training loops
are their runs, so tracking, determinism and data versions are judged on its own scripts,
notebooks and commands.
"""
    paragraphs = [textwrap.fill(" ".join(p.split()), width=92) for p in text.split("\n\n")]
    return "## How scores work\n\n" + "\n\n".join(paragraphs) + "\n"
