"""Tests of rule SEC009 (`mlaudit/rules/security/sec009_torch_load_without_weights_only.py`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlaudit.model import Severity
from tests.helpers import findings, write_tree
from tests.rules.security._helpers import SAFE, UNSAFE


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("SEC009", [9, 10]),
    ],
)
def test_unsafe_calls_fire_and_safe_lookalikes_stay_silent(tmp_path: Path, code: str, expected: list[int]) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/unsafe.py": UNSAFE, "pkg/safe.py": SAFE})
    hits = findings(tmp_path, code)
    assert all(f.path == "pkg/unsafe.py" for f in hits)
    assert sorted(f.line or 0 for f in hits) == expected


def test_sec009_weights_only_false_is_error(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/unsafe.py": UNSAFE})
    severities = {f.line: f.severity for f in findings(tmp_path, "SEC009")}
    assert severities == {9: Severity.WARNING, 10: Severity.ERROR}


def test_sec009_resolves_kwargs_and_trusts_explicit_opt_out_branch(tmp_path: Path) -> None:
    code = """\
import torch
NEW_TORCH = True

def load_safe(fp, device):
    kwargs = {"weights_only": True} if NEW_TORCH else {}
    return torch.load(fp, map_location=device, **kwargs)

def load_forced(fp):
    opts = {"weights_only": False}
    return torch.load(fp, **opts)

def load_checkpoint(path, weights_only=True):
    try:
        return torch.load(path, weights_only=weights_only)
    except TypeError:
        if not weights_only:
            return torch.load(path)
        raise

def load_legacy(path, strict=True):
    if not strict:
        return torch.load(path)
    return None
"""
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/ckpt.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC009")}
    assert hits == {10: Severity.ERROR, 22: Severity.WARNING}


def test_sec009_follows_project_wrapper_to_downloaded_files(tmp_path: Path) -> None:
    io_module = (
        "import torch\n\ndef unpickle_weights(path, **kw):\n    return torch.load(path, weights_only=False, **kw)\n"
    )
    hub = (
        "from pkg.io import unpickle_weights\nfrom pkg.net import fetch_release_asset\n\n"
        "def from_hub(name):\n    return unpickle_weights(fetch_release_asset(name))\n\n"
        "def from_disk(path):\n    return unpickle_weights(path)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/io.py": io_module, "pkg/hub.py": hub, "pkg/net.py": ""})
    hits = {(f.path, f.line): f for f in findings(tmp_path, "SEC009")}
    assert set(hits) == {("pkg/io.py", 4), ("pkg/hub.py", 5)}
    wrapper_call = hits[("pkg/hub.py", 5)]
    assert wrapper_call.severity is Severity.ERROR and "pkg/io.py:4" in wrapper_call.message
    assert "safe_globals" in wrapper_call.fix


def test_sec009_names_a_notebook_wrapper_by_its_cell(tmp_path: Path) -> None:
    define = "import torch\n\ndef load_checkpoint(path):\n    return torch.load(path, weights_only=False)\n"
    use = "state = load_checkpoint('https://example.com/models/best.pt')\n"
    cells = [{"cell_type": "code", "source": source, "outputs": [], "metadata": {}} for source in (define, use)]
    write_tree(tmp_path, {"explore.ipynb": json.dumps({"cells": cells, "nbformat": 4, "nbformat_minor": 5})})
    messages = [f.message for f in findings(tmp_path, "SEC009")]
    assert any("explore.ipynb[cell 1]:4" in m for m in messages), messages
    # Look-alike: the same wrapper in a module is named by its file and line.
    write_tree(tmp_path / "m", {"load.py": define + "\n" + use})
    module_messages = [f.message for f in findings(tmp_path / "m", "SEC009")]
    assert any("load.py:4" in m and "[cell" not in m for m in module_messages), module_messages


def test_sec009_resolves_kwargs_defaulted_in_an_enclosing_function(tmp_path: Path) -> None:
    code = """\
import torch

class Net:
    def load_params(self, path, user_kwargs=None):
        load_kwargs = user_kwargs or {"weights_only": True}

        def _read(f):
            return torch.load(f, map_location="cpu", **load_kwargs)

        return _read(path)

    def load_legacy(self, path):
        legacy_kwargs = {"map_location": "cpu"}
        return torch.load(path, **legacy_kwargs)
"""
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/net.py": code})
    assert [f.line for f in findings(tmp_path, "SEC009")] == [14]


def test_sec009_flags_passed_through_an_attribute_are_info_but_a_literal_dict_without_them_is_not(
    tmp_path: Path,
) -> None:
    code = """\
import io

import torch


class StateUnpickler:
    def __init__(self, torch_load_kwargs):
        self.torch_load_kwargs = torch_load_kwargs

    def load_bytes(self, blob):
        return torch.load(io.BytesIO(blob), map_location="cpu", **self.torch_load_kwargs)


def restore(handle):
    load_kwargs = {"map_location": "cpu"}
    return torch.load(handle, **load_kwargs)
"""
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/state.py": code})
    hits = {f.line: (f.severity, f.message) for f in findings(tmp_path, "SEC009")}
    assert hits[11][0] is Severity.INFO and "**self.torch_load_kwargs" in hits[11][1]
    assert hits[16][0] is Severity.WARNING and "without weights_only=True" in hits[16][1]


def test_sec009_library_helper_named_after_torch_load_on_a_download_warns(tmp_path: Path) -> None:
    loader = (
        "from detlib.utils.patches import torch_load\n"
        "from pkg.downloads import attempt_download\n"
        "from pkg.io import torch_load as local_torch_load\n\n\n"
        "def load_remote(weights):\n    return torch_load(attempt_download(weights), map_location='cpu')\n\n\n"
        "def load_local(path):\n    return torch_load(path, map_location='cpu')\n\n\n"
        "def load_pinned(weights):\n    return torch_load(attempt_download(weights), weights_only=True)\n\n\n"
        "def load_own(weights):\n    return local_torch_load(attempt_download(weights))\n"
    )
    safe_io = "import torch\n\n\ndef torch_load(path):\n    return torch.load(path, weights_only=True)\n"
    files = {
        "requirements.txt": "detlib==8.0\ntorch==2.4\n",
        "pkg/__init__.py": "",
        "pkg/io.py": safe_io,
        "pkg/downloads.py": "def attempt_download(name):\n    return name\n",
        "pkg/models.py": loader,
    }
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "SEC009")
    assert (hit.path, hit.line, hit.severity) == ("pkg/models.py", 7, Severity.WARNING)
    assert "detlib.utils.patches.torch_load is another library's torch.load helper" in hit.message


def test_sec009_trusted_branch_and_restricted_pickle_module(tmp_path: Path) -> None:
    code = """\
import torch
from pkg.safe import RestrictedPickle


def load_wrapper(path, trusted=False, **kwargs):
    if trusted:
        return torch.load(path, weights_only=False, **kwargs)
    return torch.load(path, weights_only=False, pickle_module=RestrictedPickle, **kwargs)


def load_any(path, trusted=True):
    if trusted:
        return torch.load(path, weights_only=False)
    return None
"""
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/safe.py": "RestrictedPickle = None\n", "pkg/io.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC009")}
    assert hits == {8: Severity.INFO, 13: Severity.ERROR}


@pytest.mark.parametrize(
    ("requirement", "bare_flagged"),
    [
        ("torch>=2.1\n", True),  # torch 2.1-2.5 unpickles by default
        ("torch\n", True),  # any torch
        ("torch>2.5\n", True),  # 2.5.1 would do
        ("torch>=2.6\n", False),  # weights_only=True is the default from 2.6
        ("torch==2.7.1\n", False),
    ],
)
def test_sec009_bare_call_is_safe_where_every_declared_torch_is_2_6_or_newer(
    tmp_path: Path, requirement: str, bare_flagged: bool
) -> None:
    code = (
        "import torch\n\n\ndef load(path):\n    return torch.load(path, map_location='cpu')\n\n\n"
        "def load_full(path):\n    return torch.load(path, weights_only=False)\n"
    )
    write_tree(tmp_path, {"requirements.txt": requirement, "ckpt/__init__.py": "", "ckpt/io.py": code})
    hits = {h.line: h.severity for h in findings(tmp_path, "SEC009")}
    assert (5 in hits) is bare_flagged
    assert hits[9] is Severity.ERROR  # weights_only=False unpickles on every torch


def test_sec009_weights_only_false_resuming_the_class_own_checkpoint_is_a_warning(tmp_path: Path) -> None:
    trainer = (
        "import torch\n\n\nclass Trainer:\n"
        "    def save_checkpoint(self, path):\n"
        "        torch.save({'net': self.net.state_dict(), 'cfg': self.cfg}, path)\n\n"
        "    def load_checkpoint(self, path):\n"
        "        state = torch.load(path, map_location='cpu', weights_only=False)\n"
        "        self.net.load_state_dict(state['net'])\n\n\n"
        "class Predictor:\n"
        "    def from_folder(self, folder):\n"
        "        return torch.load(folder / 'final.pth', weights_only=False)\n\n\n"
        "def load_pretrained(net, path):\n"
        "    net.load_state_dict(torch.load(path, weights_only=False)['state_dict'])\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/train.py": trainer})
    hits = {f.line: f for f in findings(tmp_path, "SEC009")}
    assert {line: f.severity for line, f in hits.items()} == {
        9: Severity.WARNING,
        15: Severity.ERROR,
        19: Severity.ERROR,
    }
    assert "checkpoint its class saves" in hits[9].message
    assert "can run any code" in hits[15].message


def test_sec009_a_class_saving_through_a_helper_named_after_torch_save_reads_back_its_own_file(
    tmp_path: Path,
) -> None:
    dataset = (
        "import torch\n\nfrom pkg import storage\n\n\nclass Cache:\n"
        "    def write(self, item, path):\n"
        "        storage.torch_save(item, path)\n\n"
        "    def read(self, path):\n"
        "        return torch.load(path, weights_only=False)\n\n\n"
        "class Mirror:\n"
        "    def write(self, item, path):\n"
        "        storage.save_json(item, path)\n\n"
        "    def read(self, path):\n"
        "        return torch.load(path, weights_only=False)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/storage.py": "", "pkg/cache.py": dataset})
    found = {f.line: f.severity for f in findings(tmp_path, "SEC009")}
    assert found == {11: Severity.WARNING, 19: Severity.ERROR}


def test_sec009_function_reading_back_the_cache_it_saves_is_a_warning(tmp_path: Path) -> None:
    code = """\
import os

import torch


def atomic_save(item, path):
    torch.save(item, path + ".tmp")
    os.replace(path + ".tmp", path)


def cached(name, compute, root):
    item_path = os.path.join(root, name + ".pt")
    if os.path.exists(item_path):
        return torch.load(item_path, map_location="cpu", weights_only=False)
    item = compute()
    atomic_save(item, item_path)
    return item


def features(name, root):
    item_path = os.path.join(root, name + ".pt")
    stats_path = os.path.join(root, name + ".npz")
    torch.save({"name": name}, stats_path)
    return torch.load(item_path, map_location="cpu", weights_only=False)
"""
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/cache.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC009")}
    # the cache reads back what it saved (warning); a load of a path the function never writes stays an error
    assert hits == {14: Severity.WARNING, 24: Severity.ERROR}


def test_sec009_weights_shipped_inside_the_package_are_as_trusted_as_its_code(tmp_path: Path) -> None:
    code = """\
import os
from pathlib import Path

import torch

_WEIGHTS = Path(__file__).resolve().parent / "assets" / "head.pt"


class Head(torch.nn.Module):
    def __init__(self, load_weights=True):
        super().__init__()
        self.alpha = torch.nn.Parameter(torch.zeros(8))
        if load_weights:
            self.alpha.data = torch.load(str(_WEIGHTS))["alpha"]


def bundled_stats():
    here = os.path.join(os.path.dirname(__file__), "stats.pt")
    return torch.load(here)


def user_stats(path=None):
    if path is None:
        path = os.path.join(os.path.dirname(__file__), "stats.pt")
    return torch.load(path)


def cached_stats(cache_dir):
    return torch.load(os.path.join(cache_dir, "stats.pt"))
"""
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/head.py": code})
    # flagged: a parameter the caller may point anywhere (25), a path outside the package (29)
    assert sorted(f.line or 0 for f in findings(tmp_path, "SEC009")) == [25, 29]


def test_sec009_load_after_refusing_unless_trust_is_set_in_the_environment(tmp_path: Path) -> None:
    code = """\
import logging
import os

import torch

logger = logging.getLogger(__name__)


def load_exported(path, device="cpu"):
    trust_remote_code_enabled = os.environ.get("TRUST_REMOTE_CODE", "0") in {"1", "true"}
    if not trust_remote_code_enabled:
        raise ValueError("set TRUST_REMOTE_CODE=1 to unpickle a model you trust")
    return torch.load(path, map_location=device, weights_only=False)


def load_logged(path, device="cpu"):
    trust_remote_code_enabled = os.environ.get("TRUST_REMOTE_CODE", "0") in {"1", "true"}
    if not trust_remote_code_enabled:
        logger.warning("unpickling %s without TRUST_REMOTE_CODE", path)
    return torch.load(path, map_location=device, weights_only=False)
"""
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/export.py": code})
    # flagged: the guard that only warns still unpickles every file
    assert [(f.line, f.severity) for f in findings(tmp_path, "SEC009")] == [(20, Severity.ERROR)]


def test_sec009_follows_torch_reexported_by_the_projects_own_package(tmp_path: Path) -> None:
    """`from app.torch_utils import torch` where that package (in two hops) holds `import torch`."""
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/torch_utils/__init__.py": "from .backend import torch as torch\nfrom .backend import pick_device\n",
            "app/torch_utils/backend.py": (
                "import torch\n\n\ndef pick_device():\n    return 'cuda' if torch.cuda.is_available() else 'cpu'\n"
            ),
            "app/checkpoint.py": (
                "from app.torch_utils import torch, pick_device\n\n\n"
                "def restore(path):\n    return torch.load(path, map_location=pick_device())\n"
            ),
        },
    )
    hits = findings(tmp_path, "SEC009")
    assert [(f.path, f.line) for f in hits] == [("app/checkpoint.py", 5)]


def test_sec009_reexport_lookalikes_stay_silent(tmp_path: Path) -> None:
    """The same re-export with weights_only=True, and a project `load` helper that is not torch's."""
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/torch_utils/__init__.py": "import torch\n",
            "app/store.py": "import json\n\n\ndef load(path):\n    with open(path) as f:\n        return json.load(f)\n",
            "app/checkpoint.py": (
                "from app.torch_utils import torch\nfrom app import store\n\n\n"
                "def restore(path):\n    return torch.load(path, weights_only=True), store.load(path)\n"
            ),
        },
    )
    assert findings(tmp_path, "SEC009") == []


def test_sec009_reexport_cycles_end_without_a_finding(tmp_path: Path) -> None:
    """Two modules of the package re-export a name from each other: resolving stops, nothing is invented."""
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "from app.loading import torch\n",
            "app/loading.py": "from app import torch\n",
            "app/run.py": "from app import torch\n\n\ndef restore(path):\n    return torch.load(path)\n",
        },
    )
    assert findings(tmp_path, "SEC009") == []


def test_sec009_follows_a_reexport_through_a_submodule_named_like_the_library(tmp_path: Path) -> None:
    """`app/torch_utils/torch.py` holds `import torch`; the package re-exports that name, not the submodule."""
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/torch_utils/__init__.py": "from app.torch_utils.torch import torch as torch  # noqa\n",
            "app/torch_utils/torch.py": "import os\n\nimport torch\n\ntorch.set_num_threads(int(os.cpu_count() or 1))\n",
            "app/saver.py": "from app.torch_utils import torch\n\n\ndef restore(path):\n    return torch.load(path)\n",
        },
    )
    assert [(f.path, f.line) for f in findings(tmp_path, "SEC009")] == [("app/saver.py", 5)]


BUFFER_COPY = """import io

import torch
import torch.distributed as dist


def broadcast_state(state, src):
    if dist.get_rank() == src:
        buffer = io.BytesIO()
        torch.save(state, buffer)
        data = torch.ByteTensor(bytearray(buffer.getbuffer()))
        dist.broadcast(data, src=src)
        return state
    data = torch.empty(1 << 20, dtype=torch.uint8)
    dist.broadcast(data, src=src)
    buffer = io.BytesIO(data.numpy().tobytes())
    return torch.load(buffer, map_location="cpu")


def load_uploaded(path):
    scratch = io.BytesIO()
    torch.save({}, scratch)
    with open(path, "rb") as f:
        buffer = io.BytesIO(f.read())
    return torch.load(buffer)
"""


def test_sec009_silent_on_a_buffer_the_function_saves_itself_for_its_ranks(tmp_path: Path) -> None:
    # broadcast_state() loads the bytes it saved into memory on the source rank; load_uploaded() wraps a file
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/dist.py": BUFFER_COPY})
    assert [h.line for h in findings(tmp_path, "SEC009")] == [25]


PICKLED_PREDICTOR = """import io

import torch


class Predictor:
    def __init__(self, model):
        self.model = model

    def __getstate__(self):
        buffer = io.BytesIO()
        torch.save(self.model, buffer)
        return {"model": buffer.getvalue(), "checkpoint": "ckpt/last.pt"}

    def __setstate__(self, state):
        raw = io.BytesIO(state["model"])
        self.model = torch.load(raw, weights_only=False)
        self.head = torch.load(state["checkpoint"], weights_only=False)
"""


def test_sec009_a_setstate_loading_the_bytes_of_its_own_pickle_adds_no_risk(tmp_path: Path) -> None:
    """The model bytes come with the pickle being loaded, which could already run any code; the checkpoint the
    state names is a file read from outside that pickle."""
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/wrap.py": PICKLED_PREDICTOR})
    assert [hit.line for hit in findings(tmp_path, "SEC009")] == [18]


WITH_BUFFER_COPY = """import io

import torch


def clone_module(module):
    with io.BytesIO() as buffer:
        torch.save(module, buffer)
        buffer.seek(0)
        return torch.load(buffer, weights_only=False)


def clone_from_checkpoint(module, path):
    with io.BytesIO() as scratch:
        torch.save(module, scratch)
    with open(path, "rb") as buffer:
        return torch.load(buffer, weights_only=False)
"""


def test_sec009_silent_on_a_with_bound_buffer_the_function_saves_itself(tmp_path: Path) -> None:
    # `with io.BytesIO() as buffer:` binds a memory buffer as `buffer = io.BytesIO()` does; a file handle is a file
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/copying.py": WITH_BUFFER_COPY})
    assert [h.line for h in findings(tmp_path, "SEC009")] == [17]
