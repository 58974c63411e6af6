"""Tests of rule LOG005 (`mlaudit/rules/logging/log005_eager_log_formatting.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree

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
