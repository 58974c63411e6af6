"""Tests of rule SEC023 (`mlaudit/rules/security/sec023_model_download_without_checksum.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


def test_sec023_unverified_model_downloads(tmp_path: Path) -> None:
    fetch = (
        "#!/usr/bin/env python\nimport gdown\n\ngdown.download(\n"
        '    "https://drive.google.com/uc?id=EXAMPLEID",\n    "assets/classifier_state.bin",\n)\n'
    )
    shell = "#!/bin/sh\nwget -O ckpt/encoder.pt https://models.example.org/encoder.pt\nwget -O ckpt/decoder.pt https://models.example.org/decoder.pt\n"
    write_tree(tmp_path, {"bin/fetch_weights": fetch, "scripts/get_models.sh": shell})
    hits = {f.path: f for f in findings(tmp_path, "SEC023")}
    assert hits["bin/fetch_weights"].line == 4
    assert hits["scripts/get_models.sh"].line == 2 and "2 model files" in hits["scripts/get_models.sh"].message


def test_sec023_silent_with_checksums_and_for_data_downloads(tmp_path: Path) -> None:
    shell = (
        "#!/bin/sh\nwget -O ckpt/encoder.pt https://models.example.org/encoder.pt\n"
        "echo 'abc123  ckpt/encoder.pt' | sha256sum -c -\n"
    )
    data = "#!/bin/sh\ncurl -L -o data/raw/train.csv https://data.example.org/train.csv\n"
    code = (
        "from torch.hub import download_url_to_file\n\n"
        "def fetch(url, dst):\n    download_url_to_file(url, dst + '/model.pt', hash_prefix='9f2c1ab0')\n"
    )
    write_tree(
        tmp_path,
        {"scripts/get_models.sh": shell, "scripts/get_data.sh": data, "pkg/__init__.py": "", "pkg/fetch.py": code},
    )
    assert findings(tmp_path, "SEC023") == []
