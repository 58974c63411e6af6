"""Provides the comparison of a report with an earlier one: score deltas and new or fixed findings.

Findings are matched by (rule, path, message) as a multiset, never by line, so code that
merely moved is neither new nor fixed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from mlaudit.model import Finding, Report

FindingKey = tuple[str, str | None, str]


@dataclass(frozen=True)
class PracticeDelta:
    """One practice's score before and after (None when it was not scored)."""

    key: str
    number: int
    title: str
    before: int | None
    after: int | None

    @property
    def delta(self) -> int | None:
        """Return after minus before, or None when either side is unscored."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class Comparison:
    """What changed between a base report and the current one."""

    before: int | None
    after: int | None
    before_grade: str | None
    after_grade: str | None
    practices: tuple[PracticeDelta, ...]
    new: tuple[Finding, ...]
    fixed: tuple[Finding, ...]

    @property
    def delta(self) -> int | None:
        """Return the overall score change, or None when either side is unscored."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def changed(self) -> tuple[PracticeDelta, ...]:
        """Return the practices whose score moved, biggest move first."""
        moved = [p for p in self.practices if p.delta]
        return tuple(sorted(moved, key=lambda p: (-abs(p.delta or 0), p.number)))


def finding_key(finding: Finding) -> FindingKey:
    """Return the identity of a finding across runs: rule, path and message, not line."""
    return (finding.rule, finding.path, finding.message)


def compare(report: Report, base: Report) -> Comparison:
    """Return the score deltas and the new and fixed findings of `report` against `base`."""
    current = [f for f in report.findings if f.counts]
    earlier = [f for f in base.findings if f.counts]
    return Comparison(
        before=base.score,
        after=report.score,
        before_grade=base.grade,
        after_grade=report.grade,
        practices=_practice_deltas(report, base),
        new=_unmatched(current, earlier),
        fixed=_unmatched(earlier, current),
    )


def _practice_deltas(report: Report, base: Report) -> tuple[PracticeDelta, ...]:
    before = {p.key: p.score for p in base.practices}
    return tuple(PracticeDelta(p.key, p.number, p.title, before.get(p.key), p.score) for p in report.practices)


def _unmatched(findings: Iterable[Finding], others: Iterable[Finding]) -> tuple[Finding, ...]:
    """Return the findings left over once each of `others` has cancelled one equal-keyed finding."""
    available = Counter(finding_key(f) for f in others)
    left: list[Finding] = []
    for finding in findings:
        key = finding_key(finding)
        if available[key] > 0:
            available[key] -= 1
        else:
            left.append(finding)
    return tuple(left)


def summary_line(comparison: Comparison, limit: int = 6) -> str:
    """Return a one-line summary such as `+3 logging, -5 security: 1 new finding, 2 fixed`."""
    moves = [f"{p.delta:+d} {p.key}" for p in comparison.changed[:limit]]
    if len(comparison.changed) > limit:
        moves.append(f"and {len(comparison.changed) - limit} more")
    counts = f"{_plural(len(comparison.new), 'new finding')}, {len(comparison.fixed)} fixed"
    return f"{', '.join(moves) or 'no score change'}: {counts}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
