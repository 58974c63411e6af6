"""Child processes run in their own group and die with it: on timeout and on kill_all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mlaudit.tools import children
from mlaudit.tools.pipaudit import subprocess_runner

# A child that starts a grandchild (as pip-audit and pytest do), writes the grandchild's pid, and hangs.
SPAWNER = (
    "import subprocess, sys, time, pathlib\n"
    "g = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
    "pathlib.Path(sys.argv[1]).write_text(str(g.pid))\n"
    "time.sleep(60)\n"
)


def alive(pid: int) -> bool:
    """Return True while `pid` runs (a zombie counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_for_pid(path: Path) -> int:
    for _ in range(500):
        if path.is_file() and path.read_text():
            return int(path.read_text())
        time.sleep(0.01)
    raise AssertionError("the child never started its grandchild")


def test_timeout_kills_the_child_and_its_grandchild(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    started = time.monotonic()
    with pytest.raises(subprocess.TimeoutExpired):
        subprocess_runner([sys.executable, "-c", SPAWNER, str(pid_file)], tmp_path, 1.0)
    assert time.monotonic() - started < 5
    grandchild = wait_for_pid(pid_file)
    time.sleep(0.1)
    assert not alive(grandchild) and children.running() == 0


def test_kill_all_ends_a_running_group_within_half_a_second(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    proc = children.start([sys.executable, "-c", SPAWNER, str(pid_file)], tmp_path, dict(os.environ))
    grandchild = wait_for_pid(pid_file)
    started = time.monotonic()
    assert children.kill_all() >= 1
    proc.wait(timeout=0.5)
    while alive(grandchild) and time.monotonic() - started < 0.5:
        time.sleep(0.01)
    assert not alive(grandchild) and time.monotonic() - started < 0.5
    children.finished(proc)


def test_a_closed_terminal_kills_the_running_test_group(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    script = (
        "import os, signal, sys, time\n"
        "from pathlib import Path\n"
        "from mlaudit.tools import children\n"
        "from mlaudit.tui.app import _on_hangup\n"
        "signal.signal(signal.SIGHUP, _on_hangup)\n"
        f"children.start([sys.executable, '-c', {SPAWNER!r}, {str(pid_file)!r}], Path('.'), dict(os.environ))\n"
        "time.sleep(60)\n"
    )
    app = subprocess.Popen([sys.executable, "-c", script], cwd=tmp_path)
    grandchild = wait_for_pid(pid_file)
    app.send_signal(signal.SIGHUP)
    app.wait(timeout=5)
    started = time.monotonic()
    while alive(grandchild) and time.monotonic() - started < 0.5:
        time.sleep(0.01)
    assert not alive(grandchild) and app.returncode == -signal.SIGHUP


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_tool_dies_with_the_process_that_started_it_even_when_that_one_is_killed(tmp_path: Path) -> None:
    """A forked audit SIGKILLed before it could end its tools (past the grace period) leaves no test run behind."""
    pid_file = tmp_path / "pid"
    tool = "import os, pathlib, sys, time\npathlib.Path(sys.argv[1]).write_text(str(os.getpid()))\ntime.sleep(60)\n"
    script = (
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "from mlaudit.tools import children\n"
        f"children.start([sys.executable, '-c', {tool!r}, {str(pid_file)!r}], Path('.'), dict(os.environ))\n"
        "time.sleep(60)\n"
    )
    starter = subprocess.Popen([sys.executable, "-c", script], cwd=tmp_path)
    started_tool = wait_for_pid(pid_file)
    starter.kill()
    starter.wait(timeout=5)
    deadline = time.monotonic() + 5
    while alive(started_tool) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not alive(started_tool)
