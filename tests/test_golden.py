"""Golden reports of the sample projects: the JSON bytes are the contract.

Each sample is copied to a temp dir and committed with fixed dates, so the commit hash is
stable; only the absolute root differs and is normalised. Set MLAUDIT_UPDATE_GOLDEN=1 to
rewrite the golden files after a deliberate change, then review the diff.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from mlaudit.model import Report
from mlaudit.report import badge, fixit, markdown, sarif
from mlaudit.report import json as json_report
from tests.helpers import git_init, run_audit

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_projects"
GOLDEN = Path(__file__).resolve().parent / "golden"
EXPECTED_GRADES = {"notebook_chaos": {"F"}, "halfway_there": {"C", "D"}, "production_grade": {"A"}}


def audit_sample(tmp_path: Path, name: str) -> Report:
    """Audit a fresh committed copy of one sample project."""
    repo = tmp_path / name
    shutil.copytree(SAMPLES / name, repo)
    git_init(repo)
    return run_audit(repo, history_depth=500)


def normalised(report: Report) -> str:
    data = json_report.to_dict(report)
    data["root"] = f"<samples>/{report.project_name}"
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("name", sorted(EXPECTED_GRADES))
def test_sample_grade(tmp_path: Path, name: str) -> None:
    report = audit_sample(tmp_path, name)
    assert report.grade in EXPECTED_GRADES[name], f"{name}: {report.grade} {report.score}"


@pytest.mark.parametrize("name", sorted(EXPECTED_GRADES))
def test_sample_golden_json(tmp_path: Path, name: str) -> None:
    text = normalised(audit_sample(tmp_path, name))
    golden = GOLDEN / f"{name}.json"
    if os.environ.get("MLAUDIT_UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"missing golden file {golden}; run with MLAUDIT_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8")


def test_readme_states_each_samples_golden_grade() -> None:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Samples", 1)[1].split("\n## ", 1)[0]
    stated = dict(re.findall(r"`(\w+)` \((?:grades )?([A-F])\b", section))
    golden = {
        name: json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))["grade"] for name in EXPECTED_GRADES
    }
    assert stated == golden


def test_production_grade_has_no_error_findings(tmp_path: Path) -> None:
    report = audit_sample(tmp_path, "production_grade")
    errors = [f"{f.rule} {f.location} {f.message}" for f in report.findings if f.severity.value == "error" and f.counts]
    assert errors == []
    flawed = {p.key: p.deducted for p in report.practices if p.score is not None and p.deducted > 20}
    assert flawed == {} and report.grade == "A"


FORMATS = {
    "md": markdown.render,
    "fixes.md": fixit.render,
    "sarif": sarif.render,
    "badge.json": badge.render,
}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("name", sorted(EXPECTED_GRADES))
def test_sample_golden_formats(tmp_path: Path, name: str, fmt: str) -> None:
    report = audit_sample(tmp_path, name)
    text = FORMATS[fmt](report).replace(report.root, f"<samples>/{name}")
    golden = GOLDEN / f"{name}.{fmt}"
    if os.environ.get("MLAUDIT_UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"missing golden file {golden}; run with MLAUDIT_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8")
