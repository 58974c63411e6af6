"""The history scan reads only what a commit added (and its neighbours), and skips versions that cannot hold a secret."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mlaudit import cache, parallel
from mlaudit.cache import ENV_OFF
from mlaudit.discover import Inventory
from mlaudit.engine import AuditOptions, audit
from mlaudit.project import Cancelled
from mlaudit.report import json as json_report
from mlaudit.tools import git as gittool
from mlaudit.tools import history
from mlaudit.tools.history import ScanSettings, scan_blob
from tests.helpers import GIT_ENV, git_init, run_audit, write_tree
from tests.test_secrets import fake

SETTINGS = ScanSettings()


def test_a_secret_added_by_a_version_is_found_on_its_line() -> None:
    key = fake("openai")
    old = b"import os\n\nTIMEOUT = 30\n"
    new = f'import os\n\nTIMEOUT = 30\nOPENAI_KEY = "{key}"\n'.encode()
    [(line, match)] = scan_blob("settings.py", new, SETTINGS, old)
    assert line == 4 and match.value == key


def test_a_value_added_under_an_unchanged_key_line_is_found_through_its_neighbour() -> None:
    token = "Qm7vX2pLk9Rt" + "4WzB8nYc3HdF6sJa1GeU"
    old = b"credentials:\n  api_token:\n    placeholder\n"
    new = f"credentials:\n  api_token:\n    {token}\n".encode()
    assert [(line, m.value) for line, m in scan_blob("config.yaml", new, SETTINGS, old)] == [(3, token)]


def test_versions_whose_new_lines_hold_no_needle_find_nothing() -> None:
    key = fake("hf")
    old = f'HF = "{key}"\nx = 1\n\n\n\ny = 2\n'.encode()
    new = f'HF = "{key}"\nx = 1\n\n\n\ny = 3\n'.encode()
    assert scan_blob("app.py", new, SETTINGS, old) == []  # the key was there before: not added by this version
    assert scan_blob("notes.txt", b"first draft\nof the notes\n", SETTINGS) == []


def _history_repo(root: Path) -> str:
    """Commit three clean versions and one that adds a key, then remove the key; return the key."""
    key = fake("openai")
    write_tree(root, {"app.py": "x = 1\n", "README.md": "# demo\n"})
    git_init(root)
    for step, text in enumerate(("x = 2\n", f'x = 2\nKEY = "{key}"\n', "x = 3\n")):
        write_tree(root, {"app.py": text, "notes.txt": f"step {step}\n"})
        env = {**os.environ, **GIT_ENV}
        subprocess.run(["git", "-C", str(root), "add", "-A"], check=True, env=env)
        subprocess.run(["git", "-C", str(root), "commit", "-q", "-m", f"step {step}"], check=True, env=env)
    return key


def _read_oids(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every blob id the history scan reads."""
    seen: list[str] = []
    real = gittool.read_blobs

    def recording(repo: gittool.GitRepo, sizes: dict[str, int]) -> Iterator[tuple[str, bytes]]:
        seen.extend(sizes)
        return real(repo, sizes)

    monkeypatch.setattr(gittool, "read_blobs", recording)
    return seen


def test_versions_scanned_clean_are_not_read_again_and_secrets_are_still_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_OFF, raising=False)
    key = _history_repo(tmp_path / "repo")
    first = [f.message for f in run_audit(tmp_path / "repo", history_depth=50).findings if f.rule == "SEC005"]
    [store] = (cache.default_cache_dir() / "clean").glob("history-*.clean")
    assert key.encode() not in store.read_bytes() and b"app.py" not in store.read_bytes()  # hashes only
    shutil.rmtree(cache.default_cache_dir() / "reports")  # no stored report: the history is scanned again
    seen = _read_oids(monkeypatch)
    again = [f.message for f in run_audit(tmp_path / "repo", history_depth=50).findings if f.rule == "SEC005"]
    assert again == first and len(first) == 1
    assert 0 < len(seen) <= 2  # the version that added the key (and its predecessor), nothing clean
    seen.clear()
    store.write_bytes(b"not a store\n" + b"0" * 32)  # a corrupt store is ignored: everything is read
    shutil.rmtree(cache.default_cache_dir() / "reports")
    assert [f.message for f in run_audit(tmp_path / "repo", history_depth=50).findings if f.rule == "SEC005"] == first
    assert len(seen) > 4


def test_history_store_is_not_used_without_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_OFF, raising=False)
    _history_repo(tmp_path / "repo")
    run_audit(tmp_path / "repo", history_depth=50, cache=False)
    assert not (cache.default_cache_dir() / "clean").exists()


def _blob(root: Path, path: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), "rev-parse", f"HEAD:{path}"], check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def test_versions_the_working_tree_holds_are_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_OFF, raising=False)
    root = tmp_path / "repo"
    token = "Qm7vX2pLk9Rt" + "4WzB8nYc3HdF6sJa1GeU"
    notebook = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'
    write_tree(
        root,
        {
            "train.py": "import numpy as np\n\nEPOCHS = 3\n",
            "serve.py": "PORT = 8000\n",
            "config.yaml": f"api_token: {token}\n",
            "explore.ipynb": notebook,
        },
    )
    git_init(root)
    (root / "serve.py").write_text("PORT = 9000\n")  # edited, not committed: the committed bytes differ
    seen = _read_oids(monkeypatch)
    report = run_audit(root, history_depth=50)
    assert _blob(root, "train.py") not in seen  # the same bytes are in the working tree, scanned there
    assert _blob(root, "serve.py") in seen  # the working tree holds other bytes
    # its secret is in the working tree: reported there (SEC001), never as gone from it (SEC005)
    assert _blob(root, "config.yaml") not in seen
    assert _blob(root, "explore.ipynb") in seen  # notebooks are swept cell by cell, never as their JSON
    assert any(f.rule == "SEC001" and f.path == "config.yaml" for f in report.findings)
    assert not any(f.rule == "SEC005" for f in report.findings)


def _forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Let this process fork (pytest may run threads) and record the pid of every forked child."""
    pids: list[int] = []
    real = parallel.start_child

    def recording(work: Callable[[], object]) -> parallel.Child[object]:
        child = real(work)
        pids.append(child.pid)
        return child

    monkeypatch.setattr(parallel, "can_fork", lambda jobs: jobs > 1)
    monkeypatch.setattr(parallel, "start_child", recording)
    return pids


def test_with_a_second_core_the_scan_runs_beside_the_parse_and_finds_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    _history_repo(root)
    kept = fake("hf")
    write_tree(root, {"serve.py": f'HF = "{kept}"\n'})  # at HEAD too: found in the history, dropped as not gone
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True, env={**os.environ, **GIT_ENV})
    subprocess.run(["git", "-C", str(root), "commit", "-qm", "serve"], check=True, env={**os.environ, **GIT_ENV})
    here: list[int] = []  # scans run in this process (a forked child's appends stay in the child)
    real_scan = history._scan

    def scanning_here(inventory: Inventory, options: AuditOptions) -> object:
        here.append(1)
        return real_scan(inventory, options)

    monkeypatch.setattr(history, "_scan", scanning_here)
    alone = json_report.dumps(run_audit(root, history_depth=50, jobs=1, cache=False))
    assert here == [1]  # one job: scanned here
    forks = _forks(monkeypatch)
    beside = json_report.dumps(run_audit(root, history_depth=50, jobs=2, cache=False))
    assert len(forks) == 1 and here == [1]  # forked before parsing; its result was used, not a second scan
    assert beside == alone
    assert json.loads(beside)["findings"] and '"rule": "SEC005"' in beside


def test_no_early_scan_when_its_rule_is_not_selected_or_the_history_is_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    _history_repo(root)
    forks = _forks(monkeypatch)
    run_audit(root, history_depth=50, jobs=2, cache=False, select=("SEC001",))
    run_audit(root, history_depth=0, jobs=2, cache=False)
    assert forks == []


def test_a_stop_during_the_parse_ends_the_early_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "repo"
    _history_repo(root)
    forks = _forks(monkeypatch)
    monkeypatch.setattr(history, "_scan", lambda *_args: time.sleep(60))  # a scan that would outlive the audit
    with pytest.raises(Cancelled):
        audit(root, AuditOptions(offline=True, history_depth=50, jobs=2, cache=False), should_stop=lambda: True)
    [pid] = forks
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # ended and reaped: not even a zombie is left


def test_a_failed_fork_leaves_the_scan_to_its_gatherer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "repo"
    _history_repo(root)
    alone = json_report.dumps(run_audit(root, history_depth=50, jobs=1, cache=False))
    monkeypatch.setattr(parallel, "can_fork", lambda jobs: jobs > 1)

    def refuse(work: Callable[[], object]) -> parallel.Child[object]:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(parallel, "start_child", refuse)
    assert json_report.dumps(run_audit(root, history_depth=50, jobs=2, cache=False)) == alone
