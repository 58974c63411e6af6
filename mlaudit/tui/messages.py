"""Provides the messages the scan worker posts to the app; the worker never touches widgets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from mlaudit.model import Report, Severity

if TYPE_CHECKING:
    from mlaudit.engine import Progress


class ScanProgress(Message):
    """Scan `scan` moved on: a stage, how far along it is, and what it is doing."""

    def __init__(self, scan: int, progress: Progress) -> None:
        super().__init__()
        self.scan = scan
        self.progress = progress


class ScanFinished(Message):
    """Scan `scan` produced a report."""

    def __init__(self, scan: int, report: Report, seconds: float) -> None:
        super().__init__()
        self.scan = scan
        self.report = report
        self.seconds = seconds


class ScanCancelled(Message):
    """Scan `scan` stopped because the user cancelled it."""

    def __init__(self, scan: int) -> None:
        super().__init__()
        self.scan = scan


class ScanFailed(Message):
    """Scan `scan` stopped on an error; `error` is one line for a notification."""

    def __init__(self, scan: int, error: str) -> None:
        super().__init__()
        self.scan = scan
        self.error = error


class OpenPractice(Message):
    """Show one practice (or every finding when `practice` is None), optionally pre-filtered or one rule only."""

    def __init__(
        self,
        practice: str | None,
        filter_text: str = "",
        severity: Severity | None = None,
        focus_filter: bool = False,
        rule: str | None = None,
        capability: str | None = None,
    ) -> None:
        super().__init__()
        self.practice = practice
        self.filter_text = filter_text
        self.severity = severity
        self.focus_filter = focus_filter
        self.rule = rule
        self.capability = capability
