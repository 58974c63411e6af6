"""Provides the rules of the `security` practice: leaked secrets, unsafe loading, personal data."""

from __future__ import annotations
