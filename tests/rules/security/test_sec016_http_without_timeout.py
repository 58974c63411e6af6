"""Tests of rule SEC016 (`mlaudit/rules/security/sec016_http_without_timeout.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import findings, write_tree
from tests.rules.security._helpers import SAFE, UNSAFE


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("SEC016", [18]),
    ],
)
def test_unsafe_calls_fire_and_safe_lookalikes_stay_silent(tmp_path: Path, code: str, expected: list[int]) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/unsafe.py": UNSAFE, "pkg/safe.py": SAFE})
    hits = findings(tmp_path, code)
    assert all(f.path == "pkg/unsafe.py" for f in hits)
    assert sorted(f.line or 0 for f in hits) == expected


URLOPEN_UNSAFE = """\
import os
import urllib.request
from urllib.request import urlopen


def download(url, root):
    target = os.path.join(root, os.path.basename(url))
    with urllib.request.urlopen(url) as source, open(target, "wb") as output:
        output.write(source.read())
    return target


def fetch_index(url):
    return urlopen(url).read()
"""

URLOPEN_SAFE = """\
import os
import urllib.request
from urllib.request import urlopen


def download(url, root):
    target = os.path.join(root, os.path.basename(url))
    with urllib.request.urlopen(url, timeout=60) as source, open(target, "wb") as output:
        output.write(source.read())
    return target


def fetch_index(url, opts):
    return urlopen(url, None, 30).read() + urlopen(url, **opts).read()
"""


def test_urlopen_without_timeout_fires_and_with_one_stays_silent(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/fetch.py": URLOPEN_UNSAFE, "pkg/safe.py": URLOPEN_SAFE})
    hits = findings(tmp_path, "SEC016")
    assert [(f.path, f.line) for f in hits] == [("pkg/fetch.py", 8), ("pkg/fetch.py", 14)]
    assert "urllib.request.urlopen() without timeout=" in hits[0].message
