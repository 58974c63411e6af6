"""Provides the rules of the `reproducibility` practice: every used source of randomness seeded, one typed config.

The per-source, per-entry-point analysis of randomness lives in `_randomness.py`."""

from __future__ import annotations
