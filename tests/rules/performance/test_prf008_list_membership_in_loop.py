"""Tests of rule PRF008 (`mlaudit/rules/performance/prf008_list_membership_in_loop.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.performance._helpers import _lines


def test_prf008_list_membership_in_loop(tmp_path: Path) -> None:
    code = (
        "import numpy as np\n\n\n"
        "def bag(tokens, vocabulary):\n"
        "    words = [w.lower() for w in tokens]\n"
        "    out = np.zeros(len(vocabulary))\n"
        "    for i, w in enumerate(vocabulary):\n"
        "        if w in words:\n"
        "            out[i] = 1\n"
        "    return out\n\n\n"
        "def keep(tokens):\n"
        "    stop = ['a', 'the']\n"
        "    wanted = {t for t in tokens}\n"
        "    take_indices = [i for i in range(4)]\n"
        "    return [t for t in tokens if t not in stop and t in wanted and len(t) in take_indices]\n"
    )
    write_tree(tmp_path, {"bow.py": code})
    assert _lines(tmp_path, "PRF008") == [8]
    [hit] = findings(tmp_path, "PRF008")
    assert "(words_set = set(words))" in (hit.fix or "")
