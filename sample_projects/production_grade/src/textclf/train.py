"""Training workflow: load -> split -> fit -> evaluate -> save."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from textclf.config import AppConfig
from textclf.data import load_dataset, split_dataset
from textclf.evaluate import EvalReport, evaluate
from textclf.features import LabelIndex, TextVectorizer
from textclf.model import build_classifier
from textclf.pipeline import TextPipeline

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainResult:
    pipeline: TextPipeline
    report: EvalReport


def fit_pipeline(train_df: pd.DataFrame, cfg: AppConfig) -> TextPipeline:
    """Fit a fresh pipeline on an already-split training frame."""
    labels = LabelIndex.from_labels(train_df["label"].tolist())
    vectorizer = TextVectorizer(cfg.features)
    classifier = build_classifier(cfg.model, vectorizer.n_features, len(labels.classes), cfg.seed)
    features = vectorizer.transform(train_df["text"].tolist())
    classifier.fit(features, labels.encode(train_df["label"].tolist()))
    return TextPipeline(vectorizer=vectorizer, classifier=classifier, labels=labels)


def run_training(data_path: Path, out_dir: Path, cfg: AppConfig) -> TrainResult:
    """Train on ``data_path`` and write the pipeline plus its metrics to ``out_dir``."""
    split = split_dataset(load_dataset(data_path, cfg.data), cfg.data, cfg.seed)
    pipeline = fit_pipeline(split.train, cfg)
    report = evaluate(pipeline, split.test)
    out_dir.mkdir(parents=True, exist_ok=True)
    pipeline.save(out_dir)
    (out_dir / "metrics.json").write_text(json.dumps(report.as_dict(), indent=2), encoding="utf-8")
    logger.info("training finished, artifacts in %s", out_dir)
    return TrainResult(pipeline=pipeline, report=report)
