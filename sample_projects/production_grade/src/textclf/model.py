"""Classifier interface and two interchangeable implementations."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
import torch
from torch import nn

from textclf.config import ModelConfig
from textclf.features import FloatArray, IntArray

logger = logging.getLogger(__name__)

META_FILE = "classifier.json"


@runtime_checkable
class Classifier(Protocol):
    """Anything that maps feature rows to class probabilities."""

    kind: str
    n_classes: int

    def fit(self, features: FloatArray, labels: IntArray) -> None: ...

    def predict_proba(self, features: FloatArray) -> FloatArray: ...

    def save(self, directory: Path) -> None: ...


def _softmax(logits: FloatArray) -> FloatArray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)


def _write_meta(directory: Path, kind: str, n_features: int, n_classes: int) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    meta = {"kind": kind, "n_features": n_features, "n_classes": n_classes}
    (directory / META_FILE).write_text(json.dumps(meta), encoding="utf-8")


class CentroidClassifier(Classifier):
    """Nearest-centroid classifier on L2-normalised features (cosine similarity)."""

    kind = "centroid"

    def __init__(self, n_features: int, n_classes: int, temperature: float = 10.0) -> None:
        self.n_features = n_features
        self.n_classes = n_classes
        self.temperature = temperature
        self.centroids = np.zeros((n_classes, n_features), dtype=np.float32)

    def fit(self, features: FloatArray, labels: IntArray) -> None:
        one_hot = np.eye(self.n_classes, dtype=np.float32)[labels]
        sums = one_hot.T @ features
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        self.centroids = (sums / np.maximum(norms, 1e-12)).astype(np.float32)

    def predict_proba(self, features: FloatArray) -> FloatArray:
        return _softmax(self.temperature * (features @ self.centroids.T))

    def save(self, directory: Path) -> None:
        _write_meta(directory, self.kind, self.n_features, self.n_classes)
        np.save(directory / "centroids.npy", self.centroids, allow_pickle=False)

    @classmethod
    def load(cls, directory: Path, n_features: int, n_classes: int) -> CentroidClassifier:
        clf = cls(n_features, n_classes)
        clf.centroids = np.load(directory / "centroids.npy", allow_pickle=False)
        return clf


class LinearClassifier(Classifier):
    """Multinomial logistic regression trained with mini-batch AdamW."""

    kind = "linear"

    def __init__(self, n_features: int, n_classes: int, cfg: ModelConfig, seed: int) -> None:
        self.n_features = n_features
        self.n_classes = n_classes
        self.cfg = cfg
        self._generator = torch.Generator().manual_seed(seed)
        self.net = nn.Linear(n_features, n_classes)

    def fit(self, features: FloatArray, labels: IntArray) -> None:
        x, y = torch.from_numpy(features), torch.from_numpy(labels)
        optimizer = torch.optim.AdamW(
            self.net.parameters(), lr=self.cfg.learning_rate, weight_decay=self.cfg.weight_decay
        )
        self.net.train()
        for epoch in range(self.cfg.epochs):
            loss = self._run_epoch(x, y, optimizer)
            logger.info("epoch %d/%d loss=%.4f", epoch + 1, self.cfg.epochs, loss)

    def _run_epoch(self, x: torch.Tensor, y: torch.Tensor, optimizer: torch.optim.Optimizer) -> float:
        order = torch.randperm(len(x), generator=self._generator)
        total = 0.0
        for batch in order.split(self.cfg.batch_size):
            loss = nn.functional.cross_entropy(self.net(x[batch]), y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += float(loss.item()) * len(batch)
        return total / max(len(x), 1)

    @torch.inference_mode()
    def predict_proba(self, features: FloatArray) -> FloatArray:
        self.net.eval()
        chunks = [
            torch.softmax(self.net(batch), dim=1)
            for batch in torch.from_numpy(features).split(self.cfg.batch_size)
        ]
        if not chunks:
            return np.zeros((0, self.n_classes), dtype=np.float32)
        return torch.cat(chunks).numpy().astype(np.float32)

    def save(self, directory: Path) -> None:
        _write_meta(directory, self.kind, self.n_features, self.n_classes)
        torch.save(self.net.state_dict(), directory / "linear.pt")

    @classmethod
    def load(cls, directory: Path, n_features: int, n_classes: int, cfg: ModelConfig) -> LinearClassifier:
        clf = cls(n_features, n_classes, cfg, seed=0)
        state = torch.load(directory / "linear.pt", map_location="cpu", weights_only=True)
        clf.net.load_state_dict(state)
        return clf


Builder = Callable[[int, int, ModelConfig, int], Classifier]

BUILDERS: dict[str, Builder] = {
    "centroid": lambda n_features, n_classes, cfg, seed: CentroidClassifier(n_features, n_classes),
    "linear": LinearClassifier,
}


def build_classifier(cfg: ModelConfig, n_features: int, n_classes: int, seed: int) -> Classifier:
    """Instantiate the classifier named by ``cfg.kind``."""
    try:
        builder = BUILDERS[cfg.kind]
    except KeyError:
        raise ValueError(f"unknown classifier kind {cfg.kind!r}; choose from {sorted(BUILDERS)}") from None
    return builder(n_features, n_classes, cfg, seed)


Loader = Callable[[Path, int, int, ModelConfig], Classifier]

LOADERS: dict[str, Loader] = {
    "centroid": lambda directory, n_features, n_classes, cfg: CentroidClassifier.load(
        directory, n_features, n_classes
    ),
    "linear": LinearClassifier.load,
}


def load_classifier(directory: Path, cfg: ModelConfig) -> Classifier:
    """Restore a classifier saved with :meth:`Classifier.save`."""
    meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    loader = LOADERS.get(str(meta["kind"]))
    if loader is None:
        raise ValueError(f"unsupported classifier kind in {directory}: {meta['kind']!r}")
    return loader(directory, int(meta["n_features"]), int(meta["n_classes"]), cfg)
