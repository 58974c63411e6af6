"""Provides CapabilityList: a practice's capabilities with points earned and evidence, and the score sum."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from mlaudit.model import CapabilityScore, PracticeScore, Report, Status


def capability_text(practice: PracticeScore, report: Report | None = None) -> Text:
    """Return the capability list of a practice: `✓ 20/20 Tests run in CI  .github/...`, then the sum."""
    text = Text()
    if practice.status is not Status.SCORED:
        return text
    if practice.capabilities:
        text.append("Capabilities", style="bold")
        text.append(f"  (earned {practice.earned} of 100 with evidence)", style="dim")
        for cap in practice.capabilities:
            text.append("\n")
            text.append_text(_line(cap))
    text.append(f"\nScore {practice.score} = earned {practice.earned} - deducted {practice.deducted}", style="bold")
    if report is not None and report.cap_note and any(f.caps_grade for f in report.findings_for(practice.key)):
        text.append(f"\nOverall grade {report.cap_note}", style="bold red")
    return text


def _line(cap: CapabilityScore) -> Text:
    mark, style = ("✓", "green") if cap.earned == cap.points else ("✗", "red") if not cap.earned else ("~", "yellow")
    line = Text(f" {mark} ", style=f"bold {style}")
    line.append(f"{cap.earned:>2}/{cap.points:<3}", style="bold")
    line.append(cap.title)
    line.append(f"  {cap.evidence}", style="" if cap.earned else "dim italic")
    return line


class CapabilityList(Static):
    """The capabilities of one practice: earned points, evidence or what is missing."""

    DEFAULT_CSS = """
    CapabilityList {
        height: auto;
        margin-top: 1;
    }
    """

    def __init__(self, practice: PracticeScore, report: Report | None = None, **kwargs: str | None) -> None:
        super().__init__(capability_text(practice, report), **kwargs)  # type: ignore[arg-type]
