"""Provides helpers shared by several test modules of the `testing` rules."""

from __future__ import annotations

LIB = {
    "pkg/__init__.py": "from .data import load\n",
    "pkg/data.py": "def load(path):\n" + "".join(f"    x{i} = {i}\n" for i in range(10)) + "    return path\n",
    "pkg/features.py": "def build(df):\n" + "".join(f"    y{i} = {i}\n" for i in range(10)) + "    return df\n",
    "pkg/report.py": "def render(r):\n" + "".join(f"    z{i} = {i}\n" for i in range(10)) + "    return r\n",
    "pkg/config.py": "".join(f"LR_{i} = {i}\n" for i in range(15)),
}
