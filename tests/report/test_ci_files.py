"""Tests the CI integration files: the pre-commit hook, the GitHub Action's schema and its steps, run for real."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import write_tree
from tests.report.test_cli_reports import TINY

ROOT = Path(__file__).resolve().parents[2]
DISTRIBUTION = "mlaudit-cli"

PIP_PAYLOAD = 'open(__file__.rsplit("/", 2)[0] + "/../PWNED-pip", "w").write("planted pip ran")\n'
JSON_PAYLOAD = (
    'open(__file__.rsplit("/", 1)[0] + "/../PWNED-json", "w").write("planted json ran")\n'
    "def load(*args, **kwargs):\n"
    '    return {"score": 100, "grade": "A"}\n'
)


def action() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def step(step_id: str) -> dict[str, Any]:
    steps = [s for s in action()["runs"]["steps"] if s.get("id") == step_id]
    assert len(steps) == 1, step_id
    found: dict[str, Any] = steps[0]
    return found


def test_action_is_valid_yaml_and_matches_the_actions_schema() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-actions",
            str(ROOT / "action.yml"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_rejects_the_old_unquoted_colon(tmp_path: Path) -> None:
    broken = tmp_path / "action.yml"
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    broken.write_text(
        text.replace('"Upload the findings', "Upload the findings: x").replace('write`)."', "write`)."), "utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-actions", str(broken)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0


def test_action_declares_inputs_outputs_and_sarif_upload() -> None:
    data = action()
    assert {"path", "fail-under", "fail-on", "sarif", "annotations", "compare", "args"} <= set(data["inputs"])
    assert data["runs"]["using"] == "composite"
    assert data["outputs"]["score"]["value"] == "${{ steps.audit.outputs.score }}"
    assert data["outputs"]["grade"]["value"] == "${{ steps.audit.outputs.grade }}"
    uses = [s.get("uses", "") for s in data["runs"]["steps"]]
    assert "github/codeql-action/upload-sarif@v3" in uses


def test_action_leaves_the_callers_python_alone() -> None:
    setup = step("python")
    assert setup["uses"].startswith("actions/setup-python@")
    assert setup["with"]["update-environment"] is False
    install = step("install")["run"]
    assert "-m venv" in install
    assert "pytest" not in install


def test_action_scripts_take_inputs_only_from_the_environment() -> None:
    for step_id in ("install", "audit"):
        assert "${{" not in step(step_id)["run"]


def run_step(step_id: str, workspace: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a composite step's script as the runner does: bash -eo pipefail, in the workspace."""
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step(step_id)["run"]],
        cwd=workspace,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def hostile_workspace(tmp_path: Path) -> Path:
    """A checked-out pull request that plants a `pip` package and a `json.py` at the workspace root."""
    files = {**TINY, "pip/__init__.py": PIP_PAYLOAD, "pip/__main__.py": PIP_PAYLOAD, "json.py": JSON_PAYLOAD}
    files["tiny/core.py"] = "".join(f"def f{i}():\n    print({i})\n" for i in range(40))
    return write_tree(tmp_path / "workspace", files)


def test_install_step_never_runs_a_planted_pip(tmp_path: Path) -> None:
    workspace = hostile_workspace(tmp_path)
    runner = tmp_path / "runner"
    runner.mkdir()
    output = tmp_path / "install-output.txt"
    env = {
        "RUNNER_TEMP": str(runner),
        "GITHUB_OUTPUT": str(output),
        "MLAUDIT_BASE_PYTHON": sys.executable,
        "MLAUDIT_ACTION_PATH": str(ROOT),
        "PIP_NO_DEPS": "1",  # the test only needs mlaudit itself in the new environment
    }
    done = run_step("install", workspace, env)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "PWNED-pip").exists()
    python = output.read_text(encoding="utf-8").strip().removeprefix("python=")
    assert Path(python).parent.parent == runner / "mlaudit-venv"
    check = subprocess.run(
        [python, "-I", "-c", "import mlaudit, sys; print(sys.prefix)"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert check.returncode == 0, check.stderr
    assert Path(check.stdout.strip()) == runner / "mlaudit-venv"


def run_audit_step(tmp_path: Path, workspace: Path, **inputs: str) -> tuple[int, dict[str, str], str]:
    summary, output, runner = tmp_path / "summary.md", tmp_path / "output.txt", tmp_path / "runner"
    runner.mkdir(exist_ok=True)
    env = {
        "RUNNER_TEMP": str(runner),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(output),
        "MLAUDIT_PYTHON": sys.executable,
        "INPUT_PATH": inputs.get("path", "."),
        "INPUT_FAIL_UNDER": inputs.get("fail_under", ""),
        "INPUT_FAIL_ON": inputs.get("fail_on", ""),
        "INPUT_SARIF": inputs.get("sarif", "false"),
        "INPUT_ANNOTATIONS": inputs.get("annotations", "false"),
        "INPUT_COMPARE": "",
        "INPUT_ARGS": "--offline --history-depth 0",
    }
    done = run_step("audit", workspace, env)
    assert done.returncode == 0, done.stderr
    pairs = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines() if "=" in line)
    return int(pairs["exit-code"]), pairs, summary.read_text(encoding="utf-8") + done.stdout


def test_audit_step_writes_summary_and_outputs(tmp_path: Path) -> None:
    workspace = write_tree(tmp_path / "workspace", TINY)
    code, outputs, summary = run_audit_step(tmp_path, workspace, sarif="true", annotations="true")
    assert code == 0
    assert outputs["grade"] in {"A", "B", "C", "D", "F"}
    assert 0 <= int(outputs["score"]) <= 100
    assert Path(outputs["sarif"]).is_file()
    assert summary.startswith("## mlaudit scorecard: workspace")
    assert "::warning file=tiny/core.py,line=2," in summary


def test_audit_step_records_a_breached_threshold(tmp_path: Path) -> None:
    workspace = write_tree(tmp_path / "workspace", TINY)
    code, outputs, _summary = run_audit_step(tmp_path, workspace, fail_under="100", fail_on="info")
    assert code == 1
    assert "sarif" not in outputs


def test_audit_step_never_imports_a_planted_json_or_pip(tmp_path: Path) -> None:
    workspace = hostile_workspace(tmp_path)
    code, outputs, _summary = run_audit_step(tmp_path, workspace)
    report = __import__("json").loads((tmp_path / "runner" / "mlaudit" / "report.json").read_text("utf-8"))
    assert not (tmp_path / "PWNED-json").exists()
    assert not (tmp_path / "PWNED-pip").exists()
    assert outputs["score"] == str(report["score"])
    assert outputs["grade"] == report["grade"]
    assert (outputs["score"], outputs["grade"]) != ("100", "A")
    assert code == 0


def test_the_payloads_do_fire_when_python_puts_the_workspace_on_sys_path(tmp_path: Path) -> None:
    workspace = hostile_workspace(tmp_path)
    subprocess.run([sys.executable, "-c", "import json"], cwd=workspace, check=False, timeout=60)
    subprocess.run([sys.executable, "-m", "pip", "--version"], cwd=workspace, check=False, timeout=60)
    assert (tmp_path / "PWNED-json").exists()
    assert (tmp_path / "PWNED-pip").exists()


def test_pre_commit_hook_definition() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    (hook,) = hooks
    assert {"id", "name", "entry", "language"} <= set(hook)
    assert hook["id"] == "mlaudit"
    assert hook["entry"] == "mlaudit"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert hook["args"] == ["--plain", "--fail-under", "70", "."]


@pytest.mark.parametrize("path", ["README.md", "action.yml", ".pre-commit-hooks.yaml", "pyproject.toml"])
def test_one_publishable_distribution_name_everywhere(path: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    assert "pip install mlaudit " not in text and "pip install mlaudit\n" not in text
    if path == "pyproject.toml":
        assert f'name = "{DISTRIBUTION}"' in text
    if path == "README.md":
        assert f"pip install {DISTRIBUTION}" in text


def test_distribution_name_does_not_collide_with_ml_audit() -> None:
    import tomllib

    name = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"]

    def squash(text: str) -> str:
        return text.lower().replace("-", "").replace("_", "").replace(".", "")

    assert squash(name) != squash("ml-audit")
    assert name == DISTRIBUTION


def test_readme_documents_every_command_line_flag() -> None:
    from mlaudit.cli import build_parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    flags = [o for a in build_parser()._actions for o in a.option_strings if o not in {"-h", "--help", "--version"}]
    missing = [o for o in flags if o not in readme and not any(f"{s}" in readme for s in a_aliases(o))]
    assert missing == []


def a_aliases(flag: str) -> list[str]:
    """Return the other spellings of a flag (its short form documents it too)."""
    from mlaudit.cli import build_parser

    for action in build_parser()._actions:
        if flag in action.option_strings:
            return [o for o in action.option_strings if o != flag]
    return []
