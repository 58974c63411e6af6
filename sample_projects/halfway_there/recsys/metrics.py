"""Ranking metrics over top-k recommendation lists (vectorised)."""
import numpy as np


def hits_matrix(recommended: np.ndarray, relevant: list[set]) -> np.ndarray:
    """Boolean matrix: ``hits[u, r]`` is True if the r-th recommendation is relevant."""
    return np.array([[item in rel for item in row] for row, rel in zip(recommended, relevant)], dtype=bool)


def recall_at_k(hits: np.ndarray, n_relevant: np.ndarray, k: int) -> float:
    found = hits[:, :k].sum(axis=1)
    return float(np.mean(found / np.maximum(n_relevant, 1)))


def precision_at_k(hits, k):
    return float(hits[:, :k].mean())


def ndcg_at_k(hits: np.ndarray, n_relevant: np.ndarray, k: int) -> float:
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = (hits[:, :k] * discounts).sum(axis=1)
    ideal_len = np.minimum(n_relevant, k)
    idcg = np.cumsum(discounts)[np.maximum(ideal_len, 1) - 1]
    return float(np.mean(np.where(ideal_len > 0, dcg / idcg, 0.0)))


def coverage(recommended, n_items):
    return len(np.unique(recommended)) / n_items
