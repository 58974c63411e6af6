"""Tests the CI integration files: the pre-commit hook, and the GitHub Action's run script for real."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.helpers import write_tree
from tests.report.test_cli_reports import TINY

ROOT = Path(__file__).resolve().parents[2]


def test_pre_commit_hook_definition() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: mlaudit\n" in text
    assert "  entry: mlaudit\n" in text
    assert '  args: [--plain, --fail-under, "70", "."]\n' in text
    assert "  language: python\n" in text
    assert "  pass_filenames: false\n" in text


def action_text() -> str:
    return (ROOT / "action.yml").read_text(encoding="utf-8")


def run_script() -> str:
    """Return the action's `Run mlaudit` script as bash sees it (YAML block indentation removed)."""
    text = action_text()
    start = text.index("# mlaudit-run-begin")
    start = text.rindex("\n", 0, start) + 1
    end = text.index("# mlaudit-run-end")
    return textwrap.dedent(text[start:end])


def test_action_declares_inputs_outputs_and_sarif_upload() -> None:
    text = action_text()
    for name in ("path:", "fail-under:", "fail-on:", "sarif:"):
        assert f"\n  {name}\n" in text
    assert "using: composite" in text
    assert "value: ${{ steps.audit.outputs.score }}" in text
    assert "value: ${{ steps.audit.outputs.grade }}" in text
    assert "uses: github/codeql-action/upload-sarif@v3" in text
    assert 'python -m pip install --disable-pip-version-check --quiet "$MLAUDIT_ACTION_PATH"' in text
    assert "${{ inputs." not in run_script()


def run_action(tmp_path: Path, **inputs: str) -> tuple[int, dict[str, str], str]:
    repo = write_tree(tmp_path / "repo", TINY)
    summary, output, temp = tmp_path / "summary.md", tmp_path / "output.txt", tmp_path / "runner"
    temp.mkdir()
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "RUNNER_TEMP": str(temp),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(output),
        "INPUT_PATH": str(repo),
        "INPUT_FAIL_UNDER": inputs.get("fail_under", ""),
        "INPUT_FAIL_ON": inputs.get("fail_on", ""),
        "INPUT_SARIF": inputs.get("sarif", "false"),
        "INPUT_COMPARE": "",
        "INPUT_ARGS": "--offline --history-depth 0",
    }
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", run_script()],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    pairs = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())
    return int(pairs["exit-code"]), pairs, summary.read_text(encoding="utf-8")


def test_action_run_script_writes_summary_and_outputs(tmp_path: Path) -> None:
    code, outputs, summary = run_action(tmp_path, sarif="true")
    assert code == 0
    assert outputs["grade"] in {"A", "B", "C", "D", "F"}
    assert 0 <= int(outputs["score"]) <= 100
    assert Path(outputs["sarif"]).is_file()
    assert summary.startswith("## mlaudit scorecard: repo")


def test_action_run_script_records_a_breached_threshold(tmp_path: Path) -> None:
    code, outputs, _summary = run_action(tmp_path, fail_under="100", fail_on="info")
    assert code == 1
    assert "sarif" not in outputs
