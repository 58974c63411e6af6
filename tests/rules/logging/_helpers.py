"""Provides helpers shared by several test modules of the `logging` rules."""

from __future__ import annotations

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
