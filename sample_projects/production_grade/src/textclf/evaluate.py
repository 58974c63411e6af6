"""Evaluation of a fitted pipeline on a labelled split."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from textclf.metrics import accuracy, confusion_matrix, macro_f1
from textclf.pipeline import TextPipeline

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EvalReport:
    n_examples: int
    accuracy: float
    macro_f1: float
    confusion: list[list[int]]

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def evaluate(pipeline: TextPipeline, df: pd.DataFrame) -> EvalReport:
    """Score ``pipeline`` on a frame with ``text`` and ``label`` columns."""
    y_true = pipeline.labels.encode(df["label"].tolist())
    proba = pipeline.predict_proba(df["text"].tolist())
    y_pred = np.argmax(proba, axis=1).astype(np.int64)
    n_classes = len(pipeline.labels.classes)
    report = EvalReport(
        n_examples=len(df),
        accuracy=accuracy(y_true, y_pred),
        macro_f1=macro_f1(y_true, y_pred, n_classes),
        confusion=confusion_matrix(y_true, y_pred, n_classes).tolist(),
    )
    logger.info("eval n=%d acc=%.4f macro_f1=%.4f", report.n_examples, report.accuracy, report.macro_f1)
    return report
