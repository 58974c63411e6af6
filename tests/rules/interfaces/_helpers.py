"""Provides helpers shared by several test modules of the `interfaces` rules."""

from __future__ import annotations

RETRIEVERS = """class BM25Retriever:
    def retrieve(self, query, k):
        return []


class DenseRetriever:
    def retrieve(self, query, k):
        return []
"""


SMALL_REPO = {"thresholds": {"api_min_lines": 0}}


PROTOCOL = """from typing import Protocol


class Retriever(Protocol):
    def retrieve(self, query: str, k: int) -> list[str]: ...


"""


def _padded(code: str) -> str:
    return code + "".join(f"\n\ndef helper_{i}(x):\n    return x + {i}\n" for i in range(160))
