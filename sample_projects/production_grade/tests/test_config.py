from __future__ import annotations

from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from textclf.config import DEFAULT_CONFIG_PATH, AppConfig, ServiceSettings, config_from_dict, load_config


def test_default_yaml_matches_dataclass_types() -> None:
    cfg = load_config(DEFAULT_CONFIG_PATH)
    assert isinstance(cfg, AppConfig)
    assert cfg.model.kind == "linear"
    assert cfg.features.n_features == 16384
    assert 0.0 < cfg.data.test_size < 1.0


def test_config_is_immutable() -> None:
    cfg = AppConfig()
    with pytest.raises(FrozenInstanceError):
        cfg.seed = 1  # type: ignore[misc]


def test_unknown_key_is_rejected() -> None:
    with pytest.raises(TypeError):
        config_from_dict({"model": {"kind": "linear", "lr": 0.1}})


def test_section_must_be_mapping() -> None:
    with pytest.raises(ValueError, match="must be a mapping"):
        config_from_dict({"model": ["linear"]})


def test_empty_file_gives_defaults(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    assert load_config(path) == AppConfig()


def test_service_settings_reads_secret_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTCLF_API_KEY", "test-key")
    monkeypatch.setenv("TEXTCLF_MAX_BATCH_SIZE", "8")
    settings = ServiceSettings(_env_file=None)
    assert settings.api_key is not None
    assert settings.api_key.get_secret_value() == "test-key"
    assert "test-key" not in repr(settings)
    assert settings.max_batch_size == 8
