"""Provides the rules of the `typing` practice."""

from __future__ import annotations
