"""Provides rule TST003: Module not touched by any test."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.kind import shipped_package
from mlaudit.facts.test_suite import suite_of
from mlaudit.facts.tested_modules import module_name, tested_modules
from mlaudit.model import FileKind, Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Metric, Output, Rule, register
from mlaudit.rules.testing._shared import importance, needs_tests


@register
class UntestedModule(Rule):
    """Flags library modules that no test imports, the risky ones (data, features, metrics...) first.

    ## What it does
    Resolves the imports of every test file (`from pkg.data import x`, `import pkg.data`,
    `pkg.data.load(...)` through the package, names re-exported by `pkg/__init__.py`,
    `mock.patch("pkg.data...")`, a package whose members a test enumerates: `inspect.getmembers(pkg)`, `dir(pkg)`,
    reaching every module it re-exports from) and follows the functions and classes the tests use into the
    modules those call (an end-to-end `model.transcribe(...)` reaches the decoding code). A
    test that calls a registry (`list_models()`, `create_model(...)`) reaches every module
    that registers with it (`@register_model`). A tested function that imports a plugin by a name built at run
    time (`importlib.import_module(f"pkg.detectors.{name}")`) reaches every module of that package; a package
    `__init__` whose lazy-import helper does so loads nothing until a test calls through it (importing
    `pkg.align` runs that `__init__` but reaches no `pkg.asr`). A test inside a package folder run as the import root (a
    Django backend that is itself a package: `backend/labels/tests/test_span.py` imports `labels.models`)
    reaches `backend.labels.models` when no top-level module is named `labels`. A Django test that requests a URL
    by name (`self.client.get(reverse("project_list"))`) reaches the view a `urls.py` routes that name to
    (`path("projects", ProjectList.as_view(), name="project_list")`) and that `urls.py`. A test-support module
    counts only when it runs with the tests (a `conftest.py`, a plugin one names, a helper a test imports): a
    helper no test imports (`pkg/testing/fit_helper.py` shipped for other suites) reaches nothing. Reports
    library modules none of this reaches. Modules
    named for data loading, preprocessing, features, metrics, losses or retrieval/ranking/
    chunking are warnings; others are info. `__init__`, `__main__`, config/constant modules
    and modules under 10 code lines are left out.

    ## Why is this bad?
    Data loading, preprocessing, feature and metric code fails silently: a leaked label or
    an off-by-one window produces a plausible but wrong model.

    ## Example
    ```python
    # churn/features.py is imported by no test
    def tenure_bucket(months): ...
    ```

    ## Use instead
    ```python
    # tests/test_features.py
    from churn.features import tenure_bucket

    def test_tenure_bucket_edges():
        assert tenure_bucket(0) == "new"
        assert tenure_bucket(24) == "loyal"
    ```
    """

    code = "TST003"
    restates = "modules_reached"
    title = "Module not touched by any test"
    practice = "testing"
    severity = Severity.WARNING
    fix = "Add tests/test_<module>.py that imports the module and checks its main functions on tiny inputs."

    def check(self, project: Project) -> Iterator[Output]:
        if not suite_of(project).functions:
            return
        tested = tested_modules(project)
        shipped = shipped_package(project)
        untested = 0
        for pf in sorted(project.python_of(FileKind.LIBRARY), key=lambda p: p.path):
            name = module_name(pf.path, project.python)
            if not needs_tests(pf) or name in tested:
                continue
            untested += 1
            label = importance(pf.path, shipped)
            if label is None:
                yield Hit(pf.path, None, f"Module {name} is not imported or called by any test", severity=Severity.INFO)
            else:
                yield Hit(pf.path, None, f"Module {name} ({label}) is not imported or called by any test")
        yield Metric("untested_modules", untested)
