"""Tests of rule DEP005 (`mlaudit/rules/dependencies/dep005_declared_never_imported.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree
from tests.rules.dependencies._helpers import CODE, PYPROJECT


def test_dep005_notes_unused_runtime_dependency(tmp_path: Path) -> None:
    files = {"requirements.txt": "numpy==1.26.4\nxgboost==2.0.3\nuvicorn==0.30.1\n", "a.py": "import numpy\n"}
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "DEP005")
    assert hit.message.startswith("xgboost is declared") and hit.severity is Severity.INFO


def test_dep005_silent_for_dev_tools_and_mapped_names(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "m.py": CODE})
    assert findings(tmp_path, "DEP005") == []


def test_hydra_plugin_selected_in_config_counts_as_used(tmp_path: Path) -> None:
    reqs = "hydra-core==1.3.2\nhydra-colorlog==1.2.0\nhydra-optuna-sweeper==1.2.0\n"
    config = "defaults:\n  - model: small\n  - override hydra/job_logging: colorlog\n"
    write_tree(tmp_path, {"requirements.txt": reqs, "configs/config.yaml": config, "train.py": "import hydra\n"})
    assert [f.message.split(" ")[0] for f in findings(tmp_path, "DEP005")] == ["hydra-optuna-sweeper"]


def test_python_dotenv_counts_as_used_by_a_settings_env_file(tmp_path: Path) -> None:
    settings = (
        "from pydantic_settings import BaseSettings, SettingsConfigDict\n\n"
        "class Settings(BaseSettings):\n    model_config = SettingsConfigDict(env_file='.env')\n"
    )
    reqs = "pydantic-settings==2.3.4\npython-dotenv==1.0.1\nrich==13.7.1\n"
    write_tree(tmp_path, {"requirements.txt": reqs, "app/__init__.py": "", "app/settings.py": settings})
    assert [f.message.split(" ")[0] for f in findings(tmp_path, "DEP005")] == ["rich"]


def test_dep005_a_package_imported_by_a_settings_module_is_used(tmp_path: Path) -> None:
    lazy = "from detlab.config import LazyCall as L\nfrom detlab.modeling import Detector\n\nmodel = L(Detector)(depth=50)\n"
    files = {"requirements.txt": "numpy==1.26.4\ndetlab==0.6.0\nxgboost==2.0.3\n", "a.py": "import numpy\n"}
    write_tree(tmp_path, {**files, "configs/retinanet.py": lazy})
    [hit] = findings(tmp_path, "DEP005")
    assert hit.message.startswith("xgboost is declared")


def test_dep005_a_package_naming_itself_in_its_extras_gathers_them_and_needs_nothing_new(tmp_path: Path) -> None:
    pyproject = (
        '[project]\nname = "Vision-Kit"\nversion = "1.0"\ndependencies = ["numpy>=1.24"]\n\n'
        "[project.optional-dependencies]\n"
        'video = ["av>=10"]\nplots = ["matplotlib>=3.7"]\nall = ["vision_kit[video,plots]"]\n\n'
        '[dependency-groups]\ndev = ["vision-kit[plots]", "pytest>=8"]\n'
    )
    code = "import av\nimport matplotlib\nimport numpy as np\n"
    write_tree(tmp_path, {"pyproject.toml": pyproject, "vision_kit/__init__.py": "", "vision_kit/io.py": code})
    assert findings(tmp_path, "DEP005") == []
    # Look-alike: another distribution named in the extras and never imported is reported
    write_tree(tmp_path, {"pyproject.toml": pyproject.replace('"vision_kit[video,plots]"', '"vision-tools[video]"')})
    assert [f.message.split(" ")[0] for f in findings(tmp_path, "DEP005")] == ["vision-tools"]


SERVICE_REQS = "fastapi==0.111.0\njoblib==1.4.2\nscikit-learn==1.5.0\nlightgbm==4.3.0\nrich==13.7.1\n"


def test_dep005_model_libraries_a_loaded_pickle_needs_count_as_used(tmp_path: Path) -> None:
    app = (
        "from fastapi import FastAPI\nfrom joblib import load\n\n"
        "app = FastAPI()\nmodel = load('models/churn.joblib')\n\n\n"
        "@app.post('/predict')\ndef predict(x: list[float]) -> float:\n    return float(model.predict([x])[0])\n"
    )
    write_tree(tmp_path, {"requirements.txt": SERVICE_REQS, "app.py": app})
    assert [f.message.split(" ")[0] for f in findings(tmp_path, "DEP005")] == ["rich"]


def test_dep005_joblib_used_only_for_parallel_loads_no_pickle(tmp_path: Path) -> None:
    job = (
        "import joblib\nimport pickle\n\n\n"
        "def run(items: list[int]) -> list[int]:\n"
        "    out = joblib.Parallel(n_jobs=2)(joblib.delayed(abs)(i) for i in items)\n"
        "    pickle.dumps(out)  # joblib.load( is not called here\n    return out\n"
    )
    write_tree(tmp_path, {"requirements.txt": SERVICE_REQS, "job.py": job})
    names = sorted(f.message.split(" ")[0] for f in findings(tmp_path, "DEP005"))
    assert names == ["fastapi", "lightgbm", "rich", "scikit-learn"]


def test_dep005_ignores_the_requirements_of_a_project_template(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "cookiecutter==2.6.0\n",
        "hooks/post_gen_project.py": "import cookiecutter\n",
        "{{cookiecutter.project_slug}}/requirements.txt": "torch==2.3.1\n",
    }
    write_tree(tmp_path, files)
    assert findings(tmp_path, "DEP005") == []
    write_tree(tmp_path, {"service/requirements.txt": "torch==2.3.1\n"})
    assert [f.path for f in findings(tmp_path, "DEP005")] == ["service/requirements.txt"]


NAMESPACE_PYPROJECT = """[project]
name = "voxkit-audio"
version = "1.0.0"
dependencies = ["voxkit-core>=2.0", "voxkit-metrics>=1.0", "torch>=2.2"]

[tool.hatch.build.targets.wheel]
packages = ["src/voxkit"]
"""


def test_dep005_imports_of_a_sibling_namespace_distribution_count_as_used(tmp_path: Path) -> None:
    segment = "import torch\nfrom voxkit.core import Segment\nfrom voxkit.audio.io import read\n"
    files = {
        "pyproject.toml": NAMESPACE_PYPROJECT,
        "src/voxkit/audio/__init__.py": "",
        "src/voxkit/audio/io.py": "def read(path):\n    return path\n",
        "src/voxkit/audio/segment.py": segment,
    }
    write_tree(tmp_path, files)
    assert [f.message.split(" ")[0] for f in findings(tmp_path, "DEP005")] == ["voxkit-metrics"]


def test_dep005_silent_for_the_protobuf_compiler_but_not_the_grpc_runtime(tmp_path: Path) -> None:
    files = {"requirements_grpc.txt": "grpcio==1.64.1\ngrpcio-tools==1.64.1\n", "serve.py": "import numpy\n"}
    write_tree(tmp_path, files)
    assert [f.message.split(" ")[0] for f in findings(tmp_path, "DEP005")] == ["grpcio"]


def test_dep005_a_variant_build_of_an_imported_package_is_used(tmp_path: Path) -> None:
    reqs = "onnx-weekly==1.19.0.dev20250602\nonnxruntime-directml==1.20.1\ndiffq-fixed==0.2.4\nonnx-tools==0.1.0\n"
    code = "import onnx\nimport onnxruntime\nfrom diffq import DiffQuantizer\n"
    write_tree(tmp_path, {"requirements.txt": reqs, "separate.py": code})
    assert [f.message.split(" ")[0] for f in findings(tmp_path, "DEP005")] == ["onnx-tools"]


def test_dep005_a_backend_or_driver_named_by_a_string_is_used(tmp_path: Path) -> None:
    reqs = "pandas==2.2.0\nsqlalchemy==2.0.25\npymysql==1.1.0\nxlsxwriter==3.1.9\nnumba==0.59.0\nrequests==2.31.0\n"
    code = (
        "import pandas as pd\nfrom sqlalchemy import create_engine\n\n\n"
        "def export(df: pd.DataFrame, path: str) -> None:\n"
        "    df.to_sql('sales', create_engine('mysql+pymysql://reader@db.example.org/sales'))\n"
        "    df.to_excel(path, engine='xlsxwriter')\n"
        "    df.rolling(3).mean(engine='numba')\n"
        "    if df.attrs.get('source') == 'requests':\n"
        "        df.attrs['requests'] = 0\n"
    )
    write_tree(tmp_path, {"requirements.txt": reqs, "app/__init__.py": "", "app/report.py": code})
    assert [f.message.split(" ")[0] for f in findings(tmp_path, "DEP005")] == ["requests"]


def test_dep005_a_module_named_to_a_lazy_import_helper_is_used_but_one_only_mentioned_is_not(tmp_path: Path) -> None:
    helpers = (
        "import importlib\n\n\n"
        "def lazy_import(name):\n    return importlib.import_module(name)\n\n\n"
        "def load_audio(path):\n    wavfile = lazy_import('scipy.io.wavfile')\n    return wavfile.read(path)\n\n\n"
        "def load_cube(path):\n    xr = importlib.import_module('xarray')\n    return xr.open_dataset(path)\n\n\n"
        "def read_points(path):\n    raise ImportError('pip install laspy to read ' + path)\n"
    )
    reqs = "numpy==1.26.4\nscipy==1.13.0\nxarray==2024.3.0\nlaspy==2.5.3\n"
    write_tree(tmp_path, {"requirements.txt": reqs, "geo/__init__.py": "import numpy\n", "geo/io.py": helpers})
    assert [f.message.split(" ")[0] for f in findings(tmp_path, "DEP005")] == ["laspy"]


def test_dep005_silent_for_backends_a_library_loads_by_itself(tmp_path: Path) -> None:
    code = (
        "import xarray as xr\nfrom lightning.pytorch.cli import LightningCLI\n\n\n"
        "def main():\n    LightningCLI()\n\n\ndef read(path):\n    return xr.open_dataset(path)\n"
    )
    reqs = "xarray==2024.3.0\nlightning==2.2.0\nnetcdf4==1.6.5\njsonargparse==4.27.0\nh5netcdf==1.3.0\nzarr==2.17.0\n"
    write_tree(tmp_path, {"requirements.txt": reqs, "geo/__init__.py": "", "geo/main.py": code})
    assert [f.message.split(" ")[0] for f in findings(tmp_path, "DEP005")] == ["zarr"]


def test_dep005_formatters_and_tensorboards_nightly_build_are_used_without_an_import(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "numpy\ntorch\ntb-nightly\nyapf\nautopep8\nfuture\n",
        "a.py": "import numpy\nfrom torch.utils.tensorboard import SummaryWriter\n",
    }
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "DEP005")  # `future` is a runtime library nothing imports
    assert hit.message.startswith("future is declared")
