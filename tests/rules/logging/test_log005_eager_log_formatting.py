"""Tests of rule LOG005 (`mlaudit/rules/logging/log005_eager_log_formatting.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree

EAGER = """
import logging

logger = logging.getLogger(__name__)


def step(losses, epoch):
    for loss in losses:
        logger.info(f"loss {loss}")
    logger.debug("epoch %d" % epoch)
    while epoch:
        logger.warning("epoch {}".format(epoch))
        epoch -= 1
    [logger.log(logging.INFO, f"x {loss}") for loss in losses]
    logger.info("loss %.4f", losses[0])
    logger.info(f"static message")
    self_log = {"info": 1}
    return self_log


def load(path):
    logger.info(f"loading {path}")  # once per call: style, not a cost
    for _ in range(3):
        def report(value):
            logger.warning(f"value {value}")  # its own function, not per iteration here
        report(path)
    return path
"""


def test_log005_flags_eager_formatting(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/train.py": EAGER})
    hits = findings(tmp_path, "LOG005")
    assert [h.line for h in hits] == [9, 10, 12, 14]
    assert all(h.severity is Severity.INFO for h in hits)
    assert "in a loop" in hits[0].message and "an f-string" in hits[0].message
    assert "debug()" in hits[1].message and "%-formatting" in hits[1].message
