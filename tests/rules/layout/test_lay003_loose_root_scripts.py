"""Tests of rule LAY003 (`mlaudit/rules/layout/lay003_loose_root_scripts.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, run_audit, write_tree
from tests.rules.layout._helpers import PACKAGE


def test_lay003_fires_on_many_root_scripts(tmp_path: Path) -> None:
    write_tree(tmp_path, {f"{n}.py": "x = 1\n" for n in ("train", "train_v2", "predict", "utils")})
    [hit] = findings(tmp_path, "LAY003")
    assert "4 loose Python scripts" in hit.message and "train_v2.py" in hit.message


def test_lay003_ignores_tooling_files(tmp_path: Path) -> None:
    files = {n: "x = 1\n" for n in ("setup.py", "conftest.py", "noxfile.py", "manage.py", "train.py")}
    write_tree(tmp_path, files)
    assert findings(tmp_path, "LAY003") == []
    assert run_audit(tmp_path, select=("LAY003",)).practice("layout").metrics["loose_root_scripts"] == 1


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
