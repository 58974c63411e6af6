"""Vectoriser + classifier + label index, saved and loaded as one unit."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from textclf.config import AppConfig
from textclf.features import FloatArray, LabelIndex, TextVectorizer
from textclf.model import Classifier, load_classifier

logger = logging.getLogger(__name__)

LABELS_FILE = "labels.json"


@dataclass(frozen=True)
class Prediction:
    label: str
    score: float


@dataclass
class TextPipeline:
    vectorizer: TextVectorizer
    classifier: Classifier
    labels: LabelIndex

    def predict_proba(self, texts: Sequence[str]) -> FloatArray:
        return self.classifier.predict_proba(self.vectorizer.transform(texts))

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """Batched prediction: one vectoriser call and one model call for all texts."""
        proba = self.predict_proba(texts)
        best = np.argmax(proba, axis=1)
        names = self.labels.decode(best)
        scores = proba[np.arange(len(best)), best]
        return [Prediction(label=n, score=float(s)) for n, s in zip(names, scores, strict=True)]

    def save(self, directory: Path) -> None:
        self.classifier.save(directory)
        (directory / LABELS_FILE).write_text(json.dumps(list(self.labels.classes)), encoding="utf-8")
        logger.info("saved pipeline to %s", directory)


def load_pipeline(directory: Path, cfg: AppConfig) -> TextPipeline:
    classes = json.loads((directory / LABELS_FILE).read_text(encoding="utf-8"))
    return TextPipeline(
        vectorizer=TextVectorizer(cfg.features),
        classifier=load_classifier(directory, cfg.model),
        labels=LabelIndex(classes=tuple(str(c) for c in classes)),
    )
