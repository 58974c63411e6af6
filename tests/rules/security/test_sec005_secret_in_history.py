"""Tests of rule SEC005 (`mlaudit/rules/security/sec005_secret_in_history.py`)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.helpers import GIT_ENV, findings, git_init, run_audit, write_tree
from tests.test_secrets import fake, rand


def _commit(root: Path, message: str) -> None:
    import os

    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(root), "commit", "-q", "-m", message], check=True, env=env)


def test_sec005_reports_deleted_secret_with_commit(tmp_path: Path) -> None:
    gone, kept = fake("openai"), fake("hf")
    write_tree(tmp_path, {"app.py": f'KEY = "{gone}"\nHF = "{kept}"\n'})
    git_init(tmp_path)
    write_tree(tmp_path, {"app.py": f'KEY = os.environ["KEY"]\nHF = "{kept}"\n'})
    _commit(tmp_path, "remove key")
    [hit] = findings(tmp_path, "SEC005", history_depth=50)
    assert "app.py" in hit.message and "rotate the key" in hit.message and gone not in hit.message
    assert "OpenAI API key" in hit.message


def test_sec005_not_run_when_disabled(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.py": "x = 1\n"})
    git_init(tmp_path)
    report = run_audit(tmp_path, select=("SEC005",), history_depth=0)
    assert [f for f in report.findings if f.rule == "SEC005"] == []
    assert any("history_depth=0" in n.reason for n in report.not_checked)


def test_sec005_ignores_excluded_paths(tmp_path: Path) -> None:
    write_tree(tmp_path, {"vendor/demo/settings.py": f'KEY = "{fake("openai")}"\n', "a.py": "x = 1\n"})
    git_init(tmp_path)
    (tmp_path / "vendor/demo/settings.py").unlink()
    _commit(tmp_path, "drop vendored demo")
    assert len(findings(tmp_path, "SEC005", history_depth=50)) == 1
    assert findings(tmp_path, "SEC005", history_depth=50, exclude=("vendor",)) == []


def test_sec005_a_deleted_random_value_under_a_secret_name_is_an_error(tmp_path: Path) -> None:
    gone, guessed = fake("openai"), rand(40)
    write_tree(tmp_path, {"app.py": f'KEY = "{gone}"\nTOKEN = "{guessed}"\n'})
    git_init(tmp_path)
    write_tree(tmp_path, {"app.py": 'KEY = os.environ["KEY"]\nTOKEN = os.environ["TOKEN"]\n'})
    _commit(tmp_path, "read keys from the environment")
    severities = sorted(h.severity.value for h in findings(tmp_path, "SEC005", history_depth=50))
    assert severities == ["critical", "error"]
