"""Provides the rules of the `performance` practice."""

from __future__ import annotations
