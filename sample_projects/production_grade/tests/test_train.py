from __future__ import annotations

import json
from pathlib import Path

from textclf.config import AppConfig
from textclf.train import run_training


def test_run_training_writes_artifacts(tmp_path: Path, tickets_csv: Path, fast_config: AppConfig) -> None:
    out = tmp_path / "model"
    result = run_training(tickets_csv, out, fast_config)
    assert (out / "classifier.json").is_file()
    assert (out / "labels.json").is_file()
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["accuracy"] == result.report.accuracy
    assert result.report.accuracy > 0.8


def test_run_training_is_reproducible(tmp_path: Path, tickets_csv: Path, centroid_config: AppConfig) -> None:
    a = run_training(tickets_csv, tmp_path / "a", centroid_config)
    b = run_training(tickets_csv, tmp_path / "b", centroid_config)
    assert a.report == b.report
