"""Provides the second core for large audits: rules split across a forked child process.

Parsing cannot be shared between processes cheaply (unpickling a tree costs more than
parsing it), but the rules can: a forked child inherits the project (its per-file facts, or
its parsed trees on a repository too small for the fact layer) copy-on-write, runs about
half of the practices and sends back their plain results. The pipe carries only mlaudit's own result objects,
pickled by the child mlaudit forked; nothing from the audited repository is unpickled.
Used only from a single-threaded process on POSIX (the CLI), never inside the app.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")

# Rough relative cost of each practice: its rules and capabilities, CPU seconds on
# scikit-learn 1.9.1 with facts from the workers or the cache, the mean of a cold audit and one
# after a one-file edit (security includes the secret sweep and the history scan, which its
# rules start); used only to balance the split.
PRACTICE_COST = {
    "security": 0.07,
    "testing": 0.055,
    "functions": 0.052,
    "reproducibility": 0.027,
    "dependencies": 0.022,
    "interfaces": 0.015,
    "performance": 0.013,
    "layout": 0.01,
    "logging": 0.008,
    "typing": 0.008,
    "production": 0.005,
}
# Testing's call graph and reproducibility's randomness scan share each file's scan.
TOGETHER = (frozenset({"testing", "reproducibility"}),)
# Below this the fork costs more than it saves; from about 10,000 lines it saves a fifth (yolov5: 1.9 s -> 1.6 s).
MIN_CODE_LINES = 5_000


def can_fork(jobs: int) -> bool:
    """Return True when a child process may be forked safely here."""
    return jobs > 1 and hasattr(os, "fork") and threading.active_count() == 1


def split_by_practice(practices: Sequence[str]) -> tuple[set[str], set[str]]:
    """Split practices into two groups of about equal cost (greedy, largest first).

    Practices that share a costly fact (`TOGETHER`) stay on one side, so it is computed once.
    """
    wanted = set(practices)
    units = [frozenset(group) & wanted for group in TOGETHER]
    units += [frozenset({key}) for key in sorted(wanted) if not any(key in unit for unit in units)]
    groups: tuple[set[str], set[str]] = (set(), set())
    load = [0.0, 0.0]
    for unit in sorted((u for u in units if u), key=lambda u: (-_cost(u), sorted(u))):
        side = 0 if load[0] <= load[1] else 1
        groups[side].update(unit)
        load[side] += _cost(unit)
    return groups


def _cost(practices: frozenset[str]) -> float:
    return sum(PRACTICE_COST.get(key, 1.0) for key in practices)


class Child(Generic[T]):
    """A forked child computing one result; only the process that forked it may wait for it or end it."""

    def __init__(self, pid: int, read_end: int) -> None:
        self.pid = pid
        self.read_end = read_end
        self.owner = os.getpid()
        self.done = False

    def join(self) -> T | None:
        """Wait for the result; None when the child failed, or when asked from another process (a later fork)."""
        if self.done or os.getpid() != self.owner:
            return None
        self.done = True
        with os.fdopen(self.read_end, "rb") as source:
            payload = source.read()
        os.waitpid(self.pid, 0)
        if not payload:
            return None
        # mlaudit: ignore[SEC008] the payload is our own forked child's results, never data from the audited repo
        result: T = pickle.loads(payload)
        return result

    def kill(self) -> None:
        """End the child now and reap it, unless its result was already taken (a stop, or a result not needed)."""
        if self.done or os.getpid() != self.owner:
            return
        self.done = True
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(self.pid, 0)
        os.close(self.read_end)


def start_child(work: Callable[[], T]) -> Child[T]:
    """Fork a child that computes `work()`; `join()` on the handle waits for its result.

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
    return Child(pid, read_end)
