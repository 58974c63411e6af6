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


def test_rep006_backward_in_an_mxnet_module_is_not_torch_training(tmp_path: Path) -> None:
    mx_step = (
        "import mxnet as mx\nfrom mxnet import autograd\n\n\ndef step(net, trainer, batch):\n"
        "    with autograd.record():\n        loss = net(batch).mean()\n    loss.backward()\n    trainer.step(1)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/mx_trainer.py": mx_step})
    assert findings(tmp_path, "REP006") == []
    torch_step = "import torch\n\n\ndef step(model, batch):\n    loss = model(batch).mean()\n    loss.backward()\n"
    write_tree(tmp_path, {"pkg/torch_trainer.py": torch_step})
    assert [(f.path, f.line) for f in findings(tmp_path, "REP006")] == [("pkg/torch_trainer.py", 6)]
