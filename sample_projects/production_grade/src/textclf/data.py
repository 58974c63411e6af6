"""Dataset loading, cleaning and splitting."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import requests
from sklearn.model_selection import train_test_split

from textclf.config import DataConfig

logger = logging.getLogger(__name__)

DOWNLOAD_TIMEOUT_S = 10


@dataclass(frozen=True)
class Split:
    train: pd.DataFrame
    test: pd.DataFrame


def load_dataset(path: Path, cfg: DataConfig) -> pd.DataFrame:
    """Read a CSV with a text and a label column, cleaned and deduplicated."""
    df = pd.read_csv(path, usecols=[cfg.text_column, cfg.label_column])
    df = df.rename(columns={cfg.text_column: "text", cfg.label_column: "label"})
    cleaned = clean_texts(df, cfg.min_text_length)
    logger.info("loaded %d rows from %s (%d kept)", len(df), path, len(cleaned))
    return cleaned


def clean_texts(df: pd.DataFrame, min_length: int) -> pd.DataFrame:
    """Normalise whitespace, drop empty/short texts and exact duplicates."""
    text = df["text"].astype("string").str.replace(r"\s+", " ", regex=True).str.strip()
    out = df.assign(text=text).dropna(subset=["text", "label"])
    out = out[out["text"].str.len() >= min_length]
    return out.drop_duplicates(subset=["text"]).reset_index(drop=True)


def split_dataset(df: pd.DataFrame, cfg: DataConfig, seed: int) -> Split:
    """Stratified train/test split, reproducible through ``seed``."""
    if df["label"].nunique() < 2:
        raise ValueError("need at least two classes to split")
    train, test = train_test_split(
        df, test_size=cfg.test_size, random_state=seed, stratify=df["label"]
    )
    return Split(train=train.reset_index(drop=True), test=test.reset_index(drop=True))


def download_dataset(url: str, dest: Path) -> Path:
    """Fetch a CSV over HTTPS (certificate verification on, bounded wait)."""
    response = requests.get(url, timeout=DOWNLOAD_TIMEOUT_S)
    response.raise_for_status()
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(response.content)
    logger.info("downloaded %d bytes to %s", len(response.content), dest)
    return dest
