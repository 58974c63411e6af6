"""Provides the rules of the `production` practice."""

from __future__ import annotations
