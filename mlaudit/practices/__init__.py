"""Provides the catalogue of the eleven practices; their rules live in `mlaudit/rules/<practice>/`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PracticeInfo:
    """One of the eleven practices: its key, number, title and why it matters."""

    key: str
    number: int
    title: str
    summary: str


PRACTICES: tuple[PracticeInfo, ...] = (
    PracticeInfo(
        "layout",
        1,
        "Layout like software, not notebooks",
        "Code that lives in an importable package can be tested, reviewed and reused; "
        "logic stranded in notebooks and loose scripts gets copied instead. Packaging "
        "metadata, a README and a tests/ folder are what make a repo installable by others.",
    ),
    PracticeInfo(
        "dependencies",
        2,
        "Environments and pinned dependencies",
        "A model is only reproducible if the environment that trained it can be rebuilt. "
        "Declared, pinned (or locked) dependencies and a declared Python version make "
        "'works on my machine' a non-issue.",
    ),
    PracticeInfo(
        "typing",
        3,
        "Typing and static analysis",
        "Type hints and a configured checker catch shape, None and API mistakes before a "
        "six-hour training run does. A linter keeps the codebase uniform across the team.",
    ),
    PracticeInfo(
        "functions",
        4,
        "Small, composable functions",
        "Small functions with one job can be tested and reused; a 300-line train() that "
        "loads, cleans, trains and evaluates cannot. Module-level code that runs on import "
        "makes every import a side effect.",
    ),
    PracticeInfo(
        "logging",
        5,
        "Logging, not printing",
        "Logs carry levels, timestamps and module names and can be routed and silenced; "
        "prints cannot. Swallowed exceptions hide failed runs.",
    ),
    PracticeInfo(
        "testing",
        6,
        "Tests",
        "Tests on data loading, features and metrics catch silent bugs that never crash "
        "but quietly ruin a model. Coverage shows what is left unguarded.",
    ),
    PracticeInfo(
        "performance",
        7,
        "Performance: vectorise, batch, profile",
        "Python loops over rows or tensors are 10-1000x slower than vectorised or batched "
        "calls; profiling shows where time actually goes.",
    ),
    PracticeInfo(
        "reproducibility",
        8,
        "Central config and reproducibility",
        "Every source of randomness seeded and every hyperparameter in one typed config "
        "is what lets a result be reproduced and compared.",
    ),
    PracticeInfo(
        "interfaces",
        9,
        "Clean interfaces for models and pipelines",
        "Swappable components behind a Protocol or ABC can be replaced and tested in "
        "isolation; string dispatch and big untyped dicts couple everything together.",
    ),
    PracticeInfo(
        "production",
        10,
        "Production mindset: typed services",
        "A service with typed request and response models, a health endpoint and a model "
        "loaded once is predictable under load and easy to operate.",
    ),
    PracticeInfo(
        "security",
        11,
        "Privacy and security",
        "Leaked keys, personal data in the repo and unsafe deserialisation of model files "
        "are the incidents ML teams actually have. Secrets belong in the environment.",
    ),
)

PRACTICE_KEYS: tuple[str, ...] = tuple(p.key for p in PRACTICES)


def practice_info(key: str) -> PracticeInfo:
    """Return the catalogue entry of one practice."""
    for info in PRACTICES:
        if info.key == key:
            return info
    raise KeyError(key)
