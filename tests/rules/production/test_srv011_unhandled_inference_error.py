"""Tests of rule SRV011 (`mlaudit/rules/production/srv011_unhandled_inference_error.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.production._helpers import _bad


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
