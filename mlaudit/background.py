"""Provides `start`: the app's first audit, forked before the app starts, in a process of its own.

The app runs its audits in a thread, beside Textual: there the engine shares the GIL with the
UI and never uses the second core (`parallel.can_fork` refuses in a threaded process). When
`mlaudit PATH` starts, the process is still single-threaded, so it forks the first audit then.
The child waits until the app says go (`Audit.receive`, after the first paint: loading the
engine beside the paint slowed it on a busy machine), then looks the tree up in the report
cache: a stored report is replayed without loading the engine or the rules; otherwise it
audits the way the CLI does (its own fork for half the practices on a large project). It
streams progress and each practice's score, then the Report, over a pipe; the app's scan
thread only reads.

The child leads its own process group: a stop (`children.kill_all`, cancel, quit, hangup) sends
SIGTERM, which ends the tools it started, then the child. It stops by itself when the app is
gone. The pipe carries only mlaudit's own objects, pickled by the child mlaudit forked;
nothing from the audited repository is unpickled. Where no fork is possible the app audits
in its thread as before, and so do rescans.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from mlaudit.options import AuditOptions
from mlaudit.tools import children

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from mlaudit.engine import Progress, ProgressCallback
    from mlaudit.model import Report

PROGRESS_INTERVAL = 0.05
POLL_SECONDS = 0.05
GRACE_SECONDS = 0.3


class AuditFailed(RuntimeError):
    """The audit in the child failed; the message is one line for the user."""


class Throttled:
    """Forward progress to `post` at most every `interval` seconds, plus every stage change and stage end.

    A practice's score and the start of each tool (which may take long, so the label must name
    the right one) are always forwarded.
    """

    def __init__(self, post: Callable[[Progress], object], interval: float = PROGRESS_INTERVAL) -> None:
        self.post = post
        self.interval = interval
        self.stage = ""
        self.last = 0.0

    def __call__(self, progress: Progress) -> None:
        """Post this step if enough time passed or the stage changed or ended."""
        now = time.monotonic()
        if progress.practice is not None or progress.stage == "tools":
            self.stage = progress.stage
            self.post(progress)
            return
        if progress.stage != self.stage or progress.done >= progress.total or now - self.last >= self.interval:
            self.stage, self.last = progress.stage, now
            self.post(progress)


def can_start() -> bool:
    """Return True when this process may fork an audit safely (POSIX, one thread)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def start(root: Path, options: AuditOptions) -> Audit | None:
    """Fork a child that audits `root` now; None where that is not possible (the caller audits itself)."""
    if not can_start():
        return None
    pipes: list[int] = []
    try:
        pipes.extend(os.pipe())  # results: child -> app
        pipes.extend(os.pipe())  # go: app -> child
        pid = os.fork()
    except OSError:
        for fd in pipes:
            os.close(fd)
        return None
    read_fd, write_fd, go_read, go_write = pipes
    if pid == 0:  # pragma: no cover - runs in the child, measured by the parent's tests
        os.close(read_fd)
        os.close(go_write)
        _child(root, options, write_fd, go_read, os.getppid())
    os.close(write_fd)
    os.close(go_read)
    children.adopt_group(pid)
    return Audit(pid, read_fd, go_write)


class Audit:
    """An audit running in a forked child: read its progress and Report, or stop it."""

    def __init__(self, pid: int, results: int, go: int) -> None:
        """`results`: the pipe the child writes to, read once `receive` runs (its reader loads then)."""
        self.pid = pid
        self.started = time.monotonic()
        self._results: int | None = results
        self._connection: Connection | None = None
        self._go: int | None = go
        self._ended = False
        self._gone = False

    def go(self) -> None:
        """Let the child start the audit."""
        if self._go is not None:
            with contextlib.suppress(OSError):  # the child is gone: `receive` reports it
                os.write(self._go, b"g")
            self._close_go()

    def _close_go(self) -> None:
        if self._go is not None:
            os.close(self._go)
            self._go = None

    def receive(self, progress: ProgressCallback, should_stop: Callable[[], bool]) -> Report:
        """Pass on the child's progress until its Report arrives; the child has ended when this returns.

        Raises Cancelled (when `should_stop()`), EmptyTree or AuditFailed, like `engine.audit`.
        """
        self.started = time.monotonic()
        self.go()
        from multiprocessing.connection import Connection  # here, in the scan thread: not before the first paint

        from mlaudit.project import Cancelled  # not the engine: the app does not need it to show this audit

        finished = False
        try:
            if self._results is None:
                raise AuditFailed("the audit process was already stopped")
            connection = self._connection = Connection(self._results, writable=False)
            self._results = None
            while True:
                if should_stop():
                    raise Cancelled
                if not connection.poll(POLL_SECONDS):
                    continue
                try:
                    # mlaudit: ignore[SEC008] our own forked child's messages, never data from the audited repo
                    kind, value = connection.recv()
                except (EOFError, OSError):
                    raise AuditFailed(f"the audit process ended unexpectedly ({self._exit_text()})") from None
                if kind == "progress":
                    progress(value)
                    continue
                finished = True
                if kind == "report":
                    report: Report = value
                    return report
                if kind == "empty":
                    from mlaudit.engine import EmptyTree

                    raise EmptyTree(value)
                raise AuditFailed(value)
        finally:
            self.end(stop=not finished)

    def end(self, stop: bool = True) -> None:
        """Stop the child (SIGTERM: it ends its tools; SIGKILL after a grace period) and reap it."""
        if self._ended:
            return
        self._ended = True
        self._close_go()  # a child still waiting to start reads end-of-file and exits
        if self._connection is not None:
            self._connection.close()
        elif self._results is not None:
            os.close(self._results)
        self._results = None
        if stop and not self._gone:
            _signal_group(self.pid, signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        while not self._gone and not _reaped(self.pid):
            if time.monotonic() >= deadline:
                _signal_group(self.pid, signal.SIGKILL)
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(self.pid, 0)
                break
            time.sleep(0.005)
        children.release_group(self.pid)

    def _exit_text(self) -> str:
        """Return how the child ended (it closed the pipe without a result, so it is exiting)."""
        deadline = time.monotonic() + GRACE_SECONDS
        while True:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                return "already reaped"
            if pid:
                self._gone = True  # reaped here: `end` must not signal a pid that may be reused
                return f"exit code {os.waitstatus_to_exitcode(status)}"
            if time.monotonic() >= deadline:
                return "still running"
            time.sleep(0.005)


def _reaped(pid: int) -> bool:
    try:
        done, _status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return done != 0


def _signal_group(pid: int, signum: signal.Signals) -> None:
    try:
        os.killpg(pid, signum)
    except (ProcessLookupError, PermissionError):  # not yet its own group leader, or gone
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signum)


def _child(  # pragma: no cover - child
    root: Path, options: AuditOptions, write_fd: int, go_fd: int, parent: int
) -> None:
    """Audit in the child: own session, no terminal, tools ended on SIGTERM, results sent over the pipe."""
    try:
        os.setsid()
        _detach_from_terminal()
        signal.signal(signal.SIGTERM, _terminated)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C belongs to the app
        from multiprocessing.connection import Connection

        connection = Connection(write_fd, readable=False)
        # Nothing more until the app's first frame is on screen: on a busy machine this process would slow it.
        if os.read(go_fd, 1):  # end of file: the app ended (or audits itself) before saying go
            _audit_and_send(root, options, connection, lambda: os.getppid() != parent)
    finally:
        children.kill_all()
        os._exit(0)


def _detach_from_terminal() -> None:  # pragma: no cover - child
    """Point stdin, stdout and stderr at /dev/null: the app owns the terminal."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)


def _audit_and_send(  # pragma: no cover - child
    root: Path, options: AuditOptions, connection: Connection, orphaned: Callable[[], bool]
) -> None:
    """Send ("progress", p)..., then ("report", r), ("empty", why) or ("failed", why)."""
    progress = Throttled(lambda p: connection.send(("progress", p)))
    try:
        connection.send(_outcome(root, options, progress, orphaned))
    except Exception as err:  # noqa: BLE001 - every failure becomes one line for the app
        connection.send(("failed", one_line(err)))
    finally:
        connection.close()


def _outcome(  # pragma: no cover - child
    root: Path, options: AuditOptions, progress: Throttled, orphaned: Callable[[], bool]
) -> tuple[str, Report | str]:
    """Return ("report", the stored report, replayed) or the engine's ("report", r) or ("empty", why).

    A stored report needs neither the engine nor the rules: they load only when the tree must be audited.
    """
    from mlaudit import cache
    from mlaudit.progress import Progress

    progress(Progress("discover", 0, 1, str(root)))
    found = cache.lookup(root, options)
    if found.report is not None:
        return "report", cache.replay(found.report, progress)
    from mlaudit.engine import EmptyTree, audit

    try:
        return "report", audit(root, options, progress=progress, should_stop=orphaned, looked_up=found)
    except EmptyTree as err:
        return "empty", str(err)


def _terminated(_signum: int, _frame: FrameType | None) -> None:  # pragma: no cover - child
    children.kill_all()
    os._exit(1)


def one_line(err: Exception) -> str:
    """Return one line a user understands for a failed audit (no exception class for OS errors)."""
    if isinstance(err, OSError) and err.strerror:
        return f"{err.strerror}: {err.filename}" if err.filename else err.strerror
    return f"{type(err).__name__}: {err}"
