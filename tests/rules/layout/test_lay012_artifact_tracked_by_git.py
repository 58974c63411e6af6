"""Tests of rule LAY012 (`mlaudit/rules/layout/lay012_artifact_tracked_by_git.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, git_init, run_audit, write_tree
from tests.rules.layout._helpers import PACKAGE


def test_lay012_fires_on_committed_model(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PACKAGE, "model.pkl": b"\x80\x04" * 200, "tests/fixtures/tiny.csv": "a\n1\n"})
    git_init(tmp_path)
    [hit] = findings(tmp_path, "LAY012")
    assert hit.path == "model.pkl" and "committed to git" in hit.message


def test_lay012_silent_with_lfs_or_dvc(tmp_path: Path) -> None:
    big = "x,y\n" * 40_000
    files: dict[str, str | bytes] = {
        **PACKAGE,
        ".gitattributes": "*.pt filter=lfs diff=lfs merge=lfs -text\n",
        "models/best.pt": b"\x80" * 5000,
        "data/train.csv": big,
        "data.dvc": "outs:\n- path: data\n",
    }
    write_tree(tmp_path, files)
    git_init(tmp_path)
    assert findings(tmp_path, "LAY012") == []


def test_lay012_not_checked_outside_git(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PACKAGE, "model.onnx": b"\x00" * 100})
    report = run_audit(tmp_path, select=("LAY012",))
    assert [n.reason for n in report.not_checked] == ["not a git repository"]
