"""Tests the distribution: it builds with `python -m build`, passes `twine check`, and carries full metadata."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build sdist and wheel from a copy of the sources (the work tree gets no build files)."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "mlaudit", source / "mlaudit", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return out


def test_build_passes_twine_check(dist: Path) -> None:
    files = sorted(p.name for p in dist.iterdir())
    assert files == ["mlaudit_cli-0.1.0-py3-none-any.whl", "mlaudit_cli-0.1.0.tar.gz"]
    done = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, dist.iterdir())],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def metadata(dist: Path) -> tuple[dict[str, list[str]], list[str]]:
    with zipfile.ZipFile(dist / "mlaudit_cli-0.1.0-py3-none-any.whl") as wheel:
        names = wheel.namelist()
        text = wheel.read("mlaudit_cli-0.1.0.dist-info/METADATA").decode("utf-8")
    message = Parser().parsestr(text)
    fields: dict[str, list[str]] = {}
    for key, value in message.items():
        fields.setdefault(key, []).append(value)
    return fields, names


def test_metadata_has_license_expression_classifiers_and_urls(dist: Path) -> None:
    fields, names = metadata(dist)
    assert fields["Name"] == ["mlaudit-cli"]
    assert fields["License-Expression"] == ["MIT"]
    assert fields["License-File"] == ["LICENSE"]
    assert "mlaudit_cli-0.1.0.dist-info/licenses/LICENSE" in names
    assert not any(c.startswith("License ::") for c in fields["Classifier"]), "PEP 639: no license classifiers"
    assert "Programming Language :: Python :: 3.11" in fields["Classifier"]
    assert {url.split(",")[0] for url in fields["Project-URL"]} >= {"Homepage", "Source", "Issues"}
    assert "mlaudit/report/schema.json" in names and "mlaudit/report/config-schema.json" in names


def test_pytest_and_coverage_are_only_an_extra(dist: Path) -> None:
    fields, _names = metadata(dist)
    hard = [r for r in fields["Requires-Dist"] if "extra ==" not in r]
    assert not any(r.lower().startswith(("pytest", "coverage")) for r in hard)
    tests_extra = [r for r in fields["Requires-Dist"] if 'extra == "tests"' in r]
    assert {r.split(">")[0].split("=")[0] for r in tests_extra} == {"coverage", "pytest"}
    assert "tests" in fields["Provides-Extra"]


def test_run_tests_with_an_interpreter_without_pytest_says_how_to_fix_it(tmp_path: Path) -> None:
    import json

    from tests.helpers import write_tree

    bare = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True, timeout=120)
    repo = write_tree(tmp_path / "repo", {"x/__init__.py": "", "tests/test_x.py": "def test_x() -> None:\n    pass\n"})
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mlaudit",
            "--offline",
            "--history-depth",
            "0",
            "--json",
            "--run-tests",
            "--python",
            str(bare / "bin" / "python"),
            str(repo),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    reasons = [n["reason"] for n in json.loads(done.stdout)["not_checked"]]
    assert any("has no coverage" in r and "mlaudit-cli[tests]" in r for r in reasons), reasons


WITHOUT_COVERAGE = (
    "import sys; sys.modules['coverage'] = None; sys.modules['pytest'] = None; "
    "from mlaudit.cli import main; raise SystemExit(main(sys.argv[1:]))"
)


def audit_without_coverage(*args: str) -> dict[str, object]:
    """Run mlaudit in a process where coverage.py and pytest cannot be imported."""
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_COVERAGE, "--offline", "--history-depth", "0", "--json", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    import json

    data: dict[str, object] = json.loads(done.stdout)
    return data


def test_mlaudit_runs_without_coverage_and_pytest(tmp_path: Path) -> None:
    from tests.helpers import write_tree

    repo = write_tree(tmp_path / "repo", {"x/__init__.py": "", "x/core.py": "def f() -> int:\n    return 1\n"})
    (repo / ".coverage").write_bytes(b"SQLite format 3\x00")
    report = audit_without_coverage(str(repo))
    reasons = [n["reason"] for n in report["not_checked"]]  # type: ignore[attr-defined]
    assert any("needs coverage.py" in r and "mlaudit-cli[tests]" in r for r in reasons), reasons


def test_run_tests_uses_the_projects_coverage_when_mlaudit_has_none(tmp_path: Path) -> None:
    from tests.helpers import write_tree

    repo = write_tree(
        tmp_path / "repo",
        {
            "x/__init__.py": "",
            "x/core.py": "def f(a: int) -> int:\n    if a:\n        return 1\n    return 2\n",
            "tests/test_core.py": "from x.core import f\n\n\ndef test_f() -> None:\n    assert f(1) == 1\n",
        },
    )
    import json

    report = audit_without_coverage("--run-tests", "--python", sys.executable, str(repo))
    metrics = {p["key"]: p["metrics"] for p in report["practices"]}  # type: ignore[attr-defined]
    assert metrics["testing"]["coverage_source"] == "--run-tests"
    direct = subprocess.run(
        [sys.executable, "-m", "mlaudit", "--offline", "--history-depth", "0", "--json", "--run-tests", str(repo)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    same = {p["key"]: p["metrics"] for p in json.loads(direct.stdout)["practices"]}
    assert 0 < metrics["testing"]["coverage_total"] == same["testing"]["coverage_total"] < 100


def test_pre_commit_accepts_the_hook_manifest() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_pre_commit_try_repo_installs_and_runs_the_hook(tmp_path: Path) -> None:
    """pre-commit installs this repository (distribution mlaudit-cli) and runs `mlaudit` on a good repo."""
    import shutil

    from tests.helpers import git_init

    target = tmp_path / "target"
    shutil.copytree(ROOT / "sample_projects" / "production_grade", target)
    git_init(target)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "mlaudit", "--all-files"],
        cwd=target,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "mlaudit" in done.stdout and "Passed" in done.stdout
