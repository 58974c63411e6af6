"""Provides rule LAY011: Data or model artifact inside the package."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.discover import SourceFile
from mlaudit.facts.kind import TEST_PARTS
from mlaudit.facts.layout_intent import intentional_small_data, named_by_code
from mlaudit.facts.package_roots import declares_package_data
from mlaudit.model import FileKind, Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.layout._shared import _artifacts, _in_package, _is_large, _size, package_dirs


@register
class ArtifactInPackage(Rule):
    """Flags data and model files stored inside the importable package.

    ## What it does
    Reports data files (csv, parquet, npy, ...) of 100 KB or more and model files (pt, ckpt,
    pkl, onnx, h5, ...) of 10 KB or more under a folder with an `__init__.py`. A top-level test folder
    (`tests/__init__.py` beside the package) is not the package: it is not installed with it. A data file the
    packaging metadata declares as package data (setup.py `package_data={"pkg.resources": ["*.json"]}`,
    `[tool.setuptools.package-data]`) is a resource the code reads, shipped on purpose: a note; model files
    stay warnings, unless the code names them and they are under 25 MB (`resources.files("vad.data") /
    "vad.onnx"`, `os.path.join(here, "assets", "segmenter.bin")`): a small pretrained model the package ships so
    that it works offline is a note.

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
            inside = _in_package(source.path, packages) and not _top_level_tests(source.path)
            if inside and _is_large(source, project) and not intentional_small_data(project, source, True):
                what = "model" if source.kind is FileKind.MODEL else "data"
                message = f"{what} file {source.path} ({_size(source.size)}) inside the package"
                if what == "data" and declares_package_data(project, source.path):
                    yield Hit(
                        source.path,
                        None,
                        f"{message} (declared package data: a resource shipped on purpose)",
                        severity=Severity.INFO,
                    )
                elif what == "model" and _bundled_asset(project, source):
                    yield Hit(
                        source.path,
                        None,
                        f"{message} (loaded by name by the code: a pretrained model shipped on purpose)",
                        severity=Severity.INFO,
                    )
                else:
                    yield Hit(source.path, None, message)


def _bundled_asset(project: Project, source: SourceFile) -> bool:
    """Return True for a model file of a few MB that the code names (`resources.files("pkg.data") /
    "vad.onnx"`): a small pretrained model the package ships so that it works offline."""
    limit = project.options.threshold("bundled_model_mb", 25) * 1e6
    return source.size < limit and named_by_code(project, source)


def _top_level_tests(path: str) -> bool:
    """Return True for a file of a test folder at the repository root (`tests/fixtures/scores.csv`): test
    packages there make pytest's imports work and are not installed with the package."""
    return "/" in path and path.split("/", 1)[0].lower() in TEST_PARTS
