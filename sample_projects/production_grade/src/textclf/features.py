"""Stateless text vectorisation and label encoding."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sklearn.feature_extraction.text import HashingVectorizer

from textclf.config import FeatureConfig

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]


class TextVectorizer:
    """Hashing n-gram vectoriser: no fitted state, so nothing to persist."""

    def __init__(self, cfg: FeatureConfig) -> None:
        self._hasher = HashingVectorizer(
            n_features=cfg.n_features,
            ngram_range=(1, cfg.ngram_max),
            lowercase=cfg.lowercase,
            alternate_sign=False,
            norm="l2",
        )
        self.n_features = cfg.n_features

    def transform(self, texts: Sequence[str]) -> FloatArray:
        matrix = self._hasher.transform(texts)
        return np.asarray(matrix.toarray(), dtype=np.float32)


@dataclass(frozen=True)
class LabelIndex:
    """Bidirectional mapping between string labels and contiguous ids."""

    classes: tuple[str, ...]

    @classmethod
    def from_labels(cls, labels: Sequence[str]) -> LabelIndex:
        return cls(classes=tuple(sorted(set(labels))))

    def encode(self, labels: Sequence[str]) -> IntArray:
        lookup = {label: i for i, label in enumerate(self.classes)}
        unknown = set(labels) - lookup.keys()
        if unknown:
            raise KeyError(f"unknown labels: {sorted(unknown)}")
        return np.fromiter((lookup[label] for label in labels), dtype=np.int64, count=len(labels))

    def decode(self, ids: IntArray) -> list[str]:
        classes = np.asarray(self.classes, dtype=object)
        return [str(label) for label in classes[ids]]
