"""Classification metrics computed with vectorised numpy."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from textclf.features import IntArray


def confusion_matrix(y_true: IntArray, y_pred: IntArray, n_classes: int) -> npt.NDArray[np.int64]:
    """``matrix[t, p]`` counts examples of true class ``t`` predicted as ``p``."""
    if y_true.shape != y_pred.shape:
        raise ValueError(f"shape mismatch: {y_true.shape} vs {y_pred.shape}")
    flat = y_true * n_classes + y_pred
    counts = np.bincount(flat, minlength=n_classes * n_classes)
    return counts.reshape(n_classes, n_classes).astype(np.int64)


def accuracy(y_true: IntArray, y_pred: IntArray) -> float:
    if len(y_true) == 0:
        raise ValueError("accuracy of an empty set is undefined")
    return float(np.mean(y_true == y_pred))


def per_class_f1(matrix: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    tp = np.diag(matrix).astype(np.float64)
    predicted = matrix.sum(axis=0)
    actual = matrix.sum(axis=1)
    denom = predicted + actual
    return np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)


def macro_f1(y_true: IntArray, y_pred: IntArray, n_classes: int) -> float:
    return float(per_class_f1(confusion_matrix(y_true, y_pred, n_classes)).mean())
