"""Tests of rule REP015 (`mlaudit/rules/reproducibility/rep015_working_directory_relative_path.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree


def test_rep015_config_and_checkpoint_paths_relative_to_the_working_directory(tmp_path: Path) -> None:
    code = (
        "import json\n\nimport torch\nfrom omegaconf import OmegaConf\n\n\n"
        "def load(args):\n"
        "    config = OmegaConf.load('models/big/config.yaml')\n"
        "    state = torch.load('models/big/last.ckpt')\n"
        "    other = OmegaConf.load(args.config)\n"
        "    with open('predictions.json', 'w') as fh:\n"
        "        json.dump({}, fh)\n"
        "    return config, state, other\n"
    )
    write_tree(tmp_path, {"scripts/sample.py": code})
    [hit] = findings(tmp_path, "REP015")
    assert hit.line == 8 and "(+1 more)" in hit.message


PACKAGE_MODULE = """\
import torch


class Embeddings:
    def __init__(self, path):
        self.vectors = torch.load(path, weights_only=True)


if __name__ == "__main__":
    emb = Embeddings("scratch.pt")
    print(torch.load("scratch.pt", weights_only=True))
"""

SCRIPT = """\
import torch

if __name__ == "__main__":
    print(torch.load("weights/scratch.pt", weights_only=True))
"""


def test_rep015_a_package_modules_main_self_test_is_info_but_a_scripts_main_block_is_a_warning(
    tmp_path: Path,
) -> None:
    write_tree(tmp_path, {"emb/__init__.py": "", "emb/vectors.py": PACKAGE_MODULE, "scripts/check.py": SCRIPT})
    hits = {f.path: f for f in findings(tmp_path, "REP015")}
    assert hits["emb/vectors.py"].severity is Severity.INFO and "__main__ self-test" in hits["emb/vectors.py"].message
    assert hits["scripts/check.py"].severity is Severity.WARNING


def test_rep015_a_path_the_file_writes_itself_is_its_own_output_not_an_input(tmp_path: Path) -> None:
    code = (
        "import joblib\nimport torch\n\n"
        "learner = fit_learner()\n"
        "with open('learner.pkl', 'wb') as fh:\n"
        "    joblib.dump(learner, fh)\n"
        "torch.save(learner.net.state_dict(), 'net.pt')\n\n"
        "with open('learner.pkl', 'rb') as fh:\n"
        "    restored = joblib.load(fh)\n"
        "restored.net.load_state_dict(torch.load('net.pt', weights_only=True))\n"
        "encoder = torch.load('pretrained/encoder.pt', weights_only=True)\n"
    )
    write_tree(tmp_path, {"scripts/persist.py": code})
    [hit] = findings(tmp_path, "REP015")
    assert hit.line == 12 and "'pretrained/encoder.pt'" in hit.message and "more" not in hit.message


def test_rep015_a_member_of_an_archive_is_no_path_but_a_file_beside_it_is(tmp_path: Path) -> None:
    code = (
        "import json\nimport tarfile\nimport zipfile\n\n\n"
        "def read_labels(archive_path):\n"
        "    with zipfile.ZipFile(archive_path) as z:\n"
        "        with z.open('annotations/labels.json') as fh:\n"
        "            labels = json.load(fh)\n"
        "    tar = tarfile.open(archive_path)\n"
        "    meta = tar.extractfile('meta.json')\n"
        "    first = zipfile.ZipFile(archive_path).open('classes.json')\n"
        "    with open('vocab.json') as fh:\n"
        "        vocab = json.load(fh)\n"
        "    return labels, meta, first, vocab\n"
    )
    write_tree(tmp_path, {"scripts/prepare.py": code})
    [hit] = findings(tmp_path, "REP015")
    assert hit.line == 13 and "'vocab.json'" in hit.message and "more" not in hit.message


def test_rep015_a_file_of_an_installed_distributions_metadata_is_no_working_directory_path(tmp_path: Path) -> None:
    """`distribution("whisper").read_text("direct_url.json")` reads the installed package's metadata, bound to a
    name or not; a `read_text("settings.json")` of the module's own helper still reads the working directory."""
    code = (
        "import importlib.metadata\nfrom importlib.metadata import distribution\n\nfrom pkg.io import read_text\n\n\n"
        "def installed_from_repo():\n"
        "    first = importlib.metadata.distribution('whisper').read_text('direct_url.json')\n"
        "    dist = distribution('whisper')\n"
        "    second = dist.read_text('direct_url.json')\n"
        "    return first, second, read_text('settings.json')\n"
    )
    write_tree(
        tmp_path, {"pkg/__init__.py": "", "pkg/io.py": "def read_text(p):\n    return p\n", "pkg/compat.py": code}
    )
    [hit] = findings(tmp_path, "REP015")
    assert hit.line == 11 and "'settings.json'" in hit.message
