"""Tests of the `typing` practice that span several rules (or none in particular)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import PracticeScore
from tests.helpers import findings, run_audit, write_tree


def test_typing_not_applicable_for_notebook_only_repo(tmp_path: Path) -> None:
    write_tree(tmp_path, {"tests/test_a.py": "def test_a():\n    assert True\n"})
    assert run_audit(tmp_path, select=("TYP",)).practice("typing").score is None


def test_typ003_and_typ005_fixes_follow_layout_and_declared_python(tmp_path: Path) -> None:
    pyproject = '[project]\nname = "churn"\nrequires-python = ">=3.9"\n'
    write_tree(tmp_path / "a", {"pyproject.toml": pyproject, "src/churn/__init__.py": "", "src/churn/m.py": "x = 1\n"})
    [checker] = findings(tmp_path / "a", "TYP003")
    assert 'files = ["src"]' in (checker.fix or "") and 'python_version = "3.9"' in (checker.fix or "")
    [linter] = findings(tmp_path / "a", "TYP005")
    assert 'target-version = "py39"' in (linter.fix or "")
    write_tree(
        tmp_path / "b", {"requirements.txt": "tensorflow==1.14\n", "alaska/__init__.py": "", "alaska/m.py": "x = 1\n"}
    )
    [checker] = findings(tmp_path / "b", "TYP003")
    fix = checker.fix or ""
    assert "mypy.ini" in fix and 'files = ["alaska"]' in fix and "src" not in fix and "python_version" not in fix


def test_route_typed_by_its_response_model_counts_as_fully_annotated(tmp_path: Path) -> None:
    route = (
        "from fastapi import FastAPI\nfrom pydantic import BaseModel\n\napp = FastAPI()\n\n\n"
        "class Reply(BaseModel):\n    label: str\n\n\n"
        '@app.post("/predict", response_model={model})\n'
        "def predict(text: str):\n    return Reply(label=text)\n"
    )
    write_tree(tmp_path / "typed", {"svc/__init__.py": "", "svc/api.py": route.format(model="Reply")})
    write_tree(tmp_path / "untyped", {"svc/__init__.py": "", "svc/api.py": route.format(model="None")})
    typed = run_audit(tmp_path / "typed", select=("TYP",)).practice("typing")
    untyped = run_audit(tmp_path / "untyped", select=("TYP",)).practice("typing")
    assert _evidence(typed, "functions_annotated").startswith("1 of 1")
    assert _evidence(untyped, "functions_annotated").startswith("0 of 1")  # response_model=None declares nothing


def _evidence(practice: PracticeScore, key: str) -> str:
    return next(c.evidence for c in practice.capabilities if c.key == key)
