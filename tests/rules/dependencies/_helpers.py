"""Provides helpers shared by several test modules of the `dependencies` rules."""

from __future__ import annotations

PYPROJECT = """\
[project]
name = "churn"
requires-python = ">=3.11"
dependencies = ["numpy>=1.26,<3", "scikit-learn>=1.4", "pyyaml>=6"]

[project.optional-dependencies]
dev = ["pytest>=8", "mypy>=1.10"]
"""


CODE = "import numpy as np\nfrom sklearn.linear_model import Ridge\nimport yaml\n"
