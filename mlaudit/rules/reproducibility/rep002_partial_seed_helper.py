"""Provides rule REP002: Seed helper misses a source the code uses."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.randomness import (
    SEED_FUNCTIONS,
    SEED_LINES,
    SOURCE_ORDER,
    RandomnessFacts,
    SeedGap,
    facts_of,
    listed,
    seed_gaps,
    seed_helper_text,
    used_sources,
)
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register


@register
class PartialSeedHelper(Rule):
    """Flags a local seed helper that seeds only some of the sources the code uses.

    ## What it does
    Follows each entry point into the repo's own `set_seed()` / `seed_everything()` helper (a function
    named for seeding, or one seeding two sources or more) and compares what it seeds with the sources
    the entry point actually draws from. A method named after a seed call of the one library it seeds (a device
    backend's `def manual_seed_all(self, seed): return torch.manual_seed(seed)`) implements that library's seed
    for its backend and is no helper promising the run's seeding.

    ## Why is this bad?
    A helper named `set_seed` reads as "runs are reproducible"; a source it forgets (often
    Python's `random`, used for shuffling or augmentation) silently keeps changing every run.

    ## Example
    ```python
    def set_seed(seed: int) -> None:
        np.random.seed(seed)
        torch.manual_seed(seed)

    random.shuffle(triples)  # elsewhere in the repo
    ```

    ## Use instead
    ```python
    def set_seed(seed: int) -> None:
        random.seed(seed)
        np.random.seed(seed)
        torch.manual_seed(seed)
    ```
    """

    code = "REP002"
    title = "Seed helper misses a source the code uses"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Add the missing source's seed call to the helper so it seeds every source the code draws from."

    def check(self, project: Project) -> Iterator[Output]:
        facts = facts_of(project)
        used = used_sources(facts)
        for gap in seed_gaps(facts):
            helpers = {
                key: seeded
                for key, seeded in gap.helpers.items()
                if _seeding_is_its_job(key[0], seeded) and not _backend_seed_method(facts, gap, key)
            }
            if not helpers:
                continue
            (name, path, line), seeded = sorted(helpers.items())[0]
            covered = ", ".join(s for s in SOURCE_ORDER if s in seeded) or "nothing"
            sites = listed([d.where or f"{d.path}:{d.line}" for d in gap.draws])
            yield Hit(
                path,
                line,
                f"{name}() in {path} seeds {covered} but the code also draws from {gap.source} ({sites})",
                fix=f"Add {SEED_LINES[gap.source]} to {name}(): {seed_helper_text(used)}",
            )


HELPER_WORDS = ("seed", "random", "rng", "determinis", "reproducib")


def _seeding_is_its_job(name: str, seeded: set[str]) -> bool:
    """Return True for a seed helper: named for seeding (`set_seed`, `init_rng`, `make_reproducible`) or seeding
    two sources or more. A function that seeds one library before its own draws (`np.random.seed(cfg.seed)`
    in `sample_cameras()`) fixes that step, and promises nothing about the run's other sources."""
    return len(seeded) >= 2 or any(word in name.lower() for word in HELPER_WORDS)


def _backend_seed_method(facts: RandomnessFacts, gap: SeedGap, key: tuple[str, str, int]) -> bool:
    """Return True for a method named after a seed call of the one library it seeds (`def manual_seed_all(self,
    seed): return torch.manual_seed(seed)` in a device backend's class): it implements that library's seed for its
    backend, behind an abstraction, and promises nothing about the run's other sources."""
    name, path, line = key
    calls = [c for e in gap.entries for c in e.seeds if (c.helper, c.path, c.helper_line) == (name, path, line)]
    libraries = {source.split(".", 1)[0] for c in calls for source in c.sources}
    if len(libraries) != 1 or name not in _own_seed_names(libraries.pop()):
        return False
    file = facts.files.get(path)
    owners = [owner for owner, seeds in (file.seeds.items() if file else ()) if any(c in seeds for c in calls)]
    return bool(owners) and all(owner is not None and owner != name for owner in owners)  # defined in a class


def _own_seed_names(library: str) -> frozenset[str]:
    """Return the names of a library's own seed functions (torch: manual_seed, manual_seed_all)."""
    return frozenset(
        function.rpartition(".")[2]
        for function, sources in SEED_FUNCTIONS.items()
        if {source.split(".", 1)[0] for source in sources} == {library}
    )
