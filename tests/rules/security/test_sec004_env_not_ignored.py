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


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("from dotenv import dotenv_values\nCONFIG = dotenv_values()\n", True),
        ("class Settings(BaseSettings):\n    model_config = {'env_file' : '.env'}\n", True),
        ("env_file= '.env'\n", True),  # `env_file` followed by `=`: the narrowest match
        ("env_files = ['a.env']\n", False),  # the needle, but not `env_file` then `:` or `=`
        ("# the python-dotenv package is optional\n", False),  # `dotenv`, not a load
        ("import os\nTOKEN = os.environ['TOKEN']\n", False),
    ],
)
def test_dotenv_prefilter_skips_only_texts_that_cannot_match(text: str, mentions: bool) -> None:
    from mlaudit.discover import SourceFile
    from mlaudit.model import FileKind
    from mlaudit.project import PythonFile
    from mlaudit.rules.security.sec004_env_not_ignored import DOTENV_TEXT, mentions_dotenv

    pf = PythonFile(SourceFile("pkg/mod.py", Path("pkg/mod.py"), FileKind.LIBRARY, len(text), None), text, None)
    assert mentions_dotenv(pf) is mentions
    assert mentions is (DOTENV_TEXT.search(text) is not None)
