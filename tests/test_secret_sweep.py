"""The secret sweep remembers texts it found clean (hashes only) and scans every text with a secret again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mlaudit import cache, secret_sweep
from mlaudit.cache import ENV_OFF
from tests.helpers import run_audit, write_tree
from tests.test_secrets import fake


def _scanned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the path of every whole text the sweep scans."""
    seen: list[str] = []
    real = secret_sweep._Scanner.text

    def recording(
        self: secret_sweep._Scanner, path: str, text: str, quoted_only: bool, cell: int | None = None
    ) -> None:
        seen.append(path)
        real(self, path, text, quoted_only, cell)

    monkeypatch.setattr(secret_sweep._Scanner, "text", recording)
    return seen


def test_clean_texts_are_not_scanned_again_and_secrets_always_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_OFF, raising=False)
    key = fake("openai")
    write_tree(
        tmp_path / "repo",
        {
            "train.py": "EPOCHS = 3\n",
            "deploy/settings.yaml": f"model: churn\napi_key: {key}\n",
            "docs/guide.md": "# Guide\nRun `python train.py` to train the model.\n",
        },
    )
    first = [f.path for f in run_audit(tmp_path / "repo").findings if f.rule == "SEC001"]
    assert first == ["deploy/settings.yaml"]
    [store] = (cache.default_cache_dir() / "clean").glob("sweep-*.clean")
    assert key.encode() not in store.read_bytes() and b"guide" not in store.read_bytes()
    shutil.rmtree(cache.default_cache_dir() / "reports")
    seen = _scanned(monkeypatch)
    again = [f.path for f in run_audit(tmp_path / "repo").findings if f.rule == "SEC001"]
    assert again == first
    assert "deploy/settings.yaml" in seen and "docs/guide.md" not in seen
    # An edited text is a new text: scanned again.
    write_tree(tmp_path / "repo", {"docs/guide.md": f"# Guide\nexport OPENAI_API_KEY={fake('openai')}\n"})
    seen.clear()
    assert "docs/guide.md" in [f.path for f in run_audit(tmp_path / "repo").findings if f.rule == "SEC001"]
    assert "docs/guide.md" in seen


def test_sweep_store_is_not_used_without_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_OFF, raising=False)
    write_tree(tmp_path / "repo", {"train.py": "EPOCHS = 3\n", "docs/guide.md": "# Guide\n"})
    run_audit(tmp_path / "repo", cache=False)
    assert not (cache.default_cache_dir() / "clean").exists()


def test_a_secret_in_vendored_code_is_still_found(tmp_path: Path) -> None:
    from tests.helpers import git_init

    key = fake("openai")
    write_tree(tmp_path, {"train.py": "EPOCHS = 3\n", "third_party/client/config.py": f'API_KEY = "{key}"\n'})
    git_init(tmp_path)
    report = run_audit(tmp_path)
    assert [f.path for f in report.findings if f.rule == "SEC001"] == ["third_party/client/config.py"]
    assert any(s.path == "third_party" and "vendored" in s.reason for s in report.skipped)
