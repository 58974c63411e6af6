"""Provides `NameTest`: a regex test of identifiers, answered once per distinct identifier.

Extractors test every call name or every identifier of a file against a pattern; the same few
thousand names recur across a repository, so each is matched once per process.
"""

from __future__ import annotations

import re

MAX_REMEMBERED = 100_000  # a huge repository does not grow the table without end


class NameTest:
    """Return whether `pattern` finds (`search`) or starts (`match`) in a name, remembered per name."""

    def __init__(self, pattern: re.Pattern[str], *, anchored: bool = False) -> None:
        self.test = pattern.match if anchored else pattern.search
        self.known: dict[str, bool] = {}

    def __call__(self, name: str) -> bool:
        """Return True when the pattern matches `name`."""
        known = self.known.get(name)
        if known is None:
            if len(self.known) >= MAX_REMEMBERED:
                self.known.clear()
            known = self.known[name] = self.test(name) is not None
        return known
