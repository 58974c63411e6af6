"""Tests of the `production` practice that span several rules (or none in particular)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Status
from tests.helpers import findings, run_audit, write_tree
from tests.rules.production._helpers import BAD_FASTAPI


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
    app = (
        "from flask import Flask, jsonify\n\napp = Flask(__name__)\n\n\n"
        '@app.route("/predict", methods=["POST"])\ndef predict():\n    return jsonify(label=1)\n'
    )
    write_tree(tmp_path, {"app.py": app})
    assert run_audit(tmp_path).practice("production").status is Status.SCORED


DASHBOARD = """from flask import Flask
from werkzeug.serving import make_server

app = Flask(__name__)


class DispatcherApp:
    def __init__(self, apps):
        self.apps = apps

    def __call__(self, environ, start_response):
        name = environ.get("PATH_INFO", "/").strip("/").split("/")[0]
        return self.apps.get(name, app)(environ, start_response)


def serve(apps, port=7001):
    make_server("127.0.0.1", port, DispatcherApp(apps)).serve_forever()
"""


def test_web_app_without_any_route_found_is_not_applicable_rather_than_zero(tmp_path: Path) -> None:
    write_tree(tmp_path, {"viz/__init__.py": "", "viz/dashboard.py": DASHBOARD})
    report = run_audit(tmp_path)
    practice = report.practice("production")
    assert practice.status is Status.NOT_APPLICABLE
    assert practice.status_reason == (
        "the web app built in viz/dashboard.py has no route handler mlaudit can resolve "
        "(none decorated, none registered by a name it can follow): nothing to judge as a service"
    )
    assert [f for f in report.findings if f.practice == "production"] == []


def test_services_only_in_examples_make_the_practice_not_applicable(tmp_path: Path) -> None:
    write_tree(tmp_path, {"examples/serving/app.py": BAD_FASTAPI, "lib/__init__.py": "", "lib/core.py": "x = 1\n"})
    report = run_audit(tmp_path)
    production = report.practice("production")
    assert production.status is Status.NOT_APPLICABLE
    assert "examples/serving/app.py" in (production.status_reason or "")
    assert [f for f in report.findings if f.practice == "production"] == []
    factory = (
        "from fastapi import FastAPI\n\nfrom .predictors import build_predictor\n\n\n"
        "def build_app(model) -> FastAPI:\n    app = FastAPI()\n    predictor = build_predictor(model)\n"
        '    app.add_api_route("/predictions", predictor, methods=["POST"])\n    return app\n'
    )
    files = {
        "serve/__init__.py": "",
        "serve/app.py": factory,
        "serve/predictors.py": "def build_predictor(m):\n    return m\n",
    }
    write_tree(tmp_path / "f", files)
    assert run_audit(tmp_path / "f").practice("production").status is Status.NOT_APPLICABLE


ENDPOINTS = """from fastapi import Request
from pydantic import BaseModel


class InferenceRequest(BaseModel):
    inputs: list[float]


class Endpoints:
    def __init__(self, plane):
        self._plane = plane

    async def ready(self) -> bool:
        return True

    async def infer(self, payload: InferenceRequest, model_name: str) -> dict:
        return await self._plane.infer(payload, model_name)


def metrics(request: Request) -> str:
    return "ok"
"""
APP = """from fastapi import FastAPI
from fastapi.routing import APIRoute

from .endpoints import Endpoints, metrics
from .handlers import EXCEPTION_HANDLERS


def create_app(plane) -> FastAPI:
    endpoints = Endpoints(plane)
    routes = [
        APIRoute("/v2/models/{model_name}/infer", endpoints.infer, methods=["POST"]),
        APIRoute("/v2/models/{model_name}/versions/{v}/infer", endpoints.infer, methods=["POST"]),
        APIRoute("/v2/health/ready", endpoints.ready),
    ]
    app = FastAPI(routes=routes, exception_handlers=EXCEPTION_HANDLERS)
    app.add_api_route("/metrics", metrics)
    return app
"""


def test_routes_registered_by_reference_are_judged(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "srv/__init__.py": "",
            "srv/endpoints.py": ENDPOINTS,
            "srv/app.py": APP,
            "srv/handlers.py": "EXCEPTION_HANDLERS = {}\n",
        },
    )
    report = run_audit(tmp_path)
    practice = next(p for p in report.practices if p.key == "production")
    assert practice.status is not Status.NOT_APPLICABLE
    caps = {c.key: c for c in practice.capabilities}
    assert caps["typed_requests"].evidence.startswith("2 of 2 (100%) handlers take typed input")  # infer, metrics
    assert "/v2/health/ready at srv/endpoints.py:13" in caps["health_endpoint"].evidence
    assert caps["error_handling"].evidence == "exception handlers registered at srv/app.py:15"


def test_web_modules_without_any_route_handler_are_not_applicable(tmp_path: Path) -> None:
    typing_only = (
        "from fastapi import Request\n\n\ndef client_ip(request: Request) -> str:\n    return request.client.host\n"
    )
    write_tree(tmp_path, {"srv/__init__.py": "", "srv/net.py": typing_only})
    practice = next(p for p in run_audit(tmp_path).practices if p.key == "production")
    assert practice.status is Status.NOT_APPLICABLE
    assert (
        practice.status_reason
        == "no route handler found in the web modules (srv/net.py): nothing to judge as a service"
    )


def test_a_server_that_owns_its_routes_is_not_applicable_but_a_route_beside_it_is_judged(tmp_path: Path) -> None:
    lit = (
        "import litserve as ls\n\n\nclass ChatAPI(ls.LitAPI):\n    def setup(self, device):\n        self.model = None\n\n"
        "    def predict(self, prompt):\n        return prompt\n\n\n"
        "def run(port=8000):\n    ls.LitServer(ChatAPI()).run(port=port)\n"
    )
    write_tree(tmp_path / "lit", {"chat/__init__.py": "", "chat/serve.py": lit})
    practice = next(p for p in run_audit(tmp_path / "lit").practices if p.key == "production")
    assert practice.status is Status.NOT_APPLICABLE  # never 0 for handlers mlaudit cannot see
    assert "chat/serve.py (litserve.LitServer) owns its routes" in (practice.status_reason or "")
    route = 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/health")\ndef health() -> dict[str, str]:\n'
    write_tree(
        tmp_path / "both",
        {"chat/__init__.py": "", "chat/serve.py": lit, "chat/api.py": route + '    return {"ok": "yes"}\n'},
    )
    practice = next(p for p in run_audit(tmp_path / "both").practices if p.key == "production")
    assert practice.status is not Status.NOT_APPLICABLE


RESTX = """from flask import Flask, request
from flask_restx import Api, Resource

app = Flask(__name__)
api = Api(app)
MODELS = {1: "sentiment"}


@api.route("/models")
class ModelList(Resource):
    def get(self):
        return list(MODELS.values())


@api.route("/models/<int:model_id>/predict")
class Predict(Resource):
    def post(self, model_id):
        return {"model": MODELS[model_id], "text": request.get_json()["text"]}
"""


def test_resource_classes_a_route_decorates_or_an_api_registers_are_judged(tmp_path: Path) -> None:
    write_tree(tmp_path / "restx", {"svc/__init__.py": "", "svc/api.py": RESTX})
    report = run_audit(tmp_path / "restx")
    assert report.practice("production").status is Status.SCORED
    [hit] = [f for f in report.findings if f.rule == "SRV007"]
    assert "(/models, /models/<int:model_id>/predict)" in hit.message
    assert [(f.rule, f.line) for f in report.findings if f.rule == "SRV008"] == [("SRV008", 18)]
    restful = (
        "from flask import Flask\nfrom flask_restful import Api, Resource\n\n"
        "from svc.views import Health, Predict\n\napp = Flask(__name__)\napi = Api(app)\n"
        'api.add_resource(Predict, "/predict")\napi.add_resource(Health, "/health")\n'
    )
    views = (
        "from flask_restful import Resource\n\n\nclass Predict(Resource):\n    def post(self):\n        return {}\n\n\n"
        "class Health(Resource):\n    def get(self):\n        return {'ok': True}\n"
    )
    write_tree(tmp_path / "restful", {"svc/__init__.py": "", "svc/app.py": restful, "svc/views.py": views})
    report = run_audit(tmp_path / "restful")
    assert report.practice("production").status is Status.SCORED
    assert [f for f in report.findings if f.rule == "SRV007"] == []  # /health is registered
    view = (
        "from flask import Flask\nfrom flask.views import MethodView\n\napp = Flask(__name__)\n\n\n"
        "class Predict(MethodView):\n    def post(self):\n        return {}\n\n\n"
        'app.add_url_rule("/predict", view_func=Predict.as_view("predict"))\n'
    )
    write_tree(tmp_path / "view", {"svc/__init__.py": "", "svc/app.py": view})
    assert run_audit(tmp_path / "view").practice("production").status is Status.SCORED


def test_a_class_with_verb_methods_that_no_route_names_is_no_resource(tmp_path: Path) -> None:
    client = (
        "import requests\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n"
        "class Upstream:\n    def get(self, path):\n        return requests.get(path, timeout=5).json()\n\n"
        "    def post(self, path, body):\n        return requests.post(path, json=body, timeout=5).json()\n"
    )
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/app.py": client})
    assert run_audit(tmp_path).practice("production").status is Status.NOT_APPLICABLE


ALIASED_SERVER = """from fastapi import FastAPI
from fastapi.routing import APIRoute as FastAPIRoute


class Endpoints:
    async def ping(self) -> bool:
        return True

    async def predict(self, payload: dict) -> dict:
        return {"label": 1}


def create_app() -> FastAPI:
    endpoints = Endpoints()
    return FastAPI(
        routes=[
            FastAPIRoute("/ping", endpoints.ping),
            FastAPIRoute("/v1/predict", endpoints.predict, methods=["POST"]),
        ]
    )
"""


def test_routes_registered_through_an_aliased_framework_class_are_judged(tmp_path: Path) -> None:
    write_tree(tmp_path, {"srv/__init__.py": "", "srv/server.py": ALIASED_SERVER})
    [hit] = findings(tmp_path, "SRV001")
    assert "predict()" in hit.message
    assert findings(tmp_path, "SRV007") == []  # /ping is the probe


TRIPS = """from fastapi import FastAPI
from pydantic import BaseModel

from .geo import Route


class PlanRequest(BaseModel):
    stops: list[str]


class Planner:
    def solve(self, stops: dict) -> list:
        return list(stops)


app = FastAPI()
planner = Planner()
DEPOT = Route("/depot", planner.solve)


@app.post("/health/plan")
def plan(req: PlanRequest) -> list[str]:
    return req.stops
"""


def test_a_class_named_route_from_the_project_registers_no_handler(tmp_path: Path) -> None:
    geo = "class Route:\n    def __init__(self, name: str, solver: object) -> None:\n        self.name = name\n"
    write_tree(tmp_path, {"srv/__init__.py": "", "srv/geo.py": geo, "srv/trips.py": TRIPS})
    assert findings(tmp_path, "SRV001") == []
