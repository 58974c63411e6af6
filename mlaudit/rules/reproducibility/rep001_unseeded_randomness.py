"""Provides rule REP001: Source of randomness used but never seeded."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.kind import in_test_folder, is_demo_entry, is_example
from mlaudit.facts.randomness import facts_of, listed, seed_gaps, seed_idiom
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register


@register
class UnseededRandomness(Rule):
    """Flags a source of randomness the code draws from that no entry point seeds.

    ## What it does
    Finds draws from each global source of randomness (Python `random`, numpy's global RNG,
    torch including weight init, dropout and shuffling `DataLoader`s, tensorflow) and, for every
    entry point (script, `__main__` guard, notebook), follows repo imports to see whether a seed
    call (`random.seed`, `np.random.seed`, `torch.manual_seed`, `transformers.set_seed`,
    `seed_everything`, ...) covers that source. Calls are followed from the entry point's top
    level, so a seed helper that is defined but never called does not count. Entry points that
    do not train are not judged when they load trained weights (inference, a chatbot picking a
    random reply), are the `__main__` self-test of an imported library module, or sit in a test
    or fixture folder (a notebook a test reads as input); a backward pass or optimizer step a layer takes
    under `if self.training:` (an in-place codebook update in its `forward`) runs only while a trainer
    trains it, so calling that layer makes no entry point a training run, and neither does a solver's `minimize`
    (`opti = casadi.Opti(); opti.minimize(cost)`: inverse kinematics or control, a math program, not a model).
    Not draws either: jitter on a retry delay, and a random number turned into text for an identifier
    (`visid = "vis" + str(int(random.random() * 1e10))`, `run_name = f"run-{random.randint(0, 9999)}"`): it only has to
    be unique and changes no result. One finding
    per source, naming draw sites; the fix names the framework's idiom (`pl.seed_everything`,
    `transformers.set_seed`). When only examples, tutorials or docs draw unseeded it is info:
    their run is the reader's, not one the project has to reproduce.

    ## Why is this bad?
    An unseeded source makes every run different: splits, initial weights and augmentations
    change, so a metric difference between two runs cannot be attributed to the change you made.

    ## Example
    ```python
    idx = list(range(len(df)))
    random.shuffle(idx)
    model = nn.Linear(16, 2)
    ```

    ## Use instead
    ```python
    def set_seed(seed: int) -> None:
        random.seed(seed)
        torch.manual_seed(seed)

    set_seed(cfg.seed)
    ```
    """

    code = "REP001"
    title = "Source of randomness used but never seeded"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Call one set_seed(seed) helper that seeds every source the code uses at the start of each entry point."

    def check(self, project: Project) -> Iterator[Output]:
        facts = facts_of(project)
        for gap in seed_gaps(facts):
            if gap.helpers:
                continue
            draws = gap.draws
            runs = [e for e in gap.entries if not is_demo_entry(project, e.path) and not in_test_folder(e.path)]
            if not runs:  # only a library module's `__main__` demo on tensors it makes: nothing to repeat
                continue
            entries = [e.path for e in runs]
            teaching = all(is_example(path) for path in entries)
            yield Hit(
                draws[0].path,
                draws[0].line,
                f"{gap.source} is drawn from but never seeded: {listed([d.site for d in draws])}"
                f" (entry points: {listed(entries)})",
                fix=f"Seed every source at the start of {entries[0]}: {seed_idiom(project, runs[0].draws)}",
                severity=Severity.INFO if teaching else None,
            )
