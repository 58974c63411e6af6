"""Tests of rule SRV007 (`mlaudit/rules/production/srv007_no_health_endpoint.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.capabilities.util import assess
from tests.helpers import findings, write_tree
from tests.rules.production._helpers import APP_FACTORY, FLASK_MIN, ROUTES_LIBRARY, _bad, _good


def test_srv007_no_health_endpoint(tmp_path: Path) -> None:
    [hit] = findings(_bad(tmp_path), "SRV007")
    assert "/predict" in hit.message
    assert findings(_good(tmp_path / "g"), "SRV007") == []


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


def test_srv007_health_route_with_a_computed_path(tmp_path: Path) -> None:
    server = (
        "from fastapi import FastAPI\n\n\nclass Server:\n"
        "    def __init__(self, healthcheck_path: str = '/health'):\n"
        "        self.app = FastAPI()\n        self.healthcheck_path = healthcheck_path\n\n"
        "    def register(self):\n"
        "        @self.app.post('/predict')\n        async def predict(x: int) -> int:\n            return x\n\n"
        "        @self.app.get(self.{name})\n        async def {func}() -> str:\n            return 'ok'\n"
    )
    write_tree(tmp_path, {"srv/__init__.py": "", "srv/server.py": server.format(name="healthcheck_path", func="check")})
    assert findings(tmp_path, "SRV007") == []
    other = tmp_path / "other"
    write_tree(other, {"srv/__init__.py": "", "srv/server.py": server.format(name="docs_path", func="docs")})
    [hit] = findings(other, "SRV007")
    assert "/predict" in hit.message


def test_srv007_a_job_status_route_with_a_parameter_is_not_a_health_check(tmp_path: Path) -> None:
    app = FLASK_MIN + "@app.route('/status/<int:job_id>')\ndef job_status(job_id):\n    return {}\n"
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/app.py": app})
    [hit] = findings(tmp_path, "SRV007")
    assert "/status/<int:job_id>" in hit.message
    write_tree(tmp_path, {"svc/app.py": app + "\n@app.route('/status')\ndef status():\n    return {'ok': True}\n"})
    assert findings(tmp_path, "SRV007") == []


@pytest.mark.parametrize(
    ("path", "health"),
    [("/setup/status", False), ("/v1/jobs/status", False), ("/api/v1/status", True), ("/model/status", True)],
)
def test_srv007_a_status_under_a_resource_reports_on_that_resource(tmp_path: Path, path: str, health: bool) -> None:
    """`/setup/status` answers for the setup, `/v1/jobs/status` for the jobs; `/api/v1/status` and the served
    model's `/model/status` answer for the service."""
    app = FLASK_MIN + f"@app.route('{path}')\ndef report():\n    return {{'ok': True}}\n"
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/app.py": app})
    hits = findings(tmp_path, "SRV007")
    assert (hits == []) is health
    evidence = assess(tmp_path, "production", "health_endpoint").evidence
    assert evidence.startswith(path) is health


def test_srv007_a_probe_route_or_a_root_health_handler_is_a_health_check(tmp_path: Path) -> None:
    """`/probe` (a Kubernetes probe) and `@app.route('/') def check_health()` answer orchestrators; a root
    page named `index` beside `/predict` does not."""
    app = FLASK_MIN + "@app.route('/predict', methods=['POST'])\ndef predict():\n    return {}\n\n"
    probe = app + "@app.route('/probe', methods=['POST'])\ndef probe():\n    return {}\n"
    write_tree(tmp_path / "a", {"svc/__init__.py": "", "svc/app.py": probe})
    assert findings(tmp_path / "a", "SRV007") == []
    root = app + "@app.route('/')\ndef check_health():\n    return {'up': True}\n"
    write_tree(tmp_path / "b", {"svc/__init__.py": "", "svc/app.py": root})
    assert findings(tmp_path / "b", "SRV007") == []
    page = root.replace("def check_health", "def index")
    write_tree(tmp_path / "c", {"svc/__init__.py": "", "svc/app.py": page})
    [hit] = findings(tmp_path / "c", "SRV007")
    assert "/predict" in hit.message


LOCAL_UI_API = (
    "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
    "@app.post('/api/v1/inpaint')\ndef inpaint(image: bytes) -> bytes:\n    return image\n"
)
LOCAL_UI_CLI = (
    "import webbrowser\n\nimport uvicorn\n\nfrom paintui.api import app\n\n\n"
    "def start(host: str = '127.0.0.1', port: int = 8080) -> None:\n"
    "    webbrowser.open({url})\n    uvicorn.run(app, host=host, port=port)\n"
)


def test_srv007_a_local_tool_opened_in_the_users_browser_needs_no_health_route(tmp_path: Path) -> None:
    local = LOCAL_UI_CLI.format(url="f'http://localhost:{port}'")
    write_tree(tmp_path / "local", {"paintui/__init__.py": "", "paintui/api.py": LOCAL_UI_API, "paintui/cli.py": local})
    assert findings(tmp_path / "local", "SRV007") == []
    remote = LOCAL_UI_CLI.format(url="'https://docs.example.com/paintui'")  # opens its docs: still a service
    write_tree(tmp_path / "docs", {"paintui/__init__.py": "", "paintui/api.py": LOCAL_UI_API, "paintui/cli.py": remote})
    [hit] = findings(tmp_path / "docs", "SRV007")
    assert "/api/v1/inpaint" in hit.message


def test_srv007_silent_for_a_library_adding_routes_to_its_callers_app(tmp_path: Path) -> None:
    write_tree(tmp_path, {"chainserve/__init__.py": "", "chainserve/routes.py": ROUTES_LIBRARY})
    assert findings(tmp_path, "SRV007") == []


def test_srv007_fires_when_the_project_builds_the_app_it_adds_the_routes_to(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"svc/__init__.py": "", "svc/routes.py": ROUTES_LIBRARY, "svc/app.py": APP_FACTORY},
    )
    [hit] = findings(tmp_path, "SRV007")
    assert "/invoke" in hit.message
