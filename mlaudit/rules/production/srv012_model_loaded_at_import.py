"""Provides rule SRV012: Model loaded at import time."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlaudit.facts.service_facts import imported_files, loads_model_file, module_level_calls
from mlaudit.model import Severity
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.production._shared import _loader_name, _real_services


@register
class ModelLoadedAtImport(Rule):
    """Flags a model loaded at import time of a service module (or a module it imports).

    ## What it does
    Finds module-level statements of a web service module, and of the repository modules it
    imports, that load a model: `torch.load`, `from_pretrained`, `InferenceSession`, a call
    given a model file path, or a project class whose `__init__` does one of those. A lazy
    loader (`LazyLoader(...)`, `lazy_load(...)`) loads on first use, not on import.

    ## Why is this bad?
    Importing the app (tests, a worker, `uvicorn --reload`, a CLI) loads gigabytes and may
    download weights; a missing file crashes the import instead of failing a readiness check,
    and tests cannot swap the model.

    ## Example
    ```python
    model = SentimentModel("weights/model.bin")   # runs on `import api`
    ```

    ## Use instead
    ```python
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.model = SentimentModel("weights/model.bin")
        yield

    app = FastAPI(lifespan=lifespan)   # or: @lru_cache def get_model() + Depends(get_model)
    ```
    """

    code = "SRV012"
    title = "Model loaded at import time"
    practice = "production"
    severity = Severity.WARNING
    fix = "Load the model in a lifespan handler (FastAPI) / app factory, or a cached dependency (@lru_cache get_model)."
    weight = 5
    cap = 10

    def check(self, project: Project) -> Iterator[Output]:
        seen: set[tuple[str, int]] = set()
        for service, _ in _real_services(project):
            for pf in [service, *imported_files(project, service)]:
                classes = _loading_classes(project, pf)
                for call in module_level_calls(pf):
                    what = _load_description(pf, call, classes)
                    if what is None or (pf.path, call.lineno) in seen:
                        continue
                    seen.add((pf.path, call.lineno))
                    where = "" if pf is service else f" (imported by the service {service.path})"
                    yield Hit(pf.path, call.lineno, f"{what} loads a model when {pf.path} is imported{where}")


def _load_description(pf: PythonFile, call: ast.Call, classes: set[str]) -> str | None:
    loader = _loader_name(pf, call)
    if loader is not None:
        return f"{loader}()"
    callee = ast.unparse(call.func)
    last = callee.rsplit(".", 1)[-1]
    if last.lower().startswith("lazy"):
        return None  # `LazyLoader("pkg.onnx", globals())`: loads on first use, not on import
    if last in classes or ("load" in last.lower() and loads_model_file(call)):
        return f"{callee}()"
    return None


def _loading_classes(project: Project, pf: PythonFile) -> set[str]:
    """Return the names of classes (defined here or imported from the repo) whose __init__ loads a model."""
    names: set[str] = set()
    for module in [pf, *imported_files(project, pf)]:
        names.update(module.file_fact(LOADING_CLASSES_FACT, loading_classes))
    return names


LOADING_CLASSES_FACT = "production.loading_classes"  # a per-file fact (mlaudit.filefacts)


def loading_classes(pf: PythonFile) -> frozenset[str]:
    """Return the names of the module's classes whose __init__ loads a model (a per-file fact)."""
    names: set[str] = set()
    for cls in pf.nodes(ast.ClassDef):
        init = next((b for b in cls.body if isinstance(b, ast.FunctionDef) and b.name == "__init__"), None)
        if init is not None and any(
            isinstance(n, ast.Call) and (_loader_name(pf, n) or loads_model_file(n)) for n in ast.walk(init)
        ):
            names.add(cls.name)
    return frozenset(names)
