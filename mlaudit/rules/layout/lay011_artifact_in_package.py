"""Provides rule LAY011: Data or model artifact inside the package."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.facts.kind import in_test_folder
from mlaudit.facts.layout_intent import intentional_small_data
from mlaudit.model import FileKind, Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.layout._shared import _artifacts, _in_package, _is_large, _size, package_dirs


@register
class ArtifactInPackage(Rule):
    """Flags data and model files stored inside the importable package.

    ## What it does
    Reports data files (csv, parquet, npy, ...) of 100 KB or more and model files (pt, ckpt,
    pkl, onnx, h5, ...) of 10 KB or more under a folder with an `__init__.py`, except in a tests folder
    (`tests/model/saved_model/model.pt`: a fixture a backward-compatibility test loads, not shipped).

    ## Why is this bad?
    They get shipped in every wheel and image, bloat the package, and tie a model version
    to a code version by accident.

    ## Example
    ```text
    src/churn/model.pt
    ```

    ## Use instead
    ```python
    model = load_model(settings.model_uri)   # an artifact store, DVC or the model registry
    ```
    """

    code = "LAY011"
    title = "Data or model artifact inside the package"
    practice = "layout"
    severity = Severity.WARNING
    fix = "Move the artifact to an artifact store (DVC, MLflow, S3) and load it by path or URI from config."

    def check(self, project: Project) -> Iterator[Output]:
        packages = package_dirs(project)
        for source in _artifacts(project):
            # a tests folder with an `__init__.py` is not what the wheel ships: a file there is a test's fixture
            inside = _in_package(source.path, packages) and not in_test_folder(source.path)
            if inside and _is_large(source, project) and not intentional_small_data(project, source, True):
                what = "model" if source.kind is FileKind.MODEL else "data"
                yield Hit(source.path, None, f"{what} file {source.path} ({_size(source.size)}) inside the package")
