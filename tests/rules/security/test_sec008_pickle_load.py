"""Tests of rule SEC008 (`mlaudit/rules/security/sec008_pickle_load.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlaudit.model import Severity
from tests.helpers import findings, write_tree
from tests.rules.security._helpers import SAFE, UNSAFE


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("SEC008", [6, 7, 8]),
    ],
)
def test_unsafe_calls_fire_and_safe_lookalikes_stay_silent(tmp_path: Path, code: str, expected: list[int]) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/unsafe.py": UNSAFE, "pkg/safe.py": SAFE})
    hits = findings(tmp_path, code)
    assert all(f.path == "pkg/unsafe.py" for f in hits)
    assert sorted(f.line or 0 for f in hits) == expected


SERVICE = """import io
import pickle

import joblib
import torch
from fastapi import Depends, FastAPI, Request, UploadFile

from svc.settings import Settings, get_settings

app = FastAPI()


@app.post("/score")
async def score(request: Request):
    features = pickle.loads(await request.body())
    return {"n": len(features)}


@app.post("/upload")
async def upload(file: UploadFile):
    model = joblib.load(file.file)
    return {"kind": type(model).__name__}


@app.post("/weights")
async def weights(file: UploadFile):
    state = torch.load(io.BytesIO(await file.read()))
    return {"keys": len(state)}


@app.get("/model")
def model_info(settings: Settings = Depends(get_settings)):
    model = joblib.load(settings.model_path)
    return {"kind": type(model).__name__}


def load_cache(path):
    with open(path, "rb") as handle:
        return pickle.load(handle)
"""


def test_sec008_unpickling_what_a_client_sent_is_critical(tmp_path: Path) -> None:
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/settings.py": "class Settings: ...\n", "svc/api.py": SERVICE})
    found = {f.line: f for f in findings(tmp_path, "SEC008")}
    assert found[15].severity is Severity.CRITICAL and "the client sent" in found[15].message
    assert found[21].severity is Severity.CRITICAL
    # Look-alikes: a path from a server-side dependency, and a cache file read outside any route.
    assert found[33].severity is Severity.WARNING
    assert found[39].severity is Severity.WARNING
    torch_found = {f.line: f for f in findings(tmp_path, "SEC009")}
    assert torch_found[27].severity is Severity.CRITICAL


COMM = """import pickle

import torch
import torch.distributed as dist


def all_gather(data):
    buffer = pickle.dumps(data)
    tensor = torch.ByteTensor(torch.ByteStorage.from_buffer(buffer))
    gathered = [torch.empty_like(tensor) for _ in range(dist.get_world_size())]
    dist.all_gather(gathered, tensor)
    return [pickle.loads(t.numpy().tobytes()) for t in gathered]


def load_shared(path):
    with open(path, "rb") as f:
        state = pickle.loads(f.read())
    dist.barrier()
    return state
"""


def test_sec008_silent_on_bytes_gathered_from_the_jobs_own_ranks(tmp_path: Path) -> None:
    # all_gather() unpickles what its peers pickled; load_shared() unpickles a file (a barrier is no exchange)
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/comm.py": COMM})
    assert [h.line for h in findings(tmp_path, "SEC008")] == [17]


TRUST_GUARDED = """\
import pickle

import joblib


def load_cache(path, trust_remote_code=False):
    if not trust_remote_code:
        raise ValueError("cached objects are pickles: pass trust_remote_code=True for files you made")
    with open(path, "rb") as f:
        return pickle.load(f)


def load_estimator(path, trusted=False):
    if trusted and path.endswith(".joblib"):
        return joblib.load(path)
    raise ValueError("refusing to unpickle an untrusted file")


def load_any(path, trusted=True):
    if not trusted:
        raise ValueError("untrusted")
    return joblib.load(path)


def load_else(path, trusted=False):
    if trusted:
        return None
    else:
        return joblib.load(path)


def load_warned(path, allow_pickle=False):
    if not allow_pickle:
        print("unpickling anyway")
    return joblib.load(path)
"""


def test_sec008_load_behind_an_off_by_default_trust_flag_is_the_callers_decision(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/cache.py": TRUST_GUARDED})
    # flagged: a flag that defaults to trusting (22), the untrusted branch (29), a guard that does not refuse (35)
    assert sorted(f.line or 0 for f in findings(tmp_path, "SEC008")) == [22, 29, 35]


PERMISSION_CHECKED = """\
import os
import pickle


class PickleStore:
    def __init__(self, allowpickle=False):
        self.allowpickle = allowpickle
        self.cached = True

    def allow(self):
        if not (self.allowpickle or os.environ.get("ALLOW_PICKLE") == "1"):
            raise ValueError("pickle is disabled: set ALLOW_PICKLE=1 for data you made")
        return True

    def loadstream(self, stream):
        return pickle.load(stream) if self.allow() else None

    def loadbytes(self, data):
        if not self.allowpickle:
            raise ValueError("pickle is disabled")
        return pickle.loads(data)

    def loadcached(self, stream):
        return pickle.load(stream) if self.cached else None
"""


def test_sec008_load_behind_a_permission_check_is_opted_into(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/store.py": PERMISSION_CHECKED})
    # flagged: the load gated by a flag that grants no permission (a cache switch)
    assert [f.line for f in findings(tmp_path, "SEC008")] == [24]


OWN_CACHE = """\
import pickle
import tempfile
from pathlib import Path


class PickleCached:
    def __init__(self, iterable):
        self.iterable = iterable
        self.cached = False
        self._path = Path(tempfile.NamedTemporaryFile(delete=False).name)

    def __iter__(self):
        if not self.cached:
            with open(self._path, "wb") as tmpfile:
                for item in self.iterable:
                    pickle.dump(item, tmpfile)
                    yield item
            self.cached = True
        else:
            with open(self._path, "rb") as tmpfile:
                yield pickle.load(tmpfile)

    def restore(self, other_path):
        with open(self._path, "wb") as out:
            pickle.dump(self.iterable, out)
        with open(other_path, "rb") as src:
            return pickle.load(src)
"""


def test_sec008_reading_back_what_the_function_pickled_is_an_info_note(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/cached.py": OWN_CACHE})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC008")}
    # the cache reads back its own dump; restore() loads a different file than the one it writes
    assert hits == {21: Severity.INFO, 27: Severity.WARNING}


def test_sec008_silent_on_in_memory_round_trips_and_state_restored_in_setstate(tmp_path: Path) -> None:
    code = (
        "import pickle\n\nimport cloudpickle\n\n\n"
        "def check_picklable(learner):\n"
        "    dumped = pickle.dumps(learner)\n"
        "    pickle.loads(dumped)\n"
        "    return pickle.loads(pickle.dumps(learner.params))\n\n\n"
        "class Step:\n"
        "    def __getstate__(self):\n"
        "        return {'fn': cloudpickle.dumps(self.fn)}\n\n"
        "    def __setstate__(self, state):\n"
        "        self.fn = cloudpickle.loads(state['fn'])\n\n\n"
        "def fetch(client, key):\n"
        "    dumped = client.get(key)\n"
        "    return pickle.loads(dumped)\n"
    )
    write_tree(tmp_path, {"pipes/__init__.py": "", "pipes/steps.py": code})
    assert [(h.line, h.severity) for h in findings(tmp_path, "SEC008")] == [(22, Severity.WARNING)]


def test_sec008_a_round_trip_through_text_encodings_stays_in_memory(tmp_path: Path) -> None:
    code = (
        "import base64\nimport codecs\nimport pickle\n\n\n"
        "def can_pickle(value):\n"
        "    text = codecs.encode(pickle.dumps(value), 'base64').decode()\n"
        "    pickle.loads(codecs.decode(text.encode(), 'base64'))\n"
        "    return pickle.loads(base64.b64decode(base64.b64encode(pickle.dumps(value))))\n\n\n"
        "def restore(row):\n"
        "    text = row['state']\n"
        "    return pickle.loads(base64.b64decode(text.encode()))\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/state.py": code})
    # restore() decodes text it was handed, not text it encoded itself
    assert [(h.line, h.severity) for h in findings(tmp_path, "SEC008")] == [(14, Severity.WARNING)]


def test_sec008_a_file_joined_to_a_module_constant_holding_the_package_folder_is_bundled(tmp_path: Path) -> None:
    code = (
        "import os\n\nimport joblib\n\n"
        "HERE = os.path.dirname(__file__)\n"
        "CACHE = os.path.expanduser('~/.cache/sim')\n\n\n"
        "def residual_model(ind):\n"
        "    return joblib.load(os.path.join(HERE, f'input/gm_{ind}.jbl'))\n\n\n"
        "def cached_model(ind):\n"
        "    return joblib.load(os.path.join(CACHE, f'gm_{ind}.jbl'))\n\n\n"
        "def chosen_model(HERE, ind):\n"
        "    return joblib.load(os.path.join(HERE, f'gm_{ind}.jbl'))\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/sim.py": code})
    assert [f.line for f in findings(tmp_path, "SEC008")] == [14, 18]


def test_sec008_a_handle_opened_on_a_path_built_from_the_package_folder_reads_a_bundled_file(tmp_path: Path) -> None:
    code = (
        "import os\nimport pickle\n\n\n"
        "def dataset_names():\n"
        "    here = os.path.dirname(__file__)\n"
        "    info = os.path.join(here, 'info', 'names.pickle')\n"
        "    with open(info, 'rb') as f:\n"
        "        return sorted(pickle.load(f))\n\n\n"
        "def load_estimator(path):\n"
        "    with open(path, 'rb') as f:\n"
        "        return pickle.load(f)\n\n\n"
        "def cached_names(cache_dir):\n"
        "    info = os.path.join(cache_dir, 'names.pickle')\n"
        "    with open(info, 'rb') as f:\n"
        "        return pickle.load(f)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/datasets.py": code})
    # the package's own metadata is silent; a caller's path, or one under a caller's folder, still unpickles
    assert [f.line for f in findings(tmp_path, "SEC008")] == [14, 20]


LOADER_TABLE = """\
import json
import pickle
from functools import partial

import joblib

HANDLERS = {".json": json.load, ".pkl": pickle.load}


def read_config(path, suffix):
    with open(path, "rb") as handle:
        return HANDLERS[suffix](handle)


model_reader = partial(joblib.load, mmap_mode="r")
"""
# the same table of loaders, but only writers and safe readers are named: nothing unpickles
WRITER_TABLE = """\
import json
import pickle

WRITERS = {".json": json.dump, ".pkl": pickle.dump}
READERS = {".json": json.load}


def is_pickler(obj):
    return isinstance(obj, pickle.Pickler)
"""


def test_sec008_a_pickle_loader_named_as_a_value_unpickles_what_reaches_it(tmp_path: Path) -> None:
    write_tree(tmp_path, {"cfg/__init__.py": "", "cfg/files.py": LOADER_TABLE})
    hits = findings(tmp_path, "SEC008")
    assert [(h.line, h.message.split()[0]) for h in hits] == [(7, "pickle.load"), (15, "joblib.load")]


def test_sec008_writers_and_safe_readers_in_a_table_are_silent(tmp_path: Path) -> None:
    write_tree(tmp_path, {"cfg/__init__.py": "", "cfg/files.py": WRITER_TABLE})
    assert findings(tmp_path, "SEC008") == []


def test_sec008_a_module_unpickling_the_bytes_it_pickles_for_its_workers_is_a_note(tmp_path: Path) -> None:
    stages = (
        "import cloudpickle\n\n\n"
        "def to_partition(series):\n"
        "    return [[cloudpickle.dumps(series), len(series)]]\n\n\n"
        "def from_partition(rows):\n"
        "    for row in rows:\n"
        "        yield cloudpickle.loads(row[0])\n"
    )
    client = (
        "import pickle\n\n\n"
        "def call(sock, request):\n"
        "    sock.sendall(pickle.dumps(request))\n\n\n"
        "def receive(sock):\n"
        "    data = sock.recv(65536)\n"
        "    return pickle.loads(data)\n"
    )
    cache = "import pickle\n\n\ndef fetch(store, key):\n    return pickle.loads(store[key])\n"
    write_tree(
        tmp_path, {"pkg/__init__.py": "", "pkg/stages.py": stages, "pkg/client.py": client, "pkg/cache.py": cache}
    )
    hits = {(h.path, h.line): h.severity for h in findings(tmp_path, "SEC008")}
    # bytes off a socket and bytes the module never made stay warnings
    assert hits == {
        ("pkg/stages.py", 10): Severity.INFO,
        ("pkg/client.py", 10): Severity.WARNING,
        ("pkg/cache.py", 5): Severity.WARNING,
    }


def test_sec008_silent_on_an_attribute_the_class_binds_only_to_its_own_dumps(tmp_path: Path) -> None:
    """`self._configs = pickle.dumps(config)` in `__init__`, read back by `pickle.loads(self._configs)`: the
    instance's own bytes. A checkpoint's config unpickled after `torch.load`, or an attribute also set from a
    file, is a load of bytes from outside."""
    code = (
        "import pickle\n\nimport torch\n\n\n"
        "class Codec(torch.nn.Module):\n"
        "    def __init__(self, dim=512, **kwargs):\n"
        "        super().__init__()\n"
        "        self._configs = pickle.dumps(dict(dim=dim, **kwargs))\n\n"
        "    @property\n"
        "    def configs(self):\n"
        "        return pickle.loads(self._configs)\n\n"
        "    @classmethod\n"
        "    def init_and_load_from(cls, path):\n"
        "        pkg = torch.load(path, map_location='cpu', weights_only=True)\n"
        "        return cls(**pickle.loads(pkg['config']))\n\n\n"
        "class Tokenizer:\n"
        "    def __init__(self, vocab):\n"
        "        self._state = pickle.dumps(vocab)\n\n"
        "    def restore(self, path):\n"
        "        with open(path, 'rb') as f:\n"
        "            self._state = f.read()\n\n"
        "    def vocab(self):\n"
        "        return pickle.loads(self._state)\n"
    )
    write_tree(tmp_path, {"codecs/__init__.py": "", "codecs/codec.py": code})
    assert [(h.line, h.severity) for h in findings(tmp_path, "SEC008")] == [
        (18, Severity.WARNING),
        (30, Severity.WARNING),
    ]


SAVE_LOAD_PAIR = """import pickle
from pathlib import Path


class Searcher:
    def __init__(self, checkpoint_path):
        self.checkpoint_path = checkpoint_path
        self.other_path = checkpoint_path

    def save(self, filepath):
        with open(filepath, "wb") as handle:
            pickle.dump(self.__dict__, handle)

    def load(self, filepath):
        filepath = Path(filepath)
        with filepath.open("rb") as handle:
            self.__dict__.update(pickle.load(handle))

    def on_step(self):
        with open(self.checkpoint_path, "wb") as handle:
            pickle.dump(self.__dict__, handle)

    def load_checkpoint(self):
        with open(self.{attribute}, "rb") as handle:
            return pickle.load(handle)
"""


def test_sec008_the_loading_half_of_a_classs_own_save_load_pair_is_a_note(tmp_path: Path) -> None:
    code = SAVE_LOAD_PAIR.replace("{attribute}", "checkpoint_path")
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/search.py": code})
    hits = {f.line: f for f in findings(tmp_path, "SEC008")}
    assert {line: f.severity for line, f in hits.items()} == {17: Severity.INFO, 25: Severity.INFO}
    assert "reads back what save() of the same code pickles" in hits[17].message
    # Look-alikes: a checkpoint read from another attribute than the one written, a load with no writer of its
    # own, and a loader that downloads what it unpickles are ordinary loads
    other = SAVE_LOAD_PAIR.replace("{attribute}", "other_path")
    write_tree(tmp_path, {"pkg/search.py": other})
    assert {f.line: f.severity for f in findings(tmp_path, "SEC008")} == {17: Severity.INFO, 25: Severity.WARNING}
    reader = "import pickle\n\n\ndef load(filepath):\n    with open(filepath, 'rb') as handle:\n        return pickle.load(handle)\n"
    fetched = reader.replace("    with open", "    filepath = download_file(filepath)\n    with open")
    fetched += (
        "\n\ndef save(obj, filepath):\n    with open(filepath, 'wb') as handle:\n        pickle.dump(obj, handle)\n"
    )
    write_tree(tmp_path, {"pkg/search.py": reader, "pkg/remote.py": fetched})
    assert [(f.path, f.severity) for f in findings(tmp_path, "SEC008")] == [
        ("pkg/remote.py", Severity.WARNING),
        ("pkg/search.py", Severity.WARNING),
    ]


BUFFER_BROADCAST = """import io
import pickle

from mesh import comm


def broadcast_object(obj, src):
    if comm.rank() == src:
        out = io.BytesIO()
        pickle.dump(obj, out)
        payload = comm.broadcast(bytearray(out.getvalue()), src)
    else:
        payload = comm.broadcast(None, src)
    return pickle.load(io.BytesIO(bytes(payload)))


def gather_objects(obj):
    def load(raw):
        return pickle.load(io.BytesIO(raw.tobytes()))

    out = io.BytesIO()
    pickle.dump(obj, out)
    return [load(raw) for raw in comm.all_gather(bytearray(out.getvalue()))]


def receive_object(sock):
    reply = io.BytesIO()
    pickle.dump("ack", reply)
    sock.sendall(reply.getvalue())
    return pickle.load(io.BytesIO(sock.recv(4096)))
"""


def test_sec008_silent_on_a_buffer_the_function_pickles_itself_for_its_ranks(tmp_path: Path) -> None:
    # broadcast_object() reads back what it pickled into memory for its peer ranks; receive_object() unpickles
    # bytes off a socket, though it also pickles a reply into a buffer
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/comm.py": BUFFER_BROADCAST})
    assert [h.line for h in findings(tmp_path, "SEC008")] == [30]


TEMP_FILE_HANDOFF = """import os
import pickle
import sys
import tempfile
from multiprocessing import Process


class Worker(Process):
    def __init__(self, items_path):
        super().__init__()
        self._items_path = items_path

    def run(self):
        with open(self._items_path, "rb") as handle:
            items = pickle.load(handle)
        for item in items:
            item.process()


def start_workers(items, num_workers):
    fd, items_path = tempfile.mkstemp(suffix=".pkl")
    os.close(fd)
    with open(items_path, "wb") as handle:
        pickle.dump(items, handle)
    workers = [Worker(items_path) for _ in range(num_workers)]
    for worker in workers:
        worker.start()
    return workers


def load_shared_items(shared_path):
    with open(shared_path, "rb") as handle:
        return pickle.load(handle)


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as handle:
        print(pickle.load(handle))
"""


def test_sec008_reading_the_temp_file_its_own_module_pickles_into_is_a_note(tmp_path: Path) -> None:
    """The worker reads the `mkstemp()` file `start_workers` pickles its items into: objects handed to its own
    processes. Look-alikes: another path of the same module and a path from the command line stay warnings."""
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/workers.py": TEMP_FILE_HANDOFF})
    hits = sorted((f.line or 0, f.severity) for f in findings(tmp_path, "SEC008"))
    assert hits == [(15, Severity.INFO), (33, Severity.WARNING), (38, Severity.WARNING)]


CHILD_ENTRY = """import pickle
import subprocess
import sys
import tempfile


def run_in_child(func, *args):
    handle, runnable_file = tempfile.mkstemp()
    with open(handle, "wb") as f:
        pickle.dump((func, args), f)
    return subprocess.Popen([sys.executable, "-m", __name__, runnable_file])


if __name__ == "__main__":
    runnable_file = sys.argv[1]
    with open(runnable_file, "rb") as f:
        func, args = pickle.load(f)
    func(*args)
"""


def test_sec008_a_main_block_reading_the_temp_file_its_module_pickles_into_is_a_note(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/child.py": CHILD_ENTRY})
    assert [(f.line, f.severity) for f in findings(tmp_path, "SEC008")] == [(17, Severity.INFO)]


PATCHED_LOADER = """\
import pickle

from safe import checked_load

_original_load = pickle.load


def install():
    pickle.load = checked_load


def uninstall():
    pickle.load = _original_load


class Guard:
    def __enter__(self):
        self.saved = pickle.load
        pickle.load = checked_load

    def __exit__(self, *exc):
        pickle.load = self.saved
"""
# the original is kept and also handed on: whoever calls `fallback` unpickles what reaches it
PATCHED_AND_CALLED = """\
import pickle

from safe import checked_load

_original_load = pickle.load


def install():
    pickle.load = checked_load


def fallback(handle):
    return _original_load(handle)
"""


def test_sec008_a_loader_kept_only_to_undo_a_patch_is_silent_but_one_called_later_is_not(tmp_path: Path) -> None:
    # saving `pickle.load` to put it back after replacing it with a checked loader hands it to no caller
    files = {"hook/__init__.py": "", "hook/patch.py": PATCHED_LOADER, "hook/fallback.py": PATCHED_AND_CALLED}
    write_tree(tmp_path, files)
    assert [(h.path, h.line) for h in findings(tmp_path, "SEC008")] == [("hook/fallback.py", 5)]


GRPC_PEER = """\
import pickle
from concurrent import futures

import grpc

from peer_pb2 import Envelope


class PeerManager:
    def __init__(self, port, servicer):
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        self.server.add_insecure_port(f"0.0.0.0:{port}")
        self.servicer = servicer
        self.server.start()

    def send(self, stub, msg):
        stub.Send(Envelope(payload=pickle.dumps(msg)))

    def receive(self):
        payload = self.servicer.queue.get()
        return pickle.loads(payload)
"""
# a worker pool that only asks the socket library for a free port: its pickles stay among its own processes
WORKER_POOL = """\
import socket

import cloudpickle


def free_port():
    with socket.socket() as s:
        s.bind(("", 0))
        return s.getsockname()[1]


def to_task(fn):
    return cloudpickle.dumps(fn)


def run_task(task):
    return cloudpickle.loads(task)()
"""


def test_sec008_loads_in_a_module_running_a_network_server_is_an_error_but_a_free_port_lookup_is_not(
    tmp_path: Path,
) -> None:
    # the peer unpickles what arrives at the port it serves; the pool only picks a port number
    write_tree(tmp_path, {"fl/__init__.py": "", "fl/peer.py": GRPC_PEER, "fl/pool.py": WORKER_POOL})
    hits = {(h.path, h.line): h.severity for h in findings(tmp_path, "SEC008")}
    assert hits == {("fl/peer.py", 21): Severity.ERROR, ("fl/pool.py", 17): Severity.INFO}
