"""Tests of rule SRV001 (`mlaudit/rules/production/srv001_untyped_request_body.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.capabilities.util import assess
from tests.helpers import findings, write_tree
from tests.rules.production._helpers import _bad, _good


def test_srv001_untyped_bodies(tmp_path: Path) -> None:
    hits = findings(_bad(tmp_path), "SRV001")
    messages = sorted(f.message for f in hits)
    assert len(hits) == 2
    assert "`payload: dict`" in messages[1] and "untyped parameter `k`" in messages[0]
    assert "await request.json()" in messages[0]
    assert findings(_good(tmp_path / "g"), "SRV001") == []


SCHEMAS = """from typing import Any

from pydantic import BaseModel


class PredictionRequest(BaseModel):
    data: Any


class ScoreRequest(BaseModel):
    features: dict[str, float]
    meta: Any = None
"""
SERVER = """from fastapi import FastAPI

from .schemas import PredictionRequest, ScoreRequest

app = FastAPI()


@app.post("/predict")
def predict(request: PredictionRequest) -> dict[str, float]:
    return {"y": model.predict(request.data)}


@app.post("/score")
def score(request: ScoreRequest) -> dict[str, float]:
    return {"y": model.predict([list(request.features.values())])}
"""


def test_srv001_request_model_whose_every_field_is_any(tmp_path: Path) -> None:
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/schemas.py": SCHEMAS, "svc/server.py": SERVER})
    [hit] = findings(tmp_path, "SRV001")
    assert hit.line == 9
    assert hit.message == (
        "endpoint predict() takes `request: PredictionRequest` whose every field is Any or dict (svc/schemas.py:6)"
    )
    typed = assess(tmp_path, "production", "typed_requests")
    assert typed.evidence.startswith("1 of 2 (50%) handlers take typed input, e.g. score()")


PROXY = """import json

import httpx
from fastapi import FastAPI, Request, Response

app = FastAPI()
client = httpx.AsyncClient(base_url="http://127.0.0.1:8080")


@app.post("/v1/{path:path}")
async def forward(path: str, request: Request) -> Response:
    body = await request.body()
    upstream = await client.post(path, content=body, headers=request.headers.raw)
    return Response(upstream.content, status_code=upstream.status_code)


@app.post("/score")
async def score(request: Request) -> dict[str, float]:
    payload = json.loads(await request.body())
    return {"y": sum(payload["features"])}
"""


def test_srv001_raw_bytes_forwarded_by_a_proxy_are_no_json_body(tmp_path: Path) -> None:
    """A proxy passes the raw body on; a handler that parses the same raw body as JSON takes an untyped body."""
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/proxy.py": PROXY})
    [hit] = findings(tmp_path, "SRV001")
    assert hit.message == "endpoint score() takes `await request.body()` parsed as JSON"


RAW_THEN_MODEL = """from fastapi import FastAPI, Request
from pydantic import BaseModel

app = FastAPI()


class EmbedRequest(BaseModel):
    model: str
    input: list[str]


def _check_batch(size):
    if size > 64:
        raise ValueError(size)
    return size


@app.post("/v1/embeddings")
async def embed(request: Request) -> dict[str, list[float]]:
    payload = await request.json()
    body = EmbedRequest.model_validate(payload)
    return {"data": encoder.encode(body.input)}


@app.post("/v1/rerank")
async def rerank(request: Request) -> dict[str, list[float]]:
    raw = await request.json()
    body = EmbedRequest.parse_obj({k: v for k, v in raw.items() if k != "salt"})
    return {"data": ranker.rank(body.input)}


@app.post("/v1/classify")
async def classify(request: Request) -> dict[str, list[float]]:
    body = EmbedRequest(**(await request.json()))
    return {"data": classifier.predict(body.input)}


@app.post("/v1/launch")
async def launch(request: Request) -> dict[str, str]:
    payload = await request.json()
    name = payload.get("model")
    batch = _check_batch(payload.get("batch", 8))
    spec = EmbedRequest(model=name, input=payload.get("input", []))
    return {"uid": registry.launch(spec, batch)}
"""


def test_srv001_raw_json_handed_whole_to_a_request_model_is_typed(tmp_path: Path) -> None:
    """`Req.model_validate(await request.json())` validates the body by hand; fields picked out of the raw
    document one by one (a helper validating one of them, a model built from some) leave the rest unchecked."""
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": RAW_THEN_MODEL})
    [hit] = findings(tmp_path, "SRV001")
    assert hit.message == "endpoint launch() takes `await request.json()`"
    typed = assess(tmp_path, "production", "typed_requests")
    assert typed.evidence.startswith("3 of 4 (75%) handlers take typed input, e.g. embed()")


INJECTED = """from fastapi import Depends, FastAPI, Request

from .auth import get_verified_user, get_db

app = FastAPI()


@app.get("/api/models")
async def get_models(request: Request, refresh: bool = False, user=Depends(get_verified_user), db=Depends(get_db)):
    return {"models": [], "refresh": refresh, "user": user.id}


@app.get("/api/models/{model_id}")
async def get_model(model_id, user=Depends(get_verified_user)):
    return {"id": model_id}
"""


def test_srv001_a_dependency_the_server_injects_is_no_client_input(tmp_path: Path) -> None:
    """`user=Depends(get_verified_user)` is filled by the server from the session: untyped, but no client sends it.
    Look-alike: an untyped path parameter beside it is client input and still fires."""
    write_tree(
        tmp_path,
        {
            "svc/__init__.py": "",
            "svc/auth.py": "def get_verified_user():\n    return None\n\n\ndef get_db():\n    return None\n",
            "svc/app.py": INJECTED,
        },
    )
    assert [h.message for h in findings(tmp_path, "SRV001")] == [
        "endpoint get_model() takes untyped parameter `model_id`"
    ]
