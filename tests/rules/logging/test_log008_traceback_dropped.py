"""Tests of rule LOG008 (`mlaudit/rules/logging/log008_traceback_dropped.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree

DROPPED = """\
import logging
import os

logger = logging.getLogger(__name__)


def save_checkpoint(state, path, writer):
    try:
        writer(state, path)
    except Exception as e:
        logger.error(f"could not save checkpoint to {path}: {e}")


def cleanup(paths):
    for p in paths:
        try:
            os.remove(p)
        except BaseException as err:
            logging.critical("failed to remove %s: %s", p, str(err))
"""

# look-alikes: the traceback is kept (exception(), exc_info=True), the error is re-raised,
# the handler is narrow (an expected failure), or the message does not carry the error
KEPT = """\
import logging
import os
import sys

logger = logging.getLogger(__name__)


def main(run):
    try:
        run()
    except Exception as e:
        logger.error(f"training failed: {e}")
        sys.exit(1)


def save_checkpoint(state, path, writer):
    try:
        writer(state, path)
    except Exception:
        logger.exception("could not save checkpoint to %s", path)


def load(path, reader):
    try:
        return reader(path)
    except Exception as e:
        logger.error("could not read %s: %s", path, e, exc_info=True)
        return None


def upload(path, client):
    try:
        client.put(path)
    except Exception as e:
        logger.error(f"upload of {path} failed: {e}")
        raise


def remove(path):
    try:
        os.remove(path)
    except FileNotFoundError as e:
        logger.error(f"nothing to remove: {e}")


def report(step, fn):
    try:
        fn(step)
    except Exception as e:
        logger.warning(f"step {step} skipped: {e}")
        logger.error("step %s failed", step)
"""


def test_error_log_of_caught_exception_without_traceback_fires(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/io.py": DROPPED})
    hits = findings(tmp_path, "LOG008")
    assert [(f.path, f.line) for f in hits] == [("pkg/io.py", 11), ("pkg/io.py", 19)]
    assert hits[0].message == "logger.error() in save_checkpoint() logs the caught error without its traceback"


def test_kept_traceback_reraise_narrow_handler_or_other_levels_stay_silent(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/io.py": KEPT})
    assert findings(tmp_path, "LOG008") == []
