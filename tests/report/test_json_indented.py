"""The report's indented JSON is written by mlaudit's own pass: the text must be the standard module's, byte for byte."""

from __future__ import annotations

import enum
import json
from pathlib import Path

import pytest

from mlaudit.report import json as json_report
from tests.helpers import run_audit, write_tree


def _standard(data: object) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)


class _Level(enum.StrEnum):
    HIGH = "high"


@pytest.mark.parametrize(
    "data",
    [
        {},
        [],
        {"b": [], "a": {}, "c": [{}], "d": [[]]},
        {"text": 'quote " backslash \\ tab \t newline \n nul \x00 del \x7f', "unicode": "é 漢字 \u2028 🙂"},
        {"surrogate": "\udc80", "zero width": "\u200b"},
        {"ints": [0, -1, 2**70, True, False, None], "floats": [0.1, -0.0, 1e16, 1.5e-7, 3.0, 72.0]},
        {"nested": {"z": {"y": [1, [2, [3, {"x": "deep"}]]]}}, "tuple": (1, "two", (3,))},
        {"Zeta": 1, "alpha": 2, "_under": 3, "10": 4, "9": 5, "": 6},
        [{"path": "src/a.py", "line": 3}, {"path": "src/b.py", "line": None}],
    ],
)
def test_indented_text_is_the_standard_modules(data: object) -> None:
    assert json_report.indented(data) == _standard(data)  # type: ignore[arg-type]  # any JSON value


@pytest.mark.parametrize(
    "data",
    [
        {"nan": float("nan")},
        {"inf": [float("inf"), float("-inf")]},
        {1: "int key", 2: "another"},
        {True: "bool key"},
        {"enum": _Level.HIGH},
        {"subclass": [_Level.HIGH]},
    ],
)
def test_unusual_values_are_left_to_the_standard_module(data: dict[object, object]) -> None:
    assert json_report.indented(data) == _standard(data)  # type: ignore[arg-type]  # unusual on purpose


def test_unorderable_keys_fail_as_with_the_standard_module() -> None:
    with pytest.raises(TypeError):
        _standard({1: "a", "b": 2})
    with pytest.raises(TypeError):
        json_report.indented({1: "a", "b": 2})  # type: ignore[dict-item]  # unorderable on purpose


def test_a_whole_report_is_written_as_the_standard_module_writes_it(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "repo",
        {
            "train.py": "import numpy as np\n\nx = np.random.rand(3)\nprint('ünïcode', x)\n",
            "requirements.txt": "numpy\n",
        },
    )
    report = run_audit(root)
    assert json_report.dumps(report) == _standard(json_report.to_dict(report)) + "\n"
