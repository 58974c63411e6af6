"""Tests of rule LAY009 (`mlaudit/rules/layout/lay009_notebook_defines_functions.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree
from tests.rules.layout._helpers import notebook


def test_lay009_fires_on_notebook_defining_functions(tmp_path: Path) -> None:
    cells = ["def clean(df):\n    return df\n", "def encode(df):\n    return df\n", "class Net:\n    pass\n"]
    write_tree(tmp_path, {"notebooks/train.ipynb": notebook(*cells)})
    [hit] = findings(tmp_path, "LAY009")
    assert "3 functions/classes (clean, encode, Net)" in hit.message and hit.cell == 1


def test_lay009_counts_a_class_once_not_its_methods(tmp_path: Path) -> None:
    cells = ["class Net:\n    def a(self): ...\n    def b(self): ...\n", "def plot(x):\n    return x\n"]
    write_tree(tmp_path, {"notebooks/train.ipynb": notebook(*cells)})
    assert findings(tmp_path, "LAY009") == []


def test_lay009_tutorial_notebooks_are_an_info_note(tmp_path: Path) -> None:
    cells = ["def get_model():\n    return 1\n", "def get_data():\n    return 2\n", "class Trainer:\n    pass\n"]
    write_tree(
        tmp_path, {"examples/notebooks/cifar10.ipynb": notebook(*cells), "notebooks/explore.ipynb": notebook(*cells)}
    )
    hits = {h.path: h.severity for h in findings(tmp_path, "LAY009")}
    assert hits == {"examples/notebooks/cifar10.ipynb": Severity.INFO, "notebooks/explore.ipynb": Severity.WARNING}


LIBRARY_PYPROJECT = (
    "[project]\nname = 'topicviz'\nversion = '1.0'\ndependencies = ['numpy>=1.24']\n"
    "classifiers = ['Programming Language :: Python :: 3']\n"
)


def test_lay009_a_published_librarys_demo_notebook_is_a_note_but_research_notebooks_are_not(tmp_path: Path) -> None:
    """A library's notebook importing its package demos it; the same helpers in a notebook that imports no package
    of the library, or in a project that publishes nothing, are analysis code that belongs in modules."""
    helpers = ["def tokenize(line):\n    return line.split()\n", "def load_doc(path):\n    return open(path).read()\n"]
    demo = notebook("import topicviz\n", *helpers, "def prep_corpus(docs):\n    return docs\n")
    analysis = notebook("import numpy as np\n", *helpers, "def prep_corpus(docs):\n    return docs\n")
    files = {"pyproject.toml": LIBRARY_PYPROJECT, "topicviz/__init__.py": "", "README.md": "pip install topicviz\n"}
    write_tree(tmp_path / "lib", {**files, "notebooks/newsgroups.ipynb": demo, "notebooks/explore.ipynb": analysis})
    hits = {h.path: h.severity for h in findings(tmp_path / "lib", "LAY009")}
    assert hits == {"notebooks/newsgroups.ipynb": Severity.INFO, "notebooks/explore.ipynb": Severity.WARNING}
    write_tree(tmp_path / "research", {"topicviz/__init__.py": "", "notebooks/newsgroups.ipynb": demo})
    [hit] = findings(tmp_path / "research", "LAY009")
    assert hit.severity == Severity.WARNING
