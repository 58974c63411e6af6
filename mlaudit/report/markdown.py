"""Provides the markdown view of a Report (being written)."""

from __future__ import annotations

from mlaudit.model import Report


def render(report: Report, base: Report | None = None) -> str:
    """Return the markdown form of the report."""
    raise NotImplementedError
