"""Tests of rule LAY002 (`mlaudit/rules/layout/lay002_no_importable_package.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.layout._helpers import PACKAGE


def test_lay002_fires_on_loose_modules(tmp_path: Path) -> None:
    write_tree(tmp_path, {"train.py": "x = 1\n", "utils.py": "y = 2\n", "tests/__init__.py": ""})
    [hit] = findings(tmp_path, "LAY002")
    assert "2 Python modules" in hit.message


def test_lay002_silent_with_src_or_flat_package(tmp_path: Path) -> None:
    write_tree(tmp_path / "a", PACKAGE)
    write_tree(tmp_path / "b", {"recsys/__init__.py": "", "recsys/data.py": "x = 1\n"})
    assert findings(tmp_path / "a", "LAY002") == []
    assert findings(tmp_path / "b", "LAY002") == []


def test_lay002_names_the_missing_top_level_init(tmp_path: Path) -> None:
    files = {"gen/models/__init__.py": "", "gen/models/unet.py": "x = 1\n", "gen/data/__init__.py": "", "run.py": ""}
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "LAY002")
    assert "top-level __init__.py missing (gen/__init__.py)" in hit.message


def test_lay002_names_a_namespace_package_served_by_an_app_server(tmp_path: Path) -> None:
    files = {
        "textsvc/api.py": "from .core.model import predict\n",
        "textsvc/core/model.py": "def predict(x):\n    return x\n",
        "bin/start": "#!/bin/sh\nuvicorn textsvc.api:app --port 8000\n",
    }
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "LAY002")
    assert "textsvc/ is served by an app server as a namespace package" in hit.message


DECLARED_ROOT = {
    "setup.py": (
        "from setuptools import find_packages, setup\n\n"
        "setup(\n    name='vecsearch',\n    packages=find_packages(where='lib/python'),\n"
        "    package_dir={'': 'lib/python'},\n    install_requires=['numpy>=1.24'],\n)\n"
    ),
    "lib/python/vecsearch/__init__.py": "from .index import Index\n",
    "lib/python/vecsearch/index.py": "import numpy as np\n\n\nclass Index:\n    data = np.zeros(3)\n",
    "test/python/testindex.py": "from vecsearch import Index\n",
}


def test_lay002_silent_for_a_package_under_the_root_the_metadata_declares(tmp_path: Path) -> None:
    write_tree(tmp_path, DECLARED_ROOT)
    assert findings(tmp_path, "LAY002") == []
    # the package is the project's own: importing it is not an undeclared dependency
    assert [h.message for h in findings(tmp_path, "DEP004") if "vecsearch" in h.message] == []


def test_lay002_fires_for_the_same_tree_without_the_declared_root(tmp_path: Path) -> None:
    setup = "from setuptools import setup\n\nsetup(name='vecsearch', install_requires=['numpy>=1.24'])\n"
    write_tree(tmp_path, {**DECLARED_ROOT, "setup.py": setup})
    assert len(findings(tmp_path, "LAY002")) == 1


def _project(name: str) -> str:
    return f'[project]\nname = "{name}"\nversion = "1.0"\ndependencies = ["regex>=2023"]\n'


MONOREPO = {
    "pyproject.toml": "[tool.ruff]\nline-length = 100\n",
    "scrubber-core/pyproject.toml": _project("scrubber-core"),
    "scrubber-core/scrubber_core/__init__.py": "from .engine import Engine\n",
    "scrubber-core/scrubber_core/engine.py": "import regex\n\n\nclass Engine:\n    pattern = regex.compile('x')\n",
    "scrubber-core/tests/test_engine.py": "from scrubber_core import Engine\n\n\ndef test_e():\n    assert Engine()\n",
    "scrubber-cli/pyproject.toml": _project("scrubber-cli"),
    "scrubber-cli/scrubber_cli/__init__.py": "from scrubber_core import Engine\n",
}


def test_lay002_silent_for_packages_of_projects_with_their_own_metadata(tmp_path: Path) -> None:
    write_tree(tmp_path, MONOREPO)
    assert findings(tmp_path, "LAY002") == []
    # one project importing another of the repository imports its own code
    assert [h.message for h in findings(tmp_path, "DEP004") if "scrubber_core" in h.message] == []


def test_lay002_fires_when_only_a_docs_sample_declares_a_project(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": "[tool.ruff]\nline-length = 100\n",
        "docs/samples/demo/pyproject.toml": _project("demo"),
        "docs/samples/demo/demo/__init__.py": "",
        "scrubber/engine/__init__.py": "",
        "scrubber/engine/core.py": "x = 1\n",
    }
    write_tree(tmp_path, files)
    assert len(findings(tmp_path, "LAY002")) == 1


def test_lay002_silent_for_a_namespace_package_the_metadata_ships(tmp_path: Path) -> None:
    pyproject = '[project]\nname = "voxkit-audio"\nversion = "1.0"\n\n[tool.hatch.build.targets.wheel]\npackages = ["src/voxkit"]\n'
    files = {"pyproject.toml": pyproject, "src/voxkit/audio/__init__.py": "", "src/voxkit/audio/io.py": "X = 1\n"}
    write_tree(tmp_path, files)
    assert findings(tmp_path, "LAY002") == []


def test_lay002_fires_for_a_namespace_folder_no_metadata_names(tmp_path: Path) -> None:
    pyproject = '[project]\nname = "churn"\nversion = "1.0"\n'
    files = {"pyproject.toml": pyproject, "src/lab/audio/__init__.py": "", "src/lab/audio/io.py": "X = 1\n"}
    write_tree(tmp_path, files)
    assert len(findings(tmp_path, "LAY002")) == 1


NAMESPACE_WITH_MODULES = {
    "setup.py": (
        "from setuptools import find_namespace_packages, setup\n\n"
        "setup(\n    name='tsbench',\n    packages=find_namespace_packages(include='tsbench.*'),\n"
        "    install_requires=['numpy>=1.24'],\n)\n"
    ),
    "tsbench/plot.py": "def plot(x):\n    return x\n",
    "tsbench/models/__init__.py": "",
    "tsbench/models/arima.py": "class Arima:\n    pass\n",
    "tsbench/utils/__init__.py": "",
    "tsbench/utils/io.py": "X = 1\n",
}


def test_lay002_silent_for_a_namespace_package_with_modules_of_its_own_declared_by_find_namespace_packages(
    tmp_path: Path,
) -> None:
    write_tree(tmp_path, NAMESPACE_WITH_MODULES)
    assert findings(tmp_path, "LAY002") == []


def test_lay002_fires_for_the_same_folder_with_modules_when_metadata_asks_for_plain_packages(tmp_path: Path) -> None:
    setup = NAMESPACE_WITH_MODULES["setup.py"].replace("find_namespace_packages", "find_packages")
    write_tree(tmp_path, {**NAMESPACE_WITH_MODULES, "setup.py": setup})
    [hit] = findings(tmp_path, "LAY002")
    assert "top-level __init__.py missing (tsbench/__init__.py)" in hit.message


SETUPTOOLS_PROJECT = (
    '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
    '[project]\nname = "tts-lab"\nversion = "1.0"\n'
)


def test_lay002_silent_for_a_src_folder_setuptools_discovery_installs_as_a_namespace_package(tmp_path: Path) -> None:
    """setuptools' automatic discovery of a src layout finds PEP 420 packages: `src/tts/api.py` installs as
    `tts.api` without `src/tts/__init__.py`. Once pyproject.toml lists the packages itself, only those install."""
    files = {
        "pyproject.toml": SETUPTOOLS_PROJECT,
        "src/tts/api.py": "def speak(text):\n    return text\n",
        "src/tts/model/__init__.py": "",
        "src/tts/model/dit.py": "def block(x):\n    return x\n",
    }
    write_tree(tmp_path / "a", files)
    assert findings(tmp_path / "a", "LAY002") == []
    listed = SETUPTOOLS_PROJECT + '\n[tool.setuptools]\npackages = ["tts.model"]\n'
    write_tree(tmp_path / "b", {**files, "pyproject.toml": listed})
    assert len(findings(tmp_path / "b", "LAY002")) == 1
