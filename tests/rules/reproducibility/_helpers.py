"""Provides helpers shared by several test modules of the `reproducibility` rules."""

from __future__ import annotations

DATA = """import random

import numpy as np


def sample_negatives(items):
    random.shuffle(items)
    return np.random.permutation(items)
"""
