"""Tests of rule SEC022 (`mlaudit/rules/security/sec022_runtime_pip_install.py`)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import findings, write_tree


def test_sec022_subprocess_pip_and_installing_requirement_checker(tmp_path: Path) -> None:
    code = """\
import subprocess, sys

def check_packages(names, install=True):
    return names

def ensure_backend():
    subprocess.check_call([sys.executable, "-m", "pip", "install", "onnxruntime"])
"""
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/deps.py": code})
    assert sorted(f.line or 0 for f in findings(tmp_path, "SEC022")) == [3, 7]


def test_sec022_silent_on_checkers_that_only_report_and_pip_queries(tmp_path: Path) -> None:
    code = """\
import subprocess, sys

def check_packages(names, install=False):
    return names

def installed():
    return subprocess.run([sys.executable, "-m", "pip", "freeze"], capture_output=True, check=True).stdout
"""
    nb = json.dumps(
        {
            "cells": [{"cell_type": "code", "source": "%pip install lightgbm\n", "outputs": [], "metadata": {}}],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/deps.py": code, "notebooks/setup.ipynb": nb})
    assert findings(tmp_path, "SEC022") == []
