"""Tests for the progress line: `\\r` updates on a terminal's stderr, nothing on a pipe, erased at the end."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from mlaudit import cli
from mlaudit.engine import Progress
from mlaudit.progress import ProgressLine, describe
from tests.helpers import write_tree
from tests.test_cli import SMALL, run_cli


class FakeTerminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_progress_line_redraws_with_carriage_returns_and_erases_itself() -> None:
    stream = FakeTerminal()
    line = ProgressLine(stream, interval=0)
    for step in (
        Progress("discover", 0, 1, "/home/me/repo"),
        Progress("parse", 1, 3, "pkg/secret_plan.py"),
        Progress("parse", 3, 3, "pkg/core.py"),
        Progress("rules", 5, 40, "testing: TST001"),
        Progress("scored", 2, 9, "testing"),
    ):
        line(step)
    line.clear()
    written = stream.getvalue()
    assert written.count("\r") >= 6 and "\n" not in written
    assert "Parsing files 1/3" in written and "Parsing files 3/3" in written
    assert "Practices done 2/9 · Tests" in written
    assert "secret_plan" not in written and "/home/me" not in written  # counts and titles only, never a path
    assert written.endswith("\r") and written.rsplit("\r", 2)[1].strip() == ""  # the last redraw is blank


def test_stage_names_are_words_not_internal_names() -> None:
    assert describe(Progress("tools", 1, 2, "pip_audit")) == "Checking dependencies with pip-audit"
    assert describe(Progress("secrets", 0, 1, "every tracked text file")) == "Scanning for secrets"
    rules = describe(Progress("rules", 1, 80, "reproducibility: REP001"))
    assert rules is not None and "REP001" not in rules and "reproducibility:" not in rules


def test_nothing_is_written_before_a_step_or_between_throttled_steps() -> None:
    stream = FakeTerminal()
    line = ProgressLine(stream, interval=60)
    line.clear()
    assert stream.getvalue() == ""
    line(Progress("parse", 1, 500, "a.py"))
    line(Progress("parse", 2, 500, "b.py"))  # same stage within the interval: not redrawn
    assert stream.getvalue().count("Parsing files") == 1
    line(Progress("secrets", 0, 1, ""))  # a new stage is always shown
    assert "Scanning for secrets" in stream.getvalue()


def _cli_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stream: io.StringIO, *flags: str) -> str:
    write_tree(tmp_path, SMALL)
    monkeypatch.setattr(sys, "stderr", stream)
    code = cli.main(["--json", "--offline", "--history-depth", "0", *flags, str(tmp_path)])
    assert code == 0
    return stream.getvalue()


def test_cli_shows_the_line_on_a_terminal_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _cli_stderr(tmp_path, monkeypatch, FakeTerminal())
    assert "\rParsing files" in err and "\rPractices done" in err
    assert err.endswith("\r")  # erased before the report
    assert json.loads(capsys.readouterr().out)["schema_version"] == "2.1"  # stdout is the report alone


@pytest.mark.parametrize("flags", [(), ("-q",), ("-v",)])
def test_cli_is_silent_on_a_pipe_and_with_quiet_or_verbose(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flags: tuple[str, ...]
) -> None:
    stream = io.StringIO() if not flags else FakeTerminal()
    err = _cli_stderr(tmp_path, monkeypatch, stream, *flags)
    assert "\r" not in err and "Parsing files" not in err


def test_real_pipe_gets_no_progress_line(tmp_path: Path) -> None:
    write_tree(tmp_path, SMALL)
    proc = run_cli("--json", "--offline", "--history-depth", "0", str(tmp_path))
    assert proc.returncode == 0 and "\r" not in proc.stderr


@pytest.mark.parametrize("jobs", [1, 2])
def test_engine_counts_practices_done_out_of_those_it_scores(tmp_path: Path, jobs: int) -> None:
    from mlaudit.engine import audit
    from mlaudit.options import AuditOptions

    write_tree(tmp_path, SMALL)
    steps: list[Progress] = []
    audit(tmp_path, AuditOptions(offline=True, history_depth=0, jobs=jobs), progress=steps.append)
    scored = [(p.done, p.total) for p in steps if p.stage == "scored"]
    total = scored[0][1]
    assert 0 < total <= 11 and scored == [(k, total) for k in range(1, total + 1)]
