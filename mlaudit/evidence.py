"""Provides the capability assessment of a practice and the project kind, each isolated like a rule.

A capability that crashes earns nothing and is reported as not checked; it never earns points.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from mlaudit.capabilities import Capability, load_capabilities
from mlaudit.model import CapabilityScore, NotChecked, ProjectKindInfo
from mlaudit.project import Project
from mlaudit.scoring import STAND_IN_CEILING, earned_points

log = logging.getLogger(__name__)

NOT_CHECKED = "not checked: "
"""How the evidence of a capability that could not be assessed starts."""


def capabilities_of(practice: str) -> list[type[Capability]]:
    """Return the practice's registered capabilities, in registration order."""
    return load_capabilities().get(practice, [])


def assess_practice(practice: str, project: Project) -> tuple[tuple[CapabilityScore, ...], list[NotChecked]]:
    """Assess every capability of a practice; return the scores and the capabilities that could not run."""
    scores: list[CapabilityScore] = []
    stand_ins: list[int] = []
    failed: list[NotChecked] = []
    for cls in capabilities_of(practice):
        score, problem, stands_in = _assess(cls, project)
        if stands_in:
            stand_ins.append(len(scores))
        scores.append(score)
        if problem is not None:
            failed.append(problem)
    return _within_ceiling(scores, stand_ins), failed


def _within_ceiling(scores: list[CapabilityScore], stand_ins: list[int]) -> tuple[CapabilityScore, ...]:
    """Return the scores with stand-in capabilities earning no more than brings the practice to `STAND_IN_CEILING`.

    Having nothing to do is not doing it well: a capability credited only because it does not
    apply (no training run to seed, track or version) can lift a practice to 75 (a C), never to
    a B. The last stand-ins give up their points first; each says how many it still counts.
    """
    excess = sum(s.earned for s in scores) - STAND_IN_CEILING
    for index in reversed(stand_ins):
        if excess <= 0:
            break
        score = scores[index]
        kept = max(0, score.earned - excess)
        excess -= score.earned - kept
        note = f" (counts {kept} of {score.points}: what does not apply lifts a practice to {STAND_IN_CEILING} at most)"
        scores[index] = replace(score, earned=kept, evidence=score.evidence + note)
    return tuple(scores)


def _assess(cls: type[Capability], project: Project) -> tuple[CapabilityScore, NotChecked | None, bool]:
    try:
        found = cls().assess(project)
    except Exception as err:  # noqa: BLE001 - a crashing capability is isolated and earns nothing
        log.warning("capability %s.%s crashed: %s: %s", cls.practice, cls.key, type(err).__name__, err)
        reason = f"capability crashed: {type(err).__name__}: {err}"
        note = NotChecked(f"capability {cls.key} ({cls.title})", reason, cls.practice)
        return CapabilityScore(cls.key, cls.title, cls.points, 0, f"{NOT_CHECKED}{reason}"), note, False
    earned = earned_points(cls.points, found.share)
    score = CapabilityScore(cls.key, cls.title, cls.points, earned, found.evidence, found.path, found.line)
    return score, None, found.stands_in


def assessed(capabilities: tuple[CapabilityScore, ...]) -> set[str]:
    """Return the keys of the capabilities that were assessed (not crashed)."""
    return {c.key for c in capabilities if not c.evidence.startswith(NOT_CHECKED)}


def kind_of(project: Project) -> ProjectKindInfo | None:
    """Return the project kind and its evidence, or None when it could not be told."""
    from mlaudit.facts.kind import project_kind

    try:
        found = project_kind(project)
    except Exception as err:  # noqa: BLE001 - the kind is a label; a crash must not end the audit
        log.warning("project kind detection failed: %s: %s", type(err).__name__, err)
        return None
    return ProjectKindInfo(found.kind, tuple(found.evidence))
