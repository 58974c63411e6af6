"""Provides capabilities: what an expert looks for in each practice, earned with evidence.

A practice's score starts from the capabilities it earned (their points sum to 100 per
practice), then its rules' findings deduct from that. A capability is earned only with
positive evidence found in the repository (a file and line, a config key, a CI step);
"nothing flagged" never earns anything. Capability modules live beside this one, one per
practice (`testing.py`, ...), and register themselves with `@register_capability`.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from mlaudit.practices import PRACTICE_KEYS

if TYPE_CHECKING:
    from mlaudit.project import Project


@dataclass(frozen=True)
class Assessment:
    """What a capability found: the share earned (0.0-1.0) and the evidence or what is missing.

    `evidence` is one human sentence: where the capability was found (`path:line` in it when
    there is one) or, when not earned, what is missing and where an expert would look.
    `path`/`line` locate the strongest piece of evidence, if any.
    """

    share: float
    evidence: str
    path: str | None = None
    line: int | None = None
    stands_in: bool = False
    """Earned only because the capability has nothing to apply to (no training run to seed): see `evidence.STAND_IN_CEILING`."""

    @classmethod
    def earned(cls, evidence: str, path: str | None = None, line: int | None = None) -> Assessment:
        """Return a fully earned assessment."""
        return cls(1.0, evidence, path, line)

    @classmethod
    def nothing_to_apply(cls, evidence: str) -> Assessment:
        """Return an assessment earned because the capability does not apply here (it stands in, within a ceiling)."""
        return cls(1.0, evidence, stands_in=True)

    @classmethod
    def missing(cls, what: str) -> Assessment:
        """Return an assessment that earns nothing, saying what is missing."""
        return cls(0.0, what)

    @classmethod
    def partly(cls, share: float, evidence: str, path: str | None = None, line: int | None = None) -> Assessment:
        """Return a partly earned assessment (share clamped to 0.0-1.0)."""
        return cls(min(1.0, max(0.0, share)), evidence, path, line)


class Capability:
    """Base of every capability. Subclasses set the class attributes and implement `assess`.

    The docstring says, in a sentence or two, what an expert looks for and why it is worth
    its points; it is shown by `--explain`.
    """

    key: ClassVar[str]  # snake_case, unique within the practice, stable
    practice: ClassVar[str]  # one of PRACTICE_KEYS
    title: ClassVar[str]  # names what is in place, e.g. "Tests run in CI"
    points: ClassVar[int]  # points of the practice's 100 this capability is worth

    def assess(self, project: Project) -> Assessment:
        """Look for positive evidence of the capability in the project."""
        raise NotImplementedError

    @classmethod
    def description(cls) -> str:
        """Return the capability's documentation."""
        return inspect.getdoc(cls) or ""


_CAPABILITIES: dict[tuple[str, str], type[Capability]] = {}


def register_capability(cls: type[Capability]) -> type[Capability]:
    """Class decorator adding a capability to the registry; keys are unique per practice."""
    if cls.practice not in PRACTICE_KEYS:
        raise ValueError(f"{cls.__name__}: unknown practice {cls.practice!r}")
    ident = (cls.practice, cls.key)
    if ident in _CAPABILITIES and _CAPABILITIES[ident] is not cls:
        raise ValueError(f"duplicate capability {cls.practice}.{cls.key}")
    _CAPABILITIES[ident] = cls
    return cls


def load_capabilities() -> dict[str, list[type[Capability]]]:
    """Import every capability module (once) and return the capabilities by practice key."""
    from mlaudit.registry import import_submodules

    import_submodules("mlaudit.capabilities")
    by_practice: dict[str, list[type[Capability]]] = {key: [] for key in PRACTICE_KEYS}
    for (practice, _key), cls in _CAPABILITIES.items():
        by_practice[practice].append(cls)
    return by_practice
