"""Tests of the production capabilities: typed contracts, health, model loaded once, deploy recipe, errors, tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.capabilities.util import assess, earned_points
from tests.helpers import write_tree
from tests.rules.production._helpers import APP_FACTORY, ROUTES_LIBRARY

API = """from contextlib import asynccontextmanager

import joblib
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel


class PredictRequest(BaseModel):
    features: list[float]


class PredictResponse(BaseModel):
    score: float


@asynccontextmanager
async def lifespan(app):
    app.state.model = joblib.load("model.joblib")
    yield


app = FastAPI(lifespan=lifespan)


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/predict", response_model=PredictResponse)
def predict(body: PredictRequest) -> PredictResponse:
    if not body.features:
        raise HTTPException(status_code=422, detail="no features")
    return PredictResponse(score=app.state.model.predict([body.features])[0])
"""
RAW = """import joblib
from fastapi import FastAPI, Request

app = FastAPI()


@app.post("/predict")
async def predict(request: Request):
    payload = await request.json()
    model = joblib.load("model.joblib")
    return {"score": model.predict([payload["features"]])[0]}
"""
TEST = "from fastapi.testclient import TestClient\n\nfrom service.api import app\n\n\ndef test_health():\n    assert TestClient(app).get('/health').status_code == 200\n"
DOCKER = "FROM python:3.11-slim\nCOPY . .\nCMD uvicorn service.api:app\n"


def test_pydantic_body_is_typed(tmp_path: Path) -> None:
    result = assess(tmp_path, "production", "typed_requests", {"service/api.py": API})
    assert result.share == 1
    assert "predict() at service/api.py:31" in result.evidence


def test_raw_json_body_is_not_typed(tmp_path: Path) -> None:
    assert assess(tmp_path, "production", "typed_requests", {"service/api.py": RAW}).share == 0


FLASK = """from flask import Flask, request

from service.schemas import PredictSchema

app = Flask(__name__)


@app.route("/predict", methods=["POST"])
def predict():
    {body}
    return {{"score": 1.0}}
"""
FLASK_BODIES = {
    "schema": ("schema = PredictSchema()\n    payload = schema.load(request.get_json())", 1.0),
    "by_hand": ('if "image" not in request.files:\n        return {"error": "no image"}, 400', 0.5),
    "unchecked": ('payload = request.json["features"]', 0.0),
}


@pytest.mark.parametrize(("body", "share"), FLASK_BODIES.values(), ids=FLASK_BODIES.keys())
def test_flask_input_is_typed_by_a_schema_and_half_by_hand_checks(tmp_path: Path, body: str, share: float) -> None:
    files = {"service/api.py": FLASK.format(body=body), "service/schemas.py": "class PredictSchema:\n    pass\n"}
    assert assess(tmp_path, "production", "typed_requests", files).share == share


DASHBOARD_PAGES = """from flask import Flask, render_template

app = Flask(__name__)


@app.route("/")
def index():
    return render_template("hub.html", dashboards=DASHBOARDS)


@app.route("/about")
def about():
    return render_template("about.html")
"""


def test_flask_pages_that_read_no_request_have_no_input_to_type(tmp_path: Path) -> None:
    result = assess(tmp_path / "a", "production", "typed_requests", {"hub/app.py": DASHBOARD_PAGES})
    assert result.share == 1
    assert result.evidence == "no handler takes input (no parameter, no read of the request): nothing to type"
    reading = DASHBOARD_PAGES.replace(
        'render_template("about.html")', 'render_template("about.html", q=request.args["q"])'
    )
    reading = reading.replace("import Flask, render_template", "import Flask, render_template, request")
    result = assess(tmp_path / "b", "production", "typed_requests", {"hub/app.py": reading})
    assert result.share == 0 and result.evidence.startswith("0 of 1 (0%) handlers take typed input")


def test_flask_pages_have_no_response_schema_but_a_json_handler_beside_them_is_judged(tmp_path: Path) -> None:
    result = assess(tmp_path / "a", "production", "typed_responses", {"hub/app.py": DASHBOARD_PAGES})
    assert result.share == 1
    assert result.evidence == "handlers serve HTML pages (e.g. index() at hub/app.py:7): no response schema to declare"
    api = DASHBOARD_PAGES + '\n\n@app.route("/score")\ndef score():\n    return {"score": 0.5}\n'
    mixed = assess(tmp_path / "b", "production", "typed_responses", {"hub/app.py": api})
    assert mixed.share == 0 and mixed.evidence == "0 of 1 (0%) handlers declare their response"


def test_response_model_is_typed(tmp_path: Path) -> None:
    assert assess(tmp_path, "production", "typed_responses", {"service/api.py": API}).share == 1
    assert assess(tmp_path / "b", "production", "typed_responses", {"service/api.py": RAW}).share == 0


def test_a_dict_of_any_keys_earns_half_of_a_declared_response(tmp_path: Path) -> None:
    """`-> dict[str, Any]` declares a JSON object with no fields: weaker than a model, more than nothing."""
    api = (
        "from typing import Any\nfrom fastapi import FastAPI\napp = FastAPI()\n\n"
        '@app.post("/loose")\ndef loose(text: str) -> dict[str, Any]:\n    return {"label": text}\n\n'
        '@app.post("/scores")\ndef scores(text: str) -> dict[str, float]:\n    return {"positive": 0.9}\n'
    )
    result = assess(tmp_path, "production", "typed_responses", {"service/api.py": api})
    assert result.share == 0.75
    assert result.evidence.endswith("1 return a dict of any keys (a JSON object with no declared fields: half)")


def test_health_route(tmp_path: Path) -> None:
    result = assess(tmp_path, "production", "health_endpoint", {"service/api.py": API})
    assert result.share == 1
    assert "/health" in result.evidence
    assert assess(tmp_path / "b", "production", "health_endpoint", {"service/api.py": RAW}).share == 0


def test_model_loaded_at_startup(tmp_path: Path) -> None:
    result = assess(tmp_path, "production", "model_loaded_once", {"service/api.py": API})
    assert result.share == 1
    assert "service/api.py:18" in result.evidence


def test_model_loaded_per_request_does_not_earn(tmp_path: Path) -> None:
    result = assess(tmp_path, "production", "model_loaded_once", {"service/api.py": RAW})
    assert result.share == 0
    assert "per request" in result.evidence


def test_dockerfile_deploys(tmp_path: Path) -> None:
    assert assess(tmp_path, "production", "deploy_recipe", {"service/api.py": API, "Dockerfile": DOCKER}).share == 1
    assert assess(tmp_path / "b", "production", "deploy_recipe", {"service/api.py": API}).share == 0


def test_http_exception_is_error_handling(tmp_path: Path) -> None:
    assert assess(tmp_path, "production", "error_handling", {"service/api.py": API}).share == 1
    assert assess(tmp_path / "b", "production", "error_handling", {"service/api.py": RAW}).share == 0


FORM_SERVICE = """from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

app = FastAPI()


class NumpyJSONResponse(JSONResponse):
    pass


@app.get("/")
def check_health():
    return NumpyJSONResponse({{"message": "up"}})


@app.post("/predict")
async def predict(request: Request):
    form = await request.form()
    if "text" not in form:
        return NumpyJSONResponse({{"error": "missing text"}}, status_code={status})
    return NumpyJSONResponse({{"label": len(form["text"])}})
"""


def test_a_response_built_with_an_error_status_handles_errors(tmp_path: Path) -> None:
    """A handler answering `NumpyJSONResponse(..., status_code=400)` reports its failure over HTTP; the same
    response class with a success status reports nothing."""
    bad_input = FORM_SERVICE.format(status=400)
    result = assess(tmp_path, "production", "error_handling", {"service/api.py": bad_input})
    assert result.share == 1 and "NumpyJSONResponse(status_code=...)" in result.evidence
    ok = FORM_SERVICE.format(status=200)
    assert assess(tmp_path / "b", "production", "error_handling", {"service/api.py": ok}).share == 0


def test_a_root_route_named_as_a_health_check_is_one(tmp_path: Path) -> None:
    """`@app.get("/") def check_health()` is the service's health check; a root page named `index` is not."""
    service = FORM_SERVICE.format(status=400)
    assert assess(tmp_path, "production", "health_endpoint", {"service/api.py": service}).share == 1
    page = service.replace("def check_health", "def index")
    assert assess(tmp_path / "b", "production", "health_endpoint", {"service/api.py": page}).share == 0


def test_test_client_tests_the_service(tmp_path: Path) -> None:
    files = {"service/__init__.py": "", "service/api.py": API, "tests/test_api.py": TEST}
    assert assess(tmp_path, "production", "service_tested", files).share == 1


@pytest.mark.parametrize("package_init", ["", "from service.api import app\n"])
def test_tests_of_other_code_do_not_test_the_service(tmp_path: Path, package_init: str) -> None:
    """Nor does reaching the service only because the package `__init__` imports it."""
    other = "from service.features import f\n\n\ndef test_f():\n    assert f() == 1\n"
    files = {
        "service/__init__.py": package_init,
        "service/api.py": API,
        "service/features.py": "def f():\n    return 1\n",
        "tests/test_f.py": other,
    }
    assert assess(tmp_path, "production", "service_tested", files).share == 0


def test_no_service_earns_nothing(tmp_path: Path) -> None:
    write_tree(tmp_path, {"train.py": "import torch\n", "Dockerfile": DOCKER})
    assert earned_points(tmp_path, "production") == 0


def test_complete_service_earns_most(tmp_path: Path) -> None:
    write_tree(
        tmp_path, {"service/__init__.py": "", "service/api.py": API, "tests/test_api.py": TEST, "Dockerfile": DOCKER}
    )
    assert earned_points(tmp_path, "production") >= 95


MANAGED = """from fastapi import FastAPI
from pydantic import BaseModel

from serving.store import ModelStore

app = FastAPI()
store = ModelStore()
store.load_model("default")


class Answer(BaseModel):
    label: str


@app.put("/models/{model_id}/reload", response_model=bool)
async def reload(model_id: str) -> bool:
    return store.load_model(model_id)


@app.post("/classify", response_model=Answer)
async def classify(text: str) -> Answer:
    return Answer(label=store.current.predict(text))
"""


def test_a_model_reload_route_does_not_count_as_loading_per_request(tmp_path: Path) -> None:
    result = assess(tmp_path, "production", "model_loaded_once", {"serving/api.py": MANAGED, "serving/store.py": ""})
    assert result.share == 1
    assert "serving/api.py:8" in result.evidence
    per_request = MANAGED.replace("store.current.predict(text)", 'store.load_model("default").predict(text)')
    bad = assess(tmp_path / "b", "production", "model_loaded_once", {"serving/api.py": per_request})
    assert bad.share == 0 and "classify() loads the model per request" in bad.evidence
    # the reload route alone is no evidence of a load at startup
    lazy = MANAGED.replace('store.load_model("default")\n', "")
    assert assess(tmp_path / "c", "production", "model_loaded_once", {"serving/api.py": lazy}).share == 0


FACTORY = """from flask import Flask, jsonify, request


def build_app(scoring_model, settings_path):
    app = Flask(__name__)

    @app.post("/score")
    def score():
        rows = request.get_json()["rows"]
        return jsonify(scores=scoring_model.predict(rows).tolist())

    return app
"""


def test_a_model_given_to_the_app_factory_is_loaded_once_by_its_caller(tmp_path: Path) -> None:
    result = assess(tmp_path, "production", "model_loaded_once", {"svc/app.py": FACTORY})
    assert result.share == 1
    assert "build_app(scoring_model) is given the model once" in result.evidence
    # a factory given only where the model lives, whose handler reads that path, earns nothing
    by_path = FACTORY.replace("scoring_model, settings_path", "model_path").replace(
        "scoring_model.predict(rows)", "score_file(model_path, rows)"
    )
    assert assess(tmp_path / "b", "production", "model_loaded_once", {"svc/app.py": by_path}).share == 0


def test_the_load_cited_is_the_one_nearest_the_service(tmp_path: Path) -> None:
    app = (
        "from fastapi import FastAPI\n\nfrom svc.predictor import SESSION\n\napp = FastAPI()\n\n\n"
        '@app.post("/score")\ndef score(rows: list[float]) -> dict[str, float]:\n'
        '    return {"score": float(SESSION.run(None, {"x": [rows]})[0][0])}\n'
    )
    predictor = 'import onnxruntime as ort\n\nfrom svc.common.tokens import Tokens\n\nSESSION = ort.InferenceSession("model.onnx")\n'
    text = (
        "from transformers import AutoTokenizer\n\n\nclass Tokens:\n    def __init__(self, name):\n"
        "        self.tok = AutoTokenizer.from_pretrained(name)\n"
    )
    files = {
        "svc/__init__.py": "",
        "svc/app.py": app,
        "svc/predictor.py": predictor,
        "svc/common/__init__.py": "",
        "svc/common/tokens.py": text,
    }
    result = assess(tmp_path, "production", "model_loaded_once", files)
    assert result.evidence == "onnxruntime.InferenceSession at svc/predictor.py:5, outside any handler"


def test_the_module_that_launches_the_service_is_where_its_model_is_loaded(tmp_path: Path) -> None:
    serve = (
        "import joblib\n\nfrom svc.app import build_app\n\n\ndef main():\n"
        '    build_app(joblib.load("model.joblib"), "settings.toml").run(port=8080)\n'
    )
    test = (
        "import joblib\n\nfrom svc.app import build_app\n\n\ndef test_score(tmp_path):\n"
        '    client = build_app(joblib.load(tmp_path / "m.joblib"), "s.toml").test_client()\n'
        '    assert client.post("/score", json={"rows": [[1.0]]}).status_code == 200\n'
    )
    files = {"svc/__init__.py": "", "svc/app.py": FACTORY, "tests/test_app.py": test}
    result = assess(tmp_path, "production", "model_loaded_once", files)
    assert "build_app(scoring_model) is given the model once" in result.evidence  # a test's load is no launcher
    launched = assess(tmp_path / "b", "production", "model_loaded_once", {**files, "svc/serve.py": serve})
    assert launched.evidence == "joblib.load at svc/serve.py:7, outside any handler"


def test_a_model_class_loading_itself_at_startup_is_the_model_loaded_once(tmp_path: Path) -> None:
    serve = (
        "from fastapi import FastAPI\n\nfrom tabmodel import TabularModel\n\n"
        'model = TabularModel.load("artifacts/model")\napp = FastAPI()\n\n\n'
        '@app.post("/predict")\ndef predict(values: list[float]) -> dict[str, float]:\n'
        '    return {"score": float(model.predict([values])[0])}\n'
    )
    result = assess(tmp_path, "production", "model_loaded_once", {"svc/__init__.py": "", "svc/app.py": serve})
    assert result.evidence == "TabularModel.load at svc/app.py:5, outside any handler"
    # Look-alike: a settings namespace read at startup (`SETTINGS.load`) is no model
    settings = serve.replace("TabularModel.load", "SETTINGS.load").replace("model.predict", "run")
    assert assess(tmp_path / "b", "production", "model_loaded_once", {"svc/app.py": settings}).share == 0


HIDDEN_DOCS = """from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html
from pydantic import BaseModel

app = FastAPI(docs_url=None)


class Label(BaseModel):
    name: str


@app.get("/reference", include_in_schema=False)
async def reference(request: Request):
    return get_redoc_html(openapi_url=request.app.openapi_url, title="Scoring API")


@app.post("/label", response_model=Label)
async def label(text: str) -> Label:
    return Label(name=text[:3])
"""


def test_routes_left_out_of_the_schema_do_not_count_against_typed_responses(tmp_path: Path) -> None:
    result = assess(tmp_path, "production", "typed_responses", {"svc/api.py": HIDDEN_DOCS})
    assert result.share == 1 and "1 of 1" in result.evidence
    listed = HIDDEN_DOCS.replace("include_in_schema=False", "include_in_schema=True")
    assert assess(tmp_path / "b", "production", "typed_responses", {"svc/api.py": listed}).share == 0.5


HOSTED = """from fastapi import FastAPI
from pydantic import BaseModel

from service.llm import complete

app = FastAPI()


class Question(BaseModel):
    text: str


@app.post("/ask")
def ask(question: Question) -> dict[str, str]:
    return {"answer": complete(question.text)}
"""
LLM = """from openai import OpenAI

client = OpenAI()


def complete(prompt: str) -> str:
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}])
    return reply.choices[0].message.content or ""
"""


def test_a_service_answering_through_a_hosted_model_has_no_weights_to_load(tmp_path: Path) -> None:
    hosted = assess(
        tmp_path / "a", "production", "model_loaded_once", {"service/api.py": HOSTED, "service/llm.py": LLM}
    )
    assert hosted.share == 1
    assert hosted.evidence == "the service calls a hosted model (openai imported in service/llm.py): no weights to load"
    # Look-alikes: the same service with a local echo has no model at all; a per-request load still fails.
    echo = "def complete(prompt: str) -> str:\n    return prompt\n"
    local = assess(
        tmp_path / "b", "production", "model_loaded_once", {"service/api.py": HOSTED, "service/llm.py": echo}
    )
    assert local.share == 0 and local.evidence == "No model loading found in the service code"
    per_request = assess(
        tmp_path / "c", "production", "model_loaded_once", {"service/api.py": RAW, "service/llm.py": LLM}
    )
    assert per_request.share == 0 and "per request" in per_request.evidence


def test_a_load_in_a_helper_the_service_never_runs_is_not_its_model(tmp_path: Path) -> None:
    app = (
        "from flask import Flask, jsonify, request\n\nfrom svc.cache import Cached\nfrom svc.env import ServeEnv\n\n"
        "app = Flask(__name__)\nENV = ServeEnv('/opt/ml/model')\n\n\n"
        '@app.post("/invocations")\ndef invocations():\n'
        '    return jsonify(ENV.predictor.predict(request.get_json()["instances"]))\n'
    )
    cache = (
        "import pickle\n\n\nclass Cached:\n    def __init__(self, path):\n        self.path = path\n\n"
        "    def __iter__(self):\n        with open(self.path, 'rb') as f:\n            yield from pickle.load(f)\n"
    )
    env = (
        "from svc.predictor import Predictor\n\n\nclass ServeEnv:\n    def __init__(self, path):\n"
        "        self.predictor = Predictor.deserialize(path)\n"
    )
    predictor = "class Predictor:\n    @classmethod\n    def deserialize(cls, path):\n        return cls()\n"
    files = {"svc/__init__.py": "", "svc/app.py": app, "svc/cache.py": cache, "svc/env.py": env}
    result = assess(tmp_path, "production", "model_loaded_once", {**files, "svc/predictor.py": predictor})
    assert result.evidence == "Predictor.deserialize at svc/env.py:6, outside any handler"
    # Look-alike: the service imports the caching helper but never iterates it, and builds no predictor.
    unused = {**files, "svc/env.py": "class ServeEnv:\n    def __init__(self, path):\n        self.predictor = None\n"}
    assert assess(tmp_path / "b", "production", "model_loaded_once", unused).share == 0


REEXPORTED_SERVICE = """from fastapi import FastAPI

from .models import {name}

app = FastAPI()
model = {name}("artifacts/ranker")


@app.post("/predict")
def predict(values: list[float]) -> dict[str, float]:
    return {{"score": float(model.predict([values])[0])}}
"""


def test_a_loader_the_services_own_package_reexports_is_the_model_loaded_once(tmp_path: Path) -> None:
    files = {
        "svc/__init__.py": "",
        "svc/models/__init__.py": "from joblib import load as load_ranker\nfrom json import load as load_settings\n",
        "svc/app.py": REEXPORTED_SERVICE.format(name="load_ranker"),
    }
    result = assess(tmp_path, "production", "model_loaded_once", files)
    assert result.evidence == "joblib.load at svc/app.py:6, outside any handler"
    # Look-alike: the same package re-exports json.load, which reads settings, not a model.
    settings = {**files, "svc/app.py": REEXPORTED_SERVICE.format(name="load_settings")}
    assert assess(tmp_path / "b", "production", "model_loaded_once", settings).share == 0


def test_a_conftest_fixture_importing_the_app_tests_the_service(tmp_path: Path) -> None:
    conftest = "import pytest\n\nfrom service.api import app\n\n\n@pytest.fixture\ndef served():\n    return app\n"
    test = "def test_app(served):\n    assert served.title\n"
    files = {
        "service/__init__.py": "",
        "service/api.py": API,
        "tests/conftest.py": conftest,
        "tests/test_app.py": test,
    }
    assert assess(tmp_path, "production", "service_tested", files).share == 1


TOKENIZER_ONLY = """from fastapi import FastAPI
from transformers import AutoConfig, AutoTokenizer

app = FastAPI()
tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
config = AutoConfig.from_pretrained("bert-base-uncased")


@app.post("/tokens")
def tokens(text: str) -> list[int]:
    return tokenizer(text)["input_ids"]
"""


def test_loading_a_tokenizer_or_config_is_not_loading_the_model(tmp_path: Path) -> None:
    result = assess(tmp_path, "production", "model_loaded_once", {"svc/app.py": TOKENIZER_ONLY})
    assert result.share == 0
    weights = TOKENIZER_ONLY.replace(
        'config = AutoConfig.from_pretrained("bert-base-uncased")',
        'model = transformers.AutoModel.from_pretrained("bert-base-uncased")',
    ).replace("from transformers import", "import transformers\nfrom transformers import")
    assert assess(tmp_path / "b", "production", "model_loaded_once", {"svc/app.py": weights}).share == 1


def test_a_local_tool_needs_no_health_route_or_deploy_recipe(tmp_path: Path) -> None:
    """A web app the code opens on localhost in the user's browser runs on the user's machine: what an
    orchestrator needs does not apply (it stands in); a service that opens a hosted page is still a service."""
    cli = "import webbrowser\n\n\ndef start(port=8080):\n    webbrowser.open_new_tab({url})\n"
    local = {"service/api.py": RAW, "service/cli.py": cli.format(url="f'http://localhost:{port}'")}
    for key in ("health_endpoint", "deploy_recipe"):
        result = assess(tmp_path / key, "production", key, local)
        assert result.share == 1 and result.stands_in and "service/cli.py:5" in result.evidence
    hosted = {"service/api.py": RAW, "service/cli.py": cli.format(url="'https://status.example.com'")}
    assert assess(tmp_path / "hosted", "production", "health_endpoint", hosted).share == 0
    assert assess(tmp_path / "hosted2", "production", "deploy_recipe", hosted).share == 0


FLASK_LOOKUP = """from flask import Flask, jsonify

app = Flask(__name__)
MODELS = {{"sentiment": object()}}


@app.route("/models/<name>")
def describe(name):
    if name not in MODELS:
        return jsonify(error=f"unknown model {{name}}"), {status}
    return jsonify(name=name)
"""


def test_a_flask_handler_returning_an_error_status_with_its_body_handles_errors(tmp_path: Path) -> None:
    """`return jsonify(error=...), 404` is Flask's HTTP error answer; the same tuple with a success status
    (`201 Created`) reports no failure."""
    result = assess(tmp_path, "production", "error_handling", {"service/api.py": FLASK_LOOKUP.format(status=404)})
    assert result.share == 1 and result.evidence == "a handler returns a 404 status at service/api.py:10"
    created = FLASK_LOOKUP.format(status=201)
    assert assess(tmp_path / "b", "production", "error_handling", {"service/api.py": created}).share == 0


def test_an_untested_service_is_told_its_own_frameworks_test_client(tmp_path: Path) -> None:
    flask = {"service/api.py": FLASK_LOOKUP.format(status=404)}
    result = assess(tmp_path / "flask", "production", "service_tested", flask)
    assert result.share == 0 and result.evidence.endswith("(expected app.test_client() tests)")
    # Look-alike: an untested FastAPI service is pointed to FastAPI's TestClient.
    fastapi = assess(tmp_path / "fastapi", "production", "service_tested", {"service/api.py": API})
    assert fastapi.evidence.endswith("(expected fastapi.testclient.TestClient tests)")


def test_handlers_returning_response_objects_are_left_out_of_typed_responses(tmp_path: Path) -> None:
    """FastAPI sends a Response object as it is: no response model applies; the JSON handler beside it is judged."""
    files = (
        "from fastapi import FastAPI\nfrom fastapi.responses import FileResponse\napp = FastAPI()\n\n"
        '@app.get("/weights")\ndef weights():\n    return FileResponse("model.onnx")\n'
    )
    only_files = assess(tmp_path / "a", "production", "typed_responses", {"service/api.py": files})
    assert only_files.share == 1 and only_files.evidence.startswith("handlers return Response objects (e.g. weights()")
    api = files + '\n@app.get("/scores")\ndef scores():\n    return {"a": 1}\n'
    mixed = assess(tmp_path / "b", "production", "typed_responses", {"service/api.py": api})
    assert mixed.share == 0 and mixed.evidence == "0 of 1 (0%) handlers declare their response"


def test_a_declared_model_named_like_a_response_class_counts_as_declared(tmp_path: Path) -> None:
    api = (
        "from fastapi import FastAPI\nfrom fastapi.responses import FileResponse\nfrom pydantic import BaseModel\n"
        "app = FastAPI()\n\n\nclass PredictResponse(BaseModel):\n    label: str\n\n\n"
        '@app.post("/predict")\ndef predict(text: str) -> PredictResponse:\n    return PredictResponse(label=text)\n\n\n'
        '@app.get("/weights")\ndef weights():\n    return FileResponse("model.onnx")\n'
    )
    result = assess(tmp_path, "production", "typed_responses", {"service/api.py": api})
    assert result.share == 1 and result.evidence == "1 of 1 (100%) handlers declare their response"


DRF_VIEWS = """from django.http import JsonResponse
from rest_framework.response import Response
from rest_framework.views import APIView

from .serializers import TextSerializer


class PredictView(APIView):
    serializer_class = TextSerializer

    def post(self, request):
        serializer = TextSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.data)


class ScoreView(APIView):
    def post(self, request):
        return JsonResponse({"score": len(request.data["text"])})


class ModelListView(APIView):
    def get(self, request, pk):
        return JsonResponse({"models": [pk]})
"""


def test_drf_input_is_typed_by_a_serializer_given_the_request_data(tmp_path: Path) -> None:
    found = assess(tmp_path, "production", "typed_requests", {"app/__init__.py": "", "app/views.py": DRF_VIEWS})
    assert found.share == pytest.approx(0.5)  # PredictView validates; ScoreView reads request.data by hand
    assert "post()" in found.evidence


def test_drf_response_of_a_serializer_is_declared_and_a_dict_literal_is_half(tmp_path: Path) -> None:
    found = assess(tmp_path, "production", "typed_responses", {"app/__init__.py": "", "app/views.py": DRF_VIEWS})
    assert found.share == pytest.approx((1 + 0.5 + 0.5) / 3)


@pytest.mark.parametrize(
    ("test", "earned"),
    [
        ("from rest_framework.test import APITestCase\n\n\nclass T(APITestCase):\n    pass\n", True),
        ("from django.test import Client\n\n\ndef test_x():\n    Client()\n", True),
        ("from openai import Client\n\n\ndef test_x():\n    Client()\n", False),
    ],
)
def test_django_service_is_tested_through_django_or_drf_clients(tmp_path: Path, test: str, earned: bool) -> None:
    files = {"app/__init__.py": "", "app/views.py": DRF_VIEWS, "tests/test_api.py": test}
    assert (assess(tmp_path, "production", "service_tested", files).share == 1.0) is earned


def test_a_drf_response_of_only_a_status_sends_no_body_to_declare(tmp_path: Path) -> None:
    views = DRF_VIEWS + (
        "\n\nclass PurgeView(APIView):\n    def delete(self, request):\n        return Response(status=204)\n"
    )
    found = assess(tmp_path, "production", "typed_responses", {"app/__init__.py": "", "app/views.py": views})
    assert found.share == pytest.approx((1 + 0.5 + 0.5) / 3)  # the delete handler is left out


def test_django_views_rendering_templates_are_pages_and_routed_views_resolve_from_the_manage_py_root(
    tmp_path: Path,
) -> None:
    views = (
        "from django.http import JsonResponse\nfrom django.shortcuts import render\n\n\n"
        "def home(request):\n    return render(request, 'home.html')\n\n\n"
        "def health(request):\n    return JsonResponse({'status': 'UP'})\n"
    )
    urls = (
        "from django.urls import path\n\nfrom core import views\n\n"
        "urlpatterns = [path('', views.home), path('health/', views.health)]\n"
    )
    files = {"backend/__init__.py": "", "backend/core/__init__.py": "", "backend/core/views.py": views}
    files |= {"backend/core/urls.py": urls, "backend/manage.py": "import django\n"}
    assert assess(tmp_path, "production", "health_endpoint", files).evidence.startswith("health/ at backend/core/")
    pages = assess(tmp_path, "production", "typed_responses")
    assert pages.share == 1 and pages.evidence.startswith("handlers serve HTML pages (e.g. home()")


@pytest.mark.parametrize(("status", "earned"), [("HTTP_400_BAD_REQUEST", True), ("HTTP_201_CREATED", False)])
def test_a_drf_response_with_a_named_error_status_answers_failures(tmp_path: Path, status: str, earned: bool) -> None:
    views = (
        "from rest_framework import status\nfrom rest_framework.response import Response\n"
        "from rest_framework.views import APIView\n\n\nclass LabelView(APIView):\n    def post(self, request):\n"
        f"        return Response({{'detail': 'no text'}}, status=status.{status})\n"
    )
    found = assess(tmp_path, "production", "error_handling", {"app/__init__.py": "", "app/views.py": views})
    assert (found.share == 1) is earned


STARLETTE_APP = """from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route


async def livez(_: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


async def schema(request: Request) -> JSONResponse:
    return JSONResponse({"inputs": ["text"]})


async def docs(req: Request) -> JSONResponse:
    try:
        return JSONResponse(build_docs())
    except Exception:
        log_exception(req)
        return JSONResponse({"error": "no docs"}, status_code=500)


app = Starlette(routes=[Route("/livez", livez), Route("/schema", schema), Route("/docs", docs)])
"""


def test_starlette_handlers_that_use_no_request_have_no_input_to_type(tmp_path: Path) -> None:
    result = assess(tmp_path, "production", "typed_requests", {"srv/app.py": STARLETTE_APP})
    assert result.share == 1
    assert result.evidence == "no handler takes input (no parameter, no read of the request): nothing to type"


def test_a_starlette_handler_reading_its_request_takes_input_checked_by_hand(tmp_path: Path) -> None:
    reading = STARLETTE_APP.replace(
        '    return JSONResponse({"inputs": ["text"]})',
        '    task = request.query_params.get("task_id")\n'
        "    if task is None:\n"
        '        return JSONResponse({"error": "task_id is required"}, status_code=400)\n'
        '    return JSONResponse({"task": task})',
    )
    result = assess(tmp_path, "production", "typed_requests", {"srv/app.py": reading})
    assert result.share == 0.5
    assert result.evidence.startswith("0 of 1 (0%) handlers take typed input; 1 check their input by hand")


def test_a_library_adding_routes_to_its_callers_app_leaves_probe_deployment_and_model_to_it(tmp_path: Path) -> None:
    files = {"chainserve/__init__.py": "", "chainserve/routes.py": ROUTES_LIBRARY}
    for key in ("health_endpoint", "deploy_recipe", "model_loaded_once"):
        result = assess(tmp_path, "production", key, files)
        assert result.stands_in and result.share == 1
        assert "a library adding routes to an app its caller builds (app.post(...) at chainserve/routes.py:14)" in (
            result.evidence
        )


def test_a_project_building_the_app_it_adds_routes_to_is_judged_as_a_service(tmp_path: Path) -> None:
    files = {"svc/__init__.py": "", "svc/routes.py": ROUTES_LIBRARY, "svc/app.py": APP_FACTORY}
    for key in ("health_endpoint", "deploy_recipe", "model_loaded_once"):
        assert assess(tmp_path, "production", key, files).share == 0


SELF_LOADING_SERVICE = """from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from pydantic import BaseModel

from .wrapper import SklearnModel


class Req(BaseModel):
    x: list[float]


@asynccontextmanager
async def lifespan(app: FastAPI):
    model = SklearnModel("/models/iris")
    await model.load()
    app.state.model = model
    yield


app = FastAPI(lifespan=lifespan)


@app.post("/predict")
async def predict(req: Req, request: Request) -> float:
    return await request.app.state.model.predict(req.x)
"""


def test_a_model_object_loading_itself_at_startup_is_loaded_once(tmp_path: Path) -> None:
    files = {"svc/__init__.py": "", "svc/wrapper.py": "class SklearnModel: ...\n", "svc/app.py": SELF_LOADING_SERVICE}
    result = assess(tmp_path, "production", "model_loaded_once", files)
    assert result.share == 1
    assert result.evidence == "model.load at svc/app.py:16, outside any handler"


def test_a_settings_object_loading_itself_is_no_model_load(tmp_path: Path) -> None:
    settings = SELF_LOADING_SERVICE.replace("model = SklearnModel", "settings = SklearnModel").replace(
        "await model.load()\n    app.state.model = model", "await settings.load()\n    app.state.model = settings"
    )
    files = {"svc/__init__.py": "", "svc/wrapper.py": "class SklearnModel: ...\n", "svc/app.py": settings}
    assert assess(tmp_path, "production", "model_loaded_once", files).share == 0
