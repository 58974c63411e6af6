"""Provides AuditOptions: everything that tunes an audit, built by the CLI, the app and config."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from mlaudit.config import ConfigSuppression


@dataclass(frozen=True)
class AuditOptions:
    """Everything that tunes an audit; the CLI and the app both build one."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    offline: bool = False
    history_depth: int = 500
    weights: Mapping[str, float] = field(default_factory=dict)
    thresholds: Mapping[str, float] = field(default_factory=dict)
    run_tests: bool = False
    python: str | None = None
    test_timeout: int = 600
    profile: str = "default"
    placeholders: tuple[str, ...] = ()
    suppressions: tuple[ConfigSuppression, ...] = ()
    vulnerability_ignores: tuple[ConfigSuppression, ...] = ()
    """Per-advisory ignores for vulnerable pins (advisory id in `code`), each with an expiry date."""
    baseline: frozenset[str] = frozenset()
    today: dt.date | None = None
    jobs: int = 1
    cache: bool = True
    """Reuse the stored report of an unchanged tree (`mlaudit.cache`); `--no-cache` turns it off."""

    def threshold(self, key: str, default: float) -> float:
        """Return a configured threshold, or the default."""
        return float(self.thresholds.get(key, default))
