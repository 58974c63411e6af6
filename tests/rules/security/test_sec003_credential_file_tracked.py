"""Tests of rule SEC003 (`mlaudit/rules/security/sec003_credential_file_tracked.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, git_init, write_tree


def test_sec003_tracked_env_and_keys(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".env": "DEBUG=1\n",
            "deploy/id_rsa": "x\n",
            "gcp/service-account-prod.json": "{}\n",
            "kaggle.json": '{"username": "a"}\n',
            ".env.example": "API_KEY=\n",
        },
    )
    git_init(tmp_path)
    paths = sorted(f.path or "" for f in findings(tmp_path, "SEC003"))
    assert paths == [".env", "deploy/id_rsa", "gcp/service-account-prod.json", "kaggle.json"]


def test_sec003_silent_for_untracked_env_and_examples(tmp_path: Path) -> None:
    write_tree(tmp_path, {".gitignore": ".env\n", ".env.example": "API_KEY=\n", ".npmrc": "registry=https://x\n"})
    git_init(tmp_path)
    (tmp_path / ".env").write_text("API_KEY=secret\n", encoding="utf-8")
    assert findings(tmp_path, "SEC003") == []
