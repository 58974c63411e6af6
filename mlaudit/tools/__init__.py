"""Provides typed adapters for external tools and the gatherer registry.

A gatherer runs one tool (pip-audit, coverage data, git history) before the rules, and
its result is stored on the project for rules to read with `project.tool(name)`. Rules
declare the gatherers they need in `Rule.needs`; only those run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from mlaudit.project import Project

Gatherer = Callable[["Project"], object]
_GATHERERS: dict[str, Gatherer] = {}
R = TypeVar("R")


def gatherer(name: str) -> Callable[[Callable[[Project], R]], Callable[[Project], R]]:
    """Decorator registering a tool gatherer under `name`; the function keeps its own type."""

    def wrap(func: Callable[[Project], R]) -> Callable[[Project], R]:
        _GATHERERS[name] = func
        return func

    return wrap


def load_gatherers() -> dict[str, Gatherer]:
    """Import every adapter module (once) and return the gatherers by name."""
    from mlaudit.registry import import_submodules

    import_submodules(__name__)
    return dict(_GATHERERS)
