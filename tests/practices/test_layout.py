"""Tests for the layout practice rules."""

from __future__ import annotations

import json
from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, git_init, run_audit, run_audit_rules_only, write_tree


def test_lay001_fires_without_any_packaging(tmp_path: Path) -> None:
    write_tree(tmp_path, {"train.py": "x = 1\n"})
    [hit] = findings(tmp_path, "LAY001")
    assert hit.severity is Severity.ERROR and hit.path is None


def test_lay001_warns_on_setup_py_only(tmp_path: Path) -> None:
    write_tree(tmp_path, {"setup.py": "from setuptools import setup\nsetup()\n"})
    [hit] = findings(tmp_path, "LAY001")
    assert hit.severity is Severity.WARNING and hit.path == "setup.py"


def test_lay001_silent_with_pyproject(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\n", "setup.py": "import setuptools\n"})
    assert findings(tmp_path, "LAY001") == []


def notebook(*cells: str, outputs: str = "") -> str:
    """Return a minimal nbformat-4 notebook whose code cells hold `cells`."""
    out = [{"output_type": "stream", "name": "stdout", "text": outputs}] if outputs else []
    body = [{"cell_type": "code", "source": src, "outputs": out, "metadata": {}} for src in cells]
    return json.dumps({"cells": body, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


PACKAGE = {
    "pyproject.toml": "[project]\nname = 'churn'\n",
    "README.md": "# churn\n",
    "src/churn/__init__.py": "",
    "src/churn/train.py": "def fit() -> None:\n    pass\n",
    "tests/test_train.py": "def test_fit() -> None:\n    assert True\n",
}


def test_lay002_fires_on_loose_modules(tmp_path: Path) -> None:
    write_tree(tmp_path, {"train.py": "x = 1\n", "utils.py": "y = 2\n", "tests/__init__.py": ""})
    [hit] = findings(tmp_path, "LAY002")
    assert "2 Python modules" in hit.message


def test_lay002_silent_with_src_or_flat_package(tmp_path: Path) -> None:
    write_tree(tmp_path / "a", PACKAGE)
    write_tree(tmp_path / "b", {"recsys/__init__.py": "", "recsys/data.py": "x = 1\n"})
    assert findings(tmp_path / "a", "LAY002") == []
    assert findings(tmp_path / "b", "LAY002") == []


def test_lay003_fires_on_many_root_scripts(tmp_path: Path) -> None:
    write_tree(tmp_path, {f"{n}.py": "x = 1\n" for n in ("train", "train_v2", "predict", "utils")})
    [hit] = findings(tmp_path, "LAY003")
    assert "4 loose Python scripts" in hit.message and "train_v2.py" in hit.message


def test_lay003_ignores_tooling_files(tmp_path: Path) -> None:
    files = {n: "x = 1\n" for n in ("setup.py", "conftest.py", "noxfile.py", "manage.py", "train.py")}
    write_tree(tmp_path, files)
    assert findings(tmp_path, "LAY003") == []
    assert run_audit(tmp_path, select=("LAY003",)).practice("layout").metrics["loose_root_scripts"] == 1


def test_lay004_fires_on_bare_repo(tmp_path: Path) -> None:
    write_tree(tmp_path, {"churn/__init__.py": "", "churn/test_helpers.py": "x = 1\n"})
    assert len(findings(tmp_path, "LAY004")) == 1


def test_lay004_silent_on_package_layout(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PACKAGE, "README.md": "", "readme.rst": ""})
    assert findings(tmp_path, "LAY004") == []


def test_lay005_fires_on_bare_repo_whose_only_test_like_file_is_a_helper(tmp_path: Path) -> None:
    write_tree(tmp_path, {"churn/__init__.py": "", "churn/test_helpers.py": "x = 1\n"})
    assert len(findings(tmp_path, "LAY005")) == 1


def test_lay005_silent_on_package_layout(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PACKAGE, "README.md": "", "readme.rst": ""})
    assert findings(tmp_path, "LAY005") == []


def test_lay006_fires_on_root_notebook_only(tmp_path: Path) -> None:
    nb = notebook("import pandas as pd\n")
    write_tree(tmp_path, {"EDA.ipynb": nb, "notebooks/01_eda.ipynb": nb, "docs/tutorial.ipynb": nb})
    assert [f.path for f in findings(tmp_path, "LAY006")] == ["EDA.ipynb"]


def test_lay007_fires_on_notebook_in_package(tmp_path: Path) -> None:
    nb = notebook("x = 1\n")
    write_tree(tmp_path, {**PACKAGE, "src/churn/explore.ipynb": nb, "notebooks/ok.ipynb": nb})
    [hit] = findings(tmp_path, "LAY007")
    assert hit.path == "src/churn/explore.ipynb"
    assert findings(tmp_path, "LAY006") == []


def test_lay008_costs_points_when_code_lives_in_notebooks(tmp_path: Path) -> None:
    cells = [f"a{i} = {i}\nb{i} = a{i} * 2\n" for i in range(40)]
    write_tree(tmp_path, {**PACKAGE, "notebooks/train.ipynb": notebook(*cells)})
    layout = run_audit_rules_only(tmp_path, select=("LAY008",)).practice("layout")
    assert layout.metrics["notebook_code_lines"] == 80
    assert [d.rule for d in layout.deductions] == ["LAY008"]


def test_lay008_free_when_notebooks_are_thin(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PACKAGE, "notebooks/plot.ipynb": notebook("from churn.train import fit\nfit()\n")})
    layout = run_audit(tmp_path, select=("LAY008",)).practice("layout")
    assert layout.deductions == () and layout.metrics["module_code_lines"] == 2


def test_lay009_fires_on_notebook_defining_functions(tmp_path: Path) -> None:
    cells = ["def clean(df):\n    return df\n", "def encode(df):\n    return df\n", "class Net:\n    pass\n"]
    write_tree(tmp_path, {"notebooks/train.ipynb": notebook(*cells)})
    [hit] = findings(tmp_path, "LAY009")
    assert "3 functions/classes (clean, encode, Net)" in hit.message and hit.cell == 1


def test_lay009_counts_a_class_once_not_its_methods(tmp_path: Path) -> None:
    cells = ["class Net:\n    def a(self): ...\n    def b(self): ...\n", "def plot(x):\n    return x\n"]
    write_tree(tmp_path, {"notebooks/train.ipynb": notebook(*cells)})
    assert findings(tmp_path, "LAY009") == []


def test_lay010_fires_on_large_outputs(tmp_path: Path) -> None:
    write_tree(tmp_path, {"notebooks/eda.ipynb": notebook("print(df)\n", outputs="row,value\n" * 60_000)})
    [hit] = findings(tmp_path, "LAY010")
    assert "KB of committed outputs" in hit.message


def test_lay010_silent_on_small_outputs_and_long_code(tmp_path: Path) -> None:
    code = "".join(f"value_{i} = compute('{'x' * 60}', {i})\n" for i in range(3000))
    write_tree(tmp_path, {"notebooks/eda.ipynb": notebook(code, outputs="ok\n" * 100)})
    assert findings(tmp_path, "LAY010") == []


def test_lay011_fires_on_model_in_package(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        **PACKAGE,
        "src/churn/model.pt": b"\x80" * 50_000,
        "src/churn/labels.json": '{"a": 1}',
    }
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "LAY011")
    assert hit.path == "src/churn/model.pt" and "50 KB" in hit.message


def test_lay011_silent_on_small_package_data(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PACKAGE, "src/churn/data/vocab.csv": "a,b\n" * 100, "models/model.pt": b"\x80" * 50_000})
    assert findings(tmp_path, "LAY011") == []


def test_lay012_fires_on_committed_model(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PACKAGE, "model.pkl": b"\x80\x04" * 200, "tests/fixtures/tiny.csv": "a\n1\n"})
    git_init(tmp_path)
    [hit] = findings(tmp_path, "LAY012")
    assert hit.path == "model.pkl" and "committed to git" in hit.message


def test_lay012_silent_with_lfs_or_dvc(tmp_path: Path) -> None:
    big = "x,y\n" * 40_000
    files: dict[str, str | bytes] = {
        **PACKAGE,
        ".gitattributes": "*.pt filter=lfs diff=lfs merge=lfs -text\n",
        "models/best.pt": b"\x80" * 5000,
        "data/train.csv": big,
        "data.dvc": "outs:\n- path: data\n",
    }
    write_tree(tmp_path, files)
    git_init(tmp_path)
    assert findings(tmp_path, "LAY012") == []


def test_lay012_not_checked_outside_git(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PACKAGE, "model.onnx": b"\x00" * 100})
    report = run_audit(tmp_path, select=("LAY012",))
    assert [n.reason for n in report.not_checked] == ["not a git repository"]


# Reading intent: notebook folders, teaching notebooks, headless and served packages, small data


def test_lay006_accepts_notebook_folders_and_teaching_notebooks(tmp_path: Path) -> None:
    nb = notebook("import pandas as pd\n")
    files = {
        "week_1/exploration_notebooks/eda.ipynb": nb,
        "detection/tutorial.ipynb": nb,
        "Quickstart_Colab.ipynb": nb,
        "detection/final_blend_v3.ipynb": nb,
    }
    write_tree(tmp_path, files)
    assert [f.path for f in findings(tmp_path, "LAY006")] == ["detection/final_blend_v3.ipynb"]


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


def test_small_package_data_and_published_tables_are_not_artifacts(tmp_path: Path) -> None:
    reader = "import os, pkgutil\n\ndef labels():\n    return pkgutil.get_data(__name__, os.path.join('_meta', 'label_map.json'))\n"
    table = "model,top1\n" + "resnet,76.1\n" * 12_000
    files: dict[str, str | bytes] = {
        **PACKAGE,
        "src/churn/labels.py": reader,
        "src/churn/_meta/label_map.json": '{"0": "cat"}' + " " * 150_000,
        "benchmarks/README.md": "Top-1 accuracy per model: [`accuracy-val.csv`](accuracy-val.csv)\n",
        "benchmarks/accuracy-val.csv": table,
        "outputs/oof_predictions_fold3.csv": table,
    }
    write_tree(tmp_path, files)
    git_init(tmp_path)
    assert findings(tmp_path, "LAY011") == []
    assert [f.path for f in findings(tmp_path, "LAY012")] == ["outputs/oof_predictions_fold3.csv"]


def test_lay003_documented_cli_tools_of_a_package_are_info(tmp_path: Path) -> None:
    tool = "import argparse\nfrom churn.train import fit\n\nif __name__ == '__main__':\n    fit()\n"
    scripts = {name: tool for name in ("train.py", "evaluate.py", "export_onnx.py", "benchmark.py")}
    readme = "# churn\n\nTrain with `python train.py --config c.yaml`, then `python evaluate.py` and `python export_onnx.py`.\n"
    write_tree(tmp_path, {**PACKAGE, **scripts, "README.md": readme})
    [hit] = findings(tmp_path, "LAY003")
    assert hit.severity is Severity.INFO and "documented command-line tools" in hit.message
    write_tree(tmp_path, {"README.md": "# churn\n"})
    [hit] = findings(tmp_path, "LAY003")
    assert hit.severity is Severity.WARNING and "loose Python scripts" in hit.message
