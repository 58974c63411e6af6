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
