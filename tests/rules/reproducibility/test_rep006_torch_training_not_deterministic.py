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


PUBLISHED = (
    '[project]\nname = "camlib"\nversion = "1.0"\nclassifiers = ["Programming Language :: Python :: 3"]\n'
    'dependencies = ["torch>=2.0"]\n'
)


def test_rep006_silent_in_a_published_library_whose_own_runs_train_nothing_but_fires_on_its_training_script(
    tmp_path: Path,
) -> None:
    saliency = (
        "import torch\n\n\ndef input_gradients(model, x):\n    x.requires_grad_(True)\n"
        "    model(x).sum().backward()\n    return x.grad\n"
    )
    files = {"pyproject.toml": PUBLISHED, "camlib/__init__.py": "", "camlib/saliency.py": saliency}
    write_tree(tmp_path / "a", files)
    assert findings(tmp_path / "a", "REP006") == []
    # Look-alike: the same library with a training script of its own trains a model to repeat
    train = (
        "import torch\n\n\ndef main(model, loader, opt):\n    for x, y in loader:\n"
        "        loss = torch.nn.functional.cross_entropy(model(x), y)\n        loss.backward()\n        opt.step()\n\n\n"
        'if __name__ == "__main__":\n    main(None, [], None)\n'
    )
    write_tree(tmp_path / "b", {**files, "scripts/train.py": train})
    assert len(findings(tmp_path / "b", "REP006")) == 1


def test_rep006_silent_when_a_python_config_asks_the_runner_for_determinism(tmp_path: Path) -> None:
    step = "import torch\n\n\ndef step(model, batch):\n    loss = model(batch).mean()\n    loss.backward()\n"
    runtime = "default_scope = 'lab'\nrandomness = {{'seed': 0, 'deterministic': {flag}}}\n"
    files = {"lab/__init__.py": "", "lab/engine.py": step}
    write_tree(tmp_path / "a", {**files, "configs/default_runtime.py": runtime.format(flag="True")})
    assert findings(tmp_path / "a", "REP006") == []
    # Look-alike: the config seeds the run but leaves determinism off.
    write_tree(tmp_path / "b", {**files, "configs/default_runtime.py": runtime.format(flag="False")})
    assert len(findings(tmp_path / "b", "REP006")) == 1
