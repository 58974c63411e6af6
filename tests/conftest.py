"""Shared fixtures: every test gets its own cache folder, and the report cache is off unless a test turns it on."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from mlaudit import cache, filefacts
from mlaudit.cache import ENV_OFF

# Property tests check results, never wall-clock time: on a loaded CI machine one example may take longer
# than hypothesis's default 200 ms deadline, which would fail a correct test.
settings.register_profile("mlaudit", deadline=None)
settings.load_profile("mlaudit")


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point `$XDG_CACHE_HOME` at a fresh folder and switch the report cache off.

    Tests audit the same tree several times under different patches (a forked run, a mocked
    tool); a cached report would answer for them. Tests of the cache remove `MLAUDIT_NO_CACHE`.
    """
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    monkeypatch.setenv(ENV_OFF, "1")


@pytest.fixture
def layer_on(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Use the fact layer on small trees, with its cache in this test's folder; return the cache folder."""
    monkeypatch.setattr(filefacts, "MIN_BYTES", 0)
    monkeypatch.delenv(cache.ENV_OFF, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "mlaudit" / "files"
