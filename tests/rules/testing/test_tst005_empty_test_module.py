"""Tests of rule TST005 (`mlaudit/rules/testing/tst005_empty_test_module.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.facts.test_suite import suite_of
from tests.helpers import findings, project_of, write_tree


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


OPTIONAL_BACKEND_TESTS = """\
import unittest

try:
    import onnx
except ImportError:
    onnx = None

if onnx is not None:

    class ExportTest(unittest.TestCase):
        def test_export_keeps_inputs(self):
            self.assertEqual(len(onnx.helper.make_graph([], "g", [], []).input), 0)
"""
# the same guard, but all it defines under it is a constant: nothing is collected
OPTIONAL_BACKEND_CONSTANT = """\
try:
    import onnx
except ImportError:
    onnx = None

if onnx is not None:
    OPSET = 17
"""


# a function under the main guard is never defined when pytest imports the module
MAIN_GUARDED = """\
if __name__ == "__main__":

    def test_by_hand():
        assert 1 + 1 == 2
"""


def test_tst005_tests_defined_under_a_module_level_guard_are_collected(tmp_path: Path) -> None:
    files = {
        "tests/test_export.py": OPTIONAL_BACKEND_TESTS,
        "tests/test_opset.py": OPTIONAL_BACKEND_CONSTANT,
        "tests/test_by_hand.py": MAIN_GUARDED,
    }
    write_tree(tmp_path, files)
    assert "tests/test_opset.py" in [h.path for h in findings(tmp_path, "TST005")]
    collected = [(test.path, test.name) for test in suite_of(project_of(tmp_path)).functions]
    assert collected == [("tests/test_export.py", "ExportTest.test_export_keeps_inputs")]
