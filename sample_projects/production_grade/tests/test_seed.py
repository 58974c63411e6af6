from __future__ import annotations

import random

import numpy as np
import torch

from textclf.seed import set_seed


def test_same_seed_same_draws() -> None:
    set_seed(123)
    first = (random.random(), np.random.rand(), torch.rand(1).item())
    set_seed(123)
    second = (random.random(), np.random.rand(), torch.rand(1).item())
    assert first == second


def test_returns_seeded_generator() -> None:
    a = set_seed(5).integers(0, 1000, size=4)
    b = set_seed(5).integers(0, 1000, size=4)
    np.testing.assert_array_equal(a, b)


def test_cudnn_flags_are_deterministic() -> None:
    set_seed(0)
    assert torch.backends.cudnn.deterministic is True
    assert torch.backends.cudnn.benchmark is False
