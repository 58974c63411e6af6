"""Tests of rule SEC002 (`mlaudit/rules/security/sec002_secret_in_notebook_output.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.security._helpers import code_cell, notebook
from tests.test_secrets import fake, rand


def test_sec002_secret_in_output_with_cell_index(tmp_path: Path) -> None:
    key = fake("openai")
    cells = [
        code_cell("x = 1"),
        code_cell("print('openai key:', os.environ['OPENAI_API_KEY'])", f"openai key: {key}\n"),
    ]
    write_tree(tmp_path, {"train.ipynb": notebook(cells)})
    [hit] = findings(tmp_path, "SEC002")
    assert hit.cell == 2 and key not in hit.message
    assert findings(tmp_path, "SEC001") == []


def test_sec002_silent_on_image_outputs_and_hash_prints(tmp_path: Path) -> None:
    image = rand(600, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    cell = code_cell("plot()", "checksum 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n")
    cell["outputs"] = [*cell["outputs"], {"output_type": "display_data", "data": {"image/png": image}}]  # type: ignore[misc]
    write_tree(tmp_path, {"eda.ipynb": notebook([cell])})
    assert findings(tmp_path, "SEC002") == []
