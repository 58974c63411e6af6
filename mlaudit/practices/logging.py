"""Provides the rules of the `logging` practice."""

from __future__ import annotations
