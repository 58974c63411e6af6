"""Provides the rules of the `functions` practice."""

from __future__ import annotations
