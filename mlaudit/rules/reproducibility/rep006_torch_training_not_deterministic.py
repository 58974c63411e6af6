"""Provides rule REP006: torch training without determinism settings."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.capabilities.reproducibility import first_training_call
from mlaudit.facts.randomness import TORCH_TRAIN, facts_of, is_code
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.reproducibility._shared import _sets_determinism, config_determinism


@register
class TorchTrainingNotDeterministic(Rule):
    """Notes torch training code with no cuDNN/determinism settings anywhere in the repo.

    ## What it does
    When the code trains with torch (`loss.backward()`, outside modules that train with MXNet or
    Chainer's autograd instead; in a published library, only where its own scripts, commands and main blocks
    train, as the practice's "Deterministic execution requested" reads it, not in its API's training loops nor
    in a module self-test backpropagating once on random tensors) but never sets
    `torch.backends.cudnn.deterministic = True`, `cudnn.benchmark = False` or
    `torch.use_deterministic_algorithms(True)` (or Lightning's `Trainer(deterministic=True)`).

    ## Why is this bad?
    Even with every seed set, cuDNN picks non-deterministic kernels on GPU, so two runs with the
    same seed still differ slightly.

    ## Example
    ```python
    torch.manual_seed(seed)
    loss.backward()
    ```

    ## Use instead
    ```python
    torch.manual_seed(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    ```
    """

    code = "REP006"
    title = "torch training without determinism settings"
    practice = "reproducibility"
    severity = Severity.INFO
    fix = "In set_seed(), add torch.backends.cudnn.deterministic = True and torch.backends.cudnn.benchmark = False."

    def check(self, project: Project) -> Iterator[Output]:
        facts = facts_of(project)
        trains = [
            d
            for f in facts.files.values()
            for ds in f.draws.values()
            for d in ds
            if d.source == TORCH_TRAIN and not _other_autograd(project, d.path)
        ]
        if not trains or any(_sets_determinism(pf) for pf in project.python.values() if is_code(pf)):
            return
        if config_determinism(project) is not None:
            return  # the runner reading the config switches to deterministic kernels
        if first_training_call(project) is None:
            return  # a published library's own runs train nothing: its training loops run in its users' programs
        first = min(trains, key=lambda d: (d.path, d.line))
        yield Hit(first.path, first.line, f"torch training ({first.where or first.path}) without cuDNN determinism")


# frameworks whose autograd also trains with `loss.backward()`
OTHER_AUTOGRAD = frozenset({"mxnet", "chainer", "paddle", "mindspore", "jittor", "oneflow", "megengine"})


def _other_autograd(project: Project, path: str) -> bool:
    """Return True when `loss.backward()` in the module is another framework's: it imports one and not torch."""
    pf = project.python.get(path)
    if pf is None:
        return False
    tops = {m.split(".", 1)[0] for m in pf.imported_modules}
    return bool(tops & OTHER_AUTOGRAD) and "torch" not in tops
