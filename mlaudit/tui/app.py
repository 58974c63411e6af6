"""Provides the Textual app (being written)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.options import AuditOptions


def run_app(root: Path, options: AuditOptions) -> int:
    """Run the app on `root`; return the exit code."""
    raise NotImplementedError
