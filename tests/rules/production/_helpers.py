"""Provides helpers shared by several test modules of the `production` rules."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_tree

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


FLASK_MIN = (
    "from flask import Flask\napp = Flask(__name__)\n\n\n"
    '@app.route("/predict", methods=["POST"])\ndef predict():\n    return {"label": 1}\n'
)


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


# A library that adds endpoints to an app its caller builds and hands it: it builds no app of its own.
ROUTES_LIBRARY = """from fastapi import APIRouter, FastAPI
from pydantic import BaseModel


class InvokeRequest(BaseModel):
    input: str


class InvokeResponse(BaseModel):
    output: str


def add_routes(app: FastAPI | APIRouter, chain: object) -> None:
    @app.post("/invoke")
    async def invoke(request: InvokeRequest) -> InvokeResponse:
        return InvokeResponse(output=await chain.ainvoke(request.input))
"""
# The same routes added by a helper of the project's own app factory: the project builds and runs the service.
APP_FACTORY = """from fastapi import FastAPI

from .routes import add_routes


def create_app(chain: object) -> FastAPI:
    app = FastAPI()
    add_routes(app, chain)
    return app
"""
