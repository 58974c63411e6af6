"""Provides the plain terminal summary: scores, grades and the top findings, via rich."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from mlaudit.model import CapabilityScore, Finding, PracticeScore, Report, Severity, Status
from mlaudit.present import severity_counts, status_label
from mlaudit.redact import visible_report
from mlaudit.report.ranking import Fix, ranked_fixes

GRADE_STYLE = {"A": "bold green", "B": "green", "C": "yellow", "D": "dark_orange", "F": "bold red"}
EVIDENCE_WIDTH = 110
SEVERITY_STYLE = {
    Severity.CRITICAL: "bold red",
    Severity.ERROR: "red",
    Severity.WARNING: "yellow",
    Severity.INFO: "blue",
}


def summary(report: Report, top: int = 10) -> RenderableType:
    """Return a renderable summary of the report (control characters from the repository made visible)."""
    report = visible_report(report)
    parts: list[RenderableType] = [_headline(report), _practice_table(report)]
    if any(p.capabilities for p in report.practices):
        parts.append(_capabilities_table(report))
    fixes = ranked_fixes(report)
    if fixes:
        parts.append(_fixes_table(fixes[:5], len(fixes)))
    findings = top_findings(report, top)
    if findings:
        parts.append(_findings_table(findings, len([f for f in report.findings if f.counts])))
    muted = [f for f in report.findings if not f.counts]
    if muted:
        parts.append(_suppressed_line(muted))
    if report.not_checked:
        parts.append(
            Text("Not checked: " + "; ".join(f"{n.check} ({n.reason})" for n in report.not_checked), style="dim")
        )
    if report.skipped:
        shown = "; ".join(f"{s.path}: {s.reason}" for s in report.skipped[:5])
        more = f" (+{len(report.skipped) - 5} more)" if len(report.skipped) > 5 else ""
        parts.append(Text(f"Skipped {len(report.skipped)} file(s): {shown}{more}", style="dim"))
    return Group(*parts)


def render(report: Report, console: Console, top: int = 10) -> None:
    """Print the summary to a console."""
    console.print(summary(report, top))


def _headline(report: Report) -> Text:
    text = Text()
    text.append(f"mlaudit {report.project_name}", style="bold")
    if report.git is not None and report.git.commit:
        dirty = " (dirty)" if report.git.dirty else ""
        text.append(f"  {report.git.branch or 'detached'}@{report.git.commit[:8]}{dirty}", style="dim")
    text.append("\nOverall: ")
    if report.score is None:
        text.append("not scored", style="dim")
    else:
        text.append(f"{report.grade} {report.score}/100", style=GRADE_STYLE.get(report.grade or "F", ""))
        if report.cap_note:
            text.append(f"  ({report.cap_note})", style="bold red")
        if report.lifted_note:
            text.append(f"  ({report.lifted_note})", style="dim")
    text.append(f"  ({report.scored_note})", style="dim")
    if report.incomplete:
        text.append(f"  ({report.incomplete})", style="bold yellow")
    if report.kind is not None:
        text.append(f"\nKind: {report.kind.kind}", style="bold")
        text.append(f" ({'; '.join(report.kind.evidence)})" if report.kind.evidence else "", style="dim")
    counts = ", ".join(f"{n} {kind}" for kind, n in report.files.items())
    text.append(f"\nFiles: {counts or 'none'}", style="dim")
    return text


def _practice_table(report: Report) -> Table:
    table = Table(title=None, show_edge=False, pad_edge=False)
    table.add_column("#", justify="right")
    table.add_column("Practice")
    table.add_column("Score", justify="right")
    table.add_column("Grade")
    table.add_column("Earned - deducted", justify="right")
    table.add_column("Findings", justify="right")
    for practice in report.practices:
        table.add_row(
            str(practice.number),
            practice.title,
            *_score_cells(practice),
            _sum_cell(practice),
            _counts(report, practice.key),
        )
    return table


def _sum_cell(practice: PracticeScore) -> str:
    """Return `earned - deducted` of a scored practice (it equals the score)."""
    if practice.status is not Status.SCORED:
        return ""
    return f"{practice.earned} - {practice.deducted}"


def _capabilities_table(report: Report) -> Table:
    title = "Capabilities: what is missing or partly in place (points earned / available)"
    table = Table(title=title, show_edge=False, pad_edge=False)
    table.add_column("Practice")
    table.add_column("Capability")
    table.add_column("Points", justify="right")
    table.add_column("Evidence, or what is missing", overflow="fold")
    for practice in report.practices:
        if practice.status is not Status.SCORED or not practice.capabilities:
            continue
        rows = [_capability_cells(cap) for cap in practice.capabilities if cap.earned < cap.points]
        done = [cap for cap in practice.capabilities if cap.earned == cap.points]
        if done:
            points = sum(cap.points for cap in done)
            titles = Text(", ".join(cap.title for cap in done), style="dim")
            rows.append((Text(f"✓ {len(done)} in place", style="green"), f"{points}/{points}", titles))
        for i, row in enumerate(rows):
            table.add_row(practice.title if i == 0 else "", *row)
    return table


def _capability_cells(cap: CapabilityScore) -> tuple[Text, str, Text]:
    mark, style = ("✓", "green") if cap.earned == cap.points else ("✗", "red") if not cap.earned else ("~", "yellow")
    evidence = cap.evidence if len(cap.evidence) <= EVIDENCE_WIDTH else cap.evidence[: EVIDENCE_WIDTH - 1] + "…"
    return (
        Text(f"{mark} {cap.title}", style=style),
        f"{cap.earned}/{cap.points}",
        Text(evidence, style="" if cap.earned else "dim"),
    )


def _score_cells(practice: PracticeScore) -> tuple[Text, Text]:
    if practice.status is Status.SCORED and practice.score is not None:
        style = GRADE_STYLE.get(practice.grade or "F", "")
        return Text(str(practice.score), style=style), Text(practice.grade or "", style=style)
    return Text(status_label(practice), style="dim"), Text(practice.status_reason or "", style="dim")


def _counts(report: Report, key: str) -> str:
    by = severity_counts(report.findings_for(key))
    critical = f"{by[Severity.CRITICAL]}C " if by[Severity.CRITICAL] else ""
    return f"{critical}{by[Severity.ERROR]}E {by[Severity.WARNING]}W {by[Severity.INFO]}I"


def _fixes_table(fixes: list[Fix], total: int) -> Table:
    table = Table(title=f"Top fixes ({len(fixes)} of {total}, by points gained)", show_edge=False, pad_edge=False)
    table.add_column("Gain", justify="right")
    table.add_column("Practice")
    table.add_column("Why", overflow="fold")
    for fix in fixes:
        table.add_row(f"+{fix.points}", fix.practice.title, _fix_why(fix))
    return table


def _fix_why(fix: Fix) -> Text:
    """Return a rule fix's reasons, or `add: <capability> (earned/points): what is missing`."""
    if fix.capability is None:
        return Text("; ".join(fix.reasons))
    cap = fix.capability
    return Text.assemble((fix.name, "bold"), f" ({cap.earned}/{cap.points}): {cap.evidence}")


def top_findings(report: Report, limit: int) -> list[Finding]:
    """Return the most important counting findings: by severity, then report order."""
    ranked = sorted(
        (f for f in report.findings if f.counts),
        key=lambda f: -f.severity.rank,
    )
    return ranked[:limit]


def _suppressed_line(muted: list[Finding]) -> Text:
    """Name the suppressed findings and their reasons: they cost nothing but stay visible."""
    shown = "; ".join(f"{f.rule} at {f.location} ({f.suppressed})" for f in muted[:5])
    more = f" (+{len(muted) - 5} more)" if len(muted) > 5 else ""
    noun = "finding" if len(muted) == 1 else "findings"
    return Text(f"Suppressed {len(muted)} {noun} (no points lost): {shown}{more}", style="dim")


def _findings_table(findings: list[Finding], total: int) -> Table:
    table = Table(title=f"Top findings ({len(findings)} of {total})", show_edge=False, pad_edge=False)
    table.add_column("Rule")
    table.add_column("Where", overflow="fold")
    table.add_column("What", overflow="fold")
    for f in findings:
        what = Text.assemble(f.message, "\n", (f"fix: {f.fix}", "dim"))
        table.add_row(Text(f.rule, style=SEVERITY_STYLE[f.severity]), Text(f.location), what)
    return table
