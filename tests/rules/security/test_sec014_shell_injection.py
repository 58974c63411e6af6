"""Tests of rule SEC014 (`mlaudit/rules/security/sec014_shell_injection.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlaudit.model import Severity
from tests.helpers import findings, write_tree
from tests.rules.security._helpers import SAFE, UNSAFE


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("SEC014", [15, 16]),
    ],
)
def test_unsafe_calls_fire_and_safe_lookalikes_stay_silent(tmp_path: Path, code: str, expected: list[int]) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/unsafe.py": UNSAFE, "pkg/safe.py": SAFE})
    hits = findings(tmp_path, code)
    assert all(f.path == "pkg/unsafe.py" for f in hits)
    assert sorted(f.line or 0 for f in hits) == expected


def test_sec014_request_data_is_an_error_and_repository_values_a_warning(tmp_path: Path) -> None:
    code = (
        "import subprocess\nfrom flask import Flask, request\napp = Flask(__name__)\n\n"
        "def describe(repo_dir):\n    return subprocess.check_output(f'git -C {repo_dir} describe', shell=True)\n\n"
        "@app.post('/convert')\ndef convert():\n    name = request.form['name']\n"
        "    return subprocess.check_output(f'convert {name} out.png', shell=True)\n"
    )
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/app.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC014")}
    assert hits == {6: Severity.WARNING, 11: Severity.ERROR}


def test_sec014_follows_a_command_built_in_a_local_variable(tmp_path: Path) -> None:
    code = """\
import subprocess


def init_project(template: str) -> None:
    cmd = f"cookiecutter {template}"
    subprocess.run(cmd, check=True, shell=True)


def build(folder: str, no_cache: bool) -> None:
    prefix = "docker build --rm "
    if no_cache:
        cmd = prefix + "--no-cache " + folder
    else:
        cmd = prefix + folder
    subprocess.run(cmd, check=True, shell=True)


def clean() -> None:
    cmd = "make clean"
    subprocess.run(cmd, check=True, shell=True)
    cmd = f"rm -rf {folder}"
"""
    write_tree(tmp_path, {"tools/__init__.py": "", "tools/cli.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC014")}
    assert hits == {6: Severity.WARNING, 15: Severity.WARNING}


FIXED_COMMAND = """\
import os

PAGER = "less"


def find_pager():
    if os.system(f"({PAGER}) 2>{os.devnull}") == 0:
        return PAGER
    return None
"""
# the same shape, but the pager is the caller's value: a space or `;` in it changes the command
CALLERS_COMMAND = """\
import os

PAGER = "less"


def find_pager(pager=PAGER):
    if os.system(f"({pager}) 2>{os.devnull}") == 0:
        return pager
    return None
"""


def test_sec014_a_command_interpolated_only_from_fixed_values_takes_in_nothing(tmp_path: Path) -> None:
    write_tree(tmp_path, {"tool/__init__.py": "", "tool/pager.py": FIXED_COMMAND})
    assert findings(tmp_path, "SEC014") == []


def test_sec014_a_command_interpolating_a_parameter_is_still_reported(tmp_path: Path) -> None:
    write_tree(tmp_path, {"tool/__init__.py": "", "tool/pager.py": CALLERS_COMMAND})
    [hit] = findings(tmp_path, "SEC014")
    assert hit.line == 7 and hit.severity is Severity.WARNING
