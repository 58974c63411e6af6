"""Tests for the production practice rules (SRV0xx) and its applicability."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlaudit.model import Severity, Status
from tests.helpers import findings, run_audit, write_tree

BAD_FASTAPI = """\
import joblib
from fastapi import FastAPI, Request

app = FastAPI()
model = joblib.load("model.joblib")

@app.on_event("startup")
def warm():
    pass

@app.post("/predict")
async def predict(payload: dict):
    assert "x" in payload
    return {"y": model.predict([payload["x"]]).tolist()}

@app.post("/embed")
async def embed(request: Request, k):
    body = await request.json()
    encoder = joblib.load("enc.joblib")
    return {"v": encoder.encode(body["text"]).tolist()}
"""

GOOD_FASTAPI = """\
from contextlib import asynccontextmanager
from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

class Req(BaseModel):
    text: str

class Resp(BaseModel):
    label: str

@asynccontextmanager
async def lifespan(app):
    app.state.model = load()
    yield

app = FastAPI(lifespan=lifespan)

@app.get("/healthz")
def health() -> dict[str, str]:
    return {"status": "ok"}

@app.post("/predict", response_model=Resp)
def predict(body: Req) -> Resp:
    return Resp(label=app.state.model.predict([body.text])[0])

@app.post("/predict_async")
async def predict_async(body: Req) -> Resp:
    label = await run_in_threadpool(app.state.model.predict, [body.text])
    data = body.text.encode("utf-8")
    return Resp(label=label[0] + str(len(data)))
"""


def _bad(tmp_path: Path) -> Path:
    return write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": BAD_FASTAPI})


def _good(tmp_path: Path) -> Path:
    return write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": GOOD_FASTAPI})


def test_not_applicable_without_service_notes_console_scripts(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "x"\n[project.scripts]\nmlaudit = "mlaudit.cli:main"\n',
            "x/__init__.py": "",
            "x/app.py": "import gradio as gr\n",
        },
    )
    practice = run_audit(tmp_path).practice("production")
    assert practice.status is Status.NOT_APPLICABLE
    assert practice.status_reason is not None
    assert "console entry points: mlaudit = mlaudit.cli:main" in practice.status_reason
    assert "gradio" in practice.status_reason


def test_applicable_with_flask_service(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": "from flask import Flask\napp = Flask(__name__)\n"})
    assert run_audit(tmp_path).practice("production").status is Status.SCORED


def test_srv001_untyped_bodies(tmp_path: Path) -> None:
    hits = findings(_bad(tmp_path), "SRV001")
    messages = sorted(f.message for f in hits)
    assert len(hits) == 2
    assert "`payload: dict`" in messages[1] and "untyped parameter `k`" in messages[0]
    assert "await request.json()" in messages[0]
    assert findings(_good(tmp_path / "g"), "SRV001") == []


def test_srv002_untyped_response(tmp_path: Path) -> None:
    assert sorted(f.line or 0 for f in findings(_bad(tmp_path), "SRV002")) == [12, 17]
    assert findings(_good(tmp_path / "g"), "SRV002") == []


def test_srv003_assert_in_handler(tmp_path: Path) -> None:
    [hit] = findings(_bad(tmp_path), "SRV003")
    assert hit.line == 13 and "predict()" in hit.message
    assert findings(_good(tmp_path / "g"), "SRV003") == []


def test_srv004_on_event(tmp_path: Path) -> None:
    [hit] = findings(_bad(tmp_path), "SRV004")
    assert hit.line == 7 and "'startup'" in hit.message
    assert findings(_good(tmp_path / "g"), "SRV004") == []


def test_srv005_model_loaded_per_request(tmp_path: Path) -> None:
    [hit] = findings(_bad(tmp_path), "SRV005")
    assert hit.line == 19 and "joblib.load" in hit.message
    assert findings(_good(tmp_path / "g"), "SRV005") == []


def test_srv006_blocking_inference_in_async_handler(tmp_path: Path) -> None:
    hits = findings(_bad(tmp_path), "SRV006")
    assert sorted(f.line or 0 for f in hits) == [14, 20]
    assert findings(_good(tmp_path / "g"), "SRV006") == []


def test_srv007_no_health_endpoint(tmp_path: Path) -> None:
    [hit] = findings(_bad(tmp_path), "SRV007")
    assert "/predict" in hit.message
    assert findings(_good(tmp_path / "g"), "SRV007") == []


FLASK_BAD = """\
from flask import Flask, request
app = Flask(__name__)

@app.route("/predict", methods=["POST"])
def predict():
    data = request.json
    return {"y": data["x"]}

if __name__ == "__main__":
    app.run(host="0.0.0.0", debug=True)
"""

FLASK_GOOD = """\
from flask import Flask, request
from pydantic import BaseModel
app = Flask(__name__)

class Req(BaseModel):
    x: float

@app.route("/predict", methods=["POST"])
def predict():
    req = Req.model_validate(request.get_json())
    return {"y": req.x}

@app.route("/health")
def health():
    return {"ok": True}

if __name__ == "__main__":
    app.run(debug=False)
"""


def test_srv008_flask_request_json_without_validation(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": FLASK_BAD})
    [json_hit] = findings(tmp_path, "SRV008")
    assert json_hit.line == 6


def test_srv008_silent_on_validated_flask(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": FLASK_GOOD, "Procfile": "web: gunicorn app:app --workers 2\n"})
    assert findings(tmp_path, "SRV008") == []


def test_srv009_flask_debug_server(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": FLASK_BAD})
    [debug_hit] = findings(tmp_path, "SRV009")
    assert debug_hit.line == 10


def test_srv009_silent_on_flask_served_by_gunicorn(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": FLASK_GOOD, "Procfile": "web: gunicorn app:app --workers 2\n"})
    assert findings(tmp_path, "SRV009") == []


FLASK_MIN = "from flask import Flask\napp = Flask(__name__)\n"

BAD_DOCKERFILE = """\
FROM python:latest AS build
RUN pip install -r requirements.txt
FROM nvidia/cuda
ENV API_KEY=abcd1234efgh5678 \\
    MODEL_PATH=/app/model.pkl
ARG HF_TOKEN=hf_example_value_placeholder
CMD jupyter lab --ip=0.0.0.0 --ServerApp.token='' --allow-root
"""

GOOD_DOCKERFILE = """\
FROM python:3.11.9-slim AS build
RUN pip install -r requirements.txt
FROM python:3.11.9-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
COPY --from=build /app /app
ARG HF_TOKEN
ENV TOKENIZERS_PARALLELISM=false HF_TOKEN_PATH=/run/secrets/hf API_KEY=${API_KEY}
RUN useradd --system app
USER app
CMD ["uvicorn", "app:app"]
"""


def test_srv020_unpinned_base_images(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": FLASK_MIN, "Dockerfile": BAD_DOCKERFILE})
    assert sorted(f.line or 0 for f in findings(tmp_path, "SRV020")) == [1, 3]


def test_srv021_container_runs_as_root(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": FLASK_MIN, "Dockerfile": BAD_DOCKERFILE})
    [root] = findings(tmp_path, "SRV021")
    assert root.severity is Severity.INFO


def test_srv022_secret_in_dockerfile_env_is_redacted(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": FLASK_MIN, "Dockerfile": BAD_DOCKERFILE})
    [secret] = findings(tmp_path, "SRV022")
    assert secret.line == 4 and "API_KEY=abcd…(16 chars)" in secret.message and "abcd1234efgh" not in secret.message


def test_srv023_jupyter_server_without_authentication(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": FLASK_MIN, "Dockerfile": BAD_DOCKERFILE})
    [jupyter] = findings(tmp_path, "SRV023")
    assert jupyter.line == 7


@pytest.mark.parametrize("code", ["SRV020", "SRV021", "SRV022", "SRV023"])
def test_dockerfile_rules_silent_on_pinned_nonroot_image(tmp_path: Path, code: str) -> None:
    write_tree(
        tmp_path, {"app.py": FLASK_MIN, "Dockerfile": GOOD_DOCKERFILE, "start.sh": "jupyter lab --ip=127.0.0.1\n"}
    )
    assert findings(tmp_path, code) == []


def test_srv030_ci_tests(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"app.py": FLASK_MIN, ".github/workflows/lint.yml": "jobs:\n  l:\n    steps:\n      - run: ruff check .\n"},
    )
    [hit] = findings(tmp_path, "SRV030")
    assert "no step runs the tests" in hit.message
    write_tree(tmp_path, {".github/workflows/ci.yml": "jobs:\n  t:\n    steps:\n      - run: uv run pytest -q\n"})
    assert findings(tmp_path, "SRV030") == []


# Services, not examples: deploy recipe, error handling, import-time model loading, HTML, dev server


def test_srv010_service_without_deploy_recipe(tmp_path: Path) -> None:
    _bad(tmp_path)
    write_tree(tmp_path, {"bin/serve.sh": "uvicorn svc.api:app\n"})
    [hit] = findings(tmp_path, "SRV010")
    assert hit.path is None and "svc/api.py (FastAPI)" in hit.message


def test_srv010_silent_with_recipe_or_when_the_service_is_an_example(tmp_path: Path) -> None:
    _bad(tmp_path)
    write_tree(tmp_path, {"deploy/k8s.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc\n"})
    assert findings(tmp_path, "SRV010") == []
    other = tmp_path / "other"
    write_tree(other, {"examples/serve/app.py": BAD_FASTAPI, "lib/__init__.py": ""})
    assert findings(other, "SRV010") == []


def test_srv011_model_call_without_error_handling(tmp_path: Path) -> None:
    _bad(tmp_path)
    assert sorted(f.line or 0 for f in findings(tmp_path, "SRV011")) == [14, 20]


def test_srv011_silent_with_try_or_exception_handler(tmp_path: Path) -> None:
    guarded = """\
from fastapi import FastAPI, HTTPException
app = FastAPI()

@app.post("/predict")
def predict(text: str) -> dict[str, str]:
    try:
        label = app.state.model.predict([text])[0]
    except ValueError as err:
        raise HTTPException(status_code=422, detail=str(err)) from err
    return {"label": label}
"""
    handled = """\
from flask import Flask, request
app = Flask(__name__)

@app.errorhandler(Exception)
def on_error(err):
    return {"error": type(err).__name__}, 500

@app.route("/predict", methods=["POST"])
def predict():
    return {"label": app.config["MODEL"].predict([request.get_json()["text"]])[0]}
"""
    validating = """\
from fastapi import FastAPI, HTTPException
app = FastAPI()

@app.post("/batch")
def batch(texts: list[str]) -> list[str]:
    if len(texts) > 64:
        raise HTTPException(status_code=413, detail="batch too large")
    return list(app.state.model.predict(texts))
"""
    files = {"svc/__init__.py": "", "svc/api.py": guarded, "svc/flask_api.py": handled, "svc/batch.py": validating}
    write_tree(tmp_path, files)
    assert findings(tmp_path, "SRV011") == []


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


def test_srv002_html_page_asks_for_response_class(tmp_path: Path) -> None:
    api = """\
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
app = FastAPI()

@app.get("/")
def home():
    return "<h1>Sentiment demo</h1>"

@app.get("/about", response_class=HTMLResponse)
def about():
    return "<p>about</p>"
"""
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": api})
    [hit] = findings(tmp_path, "SRV002")
    assert hit.line == 6 and "response_class=HTMLResponse" in hit.message and "response_class" in hit.fix


def test_srv002_routes_returning_response_objects_need_no_response_model(tmp_path: Path) -> None:
    api = """\
from fastapi import FastAPI
from fastapi.responses import FileResponse, RedirectResponse
app = FastAPI()

@app.get("/")
async def root():
    response = RedirectResponse(url="/docs")
    return response

@app.get("/weights")
def weights():
    return FileResponse("model.onnx")

@app.get("/scores")
def scores():
    if not ready:
        return RedirectResponse(url="/")
    return {"a": 1}
"""
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": api})
    assert [f.line for f in findings(tmp_path, "SRV002")] == [15]


def test_srv009_flask_development_server_is_a_warning(tmp_path: Path) -> None:
    app = (
        FLASK_MIN
        + "\n@app.route('/p')\ndef p():\n    return {}\n\nif __name__ == '__main__':\n    app.run(host='0.0.0.0', port=8000)\n"
    )
    runner = "class Loop:\n    def run(self):\n        pass\n\nloop = Loop()\nloop.run()\n"
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/app.py": app, "svc/loop.py": runner})
    [hit] = findings(tmp_path, "SRV009")
    assert hit.line == 9 and hit.severity is Severity.WARNING and "gunicorn" in hit.fix


def test_services_only_in_examples_make_the_practice_not_applicable(tmp_path: Path) -> None:
    write_tree(tmp_path, {"examples/serving/app.py": BAD_FASTAPI, "lib/__init__.py": "", "lib/core.py": "x = 1\n"})
    report = run_audit(tmp_path)
    production = report.practice("production")
    assert production.status is Status.NOT_APPLICABLE
    assert "examples/serving/app.py" in (production.status_reason or "")
    assert [f for f in report.findings if f.practice == "production"] == []


def test_srv007_reads_route_paths_kept_in_module_constants(tmp_path: Path) -> None:
    app = (
        FLASK_MIN
        + "PREDICT_URL = '/v1/predict'\n\n@app.route(PREDICT_URL, methods=['POST'])\ndef predict():\n    return {}\n"
    )
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/app.py": app})
    [hit] = findings(tmp_path, "SRV007")
    assert "/v1/predict" in hit.message
    write_tree(
        tmp_path,
        {"svc/health.py": FLASK_MIN + "HEALTH = '/healthz'\n\n@app.route(HEALTH)\ndef health():\n    return {}\n"},
    )
    assert findings(tmp_path, "SRV007") == []
