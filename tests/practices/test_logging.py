"""Tests for the logging practice rules."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree

LOADER = """
import sys


def load(path):
    print("loading", path)
    with open("out.txt", "w") as fh:
        print("header", file=fh)
    print("warn", file=sys.stderr)
    return path


def fit(model, verbose=0):
    if verbose > 1:
        print("iteration", 1)
"""

CLI_LIKE = """
import argparse

import click


@click.command()
def serve():
    print("serving")


def build():
    parser = argparse.ArgumentParser()
    print("parsed")
    return parser


def run():
    print("running")


def print_summary(stats):
    print(stats)


def main():
    print("done")


if __name__ == "__main__":
    run()
    print("bye")
"""


def test_log001_flags_library_prints_with_first_argument(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/data.py": LOADER})
    hits = findings(tmp_path, "LOG001")
    assert [(h.line, h.message, h.severity) for h in hits] == [
        (6, "print('loading') in load() of pkg/data.py", Severity.WARNING),
        (9, "print('warn') in load() of pkg/data.py", Severity.WARNING),
        (15, "print('iteration') in fit() of pkg/data.py behind a verbose flag", Severity.INFO),
    ]


def test_log001_silent_for_cli_commands_guards_scripts_and_tests(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/commands_impl.py": CLI_LIKE,
            "pkg/cli.py": "def _train():\n    print('result')\n",
            "pkg/__main__.py": "print('hi')\n",
            "scripts/export.py": "print('exporting')\n",
            "tests/test_a.py": "def test_a():\n    print('debug')\n",
            "nb.ipynb": '{"cells": [{"cell_type": "code", "source": "print(1)", "outputs": []}], "nbformat": 4}',
        },
    )
    assert findings(tmp_path, "LOG001") == []


def test_log001_script_output_and_verbosity_are_info(tmp_path: Path) -> None:
    analysis = "import pandas as pd\n\nscores = pd.read_csv('scores.csv')\nprint(scores.describe())\n"
    sched = (
        "class Warmup:\n"
        "    def __init__(self, verbosity_interval=0):\n"
        "        self.verbosity_interval = verbosity_interval\n\n"
        "    def step(self, n):\n"
        "        if self.verbosity_interval > 0 and n % self.verbosity_interval == 0:\n"
        "            print('step', n)\n"
        "        return n\n"
    )
    write_tree(tmp_path, {"reports/compare.py": analysis, "pkg/__init__.py": "", "pkg/sched.py": sched})
    hits = {h.path: h for h in findings(tmp_path, "LOG001")}
    assert hits["reports/compare.py"].severity is Severity.INFO
    assert hits["reports/compare.py"].message.endswith("(a script nothing imports)")
    assert hits["pkg/sched.py"].severity is Severity.INFO


def test_log001_module_level_print_of_an_imported_module_stays_a_warning(tmp_path: Path) -> None:
    helpers = "import torch\n\nDEVICE = 'cuda' if torch.cuda.is_available() else 'cpu'\nprint('using', DEVICE)\n"
    write_tree(
        tmp_path,
        {
            "core/device.py": helpers,
            "core/train.py": "from device import DEVICE\n\n\ndef run():\n    return DEVICE\n",
            "reports/summary.py": "def summarise(df):\n    print(df.mean())\n",
        },
    )
    hits = {h.path: h for h in findings(tmp_path, "LOG001")}
    assert hits["core/device.py"].severity is Severity.WARNING
    assert hits["reports/summary.py"].severity is Severity.WARNING


def test_log001_respects_project_scripts(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": "[project]\nname = 'pkg'\n[project.scripts]\npkg = 'pkg.entry:run'\n",
        "src/pkg/__init__.py": "",
        "src/pkg/entry.py": "def run():\n    print('ok')\n\ndef helper():\n    print('debug')\n",
    }
    write_tree(tmp_path, files)
    assert [h.message for h in findings(tmp_path, "LOG001")] == ["print('debug') in helper() of src/pkg/entry.py"]


def test_log002_fires_for_large_ml_codebase_without_logging(tmp_path: Path) -> None:
    body = "".join(f"def f{i}(x):\n    return x + {i}\n\n" for i in range(260))
    train = "def fit(model, optimizer, loss):\n    loss.backward()\n    optimizer.step()\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/train.py": "import torch\n" + body + train})
    [hit] = findings(tmp_path, "LOG002")
    assert hit.severity is Severity.ERROR and hit.path is None


def test_log002_silent_with_logging_or_small_code(tmp_path: Path) -> None:
    body = "".join(f"def f{i}(x):\n    return x + {i}\n\n" for i in range(260))
    write_tree(
        tmp_path, {"pkg/__init__.py": "", "pkg/train.py": "import torch\n" + body, "pkg/log.py": "import logging\n"}
    )
    assert findings(tmp_path, "LOG002") == []
    small = tmp_path / "small"
    write_tree(small, {"pkg/__init__.py": "", "pkg/train.py": "import torch\n\ndef f(x):\n    return x\n"})
    assert findings(small, "LOG002") == []


ROOT_LOGGER = """
import logging

logging.basicConfig(level=logging.INFO)
log = logging.getLogger(__name__)


def load(path):
    logging.info("loading %s", path)
    log.info("loading %s", path)
    logging.getLogger(__name__).debug("ok")


def main():
    logging.basicConfig(level=logging.DEBUG)
"""


def test_log003_flags_root_logger_calls(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/data.py": ROOT_LOGGER})
    assert [h.line for h in findings(tmp_path, "LOG003")] == [9]


def test_log003_silent_in_scripts(tmp_path: Path) -> None:
    write_tree(tmp_path, {"scripts/run.py": "import logging\nlogging.info('start')\n"})
    assert findings(tmp_path, "LOG003") == []


def test_log004_flags_basic_config_outside_entry_point(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/data.py": ROOT_LOGGER})
    assert [h.line for h in findings(tmp_path, "LOG004")] == [4]


EAGER = """
import logging

logger = logging.getLogger(__name__)


def step(loss, epoch):
    logger.info(f"loss {loss}")
    logger.debug("epoch %d" % epoch)
    logger.warning("epoch {}".format(epoch))
    logger.log(logging.INFO, f"x {loss}")
    logger.info("loss %.4f", loss)
    logger.info(f"static message")
    self_log = {"info": 1}
    return self_log
"""


def test_log005_flags_eager_formatting(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/train.py": EAGER})
    hits = findings(tmp_path, "LOG005")
    assert [h.line for h in hits] == [8, 9, 10, 11]
    assert all(h.severity is Severity.INFO for h in hits)
    assert "an f-string" in hits[0].message and "%-formatting" in hits[1].message


def test_log006_flags_stderr_write_in_library_only(tmp_path: Path) -> None:
    code = "import sys\n\ndef warn(msg):\n    sys.stderr.write(msg)\n\ndef main():\n    sys.stderr.write('usage')\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/util.py": code})
    assert [h.line for h in findings(tmp_path, "LOG006")] == [4]


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


BIG_BODY = "".join(f"def f{i}(x):\n    return x + {i}\n\n" for i in range(260))


def test_log002_small_service_without_logging_is_a_warning(tmp_path: Path) -> None:
    api = (
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
        "@app.post('/predict')\ndef predict(text: str) -> dict:\n    return {'label': 1}\n"
    )
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": api})
    [hit] = findings(tmp_path, "LOG002")
    assert hit.severity is Severity.WARNING and hit.path == "svc/api.py"


def test_log002_experiment_logger_and_inference_library_lower_the_severity(tmp_path: Path) -> None:
    trainer = "import lightning as L\n\n\ndef run(model, data):\n    L.Trainer(logger=True).fit(model, data)\n"
    write_tree(tmp_path / "a", {"pkg/__init__.py": "", "pkg/f.py": "import torch\n" + BIG_BODY, "pkg/t.py": trainer})
    [hit] = findings(tmp_path / "a", "LOG002")
    assert hit.severity is Severity.WARNING and "lightning" in hit.message
    decode = "def transcribe(model, audio, verbose=False):\n    if verbose:\n        print('decoding')\n"
    write_tree(tmp_path / "b", {"pkg/__init__.py": "", "pkg/f.py": "import torch\n" + BIG_BODY, "pkg/d.py": decode})
    [hit] = findings(tmp_path / "b", "LOG002")
    assert hit.severity is Severity.INFO


def test_log001_top_level_prints_of_a_root_training_script_are_info(tmp_path: Path) -> None:
    script = "import torch\n\nfor epoch in range(3):\n    print('epoch', epoch)\n"
    helper = "def bag(words):\n    print('debug', words)\n    return words\n"
    write_tree(tmp_path, {"train.py": script, "nlp_utils.py": helper, "chat.py": "from nlp_utils import bag\n"})
    hits = {h.path: h.severity for h in findings(tmp_path, "LOG001")}
    assert hits == {"nlp_utils.py": Severity.WARNING, "train.py": Severity.INFO}
