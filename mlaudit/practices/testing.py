"""Provides the rules of the `testing` practice."""

from __future__ import annotations
