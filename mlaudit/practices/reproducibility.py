"""Provides the rules of the `reproducibility` practice."""

from __future__ import annotations
