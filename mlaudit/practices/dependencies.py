"""Provides the rules of the `dependencies` practice."""

from __future__ import annotations
