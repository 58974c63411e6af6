"""Provides helpers shared by several test modules of the `layout` rules."""

from __future__ import annotations

import json


def notebook(*cells: str, outputs: str = "") -> str:
    """Return a minimal nbformat-4 notebook whose code cells hold `cells`."""
    out = [{"output_type": "stream", "name": "stdout", "text": outputs}] if outputs else []
    body = [{"cell_type": "code", "source": src, "outputs": out, "metadata": {}} for src in cells]
    return json.dumps({"cells": body, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


PACKAGE = {
    "pyproject.toml": "[project]\nname = 'churn'\n",
    "README.md": "# churn\n",
    "src/churn/__init__.py": "",
    "src/churn/train.py": "def fit() -> None:\n    pass\n",
    "tests/test_train.py": "def test_fit() -> None:\n    assert True\n",
}
