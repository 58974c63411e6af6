"""Provides CapabilityList: a practice's capabilities with points earned and evidence, and the score sum."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from mlaudit.model import CapabilityScore, PracticeScore, Report, Status


def capability_text(practice: PracticeScore, report: Report | None = None, marked: str | None = None) -> Text:
    """Return the capability list of a practice: `✓ 20/20 Tests run in CI  .github/...`, then the sum.

    The capability whose key is `marked` (the fix the user chose) comes first, pointed at with `▶` and
    a gain, so it shows at the top of the list even on a small terminal.
    """
    text = Text()
    if practice.status is not Status.SCORED:
        return text
    if practice.capabilities:
        text.append("Capabilities", style="bold")
        text.append(f"  (earned {practice.earned} of 100 with evidence)", style="dim")
        ordered = sorted(practice.capabilities, key=lambda cap: cap.key != marked)  # stable: the rest keep order
        for cap in ordered:
            text.append("\n")
            text.append_text(_line(cap, cap.key == marked))
    text.append(f"\nScore {practice.score} = earned {practice.earned} - deducted {practice.deducted}", style="bold")
    if report is not None and report.cap_note and any(f.caps_grade for f in report.findings_for(practice.key)):
        text.append(f"\nOverall grade {report.cap_note}", style="bold red")
    return text


def _line(cap: CapabilityScore, marked: bool = False) -> Text:
    mark, style = ("✓", "green") if cap.earned == cap.points else ("✗", "red") if not cap.earned else ("~", "yellow")
    line = Text(f"▶{mark} " if marked else f" {mark} ", style=f"bold {style}")
    line.append(f"{cap.earned:>2}/{cap.points:<3}", style="bold")
    line.append(cap.title, style="bold underline" if marked else "")
    if marked and cap.missing:
        line.append(f"  add it: +{cap.missing} points", style="bold")
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

    def __init__(
        self, practice: PracticeScore, report: Report | None = None, marked: str | None = None, **kwargs: str | None
    ) -> None:
        super().__init__(capability_text(practice, report, marked), **kwargs)  # type: ignore[arg-type]
