"""Provides the rules of the `security` practice."""

from __future__ import annotations
