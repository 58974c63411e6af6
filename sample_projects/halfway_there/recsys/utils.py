"""Misc helpers: seeding, timing, id mapping."""
import logging
import time
from contextlib import contextmanager

import numpy as np
import torch

logger = logging.getLogger(__name__)


def set_seed(seed: int) -> None:
    """Seed numpy and torch so runs are comparable."""
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.backends.cudnn.deterministic = True
    logger.info(f"seed set to {seed}")


@contextmanager
def timer(name):
    start = time.time()
    yield
    logger.info("%s took %.2fs", name, time.time() - start)


def build_index(values) -> dict:
    """Map raw ids to contiguous integer indices (sorted for stability)."""
    return {v: i for i, v in enumerate(sorted(set(values)))}


def chunked(seq, size):
    for start in range(0, len(seq), size):
        yield seq[start:start + size]


def get_device():
    if torch.cuda.is_available():
        return torch.device("cuda")
    logger.warning("CUDA not available, using CPU")
    return torch.device("cpu")
