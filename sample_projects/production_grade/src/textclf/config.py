"""Typed configuration.

Experiment settings (hyperparameters, paths, seed) come from a YAML file parsed into
frozen dataclasses. Runtime/service settings, including secrets, come from the
environment through a single :class:`ServiceSettings` object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_CONFIG_PATH = Path(__file__).resolve().parents[2] / "configs" / "default.yaml"


@dataclass(frozen=True)
class DataConfig:
    text_column: str = "text"
    label_column: str = "label"
    test_size: float = 0.2
    min_text_length: int = 3


@dataclass(frozen=True)
class FeatureConfig:
    n_features: int = 2**14
    ngram_max: int = 2
    lowercase: bool = True


@dataclass(frozen=True)
class ModelConfig:
    kind: str = "linear"
    learning_rate: float = 0.05
    weight_decay: float = 1e-4
    epochs: int = 5
    batch_size: int = 256


@dataclass(frozen=True)
class AppConfig:
    seed: int = 13
    data: DataConfig = field(default_factory=DataConfig)
    features: FeatureConfig = field(default_factory=FeatureConfig)
    model: ModelConfig = field(default_factory=ModelConfig)


def _section(raw: dict[str, Any], name: str) -> dict[str, Any]:
    value = raw.get(name, {})
    if not isinstance(value, dict):
        raise ValueError(f"config section {name!r} must be a mapping")
    return value


def config_from_dict(raw: dict[str, Any]) -> AppConfig:
    """Build an :class:`AppConfig`; unknown keys raise ``TypeError``."""
    return AppConfig(
        seed=int(raw.get("seed", AppConfig.seed)),
        data=DataConfig(**_section(raw, "data")),
        features=FeatureConfig(**_section(raw, "features")),
        model=ModelConfig(**_section(raw, "model")),
    )


def load_config(path: Path = DEFAULT_CONFIG_PATH) -> AppConfig:
    """Read a YAML experiment config into typed, immutable settings."""
    with path.open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh) or {}
    if not isinstance(raw, dict):
        raise ValueError(f"{path} must contain a mapping at top level")
    return config_from_dict(raw)


class ServiceSettings(BaseSettings):
    """Environment-driven settings for the HTTP service (prefix ``TEXTCLF_``)."""

    model_config = SettingsConfigDict(env_prefix="TEXTCLF_", env_file=".env", extra="ignore")

    artifact_dir: Path = Path("models/latest")
    config_path: Path = DEFAULT_CONFIG_PATH
    api_key: SecretStr | None = None
    max_batch_size: int = 64
    log_level: str = "INFO"


@lru_cache(maxsize=1)
def get_settings() -> ServiceSettings:
    return ServiceSettings()
