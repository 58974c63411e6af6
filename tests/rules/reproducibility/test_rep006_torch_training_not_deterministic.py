"""Tests of rule REP006 (`mlaudit/rules/reproducibility/rep006_torch_training_not_deterministic.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


def test_rep006_training_without_determinism(tmp_path: Path) -> None:
    code = "import torch\n\n\ndef step(model, batch, opt):\n    loss = model(batch).mean()\n    loss.backward()\n"
    write_tree(tmp_path, {"train.py": code})
    assert len(findings(tmp_path, "REP006")) == 1
    write_tree(tmp_path, {"seed.py": "import torch\n\ntorch.backends.cudnn.deterministic = True\n"})
    assert findings(tmp_path, "REP006") == []
