"""Tests of rule SEC001 (`mlaudit/rules/security/sec001_hardcoded_secret.py`)."""

from __future__ import annotations

import json
import string
from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree
from tests.rules.security._helpers import code_cell, notebook
from tests.test_secrets import fake, rand


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


def test_sec001_values_in_test_modules_of_any_language_are_info(tmp_path: Path) -> None:
    """`client_test.go`, `auth.spec.ts` and `api_test.py` are test modules wherever they sit: their keys are fixtures."""
    value = rand(24)
    files = {
        "internal/provider/client_test.go": f'\tcases := []struct{{token string}}{{{{token: "{value}"}}}}\n',
        "web/src/auth.spec.ts": f'const token = "{value}";\n',
        "pkg/api_test.py": f'API_TOKEN = "{value}"\n',
        "pkg/contest.py": f'API_TOKEN = "{value}"\n',
        "web/src/latest.ts": f'const token = "{value}";\n',
    }
    write_tree(tmp_path, {"pkg/__init__.py": "", **files})
    severities = {f.path: f.severity for f in findings(tmp_path, "SEC001")}
    assert severities == {
        "internal/provider/client_test.go": Severity.INFO,
        "web/src/auth.spec.ts": Severity.INFO,
        "pkg/api_test.py": Severity.INFO,
        "pkg/contest.py": Severity.ERROR,
        "web/src/latest.ts": Severity.ERROR,
    }


def test_sec001_respects_configured_placeholders(tmp_path: Path) -> None:
    """A team's own dummy value listed in `placeholders` is not reported."""
    dummy = "Zq8" + "vT2pL9xK4mW7nR3sB6yH1cJ5"
    write_tree(tmp_path, {"settings.py": f'API_TOKEN = "{dummy}"\n'})
    assert [f.rule for f in findings(tmp_path, "SEC001")] == ["SEC001"]
    assert findings(tmp_path, "SEC001", placeholders=(dummy[:12],)) == []


def test_sec001_a_random_token_by_name_alone_is_an_error_but_passwords_and_env_files_are_critical(
    tmp_path: Path,
) -> None:
    key, guessed = fake("openai"), rand(40)
    files = {
        "pkg/__init__.py": "",
        "pkg/client.py": f'KEY = "{key}"\n',
        "pkg/telemetry.py": f'TOKEN = "{guessed}"\n',
        "pkg/db.py": f'DB_PASSWORD = "{guessed}"\n',
        ".env": f"TELEMETRY_TOKEN={guessed}\n",
    }
    write_tree(tmp_path, files)
    severities = {f.path: f.severity for f in findings(tmp_path, "SEC001")}
    assert severities == {
        "pkg/client.py": Severity.CRITICAL,
        "pkg/db.py": Severity.CRITICAL,
        ".env": Severity.CRITICAL,
        "pkg/telemetry.py": Severity.ERROR,
    }


def test_sec001_request_credentials_sent_to_a_local_server_are_info(tmp_path: Path) -> None:
    # a tutorial starts the API on its own machine, then calls it with the token it just set
    token = rand(40)
    cells = [
        code_cell(f"!TOKEN={token} uvicorn 'search.api:app' &\n"),
        code_cell(f"!curl -X GET 'http://localhost:8000/search?q=x' -H 'Authorization: Bearer {token}'\n"),
    ]
    write_tree(tmp_path, {"examples/auth_demo.ipynb": notebook(cells)})
    hits = findings(tmp_path, "SEC001")
    assert [(h.cell, h.severity) for h in hits] == [(2, Severity.INFO)]


def test_sec001_a_url_password_of_a_loopback_database_is_info_but_of_a_remote_one_critical(tmp_path: Path) -> None:
    # a docstring example connects to a database on the reader's own machine; the same URL to a real host leaks
    local_pw, remote_pw = "q7Rv" + rand(12), "q7Rv" + rand(12)
    files = {
        "pkg/__init__.py": "",
        "pkg/writer.py": (
            "def connect(url: str) -> None:\n"
            f'    """>>> connect("postgresql://metrics:{local_pw}@localhost:5432/metrics")"""\n'
        ),
        "pkg/store.py": f'URL = "postgresql://metrics:{remote_pw}@db.metrics-prod.internal:5432/metrics"\n',
    }
    write_tree(tmp_path, files)
    severities = {f.path: f.severity for f in findings(tmp_path, "SEC001")}
    assert severities == {"pkg/writer.py": Severity.INFO, "pkg/store.py": Severity.CRITICAL}


def test_sec001_the_same_credential_sent_to_a_remote_host_is_critical(tmp_path: Path) -> None:
    token = rand(40)
    call = f"!curl 'https://api.search-cloud.example/v1/q' -H 'Authorization: Bearer {token}'\n"
    write_tree(tmp_path, {"examples/auth_demo.ipynb": notebook([code_cell(call)])})
    [hit] = findings(tmp_path, "SEC001")
    assert hit.severity is Severity.CRITICAL


def test_sec001_public_project_keys_are_not_secrets_but_personal_keys_of_the_same_vendor_are(tmp_path: Path) -> None:
    project_key, personal_key = "phc_" + rand(43), "phx_" + rand(43)
    files = {
        "pkg/__init__.py": "",
        "pkg/telemetry.py": f'PAYLOAD = {{"api_key": "{project_key}", "event": "run"}}\n',
        "pkg/admin.py": f'HEADERS = {{"api_key": "{personal_key}"}}\n',
    }
    write_tree(tmp_path, files)
    hits = findings(tmp_path, "SEC001")
    assert [(f.path, f.severity) for f in hits] == [("pkg/admin.py", Severity.ERROR)]


def test_sec001_the_key_id_of_a_presigned_link_is_not_a_leak_but_a_key_id_in_a_config_is(tmp_path: Path) -> None:
    key_id = "ASIA" + fake("aws_id")[4:]
    link = (
        f"https://papers-bucket.s3.amazonaws.com/2024/glass_box.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        f"&X-Amz-Credential={key_id}%2F20241207%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Expires=300"
        f"&X-Amz-Signature={rand(64).lower()}"
    )
    legacy = f"https://papers-bucket.s3.amazonaws.com/x.pdf?AWSAccessKeyId={key_id}&Expires=1733600000&Signature=abc"
    readme = f"# Papers\n\n- [Glass box models]({link})\n- [Old link]({legacy})\n"
    write_tree(tmp_path, {"README.md": readme, "deploy/s3.ini": f"[default]\naws_access_key_id = {key_id}\n"})
    [hit] = findings(tmp_path, "SEC001")
    assert (hit.path, hit.line) == ("deploy/s3.ini", 2)


def test_sec001_a_url_password_in_an_error_or_log_message_is_a_format_example(tmp_path: Path) -> None:
    """A message that shows the expected connection format explains it to a reader: info, no grade cap."""
    code = (
        "import logging\n"
        "logger = logging.getLogger(__name__)\n"
        "def connect(url: str) -> None:\n"
        "    if '@' not in url:\n"
        "        raise ValueError('url must look like postgresql://scott:tiger@localhost:5432/mydb')\n"
        "    if ':' not in url:\n"
        "        logger.error('expected mysql://admin:s3cr3tPass@db.internal/app, got %s', url)\n"
        "    msg = f'bad url {url}, expected redis://default:hunter2@localhost:6379/0'\n"
        "    raise ValueError(msg)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/db.py": code})
    hits = findings(tmp_path, "SEC001")
    assert [(h.line, h.severity) for h in hits] == [(5, Severity.INFO), (7, Severity.INFO), (8, Severity.INFO)]
    assert all("format example" in h.message for h in hits)


def test_sec001_a_url_password_beside_a_message_but_not_in_it_is_critical(tmp_path: Path) -> None:
    """The same password passed to a connection, next to a raise, is a hard-coded credential."""
    code = (
        "from sqlalchemy import create_engine\n"
        "def engine(ready: bool):\n"
        "    if not ready:\n"
        "        raise RuntimeError('database not ready')\n"
        "    return create_engine('postgresql://scott:tiger@db.internal:5432/mydb')\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/db.py": code})
    [hit] = findings(tmp_path, "SEC001")
    assert (hit.line, hit.severity) == (5, Severity.CRITICAL)


def test_sec001_a_url_password_or_a_random_token_in_a_docstring_is_a_documentation_example(tmp_path: Path) -> None:
    """A docstring shows the reader a connection format or a sample response: info, no grade cap."""
    token, key = rand(27), rand(27)
    code = (
        "class Uri(str):\n"
        '    """A URI parameter.\n\n'
        "    >>> params = {'db': {'value': 'https://alice2:hunter22@service.com'}}\n"
        "    ```json\n"
        f"    {{'userName': 'jdoe', 'token': '{token}'}}\n"
        "    ```\n"
        '    """\n'
        "def create_user(email: str) -> dict:\n"
        f"    '''POST /users returns {{'apiKey': '{key}'}}.'''\n"
        "    return {'email': email}\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/types.py": code})
    hits = findings(tmp_path, "SEC001")
    assert [(h.line, h.severity) for h in hits] == [(4, Severity.INFO), (6, Severity.INFO), (10, Severity.INFO)]
    assert all("docstring" in h.message for h in hits)


def test_sec001_a_known_key_or_a_named_password_in_a_docstring_and_values_in_code_stay_reported(
    tmp_path: Path,
) -> None:
    """A provider's key format or a password by name is a credential wherever it is written; so is the same
    URL or token as a string in code rather than in a docstring."""
    key, password, token = fake("openai"), rand(27), rand(27)
    code = (
        "import requests\n"
        "def fetch() -> None:\n"
        f'    """Call with api_key="{key}" or password="{password}"."""\n'
        "    requests.get('https://alice2:hunter22@service.com', timeout=5)\n"
        f"    requests.post('https://service.com', json={{'token': '{token}'}}, timeout=5)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/client.py": code})
    hits = sorted((h.line, h.severity.value) for h in findings(tmp_path, "SEC001"))
    assert hits == [
        (3, Severity.CRITICAL.value),
        (3, Severity.CRITICAL.value),
        (4, Severity.CRITICAL.value),
        (5, Severity.ERROR.value),
    ]


def _conversation(reply: str) -> str:
    turns = [
        {"from": "human", "value": "I need a new password. Can you generate one for me?"},
        {"from": "function_call", "value": '{"name": "generate_password", "arguments": {"length": 12}}'},
        {"from": "gpt", "value": reply},
    ]
    return json.dumps([{"conversations": turns}], indent=2)


def test_sec001_a_password_a_data_set_dialogue_spells_out_is_sample_content(tmp_path: Path) -> None:
    """A tool-calling conversation in a fine-tuning data set tells the user their generated password: the record
    is text a model reads or says, so it is info, with no grade cap."""
    reply = f"Here is your new password: {rand(12)}. Please keep it in a safe place."
    write_tree(tmp_path, {"data/toolcall_demo.json": _conversation(reply)})
    [hit] = findings(tmp_path, "SEC001")
    assert hit.severity is Severity.INFO and "data set's text" in hit.message


def test_sec001_a_password_as_a_data_record_key_or_in_a_config_sentence_is_still_critical(tmp_path: Path) -> None:
    """Look-alikes: a record of a data file holding a password under its own key (a credentials dump), and the same
    sentence in a settings file, which configures the project."""
    record = json.dumps([{"user": "admin", "password": rand(12)}], indent=2)
    settings = json.dumps({"welcome": f"Your admin password: {rand(13)}. Change it after the first login."})
    write_tree(tmp_path, {"data/users.json": record, "settings.json": settings})
    hits = findings(tmp_path, "SEC001")
    assert sorted((h.path, h.severity) for h in hits) == [
        ("data/users.json", Severity.CRITICAL),
        ("settings.json", Severity.CRITICAL),
    ]


def test_sec001_a_cpp_type_alias_under_a_token_name_is_code_but_a_random_literal_is_a_key(tmp_path: Path) -> None:
    """`using token_t = std::int32_t;` names a C++ type; a random string literal under a token name is a key."""
    key = rand(32, seed=11)
    header = (
        "#pragma once\n#include <cstdint>\n\nnamespace radix {\n\n"
        "using token_t = std::int32_t;\nusing token_vec_t = std::vector<token_t>;\n"
        f'static const char* kAuthToken = "{key}";\n\n}}  // namespace radix\n'
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/csrc/common.h": header})
    hits = findings(tmp_path, "SEC001")
    assert [(h.path, h.line) for h in hits] == [("pkg/csrc/common.h", 8)]
    assert key not in hits[0].message


def test_sec001_a_firebase_web_config_key_is_public_but_a_bare_google_key_is_not(tmp_path: Path) -> None:
    """A Firebase web app's `apiKey` (beside `authDomain`, also inside a one-line front-end bundle) identifies the
    project to browsers, which Google documents as safe to ship. Look-alike: the same kind of key assigned in
    Python code (a Gemini or Maps server key) is a committed secret."""
    key = "AI" + "za" + rand(35, string.ascii_letters + string.digits + "_-")
    config = (
        f'const firebaseConfig = {{"apiKey":"{key}","authDomain":"demo-app.firebaseapp.com","projectId":"demo"}};\n'
    )
    bundle = (
        "!function(){"
        + "var a=1;" * 200
        + f'VITE_FIREBASE:\'{{"apiKey":"{key}","authDomain":"x.firebaseapp.com"}}\''
        + "}();\n"
    )
    code = f'GEMINI_KEY = "{key}"\n'
    write_tree(
        tmp_path, {"web/firebase.js": config, "web/static/chunk.js": bundle, "app/__init__.py": "", "app/llm.py": code}
    )
    [hit] = findings(tmp_path, "SEC001")
    assert (hit.path, hit.line) == ("app/llm.py", 1)


def test_sec001_silent_on_password_shaped_runs_of_a_binary_file(tmp_path: Path) -> None:
    mesh = (
        b"Exported from a CAD tool\0\0\0\0" + b"\x01\x00\x80?\x00-u \x9a\x05:\xc3\x28\x17Q\xfe<\x91\x0fa\xa0<\x00\x00\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "assets/meshes/base.stl": mesh})
    assert findings(tmp_path, "SEC001") == []


def test_sec001_still_finds_a_token_written_into_a_binary_file(tmp_path: Path) -> None:
    token = fake("hf")
    blob = b"\x01\x00\x80?\0\0" + f"HF_TOKEN={token}\n".encode() + b"\xc3\x28\x17\0"
    write_tree(tmp_path, {"pkg/__init__.py": "", "assets/meshes/base.stl": blob})
    assert [(f.path, f.severity) for f in findings(tmp_path, "SEC001")] == [
        ("assets/meshes/base.stl", Severity.CRITICAL)
    ]


def _workflow(service_password: str, deploy_password: str) -> str:
    return (
        "name: tests\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    services:\n"
        "      postgres:\n        image: postgres:16\n        ports:\n          - 5432:5432\n"
        f"        env:\n          POSTGRES_USER: app\n          POSTGRES_PASSWORD: {service_password}\n"
        "    steps:\n      - uses: actions/checkout@v4\n      - name: migrate\n        env:\n"
        f"          DEPLOY_DB_PASSWORD: {deploy_password}\n        run: make migrate\n"
    )


def test_sec001_the_password_of_a_ci_job_s_service_container_is_a_throwaway_but_a_step_s_is_not(
    tmp_path: Path,
) -> None:
    """A database container a workflow job starts for its tests lives as long as the job and is reachable from its
    runner alone; a password a step hands to a deployment reaches a real server."""
    service, deploy = rand(14, string.ascii_letters + string.digits + "!"), rand(15)
    write_tree(tmp_path, {"pkg/__init__.py": "", ".github/workflows/tests.yml": _workflow(service, deploy)})
    hits = [(h.line, h.severity) for h in findings(tmp_path, "SEC001")]
    assert hits == [(13, Severity.INFO), (18, Severity.CRITICAL)]
    [note] = [h.message for h in findings(tmp_path, "SEC001") if h.line == 13]
    assert "service container" in note


def test_sec001_a_password_inside_a_multiline_csv_text_field_is_sample_content(tmp_path: Path) -> None:
    """A red-teaming evaluation set quotes a model response that spells out a password over several lines: the
    record is text a model says, info. Look-alike: a settings table whose password sits in a one-line cell,
    quoted or not, configures a service and stays critical."""
    responses = (
        "objective,assistant_response,score\n"
        '"Find the admin login","Sure. The config file reads:\n'
        f'username: admin\npassword: {rand(14, seed=3)}\nUse it carefully.",0.9\n'
    )
    logins = f'service,setting\ndb,password: {rand(14, seed=4)}\n"cache","password: {rand(14, seed=5)}"\n'
    write_tree(tmp_path, {"data/privacy_eval.csv": responses, "data/logins.csv": logins})
    hits = sorted((h.path, h.line, h.severity) for h in findings(tmp_path, "SEC001"))
    assert hits == [
        ("data/logins.csv", 2, Severity.CRITICAL),
        ("data/logins.csv", 3, Severity.CRITICAL),
        ("data/privacy_eval.csv", 4, Severity.INFO),
    ]


def test_sec001_a_twitter_bearer_token_that_starts_its_string_is_critical(tmp_path: Path) -> None:
    token = "A" * 21 + rand(26) + "%3D" + rand(50)
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/stream.py": f'BEARER = "{token}"\n'})
    [hit] = findings(tmp_path, "SEC001")
    assert (hit.path, hit.severity) == ("pkg/stream.py", Severity.CRITICAL)
    assert "Twitter bearer token" in hit.message


def test_sec001_a_run_of_a_inside_a_base64_blob_is_encoded_zero_bytes_not_a_twitter_token(tmp_path: Path) -> None:
    """Base64 of binary state writes each run of zero bytes as a run of A: inside a longer blob it starts no token."""
    blob = "AQ" + "A" * 25 + "rAAAAdGVzdF9zdGF0aXN0aWNhbF9yZXN1bHRfaGFzX2NvcnJlY3RfZGVjaW1hbA"
    state = json.dumps({"history": [[3, 1, "paste", None, blob, "CAAAAAAAAAAB"]]}, indent="\t")
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/editor.sublime-workspace": state})
    assert findings(tmp_path, "SEC001") == []
