"""Tests for the command line: exit codes, stdout discipline, config errors, gates."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mlaudit.cli import main
from tests.helpers import write_tree

SMALL = {
    "pyproject.toml": "[project]\nname = 'x'\nrequires-python = '>=3.11'\ndependencies = []\n",
    "README.md": "# x\n",
    "x/__init__.py": "",
    "x/core.py": "def add(a: int, b: int) -> int:\n    return a + b\n",
}


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m mlaudit` in a subprocess (no TTY), capturing output."""
    return subprocess.run(
        [sys.executable, "-m", "mlaudit", *args], capture_output=True, text=True, cwd=cwd, timeout=120, check=False
    )


def test_json_goes_to_stdout_alone_and_is_valid(tmp_path: Path) -> None:
    write_tree(tmp_path, SMALL)
    proc = run_cli("--json", "--offline", "--history-depth", "0", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["schema_version"] == "2.1" and len(data["practices"]) == 11
    assert "Traceback" not in proc.stderr


def test_plain_summary_without_tty(tmp_path: Path) -> None:
    write_tree(tmp_path, SMALL)
    proc = run_cli("--offline", str(tmp_path), cwd=tmp_path)
    assert proc.returncode == 0
    assert "Overall:" in proc.stdout and "Layout like software" in proc.stdout
    assert "\x1b[" not in proc.stdout  # no colour codes when not a terminal


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/no/such/path"], "path does not exist"),
        (["--select", "ZZZ999", "."], "unknown rule code"),
        (["--fail-under", "abc", "."], "not a number"),
        (["--fail-on", "fatal", "."], "invalid choice"),
        (["--explain", "NOP001"], "unknown rule code"),
        (["--json", "--markdown", "-", "."], "only one output may go to stdout"),
        (["--config", "/no/such.toml", "."], "config file not found"),
        (["--plain", "--compare", "/no/such.json", "."], "cannot read --compare report"),
        (
            ["--format", "json", "."],
            "--format json applies to --list-rules and --explain; for a JSON report use --json",
        ),
    ],
)
def test_usage_errors_are_one_line_exit_2(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1 and err.startswith("mlaudit: error:")


@pytest.mark.parametrize("flag", ["--compare", "--fail-if-worse"])
def test_baseline_file_given_as_a_report_says_which_file_is_needed(
    tmp_path: Path, flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(tmp_path / "repo", SMALL)
    baseline = tmp_path / "baseline.json"
    assert (
        main(["--offline", "--history-depth", "0", "-q", "--write-baseline", str(baseline), str(tmp_path / "repo")])
        == 0
    )
    capsys.readouterr()
    assert main(["--offline", "--history-depth", "0", "-q", flag, str(baseline), str(tmp_path / "repo")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        f"mlaudit: error: cannot read {flag} report {baseline}: this is a baseline (--write-baseline); "
        f"{flag} needs a JSON report (--json or -o FILE)"
    )


def test_other_json_given_as_a_report_says_what_is_expected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    badge = tmp_path / "badge.json"
    badge.write_text('{"schemaVersion": 1, "label": "mlaudit", "message": "B 84"}\n')
    assert main(["--plain", "--compare", str(badge), str(tmp_path)]) == 2
    assert "not an mlaudit JSON report (--json or -o FILE): missing field 'mlaudit_version'" in capsys.readouterr().err


def test_empty_folder_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--json", str(tmp_path)]) == 2
    assert "nothing to audit" in capsys.readouterr().err


def test_file_instead_of_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    assert main([str(tmp_path / "a.py")]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_fail_under_and_fail_on_gate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path, {"train.py": "x = 1\n"})
    assert main(["--json", "--offline", "--fail-under", "100", str(tmp_path)]) == 1
    assert "below --fail-under 100" in capsys.readouterr().err
    assert main(["--json", "--offline", "--select", "TST001", "--fail-on", "error", str(tmp_path)]) == 1
    assert main(["--json", "--offline", "--select", "LAY001", "--fail-on", "error", str(tmp_path)]) == 0
    assert main(["--json", "--offline", "--select", "LAY001", "--fail-on", "warning", str(tmp_path)]) == 1
    assert main(["--json", "--offline", "--select", "LAY001", "--fail-under", "0", str(tmp_path)]) == 0


def test_list_rules_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--list-rules"]) == 0
    listing = capsys.readouterr().out
    assert "LAY001" in listing
    assert re.search(r"SEC001  \w+ +flat +security", listing) and re.search(r"LOG001  warning +density", listing)
    assert main(["--explain", "lay001"]) == 0
    text = capsys.readouterr().out
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "Fix:"):
        assert heading in text
    assert "Priced by the layout capability `packaging_metadata`" in text
    assert "Only when that capability cannot be assessed: Scoring:" in text  # LAY001 deducts only then
    assert main(["--explain", "TYP002"]) == 0
    advice = capsys.readouterr().out
    assert "Priced by the typing capability `functions_annotated`" in advice and "advice only" not in advice
    assert main(["--explain", "SEC001"]) == 0
    assert "Scoring: flat - the first finding costs" in capsys.readouterr().out


def test_output_file_written(tmp_path: Path) -> None:
    write_tree(tmp_path / "repo", SMALL)
    out = tmp_path / "report.json"
    assert main(["--offline", "-o", str(out), "--plain", str(tmp_path / "repo")]) == 0
    assert json.loads(out.read_text())["project_name"] == "repo"


def test_bad_config_key_names_key_file_and_allowed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path, {**SMALL, "pyproject.toml": SMALL["pyproject.toml"] + "[tool.mlaudit]\nselekt = ['LOG']\n"})
    assert main(["--json", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "pyproject.toml [tool.mlaudit]: unknown key 'selekt'" in err and "allowed:" in err


def test_malformed_mlaudit_toml_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path, {**SMALL, "mlaudit.toml": "select = [\n"})
    assert main(["--json", str(tmp_path)]) == 2
    assert "malformed TOML" in capsys.readouterr().err


def test_baseline_round_trip_and_fail_on_new(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = write_tree(tmp_path / "repo", {"train.py": "x = 1\n"})
    base = tmp_path / "baseline.json"
    assert main(["--offline", "--plain", "--select", "LAY001", "--write-baseline", str(base), str(repo)]) == 0
    capsys.readouterr()
    assert main(["--offline", "--json", "--select", "LAY001", "--baseline", str(base), "--fail-on-new", str(repo)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert all(f["baselined"] for f in data["findings"])
    assert main(["--offline", "--json", "--select", "LAY001", "--fail-on-new", str(repo)]) == 2
    assert "--fail-on-new needs --baseline" in capsys.readouterr().err
    empty = tmp_path / "empty.json"
    empty.write_text('{"mlaudit_baseline": 1, "findings": []}', encoding="utf-8")
    args = ["--offline", "--json", "--select", "LAY001", "--baseline", str(empty), "--fail-on-new", str(repo)]
    assert main(args) == 1


def test_fail_if_worse(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = write_tree(tmp_path / "repo", SMALL)
    base = tmp_path / "base.json"
    assert main(["--offline", "--plain", "--select", "LAY001", "-o", str(base), str(repo)]) == 0
    assert main(["--offline", "--plain", "--select", "LAY001", "--fail-if-worse", str(base), str(repo)]) == 0
    (repo / "pyproject.toml").unlink()
    assert main(["--offline", "--plain", "--select", "LAY001", "--fail-if-worse", str(base), str(repo)]) == 1
    assert re.search(r"layout \d+ -> \d+", capsys.readouterr().err)


def _older_scoring(path: Path) -> None:
    """Rewrite a JSON report as if an earlier scoring version (1.0, no capabilities) had made it."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("scoring_version")
    data["schema_version"] = "1.0"
    for practice in data["practices"]:
        practice.pop("capabilities")
        practice["score"] = 100
    path.write_text(json.dumps(data), encoding="utf-8")


def test_compare_and_fail_if_worse_across_scoring_versions_warn_and_still_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = write_tree(tmp_path / "repo", SMALL)
    base = tmp_path / "base.json"
    assert main(["--offline", "--plain", "--select", "LAY001", "-o", str(base), str(repo)]) == 0
    _older_scoring(base)
    capsys.readouterr()
    assert main(["--offline", "--select", "LAY001", "--fail-if-worse", str(base), str(repo)]) == 1
    err = capsys.readouterr().err
    assert "warning: --fail-if-worse" in err and "scoring version 1.0" in err and "dropped" in err
    out = tmp_path / "card.md"
    assert main(["--offline", "--select", "LAY001", "--compare", str(base), "--markdown", str(out), str(repo)]) == 0
    assert "warning: --compare" in capsys.readouterr().err
    assert "since base" in out.read_text(encoding="utf-8")


def test_compare_with_the_same_scoring_version_does_not_warn(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = write_tree(tmp_path / "repo", SMALL)
    base = tmp_path / "base.json"
    assert main(["--offline", "--plain", "--select", "LAY001", "-o", str(base), str(repo)]) == 0
    capsys.readouterr()
    assert main(["--offline", "--select", "LAY001", "--fail-if-worse", str(base), str(repo)]) == 0
    assert "warning" not in capsys.readouterr().err


def test_compare_shows_the_changes_in_the_plain_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = write_tree(tmp_path / "repo", SMALL)
    base = tmp_path / "base.json"
    assert main(["--offline", "--plain", "--select", "LAY001", "-o", str(base), str(repo)]) == 0
    (repo / "pyproject.toml").unlink()
    capsys.readouterr()
    assert main(["--offline", "--plain", "--select", "LAY001", "--compare", str(base), str(repo)]) == 0
    out = capsys.readouterr().out
    assert "Since base.json:" in out and "1 new finding, 0 fixed" in out


def test_the_collector_paused_while_the_engine_loads_is_running_again_after_the_audit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import gc

    write_tree(tmp_path, {"calc.py": "def add(a, b):\n    return a + b\n"})
    assert gc.isenabled()
    assert main(["--offline", "--no-cache", "--json", str(tmp_path)]) in (0, 1)
    assert json.loads(capsys.readouterr().out)["score"] is not None
    assert gc.isenabled()
