"""Tests of the dependencies capabilities: declared, pinned (or a library's ranges with a CI lock), rebuildable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.capabilities.util import assess, earned_points
from tests.helpers import write_tree

CODE = {"churn/__init__.py": "", "churn/train.py": "import numpy as np\nimport pandas as pd\nimport sklearn\n"}
PINNED = "numpy==1.26.4\npandas==2.2.2\nscikit-learn==1.5.0\n"
LIBRARY = """[project]
name = "churn"
version = "1.0"
requires-python = ">=3.10"
classifiers = ["Programming Language :: Python :: 3"]
dependencies = ["numpy>=1.24", "pandas>=2.0", "scikit-learn>=1.3"]
"""
CONSTRAINED_CI = """jobs:
  test:
    steps:
      - run: pip install -c constraints.txt -e .
      - run: pytest
"""


def test_requirements_file_is_a_manifest(tmp_path: Path) -> None:
    result = assess(tmp_path, "dependencies", "manifest_declared", {**CODE, "requirements.txt": PINNED})
    assert result.share == 1
    assert "requirements.txt:1" in result.evidence


def test_readme_pip_command_is_not_a_manifest(tmp_path: Path) -> None:
    files = {**CODE, "README.md": "Install with `pip install numpy pandas scikit-learn`.\n"}
    assert assess(tmp_path, "dependencies", "manifest_declared", files).share == 0


def test_exact_pins_earn_pinning(tmp_path: Path) -> None:
    assert assess(tmp_path, "dependencies", "versions_pinned", {**CODE, "requirements.txt": PINNED}).share == 1


def test_bare_names_and_branch_installs_are_not_pinned(tmp_path: Path) -> None:
    reqs = "numpy==1.26.4\npandas\ngit+https://github.com/acme/tools.git@main#egg=tools\n"
    result = assess(tmp_path, "dependencies", "versions_pinned", {**CODE, "requirements.txt": reqs})
    assert 0 < result.share < 0.5
    assert "@main" in result.evidence


def test_lock_file_earns_pinning(tmp_path: Path) -> None:
    pyproject = LIBRARY.replace('classifiers = ["Programming Language :: Python :: 3"]\n', "")
    lock = '[[package]]\nname = "numpy"\nversion = "1.26.4"\n'
    result = assess(tmp_path, "dependencies", "versions_pinned", {**CODE, "pyproject.toml": pyproject, "uv.lock": lock})
    assert result.share == 1
    assert "uv.lock" in result.evidence


def test_library_ranges_with_constraints_in_ci_earn_pinning(tmp_path: Path) -> None:
    files = {**CODE, "pyproject.toml": LIBRARY, ".github/workflows/ci.yml": CONSTRAINED_CI}
    result = assess(tmp_path, "dependencies", "versions_pinned", files)
    assert result.share == 1
    assert ".github/workflows/ci.yml:4" in result.evidence


def test_library_ranges_without_a_tested_set_earn_half(tmp_path: Path) -> None:
    result = assess(tmp_path, "dependencies", "versions_pinned", {**CODE, "pyproject.toml": LIBRARY})
    assert result.share == 0.5


def test_a_library_declaring_only_development_extras_says_so(tmp_path: Path) -> None:
    dev_only = LIBRARY.replace('dependencies = ["numpy>=1.24", "pandas>=2.0", "scikit-learn>=1.3"]', "")
    dev_only += '\n[project.optional-dependencies]\ndev = ["black==24.1.0"]\n'
    result = assess(tmp_path / "a", "dependencies", "versions_pinned", {**CODE, "pyproject.toml": dev_only})
    assert result.evidence.startswith("published library: no runtime requirement declared, only 1 for development")
    # Look-alike: runtime ranges beside the same extra are the library's runtime requirements
    both = LIBRARY + '\n[project.optional-dependencies]\ndev = ["black==24.1.0"]\n'
    result = assess(tmp_path / "b", "dependencies", "versions_pinned", {**CODE, "pyproject.toml": both})
    assert result.evidence.startswith("published library: 3 runtime requirements left open or ranged")


def test_imports_declared_is_measured(tmp_path: Path) -> None:
    result = assess(tmp_path, "dependencies", "imports_declared", {**CODE, "requirements.txt": "numpy==1.26.4\n"})
    assert result.share == (1 / 3) ** 2  # any undeclared import breaks a fresh install
    assert "pandas" in result.evidence


DOTTED_IMPORTS = {
    # `google.protobuf` is protobuf's, declared; `google.cloud.storage` needs google-cloud-storage, which is not
    "namespace": (
        "from google.protobuf.message import Message\nimport numpy as np\n",
        "from google.cloud import storage\n",
        "numpy==1.26.4\nprotobuf==5.27.0\n",
        "undeclared: google.cloud.storage (svc/store.py:1)",
    ),
    # `flufl.lock` is the distribution flufl.lock, declared, as DEP004 judges it; `ruamel.yaml` is not declared
    "dotted distribution": (
        "import flufl.lock\nimport numpy as np\n",
        "from ruamel.yaml import YAML\n",
        "numpy==1.26.4\nflufl.lock==8.1.0\n",
        "undeclared: ruamel (svc/store.py:1)",
    ),
}


@pytest.mark.parametrize(("declared", "undeclared", "reqs", "evidence"), DOTTED_IMPORTS.values(), ids=DOTTED_IMPORTS)
def test_an_import_is_declared_by_the_distribution_of_its_dotted_path(
    tmp_path: Path, declared: str, undeclared: str, reqs: str, evidence: str
) -> None:
    code = {"svc/__init__.py": "", "svc/codec.py": declared, "svc/store.py": undeclared}
    result = assess(tmp_path, "dependencies", "imports_declared", {**code, "requirements.txt": reqs})
    assert "2 of 3" in result.evidence and evidence in result.evidence


def test_half_pinned_application_earns_a_quarter(tmp_path: Path) -> None:
    reqs = "numpy==1.26.4\npandas==2.2.2\nscikit-learn\nmatplotlib>=3.8\n"
    result = assess(tmp_path, "dependencies", "versions_pinned", {**CODE, "requirements.txt": reqs})
    assert result.share == 0.25
    assert "scikit-learn" in result.evidence


def test_library_pinning_one_package_in_ci_earns_part(tmp_path: Path) -> None:
    ci = "jobs:\n  test:\n    steps:\n      - run: pip install torch==2.3.1 -e .\n      - run: pytest\n"
    files = {**CODE, "pyproject.toml": LIBRARY, ".github/workflows/ci.yml": ci}
    result = assess(tmp_path, "dependencies", "versions_pinned", files)
    assert 0.5 < result.share < 1
    assert ".github/workflows/ci.yml:4" in result.evidence


def test_python_version_declared(tmp_path: Path) -> None:
    result = assess(tmp_path, "dependencies", "python_declared", {**CODE, "pyproject.toml": LIBRARY})
    assert result.share == 1
    assert "pyproject.toml:4" in result.evidence


def test_python_in_a_comment_is_not_declared(tmp_path: Path) -> None:
    files = {**CODE, "requirements.txt": "# tested on python 3.10\n" + PINNED}
    assert assess(tmp_path, "dependencies", "python_declared", files).share == 0


def test_official_python_base_image_declares_the_python(tmp_path: Path) -> None:
    docker = "# service image\nFROM python:3.11-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
    result = assess(
        tmp_path, "dependencies", "python_declared", {**CODE, "requirements.txt": PINNED, "Dockerfile": docker}
    )
    assert result.share == 1
    assert "Dockerfile:2 declares Python 3.11" in result.evidence


def test_a_cuda_base_image_does_not_declare_the_python(tmp_path: Path) -> None:
    docker = "FROM nvidia/cuda:12.1.0-runtime-ubuntu22.04\nRUN apt-get install -y python3.10 python3-pip\n"
    files = {**CODE, "requirements.txt": PINNED, "Dockerfile": docker}
    assert assess(tmp_path, "dependencies", "python_declared", files).share == 0


def test_dockerfile_is_an_environment_recipe(tmp_path: Path) -> None:
    docker = "FROM python:3.11-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
    files = {**CODE, "requirements.txt": PINNED, "Dockerfile": docker}
    assert assess(tmp_path, "dependencies", "environment_recipe", files).share == 1


def test_a_recipe_the_code_completes_by_pip_installing_at_run_time_earns_half(tmp_path: Path) -> None:
    docker = "FROM python:3.11-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
    export = (
        "import subprocess\nimport sys\n\n\ndef to_onnx(model):\n"
        "    subprocess.run([sys.executable, '-m', 'pip', 'install', 'onnxruntime'], check=True)\n"
    )
    files = {**CODE, "requirements.txt": PINNED, "Dockerfile": docker, "churn/export.py": export}
    result = assess(tmp_path / "a", "dependencies", "environment_recipe", files)
    assert result.share == 0.5 and "churn/export.py:6" in result.evidence
    # A notebook that pip-installs in a cell and a script that only prints the command are not the code installing.
    notebook = json.dumps({"cells": [{"cell_type": "code", "source": "%pip install onnxruntime\n", "outputs": []}]})
    hint = "def to_onnx(model):\n    print('pip install onnxruntime')\n"
    files = {**CODE, "requirements.txt": PINNED, "Dockerfile": docker, "demo.ipynb": notebook, "churn/export.py": hint}
    assert assess(tmp_path / "b", "dependencies", "environment_recipe", files).share == 1


def test_docs_mentioning_docker_are_not_a_recipe(tmp_path: Path) -> None:
    files = {**CODE, "requirements.txt": PINNED, "docs/docker.md": "FROM python:3.11\n"}
    assert assess(tmp_path, "dependencies", "environment_recipe", files).share == 0


def test_repository_without_dependency_file_earns_at_most_10(tmp_path: Path) -> None:
    write_tree(tmp_path, {**CODE, "README.md": "pip install numpy pandas scikit-learn\n"})
    assert earned_points(tmp_path, "dependencies") <= 10


def test_pinned_application_earns_most(tmp_path: Path) -> None:
    write_tree(
        tmp_path, {**CODE, "requirements.txt": PINNED, ".python-version": "3.11\n", "Dockerfile": "FROM python:3.11\n"}
    )
    assert earned_points(tmp_path, "dependencies") >= 85


def test_python_version_and_dockerfile_without_manifest_earn_at_most_10(tmp_path: Path) -> None:
    write_tree(
        tmp_path, {**CODE, ".python-version": "3.11\n", "Dockerfile": "FROM python:3.11\nRUN pip install numpy\n"}
    )
    assert earned_points(tmp_path, "dependencies") <= 10


def test_imports_used_only_by_tests_need_no_runtime_declaration(tmp_path: Path) -> None:
    tests = {"tests/test_train.py": "import pytest\nimport hypothesis\n\n\ndef test_x():\n    assert True\n"}
    result = assess(tmp_path, "dependencies", "imports_declared", {**CODE, **tests, "requirements.txt": PINNED})
    assert result.share == 1


def test_fully_pinned_constraints_file_is_a_lock(tmp_path: Path) -> None:
    pins = "".join(f"pkg{i}=={i}.0.1\n" for i in range(6))
    files = {"requirements.txt": "numpy>=1.26\npandas\n", "constraints.txt": "# tested set\n" + pins}
    assert assess(tmp_path, "dependencies", "versions_pinned", files).share == 1
    assert assess(tmp_path / "b", "dependencies", "environment_recipe", files).share == 1


def test_constraints_with_ranges_is_not_a_lock(tmp_path: Path) -> None:
    pins = "".join(f"pkg{i}=={i}.0.1\n" for i in range(5)) + "torch>=2.1\n"
    files = {"requirements.txt": "numpy>=1.26\npandas\n", "constraints.txt": pins}
    assert assess(tmp_path, "dependencies", "versions_pinned", files).share < 1


def test_hashed_constraints_file_is_a_lock(tmp_path: Path) -> None:
    """pip-compile --generate-hashes output: pins continued by `--hash` lines and `# via` comments."""
    pins = "".join(f"pkg{i}=={i}.0.1 \\\n    --hash=sha256:{i:064x}\n    # via churn\n" for i in range(6))
    files = {"requirements.txt": "numpy>=1.26\npandas\n", "constraints.txt": pins}
    assert assess(tmp_path, "dependencies", "versions_pinned", files).share == 1


def test_hashed_constraints_with_a_range_is_not_a_lock(tmp_path: Path) -> None:
    pins = (
        "".join(f"pkg{i}=={i}.0.1 \\\n    --hash=sha256:{i:064x}\n" for i in range(5))
        + "torch>=2.1 \\\n    --hash=sha256:00\n"
    )
    files = {"requirements.txt": "numpy>=1.26\npandas\n", "constraints.txt": pins}
    assert assess(tmp_path, "dependencies", "versions_pinned", files).share < 1


def test_library_package_importing_an_undeclared_package_earns_at_most_half(tmp_path: Path) -> None:
    code = {"churn/__init__.py": "", "churn/train.py": CODE["churn/train.py"] + "import regex\n"}
    result = assess(tmp_path, "dependencies", "imports_declared", {**code, "pyproject.toml": LIBRARY})
    assert result.share == 0.5
    assert "published package itself imports regex (churn/train.py:4)" in result.evidence


def test_library_hook_file_no_import_loads_keeps_the_squared_share(tmp_path: Path) -> None:
    """`hook-churn.py` is no module name: a packaging tool runs it by path, installing churn never imports it."""
    hook = "from PyInstaller.utils.hooks import collect_data_files\ndatas = collect_data_files('churn')\n"
    files = {**CODE, "pyproject.toml": LIBRARY, "churn/_pyinstaller/hook-churn.py": hook}
    result = assess(tmp_path, "dependencies", "imports_declared", files)
    assert result.share == (3 / 4) ** 2
    assert "published package" not in result.evidence


def test_library_script_importing_an_undeclared_package_keeps_the_squared_share(tmp_path: Path) -> None:
    files = {**CODE, "pyproject.toml": LIBRARY, "scripts/convert.py": "import regex\n"}
    result = assess(tmp_path, "dependencies", "imports_declared", files)
    assert result.share == (3 / 4) ** 2
    assert "published package" not in result.evidence


def test_library_guarded_optional_import_is_not_undeclared(tmp_path: Path) -> None:
    guarded = "try:\n    import regex\nexcept ImportError:\n    regex = None\n"
    files = {**CODE, "churn/fast.py": guarded, "pyproject.toml": LIBRARY}
    assert assess(tmp_path, "dependencies", "imports_declared", files).share == 1


SERVICE = (
    "from fastapi import FastAPI\nfrom pydantic import BaseModel\n\napp = FastAPI()\n\n\n"
    "class Query(BaseModel):\n    text: str\n\n\n"
    "@app.post('/predict')\ndef predict(query: Query) -> dict[str, str]:\n    return {'label': query.text}\n"
)
PIPFILE = '[packages]\nfastapi = "*"\n\n[requires]\npython_version = "3.11"\n'
PIPFILE_LOCK = '{"_meta": {}, "default": {"fastapi": {"version": "==0.110.0"}}, "develop": {}}\n'


def test_service_with_only_a_lock_file_earns_half_the_recipe(tmp_path: Path) -> None:
    files = {"svc/__init__.py": "", "svc/api.py": SERVICE, "Pipfile": PIPFILE, "Pipfile.lock": PIPFILE_LOCK}
    result = assess(tmp_path, "dependencies", "environment_recipe", files)
    assert result.share == 0.5
    assert "no Dockerfile builds the image the service runs in" in result.evidence
    with_image = {**files, "Dockerfile": "FROM python:3.11-slim\nRUN pip install pipenv && pipenv install --deploy\n"}
    assert assess(tmp_path / "image", "dependencies", "environment_recipe", with_image).share == 1


def test_application_lock_file_is_a_full_recipe(tmp_path: Path) -> None:
    files = {**CODE, "Pipfile": PIPFILE.replace("fastapi", "numpy"), "Pipfile.lock": PIPFILE_LOCK}
    assert assess(tmp_path, "dependencies", "environment_recipe", files).share == 1


def test_a_package_declaring_no_dependencies_on_purpose_has_a_manifest(tmp_path: Path) -> None:
    pyproject = '[project]\nname = "tensorops"\nversion = "1.0"\nrequires-python = ">=3.9"\ndependencies = []\n'
    files = {"pyproject.toml": pyproject, "tensorops/__init__.py": "", "tensorops/ops.py": "import math\n"}
    result = assess(tmp_path, "dependencies", "manifest_declared", files)
    assert (
        result.share == 1
        and "pyproject.toml:5 declares that the package needs no run-time dependency" in result.evidence
    )
    assert assess(tmp_path / "b", "dependencies", "python_declared", files).share == 1
    missing = {**files, "pyproject.toml": pyproject.replace("dependencies = []\n", "")}
    assert assess(tmp_path / "c", "dependencies", "manifest_declared", missing).share == 0


def test_an_import_named_like_a_declared_distribution_counts_as_declared(tmp_path: Path) -> None:
    code = {
        "churn/__init__.py": "",
        "churn/independence.py": "import numpy as np\nfrom signalkit.tests.kernel import KernelTest\n",
    }
    result = assess(
        tmp_path, "dependencies", "imports_declared", {**code, "requirements.txt": "numpy==1.26.4\nsignal-kit==0.3.1\n"}
    )
    assert result.share == 1
    assert result.evidence.startswith("2 of 2 (100%)")


def test_an_undeclared_import_beside_an_unrelated_unused_distribution_stays_undeclared(tmp_path: Path) -> None:
    code = {
        "churn/__init__.py": "",
        "churn/independence.py": "import numpy as np\nfrom signalkit.tests.kernel import KernelTest\n",
    }
    result = assess(
        tmp_path, "dependencies", "imports_declared", {**code, "requirements.txt": "numpy==1.26.4\nrich-click==1.8.3\n"}
    )
    assert result.share == 0.25
    assert "undeclared: signalkit (churn/independence.py:2)" in result.evidence


STDLIB_SETUP = (
    "from setuptools import setup\n\nsetup(\n    name='edge-telemetry',\n    version='1.0',\n    packages=['edge_telemetry'],\n"
    "    classifiers=['Programming Language :: Python :: 3', 'Operating System :: OS Independent'],\n)\n"
)
STDLIB_CODE = {
    "edge_telemetry/__init__.py": "",
    "edge_telemetry/sender.py": "import json\nimport urllib.request\n\n\ndef send(event):\n    return json.dumps(event)\n",
}


def test_a_library_importing_only_the_standard_library_has_nothing_to_declare(tmp_path: Path) -> None:
    write_tree(tmp_path / "stdlib", {"setup.py": STDLIB_SETUP, **STDLIB_CODE})
    assert assess(tmp_path / "stdlib", "dependencies", "manifest_declared").share == 1
    assert assess(tmp_path / "stdlib", "dependencies", "versions_pinned").share == 1
    imaging = {"edge_telemetry/image.py": "import numpy as np\n\n\ndef gray(img):\n    return np.mean(img, axis=-1)\n"}
    write_tree(tmp_path / "numpy", {"setup.py": STDLIB_SETUP, **STDLIB_CODE, **imaging})
    assert assess(tmp_path / "numpy", "dependencies", "manifest_declared").share == 0  # numpy is needed, undeclared
