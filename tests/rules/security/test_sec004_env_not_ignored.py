"""Tests of rule SEC004 (`mlaudit/rules/security/sec004_env_not_ignored.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import findings, write_tree


def test_sec004_missing_gitignore_and_gitignore_without_env(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.py": "import os\nclient_key = os.environ['VENDOR_API_KEY']\n"})
    [hit] = findings(tmp_path, "SEC004")
    assert hit.path is None and "No .gitignore" in hit.message
    write_tree(tmp_path, {".gitignore": "__pycache__/\n"})
    [hit] = findings(tmp_path, "SEC004")
    assert hit.path == ".gitignore"


@pytest.mark.parametrize(
    "files",
    [
        {"src/app.py": "from dotenv import load_dotenv\nload_dotenv()\n"},
        {".env.example": "VENDOR_API_KEY=\n", "a.py": "x = 1\n"},
    ],
)
def test_sec004_fires_where_a_dotenv_is_loaded_or_documented(tmp_path: Path, files: dict[str, str]) -> None:
    write_tree(tmp_path, {".gitignore": "__pycache__/\n", **files})
    [hit] = findings(tmp_path, "SEC004")
    assert hit.path == ".gitignore"


def test_sec004_silent_where_nothing_reads_env_secrets(tmp_path: Path) -> None:
    code = "import os\nrank = int(os.environ.get('LOCAL_RANK', 0))\ncache = os.getenv('MODEL_CACHE_DIR')\n"
    write_tree(tmp_path, {".gitignore": "__pycache__/\n", "train.py": code})
    assert findings(tmp_path, "SEC004") == []


def test_sec004_silent_when_env_ignored(tmp_path: Path) -> None:
    write_tree(tmp_path, {".gitignore": ".env\n.env.*\n!.env.example\n", "a.py": "x = 1\n"})
    assert findings(tmp_path, "SEC004") == []
