"""Provides the child processes mlaudit starts (pip-audit, the opt-in test run), each in its own process group.

Every child runs in a new session, so `kill_all` can end it and everything it started
(pytest workers, pip-audit's own subprocesses) at once: on cancel, on quit, on SIGHUP.
On Linux a child also dies with the process that started it (`PR_SET_PDEATHSIG`): a forked audit
killed before it could end its tools (SIGKILL after the grace period) leaves no test run behind.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

_LOCK = threading.Lock()
_LIVE: set[subprocess.Popen[str]] = set()
_GROUPS: set[int] = set()  # forked audit processes (mlaudit.background), each leading its own group


PR_SET_PDEATHSIG = 1


@functools.cache
def _prctl() -> Callable[..., int] | None:
    """Return libc's prctl on Linux, resolved in this process before the first fork (loading a library after fork
    is unsafe) and only when a tool starts, so the app's first frame does not pay for ctypes."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        prctl: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return prctl


def _dies_with(parent: int) -> Callable[[], None] | None:
    """Return the step a child runs before exec to get SIGKILL when `parent` dies (None where unsupported)."""
    prctl = _prctl()
    if prctl is None:
        return None

    def setup() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before the line above took effect
            os._exit(1)

    return setup


def start(args: Sequence[str], cwd: Path, env: dict[str, str], **kwargs: Any) -> subprocess.Popen[str]:
    """Start `args` in a new process group, tracked until `finished`; on Linux it dies with this process.

    Raises OSError."""
    proc: subprocess.Popen[str] = subprocess.Popen(
        list(args),
        cwd=cwd,
        env=env,
        text=True,
        start_new_session=True,
        preexec_fn=_dies_with(os.getpid()),  # noqa: PLW1509 - it calls only prctl and getppid, resolved before fork
        **kwargs,
    )
    with _LOCK:
        _LIVE.add(proc)
    return proc


def finished(proc: subprocess.Popen[str]) -> None:
    """Stop tracking a child that has exited."""
    with _LOCK:
        _LIVE.discard(proc)


def kill_group(proc: subprocess.Popen[str]) -> None:
    """Kill a child and every process in its group."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError):
            proc.kill()


def adopt_group(pgid: int) -> None:
    """Track a forked audit's process group, so `kill_all` ends it too."""
    with _LOCK:
        _GROUPS.add(pgid)


def release_group(pgid: int) -> None:
    """Stop tracking a forked audit's process group that has ended."""
    with _LOCK:
        _GROUPS.discard(pgid)


def groups() -> tuple[int, ...]:
    """Return the forked audits' process groups being tracked."""
    with _LOCK:
        return tuple(sorted(_GROUPS))


def kill_all() -> int:
    """Kill every tracked child's process group; return how many there were.

    A forked audit's group gets SIGTERM, so the audit first ends the tools it started in their
    own sessions; the thread reading it sends SIGKILL if it lingers.
    """
    with _LOCK:
        live = list(_LIVE)
        audits = list(_GROUPS)
    for proc in live:
        if proc.poll() is None:
            kill_group(proc)
    for pgid in audits:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGTERM)
    return len(live) + len(audits)


def running() -> int:
    """Return how many tracked children are still running."""
    with _LOCK:
        return sum(1 for proc in _LIVE if proc.poll() is None)


def communicate(proc: subprocess.Popen[str], timeout: float) -> tuple[str, str]:
    """Wait for `proc` at most `timeout` seconds; on timeout kill its group and re-raise TimeoutExpired."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as err:
        kill_group(proc)
        out, errout = proc.communicate()
        raise subprocess.TimeoutExpired(err.cmd, timeout, out, errout) from None
    finally:
        if proc.poll() is not None:
            finished(proc)
    return out or "", err or ""
