"""Tests of rule SRV005 (`mlaudit/rules/production/srv005_model_loaded_per_request.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.production._helpers import _bad, _good


def test_srv005_model_loaded_per_request(tmp_path: Path) -> None:
    [hit] = findings(_bad(tmp_path), "SRV005")
    assert hit.line == 19 and "joblib.load" in hit.message
    assert findings(_good(tmp_path / "g"), "SRV005") == []


REGISTRY_SERVICE = """from fastapi import FastAPI
from pydantic import BaseModel
from transformers import AutoModel

from registry import ModelRegistry

app = FastAPI()
registry = ModelRegistry("models/")


class Scores(BaseModel):
    values: list[float]


@app.post("/v1/models/{name}/load", response_model=bool)
def activate(name: str) -> bool:
    return registry.load_model(name)


@app.post("/admin/reload-model", response_model=bool)
def refresh() -> bool:
    return registry.load_model("current")


@app.post("/v1/models/{name}/predict", response_model=Scores)
def score(name: str, rows: list[float]) -> Scores:
    model = registry.load_model(name)
    return Scores(values=model.predict(rows))


@app.post("/upload", response_model=bool)
def upload(path: str) -> bool:
    return AutoModel.from_pretrained(path) is not None
"""


def test_srv005_a_route_whose_action_is_loading_a_model_is_not_a_per_request_load(tmp_path: Path) -> None:
    """`POST /models/{name}/load` loads on purpose; predict and upload routes that load are still flagged."""
    write_tree(tmp_path, {"serve/app.py": REGISTRY_SERVICE, "serve/registry.py": "class ModelRegistry: ...\n"})
    hits = findings(tmp_path, "SRV005")
    assert sorted(h.message.rsplit(" ", 1)[-1] for h in hits) == ["score()", "upload()"]


CLASS_LOAD_SERVICE = """import yaml
from fastapi import FastAPI
from pydantic import BaseModel

from tabmodel import TabularModel

app = FastAPI()


class Row(BaseModel):
    values: list[float]


@app.post("/predict")
def predict(row: Row) -> dict[str, float]:
    model = TabularModel.load("artifacts/model")
    return {"score": float(model.predict([row.values])[0])}


@app.get("/schema")
def schema() -> dict[str, str]:
    with open("schema.yaml") as f:
        return yaml.load(f, Loader=yaml.SafeLoader)
"""


def test_srv005_a_model_class_loading_itself_in_a_handler_is_a_per_request_load(tmp_path: Path) -> None:
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/app.py": CLASS_LOAD_SERVICE})
    # predict() loads the model on every request; schema() only reads a settings file (a module's load)
    assert [(h.line, "TabularModel.load" in h.message) for h in findings(tmp_path, "SRV005")] == [(16, True)]


SESSION_SERVICE = """import json
from pathlib import Path

from fastapi import FastAPI
from pydantic import BaseModel

from svc.store import ChatSession, Ranker

app = FastAPI()


class Message(BaseModel):
    session_id: str
    text: str


@app.post("/chat")
def chat(message: Message) -> dict[str, str]:
    session = ChatSession.load(message.session_id)
    return {"reply": session.answer(message.text)}


@app.post("/rank")
def rank(message: Message) -> dict[str, float]:
    ranker = Ranker.load("artifacts/ranker")
    return {"score": ranker.score(message.text)}
"""

SESSION_STORE = """import json
from pathlib import Path

import joblib


class ChatSession:
    @staticmethod
    def load(session_id: str) -> "ChatSession":
        data = json.loads(Path("sessions", session_id + ".json").read_text())
        return ChatSession(**data)


class Ranker:
    @classmethod
    def load(cls, folder: str) -> "Ranker":
        with open(folder + "/config.json") as f:
            config = json.load(f)
        return cls(joblib.load(folder + "/ranker.joblib"), config)
"""


def test_srv005_a_project_class_whose_load_reads_json_state_is_not_a_model_load(tmp_path: Path) -> None:
    """`ChatSession.load(id)` parses a JSON file and loads no model; `Ranker.load()` also unpickles its weights."""
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/app.py": SESSION_SERVICE, "svc/store.py": SESSION_STORE})
    assert [("Ranker.load" in h.message, h.line) for h in findings(tmp_path, "SRV005")] == [(True, 25)]
