"""Reproducibility helpers."""

from __future__ import annotations

import logging
import random

import numpy as np
import torch

logger = logging.getLogger(__name__)


def set_seed(seed: int) -> np.random.Generator:
    """Seed every RNG we use and make cuDNN deterministic.

    Returns a numpy ``Generator`` seeded with the same value, for code that
    prefers explicit generators over the global state.
    """
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    logger.debug("seeded random, numpy and torch with %d", seed)
    return np.random.default_rng(seed)
