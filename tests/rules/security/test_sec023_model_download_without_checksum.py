"""Tests of rule SEC023 (`mlaudit/rules/security/sec023_model_download_without_checksum.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


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


def test_sec023_sees_responses_written_to_files_urlretrieve_and_bucket_downloads(tmp_path: Path) -> None:
    fetch = (
        "import requests\n\n"
        'ENCODER_URL = "https://weights.example.org/releases/encoder-v2.pt"\n\n\n'
        "def fetch(url, target):\n"
        "    response = requests.get(url, stream=True, timeout=30)\n"
        "    with open(target, 'wb') as handle:\n"
        "        for chunk in response.iter_content(chunk_size=1 << 20):\n"
        "            handle.write(chunk)\n"
    )
    retrieve = (
        "import os\nimport urllib.request\n\n\n"
        "def download_weights(url, cache_dir):\n"
        "    target = os.path.join(cache_dir, 'detector_weights')\n"
        "    urllib.request.urlretrieve(url, target)\n"
        "    return target\n"
    )
    bucket = (
        "import boto3\n\n\n"
        "def pull_model(bucket, key):\n"
        "    s3 = boto3.client('s3')\n"
        "    s3.download_file(bucket, key, 'artifacts/ranker_model.onnx')\n"
    )
    write_tree(
        tmp_path,
        {"app/__init__.py": "", "app/fetch.py": fetch, "app/retrieve.py": retrieve, "app/bucket.py": bucket},
    )
    hits = {(f.path, f.line): f.message for f in findings(tmp_path, "SEC023")}
    assert set(hits) == {("app/fetch.py", 7), ("app/retrieve.py", 7), ("app/bucket.py", 6)}
    assert hits[("app/bucket.py", 6)] == "boto3 download_file downloads a model file with no checksum check"


def test_sec023_reports_data_and_weights_fetched_over_plain_http(tmp_path: Path) -> None:
    code = (
        "from urllib.request import urlretrieve\n\n"
        'CORPUS = "http://corpora.example.edu/reviews/train.tar.gz"\n\n\n'
        "def prepare(root):\n    urlretrieve(CORPUS, root + '/train.tar.gz')\n"
    )
    shell = "#!/bin/sh\nwget -P data/raw http://corpora.example.edu/reviews/test.csv\n"
    write_tree(tmp_path, {"data_prep.py": code, "scripts/get_data.sh": shell})
    hits = {(f.path, f.line): f.message for f in findings(tmp_path, "SEC023")}
    assert hits == {
        ("data_prep.py", 7): "urlretrieve downloads a file over plain http:// with no checksum check",
        ("scripts/get_data.sh", 2): "wget downloads a file over plain http:// with no checksum check",
    }


def test_sec023_silent_for_api_calls_local_http_hub_and_checked_downloads(tmp_path: Path) -> None:
    api = (
        "import json\nimport requests\n\n\n"
        "def export_scores(endpoint, path):\n"
        "    response = requests.get(endpoint + '/scores', timeout=10)\n"
        "    with open(path, 'w') as handle:\n"
        "        handle.write(json.dumps(response.json()))\n"
    )
    checked = (
        "import hashlib\nimport requests\n\n"
        'WEIGHTS = ("https://weights.example.org/encoder.pt", "5d41402abc4b2a76b9719d911017c592")\n\n\n'
        "def fetch(target):\n"
        "    url, digest = WEIGHTS\n"
        "    blob = requests.get(url, timeout=30).content\n"
        "    if hashlib.sha256(blob).hexdigest() != digest:\n"
        "        raise ValueError('corrupt download')\n"
        "    with open(target, 'wb') as handle:\n"
        "        handle.write(blob)\n"
    )
    hub = (
        "import torch\nfrom huggingface_hub import hf_hub_download\n\n\n"
        "def weights():\n"
        "    path = hf_hub_download('org/encoder', 'model.safetensors', revision='3f2a9c1')\n"
        "    state = torch.hub.load_state_dict_from_url('https://x.example.org/m.pt', check_hash=True)\n"
        "    return path, state\n"
    )
    shell = "#!/bin/sh\ncurl -sf http://localhost:8000/health\ncurl -sf http://ci.example.org/ping\n"
    resolve = (
        "import glob\nfrom pathlib import Path\n\nimport torch\n\n\n"
        "def resolve_file(name):\n"
        "    if name.startswith('https://'):\n"
        "        target = Path(name).name\n"
        "        torch.hub.download_url_to_file(name, target)\n"
        "        return target\n"
        "    for folder in ('data', 'models', 'configs'):\n"
        "        found = glob.glob(f'{folder}/**/{name}', recursive=True)\n"
        "        if found:\n"
        "            return found[0]\n"
        "    raise FileNotFoundError(name)\n"
    )
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/resolve.py": resolve,
            "app/api.py": api,
            "app/checked.py": checked,
            "app/hub.py": hub,
            "scripts/smoke.sh": shell,
        },
    )
    assert findings(tmp_path, "SEC023") == []


def test_sec023_a_download_helper_named_for_weights_counts_its_gdown_call(tmp_path: Path) -> None:
    helper = (
        "import os\n\nimport gdown\n\n\n"
        "def download_weights_if_missing(file_name, url, home):\n"
        "    target = os.path.join(home, file_name)\n"
        "    if not os.path.isfile(target):\n"
        "        gdown.download(url, target, quiet=False)\n"
        "    return target\n"
    )
    data = (
        "import os\n\nimport gdown\n\n\n"
        "def fetch_table(file_id, folder):\n"
        "    gdown.download(id=file_id, output=os.path.join(folder, 'survey.csv'))\n"
    )
    write_tree(tmp_path, {"faces/__init__.py": "", "faces/weights.py": helper, "faces/tables.py": data})
    assert [(f.path, f.line) for f in findings(tmp_path, "SEC023")] == [("faces/weights.py", 9)]


def test_sec023_a_hash_that_names_a_cache_file_or_sits_in_the_url_verifies_nothing(tmp_path: Path) -> None:
    cache = (
        "import os\nfrom hashlib import sha256\nfrom urllib.request import urlretrieve\n\n"
        "URL = 'https://weights.example.org/encoder.bin'\n\n\n"
        "def cached(root):\n"
        "    name = sha256(URL.encode()).hexdigest()\n"
        "    target = os.path.join(root, name)\n"
        "    urlretrieve(URL, target)\n"
        "    return target\n"
    )
    in_url = (
        "from torch.hub import download_url_to_file\n\n"
        "URL = 'https://weights.example.org/9f2c1ab05d41402abc4b2a76b9719d91/encoder.pt'\n\n\n"
        "def fetch(dst):\n"
        "    expected_sha256 = URL.split('/')[-2]\n"
        "    download_url_to_file(URL, dst)\n"
        "    return expected_sha256\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/cache.py": cache, "pkg/hub.py": in_url})
    assert sorted((h.path, h.line) for h in findings(tmp_path, "SEC023")) == [("pkg/cache.py", 11), ("pkg/hub.py", 8)]


def test_sec023_a_digest_compared_through_a_helper_or_handed_to_the_download_verifies(tmp_path: Path) -> None:
    helper = (
        "import hashlib\nfrom urllib.request import urlretrieve\n\n"
        "URL = 'https://weights.example.org/9f2c1ab05d41402abc4b2a76b9719d91/encoder.pt'\n\n\n"
        "def sha256sum(path):\n"
        "    with open(path, 'rb') as handle:\n"
        "        return hashlib.sha256(handle.read()).hexdigest()\n\n\n"
        "def fetch(dst):\n"
        "    urlretrieve(URL, dst)\n"
        "    if sha256sum(dst) != URL.split('/')[-2]:\n"
        "        raise RuntimeError('checksum mismatch')\n"
    )
    handed = (
        "from torchvision.datasets.utils import check_integrity\nfrom urllib.request import urlretrieve\n\n"
        "MD5 = '5d41402abc4b2a76b9719d911017c592'\n\n\n"
        "def fetch(url, dst):\n"
        "    urlretrieve(url, dst + '/model.pt')\n"
        "    return check_integrity(dst + '/model.pt', MD5)\n"
    )
    documented = (
        "def load(url):\n"
        '    """Load weights.\n\n'
        "    >>> torch.hub.load_state_dict_from_url('https://weights.example.org/resnet18-5c106cde.pth')\n"
        '    """\n'
        "    return url\n"
    )
    write_tree(
        tmp_path,
        {"pkg/__init__.py": "", "pkg/helper.py": helper, "pkg/handed.py": handed, "pkg/documented.py": documented},
    )
    assert findings(tmp_path, "SEC023") == []


FETCH_INPUT = """\
import argparse
import urllib.request

import torch


def run_model(model_dir, image_url):
    path, _ = urllib.request.urlretrieve(image_url, "input.jpg")
    model = torch.load(model_dir + "/model.pt", weights_only=True)
    return model(path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("image")
    args = parser.parse_args()
    run_model("weights", args.image)
"""


def test_sec023_fetching_the_input_the_user_names_is_no_model_download(tmp_path: Path) -> None:
    """The image a user passes on the command line is their input, not an artefact the code could pin."""
    write_tree(tmp_path, {"det/__init__.py": "", "det/cli.py": FETCH_INPUT})
    assert findings(tmp_path, "SEC023") == []


def test_sec023_the_same_fetch_of_a_url_the_code_names_is_a_model_download(tmp_path: Path) -> None:
    """Called with a URL the code itself pins, the same function downloads a model artefact."""
    pinned = FETCH_INPUT.replace(
        'run_model("weights", args.image)', 'run_model(args.image, "https://m.example.org/w.pt")'
    )
    write_tree(tmp_path, {"det/__init__.py": "", "det/cli.py": pinned})
    [hit] = findings(tmp_path, "SEC023")
    assert hit.line == 8 and "model file" in hit.message


def test_sec023_an_argument_defaulting_to_a_model_url_is_still_a_model_download(tmp_path: Path) -> None:
    """`--weights-url` defaulting to a checkpoint's URL: the code names the artefact the argument fetches."""
    code = FETCH_INPUT.replace(
        'parser.add_argument("image")', 'parser.add_argument("image", default="https://m.example.org/detector.pt")'
    )
    write_tree(tmp_path, {"det/__init__.py": "", "det/cli.py": code})
    [hit] = findings(tmp_path, "SEC023")
    assert hit.line == 8


CACHED_WEIGHTS = """\
import hashlib
import json
from urllib.request import urlretrieve

URL = "https://weights.example.org/encoder.pt"


def fetch(dst, options, recorded):
    stamp = json.dumps({"url": URL, **options}, sort_keys=True).encode()
    if hashlib.sha256(stamp).hexdigest() != recorded:
        urlretrieve(URL, dst)
    return dst
"""


def test_sec023_a_digest_of_the_codes_own_settings_verifies_no_download(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/weights.py": CACHED_WEIGHTS})
    [hit] = findings(tmp_path, "SEC023")
    assert hit.line == 11
    # look-alike: the same comparison on the downloaded file's bytes verifies it
    checked = CACHED_WEIGHTS.replace(
        'json.dumps({"url": URL, **options}, sort_keys=True).encode()', "open(dst, 'rb').read()"
    )
    write_tree(tmp_path, {"pkg/weights.py": checked})
    assert findings(tmp_path, "SEC023") == []


HELPER_DIGEST = """\
import hashlib
import urllib.request

WEIGHTS = {"small": ("https://weights.example.org/small.bin", "5d41402abc4b2a76b9719d911017c592")}


def file_md5(path):
    hasher = hashlib.md5()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(8192), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def download(name, target):
    url, expected = WEIGHTS[name]
    with urllib.request.urlopen(url, timeout=30) as source, open(target, "wb") as out:
        out.write(source.read())
    {check}
    return target
"""


def test_sec023_a_helper_digest_bound_to_a_name_and_compared_verifies(tmp_path: Path) -> None:
    """`actual = file_md5(path)`, then `actual != expected`: the helper's digest is compared in its caller."""
    code = HELPER_DIGEST.replace(
        "{check}", "actual = file_md5(target)\n    if actual != expected:\n        raise RuntimeError('MD5 mismatch')"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/weights.py": code})
    assert findings(tmp_path, "SEC023") == []


def test_sec023_a_helper_digest_bound_to_a_name_and_only_logged_verifies_nothing(tmp_path: Path) -> None:
    """The same digest bound to a name and only logged, while an unrelated value is compared, checks nothing."""
    code = HELPER_DIGEST.replace(
        "{check}", "actual = file_md5(target)\n    print('md5', actual)\n    if name == 'small':\n        pass"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/weights.py": code})
    [hit] = findings(tmp_path, "SEC023")
    assert hit.path == "pkg/weights.py" and "no checksum check" in hit.message
