from __future__ import annotations

import numpy as np
import pytest

from textclf.config import FeatureConfig
from textclf.features import LabelIndex, TextVectorizer


def test_vectorizer_shape_and_dtype() -> None:
    vec = TextVectorizer(FeatureConfig(n_features=64))
    out = vec.transform(["refund my invoice", "app crashes"])
    assert out.shape == (2, 64)
    assert out.dtype == np.float32


def test_vectorizer_rows_are_unit_norm() -> None:
    out = TextVectorizer(FeatureConfig(n_features=128)).transform(["a longer text with words", "short one"])
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, rtol=1e-5)


def test_vectorizer_is_stateless() -> None:
    cfg = FeatureConfig(n_features=32)
    a = TextVectorizer(cfg).transform(["same text"])
    b = TextVectorizer(cfg).transform(["same text"])
    np.testing.assert_array_equal(a, b)


def test_label_index_roundtrip() -> None:
    index = LabelIndex.from_labels(["b", "a", "b", "c"])
    assert index.classes == ("a", "b", "c")
    ids = index.encode(["c", "a"])
    assert ids.tolist() == [2, 0]
    assert index.decode(ids) == ["c", "a"]


def test_label_index_rejects_unknown() -> None:
    with pytest.raises(KeyError, match="unknown labels"):
        LabelIndex.from_labels(["a"]).encode(["z"])
