"""Tests of rule DEP003 (`mlaudit/rules/dependencies/dep003_python_version_not_declared.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


def test_dep003_fires_without_python_version(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "numpy==1.26.4\n", "a.py": ""})
    assert len(findings(tmp_path, "DEP003")) == 1


def test_dep003_silent_with_python_version_file(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "numpy==1.26.4\n", ".python-version": "3.11.9\n", "a.py": ""})
    assert findings(tmp_path, "DEP003") == []


def test_dep003_runtime_txt_names_the_python_only_outside_a_requirements_folder(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements/runtime.txt": "numpy\nmatplotlib\n", "a.py": ""})
    [hit] = findings(tmp_path, "DEP003")
    assert "No Python version declared" in hit.message
    write_tree(
        tmp_path / "heroku", {"requirements.txt": "numpy==1.26.4\n", "runtime.txt": "python-3.11.9\n", "a.py": ""}
    )
    assert findings(tmp_path / "heroku", "DEP003") == []


def test_dep003_silent_when_the_dockerfile_builds_on_an_official_python_image(tmp_path: Path) -> None:
    dockerfile = "ARG PY=3.11\nFROM python:${PY}-slim AS base\nCOPY . /app\nRUN pip install -r requirements.txt\n"
    write_tree(tmp_path, {"requirements.txt": "numpy==1.26.4\n", "docker/Dockerfile": dockerfile, "a.py": ""})
    assert findings(tmp_path, "DEP003") == []


def test_dep003_fires_when_the_image_names_no_python_version(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "numpy==1.26.4\n",
        "Dockerfile": "FROM python:latest\nFROM pytorch/pytorch:2.2.0-cuda12.1-cudnn8-runtime\n",
        "examples/Dockerfile": "FROM python:3.10-slim\n",
        "a.py": "",
    }
    write_tree(tmp_path, files)
    assert len(findings(tmp_path, "DEP003")) == 1


SETUP_CONFIG_DICT = """from setuptools import setup

config = {
    "name": "vizkit",
    "install_requires": ["numpy>=1.16", "matplotlib>=3.0"],
    "python_requires": ">=3.8, <4",
}

if __name__ == "__main__":
    setup(**config)
"""


def test_dep003_reads_python_requires_from_the_dict_setup_unpacks(tmp_path: Path) -> None:
    write_tree(tmp_path / "dict", {"setup.py": SETUP_CONFIG_DICT, "vizkit/__init__.py": "import numpy\n"})
    assert findings(tmp_path / "dict", "DEP003") == []
    assert findings(tmp_path / "dict", "DEP004") == []
    # Look-alike: the same dict without python_requires still declares no Python version.
    bare = SETUP_CONFIG_DICT.replace('    "python_requires": ">=3.8, <4",\n', "")
    write_tree(tmp_path / "bare", {"setup.py": bare, "vizkit/__init__.py": "import numpy\n"})
    assert len(findings(tmp_path / "bare", "DEP003")) == 1


SETUP_FORMATTED = """import sys

from setuptools import setup

REQUIRED_MAJOR = 3
REQUIRED_MINOR = 9

if sys.version_info < (REQUIRED_MAJOR, REQUIRED_MINOR):
    raise RuntimeError("Python too old")

setup(
    name="dpkit",
    install_requires=["numpy>=1.22"],
    python_requires=f">={REQUIRED_MAJOR}.{REQUIRED_MINOR}",
)
"""


def test_dep003_reads_python_requires_formatted_from_module_constants(tmp_path: Path) -> None:
    """`python_requires=f">={REQUIRED_MAJOR}.{REQUIRED_MINOR}"` declares Python >=3.9. Look-alike: an f-string
    built from a value read at build time (the running interpreter) declares nothing the file shows."""
    write_tree(tmp_path / "const", {"setup.py": SETUP_FORMATTED, "dpkit/__init__.py": "import numpy\n"})
    assert findings(tmp_path / "const", "DEP003") == []
    running = SETUP_FORMATTED.replace('{REQUIRED_MINOR}"', '{sys.version_info.minor}"')
    write_tree(tmp_path / "running", {"setup.py": running, "dpkit/__init__.py": "import numpy\n"})
    assert len(findings(tmp_path / "running", "DEP003")) == 1
