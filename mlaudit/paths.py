"""Provides `pure_path`: one parsed `PurePosixPath` per repository-relative path, shared by every rule.

Rules ask for a path's name, suffix, parts or parent thousands of times per audit; parsing the
same string into a path each time cost about a tenth of a re-audit after a one-file edit.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import PurePosixPath


@lru_cache(maxsize=1 << 16)
def pure_path(path: str) -> PurePosixPath:
    """Return the POSIX path of a repository-relative path string (parsed once; paths are immutable)."""
    return PurePosixPath(path)
