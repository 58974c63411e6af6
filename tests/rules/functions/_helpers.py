"""Provides helpers shared by several test modules of the `functions` rules."""

from __future__ import annotations


def branchy(name: str, branches: int) -> str:
    """Return a function with exactly `branches` if statements (complexity branches + 1)."""
    body = "".join(f"    if x == {i}:\n        y = {i}\n" for i in range(branches))
    return f"def {name}(x):\n    y = 0\n{body}    return y\n"
