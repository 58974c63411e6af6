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


DEVICE_BACKEND = """\
import torch


class {name}Accelerator:
    def manual_seed(self, seed):
        return torch.{device}.manual_seed(seed)

    def manual_seed_all(self, seed):
        return torch.{device}.manual_seed_all(seed)

    def initial_seed(self):
        return torch.initial_seed()
"""


def test_rep007_device_backends_forwarding_one_seed_call_per_method_are_no_seeding_block(tmp_path: Path) -> None:
    """Each backend's methods wrap its device's seed API, one call a method: nothing is copied between runs."""
    # ROCm and a CUDA-graph backend drive their devices through torch.cuda's API too
    files = {
        f"accel/{name.lower()}_accelerator.py": DEVICE_BACKEND.format(name=name, device="cuda")
        for name in ("Cuda", "Rocm", "CudaGraph")
    }
    write_tree(tmp_path, {"accel/__init__.py": "", **files})
    assert findings(tmp_path, "REP007") == []


def test_rep007_a_seeding_method_copied_into_three_trainers_is_scattered(tmp_path: Path) -> None:
    """Look-alike: a method seeding two sources at once, copied into three trainer classes, is the copied block."""
    trainer = (
        "import random\n\nimport torch\n\n\nclass {name}Trainer:\n    def seed(self, seed):\n"
        "        random.seed(seed)\n        torch.manual_seed(seed)\n"
    )
    files = {f"train/{n.lower()}.py": trainer.format(name=n) for n in ("Gan", "Vae", "Flow")}
    write_tree(tmp_path, {"train/__init__.py": "", **files})
    [hit] = findings(tmp_path, "REP007")
    assert "3 files" in hit.message
