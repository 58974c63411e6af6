"""Tests of rule SRV002 (`mlaudit/rules/production/srv002_untyped_response.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.capabilities.util import assess
from tests.helpers import findings, write_tree
from tests.rules.production._helpers import _bad, _good


def test_srv002_untyped_response(tmp_path: Path) -> None:
    assert sorted(f.line or 0 for f in findings(_bad(tmp_path), "SRV002")) == [12, 17]
    assert findings(_good(tmp_path / "g"), "SRV002") == []


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


def test_srv002_routes_left_out_of_the_schema_need_no_response_model(tmp_path: Path) -> None:
    """A docs page registered with include_in_schema=False is no API contract; a listed route still is."""
    api = """\
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html
app = FastAPI(docs_url=None)

@app.get("/reference", include_in_schema=False)
async def reference(request: Request):
    return get_redoc_html(openapi_url=request.app.openapi_url, title="Scoring API")

@app.get("/labels", include_in_schema=True)
async def labels():
    return {"labels": ["cat", "dog"]}
"""
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": api})
    [hit] = findings(tmp_path, "SRV002")
    assert hit.line == 10 and "labels()" in hit.message


def test_srv002_a_handler_returning_no_value_sends_no_body_to_declare(tmp_path: Path) -> None:
    """A readiness check that only raises, and a delete that returns nothing, send no body; a handler whose
    nested callback returns a value but which itself returns a dict still needs a response model."""
    api = """\
from fastapi import FastAPI, HTTPException
app = FastAPI()
MODELS = {}

@app.get("/v1/models/{name}")
async def model_ready(name: str):
    if name not in MODELS:
        raise HTTPException(status_code=404, detail="not loaded")

@app.delete("/v1/models/{name}", status_code=204)
def unload(name: str):
    MODELS.pop(name, None)
    return None

@app.get("/v1/models")
def listing():
    def key(item):
        return item[0]
    return {"models": sorted(MODELS.items(), key=key)}
"""
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": api})
    [hit] = findings(tmp_path, "SRV002")
    assert hit.line == 16 and "listing()" in hit.message


DICT_ROUTES = """\
from typing import Any
from fastapi import FastAPI
from pydantic import BaseModel
app = FastAPI()

class Prediction(BaseModel):
    label: str

@app.post("/a")
def a(text: str) -> dict:
    return {"label": text}

@app.post("/b")
def b(text: str) -> dict[str, Any]:
    return {"label": text}

@app.post("/c", response_model=list[dict[str, Any]])
def c(text: str):
    return [{"label": text}]

@app.post("/d")
def d(text: str) -> dict[str, float]:
    return {"positive": 0.9, "negative": 0.1}

@app.post("/e")
def e(text: str) -> Prediction:
    return Prediction(label=text)

@app.post("/f")
def f(text: str) -> Any:
    return {"label": text}
"""


def test_srv002_a_dict_of_anything_names_no_fields_but_is_not_untyped(tmp_path: Path) -> None:
    """`-> dict[str, Any]` is a JSON object without declared fields (info); `-> Any` has no model at all
    (warning); a mapping of typed values (`dict[str, float]`) and a model declare their schema."""
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": DICT_ROUTES})
    hits = {h.line or 0: h for h in findings(tmp_path, "SRV002")}
    assert sorted(hits) == [10, 14, 18, 30]
    assert all(
        hits[line].severity is Severity.INFO and "declares no fields" in hits[line].message for line in (10, 14, 18)
    )
    assert hits[30].severity is Severity.WARNING and "has no response model" in hits[30].message


PROBES = """\
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Scores(BaseModel):
    labels: list[str]


@app.get("/health")
async def health():
    return {"status": "ok", "model_loaded": MODEL is not None}


@app.get("/v1/models")
async def list_models():
    return {"data": [{"id": name} for name in REGISTRY]}


@app.post("/score")
async def score(text: str) -> Scores:
    return Scores(labels=MODEL(text))
"""


def test_srv002_a_health_probe_answers_by_status_code_but_an_api_route_needs_a_schema(tmp_path: Path) -> None:
    """`/health` is read by an orchestrator for its status code; `/v1/models` answers clients that parse its body."""
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": PROBES})
    [hit] = findings(tmp_path, "SRV002")
    assert hit.line == 17 and "list_models()" in hit.message
    typed = assess(tmp_path, "production", "typed_responses")
    assert typed.evidence.startswith("1 of 2 (50%) handlers declare their response")


def test_srv002_a_route_returning_a_helpers_response_object_needs_no_response_model(tmp_path: Path) -> None:
    api = """\
from fastapi import FastAPI
from fastapi.responses import RedirectResponse
app = FastAPI()


def _login_redirect(error):
    response = RedirectResponse(url=f"/login?error={error}")
    return response


async def _signed_in(user):
    if user is None:
        return _login_redirect("denied")
    return RedirectResponse(url="/")


def _profile(user):
    return {"name": user}


@app.get("/callback")
async def callback(user: str | None = None):
    if not user:
        return _login_redirect("missing")
    return await _signed_in(user)


@app.get("/me")
def me(user: str):
    return _profile(user)
"""
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": api})
    assert [f.line for f in findings(tmp_path, "SRV002")] == [29]


APP_FACTORY = """\
import asyncio

from asyncer import asyncify
from fastapi import FastAPI, File
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool


def create_app(model):
    app = FastAPI()

    def cutout(content: bytes) -> Response:
        return Response(model.remove(content), media_type="image/png")

    def score(content: bytes):
        return {"score": model.score(content)}

    @app.post("/remove")
    async def remove(file: bytes = File(...)):
        class Limiter:
            def allow(self):
                return [True]

        if not Limiter().allow():
            await asyncio.sleep(1)
        return await asyncify(cutout)(file)

    @app.post("/remove-threaded")
    async def remove_threaded(file: bytes = File(...)):
        return await run_in_threadpool(cutout, file)

    @app.post("/score")
    async def score_image(file: bytes = File(...)):
        return await asyncify(score)(file)

    return app
"""


def test_srv002_a_route_handing_on_a_helper_s_response_through_a_thread_pool_needs_no_model(tmp_path: Path) -> None:
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": APP_FACTORY})
    [hit] = findings(tmp_path, "SRV002")  # the helper of the app factory returns a dict: untyped
    assert "score_image()" in hit.message
