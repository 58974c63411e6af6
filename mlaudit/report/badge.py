"""Provides the badge view of a Report (being written)."""

from __future__ import annotations

from mlaudit.model import Report


def render(report: Report) -> str:
    """Return the badge form of the report."""
    raise NotImplementedError
