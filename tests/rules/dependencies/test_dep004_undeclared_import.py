"""Tests of rule DEP004 (`mlaudit/rules/dependencies/dep004_undeclared_import.py`)."""

from __future__ import annotations

import json
from pathlib import Path

from mlaudit.model import Finding, Severity
from tests.helpers import findings, write_tree
from tests.rules.dependencies._helpers import CODE, PYPROJECT


def test_dep004_fires_on_undeclared_import(tmp_path: Path) -> None:
    files = {"requirements.txt": "numpy==1.26.4\n", "src/churn/__init__.py": "", "src/churn/img.py": "import cv2\n"}
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "DEP004")
    assert hit.path == "src/churn/img.py" and "import cv2 (opencv-python)" in hit.message
    assert hit.severity is Severity.WARNING


def test_dep004_a_fork_installing_the_same_module_declares_it(tmp_path: Path) -> None:
    game = "import pygame\n\n\ndef draw(screen):\n    pygame.display.flip()\n"
    files = {"src/arena/__init__.py": "", "src/arena/render.py": game}
    write_tree(tmp_path / "fork", {**files, "requirements.txt": "pygame-ce==2.5.0\n"})
    assert findings(tmp_path / "fork", "DEP004") == []
    write_tree(tmp_path / "other", {**files, "requirements.txt": "pymunk==6.8.0\n"})
    [hit] = findings(tmp_path / "other", "DEP004")
    assert "import pygame (pygame)" in hit.message


def test_dep004_a_distribution_installing_a_module_of_another_name_declares_it(tmp_path: Path) -> None:
    # scikit-learn-intelex installs `sklearnex`, interpret-core installs `interpret`
    code = "import interpret\nimport sklearnex\n\n\ndef patch():\n    sklearnex.patch_sklearn()\n    return interpret\n"
    files = {"src/tab/__init__.py": "", "src/tab/accel.py": code}
    declared = "scikit-learn-intelex==2025.1\ninterpret-core==0.7.2\n"
    write_tree(tmp_path / "declared", {**files, "requirements.txt": declared})
    assert findings(tmp_path / "declared", "DEP004") == []
    assert findings(tmp_path / "declared", "DEP005") == []
    # Look-alike: scikit-learn alone installs no `sklearnex`
    write_tree(tmp_path / "other", {**files, "requirements.txt": "scikit-learn==1.5.0\ninterpret-core==0.7.2\n"})
    [hit] = findings(tmp_path / "other", "DEP004")
    assert "import sklearnex (scikit-learn-intelex)" in hit.message


def test_dep004_an_extra_named_after_a_package_declares_it(tmp_path: Path) -> None:
    code = (
        "import torch\nimport transformers\n\n\ndef embed(texts):\n    return transformers.AutoModel, torch.no_grad\n"
    )
    files = {"src/embed/__init__.py": "", "src/embed/model.py": code}
    write_tree(tmp_path / "extra", {**files, "requirements.txt": "transformers[torch,sentencepiece]==4.44.0\n"})
    assert findings(tmp_path / "extra", "DEP004") == []
    # an extra named for something else (`[serving]`) brings no torch: the import stays undeclared
    write_tree(tmp_path / "other", {**files, "requirements.txt": "transformers[serving]==4.44.0\n"})
    [hit] = findings(tmp_path / "other", "DEP004")
    assert "import torch (torch)" in hit.message


def test_dep004_a_backport_only_older_pythons_import_is_info(tmp_path: Path) -> None:
    guarded = (
        "import sys\n\nif sys.version_info[:2] >= (3, 8):\n    import importlib.metadata as importlib_metadata\n"
        "else:\n    import importlib_metadata\n\nif (3, 9) > sys.version_info:\n    import importlib_resources\n"
    )
    files = {"requirements.txt": "numpy==1.26.4\n", "pkg/__init__.py": guarded}
    write_tree(tmp_path / "backport", files)
    hits = findings(tmp_path / "backport", "DEP004")
    assert [(h.severity, h.message.split(":")[-1].strip()) for h in hits] == [
        (Severity.INFO, "backport for older Pythons, imported only under a sys.version_info check")
    ] * 2
    assert "python_version <" in (hits[0].fix or "")
    # the branch a current interpreter takes is the code's real dependency
    newer = "import sys\n\nif sys.version_info >= (3, 8):\n    import tomli\nelse:\n    import toml\n"
    write_tree(tmp_path / "newer", {"requirements.txt": "numpy==1.26.4\n", "pkg/__init__.py": newer})
    assert sorted((h.message.split(" ")[1], h.severity) for h in findings(tmp_path / "newer", "DEP004")) == [
        ("toml", Severity.INFO),
        ("tomli", Severity.WARNING),
    ]


def test_dep004_python2_branches_and_python2_stdlib_names_are_no_dependencies(tmp_path: Path) -> None:
    """Old research code keeps a Python 2 branch (`if sys.version_info[0] == 2:`, `if six.PY2:`, the `else` of
    `if PY3:`): a package imported only there is a backport (info), and Python 2's renamed standard library
    (`cPickle`, `urlparse`) is no distribution at all. Look-alike: the Python 3 branch's import is a dependency."""
    code = (
        "import sys\n\nimport six\n\nif sys.version_info[0] == 2:\n    import cPickle as pickle\n"
        "    import futures\nelse:\n    import pickle\n    import regex\n\n"
        "if six.PY2:\n    import subprocess32 as subprocess\n\n"
        "if sys.version_info.major == 3:\n    import tomli\nelse:\n    import toml\n\n"
        "try:\n    from urllib.parse import urlparse\nexcept ImportError:\n    from urlparse import urlparse\n"
    )
    write_tree(tmp_path, {"requirements.txt": "six==1.16.0\n", "pkg/__init__.py": "", "pkg/io.py": code})
    found = {h.message.split(" ")[1]: h.severity for h in findings(tmp_path, "DEP004")}
    assert found == {
        "futures": Severity.INFO,
        "subprocess32": Severity.INFO,
        "toml": Severity.INFO,
        "regex": Severity.WARNING,
        "tomli": Severity.WARNING,
    }


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
    assert "lightgbm as an optional extra" in (hits[0].fix or "")
    assert "hypothesis as a test dependency" in (hits[1].fix or "")
    # the library's optional import stays optional when its tests import the package too
    write_tree(tmp_path, {"tests/test_lib.py": "import hypothesis\nimport lightgbm\n"})
    again = findings(tmp_path, "DEP004")
    assert [(h.path, h.message.split(":")[-1].strip()) for h in again] == [
        ("lib.py", "optional (guarded by except ImportError)"),
        ("tests/test_lib.py", "used by tests only"),
    ]


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


def test_imports_behind_an_installation_check_are_optional_but_not_behind_a_device_test(tmp_path: Path) -> None:
    """`if is_xla_installed(): import torch_xla` is the availability check under another name; a test of the
    device the code runs on (`if on_xla_device():`) says nothing about what is installed."""
    code = """\
import torch
from trainer.utils import is_xla_installed, on_xla_device

if is_xla_installed():
    import torch_xla.core.xla_model as xm
if on_xla_device():
    import torch_neuronx


def compile_for_habana(model):
    if not is_package_installed("habana_frameworks"):
        raise ImportError("pip install habana-frameworks")
    import habana_frameworks.torch.core as htcore
    return htcore
"""
    write_tree(tmp_path, {"requirements.txt": "torch==2.3.1\n", "trainer/__init__.py": "", "trainer/speed.py": code})
    severities = {f.message.split(" ")[1]: f.severity for f in findings(tmp_path, "DEP004")}
    assert severities == {
        "torch_xla.core.xla_model": Severity.INFO,
        "torch_neuronx": Severity.WARNING,
        "habana_frameworks.torch.core": Severity.INFO,
    }


def test_function_local_import_in_a_published_library_is_an_optional_integration(tmp_path: Path) -> None:
    pyproject = (
        '[project]\nname = "adapters"\nversion = "0.3.0"\ndependencies = ["torch>=2.1", "numpy>=1.24"]\n'
        'classifiers = ["Programming Language :: Python :: 3"]\n'
    )
    code = (
        "import numpy\nimport torch\nimport safetensors\n\n\n"
        "def eight_bit_optimizer(params, lr):\n    import bitsandbytes\n\n"
        "    return bitsandbytes.optim.AdamW8bit(params, lr=lr)\n"
    )
    write_tree(
        tmp_path / "lib", {"pyproject.toml": pyproject, "src/adapters/__init__.py": "", "src/adapters/optim.py": code}
    )
    severities = {f.message.split(" ")[1]: (f.severity, f.message) for f in findings(tmp_path / "lib", "DEP004")}
    assert severities["safetensors"][0] is Severity.WARNING  # imported on load: installing the library is broken
    assert severities["bitsandbytes"][0] is Severity.INFO and "optional integration" in severities["bitsandbytes"][1]
    # The same function in an application: its environment must hold everything it runs.
    write_tree(tmp_path / "app", {"requirements.txt": "torch==2.3.1\nnumpy==1.26.4\n", "train.py": code})
    severities = {f.message.split(" ")[1]: (f.severity, f.message) for f in findings(tmp_path / "app", "DEP004")}
    assert severities["bitsandbytes"][0] is Severity.WARNING


def test_module_imported_only_under_except_import_error_is_an_optional_backend(tmp_path: Path) -> None:
    backends = "try:\n    from ._openai import OpenAIEmbedder\nexcept ModuleNotFoundError:\n    OpenAIEmbedder = None\n"
    files = {
        "requirements.txt": "numpy==1.26.4\n",
        "topics/__init__.py": "",
        "topics/backends/__init__.py": backends,
        "topics/backends/_openai.py": "import numpy\nimport openai\n\n\nclass OpenAIEmbedder:\n    client = openai\n",
    }
    # The same backend also imported at load time elsewhere: installing the package needs openai.
    eager = {**files, "topics/api.py": "from topics.backends._openai import OpenAIEmbedder\n"}
    optional, loaded = _optional_then_loaded(tmp_path, files, eager)
    assert optional.severity is Severity.INFO and "optional backend" in optional.message
    assert loaded.severity is Severity.WARNING


def _optional_then_loaded(tmp_path: Path, optional: dict[str, str], loaded: dict[str, str]) -> tuple[Finding, Finding]:
    """Return the one DEP004 finding of a tree whose module loads only on demand, then of the same tree loading it."""
    write_tree(tmp_path / "optional", optional)
    write_tree(tmp_path / "loaded", loaded)
    [first] = findings(tmp_path / "optional", "DEP004")
    [second] = findings(tmp_path / "loaded", "DEP004")
    return first, second


def test_a_library_module_imported_only_inside_functions_is_an_optional_integration(tmp_path: Path) -> None:
    pyproject = (
        '[project]\nname = "tracker"\nversion = "0.3.0"\ndependencies = ["numpy>=1.24"]\n'
        'classifiers = ["Programming Language :: Python :: 3"]\n'
    )
    observer = (
        "class SqlObserver:\n    def __init__(self, url):\n        self.url = url\n\n"
        "    def started(self, run):\n        from .sql_tables import Run\n\n        return Run(run)\n"
    )
    files = {
        "pyproject.toml": pyproject,
        "tracker/__init__.py": "from .observers import SqlObserver\n",
        "tracker/observers.py": observer,
        "tracker/sql_tables.py": "import sqlalchemy\n\n\nclass Run:\n    engine = sqlalchemy\n",
    }
    # The same tables module also imported when the package loads: installing the library needs sqlalchemy.
    eager = {**files, "tracker/__init__.py": "from .observers import SqlObserver\nfrom .sql_tables import Run\n"}
    optional, loaded = _optional_then_loaded(tmp_path, files, eager)
    assert optional.severity is Severity.INFO
    assert "imports this module only inside the functions using it" in optional.message
    assert loaded.severity is Severity.WARNING


def test_dep004_hosted_notebook_runtime_modules_are_not_dependencies(tmp_path: Path) -> None:
    helpers = (
        "from google.colab import files\nfrom google.cloud.storage import Client\n"
        "import kaggle_secrets\n\n\ndef upload():\n    return files.upload(), Client()\n"
    )
    write_tree(tmp_path, {"requirements.txt": "numpy==1.26.4\n", "notebook_helpers.py": helpers})
    hits = findings(tmp_path, "DEP004")
    assert [h.message.split(" in ")[0] for h in hits] == ["import google.cloud.storage (google-cloud-storage)"]


def test_dep004_from_a_namespace_folder_imports_each_subpackage_distribution(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "google-cloud-storage==2.18.0\n",
        "pkg/__init__.py": "",
        "pkg/store.py": "from google.cloud import bigquery, storage\nfrom google import colab\n",
    }
    write_tree(tmp_path, files)
    assert [h.message.split(" in ")[0] for h in findings(tmp_path, "DEP004")] == [
        "import google.cloud.bigquery (google-cloud-bigquery)"
    ]
    assert findings(tmp_path, "DEP005") == []


def test_dep004_runtime_txt_in_a_requirements_folder_lists_packages(tmp_path: Path) -> None:
    files = {
        "requirements/runtime.txt": "numpy\nopencv-python\n",
        "requirements/tests.txt": "pytest\n",
        "seg/__init__.py": "",
        "seg/img.py": "import cv2\nimport numpy as np\nimport scipy\n",
    }
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "DEP004")
    assert "import scipy (scipy)" in hit.message


def _notebook(*sources: str) -> str:
    cells: list[dict[str, object]] = [
        {"cell_type": "code", "source": s, "outputs": [], "metadata": {}, "execution_count": None} for s in sources
    ]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def test_dep004_a_notebooks_ipython_import_is_provided_by_its_kernel(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "numpy==1.26.4\npandas==2.2.2\n",
        "notebooks/uplift.ipynb": _notebook(
            "import numpy as np\nimport pandas as pd\nfrom IPython.display import Image, display\n",
            "display(pd.DataFrame({'x': np.arange(3)}))\n",
        ),
    }
    write_tree(tmp_path, files)
    assert findings(tmp_path, "DEP004") == []


def test_dep004_a_modules_ipython_import_still_needs_a_declaration(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "numpy==1.26.4\n",
        "uplift/__init__.py": "",
        "uplift/report.py": "from IPython.display import HTML\n\n\ndef show(table):\n    return HTML(table.to_html())\n",
        "notebooks/uplift.ipynb": _notebook("from IPython.display import display\nimport ipywidgets as widgets\n"),
    }
    write_tree(tmp_path, files)
    hits = findings(tmp_path, "DEP004")
    assert sorted((h.path, h.message.split(" in ")[0]) for h in hits) == [
        ("notebooks/uplift.ipynb", "import ipywidgets (ipywidgets)"),
        ("uplift/report.py", "import IPython.display (ipython)"),
    ]


def test_dep004_a_cython_extension_built_from_the_repository_is_local(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "numpy==1.26.4\n",
        "setup.py": "from setuptools import Extension, setup\n\nsetup(ext_modules=[Extension('fast_hamming', ['pkg/search/fast_hamming.pyx'])])\n",
        "pkg/__init__.py": "",
        "pkg/search/__init__.py": "",
        "pkg/search/fast_hamming.pyx": "def distance(a, b):\n    return 0\n",
        "pkg/search/brute.py": "import fast_hamming\nimport fast_cosine\n",
    }
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "DEP004")
    assert hit.message.startswith("import fast_cosine ")


def test_dep004_import_names_of_wavelet_deprecation_and_dispatch_packages_map_to_their_distributions(
    tmp_path: Path,
) -> None:
    files = {
        "requirements.txt": "numpy==1.26.4\nPyWavelets==1.6.0\npyDeprecate==0.3.2\nplum-dispatch==2.5.7\n",
        "pkg/__init__.py": "",
        "pkg/hashing.py": "import pywt\nfrom deprecate import deprecated\nfrom plum import dispatch\nimport pywavelets_extra\n",
    }
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "DEP004")
    assert hit.message.startswith("import pywavelets_extra ")


def test_dep004_an_import_a_declared_variant_build_provides_is_declared(tmp_path: Path) -> None:
    """A build for one CUDA version (`nvidia-dali-cuda120`, `cupy-cuda12x`) provides the module as the plain
    distribution would. Look-alike: an import no declared build provides still fires."""
    reqs = "onnx-weekly==1.19.0.dev20250602\nonnx2torch-py313==1.6.0\nnvidia-dali-cuda120==1.40.0\n"
    reqs += "lightning-bolts==0.7.0\n"
    code = "import onnx\nimport onnx2torch\nimport onnxruntime\nimport nvidia.dali.fn as fn\nimport pl_bolts\n"
    code += "import nvidia.modelopt\n"
    write_tree(tmp_path, {"requirements.txt": reqs, "convert.py": code})
    assert sorted(f.message.split(" ")[1] for f in findings(tmp_path, "DEP004")) == ["nvidia.modelopt", "onnxruntime"]


def test_import_only_in_a_published_librarys_tutorials_is_info(tmp_path: Path) -> None:
    pyproject = (
        '[project]\nname = "voicekit"\nversion = "1.0.0"\ndependencies = ["torch>=2.1"]\n'
        'classifiers = ["Programming Language :: Python :: 3"]\n'
    )
    tutorial = "import torch\nimport matplotlib.pyplot as plt\n\nplt.plot(torch.arange(3))\n"
    files = {"src/voicekit/__init__.py": "import torch\n", "tutorials/plot_waveform.py": tutorial}
    write_tree(tmp_path / "lib", {**files, "pyproject.toml": pyproject})
    [hit] = findings(tmp_path / "lib", "DEP004")
    assert hit.severity is Severity.INFO and "examples or tutorials only" in hit.message
    assert hit.fix is not None and "examples' requirements" in hit.fix
    # The same tutorial in a research repository: its tutorials are what people run.
    write_tree(tmp_path / "research", {**files, "requirements.txt": "torch==2.3.1\n"})
    [hit] = findings(tmp_path / "research", "DEP004")
    assert hit.severity is Severity.WARNING


SETUP_WITH_TEMPLATES = """\
from setuptools import setup

VERSION = "0.4.1"
BACKEND = "onnx"

setup(
    name="trainer",
    version=VERSION,
    install_requires=[
        "numpy>=1.24",
        f"trainer_envs=={VERSION}",
        f"{BACKEND}runtime>=1.16",
    ],
)
"""


def test_dep004_an_f_string_requirement_declares_the_name_written_before_its_placeholder(tmp_path: Path) -> None:
    files = {
        "setup.py": SETUP_WITH_TEMPLATES,
        "trainer/__init__.py": "",
        "trainer/run.py": "import numpy\nimport trainer_envs\nimport onnxruntime\n",
    }
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "DEP004")
    assert hit.message.startswith("import onnxruntime ")
    assert [f.message for f in findings(tmp_path, "DEP002") if "trainer" in f.message] == []


SETUP_WITH_JOINED_TORCH = """\
from setuptools import setup

torch_min = "2.0"
install_requires = ["scipy>=1.6"]
try:
    import torch

    if torch.__version__ < torch_min:
        install_requires = [">=".join(["torch", torch_min])] + install_requires
except ImportError:
    install_requires = [">=".join(["torch", torch_min])] + install_requires

setup(name="gpkit", install_requires=install_requires)
"""


def test_dep004_a_requirement_joined_from_its_name_and_a_version_declares_the_name(tmp_path: Path) -> None:
    files = {
        "setup.py": SETUP_WITH_JOINED_TORCH,
        "gpkit/__init__.py": "",
        "gpkit/kernel.py": "import scipy\nimport torch\nimport sklearn\n",
    }
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "DEP004")
    assert hit.message.startswith("import sklearn ")
    # A join that computes the name itself (`"".join([backend, "runtime"])`) declares nothing it can read.
    computed = SETUP_WITH_JOINED_TORCH.replace('["torch", torch_min]', "[backend, torch_min]").replace(
        'torch_min = "2.0"', 'torch_min = "2.0"\nbackend = "torch"'
    )
    write_tree(tmp_path, {"setup.py": computed})
    assert sorted(h.message.split(" ")[1] for h in findings(tmp_path, "DEP004")) == ["sklearn", "torch"]


SPHINX_CONF = """\
import os
import sys

import sphinx_book_theme

sys.path.insert(0, os.path.abspath("../.."))

project = "trainer"
extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon"]
html_theme = "sphinx_book_theme"
"""


def test_dep004_imports_of_a_sphinx_conf_are_docs_build_info_but_a_conf_module_of_the_code_is_not(
    tmp_path: Path,
) -> None:
    files = {
        "requirements.txt": "numpy==1.26.4\n",
        "trainer/__init__.py": "",
        "trainer/conf.py": "import omegaconf\n\nextensions = ['yaml']\ndefaults = {'lr': 0.1}\n",
        "site/source/conf.py": SPHINX_CONF,
    }
    write_tree(tmp_path, files)
    hits = {f.path: f for f in findings(tmp_path, "DEP004")}
    assert hits["site/source/conf.py"].severity is Severity.INFO
    assert "Sphinx documentation build" in hits["site/source/conf.py"].message
    assert hits["trainer/conf.py"].severity is Severity.WARNING


def test_dep004_the_absolute_fallback_of_a_relative_import_names_the_sibling_module(tmp_path: Path) -> None:
    main = (
        "try:\n"
        "    from .renderer import render\n"
        "    from .meta import version\n"
        "except (ValueError, SystemError):  # run as a script\n"
        "    from renderer import render\n"
        "    from meta import version\n"
    )
    codec = (
        "try:\n    from .fastjson import loads\nexcept (ValueError, SystemError):\n    from simplejson import loads\n"
    )
    files = {
        "requirements.txt": "numpy==1.26.4\n",
        "cards/__init__.py": "",
        "cards/templating/__init__.py": "",
        "cards/templating/main.py": main,
        "cards/templating/renderer.py": "def render(t):\n    return t\n",
        "cards/templating/meta.py": "version = '1.0'\n",
        "cards/templating/codec.py": codec,
        "cards/templating/fastjson.py": "def loads(s):\n    return s\n",
    }
    write_tree(tmp_path, files)
    assert [(h.path, h.line) for h in findings(tmp_path, "DEP004")] == [("cards/templating/codec.py", 4)]


def test_dep004_files_of_a_package_folder_run_as_scripts_import_their_siblings(tmp_path: Path) -> None:
    evaluate = (
        "import argparse\n"
        "import numpy as np\n"
        "import metrics_util\n"
        "from caption_data import CaptionSet\n\n"
        "def main():\n"
        "    parser = argparse.ArgumentParser()\n"
        "    parser.add_argument('--split', default='val')\n"
        "    args = parser.parse_args()\n"
        "    print(metrics_util.cider(CaptionSet(args.split), np.zeros(3)))\n\n"
        "if __name__ == '__main__':\n"
        "    main()\n"
    )
    files = {
        "requirements.txt": "numpy==1.26.4\n",
        "vlm/__init__.py": "",
        "vlm/eval/__init__.py": "",
        "vlm/eval/evaluate.py": evaluate,
        "vlm/eval/metrics_util.py": "def cider(data, scores):\n    return float(scores.sum())\n",
        "vlm/eval/caption_data.py": "import metrics_util\n\nclass CaptionSet:\n    def __init__(self, split):\n        self.split = split\n",
        "vlm/eval/scorers/cider.py": "from metrics_util import cider\nfrom scorers.bleu import bleu\n",
        "vlm/eval/scorers/bleu.py": "def bleu(a, b):\n    return 0.0\n",
    }
    write_tree(tmp_path, files)
    assert findings(tmp_path, "DEP004") == []


def test_dep004_a_library_package_folder_without_scripts_still_reports_a_sibling_named_import(
    tmp_path: Path,
) -> None:
    files = {
        "requirements.txt": "numpy==1.26.4\n",
        "vlm/__init__.py": "",
        "vlm/backends/__init__.py": "",
        "vlm/backends/jax_ops.py": "import flax\n\ndef wrap(m):\n    return flax.linen.jit(m)\n",
        "vlm/backends/flax.py": "from vlm.backends.jax_ops import wrap\n",
        "vlm/backends/torch.py": "import torch\n\ndef wrap(m):\n    return torch.compile(m)\n",
    }
    write_tree(tmp_path, files)
    hits = findings(tmp_path, "DEP004")
    assert [(h.path, h.message.split(" ")[1]) for h in hits] == [
        ("vlm/backends/jax_ops.py", "flax"),
        ("vlm/backends/torch.py", "torch"),
    ]


def test_a_docs_extension_named_after_sphinx_is_the_docs_but_a_library_module_so_named_is_an_integration(
    tmp_path: Path,
) -> None:
    pyproject = (
        '[project]\nname = "voicekit"\nversion = "1.0.0"\ndependencies = ["torch>=2.1"]\n'
        'classifiers = ["Programming Language :: Python :: 3"]\n'
    )
    extension = "import sphinx\nfrom docutils import nodes\n\n\ndef setup(app):\n    return nodes\n"
    files = {
        "pyproject.toml": pyproject,
        "src/voicekit/__init__.py": "import torch\n",
        "src/voicekit/plot_matplotlib.py": "import matplotlib\n",
        "doc/sphinxext/sphinx_issues.py": extension,
    }
    write_tree(tmp_path, files)
    reasons = {f.path: f.message.split(": ", 1)[-1] for f in findings(tmp_path, "DEP004")}
    assert reasons["doc/sphinxext/sphinx_issues.py"].startswith("used by the library's examples or tutorials only")
    assert reasons["src/voicekit/plot_matplotlib.py"] == (
        "optional integration: a library module named after a package it imports, used with that package only"
    )


def test_dep004_a_test_package_imported_with_its_folder_on_sys_path_is_local(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "numpy==1.26.4\n",
        "detkit/__init__.py": "",
        "detkit/integrations/__init__.py": "",
        "detkit/integrations/tensorflow/__init__.py": "",
        "detkit/integrations/tensorflow/keras.py": "",
        "tests/test_models/__init__.py": "",
        "tests/test_models/conftest.py": "def model():\n    return 1\n",
        "tests/test_models/test_heads.py": "import test_models.conftest\nfrom test_models.conftest import model\n",
        "tests/test_models/test_necks.py": "from test_models import conftest\n",
        # Look-alikes: a package's subfolder named like a library is importable only through that package.
        "detkit/train.py": "import tensorflow.keras\n",
        "detkit/datasets/__init__.py": "",
        "tests/test_models/test_data.py": "from datasets import load_dataset\n",
    }
    write_tree(tmp_path, files)
    hits = findings(tmp_path, "DEP004")
    assert [(h.path, h.message.split(" (")[0]) for h in hits] == [
        ("detkit/train.py", "import tensorflow.keras"),
        ("tests/test_models/test_data.py", "import datasets"),
    ]


def test_dep004_a_module_deep_under_a_namespace_package_names_the_distribution_of_its_first_subpackage(
    tmp_path: Path,
) -> None:
    tracing = (
        "from opentelemetry.sdk.trace import TracerProvider\n"
        "from opentelemetry.sdk.trace.export import BatchSpanProcessor\n"
        "from azure.identity.aio import DefaultAzureCredential\n\n\n"
        "def provider(exporter):\n"
        "    return TracerProvider(), BatchSpanProcessor(exporter), DefaultAzureCredential()\n"
    )
    files = {"requirements.txt": "numpy==1.26.4\n", "pkg/__init__.py": "", "pkg/tracing.py": tracing}
    write_tree(tmp_path / "undeclared", files)
    shown = sorted(h.message.split(" in ")[0] for h in findings(tmp_path / "undeclared", "DEP004"))
    assert shown == [
        "import azure.identity.aio (azure-identity)",
        "import opentelemetry.sdk.trace (opentelemetry-sdk)",
    ]
    # Look-alike: the distributions declared under their own names satisfy every import below them.
    declared = {**files, "requirements.txt": "opentelemetry-sdk==1.27.0\nazure-identity==1.17.1\n"}
    write_tree(tmp_path / "declared", declared)
    assert findings(tmp_path / "declared", "DEP004") == []


def test_dep004_import_of_the_running_script_needs_no_declaration(tmp_path: Path) -> None:
    """`import __main__` reads the interpreter's own script module; a look-alike package still fires."""
    program = "import __main__\n\n\ndef program_name():\n    return __main__.__file__\n"
    files = {"requirements.txt": "numpy==1.26.4\n", "src/churn/__init__.py": "", "src/churn/prog.py": program}
    write_tree(tmp_path / "main", files)
    assert findings(tmp_path / "main", "DEP004") == []
    lookalike = program.replace("import __main__", "import __main__\nimport mainpy")
    write_tree(tmp_path / "pkg", {**files, "src/churn/prog.py": lookalike})
    [hit] = findings(tmp_path / "pkg", "DEP004")
    assert "import mainpy" in hit.message


SETUP_WITH_VERSION_TABLE = """\
import re

from setuptools import setup

_deps = ["numpy>=1.24", "torch>=2.1", "scikit-learn>=1.3"]
deps = {b: a for a, b in (re.findall(r"^(([^!=<>~]+)(?:[!=<>~].*)?$)", x)[0] for x in _deps)}

install_requires = ["scipy>=1.10", deps["numpy"], deps["torch"]]

setup(name="depthkit", install_requires=install_requires)
"""


def test_dep004_a_lookup_in_a_computed_version_table_declares_the_name_it_looks_up(tmp_path: Path) -> None:
    files = {
        "setup.py": SETUP_WITH_VERSION_TABLE,
        "depthkit/__init__.py": "",
        "depthkit/net.py": "import numpy\nimport scipy\nimport torch\nimport sklearn\n",
    }
    write_tree(tmp_path, files)
    # scikit-learn is in the table but install_requires never looks it up: only it is undeclared
    [hit] = findings(tmp_path, "DEP004")
    assert hit.message.startswith("import sklearn ")
    # A lookup in a mapping read at build time (`json.load`) names a key, not a requirement.
    loaded = SETUP_WITH_VERSION_TABLE.replace(
        "deps = {b: a for a, b in", 'import json\ndeps = json.load(open("pins.json"))\n_unused = {b: a for a, b in'
    )
    write_tree(tmp_path, {"setup.py": loaded})
    assert sorted(h.message.split(" ")[1] for h in findings(tmp_path, "DEP004")) == ["numpy", "sklearn", "torch"]


def test_dep004_a_helper_looking_names_up_in_the_version_table_declares_them(tmp_path: Path) -> None:
    helper = "def deps_list(*pkgs):\n    return [deps[pkg] for pkg in pkgs]\n\n\n"
    setup = SETUP_WITH_VERSION_TABLE.replace('install_requires = ["scipy>=1.10", deps["numpy"], deps["torch"]]', "")
    setup = setup.replace(
        "setup(", helper + 'install_requires = ["scipy>=1.10"] + deps_list("numpy", "torch")\n\nsetup('
    )
    files = {
        "setup.py": setup,
        "depthkit/__init__.py": "",
        "depthkit/net.py": "import numpy\nimport scipy\nimport torch\nimport sklearn\n",
    }
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "DEP004")
    assert hit.message.startswith("import sklearn ")
    # a helper of another shape (returning its arguments upper-cased, no table lookup) declares nothing
    other = setup.replace("return [deps[pkg] for pkg in pkgs]", "return [pkg.upper() for pkg in pkgs]")
    write_tree(tmp_path, {"setup.py": other})
    assert sorted(h.message.split(" ")[1] for h in findings(tmp_path, "DEP004")) == ["numpy", "sklearn", "torch"]


def test_dep004_requirements_handed_to_setup_as_a_copy_are_declared(tmp_path: Path) -> None:
    # `install_requires=list(install_requires)`: a copy of the list names the same packages
    copied = SETUP_WITH_VERSION_TABLE.replace(
        "install_requires=install_requires", "install_requires=list(install_requires)"
    )
    files = {
        "setup.py": copied,
        "depthkit/__init__.py": "",
        "depthkit/net.py": "import numpy\nimport scipy\nimport torch\nimport sklearn\n",
    }
    write_tree(tmp_path, files)
    assert [h.message.split(" ")[1] for h in findings(tmp_path, "DEP004")] == ["sklearn"]
    # a call that builds something else from the list (its length) declares nothing
    counted = SETUP_WITH_VERSION_TABLE.replace(
        "install_requires=install_requires", "install_requires=['scipy>=1.10', str(len(install_requires))]"
    )
    write_tree(tmp_path, {"setup.py": counted})
    assert sorted(h.message.split(" ")[1] for h in findings(tmp_path, "DEP004")) == ["numpy", "sklearn", "torch"]


def test_dep004_a_requirement_list_rebuilt_from_itself_is_read_without_crashing(tmp_path: Path) -> None:
    # `reqs = list(set(reqs))` rebinds a name from itself: following it must end, and still declare its literals
    setup = (
        "from setuptools import setup\n\n"
        'reqs = ["numpy>=1.24"]\n'
        "if True:\n"
        '    reqs += ["torch>=2.1"]\n'
        "reqs = list(set(reqs))\n"
        "reqs = sorted(reqs)\n\n"
        'setup(name="depthkit", install_requires=reqs)\n'
    )
    files = {
        "setup.py": setup,
        "depthkit/__init__.py": "",
        "depthkit/net.py": "import numpy\nimport torch\nimport sklearn\n",
    }
    write_tree(tmp_path, files)
    assert [h.message.split(" ")[1] for h in findings(tmp_path, "DEP004")] == ["sklearn"]
    # the same list built but not handed to setup() declares nothing
    write_tree(tmp_path, {"setup.py": setup.replace("install_requires=reqs", 'install_requires=["scipy"]')})
    assert sorted(h.message.split(" ")[1] for h in findings(tmp_path, "DEP004")) == ["numpy", "sklearn", "torch"]


SETUP_WITH_REQUIREMENT_STRING = '''from setuptools import setup

requires = """
numpy>=1.24
# scikit-learn>=1.3
torch
"""


def get_requirements():
    found = [line for line in requires.split("\\n") if len(line) > 0]
    return found


setup(name="promptkit", install_requires=get_requirements())
'''


def test_dep004_requirements_written_as_lines_of_a_string_are_declared(tmp_path: Path) -> None:
    """A setup.py helper splitting a string of requirement lines declares each line; a commented-out one is not."""
    files = {
        "setup.py": SETUP_WITH_REQUIREMENT_STRING,
        "promptkit/__init__.py": "",
        "promptkit/net.py": "import numpy\nimport torch\nimport sklearn\n",
    }
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "DEP004")
    assert hit.message.startswith("import sklearn ")
    assert not findings(tmp_path, "DEP001")


def test_dep004_a_helper_splitting_a_file_read_at_build_time_declares_nothing_here(tmp_path: Path) -> None:
    """Look-alike: the helper splits the text of a requirements file (absent here) it opens, not a literal; the
    string setup.py splits into keywords names no requirement."""
    setup = """from setuptools import setup

KEYWORDS = "numpy torch prompts"


def get_requirements():
    with open("requirements/base.txt") as handle:
        return [line for line in handle.read().split("\\n") if line]


setup(name="promptkit", install_requires=get_requirements(), keywords=KEYWORDS.split())
"""
    files = {"setup.py": setup, "promptkit/__init__.py": "", "promptkit/net.py": "import numpy\n"}
    write_tree(tmp_path, files)
    assert findings(tmp_path, "DEP001")


def test_dep004_framework_and_imaging_import_names_map_to_their_distributions(tmp_path: Path) -> None:
    """`import paddle` comes from paddlepaddle, `import haiku` from dm-haiku, `import radiomics` from pyradiomics."""
    reqs = "paddlepaddle-gpu==2.6.1\ndm-haiku==0.0.12\npyradiomics==3.1.0\nantspyx==0.5.4\npynrrd==1.0.0\n"
    code = "import ants\nimport haiku as hk\nimport nrrd\nimport paddle\nimport radiomics\nimport sonnet as snt\n"
    write_tree(tmp_path, {"requirements.txt": reqs, "seg/__init__.py": "", "seg/features.py": code})
    [hit] = findings(tmp_path, "DEP004")
    assert hit.message.startswith("import sonnet (dm-sonnet) ")


def test_a_guarded_sub_package_makes_the_modules_it_loads_optional_whatever_tests_import(tmp_path: Path) -> None:
    """`try: from .keras import explain_keras` in the package makes `xai/keras/` an optional backend: the
    modules its `__init__` loads are optional too, and a test importing one plainly runs with the extras
    installed. A library module importing one on load makes its packages required."""
    files = {
        "requirements.txt": "numpy==1.26.4\n",
        "xai/__init__.py": "try:\n    from .keras import explain_keras\nexcept ImportError:\n    pass\n",
        "xai/keras/__init__.py": "from .explain import explain_keras\n",
        "xai/keras/explain.py": "import numpy\nimport keras\n\n\ndef explain_keras(model):\n    return keras.Model\n",
        "tests/test_keras.py": "from xai.keras.explain import explain_keras\n\n\ndef test_it():\n    assert explain_keras\n",
    }
    write_tree(tmp_path / "guarded", files)
    [hit] = findings(tmp_path / "guarded", "DEP004")
    assert hit.path == "xai/keras/explain.py" and hit.severity is Severity.INFO and "optional backend" in hit.message
    eager = {**files, "xai/api.py": "from xai.keras.explain import explain_keras\n"}
    write_tree(tmp_path / "eager", eager)
    [hit] = findings(tmp_path / "eager", "DEP004")
    assert hit.severity is Severity.WARNING


def test_dep004_names_scikit_learn_contrib_lightning_apart_from_pytorch_lightning(tmp_path: Path) -> None:
    """`lightning.classification` is scikit-learn-contrib's package; `lightning.pytorch` is PyTorch Lightning's."""
    files = {
        "requirements.txt": "numpy==1.26.4\n",
        "churn/__init__.py": "",
        "churn/linear.py": "from lightning.classification import CDClassifier\n",
        "churn/deep.py": "import lightning.pytorch as pl\n",
    }
    write_tree(tmp_path, files)
    hits = {h.path: h.message for h in findings(tmp_path, "DEP004")}
    assert "(sklearn-contrib-lightning)" in hits["churn/linear.py"]
    assert "(lightning)" in hits["churn/deep.py"]


def test_dep004_standard_library_of_other_python_versions_is_not_undeclared(tmp_path: Path) -> None:
    # `compression.zstd` is standard from 3.14, `imp` and `imghdr` were until 3.12 and 3.13: whichever
    # interpreter runs the audit, they are the standard library of the Python the code is written for
    firmware = (
        "import sys\n\n\ndef unpack(path):\n"
        "    if sys.version_info >= (3, 14):\n        from compression.zstd import decompress\n"
        "        return decompress(path.read_bytes())\n"
        "    import imp\n    import imghdr\n    import zstandard\n"
        "    return zstandard.decompress(path.read_bytes()), imp, imghdr\n"
    )
    files = {"requirements.txt": "numpy==1.26.4\n", "src/churn/__init__.py": "", "src/churn/fw.py": firmware}
    write_tree(tmp_path, files)
    assert [hit.message.split(" in ", 1)[0] for hit in findings(tmp_path, "DEP004")] == ["import zstandard (zstandard)"]


def _published(name: str, requirement: str) -> str:
    """Return the pyproject.toml of a library published on PyPI (classifiers) that requires `requirement`."""
    return (
        f'[project]\nname = "{name}"\nversion = "1.0.0"\ndependencies = ["{requirement}"]\n'
        'classifiers = ["Programming Language :: Python :: 3"]\n'
    )


def test_dep004_an_import_only_in_a_published_librarys_benchmarks_is_info(tmp_path: Path) -> None:
    """`benchmarks/read.py` times the library against a rival parser and tables the result with pandas: its
    imports are the benchmarks', not the installed package's. The same import in the package is a warning, as is
    a benchmarks folder of a research repository (its scripts are what people run)."""
    pyproject = _published("midikit", "numpy>=1.24")
    bench = "import time\n\nimport pandas as pd\nimport pretty_midi\n\nimport midikit\n\n\ndef main():\n    t = time.time()\n    pretty_midi.PrettyMIDI('a.mid')\n    pd.DataFrame({'t': [time.time() - t]}).to_csv('read.csv')\n"
    files = {"src/midikit/__init__.py": "import numpy\n", "benchmarks/read.py": bench}
    write_tree(tmp_path / "lib", {**files, "pyproject.toml": pyproject})
    hits = findings(tmp_path / "lib", "DEP004")
    assert [h.severity for h in hits] == [Severity.INFO, Severity.INFO]
    assert all("benchmark scripts only" in h.message for h in hits)
    assert hits[0].fix is not None and "benchmarks' requirements" in hits[0].fix
    package = {"src/midikit/__init__.py": "import numpy\nimport pandas\n", "pyproject.toml": pyproject}
    write_tree(tmp_path / "shipped", package)
    assert [h.severity for h in findings(tmp_path / "shipped", "DEP004")] == [Severity.WARNING]
    write_tree(tmp_path / "research", {**files, "requirements.txt": "numpy==1.26.4\n"})
    assert {h.severity for h in findings(tmp_path / "research", "DEP004")} == {Severity.WARNING}


def test_dep004_import_names_of_django_apps_map_to_their_distributions(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "Django==5.0.6\ndjangorestframework==3.15.1\ndjango-filter==24.2\ndjango-cors-headers==4.4.0\n",
        "backend/__init__.py": "",
        "backend/views.py": (
            "from corsheaders.defaults import default_headers\nfrom django_filters import rest_framework as filters\n"
            "from rest_framework import viewsets\nfrom rest_framework_simplejwt.views import TokenObtainPairView\n"
        ),
    }
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "DEP004")
    assert hit.message.startswith("import rest_framework_simplejwt.views (djangorestframework-simplejwt) ")


def test_dep004_a_tests_guarded_import_of_the_shipped_package_makes_no_optional_backend(tmp_path: Path) -> None:
    """`try: import asrstamp` / `except ImportError: sys.path.append(...)` in a test runs it from a checkout: the
    shipped package's `__init__` and the modules it loads are what `import asrstamp` installs, so their undeclared
    imports are warnings. A sub-package the package imports only under except ImportError stays optional."""
    test = (
        "import sys\n\ntry:\n    import asrstamp\nexcept ImportError:\n    sys.path.append('.')\n    import asrstamp\n\n\n"
        "def test_version():\n    assert asrstamp.__version__\n"
    )
    files = {
        "setup.py": "from setuptools import setup, find_packages\n\nsetup(name='asrstamp', packages=find_packages(), "
        "install_requires=['openai-whisper'])\n",
        "asrstamp/__init__.py": "from .transcribe import align\n\n__version__ = '1.0'\n"
        "try:\n    from .plots import draw\nexcept ImportError:\n    draw = None\n",
        "asrstamp/transcribe.py": "import numpy as np\nimport whisper\n\n\ndef align(x):\n    return np.asarray(x)\n",
        "asrstamp/plots.py": "import matplotlib\n\n\ndef draw(x):\n    return matplotlib\n",
        "tests/test_stamp.py": test,
    }
    write_tree(tmp_path, files)
    severities = {h.message.split()[1]: h.severity for h in findings(tmp_path, "DEP004")}
    assert severities == {"numpy": Severity.WARNING, "matplotlib": Severity.INFO}


def test_dep004_a_private_import_name_is_provided_by_the_distribution_named_without_its_underscore(
    tmp_path: Path,
) -> None:
    # a distribution may install its modules under a leading-underscore name (`_wiring` for `wiring`)
    code = "from _wiring.checks import check_cycles\n\n\ndef build(graph):\n    return check_cycles(graph)\n"
    files = {"src/inject/__init__.py": "", "src/inject/graph.py": code}
    write_tree(tmp_path / "declared", {**files, "requirements.txt": "wiring==2.0.1\n"})
    assert findings(tmp_path / "declared", "DEP004") == []
    assert findings(tmp_path / "declared", "DEP005") == []
    # Look-alike: another distribution declared, the private module stays undeclared and is named without the "_"
    write_tree(tmp_path / "other", {**files, "requirements.txt": "wirings==2.0.1\n"})
    [hit] = findings(tmp_path / "other", "DEP004")
    assert "import _wiring.checks (wiring)" in hit.message


def test_dep004_tensorflow_ecosystem_import_names_map_to_their_distributions(tmp_path: Path) -> None:
    """`import gin` comes from gin-config, `import tree` from dm-tree, `import tensorflow_datasets` from
    tensorflow-datasets or its nightly build tfds-nightly; look-alike: a declared `gin-config` does not cover an
    import of `official` (tf-models-official), which is reported."""
    reqs = "gin-config==0.5.0\ndm-tree==0.1.8\ntfds-nightly==4.9.3.dev202310060044\n"
    code = "import gin\nimport tensorflow_datasets as tfds\nimport tree\nfrom official.nlp import optimization\n"
    write_tree(tmp_path, {"requirements.txt": reqs, "t2t/__init__.py": "", "t2t/data.py": code})
    [hit] = findings(tmp_path, "DEP004")
    assert hit.message.startswith("import official.nlp (tf-models-official) ")
    assert not findings(tmp_path, "DEP005")


def test_dep004_modules_of_a_folder_the_code_puts_on_sys_path_are_local(tmp_path: Path) -> None:
    """`sys.path.append(os.path.dirname(os.path.abspath(__file__)))` in a package's `__init__` makes the modules of
    that folder importable by bare name (`from clap_module import create_model` in a subpackage): local code
    imported through a path hack (LAY014's finding), not an undeclared distribution. Look-alike: a folder nested
    one level deeper is not on the path: `import heads` names no module there and stays undeclared."""
    init = "import os\nimport sys\n\ndir_path = os.path.dirname(os.path.abspath(__file__))\nsys.path.append(dir_path)\n"
    evaluate = "import numpy as np\nfrom clap_module import create_model\nimport training.data\nimport heads\n"
    files = {
        "requirements.txt": "numpy==1.26.4\n",
        "src/clap/__init__.py": init,
        "src/clap/clap_module/__init__.py": "def create_model():\n    return None\n",
        "src/clap/training/__init__.py": "",
        "src/clap/training/data.py": "X = 1\n",
        "src/clap/training/models/heads.py": "Y = 2\n",
        "src/clap/evaluate/__init__.py": "",
        "src/clap/evaluate/linear_probe.py": evaluate,
    }
    write_tree(tmp_path, files)
    assert [(h.path, h.line) for h in findings(tmp_path, "DEP004")] == [("src/clap/evaluate/linear_probe.py", 4)]


def test_dep004_a_script_putting_its_parent_folder_on_sys_path_imports_that_folders_modules(tmp_path: Path) -> None:
    """`sys.path.insert(0, str(Path(__file__).resolve().parents[1]))` in `tools/x/run.py` puts `tools/` on the
    path: `import common` of `tools/common.py` is local. Look-alike: an absolute folder is no part of the
    repository: `import vendorlib` stays undeclared."""
    run = (
        "import sys\nfrom pathlib import Path\n\n"
        "sys.path.insert(0, str(Path(__file__).resolve().parents[1]))\n"
        "sys.path.append('/opt/vendor')\n\n"
        "import common\nimport vendorlib\n"
    )
    files = {
        "requirements.txt": "numpy==1.26.4\n",
        "pkg/__init__.py": "",
        "pkg/core.py": "import numpy\n",
        "tools/common.py": "Z = 3\n",
        "tools/x/run.py": run,
    }
    write_tree(tmp_path, files)
    assert [(h.path, h.line) for h in findings(tmp_path, "DEP004")] == [("tools/x/run.py", 8)]
