"""Tests of rule SRV012 (`mlaudit/rules/production/srv012_model_loaded_at_import.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.production._helpers import _bad, _good

CLASSIFIER_MODULE = """\
import torch

class Classifier:
    def __init__(self, path="weights/classifier.bin"):
        self.net = torch.load(path, weights_only=True)

    def predict(self, text):
        return self.net(text)

clf = Classifier()
"""


def test_srv012_model_loaded_at_import_of_service_or_its_modules(tmp_path: Path) -> None:
    api = "from fastapi import FastAPI\nfrom .classifier import clf\napp = FastAPI()\n\n@app.get('/label')\ndef label(text: str) -> str:\n    return clf.predict(text)\n"
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": api, "svc/classifier.py": CLASSIFIER_MODULE})
    [hit] = findings(tmp_path, "SRV012")
    assert (hit.path, hit.line) == ("svc/classifier.py", 10) and "imported by the service svc/api.py" in hit.message
    assert "lifespan" in hit.fix
    _bad(tmp_path / "bad")
    [direct] = findings(tmp_path / "bad", "SRV012")
    assert (direct.path, direct.line) == ("svc/api.py", 5)


def test_srv012_silent_on_lifespan_and_cached_dependency(tmp_path: Path) -> None:
    classifier = CLASSIFIER_MODULE.replace("clf = Classifier()\n", "")
    api = """\
from functools import lru_cache
from fastapi import Depends, FastAPI
from .classifier import Classifier

app = FastAPI()

@lru_cache
def get_classifier() -> Classifier:
    return Classifier()

@app.get("/label")
def label(text: str, clf: Classifier = Depends(get_classifier)) -> str:
    return clf.predict(text)
"""
    settings = "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    model_path: str = 'weights/classifier.bin'\n\nsettings = Settings(model_path='weights/classifier.bin')\n"
    api = api.replace(
        "from .classifier import Classifier\n", "from .classifier import Classifier\nfrom .settings import settings\n"
    )
    files = {"svc/__init__.py": "", "svc/api.py": api, "svc/classifier.py": classifier, "svc/settings.py": settings}
    write_tree(tmp_path, files)
    assert findings(tmp_path, "SRV012") == []
    _good(tmp_path / "good")
    assert findings(tmp_path / "good", "SRV012") == []


def test_srv012_a_lazy_loader_loads_on_first_use_not_on_import(tmp_path: Path) -> None:
    """`LazyLoader("svc.onnx", ...)` names a module that reads like a model file and defers importing it;
    an eager `load_session("models/ranker.onnx")` at import still loads the model."""
    package = (
        "from svc.lazy import LazyLoader, load_session\n\n"
        'onnx = LazyLoader("svc.onnx", globals(), "svc.onnx")\n'
        'ranker = load_session("models/ranker.onnx")\n'
    )
    api = "from fastapi import FastAPI\nimport svc\napp = FastAPI()\n\n@app.get('/rank')\ndef rank(q: str) -> float:\n    return svc.ranker.run(q)\n"
    lazy = "class LazyLoader:\n    def __init__(self, name, scope, target):\n        self.name = name\n\n\ndef load_session(path):\n    return path\n"
    write_tree(tmp_path, {"svc/__init__.py": package, "svc/api.py": api, "svc/lazy.py": lazy})
    assert [h.line for h in findings(tmp_path, "SRV012")] == [4]
