"""Project-wide settings.

Historically everything lived here as module constants; new code should prefer the
values from ``config.yaml`` (see :func:`load_config`). Both are still used.
"""
import os
from pathlib import Path

import yaml

DATA_DIR = Path(os.getenv("RECSYS_DATA_DIR", "data"))
ARTIFACTS_DIR = Path("artifacts")

LR = 3e-4
BATCH_SIZE = 64
EPOCHS = 10
EMBEDDING_DIM = 64
NUM_NEGATIVES = 4
TOP_K = 20
SEED = 1234

POPULAR_WINDOW_DAYS = 30
MIN_USER_INTERACTIONS = 5


def load_config(path: str = "config.yaml") -> dict:
    """Read the YAML experiment config into a plain dict."""
    with open(path) as f:
        cfg = yaml.safe_load(f)
    cfg.setdefault("seed", SEED)
    cfg.setdefault("artifacts_dir", str(ARTIFACTS_DIR))
    return cfg


def merge_overrides(cfg, overrides):
    """Apply ``section.key=value`` overrides from the command line."""
    for item in overrides:
        key, value = item.split("=", 1)
        section, _, name = key.partition(".")
        if not name:
            cfg[section] = yaml.safe_load(value)
        else:
            cfg.setdefault(section, {})[name] = yaml.safe_load(value)
    return cfg
