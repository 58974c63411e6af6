"""Tests for the forked rule run on large projects: same report, half the practices in a child."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from mlaudit import parallel
from mlaudit.report import json as json_report
from tests.helpers import git_init, run_audit

SAMPLES = Path(__file__).resolve().parent.parent / "sample_projects"


def test_split_balances_and_covers_every_practice() -> None:
    keys = list(parallel.PRACTICE_COST)
    first, second = parallel.split_by_practice(keys)
    assert first | second == set(keys) and not first & second
    cost = [sum(parallel.PRACTICE_COST[k] for k in group) for group in (first, second)]
    assert abs(cost[0] - cost[1]) <= max(parallel.PRACTICE_COST.values())


def test_forked_run_gives_the_same_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "notebook_chaos"
    shutil.copytree(SAMPLES / "notebook_chaos", repo)
    git_init(repo)
    sequential = json_report.dumps(run_audit(repo, jobs=1))
    started: list[int] = []
    real_start = parallel.start_child

    def counting(work: Callable[[], object]) -> parallel.Child[object]:
        started.append(1)
        return real_start(work)

    monkeypatch.setattr(parallel, "MIN_CODE_LINES", 0)
    monkeypatch.setattr(parallel, "can_fork", lambda jobs: jobs > 1)
    monkeypatch.setattr(parallel, "start_child", counting)
    forked = json_report.dumps(run_audit(repo, jobs=2))
    assert started == [1]
    assert forked == sequential


def _forking_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: Callable[[Callable[[], object]], object]
) -> tuple[Path, str]:
    """Copy a sample, audit it with one job, then let audits fork through `start`; return it and that report."""
    repo = tmp_path / "halfway_there"
    shutil.copytree(SAMPLES / "halfway_there", repo)
    sequential = json_report.dumps(run_audit(repo, jobs=1))
    monkeypatch.setattr(parallel, "MIN_CODE_LINES", 0)
    monkeypatch.setattr(parallel, "can_fork", lambda jobs: jobs > 1)
    monkeypatch.setattr(parallel, "start_child", start)
    return repo, sequential


def test_failed_child_falls_back_to_running_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo, sequential = _forking_with(tmp_path, monkeypatch, lambda work: _Failed())
    assert json_report.dumps(run_audit(repo, jobs=2)) == sequential


def test_a_fork_refused_runs_every_rule_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(work: Callable[[], object]) -> parallel.Child[object]:
        raise OSError(11, "Resource temporarily unavailable")

    repo, sequential = _forking_with(tmp_path, monkeypatch, refuse)
    assert json_report.dumps(run_audit(repo, jobs=2)) == sequential


class _Failed:
    """A child that died without a result."""

    def join(self) -> None:
        return None

    def kill(self) -> None:
        return None


def test_only_the_process_that_forked_a_child_takes_its_result() -> None:
    first = parallel.start_child(lambda: "result")
    second = parallel.start_child(first.join)  # a later fork inherits the handle: it must not read the pipe
    assert second.join() is None
    assert first.join() == "result"
    assert first.join() is None  # taken once


def test_a_killed_child_is_reaped() -> None:
    child = parallel.start_child(lambda: time.sleep(60))
    child.kill()
    with pytest.raises(ProcessLookupError):
        os.kill(child.pid, 0)
