"""Tests the CLI conventions CI relies on: exit codes, stdout handling, ruff's flag semantics, gates, schemas."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from mlaudit import cli
from mlaudit.cli import EXIT_INTERNAL, main
from tests.helpers import write_tree

LIB = {
    "pyproject.toml": "[project]\nname = 'x'\nrequires-python = '>=3.11'\ndependencies = []\n",
    "README.md": "# x\n",
    "x/__init__.py": "",
    "x/core.py": "def add(a: int, b: int) -> int:\n    print('adding', a, b)\n    return a + b\n",
    "tests/test_core.py": "from x.core import add\n\n\ndef test_add() -> None:\n    assert add(1, 2) == 3\n",
}
QUICK = ["--offline", "--history-depth", "0"]


def cli_run(
    *args: str, env: dict[str, str] | None = None, shell: str | None = None
) -> subprocess.CompletedProcess[bytes]:
    command: str | list[str] = shell or [sys.executable, "-m", "mlaudit", *args]
    return subprocess.run(
        command,
        capture_output=True,
        timeout=120,
        check=False,
        shell=shell is not None,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "x", LIB)


# -- exit codes and stdout ----------------------------------------------------------------------


def test_an_internal_error_is_one_line_and_exit_3(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def crash(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr("mlaudit.engine.audit", crash)
    assert main([*QUICK, "--plain", str(repo)]) == EXIT_INTERNAL == 3
    err = capsys.readouterr().err
    assert err == "mlaudit: internal error: RuntimeError: boom (please report it)\n"


def test_a_closed_pipe_is_quiet() -> None:
    done = cli_run(shell=f"{sys.executable} -m mlaudit --list-rules | head -1")
    assert done.returncode == 0
    assert done.stdout.count(b"\n") == 1
    assert done.stderr == b""
    direct = subprocess.run(
        f"{sys.executable} -m mlaudit --list-rules | head -c 10 > /dev/null; echo ${{PIPESTATUS[0]}}",
        shell=True,
        executable="bash",
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert direct.stdout.strip() == b"0"
    assert b"Traceback" not in direct.stderr and b"BrokenPipe" not in direct.stderr


@pytest.mark.parametrize("flags", [["--plain"], ["--github-annotations"]])
def test_a_reader_gone_before_the_summary_is_exit_0(tmp_path: Path, flags: list[str]) -> None:
    repo = write_tree(tmp_path / "repo", LIB)
    command = [sys.executable, "-m", "mlaudit", *QUICK, *flags, str(repo)]
    script = " ".join(f"'{part}'" for part in command) + " | true; echo ${PIPESTATUS[0]}"
    done = subprocess.run(script, shell=True, executable="bash", capture_output=True, timeout=120, check=False)
    assert done.stdout.strip() == b"0", done.stderr
    assert done.stderr == b""


def test_verbose_logs_the_stages_to_stderr(tmp_path: Path) -> None:
    repo = write_tree(tmp_path / "repo", LIB)
    done = cli_run(*QUICK, "-v", "--json", str(repo))
    assert done.returncode == 0, done.stderr
    json.loads(done.stdout)
    err = done.stderr.decode()
    assert "mlaudit: discovering files in" in err and "mlaudit: parsing 5 files" in err
    assert "mlaudit: running " in err and " rules" in err and "mlaudit: audit done in" in err
    quiet = cli_run(*QUICK, "--json", str(repo))
    assert quiet.stderr == b""


def test_a_non_utf8_stdout_works_for_every_output(tmp_path: Path) -> None:
    repo = write_tree(tmp_path / "naïve", {**LIB, "x/données.py": "def f() -> str:\n    return 'é ✓'\n"})
    ascii_env = {"PYTHONIOENCODING": "ascii", "LC_ALL": "C", "PYTHONUTF8": "0"}
    plain = cli_run(*QUICK, "--plain", str(repo), env=ascii_env)
    assert plain.returncode == 0, plain.stderr
    assert b"Traceback" not in plain.stderr
    assert plain.stdout.startswith(b"mlaudit na")
    machine = cli_run(*QUICK, "--json", str(repo), env=ascii_env)
    assert machine.returncode == 0, machine.stderr
    assert json.loads(machine.stdout.decode("utf-8"))["project_name"].startswith("na")
    utf8 = cli_run(*QUICK, "--json", str(repo), env={"PYTHONIOENCODING": "ascii"})
    assert json.loads(utf8.stdout.decode("utf-8"))["project_name"] == "naïve"
    rules = cli_run("--explain", "LOG001", env=ascii_env)
    assert rules.returncode == 0 and b"Traceback" not in rules.stderr


def test_no_full_screen_app_in_ci_or_without_a_tty(monkeypatch: pytest.MonkeyPatch) -> None:
    args = cli.build_parser().parse_args(["."])
    monkeypatch.setattr(cli, "_isatty", lambda _stream: True)
    monkeypatch.delenv("CI", raising=False)
    assert cli._wants_app(args)
    for value in ("true", "1", "yes"):
        monkeypatch.setenv("CI", value)
        assert not cli._wants_app(args)
    monkeypatch.setenv("CI", "false")
    assert cli._wants_app(args)
    monkeypatch.setattr(cli, "_isatty", lambda stream: stream is not sys.stdin)
    assert not cli._wants_app(args)


# -- ruff's flag semantics -----------------------------------------------------------------------


def rules_run(repo: Path, capsys: pytest.CaptureFixture[str], *args: str) -> set[str]:
    assert main([*QUICK, "--json", *args, str(repo)]) == 0
    return {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]}


def test_ignore_adds_to_config_select_replaces_extend_select_adds(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "mlaudit.toml").write_text('select = ["LOG", "TST"]\nignore = ["TST"]\n', encoding="utf-8")
    assert rules_run(repo, capsys) == {"LOG001"}
    assert rules_run(repo, capsys, "--ignore", "LOG001") == set()
    assert "LOG001" in rules_run(repo, capsys, "--select", "LOG")
    assert rules_run(repo, capsys, "--select", "TYP") <= {r for r in rules_run(repo, capsys, "--select", "TYP")}
    assert not any(r.startswith("LOG") for r in rules_run(repo, capsys, "--select", "TYP"))
    extended = rules_run(repo, capsys, "--extend-select", "LAY")
    assert "LOG001" in extended and not any(r.startswith("TST") for r in extended)


def test_dash_means_stdout_for_the_json_report_and_the_baseline(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*QUICK, "-o", "-", str(repo)]) == 0
    assert json.loads(capsys.readouterr().out)["project_name"] == "x"
    assert main([*QUICK, "--plain", "--write-baseline", "-", str(repo)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["mlaudit_baseline"] == 1 and any(f["rule"] == "LOG001" for f in data["findings"])
    assert main([*QUICK, "-o", "-", "--write-baseline", "-", str(repo)]) == 2
    assert "only one output may go to stdout" in capsys.readouterr().err


def test_quiet_prints_nothing_but_gate_messages(repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main([*QUICK, "-q", "--markdown", str(tmp_path / "s.md"), str(repo)]) == 0
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
    assert main([*QUICK, "-q", "--fail-on", "warning", str(repo)]) == 1
    out = capsys.readouterr()
    assert out.out == "" and "finding(s) at warning or worse" in out.err


def test_statistics_counts_open_findings_per_rule(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "x" / "more.py").write_text("def f() -> None:\n    print(1)\n    print(2)\n", encoding="utf-8")
    assert main([*QUICK, "--statistics", "--select", "LOG001", str(repo)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t")[:2] == ["3", "LOG001"]


def test_list_rules_as_json_includes_the_meta_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--list-rules", "--format", "json"]) == 0
    rules = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    assert {"SUP001", "SUP002", "SUP003", "SUP004", "LOG001", "SEC101"} <= set(rules)
    assert rules["LOG001"]["severity"] == "warning" and rules["LOG001"]["fix"]
    assert rules["SUP001"]["practice"] == "any"
    assert main(["--list-rules"]) == 0
    assert any(line.startswith("SUP001") for line in capsys.readouterr().out.splitlines())
    assert main(["--explain", "sup002"]) == 0
    assert "suppression that matches nothing" in capsys.readouterr().out


def test_meta_rules_are_ignorable(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "x" / "core.py").write_text("x = 1  # mlaudit: ignore[LOG001]\n", encoding="utf-8")
    found = rules_run(repo, capsys)
    assert "SUP001" in found
    assert "SUP001" not in rules_run(repo, capsys, "--ignore", "SUP001")
    assert main([*QUICK, "--json", "--ignore", "SUP9", str(repo)]) == 2


def test_unknown_codes_in_a_suppression_comment_are_reported(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "x" / "core.py").write_text(
        "def add(a: int, b: int) -> int:\n    print(a)  # mlaudit: ignore[LOG00, XYZ123] demo output\n    return a\n",
        encoding="utf-8",
    )
    assert main([*QUICK, "--json", str(repo)]) == 0
    data = json.loads(capsys.readouterr().out)
    (sup,) = [f for f in data["findings"] if f["rule"] == "SUP004"]
    assert sup["message"].endswith("names no mlaudit rule: XYZ123")
    (log,) = [f for f in data["findings"] if f["rule"] == "LOG001"]
    assert log["suppressed"] == "demo output"


def test_a_suppression_without_a_reason_does_not_silence(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    core = "def add(a: int, b: int) -> int:\n    print(a)  # mlaudit: ignore[LOG001]\n    return a\n"
    (repo / "x" / "core.py").write_text(core, encoding="utf-8")
    assert main([*QUICK, "--json", str(repo)]) == 0
    data = json.loads(capsys.readouterr().out)
    (log,) = [f for f in data["findings"] if f["rule"] == "LOG001"]
    assert log["suppressed"] is None
    assert any(f["rule"] == "SUP001" for f in data["findings"])


# -- gates -----------------------------------------------------------------------------------------


def test_near_empty_repository_shows_how_many_practices_were_scored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    only_readme = write_tree(tmp_path / "empty", {"README.md": "# hello\n"})
    assert main([*QUICK, "--plain", str(only_readme)]) == 0
    out = capsys.readouterr().out
    assert "of 11 practices scored" in out
    assert main([*QUICK, "--json", str(only_readme)]) == 0
    data = json.loads(capsys.readouterr().out)
    scored = data["practices_scored"]
    assert scored == sum(1 for p in data["practices"] if p["status"] == "scored") < 11
    assert main([*QUICK, "--markdown", "-", str(only_readme)]) == 0
    assert f"({scored} of 11 practices scored)" in capsys.readouterr().out
    assert main([*QUICK, "--fix-report", "-", str(only_readme)]) == 0
    assert f"({scored} of 11 practices scored)" in capsys.readouterr().out
    assert main([*QUICK, "--badge", "-", str(only_readme)]) == 0
    assert f"({scored}/11 scored)" in json.loads(capsys.readouterr().out)["message"]
    assert main([*QUICK, "--plain", "--min-scored", "9", str(only_readme)]) == 1
    assert f"only {scored} of 11 practices scored, fewer than --min-scored 9" in capsys.readouterr().err
    assert main([*QUICK, "--plain", "--min-scored", str(scored), str(only_readme)]) == 0


def test_min_scored_above_the_practice_count_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*QUICK, "--plain", "--min-scored", "12", str(repo)]) == 2
    assert "--min-scored: must be between 0 and 11" in capsys.readouterr().err


def test_fail_on_new_without_a_baseline_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*QUICK, "--plain", "--fail-on-new", str(repo)]) == 2
    assert "--fail-on-new needs --baseline" in capsys.readouterr().err


# -- schemas -----------------------------------------------------------------------------------------


def test_report_schema_is_printed_and_validates_a_real_report(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert main([*QUICK, "--json", str(repo)]) == 0
    report = json.loads(capsys.readouterr().out)
    jsonschema.validate(report, schema)
    report["surprise"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, schema)


def test_config_schema_accepts_the_documented_config_and_rejects_typos(capsys: pytest.CaptureFixture[str]) -> None:
    import tomllib

    assert main(["--schema", "config"]) == 0
    schema = json.loads(capsys.readouterr().out)
    config = tomllib.loads(
        'select = ["LAY", "DEP"]\nignore = ["PRF004"]\nprofile = "research"\nfail-under = 75\n'
        "[thresholds]\nmax-function-lines = 80\n"
        '[suppress]\n"SEC009:legacy/*" = { reason = "migrating", until = "2027-03-01" }\n'
        '[ignore-vulnerabilities]\n"GHSA-aaaa-bbbb-cccc" = { reason = "not reachable", until = "2027-03-01" }\n'
    )
    jsonschema.validate(config, schema)
    for bad in ({"selekt": ["LAY"]}, {"profile": "fast"}, {"ignore-vulnerabilities": {"GHSA-x": {"reason": "r"}}}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)


def test_sarif_include_suppressed_marks_inline_suppressions_in_source(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "x" / "core.py").write_text(
        "def add(a: int, b: int) -> int:\n    print(a)  # mlaudit: ignore[LOG001] demo output for the docs\n    return a\n",
        encoding="utf-8",
    )
    assert main([*QUICK, "--sarif", "-", str(repo)]) == 0
    default = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert not any(r["ruleId"] == "LOG001" for r in default)
    assert main([*QUICK, "--sarif", "-", "--sarif-include-suppressed", str(repo)]) == 0
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    (log,) = [r for r in results if r["ruleId"] == "LOG001"]
    assert log["suppressions"] == [{"kind": "inSource", "justification": "demo output for the docs"}]
    assert all("suppressions" in r for r in results)


def test_unknown_codes_in_config_suppressions_are_reported(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "mlaudit.toml").write_text('[suppress]\n"LOG09:x/*" = { reason = "typo in the code" }\n', encoding="utf-8")
    assert main([*QUICK, "--plain", str(repo)]) == 2
    assert "unknown rule code or prefix: LOG09" in capsys.readouterr().err
    (repo / "mlaudit.toml").write_text('[suppress]\n"LOG001:x/*" = { reason = "demo output" }\n', encoding="utf-8")
    assert main([*QUICK, "--plain", "-q", str(repo)]) == 0
