"""Provides typed adapters for external tools and the gatherer registry.

A gatherer runs one tool (pip-audit, coverage data, git history) before the rules, and
its result is stored on the project for rules to read with `project.tool(name)`. Rules
declare the gatherers they need in `Rule.needs`; only those run.

A gatherer whose slow part needs only the inventory and the options may also register an
early start (`early`): with a second core, the engine forks it before parsing, so it runs
beside the fact workers, and the gatherer takes its result (`Project.early_result`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from mlaudit.discover import Inventory
    from mlaudit.options import AuditOptions
    from mlaudit.project import Project

Gatherer = Callable[["Project"], object]
# given the inventory and options: the work to fork before parsing, or None when there is none
EarlyStart = Callable[["Inventory", "AuditOptions"], Callable[[], object] | None]
_GATHERERS: dict[str, Gatherer] = {}
_EARLY: dict[str, EarlyStart] = {}
R = TypeVar("R")


def gatherer(name: str) -> Callable[[Callable[[Project], R]], Callable[[Project], R]]:
    """Decorator registering a tool gatherer under `name`; the function keeps its own type."""

    def wrap(func: Callable[[Project], R]) -> Callable[[Project], R]:
        _GATHERERS[name] = func
        return func

    return wrap


def early(name: str) -> Callable[[EarlyStart], EarlyStart]:
    """Decorator registering the early start of the gatherer `name`."""

    def wrap(func: EarlyStart) -> EarlyStart:
        _EARLY[name] = func
        return func

    return wrap


def load_early_starts() -> dict[str, EarlyStart]:
    """Import every adapter module (once) and return the early starts by gatherer name."""
    load_gatherers()
    return dict(_EARLY)


def load_gatherers() -> dict[str, Gatherer]:
    """Import every adapter module (once) and return the gatherers by name."""
    from mlaudit.registry import import_submodules

    import_submodules(__name__)
    return dict(_GATHERERS)
