"""Tests of rule REP002 (`mlaudit/rules/reproducibility/rep002_partial_seed_helper.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.reproducibility._helpers import DATA

SEED_HELPER = """import numpy as np
import torch


def set_seed(seed: int) -> None:
    np.random.seed(seed)
    torch.manual_seed(seed)
"""


def test_rep002_names_helper_and_missing_source(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/utils.py": SEED_HELPER,
            "pkg/data.py": DATA,
            "pkg/train.py": "from pkg.data import sample_negatives\nfrom pkg.utils import set_seed\n\n\n"
            "def main():\n    set_seed(1)\n    model.fit(sample_negatives([1]))\n\n\nif __name__ == '__main__':\n    main()\n",
        },
    )
    [hit] = findings(tmp_path, "REP002")
    assert hit.message.startswith("set_seed() in pkg/utils.py seeds numpy, torch but the code also draws from random")
    assert hit.path == "pkg/utils.py" and "random.seed(seed)" in hit.fix
    assert findings(tmp_path, "REP001") == []


LOCAL_SEEDING = """import numpy as np


def pick_cameras(count: int, seed: int) -> list[int]:
    np.random.seed(seed)  # the sampler draws from numpy's global state
    return list(np.random.permutation(count))


def one_seed(seed: int) -> None:
    np.random.seed(seed)
"""


def _train(*calls: str) -> str:
    body = "".join(f"    {call}\n" for call in calls)
    return (
        "from pkg.cameras import one_seed, pick_cameras\nfrom pkg.data import sample_negatives\n\n\n"
        f"def main():\n{body}    model.fit(sample_negatives([1, 2]))\n\n\nif __name__ == '__main__':\n    main()\n"
    )


def test_rep002_a_function_seeding_one_source_for_its_own_draws_is_no_seed_helper(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": "", "pkg/cameras.py": LOCAL_SEEDING, "pkg/data.py": DATA}
    write_tree(tmp_path / "local", {**files, "pkg/train.py": _train("cams = pick_cameras(8, 0)")})
    assert findings(tmp_path / "local", "REP002") == []
    write_tree(tmp_path / "helper", {**files, "pkg/train.py": _train("one_seed(1)")})
    [hit] = findings(tmp_path / "helper", "REP002")
    assert hit.message.startswith("one_seed() in pkg/cameras.py seeds numpy but the code also draws from random")


BACKEND = """\
import torch


class CudaAccelerator:
    def {method}(self, seed):
        return torch.manual_seed(seed)
"""

TRAIN_WITH_BACKEND = """\
import numpy as np
import torch

from pkg.accelerator import CudaAccelerator


def main():
    accelerator = CudaAccelerator()
    accelerator.{method}(0)
    model = torch.nn.Linear(4, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    order = np.random.permutation(8)
    loss = model(torch.ones(8, 4)[order]).mean()
    loss.backward()
    opt.step()


if __name__ == "__main__":
    main()
"""


def test_rep002_a_backend_method_named_after_the_seed_call_it_forwards_is_no_run_seed_helper(tmp_path: Path) -> None:
    """`CudaAccelerator.manual_seed` is torch.manual_seed for its device: it promises to seed torch, nothing more."""
    files = {
        "pkg/__init__.py": "",
        "pkg/accelerator.py": BACKEND.format(method="manual_seed"),
        "train.py": TRAIN_WITH_BACKEND.format(method="manual_seed"),
    }
    write_tree(tmp_path, files)
    assert findings(tmp_path, "REP002") == []
    # a CPU backend's manual_seed_all seeds its one device with torch.manual_seed
    files = {**files, "pkg/accelerator.py": BACKEND.format(method="manual_seed_all")}
    write_tree(tmp_path / "cpu", {**files, "train.py": TRAIN_WITH_BACKEND.format(method="manual_seed_all")})
    assert findings(tmp_path / "cpu", "REP002") == []


def test_rep002_a_method_named_to_seed_the_run_that_seeds_only_torch_is_partial(tmp_path: Path) -> None:
    """Look-alike: a method named `set_seed` reads as seeding the run; numpy stays unseeded."""
    files = {
        "pkg/__init__.py": "",
        "pkg/accelerator.py": BACKEND.format(method="set_seed"),
        "train.py": TRAIN_WITH_BACKEND.format(method="set_seed"),
    }
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "REP002")
    assert "set_seed()" in hit.message and "numpy" in hit.message
