"""Provides rule REP007: Seeding copy-pasted across files."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.kind import is_example
from mlaudit.facts.randomness import facts_of, listed
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register


@register
class ScatteredSeeding(Rule):
    """Flags seeding code copy-pasted across files instead of one helper.

    ## What it does
    Counts the files that call two or more different seed functions themselves
    (`random.seed`, `np.random.seed`, `torch.manual_seed`, ...). Three or more such files
    means the seeding block was copied. Examples, tutorials and docs are left out: each
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
        copies = sorted(
            p
            for p, f in files.items()
            if not is_example(p) and len({c.name for cs in f.seeds.values() for c in cs}) >= 2
        )
        if len(copies) >= project.options.threshold("rep_seed_copies", 3):
            first = min((call for calls in files[copies[0]].seeds.values() for call in calls), key=lambda c: c.line)
            yield Hit(copies[0], first.line, f"Seed calls repeated in {len(copies)} files: {listed(copies, 5)}")
