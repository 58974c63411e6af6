"""Tests of rule LAY006 (`mlaudit/rules/layout/lay006_notebook_outside_notebooks_folder.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.layout._helpers import notebook


def test_lay006_fires_on_root_notebook_only(tmp_path: Path) -> None:
    nb = notebook("import pandas as pd\n")
    write_tree(tmp_path, {"EDA.ipynb": nb, "notebooks/01_eda.ipynb": nb, "docs/tutorial.ipynb": nb})
    assert [f.path for f in findings(tmp_path, "LAY006")] == ["EDA.ipynb"]


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


def test_lay006_accepts_demo_folders_but_not_other_code_folders(tmp_path: Path) -> None:
    nb = notebook("import torch\nmodel = torch.nn.Linear(2, 2)\n")
    files = {
        "demo/inference_with_slicing.ipynb": nb,
        "Demos/batch_prediction.ipynb": nb,
        "tutorial/02_training.ipynb": nb,
        "detector/batch_prediction.ipynb": nb,
    }
    write_tree(tmp_path, files)
    assert [f.path for f in findings(tmp_path, "LAY006")] == ["detector/batch_prediction.ipynb"]
