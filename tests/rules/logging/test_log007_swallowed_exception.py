"""Tests of rule LOG007 (`mlaudit/rules/logging/log007_swallowed_exception.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree

SWALLOW = """
import json


def load(path):
    try:
        return json.load(open(path))
    except Exception:
        pass
    try:
        return 1
    except:
        ...
    for p in [path]:
        try:
            return 2
        except (ValueError, BaseException):
            continue
    try:
        return 3
    except Exception as err:
        print(err)


def optional():
    try:
        import torch
    except ImportError:
        torch = None
    try:
        return 4
    except FileNotFoundError:
        pass
    try:
        return 5
    except Exception:
        logger.exception("failed")
        raise


class Handle:
    def __del__(self):
        try:
            self.close()
        except Exception:
            pass
"""


def test_log007_flags_swallowed_broad_exceptions(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/io.py": SWALLOW})
    hits = findings(tmp_path, "LOG007")
    assert [h.line for h in hits] == [8, 12, 17, 21]
    assert hits[0].message == "except Exception: pass in load() of pkg/io.py swallows every error"
    assert "only print" in hits[3].message


BEST_EFFORT = """
import shutil

import torch

try:
    import fugue_dask
except Exception:
    pass


def compiled(block_fn):
    try:
        block_fn = torch.compile(block_fn)
    except Exception:
        pass
    return block_fn


def release(context, tmp_dir):
    try:
        context.close()
        shutil.rmtree(tmp_dir)
    except Exception:
        pass


def run(model, batch):
    try:
        model = torch.compile(model)
        out = model(batch)
    except Exception:
        pass
    try:
        import fugue_spark
        fugue_spark.register()
    except Exception:
        pass
    try:
        batch = normalise(batch)
    except Exception:
        pass
    return batch
"""


def test_log007_silent_on_best_effort_imports_cleanup_and_upgrades_but_not_on_real_work(tmp_path: Path) -> None:
    # run() does work beyond the upgrade/import, and normalise(batch) is a new value, not an upgrade
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/opt.py": BEST_EFFORT})
    assert [h.line for h in findings(tmp_path, "LOG007")] == [32, 37, 41]


def test_log007_silent_on_an_optional_type_probe_but_not_when_the_probe_does_work(tmp_path: Path) -> None:
    probe = (
        "def is_torch_dataset(X):\n"
        "    try:\n"
        "        import torch\n\n"
        "        if isinstance(X, torch.utils.data.Dataset):\n"
        "            return True\n"
        "    except Exception:\n"
        "        pass\n"
        "    return False\n"
    )
    working = (
        "def load_features(path):\n"
        "    try:\n"
        "        import torch\n\n"
        "        if isinstance(path, str):\n"
        "            return torch.load(path, weights_only=True)\n"
        "    except Exception:\n"
        "        pass\n"
        "    return None\n"
    )
    write_tree(tmp_path, {"lab/__init__.py": "", "lab/util.py": probe, "lab/features.py": working})
    [hit] = findings(tmp_path, "LOG007")
    assert hit.path == "lab/features.py" and hit.line == 7


def test_log007_silent_on_an_environment_report_but_not_when_the_reported_step_does_work(tmp_path: Path) -> None:
    report = (
        "import platform\n\n\n"
        "def show_install():\n"
        "    try:\n"
        '        print(f"os: {platform.platform()}")\n'
        "    except Exception:\n"
        "        pass\n"
        "    try:\n"
        "        import fastai\n\n"
        '        print(f"fastai: {fastai.__version__}")\n'
        "    except Exception:\n"
        '        print("fastai: N/A")\n'
    )
    working = (
        "def train(learner):\n"
        "    try:\n"
        "        learner.fit(10)\n"
        '        print("trained")\n'
        "    except Exception:\n"
        '        print("training failed")\n'
    )
    write_tree(tmp_path, {"ts/__init__.py": "", "ts/imports.py": report, "ts/learner.py": working})
    [hit] = findings(tmp_path, "LOG007")
    assert hit.path == "ts/learner.py" and hit.line == 5


def test_log007_silent_on_an_import_time_notice_but_not_when_the_branch_does_work(tmp_path: Path) -> None:
    notice = (
        "import sys\n\n__version__ = '1.0'\n\n"
        "try:\n"
        "    from vendor_notices import notices\n\n"
        "    if 'arena' in notices and __version__ in notices['arena']:\n"
        "        print(notices['arena'][__version__], file=sys.stderr)\n"
        "except Exception:\n"
        "    pass\n"
    )
    working = notice.replace(
        "        print(notices['arena'][__version__], file=sys.stderr)\n", "        load_plugins(notices)\n"
    )
    write_tree(tmp_path, {"arena/__init__.py": notice, "arena/plugins.py": working})
    [hit] = findings(tmp_path, "LOG007")
    assert hit.path == "arena/plugins.py" and hit.line == 10


ENGINE = """\
import torch


class Engine:
    def warmup(self):
        try:
            self.predict(torch.zeros(1, 3, 64, 64))
        except Exception:
            pass

    def unload_model(self):
        try:
            self.model.cpu()
        except Exception:
            pass

    def drop_weights(self):
        try:
            del self.model
        except Exception:
            pass
        self.model = None

    def predict_batch(self, batch):
        try:
            return self.predict(batch)
        except Exception:
            pass
"""


def test_log007_silent_in_warmups_cleanup_functions_and_deletes_but_not_in_inference(tmp_path: Path) -> None:
    # a failed warm-up or unload loses nothing; a swallowed prediction error returns None to the caller
    write_tree(tmp_path, {"srv/__init__.py": "", "srv/engine.py": ENGINE})
    assert [h.line for h in findings(tmp_path, "LOG007")] == [27]


def test_log007_silent_on_a_best_effort_step_of_an_error_path_that_reraises(tmp_path: Path) -> None:
    code = (
        "import traceback\n\n\n"
        "def run(loop, queue):\n"
        "    try:\n        loop.run()\n"
        "    except BaseException as e:\n"
        "        try:\n            queue.put_nowait(traceback.format_exc())\n"
        "        except Exception:\n            pass\n"
        "        raise\n\n\n"
        "def run_quietly(loop, queue):\n"
        "    try:\n        loop.run()\n"
        "    except BaseException as e:\n"
        "        try:\n            queue.put_nowait(traceback.format_exc())\n"
        "        except Exception:\n            pass\n"
        "        return None\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/worker.py": code})
    assert [h.line for h in findings(tmp_path, "LOG007")] == [21]


TRANSPORT = """\
class Transport:
    async def disconnect(self):
        try:
            await self._socket.wait_closed()
        except Exception:
            pass

    async def reset(self):
        try:
            await self._session.close()
        except Exception:
            pass

    async def send(self, frame):
        try:
            await self._socket.send(frame)
        except Exception:
            pass
"""


def test_log007_silent_on_awaited_cleanup_and_in_disconnect_but_not_on_an_awaited_send(tmp_path: Path) -> None:
    """`await session.close()` is cleanup as `session.close()` is; a failed `send` loses the frame."""
    write_tree(tmp_path, {"rtc/__init__.py": "", "rtc/transport.py": TRANSPORT})
    assert [h.line for h in findings(tmp_path, "LOG007")] == [17]


def test_log007_an_exception_built_but_never_raised_is_dropped(tmp_path: Path) -> None:
    """`ParameterCheckError("...")` as a statement reports nothing: the check passes silently, in a handler or not.
    Raised, kept, returned, warned about, or a module function spelled like a class: each does its job."""
    code = (
        "import warnings\n\nimport numpy as np\n\nfrom fair.errors import ParameterCheckError\n\n\n"
        "def check_protected(protected):\n"
        "    if isinstance(protected, list):\n"
        "        try:\n"
        "            protected = np.array(protected)\n"
        "        except Exception:\n"
        "            ParameterCheckError('could not convert protected to an array')\n"
        "    if protected.ndim != 1:\n"
        "        ParameterCheckError('protected must be one-dimensional')\n"
        "    return protected\n\n\n"
        "def ConfigError(message):\n"
        "    raise ValueError(message)\n\n\n"
        "def check_cutoff(cutoff):\n"
        "    if not 0 < cutoff < 1:\n"
        "        raise ParameterCheckError('cutoff must lie in (0, 1)')\n"
        "    if cutoff > 0.9:\n"
        "        warnings.warn('a cutoff above 0.9 flags almost nothing', UserWarning)\n"
        "    if cutoff == 0.5:\n"
        "        ConfigError('0.5 is the default')\n"
        "    error = ValueError('kept for later')\n"
        "    return error\n"
    )
    write_tree(tmp_path, {"fair/__init__.py": "", "fair/checks.py": code})
    hits = findings(tmp_path, "LOG007")
    assert [(h.line, h.message.split(" in ")[0]) for h in hits] == [
        (13, "`ParameterCheckError('could not convert protected to an array')`"),
        (15, "`ParameterCheckError('protected must be one-dimensional')`"),
    ]


def test_log007_names_a_long_exception_class_in_full_but_hides_a_token_in_its_message(tmp_path: Path) -> None:
    """A 28-letter class name is code the reader needs to find; a long run inside a string literal stays redacted,
    key-like or a passphrase of words."""
    token = "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY"
    code = (
        "from sched.errors import ForeachIncompatibleException\n\n\n"
        "def check(version):\n"
        "    if version < 2:\n"
        "        ForeachIncompatibleException('airflow 2 is needed')\n"
        "    if version < 1:\n"
        f"        ForeachIncompatibleException('{token}')\n"
        "    if version < 0:\n"
        "        ForeachIncompatibleException('CorrectHorseBatteryStapleNow')\n"
    )
    write_tree(tmp_path, {"sched/__init__.py": "", "sched/compat.py": code})
    first, second, third = findings(tmp_path, "LOG007")
    assert first.message.startswith("`ForeachIncompatibleException('airflow 2 is needed')` in check()")
    assert token not in second.message and "ForeachIncompatibleException(" in second.message
    assert "CorrectHorse" not in third.message and "ForeachIncompatibleException(" in third.message


def test_log007_silent_on_a_cleanup_call_named_for_what_it_frees_but_not_on_look_alike_names(tmp_path: Path) -> None:
    code = (
        "def fetch(http, url, pool):\n"
        "    response = http.request('GET', url)\n"
        "    try:\n"
        "        response.release_conn()\n"
        "    except Exception:\n"
        "        pass\n"
        "    try:\n"
        "        pool.shutdown_workers()\n"
        "    except Exception:\n"
        "        pass\n"
        "    try:\n"
        "        return closest_mirror(response.json())\n"
        "    except Exception:\n"
        "        pass\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/download.py": code})
    # `closest_mirror` is no cleanup: its failure loses the answer
    assert [h.line for h in findings(tmp_path, "LOG007")] == [13]


def test_log007_silent_on_cleanup_in_a_finally_block_but_not_on_work_in_its_try(tmp_path: Path) -> None:
    """Dropping a search cursor in `finally` runs however the scan ended: an error raised there would replace the
    one in flight. The same swallow around the scan itself loses its results."""
    code = (
        "def scan(client, index):\n"
        "    cursor = client.open_cursor(index)\n"
        "    hits = []\n"
        "    try:\n"
        "        try:\n"
        "            hits = client.search(cursor)\n"
        "        except Exception:\n"
        "            pass\n"
        "    finally:\n"
        "        try:\n"
        "            client.delete_cursor(cursor)\n"
        "        except Exception:\n"
        "            pass\n"
        "    return hits\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/scan.py": code})
    assert [h.line for h in findings(tmp_path, "LOG007")] == [7]


ERROR_GALLERY = """import numpy as np
import onnxruntime as rt

sess = rt.InferenceSession("model.onnx")

# The runtime only takes float32: a float64 input fails.
try:
    sess.run(None, {"X": np.ones((2, 4), dtype=np.float64)})
except Exception as e:
    print("Unexpected type")
    print(f"{type(e)}: {e}")
"""


def test_log007_a_docs_example_printing_the_error_it_shows_swallows_nothing(tmp_path: Path) -> None:
    files = {"convert/__init__.py": "", "docs/examples/plot_errors.py": ERROR_GALLERY}
    write_tree(tmp_path / "docs", files)
    assert findings(tmp_path / "docs", "LOG007") == []
    silent = ERROR_GALLERY.replace('    print(f"{type(e)}: {e}")\n', "")  # prints a label, hides the error
    write_tree(tmp_path / "label", {"convert/__init__.py": "", "docs/examples/plot_errors.py": silent})
    assert len(findings(tmp_path / "label", "LOG007")) == 1
    write_tree(tmp_path / "script", {"convert/__init__.py": "", "scripts/export.py": ERROR_GALLERY})
    assert len(findings(tmp_path / "script", "LOG007")) == 1  # a script's run carries on as if it worked
