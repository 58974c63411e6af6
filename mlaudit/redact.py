"""Provides redaction: the only form in which a found secret may appear in any output."""

from __future__ import annotations


def redact(secret: str) -> str:
    """Return a redacted form such as `sk-p…(51 chars)`: a short prefix and the length.

    The prefix is at most 4 characters and never more than a quarter of the value, so a
    short secret shows less.
    """
    value = secret.strip()
    shown = min(4, len(value) // 4)
    return f"{value[:shown]}…({len(value)} chars)"
