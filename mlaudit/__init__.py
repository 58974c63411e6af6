"""Provides mlaudit: a static auditor that scores ML repositories against eleven practices."""

from __future__ import annotations

__version__ = "0.1.0"
