"""Tests `--add-ignore REASON`: reasoned suppressions at every open finding, written safely and only on request."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mlaudit.cli import main
from tests.helpers import write_tree

QUICK = ["--offline", "--history-depth", "0"]
CORE = '''def add(a: int, b: int) -> int:
    print("adding", a, b)
    return a + b


def total(rows: list[int]) -> int:
    print(len(rows))  # noqa: T201
    text = """
    print("inside a string")
    """
    value = sum(rows) + \\
        len(text)
    return value
'''
FILES = {
    "pyproject.toml": "[project]\nname = 'x'\nrequires-python = '>=3.11'\ndependencies = []\n",
    "README.md": "# x\n",
    "x/__init__.py": "",
    "x/core.py": CORE,
}


def open_findings(repo: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    assert main([*QUICK, "--json", "--select", "LOG001", str(repo)]) == 0
    data = json.loads(capsys.readouterr().out)
    return [f for f in data["findings"] if f["suppressed"] is None]


def test_add_ignore_silences_every_open_finding_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = write_tree(tmp_path / "x", FILES)
    assert len(open_findings(repo, capsys)) == 2
    assert (
        main([*QUICK, "--plain", "--select", "LOG001", "--add-ignore", "legacy output, tracked in #12", str(repo)]) == 0
    )
    assert "added 2 suppression(s) in 1 file(s)" in capsys.readouterr().err
    text = (repo / "x" / "core.py").read_text(encoding="utf-8")
    assert '    print("adding", a, b)  # mlaudit: ignore[LOG001] legacy output, tracked in #12\n' in text
    assert "    print(len(rows))  # noqa: T201  # mlaudit: ignore[LOG001] legacy output, tracked in #12\n" in text
    assert '    print("inside a string")\n' in text, "string contents are never edited"
    assert open_findings(repo, capsys) == []
    compile(text, "core.py", "exec")
    assert [p.name for p in (repo / "x").iterdir() if p.name.startswith(".")] == [], "no temporary file left"


def test_add_ignore_needs_a_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = write_tree(tmp_path / "x", FILES)
    assert main([*QUICK, "--plain", "--add-ignore", "  ", str(repo)]) == 2
    assert "--add-ignore needs a reason" in capsys.readouterr().err
    assert (repo / "x" / "core.py").read_text(encoding="utf-8") == CORE


def test_without_the_flag_nothing_in_the_tree_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = write_tree(tmp_path / "x", FILES)
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    assert main([*QUICK, "--plain", str(repo)]) == 0
    assert {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()} == before


def test_add_ignore_never_writes_through_a_symlink(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = write_tree(tmp_path / "outside", {"victim.py": "def f() -> None:\n    print(1)\n"})
    repo = write_tree(tmp_path / "x", FILES)
    os.symlink(outside / "victim.py", repo / "x" / "linked.py")
    main([*QUICK, "--plain", "--select", "LOG001", "--add-ignore", "reviewed", str(repo)])
    assert (outside / "victim.py").read_text(encoding="utf-8") == "def f() -> None:\n    print(1)\n"
    assert (repo / "x" / "linked.py").is_symlink()


def test_a_line_that_continues_is_left_alone_and_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = "def f(rows: list[int]) -> int:\n    return print(len(rows)) or \\\n        0\n"
    repo = write_tree(tmp_path / "x", {**FILES, "x/core.py": source})
    assert main([*QUICK, "--plain", "--select", "LOG001", "--add-ignore", "reviewed", str(repo)]) == 0
    assert "not inserted: LOG001 at x/core.py:2: the line continues" in capsys.readouterr().err
    assert (repo / "x" / "core.py").read_text(encoding="utf-8") == source


def test_output_files_are_never_written_through_a_symlink(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = write_tree(tmp_path / "x", FILES)
    victim = tmp_path / "bashrc"
    victim.write_text("keep me\n", encoding="utf-8")
    os.symlink(victim, tmp_path / "mlaudit.sarif")
    assert main([*QUICK, "--plain", "--sarif", str(tmp_path / "mlaudit.sarif"), str(repo)]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert victim.read_text(encoding="utf-8") == "keep me\n"
