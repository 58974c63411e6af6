"""Provides the presentation core every view shares: counts, labels, colours, points, fix gains, identity.

Below the views and free of Textual and Rich: the app, the plain summary and the markdown
scorecard ask here instead of recomputing the same numbers in their own way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from mlaudit.model import CapabilityScore, Finding, NotChecked, PracticeScore, Report, Severity, Status
from mlaudit.report.ranking import capability_gain, ranked_fixes

SEVERITY_LABEL = {Severity.CRITICAL: "crit", Severity.ERROR: "error", Severity.WARNING: "warn", Severity.INFO: "info"}
SEVERITY_COLOUR = {
    Severity.CRITICAL: "error",
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "primary",
}
_PERCENT_WORDS = ("share", "coverage", "ratio", "rate", "fraction")


@dataclass(frozen=True)
class FixGain:
    """One rule's deductions, or one missing capability, in one practice and what fixing it gains.

    `rule` is empty for a capability fix; `capability` is then its key, and `name` reads `add: <title>`.
    """

    practice: str
    practice_title: str
    rule: str
    practice_points: int
    overall_points: float
    reason: str
    findings: int
    capability: str | None = None
    capability_title: str = ""

    @property
    def name(self) -> str:
        """Return the rule code, or `add: <capability title>` for a missing capability."""
        return self.rule if self.capability is None else f"add: {self.capability_title}"

    @property
    def measured(self) -> bool:
        """Return True when a rule's deduction comes from a measurement, not from findings."""
        return self.capability is None and self.findings == 0

    @property
    def gain_label(self) -> str:
        """Return `+2.5 overall · +28 Dependencies` (both scales, labelled)."""
        return f"+{self.overall_points:.1f} overall · +{self.practice_points} {self.practice_title}"


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


def status_label(practice: PracticeScore) -> str:
    """Return `n/a` or `not checked` for a practice without a score."""
    return "n/a" if practice.status is Status.NOT_APPLICABLE else "not checked"


def status_text(practice: PracticeScore) -> str:
    """Return how a practice without a score reads: `n/a (reason)` or `not checked (reason)`."""
    label = status_label(practice)
    return f"{label} ({practice.status_reason})" if practice.status_reason else label


def format_metric(key: str, value: float | int | str | None) -> str:
    """Return `annotation coverage: 63 %` style text for a practice metric."""
    name = key.replace("_", " ")
    if value is None:
        return f"{name}: n/a"
    if key.endswith("_pct") and isinstance(value, int | float):
        return f"{name.removesuffix(' pct')}: {value:.0f} %"
    if isinstance(value, float) and any(word in key for word in _PERCENT_WORDS) and 0 <= value <= 1:
        return f"{name}: {value * 100:.0f} %"
    if isinstance(value, float):
        return f"{name}: {value:.2f}".rstrip("0").rstrip(".")
    return f"{name}: {value}"


def rule_points(report: Report, practice: str, rule: str) -> int:
    """Return the points fixing every finding of `rule` would gain in `practice`: its deductions, or for
    a rule that restates a missing capability (and so deducts nothing), what putting that capability
    in place gains."""
    deducted = sum(d.points for d in report.practice(practice).deductions if d.rule == rule)
    if deducted:
        return deducted
    capability = pricing_capability(report, practice, rule)
    return 0 if capability is None else capability_gain(report, report.practice(practice), capability)


def pricing_capability(report: Report, practice: str, rule: str) -> CapabilityScore | None:
    """Return the practice's missing capability whose absence `rule` restates (it prices the rule), if any."""
    doc = report.rule_doc(rule)
    if doc is None or doc.restates is None or doc.practice != practice:
        return None
    scored = report.practice(practice)
    return next((c for c in scored.capabilities if c.key == doc.restates and c.missing > 0), None)


def restating_rules(report: Report, practice: str, capability: str) -> frozenset[str]:
    """Return the codes of the practice's rules that report the absence of `capability`."""
    return frozenset(d.code for d in report.rules if d.practice == practice and d.restates == capability)


def overall_gain(report: Report, practice: str, points: int) -> float:
    """Return how many overall points raising `practice` by `points` (capped at 100) would gain."""
    scored = [p for p in report.practices if p.score is not None]
    total_weight = sum(p.weight for p in scored)
    target = report.practice(practice)
    if target.score is None or total_weight <= 0:
        return 0.0
    return target.weight * (min(100, target.score + points) - target.score) / total_weight


def fix_gains(report: Report) -> list[FixGain]:
    """Return the ranked fixes (report/ranking.py) with their practice and overall gains."""
    counted = Counter((f.practice, f.rule) for f in report.findings if f.counts)
    return [
        FixGain(
            fix.practice.key,
            fix.practice.title,
            fix.rule,
            fix.points,
            overall_gain(report, fix.practice.key, fix.points),
            "; ".join(fix.reasons),
            counted[(fix.practice.key, fix.rule)] if fix.capability is None else 0,
            fix.capability.key if fix.capability is not None else None,
            fix.capability.title if fix.capability is not None else "",
        )
        for fix in ranked_fixes(report)
    ]


def cost_order(report: Report, findings: Sequence[Finding]) -> list[Finding]:
    """Return findings sorted by the points they cost (their rule's deductions, or the missing capability
    that prices the rule), then severity, then place."""
    points = {key: rule_points(report, *key) for key in {(f.practice, f.rule) for f in findings if f.counts}}

    def key(f: Finding) -> tuple[int, int, int, str, str, int, int]:
        cost = points.get((f.practice, f.rule), 0) if f.counts else -1
        return (-cost, -f.severity.rank, f.suppressed is not None, f.rule, f.path or "", f.cell or 0, f.line or 0)

    return sorted(findings, key=key)


def worst_files(findings: Iterable[Finding], limit: int = 5) -> list[tuple[str, int]]:
    """Return the files with the most counted findings, most first."""
    counts = Counter(f.path for f in findings if f.counts and f.path is not None)
    return [(str(path), n) for path, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


def not_checked_for(report: Report, practice: str | None = None) -> list[NotChecked]:
    """Return the checks that could not run: all of them, or those of one practice."""
    return [n for n in report.not_checked if practice is None or n.practice == practice]


def not_checked_text(item: NotChecked) -> str:
    """Return `pip_audit: not checked (offline)` with a human check name."""
    return f"{human_check(item.check)}: not checked ({item.reason})"


def human_check(check: str) -> str:
    """Return the name a user knows a tool by (`pip_audit` -> `pip-audit`)."""
    return {"pip_audit": "pip-audit", "coverage": "coverage", "complexity": "complexity", "git": "git"}.get(
        check, check
    )


def finding_id(finding: Finding) -> str:
    """Return a stable identity of a finding across rescans (its fingerprint, else rule and place)."""
    return finding.fingerprint or f"{finding.rule}|{finding.location}|{finding.message}"


def score_deltas(before: Report, after: Report) -> dict[str, int]:
    """Return the change of each practice's score (and of `overall`) between two reports, non-zero only."""
    old: Mapping[str, int | None] = {p.key: p.score for p in before.practices}
    deltas = {
        p.key: p.score - (old.get(p.key) or 0)
        for p in after.practices
        if p.score is not None and old.get(p.key) is not None and p.score != old.get(p.key)
    }
    if before.score is not None and after.score is not None and before.score != after.score:
        deltas["overall"] = after.score - before.score
    return deltas
