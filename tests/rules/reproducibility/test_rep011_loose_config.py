"""Tests of rule REP011 (`mlaudit/rules/reproducibility/rep011_loose_config.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run_audit, write_tree


def test_rep011_uppercase_config_module_and_metric(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/config.py": "LR = 3e-4\nBATCH_SIZE = 64\nEPOCHS = 10\n"})
    report = run_audit(tmp_path, select=("REP011",))
    [hit] = [f for f in report.findings if f.rule == "REP011"]
    assert "3 bare UPPERCASE globals" in hit.message
    assert report.practice("reproducibility").metrics["config_style"] == "loose"


def test_rep011_typed_config_is_silent(tmp_path: Path) -> None:
    code = "from dataclasses import dataclass\n\n\n@dataclass(frozen=True)\nclass TrainConfig:\n    lr: float = 3e-4\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/config.py": code})
    report = run_audit(tmp_path, select=("REP011",))
    assert [f for f in report.findings if f.rule == "REP011"] == []
    assert report.practice("reproducibility").metrics["config_style"] == "typed"
