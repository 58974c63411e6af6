"""Tests of rule PRF006 (`mlaudit/rules/performance/prf006_no_profiling_evidence.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import run_audit, run_audit_rules_only, write_tree


def test_prf006_reports_profiling_evidence_as_metric(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/train.py": "import numpy as np\n"})
    report = run_audit(tmp_path, select=("PRF006",))
    assert report.practice("performance").metrics["profiling_evidence"] == "none"
    assert [f.severity for f in report.findings] == [Severity.INFO]
    write_tree(tmp_path, {"benchmarks/bench.py": "import cProfile\nimport numpy as np\n"})
    report = run_audit_rules_only(tmp_path, select=("PRF006",))
    assert "cProfile in benchmarks/bench.py" in str(report.practice("performance").metrics["profiling_evidence"])
    assert report.findings == ()
    assert report.practice("performance").score == 100
