"""Tests of rule SEC007 (`mlaudit/rules/security/sec007_sensitive_data_logged.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree


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


def test_sec007_tokenizer_settings_are_not_secrets(tmp_path: Path) -> None:
    # NLP tokens: the tokenizer, special-token ids and token budgets of a config are model settings
    backbone = (
        "import logging\nlogger = logging.getLogger(__name__)\n\n\n"
        "def align(cfg, config, tokenizer):\n"
        "    logger.info(f'tokenizer settings: {cfg.tokenizer}')\n"
        "    if config.eos_token_id != tokenizer.eos_token_id:\n"
        "        logger.warning(f'overwriting {config.eos_token_id} and {config.pad_token_id}')\n"
        "    logger.info('budget %d', cfg.max_new_tokens)\n"
        "    logger.info('hub token %s', cfg.hub_token)\n"
    )
    write_tree(tmp_path, {"llm/__init__.py": "", "llm/backbone.py": backbone})
    # only the hub credential is a secret setting
    assert [(f.line, f.severity) for f in findings(tmp_path, "SEC007")] == [(10, Severity.ERROR)]


def test_sec007_the_name_of_a_secret_setting_is_not_its_value(tmp_path: Path) -> None:
    """Telling the operator which variable to set logs `ADMIN_PASSWORD.name`, and `UPDATE_USER_PASSWORD` is the
    route that changes it; logging the value still leaks it."""
    auth = (
        "import logging\n\nfrom auth.settings import ADMIN_PASSWORD, UPDATE_USER_PASSWORD\n\nlogger = logging.getLogger(__name__)\n\n\n"
        "def warn_default(username):\n"
        "    logger.warning(f'{username} uses the default password: set {ADMIN_PASSWORD.name} and restart')\n"
        "    logger.warning(f'or have an admin call {UPDATE_USER_PASSWORD}')\n\n\n"
        "def debug_login(username):\n"
        "    logger.debug(f'{username} logs in with {ADMIN_PASSWORD.get()}')\n"
    )
    settings = "ADMIN_PASSWORD = None\nUPDATE_USER_PASSWORD = '/users/update-password'\n"
    write_tree(tmp_path, {"auth/__init__.py": "", "auth/server.py": auth, "auth/settings.py": settings})
    assert [f.line for f in findings(tmp_path, "SEC007")] == [14]


VAULT = """\
import logging

logger = logging.getLogger(__name__)


def fetch_all(client, keys):
    values = {}
    keys = keys or [secret.name for secret in client.list_properties() if secret.enabled]
    for secret in keys:
        try:
            values[secret] = client.get(secret)
        except KeyError:
            logger.warning(f"Secret {secret!r} is not in the vault")
    return values


def fetch_values(client, keys):
    for secret in (client.get(k) for k in keys):
        logger.debug(f"fetched {secret}")
"""


def test_sec007_a_loop_over_secret_names_logs_names_but_a_loop_over_values_logs_secrets(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/vault.py": VAULT})
    assert [(h.path, h.line) for h in findings(tmp_path, "SEC007")] == [("pkg/vault.py", 19)]


def test_sec007_an_admin_command_may_show_its_operator_the_email_but_not_the_password(tmp_path: Path) -> None:
    admin = """\
import argparse
import getpass
import logging

logger = logging.getLogger(__name__)


def add_user_interactive(store):
    email = input("Email: ")
    password = getpass.getpass("Password: ")
    user = store.create(email, password)
    print(f"created {user.email}")
    print(f"password: {password}")


def sync(store, user):
    print("synced", user.email)
    logger.info("synced %s", user.email)
"""
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/admin.py": admin})
    hits = {(f.line, f.message.split(" writes ")[1].split(" to ")[0]) for f in findings(tmp_path, "SEC007")}
    # the interactive command's echo of the email is for its operator; its password, and the library
    # function's print and log of an email, are leaks
    assert hits == {(13, "`password`"), (17, "`user.email`"), (18, "`user.email`")}


WORKER_REGISTRY = """\
import logging

from fastapi import FastAPI

logger = logging.getLogger(__name__)
app = FastAPI()


@app.post("/register")
def register(data: dict) -> dict:
    tp_rank = data["tp_rank"]
    logger.info(f"{data['embedding_port'] = }")
    logger.info("registered worker %s", tp_rank)
    prompt = data["prompt"]
    logger.info("first prompt %s", prompt)
    return {"ok": True}
"""


def test_sec007_a_workers_rank_or_port_from_the_request_is_metadata_but_its_prompt_is_data(tmp_path: Path) -> None:
    """`data["tp_rank"]`, `data['embedding_port']`: where a distributed worker sits; the prompt it carries is
    user data."""
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/bootstrap.py": WORKER_REGISTRY})
    assert [f.line for f in findings(tmp_path, "SEC007")] == [15]


def test_sec007_a_command_may_print_the_secret_it_makes_but_not_one_it_reads(tmp_path: Path) -> None:
    cli = """\
import os
import secrets

import click


def random_secret():
    return secrets.token_urlsafe(32)


def load_secret():
    return os.environ["APP_SECRET"]


@click.command()
def create_secret():
    print(f"Copy this into your .env file: APP_SECRET={random_secret()}")


@click.command()
def show_secret():
    print(f"APP_SECRET={load_secret()}")
    print(f"APP_SECRET={os.environ['APP_SECRET']}")
    app_secret = random_secret()
    print(f"rotated to {app_secret}")
"""
    library = "def rotate(store, random_secret):\n    print('rotated', random_secret)\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/cli.py": cli, "pkg/keys.py": library})
    hits = {(f.path, f.line) for f in findings(tmp_path, "SEC007")}
    assert hits == {("pkg/cli.py", 22), ("pkg/cli.py", 23), ("pkg/cli.py", 25), ("pkg/keys.py", 2)}


MASKING = """import logging
import os
from uuid import UUID

logger = logging.getLogger(__name__)


class Settings:
    def configure(self, api_key):
        try:
            UUID(api_key)
        except ValueError:
            logger.warning(f"API key format looks invalid: {api_key[:8]}... check your dashboard")
        logger.info("using token ...%s", os.environ["HF_TOKEN"][-4:])
        logger.debug("key tail: %s", api_key[8:])
        logger.debug("key body: %s", api_key[:32])
"""


def test_sec007_a_secret_cut_to_its_first_or_last_few_characters_is_masked_but_a_long_cut_is_not(
    tmp_path: Path,
) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/config.py": MASKING})
    assert sorted(f.line or 0 for f in findings(tmp_path, "SEC007")) == [15, 16]


def test_sec007_a_constant_picked_by_a_request_field_is_no_request_data_but_a_field_value_is(tmp_path: Path) -> None:
    handler = """\
import logging
logger = logging.getLogger(__name__)

def handler(event, context):
    mode = "dry-run" if event["dry_run"] else "COMMIT"
    logger.info(f"repair {mode} requested")
    target = event["document"] if event["dry_run"] else "none"
    logger.info(f"repair of {target}")
    return {"statusCode": 200}
"""
    write_tree(tmp_path, {"lambda_fn/handler.py": handler})
    assert [f.line for f in findings(tmp_path, "SEC007")] == [8]


def test_sec007_a_passwords_hash_is_not_the_password(tmp_path: Path) -> None:
    tool = """\
import logging
from passlib.hash import bcrypt
logger = logging.getLogger(__name__)

def add_account(user, password):
    hashed_password = bcrypt.hash(password)
    logger.info("account %s stored as %s", user, hashed_password)
    logger.debug("account %s password %s", user, password)
"""
    write_tree(tmp_path, {"accounts/__init__.py": "", "accounts/store.py": tool})
    assert [f.line for f in findings(tmp_path, "SEC007")] == [8]


def test_sec007_a_request_value_made_safe_to_log_is_not_raw_data_but_one_only_reformatted_is(tmp_path: Path) -> None:
    handler = """\
import logging
logger = logging.getLogger(__name__)

def handler(event, context):
    key = safe_log_value(event["source_key"])
    logger.info(f"repair of {key}")
    raw = str(event["source_key"])
    logger.info(f"repair of {raw}")
    return {"statusCode": 200}
"""
    write_tree(tmp_path, {"lambda_fn/handler.py": handler})
    assert [f.line for f in findings(tmp_path, "SEC007")] == [8]


HUB_CLIENT = """\
import logging

import requests
from flask import Flask, request

app = Flask(__name__)
logger = logging.getLogger(__name__)


def fetch(url, token):
    req = requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=10)
    body = req.json()
    if not req.ok:
        logger.error(body.get("message"))
    return body


@app.route("/submit", methods=["POST"])
def submit():
    body = request.get_json()
    logger.error(body.get("message"))
    return {}
"""


def test_sec007_a_response_the_function_fetched_is_no_request_body_but_the_incoming_request_is(
    tmp_path: Path,
) -> None:
    # `req = requests.get(...)` is the function's own call: `req.json()` is the server's reply, not a client's body
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/hub.py": HUB_CLIENT})
    assert [f.line for f in findings(tmp_path, "SEC007")] == [21]
