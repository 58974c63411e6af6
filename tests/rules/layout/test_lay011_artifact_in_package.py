"""Tests of rule LAY011 (`mlaudit/rules/layout/lay011_artifact_in_package.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree
from tests.rules.layout._helpers import PACKAGE


def test_lay011_fires_on_model_in_package(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        **PACKAGE,
        "src/churn/model.pt": b"\x80" * 50_000,
        "src/churn/labels.json": '{"a": 1}',
    }
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "LAY011")
    assert hit.path == "src/churn/model.pt" and "50 KB" in hit.message


def test_lay011_a_root_test_package_is_not_shipped_but_a_tests_package_inside_the_package_is(tmp_path: Path) -> None:
    scores = "image,score\n" + "face_0001.png,0.731\n" * 8_000
    files: dict[str, str | bytes] = {
        **PACKAGE,
        "tests/__init__.py": "",
        "tests/face_scores.csv": scores,
        "src/churn/tests/__init__.py": "",
        "src/churn/tests/reference_scores.csv": scores,
    }
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "LAY011")
    assert hit.path == "src/churn/tests/reference_scores.csv"


def test_lay011_silent_on_small_package_data(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PACKAGE, "src/churn/data/vocab.csv": "a,b\n" * 100, "models/model.pt": b"\x80" * 50_000})
    assert findings(tmp_path, "LAY011") == []


def test_lay011_silent_on_weights_the_package_loads_by_a_built_path(tmp_path: Path) -> None:
    loader = (
        "import os\n\nimport torch\n\n\n"
        "def load_head(net: str) -> dict:\n"
        '    return torch.load(os.path.join(os.path.dirname(__file__), f"heads/{net}.pth"))\n'
    )
    files: dict[str, str | bytes] = {
        **PACKAGE,
        "src/churn/perceptual.py": loader,
        "src/churn/heads/alex.pth": b"\x80" * 50_000,
        "src/churn/checkpoints/best.pth": b"\x80" * 50_000,
    }
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "LAY011")
    assert hit.path == "src/churn/checkpoints/best.pth"


def test_lay011_silent_on_a_file_the_package_names_at_the_end_of_a_path(tmp_path: Path) -> None:
    loader = 'from importlib import resources\n\nHEAD = resources.files("churn") / "pretrained/alex.pth"\n'
    files: dict[str, str | bytes] = {
        **PACKAGE,
        "src/churn/heads.py": loader,
        "src/churn/weights/alex.pth": b"\x80" * 50_000,  # named by the string's last part: shipped on purpose
        "src/churn/weights/alex_v2.pth": b"\x80" * 50_000,  # no string ends with its name
    }
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "LAY011")
    assert hit.path == "src/churn/weights/alex_v2.pth"


def test_lay011_a_saved_model_in_a_tests_package_is_a_fixture_but_one_in_the_package_is_not(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        **PACKAGE,
        "tests/__init__.py": "",
        "tests/model/__init__.py": "",
        "tests/model/saved_model/model.pt": b"\x80" * 50_000,
        "src/churn/saved_model/model.pt": b"\x80" * 50_000,
    }
    write_tree(tmp_path, files)
    assert [hit.path for hit in findings(tmp_path, "LAY011")] == ["src/churn/saved_model/model.pt"]


def test_lay011_data_declared_as_package_data_is_a_note_but_undeclared_data_and_models_are_not(tmp_path: Path) -> None:
    """setup.py ships `churn/data/*.json` on purpose (a code table the package reads); the CSV beside it is
    not declared, and a declared model file is still weights in a wheel."""
    setup = (
        "from setuptools import find_packages, setup\n\n"
        "setup(\n    name='churn',\n    packages=find_packages('src'),\n    package_dir={'': 'src'},\n"
        "    package_data={'churn.data': ['*.json', '*.pt']},\n)\n"
    )
    codes = '{"aa": "Afar", ' + ", ".join(f'"c{i:05d}": "Language {i}"' for i in range(6_000)) + "}"
    files: dict[str, str | bytes] = {
        **PACKAGE,
        "setup.py": setup,
        "src/churn/data/__init__.py": "",
        "src/churn/data/languages.json": codes,
        "src/churn/data/sample.csv": "a,b\n" + "1,2\n" * 30_000,
        "src/churn/data/encoder.pt": b"\x80" * 50_000,
    }
    write_tree(tmp_path, files)
    hits = {h.path: h.severity for h in findings(tmp_path, "LAY011")}
    assert hits == {
        "src/churn/data/languages.json": Severity.INFO,
        "src/churn/data/sample.csv": Severity.WARNING,
        "src/churn/data/encoder.pt": Severity.WARNING,
    }


def test_lay011_a_small_pretrained_model_the_package_loads_by_name_is_a_note(tmp_path: Path) -> None:
    loader = (
        "from importlib import resources\n\n\n"
        "def model_path(name: str = 'vad.onnx') -> str:\n"
        '    return str(resources.files("churn.data").joinpath(name))\n'
    )
    files: dict[str, str | bytes] = {
        **PACKAGE,
        "src/churn/vad.py": loader,
        "src/churn/data/__init__.py": "",
        "src/churn/labels.py": 'FOLDER = "data"\n',  # names the folder, not the files in it
        "src/churn/data/vad.onnx": b"\x80" * 2_300_000,  # loaded by name: shipped so the package works offline
        "src/churn/data/vad_half.onnx": b"\x80" * 1_300_000,  # no code names it
        "src/churn/data/checkpoint.pt": b"\x80" * 26_000_000,  # named, but too heavy to ship in every install
    }
    write_tree(tmp_path, {**files, "src/churn/train.py": "CKPT = 'checkpoint.pt'\n"})
    hits = {hit.path: hit.severity for hit in findings(tmp_path, "LAY011")}
    assert hits == {
        "src/churn/data/vad.onnx": Severity.INFO,
        "src/churn/data/vad_half.onnx": Severity.WARNING,
        "src/churn/data/checkpoint.pt": Severity.WARNING,
    }
