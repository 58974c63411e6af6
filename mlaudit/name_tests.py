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
        self.hits: set[str] = set()  # the names of `known` that match

    def __call__(self, name: str) -> bool:
        """Return True when the pattern matches `name`."""
        known = self.known.get(name)
        if known is None:
            if len(self.known) >= MAX_REMEMBERED:
                self.known.clear()
                self.hits.clear()
            known = self.known[name] = self.test(name) is not None
            if known:
                self.hits.add(name)
        return known

    def matching(self, names: set[str]) -> set[str]:
        """Return the names of a set the pattern matches: set operations on the remembered answers, and a test
        of each name not seen before only (a file's thousands of identifiers are mostly known)."""
        found = names & self.hits
        found.update(name for name in names.difference(self.known) if self(name))
        return found
