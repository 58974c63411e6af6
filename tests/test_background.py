"""The app's first audit, forked before the app starts: same report, scores streamed, a stop ends it all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mlaudit import background
from mlaudit.engine import EmptyTree, Progress
from mlaudit.engine import audit as engine_audit
from mlaudit.options import AuditOptions
from mlaudit.project import Cancelled
from mlaudit.report.json import dumps
from mlaudit.tools import children
from tests.helpers import write_tree
from tests.tools.test_children import alive

SAMPLE = Path(__file__).parent.parent / "sample_projects" / "halfway_there"
OPTIONS = AuditOptions(offline=True, cache=False, history_depth=0)
TRAIN = """import logging

import numpy as np

logger = logging.getLogger(__name__)


def train(epochs: int) -> float:
    rng = np.random.default_rng(0)
    loss = 1.0
    for epoch in range(epochs):
        loss *= rng.uniform(0.8, 0.99)
        print(f"epoch {epoch} loss {loss:.3f}")
    return loss


if __name__ == "__main__":
    train(3)
"""


def never() -> bool:
    return False


def start(root: Path, options: AuditOptions) -> background.Audit:
    audit = background.start(root, options)
    assert audit is not None, f"could not fork here ({threading.active_count()} threads)"
    return audit


def gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    return not alive(pid)


def test_forked_audit_gives_the_in_process_report_and_streams_each_practice_score() -> None:
    seen: list[Progress] = []
    audit = start(SAMPLE, OPTIONS)
    assert children.groups() == (audit.pid,)
    report = audit.receive(seen.append, never)
    assert dumps(report) == dumps(engine_audit(SAMPLE, OPTIONS))
    scored = [p.practice.key for p in seen if p.stage == "scored" and p.practice is not None]
    assert set(scored) == {p.key for p in report.practices if p.score is not None} and len(scored) >= 5
    assert [p.stage for p in seen].index("scored") < [p.stage for p in seen].index("done")
    assert children.groups() == () and not alive(audit.pid)


def test_stop_mid_audit_raises_cancelled_and_the_audit_process_ends() -> None:
    seen: list[Progress] = []
    audit = start(SAMPLE, OPTIONS)
    with pytest.raises(Cancelled):
        audit.receive(seen.append, lambda: any(p.stage == "parse" for p in seen))
    assert all(p.stage != "done" for p in seen)
    assert gone(audit.pid, 2) and children.groups() == ()


def test_kill_all_ends_a_slow_test_run_the_forked_audit_started(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    repo = tmp_path / "repo"
    slow = (
        "import os, pathlib, time\n\n\ndef test_slow():\n"
        f"    pathlib.Path({str(pid_file)!r}).write_text(str(os.getpid()))\n    time.sleep(60)\n"
    )
    write_tree(repo, {"calc.py": "def add(a, b):\n    return a + b\n", "tests/test_calc.py": slow})
    options = AuditOptions(offline=True, cache=False, run_tests=True, python=sys.executable, test_timeout=120)
    audit = start(repo, options)
    stop = threading.Event()

    def kill_when_the_tests_run(_progress: Progress) -> None:
        if pid_file.is_file() and pid_file.read_text() and not stop.is_set():
            children.kill_all()  # what cancel, quit and a closed terminal do
            stop.set()

    def poll() -> bool:
        kill_when_the_tests_run(Progress("poll", 0, 1))
        return stop.is_set()

    with pytest.raises(Cancelled):
        audit.receive(kill_when_the_tests_run, poll)
    tool = int(pid_file.read_text())
    assert gone(tool, 2) and gone(audit.pid, 2) and children.groups() == ()


def test_an_empty_folder_gives_the_plain_empty_tree_message(tmp_path: Path) -> None:
    audit = start(tmp_path, OPTIONS)
    with pytest.raises(EmptyTree) as caught:
        audit.receive(lambda _p: None, never)
    assert str(caught.value) == f"nothing to audit in {tmp_path}: no files found (all ignored, excluded or skipped)"


def test_the_forked_audit_waits_for_go_and_ends_when_the_app_ends_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MLAUDIT_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # an audit would store its report here
    repo = write_tree(tmp_path / "repo", {"calc.py": "def add(a, b):\n    return a + b\n"})
    audit = start(repo, AuditOptions(offline=True, history_depth=0))
    time.sleep(0.5)
    assert alive(audit.pid) and not (tmp_path / "cache").exists()
    audit.end()
    assert gone(audit.pid, 2) and children.groups() == () and not (tmp_path / "cache").exists()


def test_no_fork_from_a_threaded_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert background.start(SAMPLE, OPTIONS) is None
    assert children.groups() == ()


def test_a_failed_fork_leaves_no_open_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    before = set(os.listdir("/proc/self/fd"))
    monkeypatch.setattr(os, "fork", refuse)
    assert background.start(SAMPLE, OPTIONS) is None
    assert set(os.listdir("/proc/self/fd")) == before


def test_the_app_shows_a_forked_audit_without_loading_the_engine() -> None:
    code = (
        "import asyncio, sys\n"
        "from pathlib import Path\n"
        "from mlaudit import background\n"
        "from mlaudit.options import AuditOptions\n"
        "root, options = Path(sys.argv[1]), AuditOptions(offline=True, cache=False, history_depth=0)\n"
        "forked = background.start(root, options)\n"
        "from mlaudit.tui.app import MLAuditApp\n"
        "async def main():\n"
        "    app = MLAuditApp(root, options, first_audit=forked)\n"
        "    async with app.run_test() as pilot:\n"
        "        while app.report is None:\n"
        "            await pilot.pause(0.02)\n"
        "        print(forked is not None, app.report.score, 'mlaudit.engine' in sys.modules)\n"
        "asyncio.run(main())\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(SAMPLE)], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", str(engine_audit(SAMPLE, OPTIONS).score), "False"]


def test_an_audit_process_that_dies_is_a_one_line_failure_not_a_hang() -> None:
    import signal

    audit = start(SAMPLE, OPTIONS)
    os.kill(audit.pid, signal.SIGKILL)
    with pytest.raises(background.AuditFailed) as caught:
        audit.receive(lambda _p: None, never)
    assert str(caught.value) == "the audit process ended unexpectedly (exit code -9)"
    assert children.groups() == ()


OUTCOME = (
    "import json, sys\n"
    "from pathlib import Path\n"
    "from mlaudit import background\n"
    "from mlaudit.options import AuditOptions\n"
    "seen = []\n"
    "options = AuditOptions(offline=True, history_depth=0)\n"
    "kind, report = background._outcome(Path(sys.argv[1]), options, background.Throttled(seen.append), lambda: False)\n"
    "stages = [p.stage for p in seen]\n"
    "print(json.dumps([kind, report.score, 'mlaudit.engine' in sys.modules, stages, seen[-1].detail]))\n"
)


def outcome(repo: Path) -> tuple[str, int | None, bool, list[str], str]:
    """Run the audit process's work in a fresh interpreter: (kind, score, engine loaded, stages, last detail)."""
    out = subprocess.run([sys.executable, "-c", OUTCOME, str(repo)], capture_output=True, text=True, check=True)
    kind, score, engine_loaded, stages, detail = json.loads(out.stdout)
    return kind, score, engine_loaded, stages, detail


def test_the_audit_process_replays_a_stored_report_without_loading_the_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MLAUDIT_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    repo = write_tree(tmp_path / "repo", {"train.py": TRAIN, "README.md": "# churn\n"})
    score = engine_audit(repo, OPTIONS).score
    kind, first_score, engine_loaded, stages, _detail = outcome(repo)  # nothing stored yet: the engine audits
    assert (kind, first_score, engine_loaded) == ("report", score, True)
    assert stages[0] == "discover" and "parse" in stages and stages[-1] == "done"
    kind, stored_score, engine_loaded, stages, detail = outcome(repo)
    assert (kind, stored_score, engine_loaded, detail) == ("report", score, False, "from the cache")
    assert stages == ["discover", *["scored"] * 11, "done"]


def test_the_audit_process_audits_a_changed_tree_with_the_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MLAUDIT_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    repo = write_tree(tmp_path / "repo", {"train.py": TRAIN, "README.md": "# churn\n"})
    outcome(repo)
    (repo / "train.py").write_text(TRAIN.replace("print(", "logger.info("), encoding="utf-8")
    kind, score, engine_loaded, stages, detail = outcome(repo)
    assert (kind, score, engine_loaded) == ("report", engine_audit(repo, OPTIONS).score, True)
    assert "parse" in stages and detail != "from the cache"


def test_the_audit_process_says_an_empty_tree_is_empty(tmp_path: Path) -> None:
    seen: list[Progress] = []
    kind, why = background._outcome(tmp_path, OPTIONS, background.Throttled(seen.append), never)
    assert (kind, why) == (
        "empty",
        f"nothing to audit in {tmp_path}: no files found (all ignored, excluded or skipped)",
    )
    assert [p.stage for p in seen] == ["discover"]
