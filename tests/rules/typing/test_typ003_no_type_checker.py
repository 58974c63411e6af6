"""Tests of rule TYP003 (`mlaudit/rules/typing/typ003_no_type_checker.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree


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


def test_typ003_silent_with_ty_or_pyrefly_configured_but_not_with_a_tool_of_a_similar_name(tmp_path: Path) -> None:
    ty = "[project]\nname = 'x'\n\n[tool.ty.rules]\npossibly-unbound-attribute = 'error'\n"
    write_tree(tmp_path / "ty", {"pyproject.toml": ty, "pkg/__init__.py": ""})
    assert findings(tmp_path / "ty", "TYP003") == []
    write_tree(tmp_path / "pyrefly", {"pyrefly.toml": "project_includes = ['pkg']\n", "pkg/__init__.py": ""})
    assert findings(tmp_path / "pyrefly", "TYP003") == []
    other = "[project]\nname = 'x'\n\n[tool.typos]\nextend-ignore-re = []\n"
    write_tree(tmp_path / "typos", {"pyproject.toml": other, "pkg/__init__.py": ""})
    assert len(findings(tmp_path / "typos", "TYP003")) == 1


def test_typ003_silent_when_the_modules_carry_a_checkers_mode_header_but_not_for_one_copied_file(
    tmp_path: Path,
) -> None:
    module = "# pyre-strict\n\nfrom typing import List\n\n\ndef total(xs: List[int]) -> int:\n    return sum(xs)\n"
    plain = "def mean(xs):\n    return sum(xs) / len(xs)\n"
    headed = {f"attr/m{i}.py": module for i in range(3)}
    write_tree(tmp_path / "a", {"attr/__init__.py": "", **headed, "attr/util.py": plain})
    assert findings(tmp_path / "a", "TYP003") == []
    copied = {f"attr/m{i}.py": plain for i in range(7)}
    write_tree(tmp_path / "b", {"attr/__init__.py": "", **copied, "attr/vendored.py": module})
    assert len(findings(tmp_path / "b", "TYP003")) == 1
