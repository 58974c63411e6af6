"""Tests of rule TST007 (`mlaudit/rules/testing/tst007_low_coverage.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run_audit, run_audit_rules_only, write_tree
from tests.rules.testing._helpers import LIB


def test_tst007_not_checked_without_coverage_data(tmp_path: Path) -> None:
    write_tree(tmp_path, {**LIB, "tests/test_a.py": "def test_a():\n    assert 1\n"})
    report = run_audit(tmp_path, select=("TST007",))
    assert [(n.check, n.reason) for n in report.not_checked] == [
        ("coverage", "no coverage data; run pytest --cov or use --run-tests")
    ]


def test_tst007_to_009_from_coverage_xml(tmp_path: Path) -> None:
    xml = (
        '<?xml version="1.0" ?>\n<coverage line-rate="0.4" version="7">\n'
        "<sources><source>/home/ci/work/repo</source></sources><packages><package><classes>\n"
        '<class filename="pkg/data.py"><lines><line number="1" hits="1"/><line number="2" hits="1"/></lines></class>\n'
        '<class filename="pkg/features.py"><lines><line number="1" hits="1"/><line number="2" hits="0"/>'
        '<line number="3" hits="0"/></lines></class>\n'
        "</classes></package></packages></coverage>\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_a.py": "def test_a():\n    assert 1\n", "coverage.xml": xml})
    report = run_audit_rules_only(tmp_path, select=("TST007", "TST008", "TST009"))
    metrics = report.practice("testing").metrics
    assert metrics["coverage_total"] == 40.0 and metrics["coverage_source"] == "coverage.xml"
    assert [d.rule for d in report.practice("testing").deductions] == ["TST007"]
    assert [(f.rule, f.path) for f in report.findings] == [("TST008", "pkg/features.py")]
    assert metrics["coverage_stale"] == "no"
