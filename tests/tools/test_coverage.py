"""Tests for the coverage gatherer: reading existing data and the opt-in test run."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from coverage import CoverageData

from mlaudit.discover import discover
from mlaudit.options import AuditOptions
from mlaudit.project import Project, load_project
from mlaudit.tools.coverage import CoverageResult, PathMapper, gather, read_existing
from tests.helpers import run_audit, write_tree

SOURCE = "def add(a, b):\n    if a:\n        return a + b\n    return b\n"


def _project(root: Path, **options: object) -> Project:
    return load_project(discover(root), AuditOptions(**options))  # type: ignore[arg-type]


def _gather(project: Project) -> CoverageResult:
    result = gather(project)
    assert isinstance(result, CoverageResult)
    return result


def _tree_hash(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    } | {p.relative_to(root).as_posix() + "/": "dir" for p in root.rglob("*") if p.is_dir()}


def _write_sqlite(root: Path, measured: str, lines: list[int]) -> Path:
    data = CoverageData(basename=str(root / ".coverage"))
    data.add_lines({measured: lines})
    data.write()
    return root / ".coverage"


def test_path_mapper_maps_foreign_absolute_paths_by_suffix() -> None:
    mapper = PathMapper(["src/pkg/data.py", "src/pkg/__init__.py", "other/__init__.py", "tools/data.py"])
    assert mapper.map("/home/ci/build/src/pkg/data.py") == "src/pkg/data.py"
    assert mapper.map("C:\\work\\repo\\src\\pkg\\data.py") == "src/pkg/data.py"
    assert mapper.map("/venv/site-packages/pkg/data.py") == "src/pkg/data.py"
    assert mapper.map("/elsewhere/__init__.py") is None
    assert mapper.map("/elsewhere/missing.py") is None


def test_reads_dot_coverage_measured_on_another_machine(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/calc.py": SOURCE})
    data_file = _write_sqlite(tmp_path, "/home/ci/build/pkg/calc.py", [1, 2, 3])
    os.utime(data_file, (os.path.getmtime(tmp_path / "pkg/calc.py") + 60,) * 2)
    before = _tree_hash(tmp_path)
    result = read_existing(_project(tmp_path))
    assert result.source == ".coverage"
    [entry] = result.files
    assert (entry.path, entry.statements, entry.covered) == ("pkg/calc.py", 4, 3)
    assert result.total == pytest.approx(75.0)
    assert result.stale_against is None
    assert _tree_hash(tmp_path) == before


def test_stale_data_is_flagged(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/calc.py": SOURCE})
    data_file = _write_sqlite(tmp_path, str(tmp_path / "pkg/calc.py"), [1, 2])
    source_time = os.path.getmtime(tmp_path / "pkg/calc.py")
    os.utime(data_file, (source_time - 3600,) * 2)
    os.utime(tmp_path / "pkg/__init__.py", (source_time - 7200,) * 2)
    assert read_existing(_project(tmp_path)).stale_against == "pkg/calc.py"


def test_reads_coverage_json(tmp_path: Path) -> None:
    report = (
        '{"files": {"/x/pkg/calc.py": {"summary": {"percent_covered": 50.0, "num_statements": 4, '
        '"covered_lines": 2}}}, "totals": {"percent_covered": 50.0}}'
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/calc.py": SOURCE, "coverage.json": report})
    result = read_existing(_project(tmp_path))
    assert result.total == 50.0 and [f.path for f in result.files] == ["pkg/calc.py"]


def test_xml_with_entities_is_refused(tmp_path: Path) -> None:
    xml = '<?xml version="1.0"?>\n<!DOCTYPE c [<!ENTITY a "aaaa">]>\n<coverage line-rate="1">&a;</coverage>\n'
    write_tree(tmp_path, {"pkg/calc.py": SOURCE, "coverage.xml": xml})
    result = read_existing(_project(tmp_path))
    assert result.total is None and result.reason is not None and "DTD" in result.reason


def test_a_corrupt_dot_coverage_is_unreadable_data_not_a_crash(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/calc.py": SOURCE})
    (tmp_path / ".coverage").write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)  # a truncated database
    result = read_existing(_project(tmp_path))
    assert result.total is None and result.reason is not None
    assert result.reason.startswith("unreadable coverage data .coverage: ")


def test_mlaudit_loads_coverage_py_only_to_read_coverage_data() -> None:
    code = "import sys, mlaudit.cli, mlaudit.engine; print('coverage' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_no_data_says_why(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/calc.py": SOURCE})
    result = _gather(_project(tmp_path))
    assert result.total is None and result.reason == "no coverage data; run pytest --cov or use --run-tests"


RUN_TREE = {
    "pyproject.toml": "[project]\nname = 'calc'\n\n[tool.pytest.ini_options]\ntestpaths = ['tests']\n",
    "calc.py": SOURCE,
    "tests/test_calc.py": "from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
}


def test_run_tests_measures_coverage_and_leaves_tree_identical(tmp_path: Path) -> None:
    write_tree(tmp_path, RUN_TREE)
    before = _tree_hash(tmp_path)
    env_before = os.environ.get("COVERAGE_FILE")
    result = _gather(_project(tmp_path, run_tests=True, test_timeout=120))
    assert _tree_hash(tmp_path) == before
    assert os.environ.get("COVERAGE_FILE") == env_before
    assert result.run is not None and result.run.outcome == "passed", result.run
    assert result.source == "--run-tests"
    [entry] = result.files
    assert entry.path == "calc.py" and entry.covered == 3 and entry.statements == 4


def test_run_tests_failure_is_not_run_with_outcome_metric(tmp_path: Path) -> None:
    write_tree(tmp_path, {**RUN_TREE, "tests/test_calc.py": "def test_add():\n    assert 1 == 2\n"})
    before = _tree_hash(tmp_path)
    report = run_audit(tmp_path, select=("TST007",), run_tests=True, test_timeout=120)
    assert _tree_hash(tmp_path) == before
    [note] = [n for n in report.not_checked if n.check == "coverage"]
    assert note.reason.startswith("--run-tests: tests failed (exit 1)")
    assert str(report.practice("testing").metrics["test_run"]).startswith("failed")


def test_run_tests_error_names_the_import_error_not_coverage_noise(tmp_path: Path) -> None:
    conftest = "import not_installed_anywhere_xyz\n"
    pyproject = RUN_TREE["pyproject.toml"] + "\n[tool.coverage.run]\nsource = ['calc']\n"
    write_tree(tmp_path, {**RUN_TREE, "pyproject.toml": pyproject, "tests/conftest.py": conftest})
    report = run_audit(tmp_path, select=("TST007",), run_tests=True, test_timeout=120)
    [note] = [n for n in report.not_checked if n.check == "coverage"]
    assert note.reason.startswith("--run-tests: tests error (exit 4)")
    assert "No module named 'not_installed_anywhere_xyz'" in note.reason, note.reason


def test_run_tests_timeout(tmp_path: Path) -> None:
    slow = "import time\n\n\ndef test_slow():\n    time.sleep(30)\n"
    write_tree(tmp_path, {**RUN_TREE, "tests/test_calc.py": slow})
    result = _gather(_project(tmp_path, run_tests=True, test_timeout=2))
    assert result.run is not None and result.run.outcome == "timeout"
    assert result.reason == "--run-tests: the tests did not finish within 2 s"
