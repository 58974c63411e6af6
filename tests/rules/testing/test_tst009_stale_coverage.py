"""Tests of rule TST009 (`mlaudit/rules/testing/tst009_stale_coverage.py`)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.helpers import run_audit_rules_only, write_tree
from tests.rules.testing._helpers import LIB


def test_tst009_flags_coverage_data_older_than_a_source_but_not_fresh_data(tmp_path: Path) -> None:
    xml = (
        '<?xml version="1.0" ?>\n<coverage line-rate="1.0" version="7">\n'
        "<sources><source>/home/ci/work/repo</source></sources><packages><package><classes>\n"
        '<class filename="pkg/data.py"><lines><line number="1" hits="1"/></lines></class>\n'
        "</classes></package></packages></coverage>\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_a.py": "def test_a():\n    assert 1\n", "coverage.xml": xml})
    source_time = os.path.getmtime(tmp_path / "pkg/data.py")
    for path in tmp_path.rglob("*.py"):
        os.utime(path, (source_time - 7200,) * 2)
    os.utime(tmp_path / "coverage.xml", (source_time - 3600,) * 2)
    os.utime(tmp_path / "pkg/data.py", (source_time,) * 2)
    [stale] = run_audit_rules_only(tmp_path, select=("TST009",)).findings
    assert stale.path == "coverage.xml" and "pkg/data.py" in stale.message
    os.utime(tmp_path / "coverage.xml", (source_time + 3600,) * 2)
    assert run_audit_rules_only(tmp_path, select=("TST009",)).findings == ()
