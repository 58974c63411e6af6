"""Provides the markdown scorecard of a Report for GitHub (PR comments, step summaries), with optional deltas.

Text that comes from the audited repository (paths, messages) goes through `escape`, so it can
neither break a table nor inject markup, links or @mentions. The scorecard summarises (fewer
rows, "and N more") until it fits GitHub's comment limit; it never cuts a table short.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from mlaudit.model import CapabilityScore, Finding, PracticeScore, Report, Severity, Status
from mlaudit.present import severity_counts, status_label
from mlaudit.redact import visible
from mlaudit.report.compare import Comparison, compare, summary_line
from mlaudit.report.ranking import Fix, ranked_fixes, scoring_label
from mlaudit.scoring import STEP_COPIES_NOTE

GITHUB_COMMENT_LIMIT = 65_536
MAX_CHARS = 60_000
"""Budget below GitHub's limit, leaving room for a wrapper comment header."""

_BACKSLASHED = "\\*_~$"
_ENTITIES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "|": "&#124;",
    "`": "&#96;",
    "[": "&#91;",
    "]": "&#93;",
    "#": "&#35;",
    "@": "@&#8203;",
}
_TABLE = str.maketrans({**{c: "\\" + c for c in _BACKSLASHED}, **_ENTITIES})
_BREAKS = re.compile(r"[\r\n\t\v\f\x85\u2028\u2029]+")
_AUTOLINK = re.compile(r"(?i)\b(www)\.|(://)")


def escape(text: str, limit: int | None = None) -> str:
    """Return `text` as inert inline markdown: one line, no tables, code, links, HTML or mentions."""
    flat = visible(_BREAKS.sub(" ", text)).strip()
    if limit is not None and len(flat) > limit:
        flat = flat[: max(limit - 1, 0)].rstrip() + "…"
    return _AUTOLINK.sub(_unlink, flat.translate(_TABLE))


def _unlink(match: re.Match[str]) -> str:
    """Break `www.` and `scheme://` with a zero-width space so GitHub does not autolink them."""
    return f"{match.group(1)}&#8203;." if match.group(1) else ":&#8203;//"


def row(*cells: str) -> str:
    """Return one table row from already-escaped cells."""
    return "| " + " | ".join(cells) + " |"


def table(header: Iterable[str], rows: Iterable[Iterable[str]], align: str = "") -> list[str]:
    """Return a markdown table; `align` gives one of l/r per column (default left)."""
    names = list(header)
    marks = [("---:" if a == "r" else "---") for a in align.ljust(len(names), "l")]
    return [row(*names), row(*marks), *(row(*r) for r in rows)]


@dataclass(frozen=True)
class Limits:
    """How many rows each summarised section may show, and how long a message may be."""

    findings: int
    changes: int
    fixes: int
    notes: int
    message: int


LEVELS = (
    Limits(findings=300, changes=100, fixes=15, notes=20, message=300),
    Limits(findings=100, changes=50, fixes=10, notes=10, message=200),
    Limits(findings=25, changes=20, fixes=10, notes=5, message=160),
    Limits(findings=0, changes=5, fixes=5, notes=3, message=120),
)


def render(report: Report, base: Report | None = None) -> str:
    """Return the markdown scorecard; with `base`, add deltas and new/fixed findings."""
    comparison = compare(report, base) if base is not None else None
    text = ""
    for limits in LEVELS:
        text = _render(report, comparison, limits)
        if len(text) <= MAX_CHARS:
            break
    return text


def _render(report: Report, comparison: Comparison | None, limits: Limits) -> str:
    blocks = [
        _headline(report, comparison),
        _practice_table(report, comparison),
        _capabilities(report, limits),
        _changes(comparison, limits),
        _top_fixes(report, limits),
        _not_checked(report, limits),
        _all_findings(report, limits),
        _legend(report),
    ]
    return "\n\n".join("\n".join(b) for b in blocks if b) + "\n"


def _headline(report: Report, comparison: Comparison | None) -> list[str]:
    lines = [f"## mlaudit scorecard: {escape(report.project_name) or 'repository'}", ""]
    overall = "not scored" if report.score is None else f"{report.grade} {report.score}/100"
    if report.incomplete:
        overall += f" ({escape(report.incomplete)})"
    delta = ""
    if comparison is not None and comparison.delta is not None:
        delta = f" ({comparison.delta:+d} since base: {comparison.before_grade} {comparison.before})"
    where = _git_label(report)
    lines.append(f"**Overall: {overall}** ({report.scored_note}){delta}{where}")
    if report.cap_note:
        lines.extend(["", f"**Grade {escape(report.cap_note)}** (a critical finding counts)."])
    if report.lifted_note:
        lines.extend(["", f"_{escape(report.lifted_note)}_"])
    if report.kind is not None:
        why = f": {escape('; '.join(report.kind.evidence), 300)}" if report.kind.evidence else ""
        lines.extend(["", f"Project kind: **{escape(report.kind.kind)}**{why}"])
    lines.extend(["", _finding_counts(report)])
    return lines


def _git_label(report: Report) -> str:
    git = report.git
    if git is None or not git.commit:
        return ""
    dirty = ", uncommitted changes" if git.dirty else ""
    return f" · {escape(git.branch or 'detached')} @ {escape(git.commit[:8])}{dirty}"


def _finding_counts(report: Report) -> str:
    counting = [f for f in report.findings if f.counts]
    by = Counter(f.severity for f in counting)
    shown = [s for s in Severity if s is not Severity.CRITICAL or by[s]]
    parts = [_plural(by[s], s.value) if s is not Severity.INFO else f"{by[s]} info" for s in shown]
    text = f"{_plural(len(counting), 'finding')}: {', '.join(parts)}"
    baselined = sum(1 for f in counting if f.baselined)
    if baselined:
        text += f", {baselined} of them in the baseline"
    muted = len(report.findings) - len(counting)
    if muted:
        text += f" (plus {muted} suppressed)"
    files = sum(report.files.values())
    return f"{text} · {_plural(files, 'file')} audited"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _practice_table(report: Report, comparison: Comparison | None) -> list[str]:
    header = ["#", "Practice", "Score", "Grade"]
    align = "rlrl"
    if comparison is not None:
        header.append("Δ")
        align += "r"
    header += ["Earned", "Deducted", "Critical", "Errors", "Warnings", "Info", "Notes"]
    align += "rrrrrrl"
    deltas = {p.key: p.delta for p in comparison.practices} if comparison is not None else {}
    rows = [_practice_row(report, p, comparison is not None, deltas.get(p.key)) for p in report.practices]
    return table(header, rows, align)


def _practice_row(report: Report, practice: PracticeScore, with_delta: bool, delta: int | None) -> list[str]:
    cells = [str(practice.number), escape(practice.title), *_score_cells(practice)]
    if with_delta:
        cells.append("" if delta is None else f"{delta:+d}" if delta else "0")
    scored = practice.status is Status.SCORED
    cells += [str(practice.earned) if scored else "–", str(practice.deducted) if scored else "–"]
    counts = severity_counts(report.findings_for(practice.key))
    cells += [str(counts[s]) for s in (Severity.CRITICAL, Severity.ERROR, Severity.WARNING, Severity.INFO)]
    cells.append(_practice_note(report, practice))
    return cells


def _score_cells(practice: PracticeScore) -> tuple[str, str]:
    if practice.status is Status.SCORED and practice.score is not None:
        return str(practice.score), practice.grade or ""
    return status_label(practice), "–"


def _practice_note(report: Report, practice: PracticeScore) -> str:
    if practice.status is Status.NOT_APPLICABLE:
        return "n/a: " + escape(practice.status_reason or "nothing to judge", 160)
    if practice.status is Status.NOT_CHECKED:
        return "not checked: " + escape(practice.status_reason or "no reason given", 160)
    skipped = [n.check for n in report.not_checked if n.practice == practice.key]
    if skipped:
        return "not checked: " + escape(", ".join(skipped), 160)
    return ""


def _capabilities(report: Report, limits: Limits) -> list[str]:
    scored = [p for p in report.practices if p.status is Status.SCORED and p.capabilities]
    if not scored:
        return []
    earned = sum(c.earned for p in scored for c in p.capabilities)
    points = sum(c.points for p in scored for c in p.capabilities)
    rows = [_capability_row(p, c, limits.message) for p in scored for c in p.capabilities]
    summary = f"<summary>Capabilities: {earned} of {points} points earned with evidence</summary>"
    header = ["Practice", "Capability", "Earned", "Evidence, or what is missing"]
    return ["<details>", summary, "", *table(header, rows, "llr"), "", "</details>"]


def _capability_row(practice: PracticeScore, cap: CapabilityScore, width: int) -> list[str]:
    mark = "✓" if cap.earned == cap.points else "✗" if not cap.earned else "~"
    return [
        escape(practice.title, 60),
        f"{mark} {escape(cap.title, 120)}",
        f"{cap.earned}/{cap.points}",
        escape(cap.evidence, width),
    ]


def _changes(comparison: Comparison | None, limits: Limits) -> list[str]:
    if comparison is None:
        return []
    lines = ["### Changes since base", "", escape(summary_line(comparison))]
    for title, found in (("New findings", comparison.new), ("Fixed findings", comparison.fixed)):
        if found:
            lines += ["", f"**{title}** ({len(found)})", "", *_finding_table(found, limits.changes, limits.message)]
    return lines


def _finding_table(found: tuple[Finding, ...] | list[Finding], limit: int, width: int) -> list[str]:
    shown = found[:limit]
    rows = [[_severity_cell(f), f.rule, escape(f.location, 200), escape(f.message, width)] for f in shown]
    lines = table(["Severity", "Rule", "Location", "Message"], rows)
    if len(found) > len(shown):
        lines += ["", f"… and {len(found) - len(shown)} more."]
    return lines


def _severity_cell(finding: Finding) -> str:
    return f"{finding.severity.value} (baselined)" if finding.baselined else finding.severity.value


def _top_fixes(report: Report, limits: Limits) -> list[str]:
    fixes = ranked_fixes(report)
    if not fixes:
        return []
    shown = fixes[: limits.fixes]
    rows = [_fix_row(report, fix, limits.message) for fix in shown]
    lines = ["### Top fixes by points gained", "", *table(["Gain", "Practice", "Rule", "Findings", "Fix"], rows, "r")]
    if len(fixes) > len(shown):
        rest = sum(f.points for f in fixes[len(shown) :])
        lines += ["", f"… and {len(fixes) - len(shown)} more fixes, worth {rest} practice points together."]
    return lines


def _fix_row(report: Report, fix: Fix, width: int) -> list[str]:
    if fix.capability is not None:
        return _capability_fix_row(fix, fix.capability, width)
    doc = report.rule_doc(fix.rule)
    found = [f for f in report.findings if f.rule == fix.rule and f.counts]
    reason = "; ".join(fix.reasons)
    title = doc.title if doc is not None else reason
    where = f"{_plural(len(found), 'finding')}, e.g. {found[0].location}" if found else reason
    if found and STEP_COPIES_NOTE in reason:
        where += f" (copies {STEP_COPIES_NOTE})"
    advice = doc.fix if doc is not None else (found[0].fix if found else reason)
    return [
        f"+{fix.points}",
        escape(fix.practice.title),
        f"{fix.rule} {escape(title, 120)} ({escape(scoring_label(fix.practice, fix.rule))})",
        escape(where, 200),
        escape(advice, width),
    ]


def _capability_fix_row(fix: Fix, cap: CapabilityScore, width: int) -> list[str]:
    """Return a missing capability's row: its name and points earned, and what is missing."""
    return [
        f"+{fix.points}",
        escape(fix.practice.title),
        f"{escape(fix.name, 120)} (capability, {cap.earned}/{cap.points} earned)",
        "missing" if not cap.earned else "partly in place",
        escape(cap.evidence, width),
    ]


def _not_checked(report: Report, limits: Limits) -> list[str]:
    lines: list[str] = []
    if report.not_checked:
        lines += ["### Not checked", ""]
        shown = report.not_checked[: limits.notes]
        lines += [f"- {escape(n.check, 120)}: {escape(n.reason, limits.message)}" for n in shown]
        if len(report.not_checked) > len(shown):
            lines.append(f"- … and {len(report.not_checked) - len(shown)} more")
    if report.skipped:
        names = ", ".join(escape(s.path, 120) for s in report.skipped[: limits.notes])
        more = f" and {len(report.skipped) - limits.notes} more" if len(report.skipped) > limits.notes else ""
        lines += ["", f"{_plural(len(report.skipped), 'file')} could not be read or parsed: {names}{more}."]
    return lines


def _all_findings(report: Report, limits: Limits) -> list[str]:
    counting = sorted((f for f in report.findings if f.counts), key=lambda f: -f.severity.rank)
    if not counting:
        return []
    if limits.findings == 0:
        return [f"{_plural(len(counting), 'finding')} in total: run `mlaudit --fix-report FILE` for the full list."]
    summary = f"<summary>All {_plural(len(counting), 'finding')}, most severe first</summary>"
    return ["<details>", summary, "", *_finding_table(counting, limits.findings, limits.message), "", "</details>"]


def _legend(report: Report) -> list[str]:
    return [
        "<sub>How scores work: a practice earns the points of the capabilities it shows evidence for, then its "
        "findings deduct from that, weighed by the points earned (score = earned - deducted); a rule that only "
        "reports a missing capability costs nothing more. A rule's first finding costs its weight, more "
        "approach its cap; density rules count per 1,000 code lines in larger repos, flat rules and "
        "repository-level findings count as they are, measured rules deduct linearly between a floor and a "
        "target. A critical finding caps its practice at 20 and the grade at D. Gain = points a practice "
        "recovers when that rule's findings are fixed, or rises by once a missing capability is in place (its "
        "points, less what the deductions grow by as they are weighed by more points earned). "
        "Overall is the weighted mean of scored practices; n/a "
        "and not checked practices are left out. Grades: A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else F. Suppressed "
        f"findings cost nothing; baselined ones still count. mlaudit {escape(report.mlaudit_version)}, scoring "
        f"{escape(report.scoring_version)}, profile {escape(report.profile)}.</sub>",
    ]
