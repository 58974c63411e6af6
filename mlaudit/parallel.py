"""Provides the second core for large audits: rules split across a forked child process.

Parsing cannot be shared between processes cheaply (unpickling a tree costs more than
parsing it), but the rules can: after the parent has parsed the project and built its
indexes, a forked child inherits them copy-on-write, runs about half of the practices and
sends back their plain results. The pipe carries only mlaudit's own result objects,
pickled by the child mlaudit forked; nothing from the audited repository is unpickled.
Used only from a single-threaded process on POSIX (the CLI), never inside the app.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

# Rough relative cost of each practice's rules on large code bases (measured on
# scikit-learn and transformers); used only to balance the split.
PRACTICE_COST = {
    "security": 5.0,
    "functions": 3.5,
    "reproducibility": 2.0,
    "performance": 1.5,
    "testing": 1.5,
    "interfaces": 1.0,
    "logging": 1.0,
    "dependencies": 0.8,
    "typing": 0.6,
    "production": 0.5,
    "layout": 0.3,
}
MIN_CODE_LINES = 50_000


def can_fork(jobs: int) -> bool:
    """Return True when a child process may be forked safely here."""
    return jobs > 1 and hasattr(os, "fork") and threading.active_count() == 1


def split_by_practice(practices: Sequence[str]) -> tuple[set[str], set[str]]:
    """Split practices into two groups of about equal cost (greedy, largest first)."""
    groups: tuple[set[str], set[str]] = (set(), set())
    load = [0.0, 0.0]
    for key in sorted(set(practices), key=lambda k: (-PRACTICE_COST.get(k, 1.0), k)):
        side = 0 if load[0] <= load[1] else 1
        groups[side].add(key)
        load[side] += PRACTICE_COST.get(key, 1.0)
    return groups


def start_child(work: Callable[[], T]) -> Callable[[], T | None]:
    """Fork a child that computes `work()`; return a function that waits for its result.

    The result is None when the child failed, so the caller can do the work itself.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, measured by the parent's tests
        os.close(read_end)
        try:
            payload = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
        finally:
            os._exit(0)
    os.close(write_end)

    def join() -> T | None:
        with os.fdopen(read_end, "rb") as source:
            payload = source.read()
        os.waitpid(pid, 0)
        if not payload:
            return None
        # mlaudit: ignore[SEC008] the payload is our own forked child's results, never data from the audited repo
        result: T = pickle.loads(payload)
        return result

    return join
