"""Tests of rule REP007 (`mlaudit/rules/reproducibility/rep007_scattered_seeding.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


def test_rep007_seeding_copied_in_three_files(tmp_path: Path) -> None:
    block = "import random\nimport numpy as np\n\nrandom.seed(0)\nnp.random.seed(0)\n"
    write_tree(tmp_path, {"a.py": block, "b.py": block, "c.py": block})
    [hit] = findings(tmp_path, "REP007")
    assert "3 files" in hit.message
    write_tree(tmp_path / "two", {"a.py": block, "b.py": block})
    assert findings(tmp_path / "two", "REP007") == []


def test_rep007_standalone_examples_seed_themselves(tmp_path: Path) -> None:
    block = "import random\nimport numpy as np\n\nrandom.seed(0)\nnp.random.seed(0)\n"
    files = {"examples/gan/dcgan.py": block, "examples/mnist/main.py": block, "examples/cifar/main.py": block}
    write_tree(tmp_path, {**files, "train.py": block})
    assert findings(tmp_path, "REP007") == []
    write_tree(tmp_path, {"finetune.py": block, "evaluate.py": block})
    [hit] = findings(tmp_path, "REP007")
    assert hit.message == "Seed calls repeated in 3 files: evaluate.py, finetune.py, train.py"
