"""Tests for mlaudit's promises: the audited tree is untouched and none of its code runs."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import jsonschema
import pytest

from mlaudit.report import json as json_report
from tests.helpers import git_init, run_audit, write_tree

SAMPLES = Path(__file__).resolve().parent.parent / "sample_projects"
MARKER_CODE = "import pathlib\npathlib.Path({path!r}).write_text('ran')\n"


def tree_digest(root: Path) -> dict[str, str]:
    """Return a digest of every file (including .git) and its mode under root."""
    digest: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            stat = path.stat()
            digest[path.relative_to(root).as_posix()] = (
                f"{hashlib.sha256(path.read_bytes()).hexdigest()}:{stat.st_mode}:{stat.st_mtime_ns}"
            )
    return digest


def test_nothing_of_the_audited_repo_runs(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    repo = tmp_path / "repo"
    code = MARKER_CODE.format(path=str(marker))
    nb_cell = {"cell_type": "code", "metadata": {}, "outputs": [], "source": [code]}
    write_tree(
        repo,
        {
            "setup.py": code + "from setuptools import setup\nsetup(name='x', install_requires=['numpy==1.26.4'])\n",
            "pkg/__init__.py": code,
            "pkg/model.py": code + "import numpy\n",
            "conftest.py": code,
            "tests/test_x.py": code + "def test_x():\n    assert True\n",
            "nb.ipynb": json.dumps({"cells": [nb_cell], "nbformat": 4, "metadata": {}}),
            "model.pkl": b"\x80\x04\x95" + b"cos\nsystem\n(S'touch " + str(marker).encode() + b"'\ntR.",
        },
    )
    git_init(repo)
    run_audit(repo)
    assert not marker.exists()


def test_audited_tree_is_byte_identical_after_a_run(tmp_path: Path) -> None:
    repo = tmp_path / "notebook_chaos"
    shutil.copytree(SAMPLES / "notebook_chaos", repo)
    git_init(repo)
    before = tree_digest(repo)
    run_audit(repo, history_depth=50)
    assert tree_digest(repo) == before


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.iterdir() if p.is_dir()))
def test_sample_reports_validate_and_are_deterministic(tmp_path: Path, sample: str) -> None:
    repo = tmp_path / sample
    shutil.copytree(SAMPLES / sample, repo)
    git_init(repo)
    first = json_report.dumps(run_audit(repo))
    jsonschema.validate(json.loads(first), json_report.schema())
    assert json_report.dumps(run_audit(repo)) == first


def test_json_round_trips(tmp_path: Path) -> None:
    repo = tmp_path / "halfway_there"
    shutil.copytree(SAMPLES / "halfway_there", repo)
    report = run_audit(repo)
    assert json_report.loads(json_report.dumps(report)) == report


def test_no_write_into_unwritable_repo(tmp_path: Path) -> None:
    repo = write_tree(tmp_path / "repo", {"pkg/__init__.py": "", "pkg/a.py": "print('x')\n"})
    for path in [repo, *repo.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        report = run_audit(repo)
    finally:
        for path in [repo, *repo.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    assert report.files["library"] == 2
    assert not any(p.name == "__pycache__" for p in repo.rglob("*"))
    assert os.listdir(repo) == ["pkg"]
