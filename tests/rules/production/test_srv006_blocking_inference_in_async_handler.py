"""Tests of rule SRV006 (`mlaudit/rules/production/srv006_blocking_inference_in_async_handler.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.production._helpers import _bad, _good


def test_srv006_blocking_inference_in_async_handler(tmp_path: Path) -> None:
    hits = findings(_bad(tmp_path), "SRV006")
    assert sorted(f.line or 0 for f in hits) == [14, 20]
    assert all("await run_in_threadpool(" in (f.fix or "") and "(model.predict, x)" not in (f.fix or "") for f in hits)
    assert findings(_good(tmp_path / "g"), "SRV006") == []


def test_srv006_action_functions_and_nested_generators_are_not_model_calls(tmp_path: Path) -> None:
    api = (
        "from fastapi import FastAPI\nfrom pydantic import BaseModel\n\nfrom svc.schema import get_model_schema\n"
        "from svc.state import generator\n\napp = FastAPI()\n\n\nclass Req(BaseModel):\n    text: str\n\n\n"
        "@app.post('/stream')\nasync def stream(req: Req) -> dict:\n"
        "    async def payloads_generator(r):\n        yield r\n\n"
        "    payloads = payloads_generator(req)\n    schema = get_model_schema(req.text)\n"
        "    return {'out': generator(req.text), 'schema': schema, 'p': payloads}\n"
    )
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": api, "svc/schema.py": "", "svc/state.py": ""})
    [hit] = findings(tmp_path, "SRV006")
    assert (hit.line, hit.message) == (21, "blocking generator(...) in async def stream()")


def test_srv006_serialiser_picked_in_the_handler_is_not_a_model(tmp_path: Path) -> None:
    api = (
        "from fastapi import FastAPI, Request, Response\nfrom prometheus_client import REGISTRY, exposition\n"
        "from transformers import pipeline\n\napp = FastAPI()\n\n\n"
        "@app.get('/metrics')\nasync def metrics(request: Request) -> Response:\n"
        "    encoder, content_type = exposition.choose_encoder(request.headers.get('accept'))\n"
        "    return Response(encoder(REGISTRY), headers={'content-type': content_type})\n\n\n"
        "@app.post('/classify')\nasync def classify(text: str) -> dict:\n"
        "    classifier = pipeline('sentiment-analysis')\n    return {'label': classifier(text)}\n"
    )
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": api})
    assert [(h.line, h.message) for h in findings(tmp_path, "SRV006")] == [
        (16, "blocking pipeline(...) in async def classify()"),
        (17, "blocking classifier(...) in async def classify()"),
    ]


def test_srv006_an_awaited_model_call_is_async_but_one_inside_an_awaited_call_blocks(tmp_path: Path) -> None:
    api = (
        "from fastapi import FastAPI\nfrom pydantic import BaseModel\n\nfrom svc.engine import engine, model, queue\n\n"
        "app = FastAPI()\n\n\nclass Req(BaseModel):\n    text: str\n\n\n"
        "@app.post('/generate')\nasync def generate(req: Req) -> dict:\n"
        "    output = await engine.generate(req.text)\n    return {'out': output}\n\n\n"
        "@app.post('/enqueue')\nasync def enqueue(req: Req) -> dict:\n"
        "    await queue.put(model.predict([req.text]))\n    return {'queued': True}\n"
    )
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": api, "svc/engine.py": ""})
    assert [(h.line, h.message) for h in findings(tmp_path, "SRV006")] == [
        (21, "blocking model.predict(...) in async def enqueue()")
    ]


CACHE_HELPERS = """_cache = {}


def evict_model_cache(uid):
    _cache.pop(uid, None)
"""
STATE = """from transformers import pipeline

summary_model = pipeline("summarization")
"""
ADMIN = """from fastapi import FastAPI
from pydantic import BaseModel

from svc.ops import evict_model_cache
from svc.state import summary_model

app = FastAPI()


class Req(BaseModel):
    uid: str
    text: str


@app.delete("/models")
async def terminate(req: Req) -> dict:
    evict_model_cache(req.uid)
    return {"ok": True}


@app.post("/summarize")
async def summarize(req: Req) -> dict:
    return {"summary": summary_model(req.text)}
"""


def test_srv006_a_repository_helper_named_for_a_model_is_no_model_call(tmp_path: Path) -> None:
    """`evict_model_cache(uid)` is a function the repository defines (re-exported by its package); a model object
    imported from the repository (`summary_model = pipeline(...)` in another module) still runs on the loop."""
    write_tree(
        tmp_path,
        {
            "svc/__init__.py": "",
            "svc/api.py": ADMIN,
            "svc/ops/__init__.py": "from .cache import evict_model_cache\n",
            "svc/ops/cache.py": CACHE_HELPERS,
            "svc/state.py": STATE,
        },
    )
    assert [(h.line, h.message) for h in findings(tmp_path, "SRV006")] == [
        (23, "blocking summary_model(...) in async def summarize()")
    ]


def test_srv006_a_helper_in_a_namespace_folder_of_a_package_is_no_model_call(tmp_path: Path) -> None:
    """`backend/svc/ops/cache.py` with no `ops/__init__.py` is still `svc.ops.cache` (a namespace portion of the `svc`
    package, served from `backend/`): its `evict_model_cache` is a repository helper. The model object imported
    from the repository still runs on the loop."""
    admin = ADMIN.replace("from svc.ops import evict_model_cache", "from svc.ops.cache import evict_model_cache")
    write_tree(
        tmp_path,
        {
            "backend/svc/__init__.py": "",
            "backend/svc/api.py": admin,
            "backend/svc/ops/cache.py": CACHE_HELPERS,
            "backend/svc/state.py": STATE,
        },
    )
    assert [(h.line, h.message) for h in findings(tmp_path, "SRV006")] == [
        (23, "blocking summary_model(...) in async def summarize()")
    ]


HANDED_ON = """from fastapi import FastAPI
from pydantic import BaseModel

from svc.engine import engine, model, run_request

app = FastAPI()


class Req(BaseModel):
    text: str
    stream: bool = False


@app.post("/generate")
async def generate(req: Req) -> dict:
    if req.stream:
        return await run_request(engine.generate(req.text))
    return {"out": await engine.generate(req.text)}


@app.post("/predict")
async def predict(req: Req) -> dict:
    return await run_request(model.generate(req.text))
"""


def test_srv006_a_coroutine_method_handed_on_unawaited_blocks_nothing(tmp_path: Path) -> None:
    """The handler awaits `engine.generate(...)` elsewhere: the same call without `await` hands the coroutine
    on; a handler that never awaits `model.generate` runs it on the loop."""
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": HANDED_ON, "svc/engine.py": ""})
    assert [(h.line, h.message) for h in findings(tmp_path, "SRV006")] == [
        (23, "blocking model.generate(...) in async def predict()")
    ]


SCHEMA_CLASSES = """from fastapi import FastAPI, Request

from svc.state import summary_model


def build_app(input_model, output_model):
    app = FastAPI()

    @app.post("/embed")
    async def embed(request: Request):
        body = input_model(**(await request.json()))
        return output_model(data=summary_model(body.texts))

    return app
"""


def test_srv006_a_request_or_response_schema_class_is_no_model_call(tmp_path: Path) -> None:
    """`input_model(**body)` and `output_model(data=...)` build the endpoint's pydantic schemas; the
    `summary_model(...)` beside them runs inference on the loop."""
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": SCHEMA_CLASSES, "svc/state.py": STATE})
    assert [(h.line, h.message) for h in findings(tmp_path, "SRV006")] == [
        (12, "blocking summary_model(...) in async def embed()")
    ]
