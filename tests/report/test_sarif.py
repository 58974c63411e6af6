"""Tests the SARIF 2.1.0 output: schema validity, locations, levels and stable fingerprints."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from mlaudit.model import Report
from mlaudit.report import sarif
from tests.report.conftest import HOSTILE_PATH, assert_golden, make_base, make_minimal, make_rich

SCHEMA_FILE = Path(__file__).parent / "sarif-schema-2.1.0.json"


@cache
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def log(report: Report, *, include_suppressed: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(sarif.render(report, include_suppressed=include_suppressed))
    return data


def results(report: Report, *, include_suppressed: bool = False) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = log(report, include_suppressed=include_suppressed)["runs"][0]["results"]
    return found


def result_of(report: Report, rule: str, index: int = 0) -> dict[str, Any]:
    return [r for r in results(report) if r["ruleId"] == rule][index]


def test_golden_sarif() -> None:
    assert_golden("rich.sarif", sarif.render(make_rich()))
    assert_golden("minimal.sarif", sarif.render(make_minimal()))


@pytest.mark.parametrize("include", [False, True])
@pytest.mark.parametrize("make", [make_rich, make_minimal, make_base])
def test_valid_against_the_sarif_schema(make: Any, include: bool) -> None:
    errors = sorted(validator().iter_errors(log(make(), include_suppressed=include)), key=str)
    assert errors == []


def test_schema_check_is_not_vacuous() -> None:
    data = log(make_rich())
    data["runs"][0]["results"][0]["level"] = "fatal"
    assert list(validator().iter_errors(data))


def test_one_result_per_finding_with_rule_metadata() -> None:
    report = make_rich()
    data = log(report)
    run = data["runs"][0]
    assert len(run["results"]) == len([f for f in report.findings if f.is_new])
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["SEC001"]["defaultConfiguration"] == {"level": "error"}
    assert rules["TST002"]["defaultConfiguration"] == {"level": "note"}
    assert "Fix: Read the key from the environment." in rules["SEC001"]["help"]["text"]
    assert "```python" in rules["SEC001"]["help"]["markdown"]
    assert rules["SEC001"]["properties"]["security-severity"] == "8.0"
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_levels_follow_severity() -> None:
    report = make_rich()
    assert result_of(report, "SEC001")["level"] == "error"
    assert result_of(report, "LOG001")["level"] == "warning"
    assert result_of(report, "TST002")["level"] == "note"


def test_notebook_finding_points_into_the_ipynb_with_its_cell() -> None:
    result = result_of(make_rich(), "REP001")
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "notebooks/eda.ipynb", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 2}
    assert "(notebook cell 3)" in result["message"]["text"]
    assert result["properties"]["notebookCell"] == 3


def test_repository_level_finding_is_attached_to_a_root_file() -> None:
    result = result_of(make_rich(), "LAY001")
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "README.md"
    assert result["properties"]["repositoryLevel"] is True


def test_dependency_finding_prefers_a_manifest() -> None:
    report = make_rich()
    moved = tuple(replace(f, path=None, line=None) if f.rule == "DEP001" else f for f in report.findings)
    result = result_of(replace(report, findings=moved), "DEP001")
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "requirements.txt"


def test_repository_level_finding_without_files_has_no_location() -> None:
    report = replace(make_rich(), inventory=())
    assert result_of(report, "LAY001")["locations"] == []
    assert list(validator().iter_errors(log(report))) == []


def test_paths_are_percent_encoded_relative_to_srcroot() -> None:
    report = make_rich()
    run = log(report)["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///home/user/churn%20model/"
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]
    hostile = next(u for u in uris if u.startswith("src/churn/we"))
    assert hostile == "src/churn/we%7Cird%20%60name%60%20%3Cscript%3E.py"
    assert HOSTILE_PATH not in uris


def test_relative_root_has_no_base_uri() -> None:
    assert "originalUriBaseIds" not in log(make_minimal())["runs"][0]


def test_fingerprints_survive_line_moves() -> None:
    now = {r["message"]["text"]: r["partialFingerprints"] for r in results(make_rich())}
    before = {r["message"]["text"]: r["partialFingerprints"] for r in results(make_base())}
    shared = set(now) & set(before)
    assert len(shared) >= 10
    assert all(now[m] == before[m] for m in shared)
    assert len({json.dumps(p) for p in now.values()}) == len(now)


def test_engine_fingerprint_is_used_when_present() -> None:
    report = make_rich()
    marked = tuple(replace(f, fingerprint=f"fp{i}") for i, f in enumerate(report.findings))
    shown = results(replace(report, findings=marked), include_suppressed=True)
    prints = [r["partialFingerprints"][sarif.FINGERPRINT_KEY] for r in shown]
    assert prints == [f"fp{i}" for i in range(len(marked))]


def test_suppressed_and_baselined_findings_are_left_out_by_default() -> None:
    report = make_rich()
    shown = results(report)
    hidden = [f for f in report.findings if f.suppressed is not None or f.baselined]
    assert len(hidden) == 2
    assert len(shown) == len(report.findings) - len(hidden)
    assert not any("suppressions" in r or "baselineState" in r for r in shown)
    assert "TYP001" not in {r["ruleId"] for r in shown}


def test_included_suppressions_and_baseline_states_are_all_or_none() -> None:
    shown = results(make_rich(), include_suppressed=True)
    assert all("suppressions" in r for r in shown)
    assert all(r["baselineState"] in {"new", "unchanged"} for r in shown)
    marked = [r for r in shown if r["suppressions"]]
    assert len(marked) == 1
    assert [r["baselineState"] for r in shown].count("unchanged") == 1
    assert sum(1 for r in shown if r["suppressions"] == []) == len(shown) - 1


def test_suppression_kind_comes_from_its_origin_not_its_text() -> None:
    report = make_rich()
    for origin, kind in (("comment", "inSource"), ("config", "external")):
        for reason in ("noqa: LOG001", "generated code, reviewed"):
            marked = tuple(
                replace(f, suppressed=reason, suppressed_by=origin) if f.suppressed is not None else f
                for f in report.findings
            )
            (result,) = [
                r for r in results(replace(report, findings=marked), include_suppressed=True) if r["suppressions"]
            ]
            assert result["suppressions"] == [{"kind": kind, "justification": reason}]


def test_not_checked_and_skipped_become_notifications() -> None:
    invocation = log(make_rich())["runs"][0]["invocations"][0]
    texts = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
    assert "Not checked: pip-audit: offline: --offline given" in texts
    assert any(t.startswith("Skipped src/churn/broken.py") for t in texts)
