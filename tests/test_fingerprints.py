"""Tests fingerprints and "new": rule, path and a stable subject, never the message; one definition of new."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from mlaudit.cli import main
from mlaudit.config import ConfigSuppression
from mlaudit.report import json as json_report
from mlaudit.report.compare import compare
from mlaudit.tools import pipaudit
from mlaudit.tools.pipaudit import RunOutcome
from tests.helpers import findings, write_tree
from tests.tools.test_pipaudit import VULNERABLE, FakeRunner

QUICK = ["--offline", "--history-depth", "0"]
SERVICE = '''"""A small inference service."""

from fastapi import FastAPI
from pydantic import BaseModel


class Prediction(BaseModel):
    label: str


class Version(BaseModel):
    version: str


app = FastAPI()


@app.post("/predict", response_model=Prediction)
def predict(text: str) -> Prediction:
    return Prediction(label=text[:1])
'''
NEW_ENDPOINT = """

@app.get("/version", response_model=Version)
def version() -> Version:
    return Version(version="1.0")
"""
FILES = {
    "pyproject.toml": "[project]\nname = 'svc'\nrequires-python = '>=3.11'\ndependencies = ['fastapi==0.115.0']\n",
    "README.md": "# svc\n",
    "svc/__init__.py": "",
    "svc/api.py": SERVICE,
    "svc/data.py": "def clean(rows: list[str]) -> list[str]:\n    return [r.strip() for r in rows]\n",
}


def audit_json(repo: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main([*QUICK, "--json", *args, str(repo)])
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return code, data


def test_adding_a_correct_endpoint_is_not_new_but_a_print_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = write_tree(tmp_path / "svc", FILES)
    base = tmp_path / "baseline.json"
    before = tmp_path / "before.json"
    assert main([*QUICK, "--plain", "-q", "--write-baseline", str(base), "-o", str(before), str(repo)]) == 0
    recorded = json.loads(base.read_text(encoding="utf-8"))["findings"]
    assert any(f["rule"] == "SRV007" and "/predict" in f["message"] for f in recorded)

    with (repo / "svc" / "api.py").open("a", encoding="utf-8") as handle:
        handle.write(NEW_ENDPOINT)
    code, report = audit_json(repo, capsys, "--baseline", str(base), "--fail-on-new")
    (health,) = [f for f in report["findings"] if f["rule"] == "SRV007"]
    assert "/version" in health["message"] and health["baselined"]
    assert code == 0
    now = json_report.loads(json.dumps(report))
    assert compare(now, json_report.loads(before.read_text(encoding="utf-8"))).new == ()

    data = repo / "svc" / "data.py"
    data.write_text(data.read_text(encoding="utf-8").replace("    return", "    print(len(rows))\n    return"), "utf-8")
    code, report = audit_json(repo, capsys, "--baseline", str(base), "--fail-on-new")
    assert code == 1
    new = compare(json_report.loads(json.dumps(report)), json_report.loads(before.read_text(encoding="utf-8"))).new
    assert [(f.rule, f.path) for f in new] == [("LOG001", "svc/data.py")]
    flagged = [f for f in report["findings"] if not f["baselined"] and f["suppressed"] is None]
    assert {(f["rule"], f["path"]) for f in flagged if f["severity"] != "info"} == {("LOG001", "svc/data.py")}


@pytest.fixture
def fake_pip_audit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeRunner:
    runner = FakeRunner(RunOutcome(1, json.dumps(VULNERABLE), ""))
    monkeypatch.setattr(pipaudit, "RUNNER", runner)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return runner


def later_advisory() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(VULNERABLE))
    data["dependencies"][0]["vulns"].append({"id": "GHSA-9wx4-h78v-vm56", "fix_versions": ["2.32.0"], "aliases": []})
    return data


def test_a_baselined_vulnerable_pin_does_not_hide_a_later_advisory(tmp_path: Path, fake_pip_audit: FakeRunner) -> None:
    repo = write_tree(tmp_path / "repo", {"requirements.txt": "numpy==1.26.4\nrequests==2.19.0\n", "a.py": ""})
    (first,) = findings(repo, "SEC101", offline=False)
    (again,) = findings(repo, "SEC101", offline=False)
    assert first.fingerprint == again.fingerprint
    fake_pip_audit.outcome = RunOutcome(1, json.dumps(later_advisory()), "")
    shutil.rmtree(tmp_path / "xdg")  # the advisory database changed since the cached answer
    (later,) = findings(repo, "SEC101", offline=False, baseline=frozenset({first.fingerprint}))
    assert later.fingerprint != first.fingerprint
    assert not later.baselined and later.is_new


def test_per_advisory_ignores_expire(tmp_path: Path, fake_pip_audit: FakeRunner) -> None:
    fake_pip_audit.outcome = RunOutcome(1, json.dumps(later_advisory()), "")
    repo = write_tree(tmp_path / "repo", {"requirements.txt": "numpy==1.26.4\nrequests==2.19.0\n", "a.py": ""})
    ignore = (ConfigSuppression("CVE-2018-18074", "", "not reachable: we never send auth", dt.date(2027, 1, 1)),)
    (hit,) = findings(repo, "SEC101", offline=False, vulnerability_ignores=ignore, today=dt.date(2026, 6, 1))
    assert "GHSA-9wx4-h78v-vm56" in hit.message and "PYSEC-2018-28" not in hit.message
    both = (*ignore, ConfigSuppression("GHSA-9WX4-H78V-VM56", "", "patched locally", dt.date(2027, 1, 1)))
    assert findings(repo, "SEC101", offline=False, vulnerability_ignores=both, today=dt.date(2026, 6, 1)) == []
    (expired,) = findings(repo, "SEC101", offline=False, vulnerability_ignores=both, today=dt.date(2027, 1, 2))
    assert "PYSEC-2018-28" in expired.message and "ignore of CVE-2018-18074 expired on 2027-01-01" in expired.message


def test_config_requires_an_expiry_for_advisory_ignores(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = write_tree(tmp_path / "repo", {"a.py": "x = 1\n"})
    (repo / "mlaudit.toml").write_text('[ignore-vulnerabilities]\n"GHSA-aaaa" = { reason = "n/a" }\n', encoding="utf-8")
    assert main([*QUICK, "--plain", str(repo)]) == 2
    assert "needs an expiry date" in capsys.readouterr().err
    (repo / "mlaudit.toml").write_text(
        '[ignore-vulnerabilities]\n"GHSA-aaaa" = { reason = "n/a", until = 2027-01-01 }\n', encoding="utf-8"
    )
    assert main([*QUICK, "--plain", "-q", str(repo)]) == 0
