"""Tests of rule DEP001 (`mlaudit/rules/dependencies/dep001_no_dependency_declarations.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.dependencies._helpers import CODE


def test_dep001_fires_when_nothing_is_declared(tmp_path: Path) -> None:
    write_tree(tmp_path, {"train.py": CODE})
    [hit] = findings(tmp_path, "DEP001")
    assert "3 third-party packages (numpy, sklearn, yaml)" in hit.message


def test_dep001_silent_for_stdlib_only_code(tmp_path: Path) -> None:
    write_tree(tmp_path, {"tool.py": "import json, os\nfrom pathlib import Path\nimport helpers\n", "helpers.py": ""})
    assert findings(tmp_path, "DEP001") == []
