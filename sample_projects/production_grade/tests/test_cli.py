from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from textclf.cli import build_parser, main


@pytest.fixture
def small_config(tmp_path: Path) -> Path:
    path = tmp_path / "cfg.yaml"
    path.write_text(yaml.safe_dump({
        "seed": 3,
        "features": {"n_features": 512},
        "model": {"kind": "centroid"},
    }))
    return path


def test_parser_requires_a_command() -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args([])


def test_train_then_evaluate(tmp_path: Path, tickets_csv: Path, small_config: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "m"
    assert main(["--config", str(small_config), "train", str(tickets_csv), "--out", str(out)]) == 0
    trained = json.loads(capsys.readouterr().out)
    assert main(["--config", str(small_config), "evaluate", str(tickets_csv), "--model-dir", str(out)]) == 0
    evaluated = json.loads(capsys.readouterr().out)
    assert evaluated["n_examples"] > trained["n_examples"]
    assert evaluated["accuracy"] > 0.8
