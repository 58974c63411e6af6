"""Tests the report flags end to end: `python -m mlaudit` in a subprocess on a tiny repository."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.helpers import write_tree

SCHEMA_FILE = Path(__file__).parent / "sarif-schema-2.1.0.json"
TINY = {
    "pyproject.toml": '[project]\nname = "tiny"\nversion = "0.1"\nrequires-python = ">=3.11"\n',
    "README.md": "# tiny\n",
    "tiny/__init__.py": "",
    "tiny/core.py": 'def load(path):\n    print("loading", path)\n    return open(path).read()\n',
    "tests/test_core.py": "from tiny.core import load\n\n\ndef test_load(tmp_path):\n    assert load\n",
}


def mlaudit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mlaudit", "--offline", "--history-depth", "0", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "tiny", TINY)


def test_markdown_to_stdout(repo: Path) -> None:
    done = mlaudit("--markdown", "-", str(repo), cwd=repo.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("## mlaudit scorecard: tiny\n")
    assert "| 5 | Logging, not printing |" in done.stdout


def test_sarif_badge_and_fix_report_files(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    done = mlaudit(
        "--sarif", "out/r.sarif", "--badge", "out/badge.json", "--fix-report", "out/fix.md", str(repo), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    log = json.loads((out / "r.sarif").read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    assert log["runs"][0]["tool"]["driver"]["name"] == "mlaudit"
    badge = json.loads((out / "badge.json").read_text(encoding="utf-8"))
    assert badge["schemaVersion"] == 1
    assert badge["message"].split()[0] in {"A", "B", "C", "D", "F"}
    assert (out / "fix.md").read_text(encoding="utf-8").startswith("# Fix-it report: tiny")


def test_compare_with_an_earlier_report(repo: Path, tmp_path: Path) -> None:
    base = tmp_path / "base.json"
    first = mlaudit("-o", str(base), "--plain", str(repo), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    (repo / "tiny" / "extra.py").write_text('def f():\n    print("more")\n', encoding="utf-8")
    done = mlaudit("--compare", str(base), "--markdown", "-", str(repo), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "### Changes since base" in done.stdout
    assert "| Δ |" in done.stdout
