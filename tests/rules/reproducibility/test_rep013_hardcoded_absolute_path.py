"""Tests of rule REP013 (`mlaudit/rules/reproducibility/rep013_hardcoded_absolute_path.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


def test_rep013_absolute_paths_named_docstrings_ignored(tmp_path: Path) -> None:
    code = '"""Reads /home/alice/data."""\n\nDATA = "/kaggle/input/churn/train.csv"\nOUT = "outputs/model.pt"\n'
    write_tree(tmp_path, {"train.py": code, "tests/test_x.py": "P = '/home/bob/x.csv'\n"})
    [hit] = findings(tmp_path, "REP013")
    assert "/kaggle/input/churn/train.csv" in hit.message and hit.path == "train.py"


def test_rep013_environment_detection_comparison_is_not_a_data_path(tmp_path: Path) -> None:
    code = (
        "import os\n\n\ndef on_kaggle():\n    return os.environ.get('PWD') == '/kaggle/working'\n\n\n"
        "DATA = '/kaggle/input/train.csv'\n"
    )
    write_tree(tmp_path, {"utils.py": code})
    assert [h.line for h in findings(tmp_path, "REP013")] == [8]


def test_rep013_absolute_paths_in_settings_modules_are_checked(tmp_path: Path) -> None:
    fixed = "data_root = '/mnt/nas/alice/cityscapes'\ntrain_loader = dict(batch_size=8, root=data_root)\n"
    relative = "data_root = 'data/cityscapes'\ntrain_loader = dict(batch_size=8, root=data_root)\n"
    write_tree(tmp_path, {"configs/city.py": fixed, "configs/city_rel.py": relative})
    [hit] = findings(tmp_path, "REP013")
    assert hit.path == "configs/city.py" and "/mnt/nas/alice/cityscapes" in hit.message
