"""Tests for the structured-file readers: each file parsed once per audit, failures give a reason."""

from __future__ import annotations

import json
import random
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from mlaudit import readers
from mlaudit.secret_sweep import sweep
from tests.helpers import findings, project_of, run_audit, write_tree
from tests.test_hostile_secrets import random_token

PYPROJECT = """[project]
name = "churn"
version = "1.0"
requires-python = ">=3.11"
dependencies = ["numpy>=1.26", "pandas>=2.2"]

[project.scripts]
churn-train = "churn.train:main"

[tool.pytest.ini_options]
testpaths = ["tests"]

[tool.coverage.run]
branch = true

[tool.mypy]
strict = true
"""
CODE = {
    "churn/__init__.py": "",
    "churn/train.py": "import numpy as np\nimport pandas as pd\n\n\ndef main() -> None:\n    print(np.zeros(2))\n",
    "tests/test_train.py": "from churn.train import main\n\n\ndef test_main() -> None:\n    main()\n",
}


def _count_toml_parses(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    parsed: Counter[str] = Counter()
    real = tomllib.loads

    def counting(text: str, **kwargs: Any) -> dict[str, Any]:
        parsed[text] += 1
        return real(text, **kwargs)

    monkeypatch.setattr(tomllib, "loads", counting)
    return parsed


def test_pyproject_is_parsed_once_per_audit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {**CODE, "pyproject.toml": PYPROJECT, "Pipfile": '[packages]\nrequests = "*"\n'})
    parsed = _count_toml_parses(monkeypatch)
    run_audit(tmp_path)
    assert parsed[PYPROJECT] == 1
    assert parsed['[packages]\nrequests = "*"\n'] == 1


def test_each_requirements_file_is_parsed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pins = "".join(f"pkg{i}=={i}.0.1\n" for i in range(6))
    files = {**CODE, "requirements.txt": "-c constraints.txt\nnumpy>=1.26\npandas\n", "constraints.txt": pins}
    write_tree(tmp_path, files)
    parsed: Counter[str] = Counter()
    real = readers.logical_lines

    def counting(text: str) -> Any:
        parsed[text] += 1
        return real(text)

    monkeypatch.setattr(readers, "logical_lines", counting)
    run_audit(tmp_path)
    assert parsed == Counter({files["requirements.txt"]: 1, pins: 1})


def test_requirements_lines_join_continuations_and_cut_comments_and_hashes(tmp_path: Path) -> None:
    text = "# pinned set\nnumpy==1.26.4 \\\n    --hash=sha256:ab12\npandas>=2.2  # dataframes\n\n-r dev.txt\n"
    project = project_of(write_tree(tmp_path, {"requirements.txt": text}))
    lines = readers.requirements_file(project, "requirements.txt").lines
    assert lines == ((2, "numpy==1.26.4"), (4, "pandas>=2.2"), (6, "-r dev.txt"))


def test_malformed_pyproject_gives_the_reason_and_no_data(tmp_path: Path) -> None:
    write_tree(tmp_path, {**CODE, "pyproject.toml": '[project]\nname = "churn\n'})
    parsed = readers.toml_file(project_of(tmp_path), "pyproject.toml")
    assert parsed.data is None and parsed.error is not None and "line 2" in parsed.error
    [hit] = findings(tmp_path, "DEP007")
    assert "malformed TOML" in hit.message and "line 2" in hit.message


def test_valid_and_missing_toml_have_no_error(tmp_path: Path) -> None:
    project = project_of(write_tree(tmp_path, {**CODE, "pyproject.toml": PYPROJECT}))
    parsed = readers.toml_file(project, "pyproject.toml")
    assert parsed.error is None and parsed.table["project"]["name"] == "churn"
    assert readers.pyproject(project) is parsed.data
    missing = readers.toml_file(project, "Pipfile")
    assert missing.data is None and missing.error is None and missing.table == {}


def test_deeply_nested_pyproject_is_a_reason_not_a_crash(tmp_path: Path) -> None:
    write_tree(tmp_path, {**CODE, "pyproject.toml": "[project]\nname = " + "[" * 5000 + "]" * 5000 + "\n"})
    assert readers.toml_file(project_of(tmp_path), "pyproject.toml").error == "nested too deeply"
    report = run_audit(tmp_path)
    assert report.incomplete is None
    assert any("nested too deeply" in f.message for f in report.findings if f.rule == "DEP007")


def test_ini_reader_sections_and_errors(tmp_path: Path) -> None:
    files = {"setup.cfg": "[tool:pytest]\ntestpaths = tests\n", "tox.ini": "testpaths = tests\n[pytest]\n"}
    project = project_of(write_tree(tmp_path, files))
    good = readers.ini_file(project, "setup.cfg")
    assert good.error is None and good.section("tool:pytest") == {"testpaths": "tests"}
    assert good.section("mypy") is None
    broken = readers.ini_file(project, "tox.ini")
    assert broken.parser is None and broken.error == "MissingSectionHeaderError"
    assert readers.ini_file(project, "mypy.ini").error is None


def _notebook(metadata: dict[str, Any]) -> str:
    cell = {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": ["run()\n"], "outputs": []}
    return json.dumps({"cells": [cell], "metadata": metadata, "nbformat": 4, "nbformat_minor": 5})


def test_secret_sweep_reuses_the_parsed_notebook(tmp_path: Path) -> None:
    token = random_token(random.Random(3), "gh" + "p_", 36)
    write_tree(tmp_path, {"nb/x.ipynb": _notebook({"remote": {"auth": token}})})
    project = project_of(tmp_path)
    (tmp_path / "nb" / "x.ipynb").unlink()  # the sweep must not read the notebook a second time
    result = sweep(project)
    assert [(s.path, s.cell, s.in_output) for s in result.found] == [("nb/x.ipynb", None, True)]
    assert result.not_scanned == ()


def test_notebook_metadata_without_a_secret_is_clean(tmp_path: Path) -> None:
    write_tree(tmp_path, {"nb/x.ipynb": _notebook({"kernelspec": {"name": "python3", "display_name": "Python 3"}})})
    result = sweep(project_of(tmp_path))
    assert result.found == () and result.not_scanned == ()


def test_notebook_too_nested_to_list_its_strings_is_not_scanned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mlaudit.project

    def too_deep(_value: object) -> Any:
        raise RecursionError("hostile nesting")

    write_tree(tmp_path, {"nb/x.ipynb": _notebook({"kernelspec": {"name": "python3"}}), "a.py": "x = 1\n"})
    monkeypatch.setattr(mlaudit.project, "json_strings", too_deep)
    project = project_of(tmp_path)
    assert "nb/x.ipynb" in project.python  # the code cells are still parsed and checked
    [missing] = sweep(project).not_scanned
    assert missing.path == "nb/x.ipynb" and "secret scan failed (RecursionError)" in missing.reason


def test_output_text_the_cell_keeps_is_not_kept_twice(tmp_path: Path) -> None:
    token = random_token(random.Random(5), "gh" + "p_", 36)
    cell = {
        "cell_type": "code",
        "metadata": {"tags": ["slow"]},
        "execution_count": 1,
        "source": ["run()\n"],
        "outputs": [{"output_type": "stream", "name": "stdout", "text": ["using ", f"{token}\n"]}],
    }
    notebook = json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    project = project_of(write_tree(tmp_path, {"nb/x.ipynb": notebook}))
    pf = project.python["nb/x.ipynb"]
    assert pf.notebook_strings is not None and pf.cells[0].outputs == (f"using {token}\n",)
    assert {s.text for s in pf.notebook_strings} == {"code", "slow", "stream", "stdout"}
    assert [(s.cell, s.in_output) for s in sweep(project).found] == [(1, True)]


def test_only_the_readers_parse_toml_and_ini() -> None:
    import re

    import mlaudit

    parse = re.compile(r"\btomllib\.loads?\(|\bConfigParser\(")
    package = Path(mlaudit.__file__).parent
    parsers = {
        str(p.relative_to(package)) for p in package.rglob("*.py") if parse.search(p.read_text(encoding="utf-8"))
    }
    assert parsers == {"readers.py"}
    assert parse.search('CONFIG_LOADERS = ("tomllib.load", "yaml.safe_load")') is None  # a name in a table is no parse
