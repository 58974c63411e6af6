"""Hostile repositories: git never runs their programs, nothing blocks, nothing crashes.

Every fixture is generated at test time; secret-shaped values are random fakes.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from mlaudit.cache import ENV_OFF
from mlaudit.model import Report
from mlaudit.redact import visible
from mlaudit.report import json as json_report
from mlaudit.tools import git as gittool
from tests.helpers import GIT_ENV, findings, git_init, run_audit, write_tree
from tests.test_secrets import fake

TRAP = '#!/bin/sh\ntouch "{marker}"\nif [ -n "$1" ] && [ -f "$1" ]; then cat "$1"; else cat; fi\n'


def _git(root: Path, *args: str, stdin: str | None = None) -> str:
    env = {**os.environ, **GIT_ENV}
    done = subprocess.run(
        ["git", "-C", str(root), *args], input=stdin, capture_output=True, text=True, check=True, env=env
    )
    return done.stdout.strip()


def _trap(tmp_path: Path, name: str = "trap") -> tuple[Path, Path]:
    """Return (script, marker): a script outside the repository that touches the marker when run."""
    marker = tmp_path / f"ran-{name}"
    script = tmp_path / f"{name}.sh"
    script.write_text(TRAP.format(marker=marker), encoding="utf-8")
    script.chmod(0o755)
    return script, marker


def _repo_with_history(root: Path) -> str:
    """Make a repository whose second commit removed a key; return the key."""
    key = fake("openai")
    write_tree(root, {"app.py": f'KEY = "{key}"\nimport os\n', "pkg/__init__.py": "", "pkg/m.py": "x = 1\n"})
    git_init(root)
    write_tree(root, {"app.py": 'KEY = os.environ["KEY"]\nimport os\n'})
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "remove key")
    return key


def _index_state(root: Path) -> tuple[bytes, int]:
    index = root / ".git" / "index"
    return index.read_bytes(), index.stat().st_mtime_ns


def _touch_all(root: Path) -> None:
    """Make every tracked file stat-dirty (same bytes, new mtime): status would hash and refresh."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in files:
            full = Path(folder) / name
            os.utime(full, (full.stat().st_atime + 1000, full.stat().st_mtime + 1000))


def _audit_untouched(root: Path, marker: Path) -> Report:
    _touch_all(root)
    before = _index_state(root)
    report = run_audit(root, history_depth=50)
    assert not marker.exists(), "git ran a program the audited repository configured"
    assert _index_state(root) == before, ".git/index was rewritten"
    return report


def _sign_head(root: Path) -> None:
    """Replace HEAD by a commit carrying a (fake) PGP signature header."""
    tree = _git(root, "rev-parse", "HEAD^{tree}")
    parent = _git(root, "rev-parse", "HEAD^")
    body = (
        f"tree {tree}\nparent {parent}\n"
        "author t <t@example.com> 1767225600 +0000\ncommitter t <t@example.com> 1767225600 +0000\n"
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEEfake\n -----END PGP SIGNATURE-----\n\nsigned\n"
    )
    oid = _git(root, "hash-object", "-t", "commit", "-w", "--stdin", stdin=body)
    _git(root, "update-ref", "refs/heads/main", oid)


Setup = Callable[[Path, Path], None]


def _config(*pairs: tuple[str, str]) -> Setup:
    def setup(root: Path, script: Path) -> None:
        for key, value in pairs:
            _git(root, "config", key, value.format(script=script))

    return setup


def _attributes(line: str, *pairs: tuple[str, str]) -> Setup:
    def setup(root: Path, script: Path) -> None:
        (root / ".gitattributes").write_text(line + "\n", encoding="utf-8")
        _git(root, "add", ".gitattributes")
        _git(root, "commit", "-q", "-m", "attributes")
        _config(*pairs)(root, script)

    return setup


def _hook_in_git_dir(root: Path, script: Path) -> None:
    hooks = root / ".git" / "hooks"
    for name in ("post-index-change", "reference-transaction", "post-checkout", "pre-auto-gc"):
        (hooks / name).write_bytes(script.read_bytes())
        (hooks / name).chmod(0o755)


def _hooks_path_in_tree(root: Path, script: Path) -> None:
    hooks = root / "githooks"
    hooks.mkdir()
    (hooks / "post-index-change").write_bytes(script.read_bytes())
    (hooks / "post-index-change").chmod(0o755)
    _git(root, "config", "core.hooksPath", "githooks")


def _signed(root: Path, script: Path) -> None:
    _sign_head(root)
    _config(("log.showSignature", "true"), ("gpg.program", "{script}"))(root, script)


SETTINGS: dict[str, Setup] = {
    "core.fsmonitor": _config(("core.fsmonitor", "{script}")),
    "hooks in .git/hooks": _hook_in_git_dir,
    "core.hooksPath in the tree": _hooks_path_in_tree,
    "log.showSignature + gpg.program": _signed,
    "filter clean/smudge": _attributes(
        "* filter=trap",
        ("filter.trap.clean", "{script}"),
        ("filter.trap.smudge", "{script}"),
        ("filter.trap.required", "true"),
    ),
    "filter process": _attributes("* filter=trap", ("filter.trap.process", "{script}")),
    "diff textconv": _attributes("*.py diff=trap", ("diff.trap.textconv", "{script}")),
    "diff driver command": _attributes("*.py diff=trap", ("diff.trap.command", "{script}")),
    "diff.external": _config(("diff.external", "{script}")),
    "core.pager and pager.log": _config(("core.pager", "{script}"), ("pager.log", "{script}")),
    "credential helper, ssh command, askpass": _config(
        ("credential.helper", "!{script}"), ("core.sshCommand", "{script}"), ("core.askPass", "{script}")
    ),
}


@pytest.mark.parametrize("setting", sorted(SETTINGS))
def test_git_runs_no_program_the_repository_configures(tmp_path: Path, setting: str) -> None:
    """Each setting points at a script that touches a marker; the audit must not run it."""
    repo = tmp_path / "repo"
    _repo_with_history(repo)
    script, marker = _trap(tmp_path)
    SETTINGS[setting](repo, script)
    report = _audit_untouched(repo, marker)
    assert report.git is not None and report.git.commit is not None
    assert any(f.rule == "SEC005" for f in report.findings), "history was still scanned"


def test_no_parent_repository_above_the_audited_root(tmp_path: Path) -> None:
    """Auditing a folder inside a hostile repository uses no git at all (no parent search)."""
    parent = tmp_path / "parent"
    write_tree(parent, {"sub/a.py": "x = 1\n", "b.py": ""})
    git_init(parent)
    script, marker = _trap(tmp_path)
    _git(parent, "config", "core.fsmonitor", str(script))
    _git(parent, "config", "log.showSignature", "true")
    _git(parent, "config", "gpg.program", str(script))
    report = run_audit(parent / "sub", history_depth=50)
    assert not marker.exists()
    assert report.git is None
    assert any("not the top folder of a git repository" in n.reason for n in report.not_checked)


def test_lazy_fetch_of_a_partial_clone_runs_no_transport(tmp_path: Path) -> None:
    """A partial clone whose remote is an `ext::` command must not fetch missing history blobs."""
    source = tmp_path / "source"
    _repo_with_history(source)
    _git(source, "config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--filter=blob:none", f"file://{source}", str(clone)],
        check=True,
        capture_output=True,
        env={**os.environ, **GIT_ENV},
    )
    script, marker = _trap(tmp_path)
    _git(clone, "config", "remote.origin.url", f"ext::{script}")
    _git(clone, "config", "protocol.ext.allow", "always")
    _git(clone, "config", "protocol.allow", "always")
    report = run_audit(clone, history_depth=50)
    assert not marker.exists()
    assert not [f for f in report.findings if f.rule == "SEC005"]
    assert any("not read" in n.reason for n in report.not_checked if "history" in n.check)


def test_every_git_call_runs_with_neutral_settings(tmp_path: Path) -> None:
    """The environment of a call pins the repository and overrides configured programs."""
    repo = tmp_path / "repo"
    _repo_with_history(repo)
    _git(repo, "config", "filter.lfs-like.clean", "evil %f")
    _git(repo, "config", "diff.nb.textconv", "evil")
    opened = gittool.open_repo(repo)
    assert opened is not None
    env = opened.env
    pairs = {
        env[f"GIT_CONFIG_KEY_{i}"].lower(): env[f"GIT_CONFIG_VALUE_{i}"] for i in range(int(env["GIT_CONFIG_COUNT"]))
    }
    assert pairs["filter.lfs-like.clean"] == "" and pairs["diff.nb.textconv"] == ""
    assert pairs["core.fsmonitor"] == "false" and pairs["core.hookspath"] == os.devnull
    assert env["GIT_DIR"] == str(repo / ".git") and env["GIT_OPTIONAL_LOCKS"] == "0"
    assert env["GIT_CONFIG_NOSYSTEM"] == "1" and env["GIT_CEILING_DIRECTORIES"] == str(repo.parent)


def test_symlinked_git_dir_is_not_used(tmp_path: Path) -> None:
    """A `.git` that is a link (to a repository elsewhere) is not followed."""
    elsewhere = tmp_path / "elsewhere"
    write_tree(elsewhere, {"a.py": ""})
    git_init(elsewhere)
    repo = tmp_path / "repo"
    write_tree(repo, {"b.py": "x = 1\n"})
    (repo / ".git").symlink_to(elsewhere / ".git")
    assert gittool.open_repo(repo) is None
    assert run_audit(repo, history_depth=0).git is None


# 16.6 history: quoted paths and fake patch headers do not hide a secret; shallow fails closed


def test_history_finds_secrets_behind_quoted_paths_and_fake_headers(tmp_path: Path) -> None:
    keys = [fake("github"), fake("hf"), fake("openai")]
    files = {
        'odd "name" é.py': f'TOKEN = "{keys[0]}"\n',
        "notes.md": f"++ b/decoy.txt\n@@ -0,0 +1 @@\nHF_TOKEN={keys[1]}\n",
        "tab\there.cfg": f"api_key = {keys[2]}\n",
        "keep.py": "x = 1\n",
    }
    write_tree(tmp_path, files)
    git_init(tmp_path)
    for name in files:
        if name != "keep.py":
            (tmp_path / name).unlink()
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "drop")
    found = findings(tmp_path, "SEC005", history_depth=50)
    assert sorted(f.path or "" for f in found) == sorted(visible(n) for n in files if n != "keep.py")
    assert found[0].line is not None and found[0].commit is not None


def test_shallow_clone_is_not_checked(tmp_path: Path) -> None:
    source = tmp_path / "source"
    _repo_with_history(source)
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{source}", str(clone)],
        check=True,
        capture_output=True,
        env={**os.environ, **GIT_ENV},
    )
    report = run_audit(clone, select=("SEC005",), history_depth=50)
    [note] = [n for n in report.not_checked if "history" in n.check]
    assert "shallow clone: 1 commits" in note.reason


def test_full_clone_with_fewer_commits_than_depth_is_checked(tmp_path: Path) -> None:
    _repo_with_history(tmp_path)
    report = run_audit(tmp_path, select=("SEC005",), history_depth=50)
    assert not [n for n in report.not_checked if "history" in n.check]
    assert [f.rule for f in report.findings] == ["SEC005"]


def test_failing_git_log_is_not_checked(tmp_path: Path) -> None:
    """A repository whose older commits are missing (corrupt) is reported as not checked."""
    _repo_with_history(tmp_path)
    first = _git(tmp_path, "rev-parse", "HEAD~1")
    (tmp_path / ".git" / "objects" / first[:2] / first[2:]).unlink()
    report = run_audit(tmp_path, select=("SEC005",), history_depth=50)
    assert not [f for f in report.findings if f.rule == "SEC005"]
    [note] = [n for n in report.not_checked if "history" in n.check]
    assert "history scan failed" in note.reason


# 15.5 history findings carry their file and commit; placeholders and thresholds as at HEAD


def test_history_finding_has_path_line_and_commit(tmp_path: Path) -> None:
    from mlaudit.report import json as json_report

    _repo_with_history(tmp_path)
    added = _git(tmp_path, "rev-parse", "--short=7", "HEAD~1")
    report = run_audit(tmp_path, select=("SEC005",), history_depth=50)
    [hit] = [f for f in report.findings if f.rule == "SEC005"]
    assert (hit.path, hit.line, hit.commit) == ("app.py", 1, added)
    assert hit.location == f"app.py:1@{added}"
    [data] = json_report.to_dict(report)["findings"]
    assert data["commit"] == added and data["path"] == "app.py"
    jsonschema.validate(json_report.to_dict(report), json_report.schema())
    assert json_report.loads(json_report.dumps(report)).findings[0].commit == added
    from mlaudit import baseline
    from mlaudit.report import sarif

    [result] = __import__("json").loads(sarif.render(report))["runs"][0]["results"]
    assert result["properties"]["commit"] == added
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app.py"
    assert __import__("json").loads(baseline.dumps(report))["findings"][0]["commit"] == added


def test_history_honours_placeholders_and_min_length(tmp_path: Path) -> None:
    dummy = "Zq8" + "vT2pL9xK4mW7nR3sB6yH1cJ5"
    write_tree(tmp_path, {"settings.py": f'API_TOKEN = "{dummy}"\n'})
    git_init(tmp_path)
    write_tree(tmp_path, {"settings.py": 'API_TOKEN = ""\n'})
    _git(tmp_path, "commit", "-qam", "drop dummy")
    assert len(findings(tmp_path, "SEC005", history_depth=50)) == 1
    assert findings(tmp_path, "SEC005", history_depth=50, placeholders=(dummy[:12],)) == []
    assert findings(tmp_path, "SEC005", history_depth=50, thresholds={"secret_min_length": 40}) == []


# 16.10 writes: atomic, never through a symbolic link


SMALL = {"pkg/__init__.py": "", "pkg/core.py": "def add(a: int, b: int) -> int:\n    return a + b\n"}


@pytest.mark.parametrize("flag", ["-o", "--markdown", "--sarif", "--fix-report", "--badge", "--write-baseline"])
def test_outputs_refuse_a_symlink_destination(tmp_path: Path, flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    from mlaudit.cli import main

    repo = write_tree(tmp_path / "repo", SMALL)
    victim = tmp_path / "bashrc"
    victim.write_text("export PATH=/usr/bin\n", encoding="utf-8")
    link = repo / "mlaudit.out"
    link.symlink_to(victim)
    code = main([str(repo), "--plain", "--offline", "--history-depth", "0", flag, str(link)])
    err = capsys.readouterr().err
    assert code == 2
    assert victim.read_text(encoding="utf-8") == "export PATH=/usr/bin\n"
    assert link.is_symlink()
    assert "symbolic link" in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_output_replaces_a_file_atomically_and_keeps_its_mode(tmp_path: Path) -> None:
    from mlaudit.output import write_output

    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_output(target, "new ✓\n")
    assert target.read_text(encoding="utf-8") == "new ✓\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_output_refuses_fifo_and_folder(tmp_path: Path) -> None:
    from mlaudit.output import OutputError, write_output

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="not a regular file"):
        write_output(fifo, "x")
    with pytest.raises(OutputError, match="not a regular file"):
        write_output(tmp_path, "x")
    with pytest.raises(OutputError, match="cannot write"):
        write_output(tmp_path / "missing" / "r.md", "x")


def test_app_export_refuses_a_symlink(tmp_path: Path) -> None:
    from mlaudit.output import OutputError
    from mlaudit.tui.exports import EXPORTS, write_export

    victim = tmp_path / "victim"
    victim.write_text("keep", encoding="utf-8")
    (tmp_path / EXPORTS["markdown"].filename).symlink_to(victim)
    report = run_audit(write_tree(tmp_path / "repo", SMALL))
    with pytest.raises(OutputError, match="symbolic link"):
        write_export(report, "markdown", tmp_path / EXPORTS["markdown"].filename)
    assert victim.read_text(encoding="utf-8") == "keep"
    written = write_export(report, "json", tmp_path / EXPORTS["json"].filename)
    assert written.read_text(encoding="utf-8").startswith("{")


# 16.7 crashes become a skip entry or a one-line error with its own exit code


def _cli(*args: str, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    import sys

    return subprocess.run(
        [sys.executable, "-m", "mlaudit", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.mark.parametrize("in_git", [False, True])
@pytest.mark.parametrize("mode", ["--json", "--plain", "--markdown", "--sarif", "--fix-report"])
def test_file_name_that_is_not_utf8_in_every_output(tmp_path: Path, mode: str, in_git: bool) -> None:
    repo = write_tree(tmp_path / "repo", SMALL)
    (repo / os.fsdecode(b"caf\xe9_\xff.py")).write_text("print('x')\nexec(input())\n", encoding="utf-8")
    if in_git:
        git_init(repo)
    args = [mode] if mode in ("--json", "--plain") else [mode, "-"]
    proc = _cli(*args, "--offline", "--history-depth", "5", str(repo))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert re.search(r"caf\\{1,2}xe9\\?_\\{1,2}xff\.py", proc.stdout), proc.stdout[-2000:]


def test_latin1_byte_in_pyproject_is_not_a_crash(tmp_path: Path) -> None:
    repo = write_tree(tmp_path, SMALL)
    (repo / "pyproject.toml").write_bytes(b"[project]\nname = 'x'\ndescription = 'caf\xe9'\n")
    proc = _cli("--json", "--offline", "--history-depth", "0", str(repo))
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    (repo / "mlaudit.toml").write_bytes(b"select = ['SEC']\n# caf\xe9\n")
    proc = _cli("--json", "--offline", "--history-depth", "0", str(repo))
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "not valid UTF-8" in proc.stderr


def test_unreadable_folder_is_a_skip_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder that cannot be listed (or probed for a venv) is skipped with its reason."""
    from mlaudit.discover import discover

    write_tree(tmp_path, {"locked/a.py": "x = 1\n", "b.py": "y = 2\n"})
    real = os.scandir

    def deny(path: object) -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", deny)
    inventory = discover(tmp_path)
    assert [f.path for f in inventory.files] == ["b.py"]
    assert [(s.path, s.reason) for s in inventory.skipped] == [("locked", "unreadable folder: Permission denied")]


def _remove_deep(top: Path) -> None:
    """Remove a very deep tree bottom-up without recursion (shutil.rmtree and os.walk recurse)."""
    folders: list[Path] = []
    stack = [top]
    while stack:
        folder = stack.pop()
        folders.append(folder)
        for entry in os.scandir(folder):
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            else:
                os.unlink(entry.path)
    for folder in reversed(folders):
        folder.rmdir()


def test_deeply_nested_folders_notebook_and_toml(tmp_path: Path) -> None:
    repo = write_tree(tmp_path / "repo", SMALL)
    try:
        _deeply_nested(repo)
    finally:
        _remove_deep(repo / "d")


def _deeply_nested(repo: Path) -> None:
    deep = repo
    for _ in range(1500):
        deep = deep / "d"
        deep.mkdir()
    (deep / "deep.py").write_text("x = 1\n", encoding="utf-8")
    (repo / "nested.ipynb").write_text('{"cells": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    (repo / "mlaudit.toml").write_text("exclude = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    proc = _cli("--json", "--offline", "--history-depth", "0", str(repo))
    assert proc.returncode == 2 and "nested too deeply" in proc.stderr and "Traceback" not in proc.stderr
    (repo / "mlaudit.toml").unlink()
    (repo / "conf.toml").write_text("a = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    proc = _cli("--json", "--offline", "--history-depth", "0", str(repo))
    assert proc.returncode == 0, proc.stderr
    report = __import__("json").loads(proc.stdout)
    paths = {e["path"] for e in report["inventory"]}
    assert "/".join(["d"] * 1500) + "/deep.py" in paths
    assert any(s["path"] == "nested.ipynb" and "nested too deeply" in s["reason"] for s in report["skipped"])


@pytest.mark.parametrize(
    "content",
    [
        "",
        "not json",
        "[]",
        '{"mlaudit_baseline": 1, "findings": [1, 2]}',
        '{"mlaudit_baseline": 1, "findings": 5}',
        pytest.param("[" * 100_000, id="nested-100000"),
    ],
)
def test_malformed_baseline_is_a_one_line_error(tmp_path: Path, content: str) -> None:
    repo = write_tree(tmp_path / "repo", SMALL)
    bad = tmp_path / "base.json"
    bad.write_text(content, encoding="utf-8")
    proc = _cli("--plain", "--offline", "--history-depth", "0", "--baseline", str(bad), str(repo))
    assert proc.returncode == 2 and proc.stderr.startswith("mlaudit: error: cannot read --baseline")
    assert proc.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "content",
    [
        "{}",
        '{"practices": 5}',
        '{"schema_version": "1.0", "mlaudit_version": "x", "root": "r", "score": "A", "grade": null, "practices": [],'
        ' "findings": [], "files": {}, "skipped": [], "not_checked": []}',
        pytest.param("[" * 100_000, id="nested-100000"),
        "\udcff",
    ],
)
def test_malformed_compare_report_is_a_one_line_error(tmp_path: Path, content: str) -> None:
    repo = write_tree(tmp_path / "repo", SMALL)
    bad = tmp_path / "base.json"
    bad.write_bytes(content.encode("utf-8", "surrogateescape"))
    for flag in ("--compare", "--fail-if-worse"):
        args = ["--markdown", "-"] if flag == "--compare" else ["--plain"]
        proc = _cli(*args, "--offline", "--history-depth", "0", flag, str(bad), str(repo))
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.startswith(f"mlaudit: error: cannot read {flag} report") and proc.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "setting",
    [
        "thresholds = { entropy = inf }",
        "thresholds = { secret_min_length = nan }",
        "thresholds = { min_duplicate_lines = 0 }",
        "thresholds = { max_function_lines = 1e300 }",
        "thresholds = { api_dict_keys = 9223372036854775807 }",
        'thresholds = { coverage_target = "high" }',
        "weights = { security = inf }",
        "fail-under = -inf",
        'exclude = "build"',
        "select = [1, 2]",
        'tool = "x"',
        'suppress = { "SEC001:a.py" = { reason = "r", until = 10:00:00 } }',
    ],
)
def test_hostile_config_values_are_one_line_errors(tmp_path: Path, setting: str) -> None:
    repo = write_tree(tmp_path, {**SMALL, "mlaudit.toml": setting + "\n"})
    proc = _cli("--plain", "--offline", "--history-depth", "0", str(repo))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.startswith("mlaudit: error:") and proc.stderr.count("\n") == 1


def test_tool_that_is_not_a_table_in_pyproject_is_a_one_line_error(tmp_path: Path) -> None:
    repo = write_tree(tmp_path, {**SMALL, "pyproject.toml": 'tool = "x"\n'})
    proc = _cli("--plain", "--offline", "--history-depth", "0", str(repo))
    assert proc.returncode == 2 and "[tool] must be a table" in proc.stderr


def test_extreme_but_valid_thresholds_run_every_rule(tmp_path: Path) -> None:
    """Each threshold at both ends of its range: no rule crashes."""
    from mlaudit.config import THRESHOLD_RANGES

    repo = write_tree(
        tmp_path,
        {**SMALL, "tests/test_core.py": "from x import add\n\ndef test_add():\n    assert add(1, 2) == 3\n"},
    )
    for end in (0, 1):
        thresholds = {key: bounds[end] for key, bounds in THRESHOLD_RANGES.items()}
        report = run_audit(repo, thresholds=thresholds)
        assert not [n for n in report.not_checked if "crashed" in n.reason], end
        assert report.incomplete is None


# 16.8 special files never block; no symlink out of the root is followed


def _fifo_and_zero(repo: Path, names: tuple[str, ...]) -> None:
    for index, name in enumerate(names):
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if index % 2 == 0:
            os.mkfifo(target)
        else:
            target.symlink_to("/dev/zero")


def _audit_within(repo: Path, seconds: float) -> Report:
    """Audit in a thread; fail (instead of hanging the suite) when it does not finish in time."""
    import threading

    result: dict[str, Report] = {}
    thread = threading.Thread(target=lambda: result.setdefault("r", run_audit(repo)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the audit blocked"
    return result["r"]


@pytest.mark.parametrize("in_git", [False, True])
def test_fifos_and_device_links_never_block(tmp_path: Path, in_git: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gittool, "WORKTREE_TIMEOUT", 2.0)
    repo = write_tree(tmp_path / "repo", SMALL)
    if in_git:
        git_init(repo)
    names = ("mlaudit.toml", "pyproject.toml", "coverage.xml", ".coverage", "conf/app.yaml", "requirements.txt")
    _fifo_and_zero(repo, names)
    (repo / ".gitignore").symlink_to("/dev/zero")
    (repo / "pkg" / "pyvenv.cfg").symlink_to("/dev/zero")
    (repo / "x").mkdir()
    os.mkfifo(repo / "x" / ".gitignore")
    report = _audit_within(repo, 45)
    skipped = {s.path: s.reason for s in report.skipped}
    assert "pkg/core.py" in {e.path for e in report.inventory}
    assert report.incomplete is None
    if in_git:
        # git blocks on the FIFO .gitignore: whichever git read meets it first times out and says so
        reason = skipped["."]
        assert "untracked files not listed" in reason or ".gitignore not checked" in reason, reason
    else:
        assert "not a regular file" in skipped["mlaudit.toml"] and "leaves the repository" in skipped["pyproject.toml"]


def test_symlink_out_of_the_root_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_text('select = ["SEC"]\n', encoding="utf-8")
    secret = tmp_path / "secret.py"
    key = fake("github")
    secret.write_text(f'TOKEN = "{key}"\n', encoding="utf-8")
    repo = write_tree(tmp_path / "repo", SMALL)
    (repo / "mlaudit.toml").symlink_to(outside)
    (repo / "linked.py").symlink_to(secret)
    proc = _cli("--json", "--offline", "--history-depth", "0", str(repo))
    assert proc.returncode == 0, proc.stderr
    report = __import__("json").loads(proc.stdout)
    assert len(report["practices"]) == 11 and not [f for f in report["findings"] if f["rule"] == "SEC001"]
    assert any(s["path"] == "linked.py" for s in report["skipped"])


# 16.9 a crashed rule never raises the score silently; empty pyvenv.cfg hides nothing


def test_crashed_rule_marks_practice_and_report_incomplete(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mlaudit.registry import load_rules
    from mlaudit.report import json as json_report
    from mlaudit.report import markdown

    repo = write_tree(tmp_path, {**SMALL, "pkg/settings.py": f'API_KEY = "{fake("openai")}"\n'})
    healthy = run_audit(repo, select=("SEC",))
    assert healthy.incomplete is None and healthy.practice("security").status_reason is None

    def boom(self: object, project: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(load_rules()["SEC001"], "check", boom)
    broken = run_audit(repo, select=("SEC",))
    assert broken.incomplete == "incomplete: 1 check(s) failed (SEC001)"
    security = broken.practice("security")
    assert security.status_reason is not None and "SEC001" in security.status_reason
    assert any(n.check.startswith("SEC001") and "RuntimeError: boom" in n.reason for n in broken.not_checked)
    assert "incomplete" in markdown.render(broken).splitlines()[2]
    assert json_report.loads(json_report.dumps(broken)).incomplete == broken.incomplete


def test_plain_summary_shows_incomplete(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    from mlaudit.registry import load_rules
    from mlaudit.report.text import render

    def boom(self: object, project: object) -> object:
        raise ValueError("bad")

    monkeypatch.setattr(load_rules()["LOG001"], "check", boom)
    report = run_audit(write_tree(tmp_path, SMALL))
    console = Console(record=True, width=120)
    render(report, console)
    assert "incomplete: 1 check(s) failed (LOG001)" in console.export_text()


def test_empty_pyvenv_cfg_does_not_hide_a_folder(tmp_path: Path) -> None:
    key = fake("github")
    repo = write_tree(
        tmp_path,
        {**SMALL, "app/pyvenv.cfg": "", "app/settings.py": f'TOKEN = "{key}"\n', "app/lib/x.py": ""},
    )
    [hit] = findings(repo, "SEC001")
    assert hit.path == "app/settings.py"
    real = {"venv/pyvenv.cfg": "home = /usr/bin\n", "venv/bin/python": "", "venv/lib/site.py": f'T = "{key}"\n'}
    write_tree(repo, real)
    report = run_audit(repo, select=("SEC001",))
    assert [f.path for f in report.findings if f.rule == "SEC001"] == ["app/settings.py"]
    assert not any(e.path.startswith("venv/") for e in report.inventory)


@pytest.mark.parametrize("target", ["/proc/kmsg", "outside"])
def test_coverage_file_linked_out_of_the_root_is_not_read(tmp_path: Path, target: str) -> None:
    """`coverage.xml -> /proc/kmsg` would block forever; a link to real data elsewhere is not ours."""
    outside = tmp_path / "coverage.xml"
    outside.write_text('<?xml version="1.0" ?><coverage line-rate="0.99"><packages/></coverage>\n', encoding="utf-8")
    repo = write_tree(tmp_path / "repo", SMALL)
    (repo / "coverage.xml").symlink_to(outside if target == "outside" else Path(target))
    report = _audit_within(repo, 30)
    [note] = [n for n in report.not_checked if n.check == "coverage"]
    assert "no coverage data" in note.reason


@pytest.mark.parametrize("mode", ["--json", "--plain", "--markdown", "--sarif"])
def test_audited_folder_name_that_is_not_utf8(tmp_path: Path, mode: str) -> None:
    repo = write_tree(tmp_path / os.fsdecode(b"r\xe9po"), SMALL)
    args = [mode] if mode in ("--json", "--plain") else [mode, "-"]
    proc = _cli(*args, "--offline", "--history-depth", "0", str(repo))
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    proc.stdout.encode("utf-8")


def test_read_regular_refuses_a_file_behind_a_linked_folder_outside_the_root(tmp_path: Path) -> None:
    from mlaudit.discover import read_regular

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.env").write_text("TOKEN=x\n", encoding="utf-8")
    root = tmp_path / "repo"
    (root / "inside").mkdir(parents=True)
    (root / "inside" / "ok.txt").write_text("fine\n", encoding="utf-8")
    (root / "linked").symlink_to(outside, target_is_directory=True)
    assert read_regular(root / "inside" / "ok.txt", root) == b"fine\n"
    with pytest.raises(OSError, match="leaves the repository"):
        read_regular(root / "linked" / "secret.env", root)


@pytest.mark.parametrize("setting", sorted(SETTINGS))
def test_report_cache_runs_no_program_the_repository_configures(
    tmp_path: Path, setting: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache fingerprints the tree with `git ls-files`/`diff-files` over touched (stat-dirty) files:
    no filter, fsmonitor or hook the repository configures may run, on a miss or on a hit."""
    monkeypatch.delenv(ENV_OFF)
    repo = tmp_path / "repo"
    _repo_with_history(repo)
    script, marker = _trap(tmp_path)
    SETTINGS[setting](repo, script)
    first = _audit_untouched(repo, marker)
    second = _audit_untouched(repo, marker)  # touched again: every tracked file is stat-dirty
    assert json_report.dumps(second) == json_report.dumps(first)
    assert list((Path(os.environ["XDG_CACHE_HOME"]) / "mlaudit" / "reports").glob("*.json")), "nothing was cached"
