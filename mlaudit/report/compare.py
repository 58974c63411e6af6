"""Provides the comparison of a report with an earlier one: score deltas and new or fixed findings.

Findings are matched by fingerprint (rule, path, stable subject), never by line or message, so
code that merely moved or a message whose counts changed is neither new nor fixed. "New" is
the same definition `--fail-on-new` uses (`baseline.new_findings`).
"""

from __future__ import annotations

from dataclasses import dataclass

from mlaudit.baseline import new_findings
from mlaudit.model import Finding, Report


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


def compare(report: Report, base: Report) -> Comparison:
    """Return the score deltas and the new and fixed findings of `report` against `base`."""
    return Comparison(
        before=base.score,
        after=report.score,
        before_grade=base.grade,
        after_grade=report.grade,
        practices=_practice_deltas(report, base),
        new=new_findings(report.findings, base.findings),
        fixed=new_findings(base.findings, report.findings),
    )


def _practice_deltas(report: Report, base: Report) -> tuple[PracticeDelta, ...]:
    before = {p.key: p.score for p in base.practices}
    return tuple(PracticeDelta(p.key, p.number, p.title, before.get(p.key), p.score) for p in report.practices)


def summary_line(comparison: Comparison, limit: int = 6) -> str:
    """Return a one-line summary such as `+3 logging, -5 security: 1 new finding, 2 fixed`."""
    moves = [f"{p.delta:+d} {p.key}" for p in comparison.changed[:limit]]
    if len(comparison.changed) > limit:
        moves.append(f"and {len(comparison.changed) - limit} more")
    counts = f"{_plural(len(comparison.new), 'new finding')}, {len(comparison.fixed)} fixed"
    return f"{', '.join(moves) or 'no score change'}: {counts}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
