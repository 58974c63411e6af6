"""Tests of the layout capabilities: package, packaging metadata, tests folder, README, thin notebooks, few root scripts."""

from __future__ import annotations

import json
from pathlib import Path

from tests.capabilities.util import assess, earned_points
from tests.helpers import write_tree

MODULE = "\n".join(f"def step_{i}(x):\n    return x + {i}\n\n" for i in range(10))
PACKAGE = {"churn/__init__.py": "", "churn/steps.py": MODULE}
PYPROJECT = '[build-system]\nrequires = ["hatchling"]\n\n[project]\nname = "churn"\nversion = "0.1"\n'
TEST = "from churn.steps import step_1\n\n\ndef test_step():\n    assert step_1(1) == 2\n"
README = "# churn\n\nPredicts churn.\n\n## Install\n\npip install -e .\n"


def _notebook(lines: int) -> str:
    source = "\n".join(f"x{i} = {i}" for i in range(lines))
    return json.dumps({"cells": [{"cell_type": "code", "source": source, "outputs": []}], "nbformat": 4})


def test_package_earns(tmp_path: Path) -> None:
    result = assess(tmp_path, "layout", "importable_package", PACKAGE)
    assert result.share == 1
    assert "churn/__init__.py" in result.evidence


def test_package_evidence_names_the_package_holding_most_code(tmp_path: Path) -> None:
    files = {**PACKAGE, "timing/__init__.py": "", "timing/clock.py": "import time\n\nstart = time.time()\n"}
    result = assess(tmp_path, "layout", "importable_package", files)
    assert result.share == 1
    assert result.evidence.startswith("package churn/ (churn/__init__.py) and 1 more hold 100%")


def test_a_literal_data_table_beside_the_package_is_data_but_a_script_of_code_is_not(tmp_path: Path) -> None:
    rows = "".join(f"    {i}.25, {i}.5, {i}.75, -{i}.0,\n" for i in range(400))
    table = f"import pickle\n\nC6 = [\n{rows}]\n\n\ndef dump(path):\n    pickle.dump(C6, open(path, 'wb'))\n"
    files = {**PACKAGE, "tools/dump_constants.py": table}
    assert assess(tmp_path / "a", "layout", "importable_package", files).share == 1
    # Look-alike: the same number of lines outside the package, but code that computes.
    steps = "".join(f"    total = total + scale * {i}\n" for i in range(400))
    script = f"def run(scale):\n    total = 0\n{steps}    return total\n"
    assert assess(tmp_path / "b", "layout", "importable_package", {**PACKAGE, "tools/run.py": script}).share == 0


def test_folder_without_init_or_imports_is_no_package(tmp_path: Path) -> None:
    assert assess(tmp_path, "layout", "importable_package", {"churn/steps.py": MODULE}).share == 0


def test_namespace_folder_used_as_package_earns_half(tmp_path: Path) -> None:
    files = {"app/steps.py": MODULE, "app/api.py": "from .steps import step_1\n"}
    assert assess(tmp_path, "layout", "importable_package", files).share == 0.5


def test_pyproject_project_table_earns_packaging(tmp_path: Path) -> None:
    result = assess(tmp_path, "layout", "packaging_metadata", {**PACKAGE, "pyproject.toml": PYPROJECT})
    assert result.share == 1
    assert "pyproject.toml:4" in result.evidence


def test_tool_only_pyproject_is_not_packaging(tmp_path: Path) -> None:
    files = {**PACKAGE, "pyproject.toml": "[tool.black]\nline-length = 100\n"}
    assert assess(tmp_path, "layout", "packaging_metadata", files).share == 0


def test_tests_folder_earns(tmp_path: Path) -> None:
    assert assess(tmp_path, "layout", "tests_folder", {**PACKAGE, "tests/test_steps.py": TEST}).share == 1


def test_empty_tests_folder_does_not_earn(tmp_path: Path) -> None:
    assert assess(tmp_path, "layout", "tests_folder", {**PACKAGE, "tests/__init__.py": ""}).share == 0


def test_readme_earns_and_stub_earns_little(tmp_path: Path) -> None:
    assert assess(tmp_path / "a", "layout", "readme", {**PACKAGE, "README.md": README}).share == 1
    assert assess(tmp_path / "b", "layout", "readme", {**PACKAGE, "README.md": "# churn\n"}).share < 0.5


def test_readme_the_package_metadata_names_earns_and_an_unnamed_one_does_not(tmp_path: Path) -> None:
    named = '[project]\nname = "churn"\nversion = "1.0"\nreadme = "DESCRIPTION.md"\n'
    tree = {**PACKAGE, "DESCRIPTION.md": README}
    earned = assess(tmp_path / "a", "layout", "readme", {**tree, "pyproject.toml": named})
    assert earned.share == 1 and earned.evidence == "DESCRIPTION.md (7 lines)"
    unnamed = '[project]\nname = "churn"\nversion = "1.0"\n'
    assert assess(tmp_path / "b", "layout", "readme", {**tree, "pyproject.toml": unnamed}).share == 0


def test_stub_readme_evidence_says_one_line_not_one_lines(tmp_path: Path) -> None:
    one = assess(tmp_path / "a", "layout", "readme", {**PACKAGE, "README.md": "# churn\n"})
    two = assess(tmp_path / "b", "layout", "readme", {**PACKAGE, "README.md": "# churn\n\nWIP\n"})
    assert one.evidence == "README.md is a stub (1 line)" and two.evidence == "README.md is a stub (3 lines)"


def test_thin_notebooks_earn(tmp_path: Path) -> None:
    files = {**PACKAGE, "notebooks/explore.ipynb": _notebook(3)}
    assert assess(tmp_path, "layout", "notebooks_thin", files).share == 1


def test_logic_in_notebooks_does_not_earn(tmp_path: Path) -> None:
    files = {**PACKAGE, "notebooks/explore.ipynb": _notebook(200)}
    result = assess(tmp_path, "layout", "notebooks_thin", files)
    assert result.share == 0
    assert "notebooks hold 200 code lines" in result.evidence


def test_code_in_folders_earns(tmp_path: Path) -> None:
    assert assess(tmp_path, "layout", "code_in_folders", {**PACKAGE, "train.py": "import churn\n"}).share == 1


def test_pile_of_root_scripts_does_not_earn(tmp_path: Path) -> None:
    scripts = {f"train_v{i}.py": MODULE for i in range(20)}
    result = assess(tmp_path, "layout", "code_in_folders", {**PACKAGE, **scripts})
    assert result.share == 0
    assert "20 loose root scripts" in result.evidence


def test_flat_scripts_earn_at_most_10(tmp_path: Path) -> None:
    write_tree(tmp_path, {"train.py": MODULE, "chat.py": MODULE, "model.py": MODULE})
    assert earned_points(tmp_path, "layout") <= 10


def test_packaged_project_earns_most(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PACKAGE, "pyproject.toml": PYPROJECT, "tests/test_steps.py": TEST, "README.md": README})
    assert earned_points(tmp_path, "layout") >= 95


def test_only_generic_top_level_packages_earn_half(tmp_path: Path) -> None:
    code = "def run(x):\n    return x\n"
    files = {"models/__init__.py": "", "models/yolo.py": code, "utils/__init__.py": "", "utils/general.py": code}
    result = assess(tmp_path, "layout", "importable_package", files)
    assert result.share == 0.5
    assert "models/, utils/" in result.evidence


def test_a_generic_name_inside_a_namespace_package_is_named_by_its_namespace(tmp_path: Path) -> None:
    """`retrieva/core/` installs as `retrieva.core`, which clashes with no other project's package."""
    code = "def run(x):\n    return x\n"
    meta = '[project]\nname = "retrieva-core"\nversion = "1.0"\n\n[tool.hatch.build]\npackages = ["retrieva"]\n'
    files = {"pyproject.toml": meta, "retrieva/core/__init__.py": "", "retrieva/core/index.py": code}
    assert assess(tmp_path / "ns", "layout", "importable_package", files).share == 1
    # Look-alike: `core/` in src/ is a top-level package named `core`.
    plain = {"pyproject.toml": meta, "src/core/__init__.py": "", "src/core/index.py": code}
    assert assess(tmp_path / "src", "layout", "importable_package", plain).share == 0.5


def test_named_package_beside_generic_helpers_earns_it(tmp_path: Path) -> None:
    code = "def run(x):\n    return x\n"
    files = {"detector/__init__.py": "", "detector/yolo.py": code, "utils/__init__.py": "", "utils/general.py": code}
    assert assess(tmp_path, "layout", "importable_package", files).share == 1


IMPORTING = "import numpy\nimport omegaconf\nimport einops\nimport PIL\nimport torch\nimport tqdm\n"
STUB_SETUP = (
    "from setuptools import setup, find_packages\n\n"
    "setup(name='churn', packages=find_packages(), install_requires=['torch', 'numpy', 'tqdm'])\n"
)


def test_stub_setup_naming_few_of_the_imported_packages_earns_half(tmp_path: Path) -> None:
    files = {**PACKAGE, "churn/model.py": IMPORTING, "setup.py": STUB_SETUP}
    assert assess(tmp_path, "layout", "packaging_metadata", files).share == 0.75  # 3 of 6: not a stub
    files["churn/extra.py"] = "import scipy\nimport yaml\nimport kornia\nimport transformers\n"
    files["churn/lazy.py"] = "def export(model):\n    import onnx\n    return onnx.save(model)\n"
    result = assess(tmp_path / "more", "layout", "packaging_metadata", files)
    assert result.share == 0.75 * 0.5
    assert "name only 3 of the 10 packages the package imports when loaded (missing e.g. PIL)" in result.evidence


def test_packages_named_in_optional_extras_are_named_by_the_metadata(tmp_path: Path) -> None:
    files = {**PACKAGE, "churn/model.py": IMPORTING, "churn/envs/physics.py": "import mujoco\nimport imageio\n"}
    deps = 'dependencies = ["numpy"]\n'
    extras = '[project.optional-dependencies]\nfull = ["torch", "tqdm", "omegaconf", "einops", "pillow"]\n'
    physics = 'physics = ["mujoco", "imageio"]\n'
    earned = assess(
        tmp_path / "a", "layout", "packaging_metadata", {**files, "pyproject.toml": PYPROJECT + deps + extras + physics}
    )
    assert earned.share == 1
    # development extras (tests, docs) are not what the package needs to import itself
    dev = '[project.optional-dependencies]\ntest = ["torch", "tqdm", "omegaconf", "einops", "pillow", "mujoco", "imageio"]\n'
    stub = assess(tmp_path / "b", "layout", "packaging_metadata", {**files, "pyproject.toml": PYPROJECT + deps + dev})
    assert stub.share == 0.5 and "cannot import itself" in stub.evidence


def test_setup_reading_requirements_from_a_file_is_not_a_stub(tmp_path: Path) -> None:
    setup = (
        "from setuptools import setup, find_packages\n\n"
        "with open('requirements.txt') as f:\n    install_requires = f.read().splitlines()\n\n"
        "setup(name='churn', packages=find_packages(), install_requires=install_requires)\n"
    )
    reqs = "torch>=2\nnumpy\ntqdm\nomegaconf\neinops\npillow\n"
    files = {**PACKAGE, "churn/model.py": IMPORTING, "setup.py": setup, "requirements.txt": reqs}
    assert assess(tmp_path, "layout", "packaging_metadata", files).share == 0.75


def test_pyproject_declaring_what_the_package_imports_earns_full(tmp_path: Path) -> None:
    deps = 'dependencies = ["torch", "numpy", "tqdm", "omegaconf", "einops"]\n'
    files = {**PACKAGE, "churn/model.py": IMPORTING, "pyproject.toml": PYPROJECT + deps}
    assert assess(tmp_path, "layout", "packaging_metadata", files).share == 1


def test_packages_an_extra_declares_count_as_named_but_a_test_extra_does_not(tmp_path: Path) -> None:
    core = 'dependencies = ["numpy"]\n\n[project.optional-dependencies]\n'
    split = core + 'train = ["torch", "tqdm", "omegaconf"]\nvision = ["einops", "pillow"]\n'
    files = {**PACKAGE, "churn/model.py": IMPORTING, "pyproject.toml": PYPROJECT + split}
    assert assess(tmp_path, "layout", "packaging_metadata", files).share == 1
    tested = core + 'test = ["pytest", "torch", "tqdm", "omegaconf", "einops", "pillow"]\n'
    files["pyproject.toml"] = PYPROJECT + tested
    result = assess(tmp_path / "test_extra", "layout", "packaging_metadata", files)
    assert result.share == 0.5 and "name only 1 of the 6 packages" in result.evidence


def test_setup_cfg_with_only_tool_settings_does_not_hide_setup_py(tmp_path: Path) -> None:
    files = {**PACKAGE, "setup.cfg": "[flake8]\nmax-line-length = 88\n", "setup.py": STUB_SETUP}
    result = assess(tmp_path, "layout", "packaging_metadata", files)
    assert (result.share, result.evidence) == (0.75, "setup.py declares the package (setuptools)")
    alone = assess(tmp_path / "alone", "layout", "packaging_metadata", {**PACKAGE, "setup.cfg": "[flake8]\n"})
    assert alone.share == 0.3


def test_extras_are_not_the_core_requirement_list(tmp_path: Path) -> None:
    setup = (
        "from setuptools import setup\n\nwith open('requirements.txt') as f:\n    required = f.read().splitlines()\n\n"
        "setup(name='churn', packages=['churn'], install_requires=required,\n"
        "      extras_require={'word-embeddings': ['gensim', 'bpemb']})\n"
    )
    files = {**PACKAGE, "churn/model.py": IMPORTING + "import kornia\nimport yaml\n", "setup.py": setup}
    assert assess(tmp_path, "layout", "packaging_metadata", files).share == 0.75


def test_the_imports_of_a_tests_package_are_not_what_the_installed_package_loads(tmp_path: Path) -> None:
    """`tests/__init__.py` makes the suite a package, but it is not installed: pytest and its helpers are not
    requirements."""
    deps = 'dependencies = ["torch", "numpy", "tqdm"]\n'
    suite = {
        "tests/__init__.py": "",
        "tests/test_model.py": "import pytest\nimport hypothesis\nimport kornia\nimport yaml\n",
    }
    files = {**PACKAGE, **suite, "churn/model.py": "import torch\n", "pyproject.toml": PYPROJECT + deps}
    assert assess(tmp_path / "suite", "layout", "packaging_metadata", files).share == 1
    # Look-alike: the same imports in a package module are the package's own.
    files["churn/plot.py"] = suite["tests/test_model.py"]
    assert assess(tmp_path / "pkg", "layout", "packaging_metadata", files).share == 0.5


def test_a_module_of_an_optional_feature_imports_its_extra_not_a_missing_requirement(tmp_path: Path) -> None:
    """`churn/plugins/*.py` import what the `plugins` extra installs: the metadata names those packages."""
    plugins = {"churn/plugins/__init__.py": "", "churn/plugins/graphs.py": "import scipy\nimport kornia\nimport yaml\n"}
    deps = 'dependencies = ["torch", "numpy", "tqdm"]\n'
    extra = '\n[project.optional-dependencies]\nplugins = ["scipy", "kornia", "pyyaml", "transformers", "pillow"]\n'
    files = {**PACKAGE, **plugins, "churn/model.py": IMPORTING + "import transformers\n"}
    assert (
        assess(
            tmp_path / "x", "layout", "packaging_metadata", {**files, "pyproject.toml": PYPROJECT + deps + extra}
        ).share
        == 1
    )
    # Look-alike: the same imports with no extra naming them leave the core list a stub.
    result = assess(tmp_path / "stub", "layout", "packaging_metadata", {**files, "pyproject.toml": PYPROJECT + deps})
    assert result.share == 0.5 and "name only 3 of the 10 packages" in result.evidence


def test_tests_folder_names_the_folder_holding_most_tests(tmp_path: Path) -> None:
    # one integration test beside the package code does not make the package the tests folder
    files = {
        **PACKAGE,
        "aardvark/__init__.py": "",
        "aardvark/integrations/tests/test_hub.py": TEST,
        "tests/test_steps.py": TEST,
        "tests/test_more.py": TEST,
    }
    result = assess(tmp_path, "layout", "tests_folder", files)
    assert result.share == 1 and result.evidence == "tests/ holds 2 of the 3 test modules"


def test_packaging_metadata_of_several_projects_earns(tmp_path: Path) -> None:
    project = '[project]\nname = "{}"\nversion = "1.0"\n'
    files = {
        "pyproject.toml": "[tool.ruff]\nline-length = 100\n",
        "scrubber-core/pyproject.toml": project.format("scrubber-core"),
        "scrubber-core/scrubber_core/__init__.py": "",
        "scrubber-cli/pyproject.toml": project.format("scrubber-cli"),
        "scrubber-cli/scrubber_cli/__init__.py": "",
    }
    result = assess(tmp_path, "layout", "packaging_metadata", files)
    assert (
        result.share == 1
        and result.evidence == "scrubber-cli/pyproject.toml:1 declares a project (and 1 more projects)"
    )
    # a tool-only root pyproject.toml and a sample's metadata declare nothing
    sample = {"pyproject.toml": files["pyproject.toml"], "examples/demo/pyproject.toml": project.format("demo")}
    assert assess(tmp_path / "b", "layout", "packaging_metadata", sample).share < 1


def test_tests_folder_needs_modules_that_define_tests(tmp_path: Path) -> None:
    # a helper named like a test module inside the package defines no test
    files = {**PACKAGE, "churn/test_helpers.py": "def make_frame():\n    return None\n"}
    assert assess(tmp_path, "layout", "tests_folder", files).share == 0


def test_a_src_namespace_package_setuptools_discovers_is_an_importable_package(tmp_path: Path) -> None:
    """`src/tts/` without `__init__.py`, under a setuptools `[project]` that lists no packages, installs as `tts`."""
    project = (
        '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
        '[project]\nname = "tts-lab"\nversion = "1.0"\n'
    )
    files = {"pyproject.toml": project, "src/tts/api.py": "def speak(text):\n    return text\n"}
    result = assess(tmp_path / "a", "layout", "importable_package", files)
    assert result.share == 1 and "namespace package src/tts/" in result.evidence
    poetry = project.replace("setuptools.build_meta", "poetry.core.masonry.api")
    result = assess(tmp_path / "b", "layout", "importable_package", {**files, "pyproject.toml": poetry})
    assert result.share < 1


def test_metadata_names_an_import_as_the_dependencies_practice_reads_it(tmp_path: Path) -> None:
    """`dtw-python` provides `dtw` and declared `openai-whisper` pairs with the unclaimed `import whisper`: with
    `tqdm`, 3 of the 5 packages the package imports are named, not a stub. Naming only `tqdm` of them is one."""
    imports = "import dtw\nimport numpy\nimport torch\nimport tqdm\nimport whisper\n"
    setup = (
        "from setuptools import setup, find_packages\n\n"
        "setup(name='churn', packages=find_packages(), install_requires=['openai-whisper', 'dtw-python', 'tqdm'])\n"
    )
    files = {**PACKAGE, "churn/align.py": imports, "setup.py": setup}
    assert assess(tmp_path / "a", "layout", "packaging_metadata", files).share == 0.75
    stub = setup.replace("'openai-whisper', 'dtw-python', ", "")
    result = assess(tmp_path / "b", "layout", "packaging_metadata", {**files, "setup.py": stub})
    assert result.share == 0.75 * 0.5
