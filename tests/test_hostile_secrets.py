"""Hostile repositories for the secret scanner: leaks through other rules and views, blind spots, decoys, hangs.

Every value is generated at test time from a seeded random source; no key-shaped literal sits in the repo.
"""

from __future__ import annotations

import json
import os
import random
import string
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.secrets_battery import render_all
from mlaudit.model import Finding, GitInfo, Severity, Skipped
from mlaudit.redact import Redactor, redact_lines, redact_report, visible
from mlaudit.report import markdown
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


def _name_safe_providers() -> list[str]:
    """Return the battery's token providers whose values can be a file and branch name."""
    from benchmarks.secrets_battery import TOKENS, Gen

    safe = []
    for name, make in TOKENS.items():
        value = make(Gen(0))
        if len(value) <= 120 and not set(value) & set("/:~^?*[\\ ") and ".." not in value and value[0] != "-":
            safe.append(name)
    return sorted(safe)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    length=st.integers(min_value=12, max_value=40),
    provider=st.sampled_from(_name_safe_providers()),
)
def test_planted_values_never_reach_any_format(
    tmp_path_factory: pytest.TempPathFactory, seed: int, length: int, provider: str
) -> None:
    from benchmarks.secrets_battery import TOKENS, Gen, public_length

    rng = random.Random(seed)
    password = random_password(rng, length)
    token = TOKENS[provider](Gen(seed))
    secret_part = token[public_length(provider) :]  # the published prefix (`sk-proj-`) may appear in docs
    hub = random_token(rng, "hf" + "_", 34, string.ascii_letters)
    root = tmp_path_factory.mktemp("hostile")
    _hostile_repo(root, password, token, hub)
    git_init(root)
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", "-C", str(root), "checkout", "-q", "-b", f"fix/{token}"], check=True, env=env)
    report = run_audit(root)
    assert {"SEC001", "SEC002"} <= {f.rule for f in report.findings}
    for name, text in render_all(report).items():
        assert not leaked(text, [password, secret_part, hub]), name


# ---------------------------------------------------------------- 11: terminal injection


HOSTILE_NAME = "evil\x1b[2J\x1b]0;pwned\x07\u202e\x9b31mgnp.py"


def test_visible_escapes_controls_c1_and_bidi() -> None:
    shown = visible(HOSTILE_NAME)
    assert shown == "evil\\x1b[2J\\x1b]0;pwned\\x07\\u202e\\x9b31mgnp.py"
    assert visible("plain naïve text – ok") == "plain naïve text – ok"
    assert visible("bad\udcff.py") == "bad\\udcff.py"  # a file-name byte that is not UTF-8


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


# ---------------------------------------------------------------- 4: detection blind spots


def _blind_spots(rng: random.Random) -> list[tuple[str, str, str]]:
    """Return (case, text, value) for each blind spot of issue 16 point 4 (values generated here)."""
    pw = random_password(rng, 16)
    body = "".join(rng.choice(ALNUM + "+/") for _ in range(64))
    jwt_parts = [
        "eyJ" + random_token(rng, "", 30, ALNUM),
        "eyJ" + random_token(rng, "", 40, ALNUM),
        random_token(rng, "", 43, ALNUM + "-_"),
    ]
    jwt = ".".join(jwt_parts)
    bearer = random_token(rng, "", 40, ALNUM + "-_")
    google = random_token(rng, "AI" + "za", 35, ALNUM + "-_")
    sendgrid = "S" + "G." + random_token(rng, "", 22, ALNUM) + "." + random_token(rng, "", 43, ALNUM)
    npm = random_token(rng, "np" + "m_", 36)
    pypi = random_token(rng, "pypi-" + "AgEIcHlwaS5vcmc", 70, ALNUM + "-_")
    webhook_secret = random_token(rng, "", 24)
    webhook = "https://hooks.slack.com/services/T" + "0ABCDEFGH1" + "/B" + "0ABCDEFGH2" + "/" + webhook_secret
    sig = random_token(rng, "", 43) + "%3D"
    setdefault = random_token(rng, "", 28)
    return [
        (
            "PEM in triple quotes",
            f'KEY = """-----BEGIN RSA PRIVATE KEY-----\n{body}\n"""\n',
            "-----BEGIN RSA PRIVATE KEY-----",
        ),
        ("JWT", f'TOKEN = "{jwt}"\n', jwt),
        ("Authorization: Bearer", f'headers = {{"Authorization": "Bearer {bearer}"}}\n', bearer),
        ("Google AIza key", f'maps = Client("{google}")\n', google),
        ("SendGrid", f"SENDGRID={sendgrid}\n", sendgrid),
        ("npm", f"//registry.npmjs.org/:_authToken={npm}\n", npm),
        ("PyPI", f"[pypi]\nusername = __token__\npassword = {pypi}\n", pypi),
        ("redis://:pw@host", f"url: redis://:{pw}@cache:6379/0\n", pw),
        ("os.environ.setdefault", f'os.environ.setdefault("API_KEY", "{setdefault}")\n', setdefault),
        ("value on the next line", f'CONFIG = {{\n    "api_key":\n        "{pw}",\n}}\n', pw),
        ("YAML block scalar", f"db:\n  password: |\n    {pw}\n", pw),
        ("Dockerfile ENV NAME value", f"FROM python:3.12\nENV API_TOKEN {setdefault}\n", setdefault),
        ("curl -u user:pw", f"curl -u deploy:{pw} https://example.com\n", pw),
        ("--password value", f"pg_dump --password {pw} db > x.sql\n", pw),
        ("Slack webhook", f"WEBHOOK: {webhook}\n", webhook),
        ("Azure SAS sig=", f'URL = "https://a.blob.core.windows.net/c?sv=2022-11-02&sig={sig}"\n', sig),
        ("16-character random password", f'DB_PASSWORD = "{pw}"\n', pw),
    ]


def test_every_blind_spot_of_the_issue_is_found() -> None:
    from mlaudit.secrets import scan_text

    missed = []
    for case, text, value in _blind_spots(random.Random(11)):
        found = [m.value for _, m in scan_text(text, quoted_only=case.startswith(("os.environ", "16-char")))]
        if value not in found:
            missed.append(case)
    assert missed == []


def test_random_passwords_of_12_to_16_characters_pass_the_length_aware_test() -> None:
    rng = random.Random(12)
    for length in (12, 14, 16):
        values = [random_password(rng, length) for _ in range(20)]
        assert all(looks_random(v) for v in values)
    assert not looks_random("Summer2024Password") and not looks_random("BertTokenizerFast")


# ---------------------------------------------------------------- 12: decoys and line numbers


@pytest.mark.parametrize(
    "line",
    [
        'secret_hash = "{h64}"',
        'api_key_md5 = "{h32}"',
        "password_sha1: {h40}",
        "SECRET_KEY_SHA256={h64}",
        'api_token = "{h40}"',
        "admin_password: {h64}",
        "token: sha256:{h64}",
    ],
)
def test_hash_digests_under_secret_names_are_not_secrets(line: str) -> None:
    from mlaudit.secrets import scan_line

    rng = random.Random(line)
    digits = {n: "".join(rng.choice("0123456789abcdef") for _ in range(n)) for n in (32, 40, 64)}
    text = line.format(h32=digits[32], h40=digits[40], h64=digits[64])
    assert scan_line(text, quoted_only='"' in text) == []


def test_names_that_merely_contain_sha_or_crc_are_still_secret_names() -> None:
    from mlaudit.secrets import scan_line

    value = random_password(random.Random(23), 24)
    assert [m.value for m in scan_line(f'shared_secret = "{value}"', quoted_only=True)] == [value]
    assert [m.value for m in scan_line(f"SHAREPOINT_PASSWORD={value}")] == [value]
    assert scan_line(f'secret_sha256 = "{value}"', quoted_only=True) == []


@pytest.mark.parametrize("separator", ["\f", "\u2028", "\x85", "\u2029", "\x1c"])
def test_sec001_line_numbers_survive_form_feeds_and_unicode_separators(tmp_path: Path, separator: str) -> None:
    secret = random_password(random.Random(13), 20)
    code = f"import os\n\nx = 1  # a{separator}b\n\nDB_PASSWORD = '{secret}'\n"
    write_tree(
        tmp_path,
        {"pkg/__init__.py": "", "pkg/settings.py": code, "conf/app.env": f"A=1{separator}2\nDB_PASSWORD={secret}\n"},
    )
    found = {(f.path, f.line) for f in run_audit(tmp_path, select=("SEC001",)).findings}
    assert found == {("pkg/settings.py", 5), ("conf/app.env", 2)}


# ---------------------------------------------------------------- 8: bounded regular expressions


HUGE_LINE_SCRIPT = """
import sys, time
from mlaudit.secrets import scan_text


def pieces(n):
    return [
        "token " + "a." * n,
        "api_key " + "a.b-c_" * (n // 3),
        "password " + "x://a:" * (n // 3),
        ("token = " + "Ab1" * 50 + " ") * (n // 84),
        "-----BEGIN PRIVATE KEY-----" * (n // 14),
        "eyJ" + "a-" * n + ".eyJ",
        "--password " * (n // 6),
        "secret_" * (n // 4),
        "sk-" + "a-" * n,
    ]


def cpu_seconds(n):
    start = time.process_time()
    for piece in pieces(n):
        list(scan_text(piece))
    return time.process_time() - start


small, large = cpu_seconds(125_000), cpu_seconds(500_000)
print(round(large / max(small, 1e-3), 2))
"""


def test_one_megabyte_lines_are_scanned_in_linear_time() -> None:
    """Nine lines of about 1 MB each cost about four times as much CPU as the same lines a quarter as long.

    A pattern that backtracks quadratically costs sixteen times as much. CPU time of the scanning process is
    compared within one run, so a busy machine does not move the ratio (the timeout only stops a hang).
    """
    result = subprocess.run(
        [sys.executable, "-c", HUGE_LINE_SCRIPT], capture_output=True, text=True, timeout=900, check=False
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert float(result.stdout.strip()) < 8  # linear: about 4; quadratic: about 16


def test_a_key_in_a_long_minified_line_is_still_found() -> None:
    from mlaudit.secrets import scan_line

    token = random_token(random.Random(14), "gh" + "p_", 36)
    line = "var a=1;" * 20_000 + f'var t="{token}";' + "var b=2;" * 20_000
    assert [m.value for m in scan_line(line)] == [token]


# ---------------------------------------------------------------- 5: every tracked text file, parse or no parse


def test_unparsed_and_left_out_files_are_scanned_and_unreadable_ones_listed(tmp_path: Path) -> None:
    rng = random.Random(15)
    values = [random_password(rng, 20) for _ in range(5)]
    files: dict[str, str | bytes] = {
        "pkg/__init__.py": "",
        "legacy/old.py": f'DB_PASSWORD = "{values[0]}"\nprint "hi"\n',
        "legacy/latin.py": f'# caf\xe9\nAPI_SECRET = "{values[1]}"\n'.encode("latin-1"),
        "build/lib/pkg/settings.py": f'API_TOKEN = "{values[2]}"\n',
        ".dvc/config": f"['remote \"s3\"']\n    secret_access_key = {values[3]}\n",
        "nb/broken.ipynb": '{"cells": [{"source": "api_secret = \'' + values[4] + "'\"",
    }
    write_tree(tmp_path, files)
    git_init(tmp_path)
    big = tmp_path / "conf" / "huge.env"
    big.parent.mkdir()
    big.write_text("X=1\n" * 1_500_000, encoding="utf-8")
    subprocess.run(["git", "-C", str(tmp_path), "add", "-f", "conf/huge.env"], check=True)
    report = run_audit(tmp_path, select=("SEC001",))
    flagged = {f.path for f in report.findings if f.rule == "SEC001"}
    assert flagged == {
        "legacy/old.py",
        "legacy/latin.py",
        "build/lib/pkg/settings.py",
        ".dvc/config",
        "nb/broken.ipynb",
    }
    [missing] = [n for n in report.not_checked if n.check.startswith("secrets in")]
    assert "conf/huge.env" in missing.reason and "too large" in missing.reason


def test_notebook_metadata_svg_and_error_values_are_scanned(tmp_path: Path) -> None:
    rng = random.Random(16)
    tokens = [random_token(rng, "gh" + "p_", 36) for _ in range(3)]
    cell = {
        "cell_type": "code",
        "metadata": {},
        "execution_count": 1,
        "source": ["run()\n"],
        "outputs": [
            {"output_type": "display_data", "metadata": {}, "data": {"image/svg+xml": [f"<svg>{tokens[0]}</svg>"]}},
            {"output_type": "error", "ename": "E", "evalue": f"bad {tokens[1]}", "traceback": []},
        ],
    }
    notebook = {"cells": [cell], "metadata": {"remote": {"auth": tokens[2]}}, "nbformat": 4, "nbformat_minor": 5}
    write_tree(tmp_path, {"nb/x.ipynb": json.dumps(notebook)})
    report = run_audit(tmp_path, select=("SEC001", "SEC002"))
    assert len([f for f in report.findings if f.rule in {"SEC001", "SEC002"}]) == 3


# ---------------------------------------------------------------- the battery (benchmarks/secrets_battery.py)


def test_battery_of_planted_values_and_decoys(tmp_path: Path) -> None:
    from benchmarks.secrets_battery import TOKENS, run_battery

    result = run_battery(tmp_path, seed=21)
    assert result.planted >= 100 and len(TOKENS) >= 25 and result.decoys >= 60
    assert len(result.missed_head) <= 0.05 * result.planted, result.missed_head
    assert len(result.missed_history) <= 0.05 * result.planted, result.missed_history
    assert len(result.flagged_decoys) <= 0.02 * result.decoys, result.flagged_decoys
    assert result.leaked_chars == 0


def test_plain_cli_output_has_no_raw_escape_sequences(tmp_path: Path) -> None:
    code = "import pickle\n\n\ndef load(path):\n    return pickle.load(open(path, 'rb'))\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", f"pkg/{HOSTILE_NAME}": code})
    result = subprocess.run(
        [sys.executable, "-m", "mlaudit", str(tmp_path), "--plain", "--offline"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "COLUMNS": "250", "NO_COLOR": "1"},
    )
    assert "pkg/evil" in result.stdout
    assert not any(c in result.stdout for c in "\x1b\x07\x9b\u202e")
    assert "\\x1b" in result.stdout


def test_code_view_shows_hostile_source_lines_visible_and_redacted(tmp_path: Path) -> None:
    from mlaudit.tui.source import code_context

    secret = random_password(random.Random(17), 18)
    code = (
        "import pickle\n"
        "BANNER = 'evil\x1b]0;pwned\x07 \u202eexe.txt'\n"
        "SETTINGS = {\n"
        '    "api_key":\n'
        f'        "{secret}",\n'
        "}\n"
        "\n"
        "def load(path):\n"
        f"    connect('svc', '{secret}')\n"
        "    return pickle.load(open(path, 'rb'))\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/loader.py": code})
    report = run_audit(tmp_path)
    finding = next(f for f in report.findings if f.path == "pkg/loader.py" and f.rule != "SEC001")
    shown = code_context(report, finding, radius=10).text
    assert not leaked(shown, [secret])
    assert not any(c in shown for c in "\x1b\x07\u202e") and "\\x1b]0;pwned" in shown


def test_key_only_compared_in_an_assert_is_found_and_not_quoted_by_other_rules(tmp_path: Path) -> None:
    key = random_password(random.Random(18), 20)
    api = (
        "from fastapi import FastAPI, Request\napp = FastAPI()\n\n\n"
        '@app.get("/x")\ndef x(request: Request) -> dict:\n'
        f'    assert request.headers.get("x-api-key") == "{key}"\n    return {{}}\n'
    )
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": api})
    report = run_audit(tmp_path)
    rules = {f.rule for f in report.findings if f.path == "svc/api.py"}
    assert {"SEC001", "SRV003"} <= rules
    for name, text in render_all(report).items():
        assert not leaked(text, [key]), name


def test_lock_files_are_scanned_for_index_passwords_but_their_hashes_are_not_secrets(tmp_path: Path) -> None:
    rng = random.Random(19)
    password = random_password(rng, 18).replace("#", "x").replace("%", "y")
    digest = "".join(rng.choice("0123456789abcdef") for _ in range(64))
    lock = (
        '[[package]]\nname = "numpy"\nversion = "2.1.0"\n'
        f'source = {{ registry = "https://ci:{password}@pypi.internal.example/simple" }}\n'
        f'sdist = {{ url = "https://files.pythonhosted.org/numpy.tar.gz", hash = "sha256:{digest}" }}\n'
    )
    clean = f'[[package]]\nname = "torch"\nwheels = [{{ hash = "sha256:{digest}" }}]\n'
    write_tree(tmp_path, {"uv.lock": lock, "sub/uv.lock": clean, "pkg/__init__.py": ""})
    found = {(f.path, f.line) for f in run_audit(tmp_path, select=("SEC001",)).findings}
    assert found == {("uv.lock", 4)}


def test_a_file_that_breaks_the_scanner_is_listed_not_fatal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mlaudit.secrets import scan_text as real

    def fragile(text: str, **kwargs: object) -> Iterator[tuple[int, object]]:
        if "BOOM" in text:
            raise RecursionError("hostile nesting")
        return real(text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("mlaudit.secret_sweep.scan_text", fragile)
    token = random_token(random.Random(20), "gh" + "p_", 36)
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "BOOM = 1\n", "pkg/b.py": f'T = "{token}"\n'})
    report = run_audit(tmp_path, select=("SEC001",))
    assert [f.path for f in report.findings if f.rule == "SEC001"] == ["pkg/b.py"]
    [missing] = [n for n in report.not_checked if n.check.startswith("secrets in")]
    assert "pkg/a.py (secret scan failed (RecursionError)" in missing.reason


def test_a_nul_byte_does_not_hide_a_text_file_from_the_secret_scan(tmp_path: Path) -> None:
    token = random_token(random.Random(22), "hf" + "_", 34, string.ascii_letters)
    write_tree(tmp_path, {"pkg/__init__.py": "", ".env": f"\0\nHF_TOKEN={token}\n".encode(), "d/x.parquet": b"PAR1\0"})
    found = [(f.path, f.line) for f in run_audit(tmp_path, select=("SEC001",)).findings]
    assert found == [(".env", 2)]


def test_private_key_header_alone_counts_only_when_the_next_line_is_unknown() -> None:
    from mlaudit.secrets import scan_line, scan_text

    header = "-----BEGIN RSA PRIVATE KEY-----"
    docs = f'"""Expected input:\n\n{header}\n\n(base64 body)\n"""\n'
    assert list(scan_text(docs)) == []
    assert [m.kind for m in scan_line(header)] == ["private key block"]  # a diff line, next line unknown
    assert scan_line(f'if text.startswith("{header}"):') == []


def test_buildkit_secret_references_and_quoted_examples_are_not_passwords() -> None:
    from mlaudit.secrets import _cli_matches

    assert list(_cli_matches("docker build --secret id=aws,src=$HOME/.aws/credentials .")) == []
    assert list(_cli_matches("Yield passwords on command lines: `curl -u user:pw`, `mysql -ppw`.")) == []
    assert [m.value for m in _cli_matches("mysql -u root -pXk29fLq81 shop")] == ["Xk29fLq81"]
    assert [m.value for m in _cli_matches("docker build --secret Zq8vR2mT4xW7 .")] == ["Zq8vR2mT4xW7"]
