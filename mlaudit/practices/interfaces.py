"""Provides the rules of the `interfaces` practice."""

from __future__ import annotations
