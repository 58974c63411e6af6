"""Tests of rule LAY007 (`mlaudit/rules/layout/lay007_notebook_inside_package.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree
from tests.rules.layout._helpers import PACKAGE, notebook


def test_lay007_fires_on_notebook_in_package(tmp_path: Path) -> None:
    nb = notebook("x = 1\n")
    write_tree(tmp_path, {**PACKAGE, "src/churn/explore.ipynb": nb, "notebooks/ok.ipynb": nb})
    [hit] = findings(tmp_path, "LAY007")
    assert hit.path == "src/churn/explore.ipynb"
    assert findings(tmp_path, "LAY006") == []


def test_lay007_a_notebook_a_test_reads_as_input_is_test_data(tmp_path: Path) -> None:
    """`src/churn/tests/data/report.ipynb` is what a notebook-handling test opens; a notebook beside code still fires."""
    nb = notebook("import numpy as np\nscores = np.arange(5)\n")
    files = {
        **PACKAGE,
        "src/churn/tests/__init__.py": "",
        "src/churn/tests/data/report.ipynb": nb,
        "src/churn/analysis/explore.ipynb": nb,
    }
    write_tree(tmp_path, files)
    assert [h.path for h in findings(tmp_path, "LAY007")] == ["src/churn/analysis/explore.ipynb"]


LESSONS_PYPROJECT = (
    "[build-system]\nrequires = ['setuptools>=61']\nbuild-backend = 'setuptools.build_meta'\n\n"
    "[project]\nname = 'mllessons'\nversion = '0.4.0'\ndependencies = ['numpy>=1.24']\n\n"
    "[project.scripts]\nmllessons-install = 'mllessons.installer:main'\n\n"
    "[tool.setuptools]\npackages = ['mllessons']\n\n"
    '[tool.setuptools.package-data]\n"mllessons" = ["*.ipynb"]\n'
)
INSTALLER = (
    "import shutil\nfrom importlib import resources\n\n\n"
    "def main():\n    for nb in resources.files('mllessons').glob('*.ipynb'):\n        shutil.copy(nb, '.')\n"
)


def test_lay007_a_notebook_declared_as_package_data_is_shipped_on_purpose(tmp_path: Path) -> None:
    """A lessons package declares its notebooks as package data and installs them: they are its content."""
    nb = notebook("import numpy as np\nx = np.linspace(0, 1, 5)\n")
    files = {
        "pyproject.toml": LESSONS_PYPROJECT,
        "mllessons/__init__.py": "",
        "mllessons/installer.py": INSTALLER,
        "mllessons/kmeans.ipynb": nb,
    }
    write_tree(tmp_path, files)
    assert [(h.path, h.severity) for h in findings(tmp_path, "LAY007")] == [("mllessons/kmeans.ipynb", Severity.INFO)]


def test_lay007_a_notebook_beside_the_modules_without_a_package_data_declaration_still_fires(tmp_path: Path) -> None:
    """Look-alike: the same package whose metadata declares only its JSON files: the notebook is a stray."""
    nb = notebook("import numpy as np\nx = np.linspace(0, 1, 5)\n")
    files = {
        "pyproject.toml": LESSONS_PYPROJECT.replace('["*.ipynb"]', '["*.json"]'),
        "mllessons/__init__.py": "",
        "mllessons/installer.py": INSTALLER,
        "mllessons/kmeans.ipynb": nb,
    }
    write_tree(tmp_path, files)
    assert [(h.path, h.severity) for h in findings(tmp_path, "LAY007")] == [
        ("mllessons/kmeans.ipynb", Severity.WARNING)
    ]
