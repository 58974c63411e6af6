"""Provides rule REP007: Seeding copy-pasted across files."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from mlaudit.facts.kind import is_example
from mlaudit.facts.randomness import FileRandomness, facts_of, listed
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register


@register
class ScatteredSeeding(Rule):
    """Flags seeding code copy-pasted across files instead of one helper.

    ## What it does
    Counts the files with a seeding block: one function (or the module's top level) calling two or more
    different seed functions itself (`random.seed`, `np.random.seed`, `torch.manual_seed`, ...). Three or more
    such files means the seeding block was copied. A class whose methods each forward a seed to one call (a
    device backend's `manual_seed` and `manual_seed_all`) wraps a random-number API and is no seeding block. Examples, tutorials and docs are left out: each
    example stands alone and seeds itself on purpose.

    ## Why is this bad?
    Copies drift: one script gains `torch.cuda.manual_seed_all`, another does not, and runs
    that look equally seeded are not.

    ## Example
    ```python
    # train.py, finetune.py, evaluate.py each start with
    random.seed(42); np.random.seed(42); torch.manual_seed(42)
    ```

    ## Use instead
    ```python
    from mypkg.seed import set_seed

    set_seed(cfg.seed)
    ```
    """

    code = "REP007"
    title = "Seeding copy-pasted across files"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Move the seed calls into one set_seed(seed) helper and call it from every entry point."

    def check(self, project: Project) -> Iterator[Output]:
        files = facts_of(project).files
        copies = sorted(p for p, f in files.items() if not is_example(p) and _seeding_block(f))
        if len(copies) >= project.options.threshold("rep_seed_copies", 3):
            first = min((call for calls in files[copies[0]].seeds.values() for call in calls), key=lambda c: c.line)
            yield Hit(copies[0], first.line, f"Seed calls repeated in {len(copies)} files: {listed(copies, 5)}")


def _seeding_block(facts: FileRandomness) -> bool:
    """Return True when one function of the file (or its top level) calls two or more different seed functions: a
    seeding block. A class whose methods each forward their seed to one call (an accelerator's `def
    manual_seed(self, seed): return torch.cuda.manual_seed(seed)` beside `manual_seed_all`) wraps a device's
    random-number API, one call per method; it seeds no run."""
    per_function: dict[int | None, set[str]] = defaultdict(set)
    for calls in facts.seeds.values():
        for call in calls:
            per_function[call.helper_line].add(call.name)
    return any(len(names) >= 2 for names in per_function.values())
