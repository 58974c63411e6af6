from __future__ import annotations

from pathlib import Path

import pandas as pd

from textclf.config import AppConfig
from textclf.pipeline import TextPipeline, load_pipeline


def test_predict_returns_one_prediction_per_text(trained_pipeline: TextPipeline) -> None:
    preds = trained_pipeline.predict(["refund the duplicate charge", "app crashes on upload"])
    assert [p.label for p in preds] == ["billing", "technical"]
    assert all(0.0 <= p.score <= 1.0 for p in preds)


def test_predict_empty_list(trained_pipeline: TextPipeline) -> None:
    assert trained_pipeline.predict([]) == []


def test_save_and_load(tmp_path: Path, trained_pipeline: TextPipeline, fast_config: AppConfig,
                       tickets: pd.DataFrame) -> None:
    trained_pipeline.save(tmp_path)
    restored = load_pipeline(tmp_path, fast_config)
    texts = tickets["text"].head(10).tolist()
    assert restored.labels == trained_pipeline.labels
    assert restored.predict(texts) == trained_pipeline.predict(texts)
