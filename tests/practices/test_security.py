"""Tests for the security practice rules (SEC0xx)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from mlaudit.model import Severity
from mlaudit.tools import pipaudit
from mlaudit.tools.pipaudit import RunOutcome
from tests.helpers import GIT_ENV, findings, git_init, run_audit, write_tree
from tests.test_secrets import fake, rand
from tests.tools.test_pipaudit import VULNERABLE, FakeRunner


def notebook(cells: list[dict[str, object]]) -> str:
    """Return a minimal nbformat-4 notebook with the given cells."""
    full = [{"metadata": {}, "execution_count": None, "outputs": [], **c} for c in cells]
    return json.dumps({"cells": full, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def code_cell(source: str, stdout: str = "") -> dict[str, object]:
    outputs = [{"output_type": "stream", "name": "stdout", "text": [stdout]}] if stdout else []
    return {"cell_type": "code", "source": [source], "outputs": outputs}


# SEC001 hard-coded secret


def test_sec001_finds_keys_in_code_config_env_and_dockerfile(tmp_path: Path) -> None:
    key, hf, aws = fake("openai"), fake("hf"), fake("aws_id")
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/client.py": f'client = OpenAI(api_key="{key}")\n',
            "config.yaml": f"hub:\n  token: {hf}\n",
            ".env": f"AWS_ACCESS_KEY_ID={aws}\nOPENAI_API_KEY={key}\n",
            "Dockerfile": f"FROM python:3.11.9-slim\nENV HF_TOKEN={hf}\n",
        },
    )
    hits = findings(tmp_path, "SEC001")
    assert sorted((f.path, f.line) for f in hits) == [
        (".env", 1),
        (".env", 2),
        ("Dockerfile", 2),
        ("config.yaml", 2),
        ("pkg/client.py", 1),
    ]
    assert all(key not in f.message and hf not in f.message and aws not in f.message for f in hits)
    assert any("OpenAI API key sk-p…" in f.message for f in hits)


def test_sec001_notebook_source_reports_cell_and_line(tmp_path: Path) -> None:
    source = "import os\nos.environ['ANTHROPIC_API_KEY'] = '" + fake("anthropic") + "'\n"
    write_tree(tmp_path, {"nb.ipynb": notebook([code_cell("x = 1\n"), code_cell(source)])})
    [hit] = findings(tmp_path, "SEC001")
    assert (hit.path, hit.cell, hit.line) == ("nb.ipynb", 2, 2)


def test_sec001_silent_on_placeholders_env_reads_and_hashes(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/settings.py": 'import os\nAPI_KEY = os.environ["OPENAI_API_KEY"]\nTOKEN = os.getenv("HF_TOKEN")\n',
            ".env.example": "OPENAI_API_KEY=\nHF_TOKEN=<your-token>\nAWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n",
            "data.dvc": "outs:\n- md5: 3f2a9b1c4d5e6f708192a3b4c5d6e7f8\n  path: data\n",
            "conf/train.yaml": "data_path: /kaggle/input/telco/train.csv\nrun_id: 0b7c5f6e-8f2a-4b1c-9d3e-2a4b6c8d0e1f\n",
            "conf/tok.json": '{"bos_token": "<s>", "eos_token": "</s>", "pad_token": "<|endoftext|>"}',
            "README.md": "Set `OPENAI_API_KEY=sk-...` in your shell.\n",
        },
    )
    assert findings(tmp_path, "SEC001") == []


def test_sec001_test_fixture_values_are_info(tmp_path: Path) -> None:
    write_tree(tmp_path, {"tests/test_client.py": f'KEY = "{fake("github")}"\n'})
    [hit] = findings(tmp_path, "SEC001")
    assert hit.severity is Severity.INFO


# SEC002 secret in notebook output


def test_sec002_secret_in_output_with_cell_index(tmp_path: Path) -> None:
    key = fake("openai")
    cells = [
        code_cell("x = 1"),
        code_cell("print('openai key:', os.environ['OPENAI_API_KEY'])", f"openai key: {key}\n"),
    ]
    write_tree(tmp_path, {"train.ipynb": notebook(cells)})
    [hit] = findings(tmp_path, "SEC002")
    assert hit.cell == 2 and key not in hit.message
    assert findings(tmp_path, "SEC001") == []


def test_sec002_silent_on_image_outputs_and_hash_prints(tmp_path: Path) -> None:
    image = rand(600, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    cell = code_cell("plot()", "checksum 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n")
    cell["outputs"] = [*cell["outputs"], {"output_type": "display_data", "data": {"image/png": image}}]  # type: ignore[misc]
    write_tree(tmp_path, {"eda.ipynb": notebook([cell])})
    assert findings(tmp_path, "SEC002") == []


# SEC003 credential files tracked


def test_sec003_tracked_env_and_keys(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".env": "DEBUG=1\n",
            "deploy/id_rsa": "x\n",
            "gcp/service-account-prod.json": "{}\n",
            "kaggle.json": '{"username": "a"}\n',
            ".env.example": "API_KEY=\n",
        },
    )
    git_init(tmp_path)
    paths = sorted(f.path or "" for f in findings(tmp_path, "SEC003"))
    assert paths == [".env", "deploy/id_rsa", "gcp/service-account-prod.json", "kaggle.json"]


def test_sec003_silent_for_untracked_env_and_examples(tmp_path: Path) -> None:
    write_tree(tmp_path, {".gitignore": ".env\n", ".env.example": "API_KEY=\n", ".npmrc": "registry=https://x\n"})
    git_init(tmp_path)
    (tmp_path / ".env").write_text("API_KEY=secret\n", encoding="utf-8")
    assert findings(tmp_path, "SEC003") == []


# SEC004 .env not ignored


def test_sec004_missing_gitignore_and_gitignore_without_env(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.py": "import os\nclient_key = os.environ['VENDOR_API_KEY']\n"})
    [hit] = findings(tmp_path, "SEC004")
    assert hit.path is None and "No .gitignore" in hit.message
    write_tree(tmp_path, {".gitignore": "__pycache__/\n"})
    [hit] = findings(tmp_path, "SEC004")
    assert hit.path == ".gitignore"


@pytest.mark.parametrize(
    "files",
    [
        {"src/app.py": "from dotenv import load_dotenv\nload_dotenv()\n"},
        {".env.example": "VENDOR_API_KEY=\n", "a.py": "x = 1\n"},
    ],
)
def test_sec004_fires_where_a_dotenv_is_loaded_or_documented(tmp_path: Path, files: dict[str, str]) -> None:
    write_tree(tmp_path, {".gitignore": "__pycache__/\n", **files})
    [hit] = findings(tmp_path, "SEC004")
    assert hit.path == ".gitignore"


def test_sec004_silent_where_nothing_reads_env_secrets(tmp_path: Path) -> None:
    code = "import os\nrank = int(os.environ.get('LOCAL_RANK', 0))\ncache = os.getenv('MODEL_CACHE_DIR')\n"
    write_tree(tmp_path, {".gitignore": "__pycache__/\n", "train.py": code})
    assert findings(tmp_path, "SEC004") == []


def test_sec004_silent_when_env_ignored(tmp_path: Path) -> None:
    write_tree(tmp_path, {".gitignore": ".env\n.env.*\n!.env.example\n", "a.py": "x = 1\n"})
    assert findings(tmp_path, "SEC004") == []


# SEC005 secret in history


def _commit(root: Path, message: str) -> None:
    import os

    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(root), "commit", "-q", "-m", message], check=True, env=env)


def test_sec005_reports_deleted_secret_with_commit(tmp_path: Path) -> None:
    gone, kept = fake("openai"), fake("hf")
    write_tree(tmp_path, {"app.py": f'KEY = "{gone}"\nHF = "{kept}"\n'})
    git_init(tmp_path)
    write_tree(tmp_path, {"app.py": f'KEY = os.environ["KEY"]\nHF = "{kept}"\n'})
    _commit(tmp_path, "remove key")
    [hit] = findings(tmp_path, "SEC005", history_depth=50)
    assert "app.py" in hit.message and "rotate the key" in hit.message and gone not in hit.message
    assert "OpenAI API key" in hit.message


def test_sec005_not_run_when_disabled(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.py": "x = 1\n"})
    git_init(tmp_path)
    report = run_audit(tmp_path, select=("SEC005",), history_depth=0)
    assert [f for f in report.findings if f.rule == "SEC005"] == []
    assert any("history_depth=0" in n.reason for n in report.not_checked)


# SEC006 scattered environment reads


def test_sec006_env_reads_in_three_modules(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": ""}
    for i, name in enumerate(["BUCKET", "OPENAI_API_KEY", "DB_URL"]):
        files[f"pkg/m{i}.py"] = f'import os\nVALUE = os.getenv("{name}")\n'
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "SEC006")
    assert "3 library modules" in hit.message and "OPENAI_API_KEY" in hit.message


def test_sec006_silent_for_launcher_contracts_and_settings(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": ""}
    for i, name in enumerate(["RANK", "LOCAL_RANK", "SLURM_JOB_ID", "WORLD_SIZE"]):
        files[f"pkg/d{i}.py"] = f'import os\nVALUE = int(os.environ["{name}"])\n'
    files["pkg/config.py"] = (
        "import os\nfrom pydantic_settings import BaseSettings\nclass S(BaseSettings):\n    x: int = 1\n"
        'B = os.getenv("BUCKET")\n'
    )
    write_tree(tmp_path, files)
    assert findings(tmp_path, "SEC006") == []


# SEC007 sensitive data in logs


def test_sec007_request_bodies_and_personal_fields(tmp_path: Path) -> None:
    app = (
        "import logging\nfrom flask import Flask, request\napp = Flask(__name__)\nlogger = logging.getLogger(__name__)\n"
        "@app.route('/p', methods=['POST'])\ndef p():\n    data = request.json\n    print('request:', data)\n"
        "    logger.info('user %s', data['email'])\n    return {}\n"
        "def login(user, password):\n    logger.debug(f'login {user} {password}')\n"
    )
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/app.py": app})
    lines = sorted(f.line or 0 for f in findings(tmp_path, "SEC007"))
    assert lines == [8, 9, 12]


def test_sec007_silent_on_counts_and_nlp_tokens(tmp_path: Path) -> None:
    code = (
        "import logging\nlogger = logging.getLogger(__name__)\n"
        "def f(tokens, emails, password_policy):\n"
        "    for token in tokens:\n        logger.debug('token %s', token)\n"
        "    logger.info('%d emails', len(emails))\n    logger.info('max_tokens=%d', 5)\n"
        "    logger.info('policy %s', password_policy)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/nlp.py": code})
    assert findings(tmp_path, "SEC007") == []


def test_sec007_route_logging_the_size_of_its_body_is_silent_but_the_body_is_not(tmp_path: Path) -> None:
    app = """\
import logging
from fastapi import FastAPI
from pydantic import BaseModel

logger = logging.getLogger(__name__)
app = FastAPI()


class RerankInput(BaseModel):
    query: str
    documents: list[str]


@app.post("/rerank")
async def rerank(data: RerankInput) -> dict[str, int]:
    logger.debug("received %s docs for request %s", len(data.documents), data.request_id)
    logger.debug("received %s", data)
    return {"n": len(data.documents)}
"""
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/server.py": app})
    assert [f.line for f in findings(tmp_path, "SEC007")] == [17]


# SEC008-SEC017 unsafe loading and execution


UNSAFE = """\
import os, pickle, subprocess
import joblib, numpy as np, pandas as pd, requests, torch, yaml
from transformers import AutoModel

def run(path, cfg, bucket, url):
    m = pickle.load(open(path, "rb"))
    j = joblib.load(path)
    d = pd.read_pickle(path)
    s = torch.load(path)
    u = torch.load(path, weights_only=False)
    c = yaml.load(open(cfg))
    a = AutoModel.from_pretrained("org/model", trust_remote_code=True)
    h = torch.hub.load("ultralytics/yolov5", "yolov5s")
    v = eval(cfg["feature_expr"])
    os.system(f"aws s3 cp {path} s3://{bucket}/")
    subprocess.run("tar czf %s out/" % path, shell=True)
    r = requests.get(url, verify=False, timeout=5)
    t = requests.post(url, json={})
    n = np.load(path, allow_pickle=True)
"""

SAFE = """\
import subprocess
import numpy as np, requests, torch, yaml
from transformers import AutoModel

def run(path, cfg, model, url):
    s = torch.load(path, map_location="cpu", weights_only=True)
    c = yaml.safe_load(open(cfg))
    c2 = yaml.load(open(cfg), Loader=yaml.SafeLoader)
    a = AutoModel.from_pretrained("org/model", trust_remote_code=True, revision="3f2a9b1c")
    h = torch.hub.load("pytorch/vision:v0.10.0", "resnet18")
    model.eval()
    v = eval("1 + 1")
    subprocess.run(["aws", "s3", "cp", path, "s3://b/"], check=True)
    subprocess.run("make data", shell=True)
    r = requests.get(url, timeout=5)
    n = np.load(path)
"""


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("SEC008", [6, 7, 8]),
        ("SEC009", [9, 10]),
        ("SEC010", [11]),
        ("SEC011", [12]),
        ("SEC012", [13]),
        ("SEC013", [14]),
        ("SEC014", [15, 16]),
        ("SEC015", [17]),
        ("SEC016", [18]),
        ("SEC017", [19]),
    ],
)
def test_unsafe_calls_fire_and_safe_lookalikes_stay_silent(tmp_path: Path, code: str, expected: list[int]) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/unsafe.py": UNSAFE, "pkg/safe.py": SAFE})
    hits = findings(tmp_path, code)
    assert all(f.path == "pkg/unsafe.py" for f in hits)
    assert sorted(f.line or 0 for f in hits) == expected


def test_sec009_weights_only_false_is_error(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/unsafe.py": UNSAFE})
    severities = {f.line: f.severity for f in findings(tmp_path, "SEC009")}
    assert severities == {9: Severity.WARNING, 10: Severity.ERROR}


# SEC020 personal data


def test_sec020_csv_and_json_with_personal_columns(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "data/customers.csv": "customer_id,name,email,phone,date_of_birth,churned\nC1,A,a@x.example,1,1950-01-01,1\n",
            "data/users.jsonl": '{"id": 1, "first_name": "A", "last_name": "B", "ip_address": "10.0.0.1"}\n',
        },
    )
    hits = {f.path: f.message for f in findings(tmp_path, "SEC020")}
    assert "date_of_birth, email, phone" in hits["data/customers.csv"]
    assert "first_name+last_name" in hits["data/users.jsonl"] and "ip_address" in hits["data/users.jsonl"]


def test_sec020_silent_on_feature_tables(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "data/train.csv": "user_id,tenure,monthly_charges,first_name_length,churned\n1,3,20.5,4,0\n",
            "data/items.json": '[{"item_id": 1, "title": "x", "category": "y"}]',
        },
    )
    assert findings(tmp_path, "SEC020") == []


def test_sec005_ignores_excluded_paths(tmp_path: Path) -> None:
    write_tree(tmp_path, {"vendor/demo/settings.py": f'KEY = "{fake("openai")}"\n', "a.py": "x = 1\n"})
    git_init(tmp_path)
    (tmp_path / "vendor/demo/settings.py").unlink()
    _commit(tmp_path, "drop vendored demo")
    assert len(findings(tmp_path, "SEC005", history_depth=50)) == 1
    assert findings(tmp_path, "SEC005", history_depth=50, exclude=("vendor",)) == []


def test_sec001_respects_configured_placeholders(tmp_path: Path) -> None:
    """A team's own dummy value listed in `placeholders` is not reported."""
    dummy = "Zq8" + "vT2pL9xK4mW7nR3sB6yH1cJ5"
    write_tree(tmp_path, {"settings.py": f'API_TOKEN = "{dummy}"\n'})
    assert [f.rule for f in findings(tmp_path, "SEC001")] == ["SEC001"]
    assert findings(tmp_path, "SEC001", placeholders=(dummy[:12],)) == []


# SEC021 secret build argument baked into the image

BAKED_DOCKERFILE = """\
FROM python:3.11.9-slim
ARG AZURE_STORAGE_KEY
ARG HF_TOKEN
ARG CACHE_DIR=/cache
ENV HF_HOME=$CACHE_DIR \\
    AZURE_STORAGE_KEY=${AZURE_STORAGE_KEY}
RUN huggingface-cli login --token $HF_TOKEN && python fetch_weights.py
"""

PUBLISH_WORKFLOW = """\
name: image
on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: ./serving
    steps:
      - uses: actions/checkout@v4
      - run: |
          docker build --build-arg AZURE_STORAGE_KEY=${{ secrets.AZURE_STORAGE_KEY }} -t registry.example/app .
          docker push registry.example/app
"""


def test_sec021_env_copy_and_run_use_of_secret_build_args(tmp_path: Path) -> None:
    write_tree(tmp_path, {"serving/Dockerfile": BAKED_DOCKERFILE})
    hits = {f.line or 0: f for f in findings(tmp_path, "SEC021")}
    assert sorted(hits) == [5, 7]
    assert "ENV AZURE_STORAGE_KEY" in hits[5].message and hits[5].severity is Severity.ERROR
    assert "HF_TOKEN" in hits[7].message and "--mount=type=secret" in hits[7].fix


def test_sec021_is_critical_when_ci_builds_with_real_secrets_and_pushes(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "serving/Dockerfile": BAKED_DOCKERFILE,
            "batch/Dockerfile": BAKED_DOCKERFILE,
            ".github/workflows/image.yml": PUBLISH_WORKFLOW,
        },
    )
    severities = {(f.path, f.line): f.severity for f in findings(tmp_path, "SEC021")}
    assert severities[("serving/Dockerfile", 5)] is Severity.CRITICAL
    assert severities[("batch/Dockerfile", 5)] is Severity.ERROR  # the workflow builds serving/ only
    assert severities[("serving/Dockerfile", 7)] is Severity.ERROR  # HF_TOKEN is not passed by CI
    [critical] = [f for f in findings(tmp_path, "SEC021") if f.severity is Severity.CRITICAL]
    assert ".github/workflows/image.yml:12" in critical.message


def test_sec021_unused_secret_arg_before_run_is_a_warning(tmp_path: Path) -> None:
    dockerfile = "FROM python:3.11.9-slim\nARG VENDOR_API_KEY\nRUN pip install --no-cache-dir uv\n"
    write_tree(tmp_path, {"Dockerfile": dockerfile})
    [hit] = findings(tmp_path, "SEC021")
    assert (hit.line, hit.severity) == (2, Severity.WARNING) and "docker history" in hit.message


def test_sec021_silent_on_secret_mounts_unused_args_and_plain_build_args(tmp_path: Path) -> None:
    dockerfile = """\
FROM python:3.11.9-slim AS fetch
ARG HF_TOKEN
FROM python:3.11.9-slim
ARG MODEL_DIR=/models
ARG TOKENIZER_NAME=bert-base-uncased
ENV MODEL_DIR=$MODEL_DIR TOKENIZER_NAME=${TOKENIZER_NAME}
RUN --mount=type=secret,id=hf,target=/run/secrets/hf HF_TOKEN_PATH=/run/secrets/hf python fetch.py $MODEL_DIR
"""
    workflow = PUBLISH_WORKFLOW.replace("AZURE_STORAGE_KEY=", "MODEL_DIR=")
    write_tree(tmp_path, {"serving/Dockerfile": dockerfile, ".github/workflows/image.yml": workflow})
    assert findings(tmp_path, "SEC021") == []


# SEC009 followed one step: **kwargs, weights_only parameters, wrappers


def test_sec009_resolves_kwargs_and_trusts_explicit_opt_out_branch(tmp_path: Path) -> None:
    code = """\
import torch
NEW_TORCH = True

def load_safe(fp, device):
    kwargs = {"weights_only": True} if NEW_TORCH else {}
    return torch.load(fp, map_location=device, **kwargs)

def load_forced(fp):
    opts = {"weights_only": False}
    return torch.load(fp, **opts)

def load_checkpoint(path, weights_only=True):
    try:
        return torch.load(path, weights_only=weights_only)
    except TypeError:
        if not weights_only:
            return torch.load(path)
        raise

def load_legacy(path, strict=True):
    if not strict:
        return torch.load(path)
    return None
"""
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/ckpt.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC009")}
    assert hits == {10: Severity.ERROR, 22: Severity.WARNING}


def test_sec009_follows_project_wrapper_to_downloaded_files(tmp_path: Path) -> None:
    io_module = (
        "import torch\n\ndef unpickle_weights(path, **kw):\n    return torch.load(path, weights_only=False, **kw)\n"
    )
    hub = (
        "from pkg.io import unpickle_weights\nfrom pkg.net import fetch_release_asset\n\n"
        "def from_hub(name):\n    return unpickle_weights(fetch_release_asset(name))\n\n"
        "def from_disk(path):\n    return unpickle_weights(path)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/io.py": io_module, "pkg/hub.py": hub, "pkg/net.py": ""})
    hits = {(f.path, f.line): f for f in findings(tmp_path, "SEC009")}
    assert set(hits) == {("pkg/io.py", 4), ("pkg/hub.py", 5)}
    wrapper_call = hits[("pkg/hub.py", 5)]
    assert wrapper_call.severity is Severity.ERROR and "pkg/io.py:4" in wrapper_call.message
    assert "safe_globals" in wrapper_call.fix


# SEC022 packages installed at run time


def test_sec022_subprocess_pip_and_installing_requirement_checker(tmp_path: Path) -> None:
    code = """\
import subprocess, sys

def check_packages(names, install=True):
    return names

def ensure_backend():
    subprocess.check_call([sys.executable, "-m", "pip", "install", "onnxruntime"])
"""
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/deps.py": code})
    assert sorted(f.line or 0 for f in findings(tmp_path, "SEC022")) == [3, 7]


def test_sec022_silent_on_checkers_that_only_report_and_pip_queries(tmp_path: Path) -> None:
    code = """\
import subprocess, sys

def check_packages(names, install=False):
    return names

def installed():
    return subprocess.run([sys.executable, "-m", "pip", "freeze"], capture_output=True, check=True).stdout
"""
    nb = json.dumps(
        {
            "cells": [{"cell_type": "code", "source": "%pip install lightgbm\n", "outputs": [], "metadata": {}}],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/deps.py": code, "notebooks/setup.ipynb": nb})
    assert findings(tmp_path, "SEC022") == []


# SEC023 model downloaded without a checksum


def test_sec023_unverified_model_downloads(tmp_path: Path) -> None:
    fetch = (
        "#!/usr/bin/env python\nimport gdown\n\ngdown.download(\n"
        '    "https://drive.google.com/uc?id=EXAMPLEID",\n    "assets/classifier_state.bin",\n)\n'
    )
    shell = "#!/bin/sh\nwget -O ckpt/encoder.pt https://models.example.org/encoder.pt\nwget -O ckpt/decoder.pt https://models.example.org/decoder.pt\n"
    write_tree(tmp_path, {"bin/fetch_weights": fetch, "scripts/get_models.sh": shell})
    hits = {f.path: f for f in findings(tmp_path, "SEC023")}
    assert hits["bin/fetch_weights"].line == 4
    assert hits["scripts/get_models.sh"].line == 2 and "2 model files" in hits["scripts/get_models.sh"].message


def test_sec023_silent_with_checksums_and_for_data_downloads(tmp_path: Path) -> None:
    shell = (
        "#!/bin/sh\nwget -O ckpt/encoder.pt https://models.example.org/encoder.pt\n"
        "echo 'abc123  ckpt/encoder.pt' | sha256sum -c -\n"
    )
    data = "#!/bin/sh\ncurl -L -o data/raw/train.csv https://data.example.org/train.csv\n"
    code = (
        "from torch.hub import download_url_to_file\n\n"
        "def fetch(url, dst):\n    download_url_to_file(url, dst + '/model.pt', hash_prefix='9f2c1ab0')\n"
    )
    write_tree(
        tmp_path,
        {"scripts/get_models.sh": shell, "scripts/get_data.sh": data, "pkg/__init__.py": "", "pkg/fetch.py": code},
    )
    assert findings(tmp_path, "SEC023") == []


# Severity where it belongs: yaml FullLoader, eval of digit strings, shell=True origin


def test_sec010_full_loader_is_a_warning_and_unsafe_loaders_stay_errors(tmp_path: Path) -> None:
    code = (
        "import yaml\n\ndef read(f):\n    a = yaml.load(f, Loader=yaml.FullLoader)\n"
        "    b = yaml.load(f)\n    c = yaml.load(f, Loader=yaml.UnsafeLoader)\n    return a, b, c\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/cfg.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC010")}
    assert hits == {4: Severity.WARNING, 5: Severity.ERROR, 6: Severity.ERROR}


def test_sec013_eval_of_a_digit_checked_string_is_silent(tmp_path: Path) -> None:
    code = (
        "def open_source(src, expr):\n    cam = eval(src) if src.isnumeric() else src\n"
        "    if src.isdigit():\n        cam = eval(src)\n"
        "    other = eval(expr) if src.isnumeric() else expr\n    return cam, other\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/src.py": code})
    assert [f.line for f in findings(tmp_path, "SEC013")] == [5]


def test_sec014_request_data_is_an_error_and_repository_values_a_warning(tmp_path: Path) -> None:
    code = (
        "import subprocess\nfrom flask import Flask, request\napp = Flask(__name__)\n\n"
        "def describe(repo_dir):\n    return subprocess.check_output(f'git -C {repo_dir} describe', shell=True)\n\n"
        "@app.post('/convert')\ndef convert():\n    name = request.form['name']\n"
        "    return subprocess.check_output(f'convert {name} out.png', shell=True)\n"
    )
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/app.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC014")}
    assert hits == {6: Severity.WARNING, 11: Severity.ERROR}


def test_sec014_follows_a_command_built_in_a_local_variable(tmp_path: Path) -> None:
    code = """\
import subprocess


def init_project(template: str) -> None:
    cmd = f"cookiecutter {template}"
    subprocess.run(cmd, check=True, shell=True)


def build(folder: str, no_cache: bool) -> None:
    prefix = "docker build --rm "
    if no_cache:
        cmd = prefix + "--no-cache " + folder
    else:
        cmd = prefix + folder
    subprocess.run(cmd, check=True, shell=True)


def clean() -> None:
    cmd = "make clean"
    subprocess.run(cmd, check=True, shell=True)
    cmd = f"rm -rf {folder}"
"""
    write_tree(tmp_path, {"tools/__init__.py": "", "tools/cli.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC014")}
    assert hits == {6: Severity.WARNING, 15: Severity.WARNING}


# SEC007 followed through assignments: credential files, handlers, personal request models, settings


def test_sec007_credential_file_contents_and_secret_settings_are_errors(tmp_path: Path) -> None:
    script = (
        "import json\n\nwith open('deploy_credentials.json') as fh:\n    raw = fh.read()\n\n"
        "print(raw)\nparsed = json.loads(raw)\nprint(f'loaded {parsed}')\n"
    )
    settings = (
        "import logging\nfrom app.config import settings\nlogger = logging.getLogger(__name__)\n\n"
        "def connect():\n    logger.debug('connecting with %s', settings.vendor_api_token)\n"
    )
    write_tree(tmp_path, {"tools/show_creds.py": script, "app/__init__.py": "", "app/client.py": settings})
    hits = {(f.path, f.line): f for f in findings(tmp_path, "SEC007")}
    assert set(hits) == {("tools/show_creds.py", 6), ("tools/show_creds.py", 8), ("app/client.py", 6)}
    assert all(f.severity is Severity.ERROR for f in hits.values())
    assert "deploy_credentials.json" in hits[("tools/show_creds.py", 6)].message


def test_sec007_serverless_handler_input_and_response(tmp_path: Path) -> None:
    handler = """\
import json, logging, time
logger = logging.getLogger(__name__)

def handler(event, context):
    started = time.time()
    payload = json.loads(event["body"])
    logger.info(f"scoring {payload['review']}")
    scores = MODEL.score(payload["review"])
    logger.info(json.dumps(scores))
    logger.info("request %s took %.3f s", event["requestContext"]["requestId"], time.time() - started)
    logger.info("review of %d characters", len(payload["review"]))
    return {"statusCode": 200, "body": json.dumps(scores)}
"""
    write_tree(tmp_path, {"lambda_fn/handler.py": handler})
    hits = {f.line or 0: f.message for f in findings(tmp_path, "SEC007")}
    assert sorted(hits) == [7, 9]
    assert "raw request" in hits[7] and "response computed from the request" in hits[9]


def test_sec007_request_model_with_personal_fields(tmp_path: Path) -> None:
    api = """\
import logging
from fastapi import FastAPI
from pydantic import BaseModel
logger = logging.getLogger(__name__)
app = FastAPI()

class SignupRequest(BaseModel):
    full_name: str
    email: str
    plan: str

@app.post("/signup")
def signup(req: SignupRequest) -> dict[str, str]:
    logger.info("signup %s", req.model_dump())
    logger.info(f"welcome mail to {req.email}")
    logger.info("plan %s", req.plan)
    return {"ok": "yes"}
"""
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": api})
    assert sorted(f.line or 0 for f in findings(tmp_path, "SEC007")) == [14, 15]


def test_sec007_silent_on_local_cli_prompts_and_vocabulary_files(tmp_path: Path) -> None:
    cli = """\
import argparse

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--prompt")
    opt = parser.parse_args()
    for prompts in [opt.prompt]:
        print("sampling prompts:", prompts)
    with open("tokens.txt") as fh:
        vocab = fh.read().split()
    print(len(vocab), vocab[:10])

if __name__ == "__main__":
    main()
"""
    write_tree(tmp_path, {"scripts/sample.py": cli})
    assert findings(tmp_path, "SEC007") == []


def test_sec009_resolves_kwargs_defaulted_in_an_enclosing_function(tmp_path: Path) -> None:
    code = """\
import torch

class Net:
    def load_params(self, path, user_kwargs=None):
        load_kwargs = user_kwargs or {"weights_only": True}

        def _read(f):
            return torch.load(f, map_location="cpu", **load_kwargs)

        return _read(path)

    def load_legacy(self, path):
        legacy_kwargs = {"map_location": "cpu"}
        return torch.load(path, **legacy_kwargs)
"""
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/net.py": code})
    assert [f.line for f in findings(tmp_path, "SEC009")] == [14]


def test_sec009_flags_passed_through_an_attribute_are_info_but_a_literal_dict_without_them_is_not(
    tmp_path: Path,
) -> None:
    code = """\
import io

import torch


class StateUnpickler:
    def __init__(self, torch_load_kwargs):
        self.torch_load_kwargs = torch_load_kwargs

    def load_bytes(self, blob):
        return torch.load(io.BytesIO(blob), map_location="cpu", **self.torch_load_kwargs)


def restore(handle):
    load_kwargs = {"map_location": "cpu"}
    return torch.load(handle, **load_kwargs)
"""
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/state.py": code})
    hits = {f.line: (f.severity, f.message) for f in findings(tmp_path, "SEC009")}
    assert hits[11][0] is Severity.INFO and "**self.torch_load_kwargs" in hits[11][1]
    assert hits[16][0] is Severity.WARNING and "without weights_only=True" in hits[16][1]


def test_sec101_flags_the_vulnerable_pin_but_not_the_safe_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipaudit, "RUNNER", FakeRunner(RunOutcome(1, json.dumps(VULNERABLE), "")))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    write_tree(tmp_path / "repo", {"requirements.txt": "numpy==1.26.4\nrequests==2.19.0\n", "a.py": ""})
    hits = findings(tmp_path / "repo", "SEC101", offline=False)
    assert [(h.path, h.line) for h in hits] == [("requirements.txt", 2)]
    assert "requests==2.19.0" in hits[0].message and "numpy" not in hits[0].message
