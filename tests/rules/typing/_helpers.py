"""Provides helpers shared by several test modules of the `typing` rules."""

from __future__ import annotations

TYPED = """
from typing import Any

class Model:
    def __init__(self, size: int) -> None:
        self.size = size

    def predict(self, x: list[float]) -> float:
        return sum(x) / self.size

def load(path: str, *args: Any, **kwargs: Any) -> str:
    return path
"""


UNTYPED = """
def load(path, limit=None):
    return path

def clean(df):
    return df

def score(y, p) -> float:
    return 0.0

class Model:
    def __init__(self, size):
        self.size = size
"""
