"""Provides helpers shared by several test modules of the `reproducibility` rules."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

import pytest

from mlaudit import cache, filefacts
from mlaudit.discover import discover
from mlaudit.engine import AuditOptions
from mlaudit.project import Project, load_project
from mlaudit.secret_sweep import CLEAN_FACT, SweepSettings, module_is_clean
from tests.helpers import project_of

T = TypeVar("T")

DATA = """import random

import numpy as np


def sample_negatives(items):
    random.shuffle(items)
    return np.random.permutation(items)
"""


def direct_and_cached(root: Path, monkeypatch: pytest.MonkeyPatch, check: Callable[[Project], T]) -> tuple[T, T]:
    """Return `check` of `root` parsed, and of `root` loaded from the fact cache a first load filled.

    The second project's modules come as cached summaries (what a worker would send): the check
    must find everything it needs in their facts, so no module is parsed.
    """
    monkeypatch.setattr(filefacts, "MIN_BYTES", 0)
    monkeypatch.delenv(cache.ENV_OFF, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(root.parent / f"{root.name}-xdg"))
    direct = check(project_of(root))
    first, layer = _layered(root)
    check(first)  # computes the facts the check asks for
    sweep = SweepSettings.of(AuditOptions())
    for pf in first.python.values():  # as the secret sweep does: string facts are cached for clean modules only
        pf.file_fact(CLEAN_FACT, partial(module_is_clean, settings=sweep))
    layer.store(first.python)
    project, _ = _layered(root)
    modules = [pf for pf in project.python.values() if not pf.is_notebook]
    assert modules and all(pf.summary is not None and not pf.parsed for pf in modules)
    cached = check(project)
    assert not [pf.path for pf in modules if pf.parsed]
    return direct, cached


def _layered(root: Path) -> tuple[Project, filefacts.FactLayer]:
    inventory = discover(root)
    options = AuditOptions(jobs=1)
    layer = filefacts.layer_for(options, list(inventory.files), root)
    assert layer is not None
    return load_project(inventory, options, summarize=layer), layer
