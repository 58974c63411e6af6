"""Tests the CI outputs as their consumers read them: SARIF for code scanning, annotations, GitLab Code Quality."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from mlaudit.cli import main
from mlaudit.model import Finding, Severity
from mlaudit.report import github, gitlab, sarif
from mlaudit.report.locate import Locator, git_prefix, notebook_lines
from tests.helpers import write_tree
from tests.report.conftest import make_base, make_minimal, make_rich
from tests.report.test_sarif import validator

ROOT = Path(__file__).resolve().parents[2]
QUICK = ["--offline", "--history-depth", "0"]
LIB = {
    "pyproject.toml": "[project]\nname = 'svc'\nrequires-python = '>=3.11'\ndependencies = []\n",
    "README.md": "# svc\n",
    "svc/__init__.py": "",
    "svc/core.py": "def add(a: int, b: int) -> int:\n    print('adding', a, b)\n    return a + b\n",
}


def notebook(*cells: list[str]) -> str:
    data = {
        "cells": [
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": c} for c in cells
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(data, indent=1)


def sarif_of(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    assert main([*QUICK, "--sarif", "-", *extra, str(path)]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


# -- the Multitool's GitHub rules (GH1001-GH1007, GH1013-GH1018, GH2012) ----------------------------

LIMITS = {"runs": 5, "rules": 1000, "results": 1000, "locations": 10}
PLACEHOLDER = re.compile(r"\{\d+\}")


def github_rule_violations(log: dict[str, Any]) -> list[str]:
    """Return the GitHub-ingestion problems the SARIF Multitool's GitHub rule set reports."""
    problems: list[str] = []
    if log.get("version") != "2.1.0" or "runs" not in log:
        problems.append("GH1013: log needs version 2.1.0 and runs")
    if len(log.get("runs", [])) > LIMITS["runs"]:
        problems.append("GH1004: too many runs")
    for run in log.get("runs", []):
        driver = run.get("tool", {}).get("driver", {})
        if not driver.get("name"):
            problems.append("GH1018: tool.driver.name is required")
        if "results" not in run:
            problems.append("GH1014: run.results is required")
        rules = driver.get("rules", [])
        if len(rules) > LIMITS["rules"]:
            problems.append("GH1004: too many rules")
        for rule in rules:
            if not rule.get("id") or not rule.get("shortDescription", {}).get("text"):
                problems.append(f"GH2012: rule {rule.get('id')} needs id and shortDescription")
        bases = run.get("originalUriBaseIds", {})
        if len(run.get("results", [])) > LIMITS["results"]:
            problems.append("GH1004: too many results")
        for result in run.get("results", []):
            problems.extend(_result_violations(result, bases))
    return problems


def _result_violations(result: dict[str, Any], bases: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    rule = result.get("ruleId")
    message = result.get("message", {})
    if not rule or "text" not in message:
        problems.append(f"GH1015: result needs ruleId and message ({rule})")
    if "id" in message or "arguments" in message or PLACEHOLDER.search(message.get("text", "")):
        problems.append(f"GH1007: message of {rule} is not fully formatted")
    locations = result.get("locations") or []
    if not locations:
        problems.append(f"GH1001: {rule} has no location")
    if len(locations) > LIMITS["locations"]:
        problems.append(f"GH1004: {rule} has too many locations")
    for location in locations:
        physical = location.get("physicalLocation")
        if physical is None:
            problems.append(f"GH1016: {rule} location needs physicalLocation")
            continue
        artifact, region = physical.get("artifactLocation", {}), physical.get("region")
        uri = artifact.get("uri", "")
        if not uri:
            problems.append(f"GH1017: {rule} needs artifactLocation.uri")
        if region is None or not isinstance(region.get("startLine"), int) or region["startLine"] < 1:
            problems.append(f"GH1003: {rule} region needs startLine >= 1")
        scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", uri)
        if scheme and scheme.group(1).lower() != "file":
            problems.append(f"GH1005: {rule} uri must be relative or file: ({uri})")
        if (scheme or uri.startswith("/")) and not bases:
            problems.append(f"GH1006: {rule} absolute uri without a checkout path")
        if uri.startswith(("%SRCROOT%", "../")) or "/../" in uri:
            problems.append(f"GH1005: {rule} uri is not repository-relative ({uri})")
        if artifact.get("uriBaseId") and artifact["uriBaseId"] not in bases and bases:
            problems.append(f"GH1006: {rule} uriBaseId has no originalUriBaseIds entry")
    return problems


@pytest.mark.parametrize("make", [make_rich, make_minimal, make_base])
def test_sarif_obeys_the_github_rules(make: Any) -> None:
    assert github_rule_violations(json.loads(sarif.render(make()))) == []


@pytest.mark.parametrize("sample", ["notebook_chaos", "halfway_there"])
def test_sarif_of_a_sample_project_obeys_schema_and_github_rules(
    sample: str, capsys: pytest.CaptureFixture[str]
) -> None:
    log = sarif_of(ROOT / "sample_projects" / sample, capsys)
    assert list(validator().iter_errors(log)) == []
    assert github_rule_violations(log) == []
    assert log["runs"][0]["results"]


def test_the_github_rule_checks_are_not_vacuous() -> None:
    log = json.loads(sarif.render(make_rich()))
    result = log["runs"][0]["results"][0]
    result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "https://example.com/a.py"
    result["locations"][0]["physicalLocation"]["region"] = {"charOffset": 3}
    result["message"] = {"text": "see {0}"}
    codes = {p.split(":")[0] for p in github_rule_violations(log)}
    assert codes == {"GH1005", "GH1003", "GH1007"}
    log["runs"][0]["results"][1]["locations"] = []
    assert any(p.startswith("GH1001") for p in github_rule_violations(log))


# -- paths from the git top level, notebook lines -----------------------------------------------------


def test_sarif_paths_are_relative_to_the_git_top_level(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    top = tmp_path / "checkout"
    (top / ".git").mkdir(parents=True)
    project = write_tree(top / "services" / "svc", LIB)
    log = sarif_of(project, capsys)
    run = log["runs"][0]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert "services/svc/svc/core.py" in uris
    assert all(uri.startswith("services/svc/") for uri in uris)
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == top.resolve().as_uri() + "/"
    assert github_rule_violations(log) == []


def test_without_git_paths_stay_relative_to_the_audited_folder(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "plain" / "svc", LIB)
    assert git_prefix(project) == ""
    (tmp_path / "plain" / ".git").write_text("gitdir: elsewhere\n", encoding="utf-8")  # a worktree's .git file
    assert git_prefix(project) == "svc/"


def test_notebook_findings_point_at_the_ipynb_line_that_stores_the_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = notebook(
        ["import os\n"], ["x = 1\n", "import pickle\n", 'model = pickle.load(open("m.pkl", "rb"))\n', "y = 2"]
    )
    project = write_tree(tmp_path / "nb", {**LIB, "notebooks/analysis.ipynb": text})
    log = sarif_of(project, capsys, "--select", "SEC008")
    (result,) = [
        r
        for r in log["runs"][0]["results"]
        if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("analysis.ipynb")
    ]
    line = result["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert text.splitlines()[line - 1].strip().startswith('"model = pickle.load(')
    assert result["properties"]["notebookCell"] == 2


def test_notebook_line_map_handles_single_strings_and_continued_lines() -> None:
    text = notebook(["a = (1,\n", "     2)\n"], ["b = 1\nc = 2"])
    lines = notebook_lines(text.replace('[\n    "b = 1\\nc = 2"\n   ]', '"b = 1\\nc = 2"'))
    assert len(lines[1]) == 2 and lines[1][1] == lines[1][0] + 1
    assert len(lines[2]) == 2
    with pytest.raises(ValueError):
        notebook_lines('{"cells": [}')


# -- annotations and GitLab ----------------------------------------------------------------------------


def test_annotations_are_escaped_workflow_commands(capsys: pytest.CaptureFixture[str]) -> None:
    report = make_rich()
    odd = Finding("LOG001", "logging", Severity.WARNING, "src/a,b:c.py", 3, None, "100% sure\nnext line", "Fix it.")
    text = github.render(replace(report, findings=(odd,)), Locator(prefix="pkg/"))
    assert (
        text
        == "::warning file=pkg/src/a%2Cb%3Ac.py,line=3,title=LOG001 print in library code::100%25 sure%0Anext line%0AFix: Fix it.\n"
    )
    commands = github.render(report).splitlines()
    assert len(commands) == len([f for f in report.findings if f.is_new])
    assert all(re.match(r"^::(error|warning|notice) ", c) for c in commands)


def test_annotations_work_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = write_tree(tmp_path / "svc", LIB)
    assert main([*QUICK, "--github-annotations", str(project)]) == 0
    out = capsys.readouterr().out
    assert "::warning file=svc/core.py,line=2,title=LOG001 " in out
    assert "Overall:" in out


def test_gitlab_code_quality_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    top = tmp_path / "repo"
    (top / ".git").mkdir(parents=True)
    project = write_tree(top / "svc", LIB)
    assert main([*QUICK, "--gitlab", "-", str(project)]) == 0
    issues = json.loads(capsys.readouterr().out)
    assert issues
    for issue in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(issue)
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["location"]["path"].startswith("svc/")
        assert issue["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    (log,) = [i for i in issues if i["check_name"] == "LOG001"]
    assert log["location"] == {"path": "svc/svc/core.py", "lines": {"begin": 2}}


def test_gitlab_leaves_out_suppressed_and_baselined_findings() -> None:
    report = make_rich()
    shown = gitlab.issues(report)
    assert len(shown) == len([f for f in report.findings if f.is_new]) < len(report.findings)


def test_annotations_put_the_most_severe_first_and_stay_within_githubs_limit() -> None:
    report = make_rich()
    many = tuple(
        Finding("LOG001", "logging", Severity.WARNING, "src/a.py", n, None, f"print {n}", "Use a logger.")
        for n in range(1, 80)
    )
    error = Finding("SEC001", "security", Severity.ERROR, "src/b.py", 1, None, "hard-coded key", "Use env.")
    lines = github.render(replace(report, findings=(*many, error))).splitlines()
    assert len(lines) == github.LIMIT + 1
    assert lines[0].startswith("::error file=src/b.py,line=1,")
    assert lines[-1] == "::notice title=mlaudit::30 more finding(s) not annotated: see the job summary or the report"
