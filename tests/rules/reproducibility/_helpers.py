"""Provides helpers shared by several test modules of the `reproducibility` rules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from mlaudit import cache, filefacts
from mlaudit.discover import discover
from mlaudit.engine import AuditOptions
from mlaudit.project import Project, load_project
from tests.helpers import project_of, run_audit

T = TypeVar("T")

DATA = """import random

import numpy as np


def sample_negatives(items):
    random.shuffle(items)
    return np.random.permutation(items)
"""


def direct_and_cached(root: Path, monkeypatch: pytest.MonkeyPatch, check: Callable[[Project], T]) -> tuple[T, T]:
    """Return `check` of `root` parsed, and of `root` loaded from the fact cache an audit filled.

    The second project's modules come as summaries (as a worker or the cache gives them); the
    check must find everything it needs in their facts: no module is parsed.
    """
    monkeypatch.setattr(filefacts, "MIN_BYTES", 0)
    monkeypatch.delenv(cache.ENV_OFF, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(root.parent / f"{root.name}-xdg"))
    direct = check(project_of(root))
    run_audit(root, jobs=1)  # computes the facts the rules and capabilities ask for, and caches them
    inventory = discover(root)
    options = AuditOptions(jobs=1)
    project = load_project(inventory, options, summarize=filefacts.layer_for(options, list(inventory.files), root))
    modules = [pf for pf in project.python.values() if not pf.is_notebook]
    assert modules and all(pf.summary is not None and not pf.parsed for pf in modules)
    cached = check(project)
    assert not [pf.path for pf in modules if pf.parsed]
    return direct, cached
