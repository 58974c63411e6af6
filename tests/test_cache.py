"""Tests for the report cache: a warm run of an unchanged tree returns the cold run's report, byte for byte."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mlaudit import cache, engine
from mlaudit.discover import discover, read_regular
from mlaudit.engine import AuditOptions, audit
from mlaudit.progress import describe
from mlaudit.project import load_project
from mlaudit.report import json as json_report
from mlaudit.tools import git as gittool
from mlaudit.tools import pipaudit
from mlaudit.tools.pipaudit import RunOutcome
from tests.helpers import GIT_ENV, git_init, run_audit, write_tree
from tests.test_secrets import fake

TREE = {
    "pyproject.toml": '[project]\nname = "churn"\nversion = "0.1.0"\ndependencies = ["numpy>=1.26"]\n',
    "src/churn/__init__.py": "",
    "src/churn/train.py": (
        "import numpy as np\n\n\ndef train(x):\n    print('loss', x.mean())\n    return np.asarray(x) * 2\n"
    ),
    "src/churn/data.py": "import pandas as pd\n\n\ndef load(path):\n    return pd.read_csv(path)\n",
    "tests/test_train.py": "from churn.train import train\n\n\ndef test_train():\n    assert train([1]) is not None\n",
    "configs/train.yaml": "lr: 0.01\nepochs: 3\n",
}


@pytest.fixture
def cached(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Turn the report cache on (conftest turns it off) in a folder of this test; return that folder."""
    monkeypatch.delenv(cache.ENV_OFF, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "mlaudit" / "reports"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return git_init(write_tree(tmp_path / "repo", TREE))


def _json(root: Path, **options: object) -> str:
    return json_report.dumps(run_audit(root, **options))


def _no_rerun(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make a real audit impossible: only a cache hit can answer."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the tree was parsed again")

    monkeypatch.setattr(engine, "load_project", refuse)


def _entry(folder: Path) -> Path:
    [entry] = [p for p in folder.iterdir() if p.suffix == ".json"]
    return entry


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, env={**os.environ, **GIT_ENV}, capture_output=True)


def test_warm_run_is_a_hit_and_byte_identical(repo: Path, cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cold = run_audit(repo)
    assert _entry(cached).stat().st_size > 0
    _no_rerun(monkeypatch)
    warm = run_audit(repo)
    assert json_report.dumps(warm) == json_report.dumps(cold)
    # The app gets the same Report object too; only the fingerprints' input (`subject`) stays behind.
    unanchored = tuple(dataclasses.replace(f, subject="") for f in cold.findings)
    assert dataclasses.replace(cold, findings=unanchored) == warm


def test_warm_run_with_two_jobs_equals_cold_run_with_one(
    repo: Path, cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = _json(repo, jobs=1)
    _no_rerun(monkeypatch)
    assert _json(repo, jobs=2) == cold, "--jobs never changes the report, so it is not part of the key"


def test_non_git_tree_is_cached_by_content(tmp_path: Path, cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tree(tmp_path / "plain", TREE)
    cold = _json(root)
    with monkeypatch.context() as patched:
        _no_rerun(patched)
        assert _json(root) == cold
    (root / "src/churn/data.py").write_text("import pandas as pd\nDATA = '/home/ana/churn.csv'\n", encoding="utf-8")
    assert _json(root) != cold


def test_edited_tracked_file_misses_and_sees_the_edit(repo: Path, cached: Path) -> None:
    cold = run_audit(repo)
    (repo / "src/churn/train.py").write_text(
        TREE["src/churn/train.py"] + '\nOPENAI_KEY = "' + fake("openai") + '"\n', encoding="utf-8"
    )
    warm = run_audit(repo)
    assert len(warm.findings) > len(cold.findings)
    assert json_report.dumps(warm) == json_report.dumps(run_audit(repo, cache=False))


def test_new_untracked_file_misses(repo: Path, cached: Path) -> None:
    cold = run_audit(repo)
    write_tree(repo, {"src/churn/extra.py": "def helper():\n    return 1\n"})
    assert "src/churn/extra.py" in {e.path for e in run_audit(repo).inventory}
    assert "src/churn/extra.py" not in {e.path for e in cold.inventory}


def test_edit_behind_assume_unchanged_is_seen(repo: Path, cached: Path) -> None:
    """git skips files marked assume-unchanged when it looks for changes; the cache hashes them instead."""
    _git(repo, "update-index", "--assume-unchanged", "src/churn/data.py")
    cold = run_audit(repo)
    (repo / "src/churn/data.py").write_text(
        TREE["src/churn/data.py"] + 'TOKEN = "' + fake("github") + '"\n', encoding="utf-8"
    )
    warm = run_audit(repo)
    assert json_report.dumps(warm) != json_report.dumps(cold)
    assert any(f.path == "src/churn/data.py" and f.practice == "security" for f in warm.findings)


def test_new_commit_misses(repo: Path, cached: Path) -> None:
    cold = run_audit(repo)
    _git(repo, "commit", "-q", "--allow-empty", "-m", "second")
    warm = run_audit(repo)
    assert warm.git is not None and cold.git is not None and warm.git.commit != cold.git.commit


def test_unchanged_files_are_not_read_in_a_git_tree(repo: Path, cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tracked, unmodified files are identified by their blob id from the index, never read."""
    inventory = discover(repo)
    options = AuditOptions(offline=True, history_depth=0)
    read: list[Path] = []
    real = read_regular

    def counting(path: Path, *args: object, **kwargs: object) -> bytes:
        read.append(path)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cache, "read_regular", counting)
    first = cache.audit_key(inventory, options)
    assert read == []
    (repo / "src/churn/train.py").write_text("x = 1\n", encoding="utf-8")
    second = cache.audit_key(discover(repo), options)
    assert read == [repo.resolve() / "src/churn/train.py"] and second != first


def test_the_keys_git_reads_come_with_the_listing_and_key_the_tree_alike(
    repo: Path, cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index and clone state the key reads are read in discovery's batch: one round trip of git, same key."""
    batches: list[list[str]] = []
    real = gittool.GitRepo.run_all

    def recording(self: gittool.GitRepo, calls: list[gittool.Call]) -> object:
        batches.append([" ".join(call.args) for call in calls])
        return real(self, calls)

    monkeypatch.setattr(gittool.GitRepo, "run_all", recording)
    (repo / "src/churn/data.py").write_text("import pandas as pd\n", encoding="utf-8")  # one modified file
    inventory = discover(repo)
    options = AuditOptions(offline=True)
    listed = len(batches)
    key = cache.audit_key(inventory, options)
    assert len(batches) == listed, "the key ran git again"
    assert any(
        "ls-files -s -v -z" in b and any("diff-files" in c for c in b) and "status" in " ".join(b) for b in batches
    )
    assert cache.audit_key(dataclasses.replace(inventory, index=None), options) == key  # read again here: the same
    assert cache.audit_key(dataclasses.replace(inventory, repo=None, index=None), options) == key


def test_a_failed_key_read_turns_the_cache_off(repo: Path, cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inventory = discover(repo)
    assert inventory.index is not None
    failed = dataclasses.replace(inventory.index, reads=(gittool.GitError("git diff-files failed"),) * 3)
    broken = dataclasses.replace(inventory, index=failed)
    assert cache.slot_for(broken, AuditOptions(offline=True)) is None


def test_every_option_is_either_keyed_or_known_not_to_matter() -> None:
    names = {f.name for f in dataclasses.fields(AuditOptions)}
    assert names == cache.KEYED | cache.NOT_KEYED
    assert cache.options_fingerprint(AuditOptions(select=("LOG",))) != cache.options_fingerprint(AuditOptions())
    assert cache.options_fingerprint(AuditOptions(jobs=4)) == cache.options_fingerprint(AuditOptions(jobs=1))


def test_an_option_the_cache_does_not_know_turns_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "KEYED", cache.KEYED - {"profile"})
    with pytest.raises(cache.Uncacheable, match="profile"):
        cache.options_fingerprint(AuditOptions())


def test_changed_option_misses(repo: Path, cached: Path) -> None:
    everything = run_audit(repo)
    only_logging = run_audit(repo, select=("LOG",))
    assert {f.practice for f in only_logging.findings} <= {"logging"} < {f.practice for f in everything.findings}


@pytest.mark.parametrize("how", ["option", "environment", "run_tests"])
def test_cache_can_be_off(repo: Path, cached: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    options: dict[str, object] = {}
    if how == "option":
        options["cache"] = False
    elif how == "environment":
        monkeypatch.setenv(cache.ENV_OFF, "1")
    else:
        options.update(run_tests=True, python="/nonexistent/python", test_timeout=5)
    run_audit(repo, **options)
    run_audit(repo, **options)
    assert not cached.exists()


def test_cache_folder_inside_the_audited_tree_is_refused(
    repo: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv(cache.ENV_OFF)
    monkeypatch.setenv("XDG_CACHE_HOME", str(repo / ".cache"))
    with caplog.at_level(logging.INFO, logger="mlaudit.cache"):
        run_audit(repo)
    assert not (repo / ".cache").exists()
    assert "inside the audited tree" in caplog.text


def _corrupt(entry: Path) -> None:
    entry.write_bytes(b"\x00garbage\n{not json")


def _truncate(entry: Path) -> None:
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) // 2])


def _foreign_version(entry: Path) -> None:
    head, _, body = entry.read_bytes().partition(b"\n")
    header = json.loads(head)
    entry.write_bytes(json.dumps({**header, "mlaudit": "0.0.1"}).encode() + b"\n" + body)


def _tampered_report(entry: Path) -> None:
    head, _, body = entry.read_bytes().partition(b"\n")
    entry.write_bytes(head + b"\n" + body.replace(b'"score"', b'"scorf"', 1))


def _unreadable(entry: Path) -> None:
    entry.unlink()
    entry.mkdir()


@pytest.mark.parametrize("damage", [_corrupt, _truncate, _foreign_version, _tampered_report, _unreadable])
def test_damaged_entry_is_ignored_and_rebuilt(
    repo: Path, cached: Path, damage: object, caplog: pytest.LogCaptureFixture
) -> None:
    cold = _json(repo)
    entry = _entry(cached)
    damage(entry)  # type: ignore[operator]
    with caplog.at_level(logging.INFO, logger="mlaudit.cache"):
        assert _json(repo) == cold
    assert "cache miss" in caplog.text and "cache hit" not in caplog.text
    if entry.is_file():
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="mlaudit.cache"):
            assert _json(repo) == cold
        assert "cache hit" in caplog.text, "the damaged entry was rebuilt"


def test_unwritable_cache_folder_is_not_an_error(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv(cache.ENV_OFF)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    with caplog.at_level(logging.INFO, logger="mlaudit.cache"):
        assert _json(repo) == _json(repo, cache=False)
    assert "cache not written" in caplog.text


def test_entry_holds_the_redacted_report_only(tmp_path: Path, cached: Path) -> None:
    key = fake("openai")
    root = git_init(write_tree(tmp_path / "leaky", {**TREE, "src/churn/client.py": f'API_KEY = "{key}"\n'}))
    report = run_audit(root)
    assert any(f.path == "src/churn/client.py" for f in report.findings)
    stored = _entry(cached).read_bytes()
    assert key.encode() not in stored and key[4:20].encode() not in stored


def test_expired_entry_is_a_miss(repo: Path, cached: Path, caplog: pytest.LogCaptureFixture) -> None:
    cold = _json(repo)
    entry = _entry(cached)
    head, _, body = entry.read_bytes().partition(b"\n")
    entry.write_bytes(json.dumps({**json.loads(head), "expires": time.time() - 1}).encode() + b"\n" + body)
    with caplog.at_level(logging.INFO, logger="mlaudit.cache"):
        assert _json(repo) == cold
    assert "cache miss (expired" in caplog.text


VULNERABLE = {
    "dependencies": [
        {"name": "requests", "version": "2.19.0", "vulns": [{"id": "PYSEC-2018-28", "fix_versions": ["2.20.0"]}]}
    ]
}


def _pip_audit(monkeypatch: pytest.MonkeyPatch, outcome: RunOutcome) -> list[int]:
    calls: list[int] = []

    def runner(_args: object, _cwd: object, _timeout: float) -> RunOutcome:
        calls.append(1)
        return outcome

    monkeypatch.setattr(pipaudit, "RUNNER", runner)
    return calls


def test_report_with_a_pip_audit_result_expires_with_it(
    tmp_path: Path, cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _pip_audit(monkeypatch, RunOutcome(1, json.dumps(VULNERABLE), ""))
    root = git_init(write_tree(tmp_path / "pins", {**TREE, "requirements.txt": "requests==2.19.0\n"}))
    before = time.time()
    cold = _json(root, offline=False)
    header = json.loads(_entry(cached).read_bytes().partition(b"\n")[0])
    assert before + pipaudit.CACHE_TTL_SECONDS <= header["expires"] <= time.time() + pipaudit.CACHE_TTL_SECONDS
    assert _json(root, offline=False) == cold and calls == [1]


def test_report_whose_pip_audit_check_failed_is_not_stored(
    tmp_path: Path, cached: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    calls = _pip_audit(monkeypatch, RunOutcome(1, "", "ConnectionError: Max retries exceeded"))
    root = git_init(write_tree(tmp_path / "pins", {**TREE, "requirements.txt": "requests==2.19.0\n"}))
    with caplog.at_level(logging.INFO, logger="mlaudit.cache"):
        _json(root, offline=False)
        _json(root, offline=False)
    assert calls == [1, 1], "the failed check is tried again, not served from the report cache"
    assert "pip-audit could not check" in caplog.text
    assert not cached.exists() or not list(cached.glob("*.json"))


def test_touched_source_misses_when_coverage_data_is_compared_with_it(repo: Path, cached: Path) -> None:
    """Coverage data is flagged stale when a source is newer, so source times are part of the key."""
    write_tree(repo, {"coverage.json": json.dumps({"files": {}, "totals": {"percent_covered": 80.0}})})
    inventory = discover(repo)
    options = AuditOptions(offline=True, history_depth=0)
    first = cache.audit_key(inventory, options)
    later = time.time() + 60
    os.utime(repo / "src/churn/train.py", (later, later))
    assert cache.audit_key(discover(repo), options) != first


def test_concurrent_writers_leave_one_valid_entry(repo: Path, cached: Path) -> None:
    report = run_audit(repo)
    options = AuditOptions(offline=True, history_depth=0, today=dt.date.today())
    slot = cache.slot_for(discover(repo), options)
    assert slot is not None
    project = load_project(discover(repo))
    threads = [threading.Thread(target=cache.store, args=(slot, report, project)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    loaded = cache.load(slot)
    assert loaded is not None and json_report.dumps(loaded) == json_report.dumps(report)
    assert [p.name for p in cached.iterdir() if p.name.startswith(".tmp-")] == []


def test_eviction_removes_least_recently_used_entries(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    now = time.time()
    for age, name in enumerate(["newest", "middle", "oldest"]):
        entry = folder / f"{name}.json"
        entry.write_bytes(b"x" * 100)
        os.utime(entry, (now - age * 60, now - age * 60))
    stale = folder / ".tmp-left-by-a-killed-run.json"
    stale.write_bytes(b"x")
    os.utime(stale, (now - 2 * cache.STALE_TEMP_SECONDS, now - 2 * cache.STALE_TEMP_SECONDS))
    cache.evict(folder, 200)
    assert sorted(p.name for p in folder.iterdir()) == ["middle.json", "newest.json"]


def test_hit_touches_the_entry(repo: Path, cached: Path) -> None:
    run_audit(repo)
    entry = _entry(cached)
    os.utime(entry, (1_000_000, 1_000_000))
    run_audit(repo)
    assert entry.stat().st_mtime > 1_000_000


def test_cli_verbose_says_hit_or_miss_and_no_cache_turns_it_off(repo: Path, cached: Path) -> None:
    def cli(*extra: str) -> subprocess.CompletedProcess[str]:
        args = [sys.executable, "-m", "mlaudit", "--offline", "--history-depth", "0", "--json", "-v", *extra]
        return subprocess.run([*args, str(repo)], capture_output=True, text=True, timeout=120, check=True)

    first, second, third = cli(), cli(), cli("--no-cache")
    assert "cache miss (no entry)" in first.stderr and "cache hit" in second.stderr
    assert "cache off (--no-cache)" in third.stderr
    assert first.stdout == second.stdout == third.stdout


def test_app_progress_replays_practice_scores_on_a_hit(repo: Path, cached: Path) -> None:
    options = AuditOptions(offline=True, history_depth=0)
    audit(repo, options)
    steps: list[engine.Progress] = []
    report = audit(repo, options, steps.append)
    scored = [s.practice for s in steps if s.stage == "scored"]
    assert scored == list(report.practices) and steps[-1].stage == "done"


def test_progress_line_on_a_hit_counts_the_practices_it_replays(repo: Path, cached: Path) -> None:
    options = AuditOptions(offline=True, history_depth=0)
    audit(repo, options)
    steps: list[engine.Progress] = []
    report = audit(repo, options, steps.append)
    total = len(report.practices)
    assert [(s.done, s.total) for s in steps if s.stage == "scored"] == [(k, total) for k in range(1, total + 1)]
    lines = [describe(s) for s in steps if s.stage == "scored"]
    assert lines[-1] == f"Practices done {total}/{total} · {report.practices[-1].title}"


def test_touched_but_unchanged_file_is_still_a_hit(repo: Path, cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git sees a touched file as modified; its bytes hash to the same blob id, so the key stays."""
    cold = _json(repo)
    later = time.time() + 60
    os.utime(repo / "src/churn/train.py", (later, later))
    _no_rerun(monkeypatch)
    assert _json(repo) == cold


def test_linked_file_is_identified_by_what_it_points_to(tmp_path: Path, cached: Path) -> None:
    root = git_init(write_tree(tmp_path / "linked", TREE))
    (root / "configs/current.yaml").symlink_to("train.yaml")
    options = AuditOptions(offline=True, history_depth=0)
    first = cache.audit_key(discover(root), options)
    (root / "configs/train.yaml").write_text("lr: 0.1\nepochs: 3\n", encoding="utf-8")
    (root / "configs/other.yaml").write_text("lr: 0.01\nepochs: 3\n", encoding="utf-8")
    second = cache.audit_key(discover(root), options)
    (root / "configs/current.yaml").unlink()
    (root / "configs/current.yaml").symlink_to("other.yaml")
    assert len({first, second, cache.audit_key(discover(root), options)}) == 3


def test_deepened_shallow_clone_misses(tmp_path: Path) -> None:
    """The history scan reports how many commits a shallow clone has; deepening it changes the key."""
    origin = git_init(write_tree(tmp_path / "origin", TREE))
    for number in range(3):
        (origin / "configs/train.yaml").write_text(f"lr: 0.0{number + 1}\n", encoding="utf-8")
        _git(origin, "commit", "-q", "-am", f"tune {number}")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(clone)], check=True, capture_output=True
    )
    options = AuditOptions(offline=True)
    first = cache.audit_key(discover(clone), options)
    _git(clone, "fetch", "-q", "--deepen=2")
    assert cache.audit_key(discover(clone), options) != first
    assert cache.audit_key(discover(clone), AuditOptions(offline=True, history_depth=0)) != first


SAMPLES = Path(__file__).resolve().parent.parent / "sample_projects"


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.iterdir() if p.is_dir()))
def test_every_sample_project_is_byte_identical_warm(
    sample: str, tmp_path: Path, cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = git_init(shutil.copytree(SAMPLES / sample, tmp_path / sample))
    cold = _json(root, history_depth=500)
    _no_rerun(monkeypatch)
    assert _json(root, history_depth=500) == cold


def test_hostile_tree_is_fingerprinted_without_blocking_or_leaving_it(
    tmp_path: Path, cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = write_tree(tmp_path / "outside", {"secret.txt": f"KEY={fake('openai')}\n"})
    root = git_init(write_tree(tmp_path / "hostile", TREE))
    os.mkfifo(root / "pipe.py")
    (root / "leak.yaml").symlink_to(outside / "secret.txt")
    (root / os.fsdecode(b"caf\xe9.py")).write_text("x = 1\n", encoding="utf-8")
    _git(root, "add", "-A")
    cold = _json(root)
    with monkeypatch.context() as patched:
        _no_rerun(patched)
        assert _json(root) == cold
    (outside / "secret.txt").write_text("KEY=changed\n", encoding="utf-8")
    _no_rerun(monkeypatch)
    assert _json(root) == cold, "a file outside the tree is neither read by the audit nor part of the key"


def test_a_report_whose_json_changes_in_a_round_trip_is_never_served(
    repo: Path, cached: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    report = run_audit(repo)
    assert isinstance(report.score, int) and _entry(cached).exists()  # a faithful round trip is stored
    shutil.rmtree(cached)
    real = json_report.loads

    def drifting(text: str) -> object:  # the score comes back as 72.0 for 72: equal in Python, not in JSON
        loaded = real(text)
        drifted: object = float(loaded.score) if loaded.score is not None else None
        return dataclasses.replace(loaded, score=drifted)  # type: ignore[arg-type]  # the drift under test

    monkeypatch.setattr(json_report, "loads", drifting)
    assert json_report.dumps(run_audit(repo)) == json_report.dumps(report)
    with caplog.at_level(logging.INFO, logger="mlaudit.cache"):
        again = run_audit(repo)
    assert json_report.dumps(again) == json_report.dumps(report) and isinstance(again.score, int)
    assert "does not survive its JSON round trip" in caplog.text and "cache hit" not in caplog.text


def test_the_cache_form_of_a_report_holds_the_same_data_as_its_json(repo: Path) -> None:
    report = run_audit(repo)
    assert json.loads(json_report.compact(report)) == json.loads(json_report.dumps(report))
    assert json_report.dumps(json_report.loads(json_report.compact(report))) == json_report.dumps(report)
