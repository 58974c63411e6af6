"""Tests of the security capabilities: no secrets, safe loading, no dynamic code, .gitignore, tooling, env, checksums."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlaudit.discover import SourceFile
from mlaudit.model import FileKind
from mlaudit.project import PythonFile
from tests.capabilities.util import assess, earned_points
from tests.helpers import git_init, write_tree

SAFE = """import hashlib
import os

import torch
import yaml
from safetensors.torch import load_file

API_TOKEN = os.environ["CHURN_API_TOKEN"]


def load(path, expected):
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    if digest != expected:
        raise ValueError("checksum mismatch")
    state = torch.load(path, weights_only=True)
    return state, load_file(path + ".safetensors"), yaml.safe_load(open("cfg.yaml"))
"""
UNSAFE = """import pickle
import subprocess

import torch


def load(path, name):
    model = torch.load(path)
    subprocess.run(f"tar xf {name}", shell=True)
    return model, pickle.load(open("index.pkl", "rb"))
"""
GITIGNORE = ".env\n*.pt\ndata/\n__pycache__/\n"
FAKE_KEY = "AKIA" + "Q3EGRK7XBL6N2W5Z"


def test_clean_tree_has_no_secrets(tmp_path: Path) -> None:
    result = assess(tmp_path, "security", "no_secrets_at_head", {"churn/io.py": SAFE})
    assert result.share == 1
    assert "found no credential" in result.evidence


def test_hardcoded_key_is_found_and_not_printed(tmp_path: Path) -> None:
    code = f'AWS_ACCESS_KEY_ID = "{FAKE_KEY}"\n'
    result = assess(tmp_path, "security", "no_secrets_at_head", {"churn/aws.py": code})
    assert result.share == 0
    assert "churn/aws.py:1" in result.evidence
    assert FAKE_KEY not in result.evidence


def test_safe_loads_earn(tmp_path: Path) -> None:
    result = assess(tmp_path, "security", "safe_loading", {"churn/io.py": SAFE})
    assert result.share == 1


def test_pickle_and_plain_torch_load_are_unsafe(tmp_path: Path) -> None:
    result = assess(tmp_path, "security", "safe_loading", {"churn/io.py": UNSAFE})
    assert result.share == 0
    assert "torch.load at churn/io.py:8" in result.evidence


TORCH_LOADS = """import torch


def load_weights(path):
    return torch.load(path, map_location="cpu")


def resume(path):
    return torch.load(path, weights_only=False)
"""


def test_a_plain_torch_load_is_safe_where_every_declared_torch_is_2_6_or_newer(tmp_path: Path) -> None:
    # torch 2.6 made weights_only=True the default: only an explicit weights_only=False still unpickles
    files = {"churn/ckpt.py": TORCH_LOADS, "requirements.txt": "torch>=2.6\n"}
    result = assess(tmp_path, "security", "safe_loading", files)
    assert result.evidence.startswith("1 of 2 loads are safe")
    older = {"churn/ckpt.py": TORCH_LOADS, "requirements.txt": "torch>=2.1\n"}
    assert assess(tmp_path / "b", "security", "safe_loading", older).share == 0


BROADCAST = """import io

import torch


def broadcast_state(state, rank, comm):
    buffer = io.BytesIO()
    if rank == 0:
        torch.save(state, buffer)
    data = comm.broadcast(buffer.getvalue())
    return torch.load(io.BytesIO(data))


def load_state(path):
    return torch.load(io.BytesIO(open(path, "rb").read()), weights_only=True)


def load_shared(path):
    return torch.load(io.BytesIO(open(path, "rb").read()))
"""


def test_a_buffer_the_function_saves_itself_is_no_load_of_a_file(tmp_path: Path) -> None:
    result = assess(tmp_path, "security", "safe_loading", {"churn/dist.py": BROADCAST})
    assert "1 of 2 loads are safe" in result.evidence
    assert "unsafe: torch.load at churn/dist.py:19" in result.evidence


def test_no_dynamic_code(tmp_path: Path) -> None:
    assert assess(tmp_path, "security", "no_dynamic_code", {"churn/io.py": SAFE}).share == 1


def test_interpolated_shell_command_is_dynamic_code(tmp_path: Path) -> None:
    result = assess(tmp_path, "security", "no_dynamic_code", {"churn/io.py": UNSAFE})
    assert result.share == 0
    assert "churn/io.py:9" in result.evidence


def test_a_shell_command_built_only_from_fixed_values_is_not_dynamic_code(tmp_path: Path) -> None:
    fixed = 'import os\n\nPAGER = "less"\n\n\ndef probe():\n    return os.system(f"({PAGER}) 2>{os.devnull}")\n'
    assert assess(tmp_path, "security", "no_dynamic_code", {"churn/pager.py": fixed}).share == 1
    taken = fixed.replace("def probe():", "def probe(PAGER):")
    assert assess(tmp_path / "b", "security", "no_dynamic_code", {"churn/pager.py": taken}).share == 0


def test_a_pickle_loader_named_in_a_table_is_an_unsafe_load(tmp_path: Path) -> None:
    code = 'import json\nimport pickle\n\nREADERS = {".json": json.load, ".pkl": pickle.load}\n'
    result = assess(tmp_path, "security", "safe_loading", {"churn/files.py": code})
    assert result.share == 0 and "pickle.load named as a loader at churn/files.py:4" in result.evidence
    writers = code.replace("json.load", "json.dump").replace("pickle.load", "pickle.dump")
    assert assess(tmp_path / "b", "security", "safe_loading", {"churn/files.py": writers}).share == 1


def test_unpickling_bytes_the_code_pickled_itself_is_no_file_load(tmp_path: Path) -> None:
    code = (
        "import base64\nimport pickle\n\n\n"
        "def can_pickle(value):\n"
        "    return pickle.loads(base64.b64decode(base64.b64encode(pickle.dumps(value))))\n\n\n"
        "def to_rows(items):\n"
        "    return [[pickle.dumps(item)] for item in items]\n\n\n"
        "def from_rows(rows):\n"
        "    return [pickle.loads(row[0]) for row in rows]\n"
    )
    assert assess(tmp_path, "security", "safe_loading", {"churn/rows.py": code}).evidence == (
        "no pickle-based, torch or YAML loads anywhere in the code"
    )
    with_file = code + "\n\ndef restore(path):\n    with open(path, 'rb') as f:\n        return pickle.load(f)\n"
    result = assess(tmp_path / "b", "security", "safe_loading", {"churn/rows.py": with_file})
    assert result.share == 0 and result.evidence == "0 of 1 loads are safe; unsafe: pickle.load at churn/rows.py:19"


def test_a_load_of_a_file_the_project_saves_under_a_joined_path_counts_half(tmp_path: Path) -> None:
    code = (
        "import os\nimport pickle\n\n\n"
        "def save(model, folder):\n"
        "    path = os.path.join(folder, 'model.pkl')\n"
        "    with open(path, 'wb') as out:\n"
        "        pickle.dump(model, out)\n\n\n"
        "def load(folder):\n"
        "    path = os.path.join(folder, 'model.pkl')\n"
        "    return pickle.load(open(path, 'rb'))\n"
    )
    result = assess(tmp_path, "security", "safe_loading", {"churn/store.py": code})
    assert result.share == 0.5 and "1 unpickle files the project saves itself" in result.evidence
    # a file the project never writes (weights handed over by someone else) is an unsafe load
    other = code.replace("folder, 'model.pkl')\n    return", "folder, 'weights.pkl')\n    return")
    assert assess(tmp_path / "b", "security", "safe_loading", {"churn/store.py": other}).share == 0
    remote = (
        "import cloudpickle\nimport fsspec\n\n\n"
        "def save(models, path):\n"
        "    with fsspec.open(f'{path}/models.pkl', 'wb') as f:\n"
        "        cloudpickle.dump(models, f)\n\n\n"
        "def load(path):\n"
        "    with fsspec.open(f'{path}/models.pkl', 'rb') as f:\n"
        "        return cloudpickle.load(f)\n"
    )
    assert assess(tmp_path / "c", "security", "safe_loading", {"churn/store.py": remote}).share == 0.5


COOKIES = """import pickle


class Browser:
    def __init__(self, driver, cookie_file):
        self.driver, self.cookie_file, self.shared_file = driver, cookie_file, cookie_file

    def save_cookies(self):
        pickle.dump(self.driver.get_cookies(), open(self.cookie_file, "wb"))

    def load_cookies(self):
        for cookie in pickle.load(open(self.{loaded}, "rb")):
            self.driver.add_cookie(cookie)
"""


def test_a_file_a_class_writes_and_reads_back_through_one_attribute_counts_half(tmp_path: Path) -> None:
    own = COOKIES.replace("{loaded}", "cookie_file")
    result = assess(tmp_path, "security", "safe_loading", {"churn/browser.py": own})
    assert result.share == 0.5 and "1 unpickle files the project saves itself" in result.evidence
    # a path kept in another attribute may be any file handed in: an unsafe load
    other = COOKIES.replace("{loaded}", "shared_file")
    assert assess(tmp_path / "b", "security", "safe_loading", {"churn/browser.py": other}).share == 0


def test_a_yaml_load_is_judged_safe_as_sec010_judges_it(tmp_path: Path) -> None:
    code = (
        "import yaml\n\n\ndef make_loader():\n    loader = yaml.SafeLoader\n"
        "    loader.add_constructor('!path', lambda node: node)\n    return loader\n\n\n"
        "def read(path):\n    with open(path) as handle:\n        return yaml.load(handle, Loader=make_loader())\n"
    )
    assert assess(tmp_path, "security", "safe_loading", {"churn/cfg.py": code}).share == 1
    full = code.replace("yaml.SafeLoader", "yaml.FullLoader")
    assert assess(tmp_path / "b", "security", "safe_loading", {"churn/cfg.py": full}).share == 0


def test_model_eval_method_is_not_eval(tmp_path: Path) -> None:
    code = "def infer(model, x):\n    model.eval()\n    return model(x)\n"
    assert assess(tmp_path, "security", "no_dynamic_code", {"churn/infer.py": code}).share == 1


def test_gitignore_covering_env_and_artifacts(tmp_path: Path) -> None:
    write_tree(tmp_path, {"churn/io.py": SAFE, ".gitignore": GITIGNORE})
    git_init(tmp_path)
    result = assess(tmp_path, "security", "gitignore_guards")
    assert result.share == 1
    assert ".gitignore:2" in result.evidence


def test_gitignore_without_env_or_artifacts(tmp_path: Path) -> None:
    write_tree(tmp_path, {"churn/io.py": SAFE, ".gitignore": "__pycache__/\n*.pyc\n"})
    git_init(tmp_path)
    assert assess(tmp_path, "security", "gitignore_guards").share == 0


def test_dependabot_is_security_tooling(tmp_path: Path) -> None:
    bot = "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n"
    assert (
        assess(tmp_path, "security", "security_tooling", {"churn/io.py": SAFE, ".github/dependabot.yml": bot}).share
        == 1
    )


def test_tests_only_ci_is_not_security_tooling(tmp_path: Path) -> None:
    ci = "jobs:\n  test:\n    steps:\n      - run: pytest\n"
    assert (
        assess(tmp_path, "security", "security_tooling", {"churn/io.py": SAFE, ".github/workflows/ci.yml": ci}).share
        == 0
    )


def test_token_from_environment(tmp_path: Path) -> None:
    result = assess(tmp_path, "security", "secrets_from_env", {"churn/io.py": SAFE})
    assert result.share == 1
    assert "CHURN_API_TOKEN" in result.evidence


def test_launcher_variables_are_not_secrets(tmp_path: Path) -> None:
    code = (
        "import os\n\nRANK = int(os.environ.get('LOCAL_RANK', 0))\n\n\n"
        "def connect(client, password):\n    return client.login(password=password)\n"
    )
    assert assess(tmp_path, "security", "secrets_from_env", {"churn/dist.py": code}).share == 0


def test_code_without_credentials_has_nothing_to_keep_out(tmp_path: Path) -> None:
    code = "import os\n\nRANK = int(os.environ.get('LOCAL_RANK', 0))\n"
    result = assess(tmp_path, "security", "secrets_from_env", {"churn/dist.py": code})
    assert result.share == 1 and "no credentials" in result.evidence


def test_credentials_named_only_in_docstrings_are_documentation_but_one_in_code_is_used(tmp_path: Path) -> None:
    documented = (
        '"""Forest damage dataset (larch-casebearer outbreak imagery)."""\n\n\n'
        "def push_to_hub(repo, token):\n"
        '    """Push weights.\n\n    >>> token = "my-secret-token"\n    >>> push_to_hub("me/net", token)\n    """\n'
        "    return repo.upload(token)\n"
    )
    result = assess(tmp_path / "a", "security", "secrets_from_env", {"geo/hub.py": documented})
    assert result.share == 1 and "no credentials" in result.evidence
    used = documented + "\n\ndef login(client):\n    return client.login(api_key=client.saved)\n"
    assert assess(tmp_path / "b", "security", "secrets_from_env", {"geo/hub.py": used}).share == 0


CORS_SERVICE = """from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)


def channel(target):
    import grpc

    return grpc.secure_channel(target, grpc.ssl_channel_credentials())
"""


def test_a_cors_switch_or_a_grpc_credential_object_is_no_credential(tmp_path: Path) -> None:
    """CORS's `allow_credentials` and gRPC's TLS credentials name no secret: nothing to keep out of the code; a
    bearer token the service sends still is one."""
    result = assess(tmp_path, "security", "secrets_from_env", {"svc/api.py": CORS_SERVICE})
    assert result.share == 1 and "no credentials" in result.evidence
    sends = CORS_SERVICE + '\n\ndef headers(token):\n    return {"Authorization": "Bearer " + token}\n'
    assert assess(tmp_path / "b", "security", "secrets_from_env", {"svc/api.py": sends}).share == 0


def test_checksum_verifies_downloads(tmp_path: Path) -> None:
    assert assess(tmp_path, "security", "verified_downloads", {"churn/io.py": SAFE}).share == 1
    fetch = UNSAFE + '\n\ndef fetch(url):\n    torch.hub.download_url_to_file(url, "weights.pt")\n'
    result = assess(tmp_path / "b", "security", "verified_downloads", {"churn/io.py": fetch, "churn/m.py": UNSAFE})
    assert result.share == 0 and result.evidence.endswith("(downloads in churn/io.py)")


VERIFIERS = {
    "inline": "if hashlib.sha256(data).hexdigest() != expected:\n        raise ValueError(url)",
    "helper": "assert sha256sum(data) == expected",
}
FETCH = """import hashlib
import urllib.request


def sha256sum(data):
    return hashlib.sha256(data).hexdigest()


def fetch(url, expected):
    data = urllib.request.urlopen(url).read()
    {check}
    return data
"""


@pytest.mark.parametrize("check", VERIFIERS.values(), ids=VERIFIERS.keys())
def test_a_digest_compared_with_an_expected_value_verifies(tmp_path: Path, check: str) -> None:
    code = FETCH.format(check=check)
    assert assess(tmp_path, "security", "verified_downloads", {"churn/io.py": code}).share == 1
    assert assess(tmp_path / "r", "reproducibility", "data_versioned", {"churn/io.py": code}).share == 1


def test_a_digest_of_the_codes_own_metadata_verifies_no_download(tmp_path: Path) -> None:
    check = "import json\n    if hashlib.sha256(json.dumps({'url': url}).encode()).hexdigest() != expected:\n        raise ValueError(url)"
    code = FETCH.format(check=check)
    assert assess(tmp_path, "security", "verified_downloads", {"churn/io.py": code}).share == 0


def test_a_digest_only_printed_verifies_nothing(tmp_path: Path) -> None:
    code = FETCH.format(check='print("sha256", hashlib.sha256(data).hexdigest())')
    assert assess(tmp_path, "security", "verified_downloads", {"churn/io.py": code}).share == 0
    saved = (
        "import hashlib\n\n\ndef train_and_save(model, X, y, path):\n    model.fit(X, y)\n"
        "    digest = hashlib.sha256(open(path, 'rb').read()).hexdigest()\n    print(digest)\n"
    )
    assert assess(tmp_path / "r", "reproducibility", "data_versioned", {"churn/avg.py": saved}).share == 0


SESSION = """import hashlib
import time
import urllib.request


class Researcher:
    def __init__(self, query, mode, expected=None):
        self.query, self.mode, self.expected, self.run_id = query, mode, expected, ""

    def session_id(self):
        if not self.run_id:
            self.run_id = hashlib.md5(f"{self.query}_{time.time()}".encode()).hexdigest()[:12]
        return self.run_id

    def fetch(self, url):
        data = urllib.request.urlopen(url).read()
        {check}
        return data
"""


def test_a_digest_kept_as_an_id_on_self_verifies_nothing_though_self_is_compared(tmp_path: Path) -> None:
    code = SESSION.replace("{check}", 'if self.mode == "strict":\n            raise ValueError(url)')
    assert assess(tmp_path, "security", "verified_downloads", {"churn/io.py": code}).share == 0
    assert (
        "checksum (" not in assess(tmp_path / "r", "reproducibility", "data_versioned", {"churn/io.py": code}).evidence
    )


def test_a_digest_of_the_download_compared_with_an_expected_attribute_verifies(tmp_path: Path) -> None:
    check = "actual, _ = hashlib.sha256(data).hexdigest(), url\n        if actual != self.expected:\n            raise ValueError(url)"
    code = SESSION.replace("{check}", check)
    assert assess(tmp_path, "security", "verified_downloads", {"churn/io.py": code}).share == 1


def test_code_that_downloads_nothing_has_nothing_to_verify(tmp_path: Path) -> None:
    result = assess(tmp_path, "security", "verified_downloads", {"churn/io.py": UNSAFE})
    assert result.share == 1 and "nothing to verify" in result.evidence


def test_unsafe_repository_with_a_secret_earns_little(tmp_path: Path) -> None:
    write_tree(tmp_path, {"churn/io.py": UNSAFE + f'\nKEY = "{FAKE_KEY}"\n'})
    assert earned_points(tmp_path, "security") <= 10


def test_unpickling_a_file_the_project_saves_counts_half(tmp_path: Path) -> None:
    train = 'import torch\n\nFILE = "data.pth"\n\n\ndef save(state):\n    torch.save(state, FILE)\n'
    chat = 'import torch\n\nFILE = "data.pth"\n\n\ndef load():\n    return torch.load(FILE)\n'
    result = assess(tmp_path, "security", "safe_loading", {"train.py": train, "chat.py": chat})
    assert result.share == 0.5
    assert "saves itself (e.g. torch.load at chat.py:7)" in result.evidence


def test_downloaded_checkpoint_is_not_an_own_artifact(tmp_path: Path) -> None:
    train = 'import torch\n\n\ndef save(state):\n    torch.save(state, "data.pth")\n'
    load = 'import torch\n\n\ndef load():\n    return torch.load("pretrained.ckpt")\n'
    assert assess(tmp_path, "security", "safe_loading", {"train.py": train, "load.py": load}).share == 0


def test_weights_only_passed_through_kwargs_is_safe(tmp_path: Path) -> None:
    code = 'import torch\n\n\ndef load(fp):\n    kwargs = {"weights_only": True}\n    return torch.load(fp, map_location="cpu", **kwargs)\n'
    assert assess(tmp_path, "security", "safe_loading", {"churn/io.py": code}).share == 1
    unsafe = code.replace('{"weights_only": True}', '{"map_location": "cpu"}')
    assert assess(tmp_path / "b", "security", "safe_loading", {"churn/io.py": unsafe}).share == 0


def test_a_weights_only_flag_of_another_dict_does_not_make_the_kwargs_load_safe(tmp_path: Path) -> None:
    code = (
        "import torch\n\n\ndef restore(state, f):\n"
        '    load_kwargs = {"map_location": state["device"]}\n'
        '    unpickler_kwargs = state.get("torch_load_kwargs") or {"weights_only": True}\n'
        "    return torch.load(f, **load_kwargs), unpickler_kwargs\n"
    )
    assert assess(tmp_path / "a", "security", "safe_loading", {"net/io.py": code}).share == 0
    passed = code.replace("torch.load(f, **load_kwargs)", "torch.load(f, **unpickler_kwargs)")
    assert assess(tmp_path / "b", "security", "safe_loading", {"net/io.py": passed}).share == 1


REVIEWED = """import pickle


def read_result(pipe):
    payload = pipe.read()
    # mlaudit: ignore[SEC008] the payload comes from our own worker process, never from users
    return pickle.loads(payload)
"""


def test_unsafe_load_reviewed_with_a_reason_counts_as_safe(tmp_path: Path) -> None:
    result = assess(tmp_path, "security", "safe_loading", {"churn/worker.py": REVIEWED})
    assert result.share == 1
    assert "pickle.loads at churn/worker.py:7, reviewed and suppressed" in result.evidence


def test_suppression_without_a_reason_is_not_a_review(tmp_path: Path) -> None:
    bare = REVIEWED.replace(" the payload comes from our own worker process, never from users", "")
    assert assess(tmp_path, "security", "safe_loading", {"churn/worker.py": bare}).share == 0
    other_rule = REVIEWED.replace("SEC008", "LOG001")
    assert assess(tmp_path / "b", "security", "safe_loading", {"churn/worker.py": other_rule}).share == 0


@pytest.mark.parametrize(
    ("text", "downloads"),
    [
        ("r = requests.get(ENDPOINT)\n", True),  # the only needle: `requests.get`, as the regex needs it
        ("page = urlopen (request)\n", True),
        ("blob = httpx.get(\n    ADDRESS)\n", True),
        ("wget.download(SOURCE)\n", True),
        ("gdown.cached_download(ID)\n", False),  # `gdown.` must be called itself
        ("value = requests.getter(ADDRESS)\n", False),  # the needle, not the call
        ("myurlopen(request)\n", False),  # no word boundary before the name
        ('"""Download the url from the docs."""\n', False),
        ("import numpy as np\nX = np.ones(3)\n", False),
    ],
)
def test_download_by_url_prefilter_skips_only_texts_that_cannot_match(text: str, downloads: bool) -> None:
    from mlaudit.capabilities.security import DOWNLOAD_CALL, downloads_by_url

    pf = _module(text)
    assert downloads_by_url(pf) is downloads
    assert downloads is (DOWNLOAD_CALL.search(text) is not None)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("headers = {'Authorization': 'Bearer ' + tok}\n", True),
        ("ApiKey = load()\n", True),
        ("PASSWD = env('X')\n", True),
        ("self.access_Token = None\n", True),
        ("ſecret = read()  # long s: `(?i)` matches it, lowercasing does not\n", True),
        ("api-key = 1\nkeys = sorted(d)\ntokens = split(text)\n", False),  # needles' neighbours only
        ("passing = True\n", False),
        ("\u212aey = 1  # café\nſecret = read()\n", True),  # the Kelvin sign and a long s in a non-ASCII text
        ("CREDENT\u0130AL = 1\n", True),  # `İ` matches `i` under `(?i)`; lowercased it is two characters
        ("credent\u0131al = 1\n", True),  # the dotless i (U+0131) too
        ("BEARER_\u00e9 = 1\n", True),  # a needle written in capitals beside another non-ASCII letter
        ("naïve = 1  # no cred ential here\n", False),
        ("# 注释: api key\nAPIKEY_ = 1\n", True),
        ("# 注释: api key\napi-k = 1\n", False),
    ],
)
def test_credential_prefilter_skips_only_texts_that_cannot_match(text: str, names: bool) -> None:
    from mlaudit.capabilities.security import CREDENTIAL_USE, names_credentials

    assert names_credentials(_module(text)) is names
    assert names is (CREDENTIAL_USE.search(text) is not None)


def test_the_ascii_case_twins_are_every_character_ignorecase_takes_for_an_ascii_letter() -> None:
    """Asked of every code point: the credential prefilter folds exactly these before looking for needles."""
    import re
    import string

    from mlaudit.capabilities.security import ASCII_CASE_TWINS, ascii_folded

    letter = re.compile("(?i)[a-z]")
    twins = {
        c: next(a for a in string.ascii_lowercase if re.fullmatch(f"(?i){a}", c))
        for c in map(chr, range(128, 0x110000))
        if letter.fullmatch(c)
    }
    assert twins == dict(ASCII_CASE_TWINS)
    assert ascii_folded("\u0130\u0131\u017f\u212aA\u00c9") == "iiska\u00e9"


def _module(text: str) -> PythonFile:
    return PythonFile(SourceFile("pkg/mod.py", Path("pkg/mod.py"), FileKind.LIBRARY, len(text), None), text, None)


def test_dynamic_code_only_in_docs_examples_earns_half(tmp_path: Path) -> None:
    tutorial = "from transformers import AutoModel\n\nmodel = AutoModel.from_pretrained(name, trust_remote_code=True)\n"
    files = {"churn/io.py": SAFE, "docs/howto/custom_model.py": tutorial}
    result = assess(tmp_path / "a", "security", "no_dynamic_code", files)
    assert result.share == 0.5 and "docs/howto/custom_model.py:3" in result.evidence
    # Look-alike: the same call in the project's own package costs the capability.
    own = {"churn/io.py": SAFE, "churn/custom_model.py": tutorial}
    assert assess(tmp_path / "b", "security", "no_dynamic_code", own).share == 0
    # A repository of examples only is judged on them.
    assert assess(tmp_path / "c", "security", "no_dynamic_code", {"examples/custom_model.py": tutorial}).share == 0


def test_bytes_exchanged_between_ranks_are_not_a_load(tmp_path: Path) -> None:
    share = (
        "import pickle\n\nimport torch.distributed as dist\n\n\n"
        "def share(obj, buffer):\n    dist.broadcast(buffer, src=0)\n    return pickle.loads(buffer.numpy().tobytes())\n"
    )
    result = assess(tmp_path / "a", "security", "safe_loading", {"pkg/distrib.py": share})
    assert result.share == 1 and "no pickle-based" in result.evidence
    from_file = share.replace("buffer.numpy().tobytes()", "open('state.pkl', 'rb').read()").replace(
        "    dist.broadcast(buffer, src=0)\n", ""
    )
    assert assess(tmp_path / "b", "security", "safe_loading", {"pkg/distrib.py": from_file}).share == 0


API_CLIENT = """import requests


class ScoringClient:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def models(self) -> list[str]:
        response = requests.get(f"{self.base_url}/v1/models", timeout=10)
        if response.status_code != 200:
            raise RuntimeError(f"listing failed: {response.text}")
        return response.json()["models"]
"""


PROBE = """import time

import httpx


def wait_until_ready(port: int) -> bool:
    for _ in range(30):
        if httpx.get(f"http://localhost:{port}/readyz", timeout=3).status_code == 200:
            return True
        time.sleep(1)
    return False
"""


def test_http_gets_read_as_json_call_an_api_and_download_nothing(tmp_path: Path) -> None:
    result = assess(tmp_path, "security", "verified_downloads", {"client/api.py": API_CLIENT, "client/probe.py": PROBE})
    assert result.share == 1 and "nothing to verify" in result.evidence
    as_text = PROBE.replace(".status_code == 200", '.text.startswith("id,")')
    assert assess(tmp_path / "t", "security", "verified_downloads", {"client/probe.py": as_text}).share == 0
    saving = API_CLIENT + (
        "\n    def weights(self, path: str) -> None:\n"
        '        blob = requests.get(f"{self.base_url}/weights.bin", timeout=60).content\n'
        '        with open(path, "wb") as f:\n            f.write(blob)\n'
    )
    result = assess(tmp_path / "b", "security", "verified_downloads", {"client/api.py": saving})
    assert result.share == 0 and "client/api.py" in result.evidence


VERSION_CHECK = """import json

import requests


def latest_release(package: str) -> str:
    response = requests.get(f"https://pypi.org/pypi/{package}/json", timeout=5)
    releases = json.loads(response.text.encode("utf-8")).get("releases", {})
    return max(releases, default="0")
"""


def test_a_get_whose_text_is_parsed_as_json_calls_an_api_but_a_saved_text_is_a_download(tmp_path: Path) -> None:
    result = assess(tmp_path / "a", "security", "verified_downloads", {"pkg/version.py": VERSION_CHECK})
    assert result.share == 1 and "nothing to verify" in result.evidence
    # Look-alike: the same GET whose text is also written to a file downloads data.
    saved = VERSION_CHECK.replace(
        "    return max", '    with open("releases.json", "w") as f:\n        f.write(response.text)\n    return max'
    )
    assert assess(tmp_path / "b", "security", "verified_downloads", {"pkg/version.py": saved}).share == 0


@pytest.mark.parametrize(
    ("pattern", "share"), [("*.keras", 1.0), ("**/*.tflite", 1.0), ("*.feather", 1.0), ("*.log", 0.5)]
)
def test_gitignore_any_model_or_data_suffix_is_an_artifact_pattern(tmp_path: Path, pattern: str, share: float) -> None:
    write_tree(tmp_path, {"churn/io.py": SAFE, ".gitignore": f".env\n{pattern}\n"})
    git_init(tmp_path)
    assert assess(tmp_path, "security", "gitignore_guards").share == share


def test_load_behind_an_off_by_default_trust_flag_is_not_counted_unsafe(tmp_path: Path) -> None:
    code = (
        "import pickle\n\nfrom safetensors.torch import load_file\n\n\n"
        "def load(path, trusted=False):\n"
        "    if not trusted:\n"
        '        raise ValueError("pass trusted=True for pickles you made")\n'
        '    with open(path, "rb") as f:\n'
        "        return pickle.load(f)\n\n\n"
        "def weights(path):\n    return load_file(path)\n"
    )
    assert assess(tmp_path, "security", "safe_loading", {"churn/io.py": code}).share == 1
    trusting = code.replace("trusted=False", "trusted=True")
    assert assess(tmp_path / "b", "security", "safe_loading", {"churn/io.py": trusting}).share == 0.5


METADATA_PROBE = """import json
import urllib.request

import requests


def instance_type():
    return requests.get("http://169.254.169.254/latest/meta", timeout=1).json()["instanceType"]


def publish(url, payload):
    request = urllib.request.Request(url, method="POST", data=json.dumps(payload).encode())
    urllib.request.urlopen(request, timeout=60)


def save_report(report, path):
    with open(path, "w") as f:
        f.write(report.text)
"""


def test_api_calls_and_posts_download_nothing_but_a_get_kept_as_bytes_does(tmp_path: Path) -> None:
    """A GET read as JSON, and a POST through urlopen, fetch no file; the module's other function writing text
    to a file does not make the GET a download. A GET whose own function writes the body is one."""
    result = assess(tmp_path, "security", "verified_downloads", {"churn/cloud.py": METADATA_PROBE})
    assert result.share == 1 and "nothing to verify" in result.evidence
    fetch = METADATA_PROBE + (
        "\n\ndef fetch_weights(url, path):\n    r = requests.get(url, timeout=9)\n    r.raise_for_status()\n"
        '    with open(path, "wb") as f:\n        f.write(r.content)\n'
    )
    result = assess(tmp_path / "b", "security", "verified_downloads", {"churn/cloud.py": fetch})
    assert result.share == 0
    named = METADATA_PROBE.replace("def instance_type():", "def download_rows():")
    assert assess(tmp_path / "c", "security", "verified_downloads", {"churn/cloud.py": named}).share == 0


RELEASE_LOOKUP = """import json
from urllib import request


def pypi_releases(pkg):
    url = f"https://pypi.org/pypi/{pkg}/json"
    return json.loads(request.urlopen(url, timeout=10).read())["releases"]


def latest_tag(repo):
    with request.urlopen(f"https://api.github.com/repos/{repo}/releases/latest", timeout=10) as answer:
        return json.load(answer)["tag_name"]
"""


def test_urlopen_parsed_straight_as_json_calls_an_api_but_one_saving_the_bytes_downloads(tmp_path: Path) -> None:
    result = assess(tmp_path, "security", "verified_downloads", {"tools/versions.py": RELEASE_LOOKUP})
    assert result.share == 1 and "nothing to verify" in result.evidence
    saving = RELEASE_LOOKUP + (
        "\n\ndef fetch_archive(url, path):\n    with request.urlopen(url, timeout=10) as answer:\n"
        '        with open(path, "wb") as f:\n            f.write(answer.read())\n'
    )
    result = assess(tmp_path / "b", "security", "verified_downloads", {"tools/versions.py": saving})
    assert result.share == 0


FETCHING_SERVICE = """from fastapi import FastAPI
import requests
from pydantic import BaseModel

app = FastAPI()


class ImageRequest(BaseModel):
    url: str


@app.post("/predict")
def predict(req: ImageRequest):
    resp = requests.get(req.url, timeout=10)
    with open("/tmp/upload.jpg", "wb") as handle:
        handle.write(resp.content)
    return {"bytes": len(resp.content)}
"""


def test_a_handler_fetching_the_url_the_client_sent_downloads_no_artefact(tmp_path: Path) -> None:
    """The client's own file, fetched by the URL in its request, has no checksum the code could pin."""
    result = assess(tmp_path, "security", "verified_downloads", {"svc/api.py": FETCHING_SERVICE})
    assert result.share == 1 and "nothing to verify" in result.evidence
    pinned = FETCHING_SERVICE.replace("requests.get(req.url,", 'requests.get("https://m.example.org/w.pt",')
    result = assess(tmp_path / "b", "security", "verified_downloads", {"svc/api.py": pinned})
    assert result.share == 0 and result.evidence.endswith("(downloads in svc/api.py)")


CLI_FETCHES = {
    "argv": "import sys\nimport urllib.request\n\n\ndef main():\n    urllib.request.urlretrieve(sys.argv[1], 'doc.pdf')\n",
    "click": (
        "import click\nimport urllib.request\n\n\n@click.command()\n@click.argument('source')\n"
        "def main(source):\n    urllib.request.urlretrieve(source, 'doc.pdf')\n"
    ),
}


@pytest.mark.parametrize("code", CLI_FETCHES.values(), ids=CLI_FETCHES.keys())
def test_a_cli_fetching_the_document_it_is_given_downloads_no_artefact(tmp_path: Path, code: str) -> None:
    assert assess(tmp_path, "security", "verified_downloads", {"tool/cli.py": code}).share == 1


def test_a_helper_fetching_a_parameter_its_callers_fill_with_constants_downloads_an_artefact(tmp_path: Path) -> None:
    code = (
        "import urllib.request\n\n\ndef fetch(url):\n    urllib.request.urlretrieve(url, 'w.pt')\n\n\n"
        "def main(args):\n    fetch('https://m.example.org/w.pt')\n"
    )
    assert assess(tmp_path, "security", "verified_downloads", {"tool/cli.py": code}).share == 0


SPHINX_CONF = """import urllib.request

extensions = ["sphinx.ext.intersphinx"]
html_theme = "furo"


def fetch_inventory(url, path):
    with urllib.request.urlopen(url, timeout=10) as response:
        data = response.read()
    with open(path, "wb") as f:
        f.write(data)
"""


def test_a_sphinx_conf_downloading_inventories_downloads_no_weights_or_data(tmp_path: Path) -> None:
    files = {"churn/__init__.py": "", "docs/conf.py": SPHINX_CONF}
    result = assess(tmp_path, "security", "verified_downloads", files)
    assert result.share == 1 and "nothing to verify" in result.evidence
    # the same download in a conf.py that configures no Sphinx build is the project's own, outside the docs folder
    # (a conf.py under docs/ is the documentation build's, whatever it sets)
    plain = SPHINX_CONF.replace('html_theme = "furo"\n', "")
    result = assess(tmp_path / "b", "security", "verified_downloads", {**files, "docs/conf.py": plain})
    assert result.share == 1
    result = assess(tmp_path / "c", "security", "verified_downloads", {"churn/__init__.py": "", "churn/conf.py": plain})
    assert result.share == 0 and "churn/conf.py" in result.evidence


DASHBOARD = """import threading

import requests


class Dashboard:
    def __init__(self, host: str, port: int) -> None:
        self.url = f"http://{host}:{port}/"
        self.stop = lambda: requests.get(self.url + "shutdown")

    def ping(self) -> bool:
        try:
            requests.get(self.url)
            return True
        except requests.exceptions.RequestException:
            return False
"""


def test_a_get_whose_answer_is_thrown_away_pings_a_server_and_downloads_nothing(tmp_path: Path) -> None:
    """A GET standing alone (a liveness ping) or as the whole body of a parameterless callback (a shutdown
    trigger) keeps no answer; a GET whose answer is kept, or a callback taking the address, may fetch a file."""
    result = assess(tmp_path, "security", "verified_downloads", {"viz/dashboard.py": DASHBOARD})
    assert result.share == 1 and "nothing to verify" in result.evidence
    kept = DASHBOARD.replace("            requests.get(self.url)\n", "            page = requests.get(self.url)\n")
    assert assess(tmp_path / "k", "security", "verified_downloads", {"viz/dashboard.py": kept}).share == 0
    fetcher = DASHBOARD.replace("lambda: requests.get(self.url", "lambda name: requests.get(self.url + name")
    assert assess(tmp_path / "f", "security", "verified_downloads", {"viz/dashboard.py": fetcher}).share == 0


SHELL_FETCH = """import os
import subprocess

WEIGHTS = {"base": "https://example.org/models/base.tar"}


def cache_weights(name, folder):
    os.system(f"mkdir -p {folder}; cd {folder}; wget {WEIGHTS[name]}; tar -xf {name}.tar")


def fetch_vocab(folder):
    subprocess.run(["curl", "-L", "-o", f"{folder}/vocab.txt", "https://example.org/vocab.txt"], check=True)
"""


def test_a_download_command_the_code_runs_in_a_shell_is_a_download(tmp_path: Path) -> None:
    result = assess(tmp_path / "both", "security", "verified_downloads", {"tok/fetch.py": SHELL_FETCH})
    assert result.share == 0 and "(downloads in tok/fetch.py)" in result.evidence
    listed_only = SHELL_FETCH.replace(
        '    os.system(f"mkdir -p {folder}; cd {folder}; wget {WEIGHTS[name]}; tar -xf {name}.tar")\n',
        "    os.makedirs(folder, exist_ok=True)\n",
    )
    assert assess(tmp_path / "list", "security", "verified_downloads", {"tok/fetch.py": listed_only}).share == 0
    # Look-alike: a module that runs shell commands and only names the tools (a hint, a version check) fetches nothing.
    hint = (
        "import os\nimport subprocess\n\n\ndef check_tools():\n"
        '    if os.system("wget --version > /dev/null") != 0:\n'
        '        print("please install wget or curl; then run setup again")\n'
        '    return subprocess.run(["curl", "--version"], check=False).returncode == 0\n'
    )
    assert assess(tmp_path / "hint", "security", "verified_downloads", {"tok/tools.py": hint}).share == 1


def test_model_downloads_in_the_projects_shell_scripts_are_downloads_to_verify(tmp_path: Path) -> None:
    fetch = "#!/bin/bash\nmkdir -p models\nwget -O models/vae.ckpt https://example.org/first_stage/vae.ckpt\n"
    code = {"gen/__init__.py": "", "gen/sample.py": "import torch\n\n\ndef load(p):\n    return torch.load(p)\n"}
    result = assess(tmp_path / "sh", "security", "verified_downloads", {**code, "scripts/get_weights.sh": fetch})
    assert result.share == 0 and result.evidence.endswith("(downloads in scripts/get_weights.sh)")
    # Look-alike: the same script checking the file against its digest verifies what it fetched.
    checked = fetch + "echo '9f2c...  models/vae.ckpt' | sha256sum -c -\n"
    files = {**code, "scripts/get_weights.sh": checked}
    assert assess(tmp_path / "checked", "security", "verified_downloads", files).share == 1


HELPER_BOUND = """import hashlib
import urllib.request


def file_md5(path):
    hasher = hashlib.md5()
    with open(path, "rb") as handle:
        hasher.update(handle.read())
    return hasher.hexdigest()


def fetch(url, target, expected):
    with urllib.request.urlopen(url, timeout=30) as source, open(target, "wb") as out:
        out.write(source.read())
    actual = file_md5(target)
    {check}
    return target
"""


def test_a_helper_digest_bound_to_a_name_and_compared_verifies(tmp_path: Path) -> None:
    """The hasher's digest returned by a helper, bound in the caller and compared there, verifies the file."""
    code = HELPER_BOUND.replace("{check}", "if actual != expected:\n        raise RuntimeError(url)")
    result = assess(tmp_path, "security", "verified_downloads", {"churn/io.py": code})
    assert result.share == 1 and "hashlib.md5" in result.evidence


def test_a_helper_digest_bound_to_a_name_and_only_printed_verifies_nothing(tmp_path: Path) -> None:
    code = HELPER_BOUND.replace("{check}", "print(actual)\n    if url == target:\n        raise RuntimeError(url)")
    assert assess(tmp_path, "security", "verified_downloads", {"churn/io.py": code}).share == 0


HUB_CLIENT = """def push_weights(repo_id, folder, api_key=None):
    api = HfApi(token=api_key)
    return api.upload_folder(repo_id=repo_id, folder_path=folder)
"""


HUB_PUBLISHED = """[project]
name = "hubpush"
version = "1.2.0"
requires-python = ">=3.10"
classifiers = ["Programming Language :: Python :: 3"]
dependencies = ["huggingface-hub>=0.20"]
"""


def test_a_published_library_takes_credentials_from_its_callers(tmp_path: Path) -> None:
    """`push_weights(..., api_key=None)` in a published library: the caller hands the token in; the same code in an
    application reads it from nowhere, and a library that hard-codes one keeps it in the code."""
    library = {"pyproject.toml": HUB_PUBLISHED, "hubpush/__init__.py": "", "hubpush/hub.py": HUB_CLIENT}
    result = assess(tmp_path / "lib", "security", "secrets_from_env", library)
    assert result.share == 1 and "from its caller" in result.evidence
    assert assess(tmp_path / "app", "security", "secrets_from_env", {"hubpush/hub.py": HUB_CLIENT}).share == 0
    key = "hf_" + "Qm7sLk2VwX9pRt4ZyB8nDc3FhJ6gA1eUoT"
    leaked = {**library, "hubpush/hub.py": HUB_CLIENT.replace("api_key=None", f'api_key="{key}"')}
    assert assess(tmp_path / "leak", "security", "secrets_from_env", leaked).share == 0


CHUNKED = """import hashlib
import urllib.request

HASHERS = {"md5": hashlib.md5, "sha512": hashlib.sha512}


def fetch(url, path, expected, kind="sha512"):
    urllib.request.urlretrieve(url, path)
    hasher = HASHERS[kind]()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            hasher.update(chunk)
    {check}
    return path
"""


def test_a_chunked_hasher_picked_by_name_verifies_when_its_digest_is_compared(tmp_path: Path) -> None:
    code = CHUNKED.replace("{check}", "if hasher.hexdigest() != expected:\n        raise ValueError(path)")
    result = assess(tmp_path, "security", "verified_downloads", {"churn/io.py": code})
    assert result.share == 1 and "hasher.hexdigest() at churn/io.py:13" in result.evidence
    kept = CHUNKED.replace("{check}", "CACHE[hasher.hexdigest()] = path")
    assert assess(tmp_path / "k", "security", "verified_downloads", {"churn/io.py": "CACHE = {}\n" + kept}).share == 0


PERSISTED_OPTIMISER = """import pickle
from pathlib import Path


def load(cls, filepath):
    with Path(filepath).open("rb") as handle:
        return pickle.load(handle)


class Optimiser:
    def dump(self, filepath):
        with open(filepath, "wb") as handle:
            pickle.dump(self, handle)
"""


def test_the_loading_half_of_the_codes_own_save_load_pair_counts_half(tmp_path: Path) -> None:
    result = assess(tmp_path, "security", "safe_loading", {"optim/base.py": PERSISTED_OPTIMISER})
    assert result.share == 0.5 and "1 unpickle files the project saves itself" in result.evidence
    # a writer that pickles to a file joined under the folder it is given is not the file the loader reads
    joined = PERSISTED_OPTIMISER.replace('open(filepath, "wb")', 'open(Path(filepath) / "state.pkl", "wb")')
    assert assess(tmp_path / "b", "security", "safe_loading", {"optim/base.py": joined}).share == 0


READINESS_PROBE = """import time
from urllib import error, request


def wait_until_ready(url, deadline):
    while time.time() < deadline:
        try:
            with request.urlopen(url, timeout=2) as response:
                if 200 <= getattr(response, "status", 200) < 500:
                    return True
        except error.URLError:
            time.sleep(0.5)
    return False
"""


def test_a_urlopen_read_only_for_its_status_probes_a_server(tmp_path: Path) -> None:
    result = assess(tmp_path, "security", "verified_downloads", {"app/runner.py": READINESS_PROBE})
    assert result.share == 1 and "nothing to verify" in result.evidence
    # Look-alike: the same request whose body is kept downloads what it reads
    kept = READINESS_PROBE.replace("                    return True", "                    return response.read()")
    assert assess(tmp_path / "b", "security", "verified_downloads", {"app/runner.py": kept}).share == 0


DOCUMENTED_DOWNLOAD = '''"""Load a checkpoint onto the devices.

Example:
    >>> from huggingface_hub import hf_hub_download
    >>> path = hf_hub_download("org/model", "model.safetensors")
    >>> model = load_checkpoint(model, path)
"""
import torch


def load_checkpoint(model, path):
    # the caller fetches the file first, e.g. with snapshot_download(repo_id)
    model.load_state_dict(torch.load(path, weights_only=True))
    return model
'''


def test_a_download_shown_only_in_a_docstring_or_comment_downloads_nothing(tmp_path: Path) -> None:
    result = assess(tmp_path, "security", "verified_downloads", {"churn/io.py": DOCUMENTED_DOWNLOAD})
    assert result.share == 1
    fetched = DOCUMENTED_DOWNLOAD + '\n\ndef fetch(repo):\n    return hf_hub_download(repo, "model.safetensors")\n'
    result = assess(tmp_path / "b", "security", "verified_downloads", {"churn/io.py": fetched})
    assert result.share == 0 and result.evidence.endswith("(downloads in churn/io.py)")


STORE_CLIENT = """import base64
from urllib.request import Request, urlopen


def read_value(addr, port, scope, key):
    url = "http://{addr}:{port}/{scope}/{key}".format(addr=addr, port=port, scope=scope, key=key)
    resp = urlopen(Request(url))
    return base64.b64decode(resp.read())


def read_rank(host, port, rank):
    with urlopen(f"http://{host}:{port}/ranks/{rank}") as resp:
        return resp.read()
"""
MIRROR_FETCH = """from urllib.request import urlopen


def fetch_weights(mirror, name):
    return urlopen(f"https://{mirror}/weights/{name}.pt").read()
"""


def test_a_client_of_a_server_at_a_given_host_and_port_downloads_no_file(tmp_path: Path) -> None:
    assert assess(tmp_path, "security", "verified_downloads", {"churn/store.py": STORE_CLIENT}).share == 1
    result = assess(tmp_path / "b", "security", "verified_downloads", {"churn/fetch.py": MIRROR_FETCH})
    assert result.share == 0 and result.evidence.endswith("(downloads in churn/fetch.py)")


RECORDED_DIGEST_CHECK = """import json
import pathlib


class NonMatchingChecksumError(Exception):
    pass


def check_download(url, record, registry_path):
    expected = json.loads(pathlib.Path(registry_path).read_text()).get(url)
    if expected is not None and expected != record:
        raise {error}(url)
    return record
"""


def test_a_checksum_error_raised_when_a_recorded_digest_differs_from_the_expected_one_verifies(tmp_path: Path) -> None:
    """The downloader records each file's digest; the manager compares that record with the registered one and
    raises a checksum error when they differ; look-alike: the same comparison raising a plain ValueError (a
    size or name check, for all it says) verifies no digest."""
    fetch = "import urllib.request\n\n\ndef fetch(url, path):\n    urllib.request.urlretrieve(url, path)\n"
    files = {"dl/__init__.py": "", "dl/fetch.py": fetch}
    code = RECORDED_DIGEST_CHECK.format(error="NonMatchingChecksumError")
    result = assess(tmp_path / "a", "security", "verified_downloads", {**files, "dl/manager.py": code})
    assert result.share == 1 and result.evidence.startswith("raise NonMatchingChecksumError at dl/manager.py:12")
    plain = RECORDED_DIGEST_CHECK.format(error="ValueError")
    assert assess(tmp_path / "b", "security", "verified_downloads", {**files, "dl/manager.py": plain}).share == 0


HASHING_TRICK = """import hashlib
import urllib.request


def fetch_vocab(url, path):
    urllib.request.urlretrieve(url, path)


def hashing_trick(words, n, hash_function=None):
    if hash_function is None:
        hash_function = hash
    elif hash_function == "md5":
        def hash_function(w):
            return int(hashlib.md5(w.encode()).hexdigest(), 16)
    return [hash_function(w) % (n - 1) + 1 for w in words]
"""


def test_a_hash_helper_whose_name_is_compared_verifies_nothing(tmp_path: Path) -> None:
    """`elif hash_function == "md5": def hash_function(w): ...md5...` picks which hash buckets words (the hashing
    trick): the comparison reads the option, no digest; look-alike: a helper returning a file's md5 whose result
    is compared with the expected digest verifies the download."""
    files = {"prep/__init__.py": ""}
    assert assess(tmp_path / "a", "security", "verified_downloads", {**files, "prep/text.py": HASHING_TRICK}).share == 0
    verified = HASHING_TRICK + (
        "\n\ndef file_md5(path):\n    return hashlib.md5(open(path, 'rb').read()).hexdigest()\n\n\n"
        "def check(path, expected):\n    if file_md5(path) != expected:\n        raise ValueError(path)\n"
    )
    result = assess(tmp_path / "b", "security", "verified_downloads", {**files, "prep/text.py": verified})
    assert result.share == 1 and "prep/text.py:19" in result.evidence
