"""Tests of rule TST011 (`mlaudit/rules/testing/tst011_no_ci_tests.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree
from tests.rules.testing._helpers import LIB


def test_tst011_follows_the_script_a_ci_step_calls(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/core.py": "def add(a, b):\n    return a + b\n",
        "tests/test_core.py": "from pkg.core import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
        ".ci/run": "#!/usr/bin/env bash\nset -e\nbash scripts/test.sh\n",
        "scripts/test.sh": "python -m venv .venv\n.venv/bin/python -m pytest -q\n",
    }
    write_tree(tmp_path, files)
    assert findings(tmp_path, "TST011") == []
    write_tree(tmp_path, {"scripts/test.sh": "python -m venv .venv\necho built\n"})
    [hit] = findings(tmp_path, "TST011")
    assert hit.path == ".ci/run" and "does not run the tests" in hit.message


def test_tst011_smoke_scripts_in_ci_are_an_info_not_a_warning(tmp_path: Path) -> None:
    workflow = "jobs:\n  smoke:\n    steps:\n      - run: python train.py --epochs 1\n      - run: python -m pkg.core\n"
    write_tree(
        tmp_path,
        {**LIB, "train.py": "print('train')\n", "tests/test_a.py": "def test_a():\n    assert 1\n"},
    )
    write_tree(tmp_path, {".github/workflows/ci.yml": workflow})
    [hit] = findings(tmp_path, "TST011")
    assert hit.severity is Severity.INFO and "train.py" in hit.message
    write_tree(tmp_path, {".github/workflows/ci.yml": "jobs:\n  b:\n    steps:\n      - run: echo hi\n"})
    [hit] = findings(tmp_path, "TST011")
    assert hit.severity is Severity.WARNING
