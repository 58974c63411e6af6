"""Tests of rule TST008 (`mlaudit/rules/testing/tst008_poorly_covered_file.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run_audit_rules_only, write_tree
from tests.rules.testing._helpers import LIB


def test_tst008_flags_the_mostly_untested_file_only(tmp_path: Path) -> None:
    xml = (
        '<?xml version="1.0" ?>\n<coverage line-rate="0.4" version="7">\n'
        "<sources><source>/home/ci/work/repo</source></sources><packages><package><classes>\n"
        '<class filename="pkg/data.py"><lines><line number="1" hits="1"/><line number="2" hits="1"/></lines></class>\n'
        '<class filename="pkg/features.py"><lines><line number="1" hits="1"/><line number="2" hits="0"/>'
        '<line number="3" hits="0"/></lines></class>\n'
        "</classes></package></packages></coverage>\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_a.py": "def test_a():\n    assert 1\n", "coverage.xml": xml})
    report = run_audit_rules_only(tmp_path, select=("TST008",))
    assert [(f.rule, f.path) for f in report.findings] == [("TST008", "pkg/features.py")]
