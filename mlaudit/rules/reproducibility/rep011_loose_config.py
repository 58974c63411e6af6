"""Provides rule REP011: Config held in loose dicts or bare globals."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.kind import is_library
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Metric, Output, Rule, register
from mlaudit.rules.reproducibility._shared import GLOBALS_MODULE, ConfigStyle, config_style


@register
class LooseConfig(Rule):
    """Flags configuration held in loose dicts or modules of bare UPPERCASE globals.

    ## What it does
    Looks for the repo's central config: typed classes (dataclass, pydantic `BaseModel`/`BaseSettings`,
    attrs) named like `...Config`/`...Settings` score well; a dict of string keys (`cfg = {"lr": ...}`)
    or a `config.py` of bare UPPERCASE numbers is a warning (info when a typed config also exists).
    A dict whose values are mostly live objects (`{"df": df, "estimator": Ridge}`, unpacked into one
    call) bundles arguments, not settings, and is not reported; nor is a dict whose every value is a list
    (`cfg = {"A": [64, "M", 128], "B": [64, 64, "M"]}`: one layer list per model variant, or a search grid).
    In a published library a `constants.py` of UPPERCASE numbers holds its algorithms' defaults,
    not a run's configuration (that belongs to its callers): info.
    Reports the style as the metric `config_style`.

    ## Why is this bad?
    A typo in `cfg["learning_rte"]` or a value of the wrong type surfaces hours into a run; a typed
    config fails at load time, documents every setting and its default in one place, and can be saved
    next to the model.

    ## Example
    ```python
    LR = 3e-4
    BATCH_SIZE = 64
    cfg = {"lr": 3e-4, "batch_size": 64, "epochs": 10, "seed": 1}
    ```

    ## Use instead
    ```python
    @dataclass(frozen=True)
    class TrainConfig:
        lr: float = 3e-4
        batch_size: int = 64
    ```
    """

    code = "REP011"
    title = "Config held in loose dicts or bare globals"
    practice = "reproducibility"
    severity = Severity.WARNING
    fix = "Replace it with a frozen dataclass (or pydantic model) and load YAML/TOML into it."

    def check(self, project: Project) -> Iterator[Output]:
        style: ConfigStyle = project.fact("reproducibility.config_style", config_style)
        kind = "typed" if style.typed else ("loose" if style.loose else "none")
        yield Metric("config_style", kind)
        severity = Severity.INFO if style.typed else None
        library = is_library(project)
        for path, line, what in style.loose:
            defaults = library and what.startswith(GLOBALS_MODULE)
            note = " (a library's algorithm defaults)" if defaults else ""
            yield Hit(
                path, line, f"Loose config in {path}: {what}{note}", severity=Severity.INFO if defaults else severity
            )
