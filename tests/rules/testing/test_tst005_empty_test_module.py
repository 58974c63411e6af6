"""Tests of rule TST005 (`mlaudit/rules/testing/tst005_empty_test_module.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


def test_tst005_empty_test_module_but_not_helper_module(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "tests/test_features.py": "import pytest\n",
            "tests/test_helpers.py": "def make_frame():\n    return 1\n",
            "tests/conftest.py": "import pytest\n",
        },
    )
    assert [h.path for h in findings(tmp_path, "TST005")] == ["tests/test_features.py"]


def test_tst005_silent_on_a_timing_script_named_like_a_test_but_fires_on_constants_only(tmp_path: Path) -> None:
    timing = (
        "import timeit\n\n"
        "SETUP = 'import numpy as np; x = np.random.rand(300, 30)'\n"
        "print('=> comparing running time')\n"
        "slow = timeit.timeit('x.argsort(axis=1)', setup=SETUP, number=20)\n"
        "print(f'python: {slow:.3f}s')\n"
    )
    planned = "import numpy as np\n\nTOLERANCE = 1e-6\nSIZES = [8, 16, 32]\n"
    write_tree(tmp_path, {"tests/test_rank_speed.py": timing, "tests/test_rank_values.py": planned})
    assert [h.path for h in findings(tmp_path, "TST005")] == ["tests/test_rank_values.py"]
