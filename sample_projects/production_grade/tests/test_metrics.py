from __future__ import annotations

import numpy as np
import pytest

from textclf.metrics import accuracy, confusion_matrix, macro_f1, per_class_f1


def test_confusion_matrix_counts() -> None:
    y_true = np.array([0, 0, 1, 2, 2])
    y_pred = np.array([0, 1, 1, 2, 0])
    expected = np.array([[1, 1, 0], [0, 1, 0], [1, 0, 1]])
    np.testing.assert_array_equal(confusion_matrix(y_true, y_pred, 3), expected)


def test_confusion_matrix_shape_mismatch() -> None:
    with pytest.raises(ValueError, match="shape mismatch"):
        confusion_matrix(np.array([0, 1]), np.array([0]), 2)


def test_accuracy() -> None:
    assert accuracy(np.array([1, 0, 1, 1]), np.array([1, 1, 1, 1])) == pytest.approx(0.75)


def test_accuracy_empty_raises() -> None:
    with pytest.raises(ValueError):
        accuracy(np.array([], dtype=np.int64), np.array([], dtype=np.int64))


def test_f1_perfect_and_absent_class() -> None:
    matrix = np.array([[3, 0, 0], [0, 2, 0], [0, 0, 0]])
    np.testing.assert_allclose(per_class_f1(matrix), [1.0, 1.0, 0.0])


def test_macro_f1_matches_hand_computation() -> None:
    y_true = np.array([0, 0, 1, 1])
    y_pred = np.array([0, 1, 1, 1])
    # class 0: p=1, r=0.5 -> 2/3 ; class 1: p=2/3, r=1 -> 0.8
    assert macro_f1(y_true, y_pred, 2) == pytest.approx((2 / 3 + 0.8) / 2)
