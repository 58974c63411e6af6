from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from textclf.config import ModelConfig
from textclf.model import (
    CentroidClassifier,
    Classifier,
    LinearClassifier,
    build_classifier,
    load_classifier,
)


def _toy_problem() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    centers = np.eye(3, 8, dtype=np.float32)
    labels = rng.integers(0, 3, size=60)
    features = centers[labels] + 0.05 * rng.standard_normal((60, 8)).astype(np.float32)
    return features.astype(np.float32), labels.astype(np.int64)


@pytest.mark.parametrize("kind", ["centroid", "linear"])
def test_builders_satisfy_protocol(kind: str) -> None:
    clf = build_classifier(ModelConfig(kind=kind), n_features=8, n_classes=3, seed=0)
    assert isinstance(clf, Classifier)
    assert clf.kind == kind


def test_unknown_kind_lists_choices() -> None:
    with pytest.raises(ValueError, match="centroid"):
        build_classifier(ModelConfig(kind="svm"), n_features=8, n_classes=3, seed=0)


@pytest.mark.parametrize("kind", ["centroid", "linear"])
def test_fits_separable_data(kind: str) -> None:
    x, y = _toy_problem()
    clf = build_classifier(ModelConfig(kind=kind, learning_rate=0.1, epochs=30, batch_size=16), 8, 3, seed=0)
    clf.fit(x, y)
    proba = clf.predict_proba(x)
    assert proba.shape == (60, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    assert (proba.argmax(axis=1) == y).mean() > 0.9


def test_linear_training_is_seeded() -> None:
    x, y = _toy_problem()
    cfg = ModelConfig(kind="linear", epochs=3, batch_size=8)
    a, b = LinearClassifier(8, 3, cfg, seed=1), LinearClassifier(8, 3, cfg, seed=1)
    b.net.load_state_dict(a.net.state_dict())
    a.fit(x, y)
    b.fit(x, y)
    np.testing.assert_allclose(a.predict_proba(x), b.predict_proba(x))


def test_linear_predict_on_empty_input() -> None:
    clf = LinearClassifier(8, 3, ModelConfig(), seed=0)
    assert clf.predict_proba(np.zeros((0, 8), dtype=np.float32)).shape == (0, 3)


@pytest.mark.parametrize("kind", ["centroid", "linear"])
def test_save_load_roundtrip(tmp_path: Path, kind: str) -> None:
    x, y = _toy_problem()
    cfg = ModelConfig(kind=kind, epochs=2)
    clf = build_classifier(cfg, 8, 3, seed=0)
    clf.fit(x, y)
    clf.save(tmp_path)
    restored = load_classifier(tmp_path, cfg)
    np.testing.assert_allclose(restored.predict_proba(x), clf.predict_proba(x), rtol=1e-6)


def test_load_rejects_unknown_kind(tmp_path: Path) -> None:
    (tmp_path / "classifier.json").write_text('{"kind": "mystery", "n_features": 1, "n_classes": 2}')
    with pytest.raises(ValueError, match="unsupported"):
        load_classifier(tmp_path, ModelConfig())


def test_centroid_untrained_is_uniform() -> None:
    clf = CentroidClassifier(n_features=4, n_classes=2)
    proba = clf.predict_proba(np.ones((3, 4), dtype=np.float32))
    np.testing.assert_allclose(proba, 0.5)
