"""Helpers for capability tests: assess one capability on a written tree."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from mlaudit.capabilities import Assessment, load_capabilities
from tests.helpers import project_of, write_tree


def assess(root: Path, practice: str, key: str, files: Mapping[str, str] | None = None) -> Assessment:
    """Write `files` under `root` (if given) and assess the capability `practice.key` on it."""
    if files is not None:
        write_tree(root, files)
    for cls in load_capabilities()[practice]:
        if cls.key == key:
            return cls().assess(project_of(root))
    raise KeyError(f"{practice}.{key}")


def earned_points(root: Path, practice: str) -> float:
    """Return the points the practice earns on `root` (sum of shares times points)."""
    project = project_of(root)
    return sum(cls().assess(project).share * cls.points for cls in load_capabilities()[practice])
