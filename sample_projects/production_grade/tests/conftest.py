"""Shared fixtures: a tiny synthetic support-ticket dataset and a fast config."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from textclf.config import AppConfig, FeatureConfig, ModelConfig
from textclf.pipeline import TextPipeline
from textclf.train import fit_pipeline

TEMPLATES = {
    "billing": [
        "I was charged twice for my subscription this month",
        "please refund the duplicate invoice payment",
        "my credit card was billed the wrong amount",
        "how do I download last year's invoices",
    ],
    "technical": [
        "the app crashes when I upload a large file",
        "sync fails with a timeout error on startup",
        "the dashboard page is blank after the update",
        "export to csv produces an empty file",
    ],
    "account": [
        "I cannot reset my password, the link expired",
        "how do I change the email on my account",
        "please delete my account and all my data",
        "two factor login code never arrives",
    ],
}


@pytest.fixture
def tickets() -> pd.DataFrame:
    rows = [
        {"text": f"{text} (ticket {i})", "label": label}
        for label, texts in TEMPLATES.items()
        for i in range(5)
        for text in texts
    ]
    return pd.DataFrame(rows)


@pytest.fixture
def tickets_csv(tmp_path: Path, tickets: pd.DataFrame) -> Path:
    path = tmp_path / "tickets.csv"
    tickets.to_csv(path, index=False)
    return path


@pytest.fixture
def fast_config() -> AppConfig:
    return AppConfig(
        seed=7,
        features=FeatureConfig(n_features=2**10, ngram_max=2),
        model=ModelConfig(kind="linear", learning_rate=0.1, epochs=15, batch_size=16),
    )


@pytest.fixture
def centroid_config(fast_config: AppConfig) -> AppConfig:
    return replace(fast_config, model=replace(fast_config.model, kind="centroid"))


@pytest.fixture
def trained_pipeline(tickets: pd.DataFrame, fast_config: AppConfig) -> TextPipeline:
    return fit_pipeline(tickets, fast_config)
