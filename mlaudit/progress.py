"""Provides `Progress`, one step of an audit, and the progress line: one self-overwriting line on a
terminal's stderr while an audit runs.

It shows counts and practice titles only (never a path or any text of the audited tree), is
written at most every `INTERVAL` seconds plus at each stage change, and is erased at the end,
so the report that follows starts on a clean line. It is silent when the stream is not a terminal.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from mlaudit.practices import PRACTICES

if TYPE_CHECKING:
    from types import TracebackType

    from mlaudit.model import PracticeScore

INTERVAL = 0.1


@dataclass(frozen=True)
class Progress:
    """One progress step: the stage, how far along it is, and what is being done.

    Stage `scored` carries a provisional `practice` score as soon as that practice's rules
    have run (before suppressions are applied); the Report has the final ones. It lives here,
    not in the engine, so the app can read a forked audit's steps without loading the engine.
    """

    stage: str
    done: int
    total: int
    detail: str = ""
    practice: PracticeScore | None = None


_TITLES = {p.key: p.title for p in PRACTICES}
_TOOLS = {
    "pip_audit": "Checking dependencies with pip-audit",
    "coverage": "Reading test coverage",
    "git_history": "Reading git history",
    "complexity": "Measuring complexity",
}


def is_terminal(stream: object) -> bool:
    """Return True when `stream` is an interactive terminal."""
    try:
        return bool(stream is not None and stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False


def describe(step: Progress) -> str | None:
    """Return the line for one progress step in words a user knows, or None to keep the current line."""
    if step.stage == "discover":
        return "Finding files"
    if step.stage == "parse":
        return f"Parsing files {step.done}/{step.total}"
    if step.stage == "tools":
        return _TOOLS.get(step.detail, f"Running {step.detail.replace('_', ' ')}")
    if step.stage == "secrets":
        return "Scanning for secrets"
    if step.stage == "rules":
        practice = _TITLES.get(step.detail.split(":", 1)[0], "")
        return f"Checking practices (rule {step.done}/{step.total}) · {practice}".rstrip(" ·")
    if step.stage == "scored":
        return f"Practices done {step.done}/{step.total} · {_TITLES.get(step.detail, step.detail)}"
    if step.stage == "done":
        return "Scoring"
    return None


class ProgressLine:
    """A progress callback that redraws one line of `stream` with `\\r`; use it as a context manager."""

    def __init__(self, stream: TextIO, interval: float = INTERVAL) -> None:
        self.stream = stream
        self.interval = interval
        self.stage = ""
        self.last = 0.0
        self.shown = 0

    def __call__(self, step: Progress) -> None:
        """Redraw the line for this step if the stage changed or enough time passed."""
        now = time.monotonic()
        if step.stage == self.stage and now - self.last < self.interval:
            return
        text = describe(step)
        if text is None:
            return
        self.stage, self.last = step.stage, now
        self._write(text)

    def clear(self) -> None:
        """Erase the line (nothing is written if nothing was shown)."""
        if self.shown:
            self._emit("\r" + " " * self.shown + "\r")
        self.shown = 0

    def __enter__(self) -> ProgressLine:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.clear()

    def _write(self, text: str) -> None:
        width = max(shutil.get_terminal_size((80, 24)).columns - 1, 10)
        text = text[:width]
        if self._emit("\r" + text.ljust(min(self.shown, width))):
            self.shown = max(self.shown, len(text))

    def _emit(self, text: str) -> bool:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            return False
        return True
