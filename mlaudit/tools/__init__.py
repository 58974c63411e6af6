"""Provides typed adapters for external tools and the gatherer registry.

A gatherer runs one tool (pip-audit, coverage data, git history) before the rules, and
its result is stored on the project for rules to read with `project.tool(name)`. Rules
declare the gatherers they need in `Rule.needs`; only those run.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mlaudit.project import Project

Gatherer = Callable[["Project"], object]
_GATHERERS: dict[str, Gatherer] = {}


def gatherer(name: str) -> Callable[[Gatherer], Gatherer]:
    """Decorator registering a tool gatherer under `name`."""

    def wrap(func: Gatherer) -> Gatherer:
        _GATHERERS[name] = func
        return func

    return wrap


def load_gatherers() -> dict[str, Gatherer]:
    """Import every adapter module once and return the gatherers by name."""
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")
    return dict(_GATHERERS)
