"""Plants keys everywhere in a repository and checks that no output format contains any of them."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable

import pytest
from rich.console import Console

from mlaudit.model import Report
from mlaudit.report import fixit, markdown, sarif
from mlaudit.report.json import dumps
from mlaudit.report.text import summary
from tests.helpers import GIT_ENV, git_init, run_audit, write_tree
from tests.test_secrets import fake, rand


def _notebook_with_output(secret: str) -> str:
    cell = {
        "cell_type": "code",
        "metadata": {},
        "execution_count": 1,
        "source": ["print('key:', os.environ['OPENAI_API_KEY'])\n"],
        "outputs": [{"output_type": "stream", "name": "stdout", "text": [f"key: {secret}\n"]}],
    }
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


@pytest.fixture(scope="module")
def leaky(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, list[str]]:
    """Audit a repo with keys in code, a notebook output, .env, a config and a deleted commit."""
    root = tmp_path_factory.mktemp("leaky")
    planted = {
        "code": fake("openai"),
        "output": fake("anthropic"),
        "env": fake("aws_id"),
        "env_password": rand(32),
        "config": fake("hf"),
        "history": fake("github"),
        "docker": fake("stripe"),
    }
    write_tree(
        root,
        {
            "pkg/__init__.py": "",
            "pkg/client.py": f'CLIENT_KEY = "{planted["code"]}"\n',
            "notebooks/explore.ipynb": _notebook_with_output(planted["output"]),
            ".env": f"AWS_ACCESS_KEY_ID={planted['env']}\nDB_PASSWORD={planted['env_password']}\n",
            "configs/hub.yaml": f"hub:\n  token: {planted['config']}\n",
            "Dockerfile": f"FROM python:latest\nENV STRIPE_KEY={planted['docker']}\n",
            "app.py": "from flask import Flask\napp = Flask(__name__)\n\n\n@app.route('/health')\ndef health():\n    return 'ok'\n",
            "scripts/deploy.py": f'GH = "{planted["history"]}"\n',
        },
    )
    git_init(root)
    (root / "scripts/deploy.py").write_text('GH = os.environ["GH_TOKEN"]\n', encoding="utf-8")
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", "-C", str(root), "commit", "-qam", "drop token"], check=True, env=env)
    report = run_audit(root, history_depth=20)
    return report, list(planted.values())


def test_every_planted_secret_is_found(leaky: tuple[Report, list[str]]) -> None:
    report, _ = leaky
    codes = {f.rule for f in report.findings}
    assert {"SEC001", "SEC002", "SEC003", "SEC005", "SRV022"} <= codes
    assert len([f for f in report.findings if f.rule == "SEC001"]) == 5


def _assert_clean(text: str, planted: list[str]) -> None:
    leaked = [value[:4] + "…" for value in planted if value in text]
    assert not leaked, f"planted secrets leaked: {leaked}"
    for value in planted:
        assert value[4:24] not in text


def test_json_contains_no_secret(leaky: tuple[Report, list[str]]) -> None:
    report, planted = leaky
    _assert_clean(dumps(report), planted)


def test_text_summary_contains_no_secret(leaky: tuple[Report, list[str]]) -> None:
    report, planted = leaky
    console = Console(record=True, width=200)
    console.print(summary(report, top=50))
    _assert_clean(console.export_text(), planted)


@pytest.mark.parametrize(
    ("name", "render"),
    [("markdown", markdown.render), ("fixit", fixit.render), ("sarif", sarif.render)],
)
def test_other_formats_contain_no_secret(
    leaky: tuple[Report, list[str]], name: str, render: Callable[[Report], str]
) -> None:
    report, planted = leaky
    try:
        text = render(report)
    except NotImplementedError:
        pytest.skip(f"{name} renderer not implemented yet (mlaudit/report/{name}.py raises NotImplementedError)")
    _assert_clean(text, planted)
