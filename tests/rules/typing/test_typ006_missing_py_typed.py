"""Tests of rule TYP006 (`mlaudit/rules/typing/typ006_missing_py_typed.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree
from tests.rules.typing._helpers import TYPED, UNTYPED


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


def test_typ006_a_subpackage_under_a_folder_without_init_ships_with_its_top_package(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": "[project]\nname = 'explain'\n",
        "explain/__init__.py": "",
        "explain/core.py": TYPED,
        "explain/explainers/text/__init__.py": "",
        "explain/explainers/text/tokens.py": TYPED,
        "viz/__init__.py": "",
        "viz/plots.py": TYPED,
    }
    write_tree(tmp_path, {**files, "explain/py.typed": ""})
    assert [h.path for h in findings(tmp_path, "TYP006")] == ["viz/__init__.py"]
    write_tree(tmp_path / "b", files)
    assert sorted(str(h.path) for h in findings(tmp_path / "b", "TYP006")) == ["explain/__init__.py", "viz/__init__.py"]
