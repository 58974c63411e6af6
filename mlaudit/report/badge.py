"""Provides the shields.io endpoint badge of a Report: grade and score, coloured by grade."""

from __future__ import annotations

import json

from mlaudit.model import Report

COLOR = {"A": "brightgreen", "B": "green", "C": "yellow", "D": "orange", "F": "red"}
UNSCORED_COLOR = "lightgrey"


def badge_data(report: Report) -> dict[str, str | int]:
    """Return the shields.io endpoint fields, e.g. message `B 84` in green."""
    if report.score is None or report.grade is None:
        return {"schemaVersion": 1, "label": "mlaudit", "message": "not scored", "color": UNSCORED_COLOR}
    scored, total = report.scored
    notes = [f"{scored}/{total} scored"] if scored < total else []
    if report.cap_note:
        notes.append("capped: critical")
    partial = f" ({', '.join(notes)})" if notes else ""
    return {
        "schemaVersion": 1,
        "label": "mlaudit",
        "message": f"{report.grade} {report.score}{partial}",
        "color": COLOR.get(report.grade, UNSCORED_COLOR),
    }


def render(report: Report) -> str:
    """Return the badge as shields.io endpoint JSON text."""
    return json.dumps(badge_data(report), indent=2) + "\n"
