"""Provides rule FUN007: Module does work at import time."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.randomness import is_code, scanned_files
from mlaudit.model import FileKind, Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.functions._shared import _script_style_candidate, import_time_work
from mlaudit.rules.logging._shared import safe_snippet


@register
class ScriptStyleModule(Rule):
    """Flags modules that load data, build or train models at import time, outside a main guard.

    ## What it does
    Looks at statements that run when the module is imported (outside functions, classes and
    `if __name__ == "__main__":`) and reports the module when one of them loads data, parses
    arguments, builds or trains a model, plots or writes files. Imports, constants, logger
    creation, reading the package's version (`version = f.read().strip()` of `version.txt`, as `__version__`),
    dataclass instances and registrations (loading the plugins installed packages declare:
    `load_class_extensions(sys.modules[__name__], KEY)`, `load_plugins()`) and lazy imports (`resampy =
    lazy_loader.load("resampy")`: the module loads on first use) and config reads (`json.load(open("config.json"))`,
    also through a function of the module that parses config files it names: a registry scan of `*.json` model
    configs) are fine, and so is a torch.nn module without
    weights of its own (`nn.Sequential(T.Resize(256), T.CenterCrop(224))`, `nn.Identity()`, a pooling
    layer, a loss such as `nn.BCELoss()`): a container counts only when a layer inside it has weights
    (`nn.Sequential(nn.Linear(8, 2))`). Building one of the module's own classes counts only when the
    work runs as it is built (in its constructor, or a method the constructor calls on `self`); work in
    its other methods (`archive.download()`) waits for their call. Notebooks, tests, `__main__.py`,
    setup.py, docs/examples/benchmarks folders, a Sphinx `conf.py` wherever it lives (sphinx-build executes it) and Streamlit apps (which Streamlit re-runs top to
    bottom on every interaction) are exempt.

    ## Why is this bad?
    Importing the module runs the experiment: tests, other modules and notebooks cannot reuse
    a single function from it without loading the data and training the model. Radon rates
    such a module "A" because the code is not inside a function.

    ## Example
    ```python
    df = pd.read_csv("train.csv")
    model = RandomForestClassifier().fit(df[FEATURES], df.y)
    ```

    ## Use instead
    ```python
    def main() -> None:
        df = pd.read_csv("train.csv")
        RandomForestClassifier().fit(df[FEATURES], df.y)

    if __name__ == "__main__":
        main()
    ```
    """

    code = "FUN007"
    restates = "no_import_time_work"
    title = "Module does work at import time"
    practice = "functions"
    severity = Severity.WARNING
    fix = 'Move the module-level work into a main() function called under if __name__ == "__main__":.'
    weight = 8
    cap = 25

    def check(self, project: Project) -> Iterator[Output]:
        imported = _imported_paths(project)
        for pf in project.python_of(FileKind.LIBRARY, FileKind.SCRIPT):
            if not _script_style_candidate(pf):
                continue
            work = import_time_work(pf)
            if work:
                first = work[0]
                yield Hit(
                    pf.path,
                    first.lineno,
                    f"{pf.path} runs {len(work)} statement(s) on import, first: `{safe_snippet(pf.segment_at(first.lineno), 80)}`",
                    fix=IMPORTED_FIX if pf.path in imported else None,
                )


IMPORTED_FIX = (
    "Other modules import this one, so a __main__ guard would leave them without the object: build it in a "
    "function they call (a factory, or a cached getter such as @functools.cache def get_model())."
)


def _imported_paths(project: Project) -> frozenset[str]:
    """Return the repository files another repository module imports."""
    files = scanned_files(project, [pf for pf in project.python.values() if is_code(pf)])
    return frozenset(
        edge.target
        for path, facts in files.items()
        for edges in facts.imports.values()
        for edge in edges
        if edge.target != path
    )
