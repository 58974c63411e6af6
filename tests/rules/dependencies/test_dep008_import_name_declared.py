"""Tests of rule DEP008 (`mlaudit/rules/dependencies/dep008_import_name_declared.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


def test_dep008_fires_on_import_name_declared(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "sklearn\nnumpy\n", "a.py": "import sklearn\n"})
    [hit] = findings(tmp_path, "DEP008")
    assert hit.line == 1 and "scikit-learn" in hit.message


def test_dep008_silent_when_names_coincide(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "tensorflow\npsycopg2\nlightgbm\n", "a.py": ""})
    assert findings(tmp_path, "DEP008") == []


def test_dep008_a_framework_declared_by_its_import_name_installs_another_project(tmp_path: Path) -> None:
    """`paddle` on the index is an unrelated project: PaddlePaddle installs as paddlepaddle."""
    write_tree(tmp_path, {"requirements.txt": "paddle==2.6\npaddlepaddle-gpu==2.6.1\n", "a.py": "import paddle\n"})
    [hit] = findings(tmp_path, "DEP008")
    assert hit.line == 1 and "paddlepaddle" in hit.message


def test_dep008_an_sdk_published_under_its_import_name_too_is_declared_right(tmp_path: Path) -> None:
    """Google publishes the Vertex AI SDK as `vertexai` as well; `a2a` on the index is not the A2A SDK (a2a-sdk)."""
    reqs = "vertexai>=1.71\na2a==0.44\n"
    write_tree(tmp_path, {"requirements.txt": reqs, "a.py": "import vertexai\nfrom a2a.types import Task\n"})
    [hit] = findings(tmp_path, "DEP008")
    assert hit.line == 2 and "a2a-sdk" in hit.message
