"""Tests of rule REP004 (`mlaudit/rules/reproducibility/rep004_non_deterministic_jax_key.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


def test_rep004_jax_key_from_time(tmp_path: Path) -> None:
    code = "import time\n\nimport jax\n\nkey = jax.random.PRNGKey(int(time.time()))\nok = jax.random.PRNGKey(0)\n"
    write_tree(tmp_path, {"run.py": code})
    [hit] = findings(tmp_path, "REP004")
    assert hit.line == 5 and "time.time" in hit.message
