from __future__ import annotations

from pathlib import Path
from unittest.mock import MagicMock, patch

import pandas as pd
import pytest

from textclf.config import DataConfig
from textclf.data import DOWNLOAD_TIMEOUT_S, clean_texts, download_dataset, load_dataset, split_dataset


def test_clean_texts_normalises_and_filters() -> None:
    df = pd.DataFrame({"text": ["  hello   world ", "hi", None, "hello world"], "label": ["a", "a", "b", "a"]})
    out = clean_texts(df, min_length=3)
    assert out["text"].tolist() == ["hello world"]


def test_load_dataset_renames_columns(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    pd.DataFrame({"body": ["first ticket", "second ticket"], "queue": ["x", "y"]}).to_csv(path, index=False)
    df = load_dataset(path, DataConfig(text_column="body", label_column="queue"))
    assert list(df.columns) == ["text", "label"]
    assert len(df) == 2


def test_split_is_stratified_and_reproducible(tickets: pd.DataFrame) -> None:
    cfg = DataConfig(test_size=0.25)
    a = split_dataset(tickets, cfg, seed=3)
    b = split_dataset(tickets, cfg, seed=3)
    pd.testing.assert_frame_equal(a.test, b.test)
    assert set(a.test["label"]) == set(tickets["label"])
    assert len(a.train) + len(a.test) == len(tickets)


def test_split_requires_two_classes() -> None:
    df = pd.DataFrame({"text": ["a b c", "d e f"], "label": ["x", "x"]})
    with pytest.raises(ValueError, match="two classes"):
        split_dataset(df, DataConfig(), seed=0)


def test_download_uses_timeout(tmp_path: Path) -> None:
    response = MagicMock(content=b"text,label\nhello,a\n")
    with patch("textclf.data.requests.get", return_value=response) as get:
        dest = download_dataset("https://example.org/d.csv", tmp_path / "sub" / "d.csv")
    get.assert_called_once_with("https://example.org/d.csv", timeout=DOWNLOAD_TIMEOUT_S)
    assert dest.read_bytes().startswith(b"text,label")
