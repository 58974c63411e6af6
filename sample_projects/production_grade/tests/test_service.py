from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from pydantic import SecretStr

from textclf.config import AppConfig, ServiceSettings
from textclf.pipeline import TextPipeline
from textclf.service import create_app


@pytest.fixture
def settings(tmp_path: Path, trained_pipeline: TextPipeline, fast_config: AppConfig) -> ServiceSettings:
    model_dir = tmp_path / "model"
    trained_pipeline.save(model_dir)
    cfg_path = tmp_path / "cfg.yaml"
    cfg_path.write_text(yaml.safe_dump({
        "seed": fast_config.seed,
        "features": {"n_features": fast_config.features.n_features, "ngram_max": fast_config.features.ngram_max},
        "model": {"kind": fast_config.model.kind},
    }))
    return ServiceSettings(_env_file=None, artifact_dir=model_dir, config_path=cfg_path,
                           api_key=SecretStr("s3cret-for-tests"), max_batch_size=4)


@pytest.fixture
def client(settings: ServiceSettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


AUTH = {"x-api-key": "s3cret-for-tests"}


def test_health(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["model_loaded"] is True


def test_predict(client: TestClient) -> None:
    response = client.post("/predict", json={"texts": ["I was billed twice"]}, headers=AUTH)
    assert response.status_code == 200
    body = response.json()
    assert body["predictions"][0]["label"] == "billing"
    assert 0.0 <= body["predictions"][0]["score"] <= 1.0


def test_predict_requires_api_key(client: TestClient) -> None:
    response = client.post("/predict", json={"texts": ["hello there"]})
    assert response.status_code == 401


@pytest.mark.parametrize("payload", [{}, {"texts": []}, {"texts": [""]}, {"texts": "not a list"}])
def test_predict_validates_payload(client: TestClient, payload: dict[str, object]) -> None:
    assert client.post("/predict", json=payload, headers=AUTH).status_code == 422


def test_predict_rejects_large_batch(client: TestClient) -> None:
    response = client.post("/predict", json={"texts": ["x y z"] * 5}, headers=AUTH)
    assert response.status_code == 413
