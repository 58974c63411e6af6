"""Tests for the dependencies practice rules and the shared dependency facts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlaudit.model import Severity
from mlaudit.practices._distributions import Pin, candidate_distributions, collect_dependencies, parse_requirement
from mlaudit.practices.dependencies import declared_dependencies
from tests.helpers import findings, git_init, project_of, run_audit, run_audit_rules_only, write_tree

PYPROJECT = """\
[project]
name = "churn"
requires-python = ">=3.11"
dependencies = ["numpy>=1.26,<3", "scikit-learn>=1.4", "pyyaml>=6"]

[project.optional-dependencies]
dev = ["pytest>=8", "mypy>=1.10"]
"""
UV_LOCK = """\
version = 1
[[package]]
name = "numpy"
version = "1.26.4"
[[package]]
name = "churn"
version = "0.1.0"
source = { editable = "." }
"""
CODE = "import numpy as np\nfrom sklearn.linear_model import Ridge\nimport yaml\n"


def test_parse_requirement_pins() -> None:
    assert parse_requirement("torch==2.3.1 ; python_version > '3.8'") == ("torch", Pin.EXACT, "2.3.1")
    assert parse_requirement("Scikit_Learn[all]>=1.4,<2") == ("scikit-learn", Pin.RANGE, None)
    assert parse_requirement("numpy==1.*") == ("numpy", Pin.RANGE, None)
    assert parse_requirement("tqdm") == ("tqdm", Pin.BARE, None)
    assert parse_requirement("pkg @ https://x.org/pkg-1.0.whl") == ("pkg", Pin.URL, None)
    assert parse_requirement("git+https://github.com/a/b") == ("b", Pin.BRANCH, None)


def test_candidates_map_import_names() -> None:
    assert "scikit-learn" in candidate_distributions("sklearn.linear_model")
    assert "google-cloud-storage" in candidate_distributions("google.cloud.storage")
    assert "protobuf" in candidate_distributions("google.protobuf.message")


def test_facts_read_every_manifest_kind(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "-r requirements/base.txt\n-c constraints.txt\nflask  # web\n--index-url https://x\n-e .\n",
        "requirements/base.txt": "requests==2.32.3 \\\n    --hash=sha256:abc\n",
        "constraints.txt": "flask==3.0.3\n",
        "environment.yml": "name: x\ndependencies:\n  - python=3.11\n  - pytorch=2.3.1\n  - pip:\n    - wandb>=0.17\n",
        "Pipfile": '[packages]\nrich = "*"\n[dev-packages]\nblack = "==24.4.2"\n',
        "setup.py": "from setuptools import setup\nREQ = ['click>=8']\nsetup(install_requires=REQ)\n",
        "setup.cfg": "[options]\ninstall_requires =\n    attrs>=23\n",
        "sub/pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.11"\nhttpx = "0.27.0"\n',
    }
    write_tree(tmp_path, files)
    facts = collect_dependencies(project_of(tmp_path))
    pins = {r.name: r.pin for r in facts.requirements}
    assert pins == {
        "flask": Pin.BARE,
        "requests": Pin.EXACT,
        "torch": Pin.EXACT,
        "wandb": Pin.RANGE,
        "rich": Pin.BARE,
        "black": Pin.EXACT,
        "click": Pin.RANGE,
        "attrs": Pin.RANGE,
        "httpx": Pin.EXACT,
    }
    assert facts.locked == {"flask": "3.0.3"}
    flask = next(r for r in facts.requirements if r.name == "flask")
    assert facts.is_pinned(flask) and flask.line == 3
    assert facts.python is not None and facts.python.spec == "3.11"
    assert next(r for r in facts.requirements if r.name == "black").dev


def test_declared_dependencies_is_computed_once(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT})
    project = project_of(tmp_path)
    assert declared_dependencies(project) is declared_dependencies(project)
    assert declared_dependencies(project).declares("Scikit_Learn")


def test_dep001_fires_when_nothing_is_declared(tmp_path: Path) -> None:
    write_tree(tmp_path, {"train.py": CODE})
    [hit] = findings(tmp_path, "DEP001")
    assert "3 third-party packages (numpy, sklearn, yaml)" in hit.message


def test_dep001_silent_for_stdlib_only_code(tmp_path: Path) -> None:
    write_tree(tmp_path, {"tool.py": "import json, os\nfrom pathlib import Path\nimport helpers\n", "helpers.py": ""})
    assert findings(tmp_path, "DEP001") == []


def test_dep002_scores_pinned_share(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "numpy==1.26.4\ntorch>=2.1\npandas\nscipy==1.13.1\n", "a.py": ""})
    report = run_audit_rules_only(tmp_path, select=("DEP002",))
    deps = report.practice("dependencies")
    assert deps.metrics["pinned_share"] == 0.5
    assert [d.rule for d in deps.deductions] == ["DEP002"] and deps.deductions[0].points == 14
    infos = [f for f in report.findings if f.rule == "DEP002"]
    assert {f.message.split()[0] for f in infos} == {"torch>=2.1", "pandas"}
    assert all(f.severity is Severity.INFO for f in infos)


def test_dep002_points_at_the_declaration_not_a_comment_naming_it(tmp_path: Path) -> None:
    pyproject = (
        "# This file holds the packaging metadata of the project.\n"
        "[project]\n"
        'name = "demo"\n'
        'description = "uses requests and packaging"\n'
        "dependencies = [\n"
        '    "numpy==1.26.4",\n'
        '    "packaging",  # version parsing\n'
        "]\n"
    )
    write_tree(tmp_path, {"pyproject.toml": pyproject, "a.py": "import numpy, packaging\n"})
    [hit] = findings(tmp_path, "DEP002")
    assert hit.path == "pyproject.toml" and hit.line == 7


def test_dep002_lock_file_covers_ranged_pyproject(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "uv.lock": UV_LOCK, "a.py": ""})
    report = run_audit(tmp_path, select=("DEP002",))
    assert report.practice("dependencies").metrics["pinned_share"] == 1.0
    assert report.findings == ()


def test_dep003_fires_without_python_version(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "numpy==1.26.4\n", "a.py": ""})
    assert len(findings(tmp_path, "DEP003")) == 1


def test_dep003_silent_with_python_version_file(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "numpy==1.26.4\n", ".python-version": "3.11.9\n", "a.py": ""})
    assert findings(tmp_path, "DEP003") == []


def test_dep004_fires_on_undeclared_import(tmp_path: Path) -> None:
    files = {"requirements.txt": "numpy==1.26.4\n", "src/churn/__init__.py": "", "src/churn/img.py": "import cv2\n"}
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "DEP004")
    assert hit.path == "src/churn/img.py" and "import cv2 (opencv-python)" in hit.message
    assert hit.severity is Severity.WARNING


def test_dep004_silent_on_mapped_local_stdlib_and_dev_test_imports(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": PYPROJECT,
        "src/churn/__init__.py": "",
        "src/churn/model.py": CODE + "import churn.data\nfrom . import data\nimport logging\n",
        "scripts/run.py": "import helpers\n",
        "scripts/helpers.py": "import numpy\n",
        "tests/test_model.py": "import pytest\nfrom churn.model import np\n",
        "notebooks/eda.ipynb": json.dumps(
            {"cells": [{"cell_type": "code", "source": "import sklearn\n%matplotlib inline\n", "outputs": []}]}
        ),
    }
    write_tree(tmp_path, files)
    assert findings(tmp_path, "DEP004") == []


def test_dep004_optional_and_test_only_imports_are_info(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "numpy==1.26.4\n",
        "lib.py": "try:\n    import lightgbm\nexcept ImportError:\n    lightgbm = None\n",
        "tests/test_lib.py": "import hypothesis\n",
    }
    write_tree(tmp_path, files)
    hits = findings(tmp_path, "DEP004")
    assert [(h.severity, h.message.split(":")[-1].strip()) for h in hits] == [
        (Severity.INFO, "optional (guarded by except ImportError)"),
        (Severity.INFO, "used by tests only"),
    ]


def test_dep005_notes_unused_runtime_dependency(tmp_path: Path) -> None:
    files = {"requirements.txt": "numpy==1.26.4\nxgboost==2.0.3\nuvicorn==0.30.1\n", "a.py": "import numpy\n"}
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "DEP005")
    assert hit.message.startswith("xgboost is declared") and hit.severity is Severity.INFO


def test_dep005_silent_for_dev_tools_and_mapped_names(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "m.py": CODE})
    assert findings(tmp_path, "DEP005") == []


def test_dep006_fires_on_committed_venv(tmp_path: Path) -> None:
    venv = {".venv/pyvenv.cfg": "home = /usr\n", ".venv/bin/python": "", ".venv/lib/site.py": ""}
    write_tree(tmp_path, {"a.py": "", **venv})
    git_init(tmp_path)
    [hit] = findings(tmp_path, "DEP006")
    assert hit.severity is Severity.ERROR and "committed to git (3 files tracked)" in hit.message


def test_dep006_warns_on_unignored_venv_and_silent_when_ignored(tmp_path: Path) -> None:
    venv = {"venv/pyvenv.cfg": "home = /usr\n", "venv/bin/python": "", "venv/lib/site.py": ""}
    write_tree(tmp_path / "a", {"a.py": "", **venv})
    git_init(tmp_path / "a", commit=False)
    [hit] = findings(tmp_path / "a", "DEP006")
    assert hit.severity is Severity.WARNING
    write_tree(tmp_path / "b", {"a.py": "", **venv, ".gitignore": "venv/\n"})
    git_init(tmp_path / "b", commit=False)
    assert findings(tmp_path / "b", "DEP006") == []


def test_dep007_reports_malformed_toml_without_crashing(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": "[project\ndependencies = ['numpy']\n", "a.py": ""})
    [hit] = findings(tmp_path, "DEP007")
    assert hit.path == "pyproject.toml" and "malformed TOML" in hit.message


def test_dep007_reports_missing_include_but_not_valid_files(tmp_path: Path) -> None:
    write_tree(tmp_path / "bad", {"requirements.txt": "-r base.txt\n"})
    write_tree(tmp_path / "ok", {"requirements.txt": "-r base.txt\n", "base.txt": "numpy\n"})
    assert "includes base.txt" in findings(tmp_path / "bad", "DEP007")[0].message
    assert findings(tmp_path / "ok", "DEP007") == []


def test_dep008_fires_on_import_name_declared(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "sklearn\nnumpy\n", "a.py": "import sklearn\n"})
    [hit] = findings(tmp_path, "DEP008")
    assert hit.line == 1 and "scikit-learn" in hit.message


def test_dep008_silent_when_names_coincide(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "tensorflow\npsycopg2\nlightgbm\n", "a.py": ""})
    assert findings(tmp_path, "DEP008") == []


def test_practice_is_not_applicable_without_code_or_manifests(tmp_path: Path) -> None:
    write_tree(tmp_path, {"README.md": "# notes\n"})
    assert run_audit(tmp_path, select=("DEP",)).practice("dependencies").status.value == "n/a"


def test_dep004_nested_module_does_not_shadow_a_distribution(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "numpy==1.26.4\n",
        "pkg/__init__.py": "",
        "pkg/tools/git.py": "",
        "pkg/repo.py": "import git\n",
        "pkg/tools/run.py": "import git\n",
        "scripts/git.py": "",
        "scripts/deploy.py": "import git\n",
    }
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "DEP004")
    assert hit.path == "pkg/repo.py" and "(gitpython)" in hit.message


@pytest.mark.parametrize(
    ("files", "tool"),
    [
        ({"pyproject.toml": "[tool.poetry]\nname = 'x'\n"}, "poetry"),
        ({"pyproject.toml": "[project]\nname = 'x'\n", "uv.lock": "version = 1\n"}, "uv"),
        ({"environment.yml": "dependencies:\n  - numpy\n"}, "conda"),
        ({"requirements.txt": "numpy==1.26.4\n"}, "pip"),
        ({"pyproject.toml": "[project]\nname = 'x'\n"}, None),
    ],
)
def test_dependency_tool_metric(tmp_path: Path, files: dict[str, str], tool: str | None) -> None:
    write_tree(tmp_path, {**files, "x.py": "import os\n"})
    report = run_audit(tmp_path, select=("DEP002",))
    assert report.practice("dependencies").metrics["dependency_tool"] == tool


# Direct references, mapping pairs, config plugins, notebook installs, lazy backends

VCS_REQUIREMENTS = """\
-e git+https://github.com/example-org/fancy-tokenizer.git@main#egg=fancy-tokenizer
git+https://github.com/example-org/speedy_io
git+https://github.com/example-org/augmentkit.git@v2.1.0
hashkit @ git+https://github.com/example-org/hashkit.git@3f2a9b1c0d
numpy==1.26.4
"""
VCS_CODE = "import fancy_tokenizer\nimport speedy_io\nimport augmentkit\nimport hashkit\nimport numpy\n"


def test_parse_requirement_direct_references() -> None:
    assert parse_requirement("git+https://github.com/o/speedy_io") == ("speedy-io", Pin.BRANCH, None)
    assert parse_requirement("-e git+https://github.com/o/r.git@develop#egg=nice-name") == (
        "nice-name",
        Pin.BRANCH,
        None,
    )
    assert parse_requirement("git+https://github.com/o/augmentkit.git@v2.1.0") == ("augmentkit", Pin.URL, None)
    assert parse_requirement("kit @ git+ssh://git@github.com/o/kit.git@0a1b2c3d") == ("kit", Pin.URL, None)
    assert parse_requirement("https://files.example/wheelie-1.2.tar.gz") == ("wheelie", Pin.URL, None)
    assert parse_requirement("-e .") is None


def test_vcs_requirements_are_declared_and_branches_are_unpinned(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": VCS_REQUIREMENTS, "app.py": VCS_CODE})
    assert findings(tmp_path, "DEP004") == []
    assert findings(tmp_path, "DEP005") == []
    moving = [f for f in findings(tmp_path, "DEP002") if f.severity is Severity.WARNING]
    assert [(f.line, "@main" in f.message or "no @ref" in f.message) for f in moving] == [(1, True), (2, True)]


def test_conda_pip_block_vcs_requirement_counts_as_declared(tmp_path: Path) -> None:
    env = (
        "name: gen\ndependencies:\n  - python=3.10\n  - numpy=1.26.4\n  - pip:\n"
        "    - -e git+https://github.com/example-org/latentvq-autoencoders.git@master#egg=latentvq-autoencoders\n"
    )
    write_tree(
        tmp_path, {"environment.yml": env, "gen/__init__.py": "", "gen/model.py": "import numpy\nimport latentvq\n"}
    )
    assert findings(tmp_path, "DEP004") == []  # latentvq is the first word of a repository installed from git
    assert findings(tmp_path, "DEP005") == []
    [moving] = [f for f in findings(tmp_path, "DEP002") if f.severity is Severity.WARNING]
    assert moving.line == 6 and "@master" in moving.message


def test_vcs_requirement_message_masks_url_credentials(tmp_path: Path) -> None:
    reqs = "git+https://deploy:Zq81xPw0vLk2mN7@git.example.com/team/privlib.git@main\n"
    write_tree(tmp_path, {"requirements.txt": reqs, "app.py": "import privlib\n"})
    [hit] = [f for f in findings(tmp_path, "DEP002") if f.severity is Severity.WARNING]
    assert "Zq81xPw0vLk2mN7" not in hit.message and "deploy" not in hit.message and "***@" in hit.message


def test_import_name_gaps_are_one_pair_not_two_findings(tmp_path: Path) -> None:
    reqs = "numpy==1.26.4\nscikit-optimize==0.9.0\nacme-thop==0.2.1\n"
    code = "import numpy\nfrom skopt import gp_minimize\nimport thop\n"
    write_tree(tmp_path, {"requirements.txt": reqs, "tune.py": code})
    assert findings(tmp_path, "DEP004") == []
    assert findings(tmp_path, "DEP005") == []


def test_framework_prefixed_plugin_does_not_hide_an_undeclared_framework(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "torch-fidelity==0.3.0\n", "metrics.py": "import torch\n"})
    assert [f.message.split(" ")[1] for f in findings(tmp_path, "DEP004")] == ["torch"]
    assert [f.line for f in findings(tmp_path, "DEP005")] == [1]


def test_hydra_plugin_selected_in_config_counts_as_used(tmp_path: Path) -> None:
    reqs = "hydra-core==1.3.2\nhydra-colorlog==1.2.0\nhydra-optuna-sweeper==1.2.0\n"
    config = "defaults:\n  - model: small\n  - override hydra/job_logging: colorlog\n"
    write_tree(tmp_path, {"requirements.txt": reqs, "configs/config.yaml": config, "train.py": "import hydra\n"})
    assert [f.message.split(" ")[0] for f in findings(tmp_path, "DEP005")] == ["hydra-optuna-sweeper"]


def test_notebook_pip_install_declares_for_that_notebook(tmp_path: Path) -> None:
    def nb(*sources: str) -> str:
        cells = [{"cell_type": "code", "source": s, "outputs": [], "metadata": {}} for s in sources]
        return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})

    files = {
        "requirements.txt": "numpy==1.26.4\n",
        "notebooks/eval.ipynb": nb("! pip install --quiet jiwer\n", "import jiwer\nimport numpy\n"),
        "notebooks/other.ipynb": nb("import jiwer\n"),
    }
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "DEP004")
    assert hit.path == "notebooks/other.ipynb"


def test_numbered_copy_of_a_local_module_is_reported_as_missing(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "numpy==1.26.4\n",
        "train.py": "import numpy\n",
        "train_extra.py": "import train3\nimport tf2onnx\n",
    }
    write_tree(tmp_path, files)
    hits = {f.message.split(" ")[1]: f for f in findings(tmp_path, "DEP004")}
    assert "module not found in the repository" in hits["train3"].message
    assert "module not found" not in hits["tf2onnx"].message and "(tf2onnx)" in hits["tf2onnx"].message


def test_lazy_backend_after_requirement_check_is_info(tmp_path: Path) -> None:
    code = (
        "import numpy\n"
        "def to_onnx(model):\n    check_requirements('onnxruntime>=1.16')\n    import onnxruntime\n    return onnxruntime\n"
        "def to_trt(model):\n    import tensorrt\n    return tensorrt\n"
        "def to_gaudi(model):\n    import importlib.util\n"
        "    if importlib.util.find_spec('optimum') is not None:\n        import optimum\n"
    )
    write_tree(tmp_path, {"requirements.txt": "numpy==1.26.4\n", "export.py": code})
    severities = {f.message.split(" ")[1]: (f.severity, f.message) for f in findings(tmp_path, "DEP004")}
    assert severities["onnxruntime"][0] is Severity.INFO and "requirement check" in severities["onnxruntime"][1]
    assert severities["tensorrt"][0] is Severity.WARNING
    assert severities["optimum"][0] is Severity.INFO


def test_imports_behind_an_availability_flag_are_info_but_not_behind_a_device_check(tmp_path: Path) -> None:
    code = """\
import torch
from serve._optional import CHECK_XLA, is_flash_attn_available

if CHECK_XLA.is_available:
    import torch_xla
if is_flash_attn_available():
    from flash_attn import flash_attn_func
if torch.cuda.is_available():
    import apex
"""
    write_tree(tmp_path, {"requirements.txt": "torch==2.3.1\n", "serve/__init__.py": "", "serve/device.py": code})
    severities = {f.message.split(" ")[1]: f.severity for f in findings(tmp_path, "DEP004")}
    assert severities == {"torch_xla": Severity.INFO, "flash_attn": Severity.INFO, "apex": Severity.WARNING}


def test_python_dotenv_counts_as_used_by_a_settings_env_file(tmp_path: Path) -> None:
    settings = (
        "from pydantic_settings import BaseSettings, SettingsConfigDict\n\n"
        "class Settings(BaseSettings):\n    model_config = SettingsConfigDict(env_file='.env')\n"
    )
    reqs = "pydantic-settings==2.3.4\npython-dotenv==1.0.1\nrich==13.7.1\n"
    write_tree(tmp_path, {"requirements.txt": reqs, "app/__init__.py": "", "app/settings.py": settings})
    assert [f.message.split(" ")[0] for f in findings(tmp_path, "DEP005")] == ["rich"]


def test_import_table_never_maps_one_pair_both_ways() -> None:
    from mlaudit.practices._distributions import IMPORT_TO_DISTRIBUTIONS, normalise

    keys = {normalise(k): k for k in IMPORT_TO_DISTRIBUTIONS}
    for module, distributions in IMPORT_TO_DISTRIBUTIONS.items():
        assert distributions, module
        for dist in distributions:
            assert dist == normalise(dist), dist  # stored normalised, compared normalised
            other = keys.get(dist)
            # a distribution that is also an import name must map back to itself, never elsewhere
            assert other is None or normalise(dist) in map(normalise, IMPORT_TO_DISTRIBUTIONS[other]), (module, dist)
    assert candidate_distributions("skopt.space") >= {"scikit-optimize"}
    assert "ultralytics-thop" in candidate_distributions("thop")


def test_poetry_and_pep621_requirements_point_at_their_own_line(tmp_path: Path) -> None:
    pyproject = (
        '[project]\nname = "svc"\nkeywords = ["numpy", "serving"]\ndependencies = [\n    "numpy>=1.26",\n]\n\n'
        '[tool.poetry.dependencies]\npython = "^3.11"\n'
        'geventhttpclient = "*"\ngevent = "*"\n"ruamel.yaml" = "*"\n'
    )
    write_tree(tmp_path, {"pyproject.toml": pyproject})
    lines = {r.name: r.line for r in collect_dependencies(project_of(tmp_path)).requirements}
    assert lines == {"numpy": 5, "geventhttpclient": 10, "gevent": 11, "ruamel-yaml": 12}
