"""Tests for the typing practice rules."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, run_audit, run_audit_rules_only, write_tree

TYPED = """
from typing import Any

class Model:
    def __init__(self, size: int) -> None:
        self.size = size

    def predict(self, x: list[float]) -> float:
        return sum(x) / self.size

def load(path: str, *args: Any, **kwargs: Any) -> str:
    return path
"""

UNTYPED = """
def load(path, limit=None):
    return path

def clean(df):
    return df

def score(y, p) -> float:
    return 0.0

class Model:
    def __init__(self, size):
        self.size = size
"""


def test_typ001_measures_coverage_and_deducts(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/untyped.py": UNTYPED, "tests/test_x.py": "def test_a(x): ..."})
    report = run_audit_rules_only(tmp_path, select=("TYP001",))
    typing = report.practice("typing")
    assert typing.metrics["annotated_functions_pct"] == 0.0
    assert typing.metrics["functions_counted"] == 4
    # 1 of 6 parameters annotated? none: score has an annotated return only
    assert typing.metrics["annotated_parameters_pct"] == 0.0
    assert sum(d.points for d in typing.deductions) == 60


def test_typ001_no_deduction_when_fully_typed(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/model.py": TYPED})
    typing = run_audit_rules_only(tmp_path, select=("TYP001",)).practice("typing")
    assert typing.metrics["annotated_functions_pct"] == 100.0
    assert typing.score == 100


def test_typ001_init_without_return_and_self_are_fine(tmp_path: Path) -> None:
    code = "class A:\n    def __init__(self, n: int):\n        self.n = n\n    @classmethod\n    def make(cls) -> 'A':\n        return cls(1)\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": code})
    assert run_audit(tmp_path, select=("TYP001",)).practice("typing").metrics["annotated_functions_pct"] == 100.0


def test_typ002_names_worst_modules(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/untyped.py": UNTYPED, "pkg/model.py": TYPED})
    hits = findings(tmp_path, "TYP002")
    assert [h.path for h in hits] == ["pkg/untyped.py"]
    assert "0 of 4 functions" in hits[0].message


def test_typ003_fires_without_type_checker(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\n[tool.ruff]\n", "pkg/__init__.py": ""})
    [hit] = findings(tmp_path, "TYP003")
    assert hit.path is None and hit.severity is Severity.WARNING


def test_typ003_silent_with_setup_cfg_mypy_or_precommit(tmp_path: Path) -> None:
    write_tree(tmp_path, {"setup.cfg": "[mypy]\nstrict = True\n", "pkg/__init__.py": ""})
    assert findings(tmp_path, "TYP003") == []
    other = tmp_path / "other"
    hook = "repos:\n  - repo: https://github.com/pre-commit/mirrors-mypy\n    hooks:\n      - id: mypy\n"
    write_tree(other, {".pre-commit-config.yaml": hook, "pkg/__init__.py": ""})
    assert findings(other, "TYP003") == []


def test_typ004_fires_on_package_wide_ignore_errors(tmp_path: Path) -> None:
    pyproject = "[tool.mypy]\nstrict = true\n[[tool.mypy.overrides]]\nmodule = 'churn.*'\nignore_errors = true\n"
    write_tree(tmp_path, {"pyproject.toml": pyproject, "churn/__init__.py": ""})
    [hit] = findings(tmp_path, "TYP004")
    assert "churn.*" in hit.message and hit.path == "pyproject.toml"


def test_typ004_silent_for_single_module_override(tmp_path: Path) -> None:
    pyproject = "[tool.mypy]\nstrict = true\n[[tool.mypy.overrides]]\nmodule = 'churn.legacy'\nignore_errors = true\n"
    write_tree(tmp_path, {"pyproject.toml": pyproject, "churn/__init__.py": ""})
    assert findings(tmp_path, "TYP004") == []


def test_typ004_fires_on_global_ini_ignore_errors(tmp_path: Path) -> None:
    write_tree(tmp_path, {"mypy.ini": "[mypy]\nignore_errors = True\n", "churn/__init__.py": ""})
    [hit] = findings(tmp_path, "TYP004")
    assert hit.path == "mypy.ini"


def test_typ005_fires_without_linter(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\n[tool.mypy]\n", "pkg/__init__.py": ""})
    [hit] = findings(tmp_path, "TYP005")
    assert "No linter" in hit.message


def test_typ005_silent_with_flake8_file_or_tox_section(tmp_path: Path) -> None:
    write_tree(tmp_path, {".flake8": "[flake8]\nmax-line-length = 100\n", "pkg/__init__.py": ""})
    assert findings(tmp_path, "TYP005") == []
    other = tmp_path / "other"
    write_tree(other, {"tox.ini": "[flake8]\nmax-line-length = 100\n", "pkg/__init__.py": ""})
    assert findings(other, "TYP005") == []


def test_typ006_notes_typed_package_without_marker(tmp_path: Path) -> None:
    write_tree(
        tmp_path, {"pyproject.toml": "[project]\nname = 'pkg'\n", "src/pkg/__init__.py": "", "src/pkg/m.py": TYPED}
    )
    [hit] = findings(tmp_path, "TYP006")
    assert hit.path == "src/pkg/__init__.py" and hit.severity is Severity.INFO


def test_typ006_silent_with_marker_or_untyped_app(tmp_path: Path) -> None:
    files = {"pyproject.toml": "[project]\nname = 'pkg'\n", "src/pkg/__init__.py": "", "src/pkg/m.py": TYPED}
    write_tree(tmp_path, {**files, "src/pkg/py.typed": ""})
    assert findings(tmp_path, "TYP006") == []
    other = tmp_path / "other"
    write_tree(other, {**files, "src/pkg/m.py": UNTYPED})
    assert findings(other, "TYP006") == []


def test_typ007_notes_any_heavy_signature(tmp_path: Path) -> None:
    code = "from typing import Any\n\ndef train(model: Any, data: Any, epochs: int) -> Any:\n    return model\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/t.py": code})
    [hit] = findings(tmp_path, "TYP007")
    assert "train()" in hit.message and "3 of 4" in hit.message


def test_typ007_silent_for_kwargs_any_and_dict_any(tmp_path: Path) -> None:
    code = (
        "from typing import Any\n\n"
        "def log(msg: str, *args: Any, **kwargs: Any) -> None: ...\n"
        "def to_json(row: dict[str, Any], value: Any) -> str: ...\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/t.py": code})
    assert findings(tmp_path, "TYP007") == []


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
