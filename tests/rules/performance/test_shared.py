"""Tests of the `performance` practice that span several rules (or none in particular)."""

from __future__ import annotations

import json
from pathlib import Path

from mlaudit.model import Status
from tests.helpers import findings, run_audit, write_tree


def test_prf005_and_prf001_report_a_notebook_loop_with_its_cell(tmp_path: Path) -> None:
    cells = [
        {"cell_type": "code", "source": "import numpy as np\n", "outputs": []},
        {"cell_type": "code", "source": "for v in vectors:\n    print(np.linalg.norm(v))\n", "outputs": []},
    ]
    write_tree(tmp_path, {"nb.ipynb": json.dumps({"cells": cells, "nbformat": 4})})
    [hit] = findings(tmp_path, "PRF001")
    assert (hit.cell, hit.line) == (2, 1)


def test_performance_is_na_without_numeric_libraries(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": "import json\n\nfor x in range(len(data)):\n    total += data[x] * 2\n"})
    practice = run_audit(tmp_path, select=("PRF",)).practice("performance")
    assert practice.status is Status.NOT_APPLICABLE
