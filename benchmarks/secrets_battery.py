"""Benchmark: a battery of planted secrets and decoys, audited through the public API.

Every value is generated at run time from a seeded random source (never a real secret).
Each planted value and each decoy sits in its own file, so a finding on that path is a
detection (or a false alarm). The battery is audited twice: at HEAD, and after a commit
that deletes every planted file (the history scan must find them). Every output format is
rendered and searched for any 8-character window of any planted value.

    python -m benchmarks.secrets_battery [--seed 7]
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import random
import string
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from mlaudit.engine import AuditOptions, audit
from mlaudit.model import Report
from mlaudit.report import badge, fixit, markdown, sarif
from mlaudit.report.json import dumps
from mlaudit.report.text import summary

ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
UPPER_DIGITS = string.ascii_uppercase + string.digits
B64 = ALNUM + "+/"
URLSAFE = ALNUM + "-_"
SECRET_RULES = frozenset({"SEC001", "SEC002"})
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


@dataclass(frozen=True)
class Plant:
    """One planted secret: provider, the file that holds it, its content and the value itself."""

    provider: str
    path: str
    content: str | bytes
    value: str
    public: int = 0
    """Length of the value's public prefix (`https://hooks.slack.com/...`, `sk-proj-`): not a leak when shown."""


@dataclass(frozen=True)
class Decoy:
    """A look-alike that is not a secret: what it is, its file and content."""

    kind: str
    path: str
    content: str | bytes


@dataclass(frozen=True)
class BatteryResult:
    """The figures: planted and decoy counts, misses, false alarms and leaked characters."""

    planted: int
    providers: int
    decoys: int
    missed_head: tuple[str, ...]
    missed_history: tuple[str, ...]
    flagged_decoys: tuple[str, ...]
    leaked_chars: int

    def lines(self) -> list[str]:
        """Return the figures as printable lines (labels only, never values)."""

        def pct(n: int, d: int) -> str:
            return f"{n}/{d} ({100 * n / max(d, 1):.1f} %)"

        return [
            f"planted values: {self.planted} ({self.providers} token providers, {self.planted - self.providers} contexts);"
            f" decoys: {self.decoys}",
            f"missed at HEAD: {pct(len(self.missed_head), self.planted)} {list(self.missed_head)}",
            f"missed in history: {pct(len(self.missed_history), self.planted)} {list(self.missed_history)}",
            f"decoys flagged: {pct(len(self.flagged_decoys), self.decoys)} {list(self.flagged_decoys)}",
            f"bytes leaked (8-char windows of planted values in any output): {self.leaked_chars}",
        ]


class Gen:
    """Random values for one battery (seeded)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def s(self, n: int, alphabet: str = ALNUM) -> str:
        """Return n random characters, with a digit and a letter when the alphabet has both."""
        while True:
            value = "".join(self.rng.choice(alphabet) for _ in range(n))
            digits = any(c.isdigit() for c in alphabet)
            letters = any(c.isalpha() for c in alphabet)
            if (not digits or any(c.isdigit() for c in value)) and (not letters or any(c.isalpha() for c in value)):
                return value

    def password(self, n: int) -> str:
        """Return a generated password of n characters with symbols."""
        while True:
            value = self.s(n, ALNUM + "!#%^*+=?")
            if any(c in "!#%^*+=?" for c in value) and any(c.isupper() for c in value):
                return value

    def jwt(self) -> str:
        """Return a signed-looking JWT built from random claims."""

        def enc(data: dict[str, object]) -> str:
            return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

        header = enc({"alg": "HS256", "typ": "JWT"})
        payload = enc({"sub": self.s(12), "iat": self.rng.randint(1_600_000_000, 1_800_000_000)})
        return f"{header}.{payload}.{self.s(43, URLSAFE)}"

    def pem_body(self) -> str:
        """Return one line of base64 key material."""
        return self.s(64, B64)


Maker = Callable[[Gen], str]

# Provider tokens: name -> value maker (prefixes are split so no token-shaped literal sits in the repo).
TOKENS: dict[str, Maker] = {
    "aws access key id": lambda g: "AK" + "IA" + g.s(16, UPPER_DIGITS),
    "anthropic": lambda g: "sk-" + "ant-api03-" + g.s(93, URLSAFE),
    "openai project": lambda g: "sk-" + "proj-" + g.s(48, URLSAFE),
    "openai legacy": lambda g: "sk-" + g.s(48),
    "hugging face": lambda g: "hf" + "_" + g.s(34, string.ascii_letters),
    "hugging face org": lambda g: "api" + "_org_" + g.s(34, string.ascii_letters),
    "github classic": lambda g: "gh" + "p_" + g.s(36),
    "github oauth": lambda g: "gh" + "o_" + g.s(36),
    "github fine-grained": lambda g: "github" + "_pat_" + g.s(82, ALNUM + "_"),
    "gitlab": lambda g: "gl" + "pat-" + g.s(20, URLSAFE),
    "gitlab runner": lambda g: "GR1348" + "941" + g.s(20, URLSAFE),
    "slack bot": lambda g: "xo" + "xb-" + g.s(12, string.digits) + "-" + g.s(13, string.digits) + "-" + g.s(24),
    "slack user": lambda g: "xo" + "xp-" + g.s(12, string.digits) + "-" + g.s(12, string.digits) + "-" + g.s(32, HEX),
    "slack app": lambda g: "xa" + "pp-1-" + g.s(11, UPPER_DIGITS) + "-" + g.s(13, string.digits) + "-" + g.s(64, HEX),
    "slack webhook": lambda g: (
        "https://hooks.slack.com/services/T" + g.s(10, UPPER_DIGITS) + "/B" + g.s(10, UPPER_DIGITS) + "/" + g.s(24)
    ),
    "stripe live": lambda g: "sk" + "_live_" + g.s(24),
    "stripe restricted": lambda g: "rk" + "_live_" + g.s(24),
    "stripe webhook": lambda g: "wh" + "sec_" + g.s(32),
    "google api key": lambda g: "AI" + "za" + g.s(35, URLSAFE),
    "google oauth secret": lambda g: "GOC" + "SPX-" + g.s(28, URLSAFE),
    "google oauth token": lambda g: "ya" + "29." + g.s(60, URLSAFE),
    "sendgrid": lambda g: "S" + "G." + g.s(22, URLSAFE) + "." + g.s(43, URLSAFE),
    "npm": lambda g: "np" + "m_" + g.s(36),
    "pypi": lambda g: "pypi-" + "AgEIcHlwaS5vcmc" + g.s(70, URLSAFE),
    "jwt": lambda g: g.jwt(),
    "digitalocean": lambda g: "do" + "p_v1_" + g.s(64, HEX),
    "discord webhook": lambda g: "https://discord.com/api/webhooks/" + g.s(18, string.digits) + "/" + g.s(68, URLSAFE),
    "telegram bot": lambda g: g.s(9, string.digits) + ":AA" + g.s(33, URLSAFE),
    "twilio": lambda g: "S" + "K" + g.s(32, HEX),
    "mailchimp": lambda g: g.s(32, HEX) + "-us" + str(g.rng.randint(1, 20)),
    "shopify": lambda g: "shp" + "at_" + g.s(32, HEX),
    "databricks": lambda g: "da" + "pi" + g.s(32, HEX),
    "doppler": lambda g: "dp" + ".pt." + g.s(43),
    "grafana": lambda g: "gl" + "sa_" + g.s(32) + "_" + g.s(8, HEX),
    "vault": lambda g: "hv" + "s." + g.s(90, URLSAFE),
    "linear": lambda g: "lin" + "_api_" + g.s(40),
    "new relic": lambda g: "NR" + "AK-" + g.s(27, UPPER_DIGITS),
    "postman": lambda g: "PM" + "AK-" + g.s(24, HEX) + "-" + g.s(34, HEX),
    "pulumi": lambda g: "pu" + "l-" + g.s(40, HEX),
    "planetscale": lambda g: "pscale" + "_tkn_" + g.s(43, URLSAFE),
    "prefect": lambda g: "pn" + "u_" + g.s(36),
    "sentry": lambda g: "sntr" + "yu_" + g.s(64, HEX),
    "brevo": lambda g: "xkey" + "sib-" + g.s(64, HEX) + "-" + g.s(16),
    "square": lambda g: "sq0" + "atp-" + g.s(22, URLSAFE),
    "age": lambda g: "AGE-" + "SECRET-KEY-1" + g.s(58, "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"),
    "alibaba": lambda g: "LT" + "AI" + g.s(20),
    "replicate": lambda g: "r8" + "_" + g.s(37),
    "groq": lambda g: "gs" + "k_" + g.s(52),
    "atlassian": lambda g: "ATA" + "TT3" + g.s(186, URLSAFE),
    "dynatrace": lambda g: "dt0" + "c01." + g.s(24, UPPER_DIGITS) + "." + g.s(64, UPPER_DIGITS),
    "easypost": lambda g: "EZ" + "AK" + g.s(54),
    "terraform cloud": lambda g: g.s(14, string.ascii_lowercase + string.digits) + ".atlas" + "v1." + g.s(67, URLSAFE),
    "rubygems": lambda g: "ruby" + "gems_" + g.s(48, HEX),
    "mapbox secret": lambda g: "s" + "k.eyJ" + g.s(60, URLSAFE) + "." + g.s(22, URLSAFE),
    "azure ad client secret": lambda g: g.s(3) + str(g.rng.randint(0, 9)) + "Q~" + g.s(34, URLSAFE),
    "heroku": lambda g: "HR" + "KU-" + g.s(60, URLSAFE),
    "infracost": lambda g: "ic" + "o-" + g.s(32),
    "shippo": lambda g: "shippo" + "_live_" + g.s(40, HEX),
    "duffel": lambda g: "duffel" + "_live_" + g.s(43, URLSAFE),
    "notion": lambda g: "nt" + "n_" + g.s(11, string.digits) + g.s(35),
    "perplexity": lambda g: "pp" + "lx-" + g.s(48),
    "langsmith": lambda g: "ls" + "v2_pt_" + g.s(32, HEX) + "_" + g.s(10, HEX),
    "twitter bearer": lambda g: "A" * 21 + g.s(80),
    "facebook": lambda g: "EA" + "AG" + g.s(120),
    "cloudflare origin ca": lambda g: "v1" + ".0-" + g.s(24, HEX) + "-" + g.s(146, HEX),
}

# Neutral contexts: the file gives no hint (no secret-like name), so only the token format can find the value.
NEUTRAL: tuple[tuple[str, str], ...] = (
    ("py", 'client = make_client("{v}")\n'),
    ("yaml", "service:\n  endpoint: https://api.example.com\n  value: {v}\n"),
    ("json", '{{"service": {{"value": "{v}"}}}}\n'),
    ("sh", 'export SERVICE_VALUE="{v}"\n'),
    ("toml", '[service]\nvalue = "{v}"\n'),
)


def public_length(provider: str) -> int:
    """Return the length of the literal prefix every value of a provider starts with."""
    make = TOKENS[provider]
    first, *others = (make(Gen(seed)) for seed in (1, 2, 3))
    return next((i for i, c in enumerate(first) if any(i >= len(o) or o[i] != c for o in others)), len(first))


def _plants(g: Gen) -> list[Plant]:
    plants: list[Plant] = []
    for index, (provider, make) in enumerate(TOKENS.items()):
        value = make(g)
        suffix, template = NEUTRAL[index % len(NEUTRAL)]
        slug = provider.replace(" ", "_").replace("-", "_")
        path = f"plants/t{index:02d}_{slug}.{suffix}"
        plants.append(Plant(provider, path, template.format(v=value), value, public_length(provider)))
    plants.extend(_contextual(g))
    return plants


def _adder(out: list[Plant]) -> Callable[[str, str, str | bytes, str], None]:
    """Return a function appending a plant to `out` (with the provider's public prefix when it has one)."""

    def add(provider: str, path: str, content: str | bytes, value: str) -> None:
        prefix = next(
            (name for name, make in TOKENS.items() if value.startswith(make(Gen(1))[: public_length(name)])), None
        )
        out.append(Plant(provider, path, content, value, public_length(prefix) if prefix else 0))

    return add


def _contextual(g: Gen) -> list[Plant]:
    """Plants whose detection needs context: names, URLs, command lines, multi-line values, odd places."""
    mailgun = "ke" + "y-" + g.s(32, HEX)
    keyed = Plant("mailgun (keyword)", "plants/c_mailgun.py", f'mg = Mailgun(api_key="{mailgun}")\n', mailgun)
    return [*_keys_and_urls(g), *_names_and_commands(g), *_odd_places(g), keyed]


def _keys_and_urls(g: Gen) -> list[Plant]:
    out: list[Plant] = []
    add = _adder(out)
    body = g.pem_body()
    add(
        "private key in triple quotes",
        "plants/c_pem.py",
        f'KEY = """-----BEGIN RSA PRIVATE KEY-----\n{body}\n"""\n',
        body,
    )
    pem2 = g.pem_body()
    add(
        "private key file",
        "plants/c_key.txt",
        f"-----BEGIN OPENSSH PRIVATE KEY-----\n{pem2}\n-----END OPENSSH PRIVATE KEY-----\n",
        pem2,
    )
    gcp = g.pem_body()
    add(
        "gcp service account",
        "plants/c_sa.json",
        json.dumps({"type": "service_account", "private_key": f"-----BEGIN PRIVATE KEY-----\n{gcp}\n"}),
        gcp,
    )
    aws_secret = g.s(40, B64)
    add("aws secret access key", "plants/c_aws.ini", f"[default]\naws_secret_access_key = {aws_secret}\n", aws_secret)
    azure = g.s(86, B64) + "=="
    add(
        "azure storage",
        "plants/c_azure.env",
        f"CONN=DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={azure};EndpointSuffix=core.windows.net\n",
        azure,
    )
    sas = g.s(43, ALNUM) + "%3D"
    add(
        "azure sas",
        "plants/c_sas.py",
        f'URL = "https://acct.blob.core.windows.net/c/f.csv?sv=2022-11-02&ss=b&sp=r&sig={sas}"\n',
        sas,
    )
    wandb = g.s(40, HEX)
    add("wandb", "plants/c_wandb.py", f'import wandb\nwandb.login(key="{wandb}")\n', wandb)
    bearer = g.s(40, URLSAFE)
    add("bearer header", "plants/c_bearer.py", f'HEADERS = {{"Authorization": "Bearer {bearer}"}}\n', bearer)
    basic = base64.b64encode(f"svc:{g.password(14)}".encode()).decode()
    add(
        "basic auth header",
        "plants/c_basic.sh",
        f'curl -H "Authorization: Basic {basic}" https://api.example.com\n',
        basic,
    )
    return out


def _names_and_commands(g: Gen) -> list[Plant]:
    out: list[Plant] = []
    add = _adder(out)
    redis = g.password(16)
    add("redis url", "plants/c_redis.yaml", f"cache:\n  url: redis://:{redis}@cache.internal:6379/0\n", redis)
    pg = g.password(18)
    add("postgres url", "plants/c_pg.py", f'DB_URL = "postgresql://svc:{pg}@db.internal:5432/features"\n', pg)
    mongo = g.password(20)
    add("mongodb url", "plants/c_mongo.env", f"MONGO_URI=mongodb+srv://app:{mongo}@cluster0.example.net/db\n", mongo)
    setdefault = g.s(28)
    add(
        "environ setdefault",
        "plants/c_setdefault.py",
        f'import os\nos.environ.setdefault("API_KEY", "{setdefault}")\n',
        setdefault,
    )
    getenv = g.password(24)
    add(
        "getenv default", "plants/c_getenv.py", f'import os\nSECRET_KEY = os.getenv("SECRET_KEY", "{getenv}")\n', getenv
    )
    nextline = g.password(20)
    add(
        "value on next line (dict)",
        "plants/c_dict.py",
        f'CONFIG = {{\n    "api_key":\n        "{nextline}",\n}}\n',
        nextline,
    )
    paren = g.s(32)
    add("value on next line (parens)", "plants/c_paren.py", f'API_TOKEN = (\n    "{paren}"\n)\n', paren)
    block = g.password(22)
    add("yaml block scalar", "plants/c_block.yaml", f"db:\n  password: |\n    {block}\n", block)
    docker = g.s(32)
    add("dockerfile ENV", "plants/Dockerfile", f"FROM python:3.12-slim\nENV API_TOKEN {docker}\n", docker)
    curl = g.password(16)
    add("curl -u", "plants/c_curl.sh", f"curl -u deploy:{curl} https://registry.example.com/v2/\n", curl)
    psql = g.password(16)
    add(
        "password flag", "plants/c_flag.sh", f"pg_dump --host db.internal --password {psql} features > dump.sql\n", psql
    )
    mysql = g.password(16)
    add("mysql -p", "plants/c_mysql.sh", f"mysql -u root -p{mysql} -e 'select 1'\n", mysql)
    pw16 = g.password(16)
    add("16-char password", "plants/c_pw16.py", f'DB_PASSWORD = "{pw16}"\n', pw16)
    pw12 = g.password(12)
    add("12-char password", "plants/c_pw12.env", f"SMTP_PASSWORD={pw12}\n", pw12)
    pwjson = g.password(18)
    add("password in json", "plants/c_pw.json", json.dumps({"database": {"db_password": pwjson}}) + "\n", pwjson)
    ado = g.password(20)
    add(
        "connection string",
        "plants/c_ado.json",
        json.dumps({"ConnectionStrings": {"Default": f"Server=db;User Id=app;Password={ado};"}}) + "\n",
        ado,
    )
    flask = g.s(48, HEX)
    add("flask secret key", "plants/c_flask.py", f'app.config["SECRET_KEY"] = "{flask}"\n', flask)
    django = "django-insecure-" + g.password(40)
    out.append(Plant("django secret key", "plants/c_django.py", f'SECRET_KEY = "{django}"\n', django, 16))
    return out


def _odd_places(g: Gen) -> list[Plant]:
    out: list[Plant] = []
    add = _adder(out)
    cell_out = TOKENS["openai project"](g)
    add("notebook output", "plants/c_out.ipynb", _notebook(f"key: {cell_out}\n", {}), cell_out)
    meta = TOKENS["hugging face"](g)
    add("notebook metadata", "plants/c_meta.ipynb", _notebook("ok\n", {"hub": {"token": meta}}), meta)
    svg = TOKENS["github classic"](g)
    add(
        "notebook svg output",
        "plants/c_svg.ipynb",
        _notebook("ok\n", {}, {"image/svg+xml": f"<svg><desc>{svg}</desc></svg>"}),
        svg,
    )
    py2 = TOKENS["stripe live"](g)
    add("python 2 file", "plants/c_py2.py", f'STRIPE = "{py2}"\nprint "charging"\n', py2)
    latin = g.password(20)
    add("latin-1 byte", "plants/c_latin.py", f'# caf\xe9\nDB_PASSWORD = "{latin}"\n'.encode("latin-1"), latin)
    broken = TOKENS["anthropic"](g)
    add("broken notebook", "plants/c_broken.ipynb", '{"cells": [{"source": "ANTHROPIC = \'' + broken + "'\"", broken)
    build = TOKENS["gitlab"](g)
    add("tracked build/ file", "build/lib/pkg/config.py", f'TOKEN = "{build}"\n', build)
    dist = TOKENS["npm"](g)
    add("tracked dist/ file", "dist/config.js", f'const registry = "{dist}";\n', dist)
    dvc = g.s(40, B64)
    add(
        "dvc remote config",
        ".dvc/config",
        f"['remote \"s3\"']\n    url = s3://bucket/dvc\n    secret_access_key = {dvc}\n",
        dvc,
    )
    checkpoint = TOKENS["sendgrid"](g)
    add("notebook checkpoint", "nb/.ipynb_checkpoints/x-checkpoint.ipynb", _notebook(f"{checkpoint}\n", {}), checkpoint)
    csv = TOKENS["github oauth"](g)
    add("small csv data", "data/users.csv", f"user,api_token\nalice,{csv}\n", csv)
    js = TOKENS["google api key"](g)
    add("javascript file", "web/app.js", f'const maps = loadMaps("{js}");\n', js)
    err = TOKENS["slack bot"](g)
    add("notebook error value", "plants/c_err.ipynb", _notebook("ok\n", {}, error=f"invalid_auth for {err}"), err)
    return out


def _notebook(
    stdout: str, metadata: dict[str, object], data: dict[str, str] | None = None, error: str | None = None
) -> str:
    outputs: list[dict[str, object]] = [{"output_type": "stream", "name": "stdout", "text": [stdout]}]
    if data:
        outputs.append({"output_type": "display_data", "metadata": {}, "data": data})
    if error:
        outputs.append({"output_type": "error", "ename": "AuthError", "evalue": error, "traceback": []})
    cell = {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": ["run()\n"], "outputs": outputs}
    return json.dumps({"cells": [cell], "metadata": metadata, "nbformat": 4, "nbformat_minor": 5})


def _decoys(g: Gen) -> list[Decoy]:

    def h32() -> str:
        return g.s(32, HEX)

    def h40() -> str:
        return g.s(40, HEX)

    def h64() -> str:
        return g.s(64, HEX)

    png = base64.b64encode(bytes(g.rng.randrange(256) for _ in range(1500))).decode()
    items: list[tuple[str, str, str]] = [
        (
            "uv.lock hashes",
            "uv.lock",
            f'[[package]]\nname = "numpy"\nsdist = {{ url = "https://files.pythonhosted.org/n.tar.gz", hash = "sha256:{h64()}" }}\n',
        ),
        ("poetry.lock hashes", "poetry.lock", f'files = [\n    {{file = "numpy.whl", hash = "sha256:{h64()}"}},\n]\n'),
        (
            "package-lock integrity",
            "package-lock.json",
            json.dumps({"packages": {"node_modules/x": {"integrity": "sha512-" + g.s(86, B64) + "=="}}}),
        ),
        ("requirements hashes", "requirements.txt", f"numpy==2.1.0 --hash=sha256:{h64()}\n"),
        ("dvc md5", "data/train.csv.dvc", f"outs:\n- md5: {h32()}\n  size: 1234\n  path: train.csv\n"),
        ("dvc.lock md5", "dvc.lock", f"stages:\n  train:\n    deps:\n    - path: data\n      md5: {h32()}.dir\n"),
        ("SHA256SUMS", "SHA256SUMS", f"{h64()}  model.safetensors\n"),
        ("model sha256", "d/model_sha.py", f'MODEL_SHA256 = "{h64()}"\n'),
        ("secret hash", "d/secret_hash.py", f'secret_hash = "{h64()}"\n'),
        ("api key md5", "d/key_md5.py", f'api_key_md5 = "{h32()}"\n'),
        ("token digest", "d/token_digest.py", f'token_digest = "{h40()}"\n'),
        ("password sha1", "d/pw_sha1.yaml", f"password_sha1: {h40()}\n"),
        ("secret key sha256 env", "d/hash.env", f"SECRET_KEY_SHA256={h64()}\n"),
        ("api token sha1-length hex", "d/api_hex.py", f'api_token = "{h40()}"\n'),
        ("password sha256 hex", "d/pw_hex.yaml", f"admin_password: {h64()}\n"),
        ("png output", "d/img.ipynb", _notebook("ok\n", {}, {"image/png": png})),
        ("markdown data uri", "d/readme.md", f"![plot](data:image/png;base64,{png})\n"),
        ("hub model id", "d/hub.py", 'tokenizer_name = "sentence-transformers/all-MiniLM-L6-v2"\n'),
        ("hub model id 2", "d/hub2.py", 'token_classifier = "dslim/bert-base-NER"\n'),
        ("placeholder sk-...", "d/ph1.env", "OPENAI_API_KEY=sk-...\n"),
        ("placeholder <your-key>", "d/ph2.yaml", "api_key: <your-key>\n"),
        ("placeholder ${}", "d/ph3.yaml", "password: ${DB_PASSWORD}\n"),
        ("placeholder {{ }}", "d/ph4.yaml", "token: {{ secrets.HF_TOKEN }}\n"),
        ("placeholder your_api_key_here", "d/ph5.env", "API_KEY=your_api_key_here\n"),
        ("aws docs example", "d/ph6.env", "AWS_ACCESS_KEY_ID=AKIA" + "IOSFODNN7EXAMPLE\n"),
        ("stripe xxxx", "d/ph7.py", 'STRIPE = "sk' + '_live_xxxxxxxxxxxxxxxxxxxxxxxx"\n'),
        ("github xxxx", "d/ph8.sh", "export GH_TOKEN=gh" + "p_" + "x" * 36 + "\n"),
        ("changeme", "d/ph9.py", 'password = "changeme"\n'),
        ("hf XXXX", "d/ph10.py", 'HF_TOKEN = "hf' + "_" + "X" * 34 + '"\n'),
        (
            "slack webhook placeholder",
            "d/ph11.yaml",
            "webhook: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX\n",
        ),
        ("uuid run token", "d/uuid.py", 'run_token = "0b7c5f6e-8f2a-4b1c-9d3e-2a4b6c8d0e1f"\n'),
        ("git sha", "d/sha.yaml", f"commit: {h40()}\nrevision: {h40()}\n"),
        ("env read", "d/env.py", 'import os\napi_key = os.environ["API_KEY"]\ntoken = os.getenv("HF_TOKEN")\n'),
        ("getenv dev default", "d/env2.py", 'import os\nSECRET_KEY = os.environ.get("SECRET_KEY", "dev")\n'),
        ("token counts", "d/tok.py", "max_tokens = 4096\ntokenizer.pad_token = tokenizer.eos_token\n"),
        ("field names", "d/fields.py", 'password_field = "password"\nauth_type = "bearer"\n'),
        ("url without password", "d/url.yaml", "db: postgresql://user@localhost/db\ncache: redis://localhost:6379/0\n"),
        (
            "url with variable",
            "d/url2.py",
            'DB = f"postgresql://user:{DB_PASSWORD}@host/db"\nURL = "postgresql://app:${PGPASS}@db/x"\n',
        ),
        ("docker port flag", "d/run.sh", "docker run -p 8080:80 -e MODE=prod image\npip install -U numpy\n"),
        ("curl with env vars", "d/curl.sh", 'curl -u "$USER:$TOKEN" https://api.example.com\n'),
        ("docker digest", "d/Dockerfile", f"FROM python@sha256:{h64()}\n"),
        ("secret path", "d/sm.py", 'secret_name = "prod/db/password"\n'),
        ("base64 weights", "d/weights.json", json.dumps({"weights": g.s(600, B64)})),
        ("css colour", "d/style.css", ".token { color: #a3f9b2; }\n"),
        ("token type ids", "d/tt.py", "token_type_ids = [0, 0, 1, 1]\n"),
        ("auth url", "d/auth.py", 'AUTH_URL = "https://login.example.com/oauth2/token"\n'),
        ("password min length", "d/pwlen.py", "password_min_length = 12\n"),
        ("api key header name", "d/hdr.py", 'API_KEY_HEADER = "X-Api-Key"\n'),
        (
            "secret manager arn",
            "d/arn.tf",
            'secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"\n',
        ),
        ("kms alias", "d/kms.py", 'kms_key_id = "alias/ml-artifacts"\n'),
        ("ssh public key", "d/pub.py", f'public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5{g.s(43, B64)} ci@example"\n'),
        (
            "public key block",
            "d/pub.pem.txt",
            f"-----BEGIN PUBLIC KEY-----\n{g.pem_body()}\n-----END PUBLIC KEY-----\n",
        ),
        ("certificate", "d/cert.txt", f"-----BEGIN CERTIFICATE-----\n{g.pem_body()}\n-----END CERTIFICATE-----\n"),
        ("pem parser code", "d/parse.py", 'if line.startswith("-----BEGIN RSA PRIVATE KEY-----"):\n    kind = "rsa"\n'),
        ("generated at runtime", "d/gen.py", "import secrets\nsecret = secrets.token_hex(32)\n"),
        ("getpass", "d/gp.py", "import getpass\npassword = getpass.getpass()\n"),
        ("hash key column", "d/hk.py", 'hash_key = "user_id"\ncache_key = f"{model}-{revision}"\n'),
        ("ci secrets expression", "d/ci.yml", "env:\n  token: ${{ secrets.GITHUB_TOKEN }}\n"),
        ("sha256sum yaml", "d/sum.yaml", f"sha256sum: {h64()}\nchecksum: {h32()}\n"),
        ("wandb run path", "d/wb.py", 'RUN = "entity/project/3kx9z2ab"\n'),
        ("oauth scopes", "d/oauth.json", json.dumps({"auth": {"type": "oauth2", "scopes": ["read"]}})),
        (
            "credentials path",
            "d/cred.py",
            'credentials_path = "~/.config/gcloud/application_default_credentials.json"\n',
        ),
        ("tokenizers env", "d/tk.env", "TOKENIZERS_PARALLELISM=false\n"),
        ("django auth backend", "d/auth2.py", 'auth_backend = "django.contrib.auth.backends.ModelBackend"\n'),
        ("python 2 env read", "d/py2.py", 'print "token: %s" % os.environ["TOKEN"]\n'),
        (
            "camelCase identifier",
            "d/camel.py",
            'token_class = "BertTokenizerFast"\nauth_handler = "OAuth2PasswordBearer"\n',
        ),
        ("dotted settings path", "d/dotted.py", 'SECRET_BACKEND = "myproj.settings.secrets.VaultBackend"\n'),
        ("long word password hint", "d/hint.py", 'password_hint = "CorrectHorseBatteryStaple"\n'),
        ("test vector hex", "d/vec.py", f'signature = "{g.s(128, HEX)}"\n'),
        (
            "jwt.io example token",
            "d/jwtio.md",
            "Example: `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
            + "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c`\n",
        ),
        ("stripe docs test key", "d/stripe_docs.md", "stripe.api_key = 'sk" + "_test_4eC39HqLyjWDarjtT1zdp7dc'\n"),
        (
            "basic auth user:password",
            "d/basic.sh",
            'curl -H "Authorization: Basic dXNlcjpwYXNzd29yZA==" http://localhost\n',
        ),
        ("cache key with md5", "d/cache.py", f'CACHE_PREFIX = "key-{h32()}"\n'),
        ("docker user ids", "d/docker.sh", "docker run -u 1000:1000 image\npython -u train.py\nmysql -u root -p\n"),
        ("password file flag", "d/pwfile.sh", "tool --password-file /run/secrets/db --token-file ~/.token\n"),
        (
            "mapbox public token",
            "d/map.js",
            "mapboxgl.accessToken = 'pk.eyJ1IjoiZXhhbXBsZSIsImEiOiJjazF4In0." + g.s(22, URLSAFE) + "';\n",
        ),
        ("page token", "d/page.json", json.dumps({"next_page_token": "eyJpbmRleCI6IDExfQ=="})),
        (
            "jupyter kernel id",
            "d/kern.json",
            json.dumps({"kernel_id": "5e2d8c1a-7b3f-4d6e-9a0b-1c2d3e4f5a6b", "token": ""}),
        ),
    ]
    return [Decoy(kind, path, content) for kind, path, content in items]


def _write(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, env={**os.environ, **GIT_ENV}, capture_output=True)


def _base_files() -> dict[str, str | bytes]:
    return {"pkg/__init__.py": "", "pkg/core.py": "def add(a: int, b: int) -> int:\n    return a + b\n"}


def _flagged_paths(report: Report) -> set[str]:
    return {f.path for f in report.findings if f.rule in SECRET_RULES and f.path}


def render_all(report: Report) -> dict[str, str]:
    """Render every output format of a report."""
    console = Console(record=True, width=250, color_system=None, file=io.StringIO())
    console.print(summary(report, top=500))
    return {
        "json": dumps(report),
        "text": console.export_text(),
        "markdown": markdown.render(report),
        "fixit": fixit.render(report),
        "sarif": sarif.render(report),
        "badge": badge.render(report),
    }


def leaked_chars(text: str, values: list[tuple[str, int]], window: int = 8) -> int:
    """Return how many characters of planted values are covered by 8-character windows found in `text`.

    Each value comes with the length of its public prefix; windows inside that prefix are not leaks.
    """
    total = 0
    for value, public in values:
        covered = [False] * len(value)
        for i in range(max(public - window + 1, 0), len(value) - window + 1):
            if value[i : i + window] in text:
                covered[i : i + window] = [True] * window
        total += sum(covered)
    return total


def run_battery(workdir: Path, seed: int = 7) -> BatteryResult:
    """Build the battery under `workdir`, audit it at HEAD and through history, and return the figures."""
    g = Gen(seed)
    plants, decoys = _plants(g), _decoys(g)
    head = workdir / "head"
    _write(head, {**_base_files(), **{p.path: p.content for p in plants}, **{d.path: d.content for d in decoys}})
    _git(head, "init", "-q", "-b", "main")
    _git(head, "add", "-A", "-f")
    _git(head, "commit", "-q", "-m", "battery")
    report = audit(head, AuditOptions(offline=True, history_depth=0))
    flagged = _flagged_paths(report)
    outputs = "\n".join(render_all(report).values())
    leaks = leaked_chars(outputs, [(p.value, p.public) for p in plants])
    history = workdir / "history"
    _write(history, {**_base_files(), **{p.path: p.content for p in plants}})
    _git(history, "init", "-q", "-b", "main")
    _git(history, "add", "-A", "-f")
    _git(history, "commit", "-q", "-m", "add config")
    _git(history, "rm", "-q", "-r", "--", *sorted({p.path for p in plants}))
    _git(history, "commit", "-q", "-m", "remove config")
    old = audit(history, AuditOptions(offline=True, history_depth=10, select=("SEC005",)))
    in_history = {f.path for f in old.findings if f.rule == "SEC005" and f.path}
    in_history |= {
        f.message.split(" added to ", 1)[1].split(" in commit")[0] for f in old.findings if " added to " in f.message
    }
    return BatteryResult(
        planted=len(plants),
        providers=len(TOKENS),
        decoys=len(decoys),
        missed_head=tuple(p.provider for p in plants if p.path not in flagged),
        missed_history=tuple(p.provider for p in plants if p.path not in in_history),
        flagged_decoys=tuple(d.kind for d in decoys if d.path in flagged),
        leaked_chars=leaks,
    )


def main() -> None:
    """Run the battery in a temporary folder and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = run_battery(Path(tmp), args.seed)
    for line in result.lines():
        print(line)


if __name__ == "__main__":
    main()
