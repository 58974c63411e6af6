"""Hostile repositories for the secret scanner: leaks through other rules and views, blind spots, decoys, hangs.

Every value is generated at test time from a seeded random source; no key-shaped literal sits in the repo.
"""

from __future__ import annotations

import json
import os
import random
import string
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from mlaudit.model import Finding, GitInfo, Report, Severity, Skipped
from mlaudit.redact import Redactor, redact_lines, redact_report, visible
from mlaudit.report import badge, fixit, markdown, sarif
from mlaudit.report.json import dumps
from mlaudit.report.text import summary
from mlaudit.secrets import looks_random
from tests.helpers import GIT_ENV, git_init, run_audit, write_tree

ALNUM = string.ascii_letters + string.digits


def random_password(rng: random.Random, length: int = 16) -> str:
    """Return a random password with letters, digits and symbols (what a generator produces)."""
    alphabet = ALNUM + "!#%+^"
    while True:
        value = "".join(rng.choice(alphabet) for _ in range(length))
        if looks_random(value):
            return value


def random_token(rng: random.Random, prefix: str, length: int, alphabet: str = ALNUM) -> str:
    """Return `prefix` plus `length` random characters (with at least one digit when the alphabet has some)."""
    while True:
        body = "".join(rng.choice(alphabet) for _ in range(length))
        if not any(c.isdigit() for c in alphabet) or any(c.isdigit() for c in body):
            return prefix + body


def windows(value: str, size: int = 8) -> Iterator[str]:
    """Yield every `size`-character window of a value."""
    for i in range(len(value) - size + 1):
        yield value[i : i + size]


def leaked(text: str, planted: list[str]) -> list[str]:
    """Return a short label (never the value) for each planted value with an 8-character window in `text`."""
    return [f"{v[:3]}…({len(v)})" for v in planted if any(w in text for w in windows(v))]


def render_all(report: Report) -> dict[str, str]:
    """Render every output format of a report."""
    console = Console(record=True, width=250, color_system=None)
    console.print(summary(report, top=200))
    return {
        "json": dumps(report),
        "text": console.export_text(),
        "markdown": markdown.render(report),
        "fixit": fixit.render(report),
        "sarif": sarif.render(report),
        "badge": badge.render(report),
    }


# ---------------------------------------------------------------- 3: one redaction pass over everything


def test_redactor_removes_every_window_of_a_known_value() -> None:
    value = random_password(random.Random(1), 24)
    redactor = Redactor([value])
    for text in (f"x = {value}", f"truncated {value[:12]}…", f"tail {value[-9:]} end", f"mid{value[5:17]}dle"):
        assert not leaked(redactor(text), [value]), text
    assert redactor("nothing secret here") == "nothing secret here"


def test_redactor_finds_token_formats_without_being_told() -> None:
    token = random_token(random.Random(2), "gh" + "p_", 36)
    out = Redactor()(f"branch feature/{token} merged")
    assert token[:10] not in out and out.startswith("branch feature/") and out.endswith(" merged")


def test_redact_report_covers_paths_messages_reasons_branches_and_metrics(tmp_path: Path) -> None:
    rng = random.Random(3)
    secret = random_password(rng, 20)
    token = random_token(rng, "hf" + "_", 34, string.ascii_letters)
    report = run_audit(write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "x = 1\n"}))
    finding = Finding(
        "LOG001", "logging", Severity.WARNING, f"src/{token}.py", 3, None, f"print({secret!r})", f"drop {secret[:10]}"
    )
    hostile = redact_report(
        replace(
            report,
            findings=(finding,),
            skipped=(Skipped(f"x/{token}", f"cannot decode: unknown encoding: {secret}"),),
            git=GitInfo(f"feature/{token}", "0" * 40, False),
            extra={"note": secret},
        ),
        [secret],
    )
    for name, text in render_all(hostile).items():
        assert not leaked(text, [secret, token]), name


def test_code_view_lines_are_redacted_and_visible() -> None:
    rng = random.Random(4)
    secret = random_password(rng, 18)
    token = random_token(rng, "sk" + "-proj-", 48)
    lines = [
        "config = {",
        '    "api_key":',
        f'        "{secret}",',
        "}",
        f"client = Client('{token}')",
        "name = 'evil\x1b]0;pwned\x07'",
    ]
    shown = "\n".join(redact_lines(lines))
    assert not leaked(shown, [secret, token])
    assert "\x1b" not in shown and "\\x1b" in shown and "\x07" not in shown


def _hostile_repo(root: Path, password: str, token: str, hub: str) -> None:
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {"tags": [token]},
                "execution_count": 1,
                "source": ["print(settings)\n"],
                "outputs": [
                    {"output_type": "stream", "name": "stdout", "text": [f"password={password}\n"]},
                    {
                        "output_type": "display_data",
                        "metadata": {},
                        "data": {"image/svg+xml": [f"<svg><!-- {hub} --></svg>"]},
                    },
                    {"output_type": "error", "ename": "AuthError", "evalue": f"bad key {hub}", "traceback": []},
                ],
            }
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": f"py {token}"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    write_tree(
        root,
        {
            "pkg/__init__.py": "",
            "pkg/settings.py": f'DB_PASSWORD = "{password}"\n',
            "pkg/loader.py": (
                "import pandas as pd\nimport requests\n"
                f'resp = requests.get("https://api.example.com/v1", auth=("svc", "{password}"))\n'
                "def score(df, out):\n"
                "    for _, row in df.iterrows():\n"
                f'        out = pd.concat([out, row]); eval("{password}" + row["expr"])\n'
                "    return out\n"
            ),
            "pkg/api.py": (
                "from fastapi import FastAPI, Request\napp = FastAPI()\n"
                '@app.get("/x")\ndef x(request: Request) -> dict:\n'
                f'    assert request.headers.get("x-api-key") == "{password}"\n    return {{}}\n'
            ),
            "legacy/py2.py": f'# -*- coding: {token} -*-\nprint "hello"\n',
            "pyproject.toml": f'[project]\nname = "x"\ntoken = "{token}\n',
            f"notes/{token}.txt": "meeting notes\n",
            "notebooks/explore.ipynb": json.dumps(notebook),
            ".dvc/config": f"['remote \"storage\"']\n    url = s3://bucket/x\n    secret_access_key = {password}\n",
            "build/lib/pkg/settings.py": f'HF_TOKEN = "{hub}"\n',
        },
    )


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1), length=st.integers(min_value=12, max_value=40))
def test_planted_values_never_reach_any_format(
    tmp_path_factory: pytest.TempPathFactory, seed: int, length: int
) -> None:
    rng = random.Random(seed)
    password = random_password(rng, length)
    token = random_token(rng, "gh" + "p_", 36)
    hub = random_token(rng, "hf" + "_", 34, string.ascii_letters)
    root = tmp_path_factory.mktemp("hostile")
    _hostile_repo(root, password, token, hub)
    git_init(root)
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", "-C", str(root), "checkout", "-q", "-b", f"fix/{token}"], check=True, env=env)
    report = run_audit(root)
    assert {"SEC001", "SEC002"} <= {f.rule for f in report.findings}
    for name, text in render_all(report).items():
        assert not leaked(text, [password, token, hub]), name


# ---------------------------------------------------------------- 11: terminal injection


HOSTILE_NAME = "evil\x1b[2J\x1b]0;pwned\x07\u202e\x9b31mgnp.py"


def test_visible_escapes_controls_c1_and_bidi() -> None:
    shown = visible(HOSTILE_NAME)
    assert shown == "evil\\x1b[2J\\x1b]0;pwned\\x07\\u202e\\x9b31mgnp.py"
    assert visible("plain naïve text – ok") == "plain naïve text – ok"


def test_plain_markdown_and_json_show_escape_sequences_as_text(tmp_path: Path) -> None:
    code = "import pickle\n\n\ndef load(path):\n    return pickle.load(open(path, 'rb'))\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", f"pkg/{HOSTILE_NAME}": code})
    report = run_audit(tmp_path)
    assert any(f.path and f.path.startswith("pkg/evil") for f in report.findings)
    outputs = render_all(report)
    for name in ("text", "markdown", "fixit", "sarif", "json"):
        text = outputs[name]
        assert not any(c in text for c in "\x1b\x07\x9b\u202e"), name
    assert "\\x1b" in outputs["text"]


def test_markdown_escape_neutralises_autolinks_bidi_and_c1() -> None:
    out = markdown.escape("see www.evil.example and https://evil.example \u202e \x85x \x9b")
    assert "www." not in out and "https://" not in out
    assert "\u202e" not in out and "\x9b" not in out
