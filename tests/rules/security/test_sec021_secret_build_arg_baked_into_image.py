"""Tests of rule SEC021 (`mlaudit/rules/security/sec021_secret_build_arg_baked_into_image.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree

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
