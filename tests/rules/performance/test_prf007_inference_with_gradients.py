"""Tests of rule PRF007 (`mlaudit/rules/performance/prf007_inference_with_gradients.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree

CHAT = """import torch

from model import Net

model = Net()
model.load_state_dict(torch.load("net.pt", weights_only=True))
model.eval()


def reply(x):
    return model(x)


@torch.inference_mode()
def reply_fast(x):
    return model(x)


def reply_guarded(x):
    with torch.no_grad():
        return model(x)
"""


def test_prf007_inference_without_no_grad(tmp_path: Path) -> None:
    write_tree(tmp_path, {"chat.py": CHAT, "model.py": "from torch import nn\n\n\nclass Net(nn.Module):\n    pass\n"})
    [hit] = findings(tmp_path, "PRF007")
    assert hit.line == 11 and "reply()" in hit.message


def test_prf007_silent_when_guarded_or_training(tmp_path: Path) -> None:
    guarded = CHAT.replace("def reply(x):\n    return model(x)\n", "")
    training = CHAT + "\n\ndef tune(opt, loss):\n    loss.backward()\n    opt.step()\n"
    write_tree(tmp_path / "a", {"chat.py": guarded})
    write_tree(tmp_path / "b", {"chat.py": training})
    assert findings(tmp_path / "a", "PRF007") == [] and findings(tmp_path / "b", "PRF007") == []


EVALUATOR = """
import torch


class Evaluator:
    def embed_all(self, net, batches):
        net.eval()
        out = []
        with torch.no_grad():
            for batch in batches:
                out.append(self.embed(net, batch))
        return out

    def embed(self, net, batch):
        return net(batch)
"""


def test_prf007_silent_for_a_helper_called_only_under_no_grad(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/evaluate.py": EVALUATOR})
    assert findings(tmp_path, "PRF007") == []


def test_prf007_fires_when_one_caller_of_the_helper_keeps_autograd_on(tmp_path: Path) -> None:
    leaky = EVALUATOR + "\n    def embed_one(self, net, batch):\n        return self.embed(net, batch)\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/evaluate.py": leaky})
    [hit] = findings(tmp_path, "PRF007")
    assert hit.line == 15 and "embed()" in hit.message


def test_prf007_silent_in_a_lightning_training_step_but_fires_in_its_predict(tmp_path: Path) -> None:
    module = (
        "import lightning as L\nimport torch\n\n\nclass Detector(L.LightningModule):\n"
        "    def training_step(self, batch, batch_idx):\n        images, targets = batch\n"
        "        _, losses = self(images, targets)\n        return losses.sum()\n\n"
        "    def predict_image(self, image):\n        self.eval()\n        return self(image)\n"
    )
    write_tree(tmp_path, {"det/__init__.py": "", "det/module.py": module})
    [hit] = findings(tmp_path, "PRF007")
    assert (hit.line, hit.message) == (13, "self(...) runs with autograd on in predict_image()")


LIT_MODULE = """import lightning as L
import torch


class Regressor(L.LightningModule):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net(x)

    def validation_step(self, batch, batch_idx):
        self._score(batch, "val")

    def test_step(self, batch, batch_idx):
        self._score(batch, "test")

    def _score(self, batch, stage):
        x, y = batch
        preds = self(x)
        self.log(f"{stage}_mae", torch.mean(torch.abs(preds - y)))

    def embed(self, x):
        self.eval()
        return self(x)
"""


def test_prf007_silent_in_lightning_evaluation_hooks(tmp_path: Path) -> None:
    # Lightning runs validation_step/test_step without gradients; _score is called only from them
    hook_only = LIT_MODULE.replace("    def embed(self, x):\n        self.eval()\n        return self(x)\n", "")
    write_tree(
        tmp_path,
        {
            "regress/model.py": hook_only.replace(
                "    def forward", "    def on_fit_start(self):\n        self.eval()\n\n    def forward"
            )
        },
    )
    assert findings(tmp_path, "PRF007") == []


def test_prf007_fires_for_a_lightning_method_outside_the_hooks(tmp_path: Path) -> None:
    # embed() is a public helper a caller uses directly: nothing switches gradients off
    write_tree(tmp_path, {"regress/model.py": LIT_MODULE})
    [hit] = findings(tmp_path, "PRF007")
    assert "embed()" in hit.message


FROZEN_STAGES = """
import torch
from torch import nn


class Backbone(nn.Module):
    def __init__(self, stages, frozen=1):
        super().__init__()
        self.stages = nn.ModuleList(stages)
        self.frozen = frozen

    def freeze(self):
        for stage in self.stages[: self.frozen]:
            stage.eval()
            for param in stage.parameters():
                param.requires_grad = False

    def forward(self, x):
        for stage in self.stages:
            x = stage(x)
        return x

    def predict(self, head, x):
        head.eval()
        return head(self.forward(x))
"""


def test_prf007_a_same_named_local_of_another_function_is_another_object(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/backbone.py": FROZEN_STAGES})
    [hit] = findings(tmp_path, "PRF007")
    assert hit.line == 25 and "head(...)" in hit.message


SELF_CALLS = """
import torch
from torch import nn


class Classifier(nn.Module):
    def export(self, path):
        self.eval()
        torch.jit.save(torch.jit.script(self), path)

    def predictions(self, inputs):
        return self(inputs).argmax(-1)

    def predict_now(self, inputs):
        self.eval()
        return self(inputs).argmax(-1)
"""


def test_prf007_a_models_own_method_leaves_gradients_to_its_callers(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/classifier.py": SELF_CALLS})
    [hit] = findings(tmp_path, "PRF007")
    assert hit.line == 16 and "predict_now()" in hit.message


def test_prf007_is_a_note_in_examples_and_a_warning_in_the_served_code(tmp_path: Path) -> None:
    model = "from torch import nn\n\n\nclass Net(nn.Module):\n    pass\n"
    write_tree(tmp_path, {"chat.py": CHAT, "examples/chat_demo.py": CHAT, "model.py": model})
    hits = {h.path: h.severity for h in findings(tmp_path, "PRF007")}
    assert hits == {"chat.py": Severity.WARNING, "examples/chat_demo.py": Severity.INFO}


def _main_block(check: str) -> str:
    return (
        "import torch\nfrom torch import nn\n\n\nclass Mapper(nn.Module):\n    def forward(self, x):\n        return x\n\n\n"
        'if __name__ == "__main__":\n    mapper = Mapper()\n    logits = torch.randn(3, 8)\n    mapper.eval()\n'
        f"    out1 = mapper(logits)\n    out2 = mapper(logits)\n{check}"
    )


def test_prf007_silent_in_a_main_block_self_test_but_fires_in_a_main_block_that_predicts(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "vq/__init__.py": "",
            "vq/mapper.py": _main_block("    assert torch.allclose(out1, out2)\n"),
            "vq/demo.py": _main_block("    torch.save(out1, 'codes.pt')\n"),
        },
    )
    [hit] = findings(tmp_path, "PRF007")
    assert hit.path == "vq/demo.py" and hit.line == 14


def _zoo_module(checker: str, body: str, guard_calls: str = "") -> str:
    return (
        "import torch\nfrom torch import nn\n\n\ndef tiny_net():\n    return nn.Linear(8, 10)\n\n\n"
        f"def {checker}():\n    net = tiny_net()\n    net.eval()\n    x = torch.randn(2, 8)\n    y = net(x)\n{body}\n\n"
        f'if __name__ == "__main__":\n    {guard_calls or checker}()\n'
    )


def test_prf007_silent_in_an_asserting_function_the_main_guard_calls_but_fires_where_it_saves_or_predicts(
    tmp_path: Path,
) -> None:
    write_tree(
        tmp_path,
        {
            "zoo/__init__.py": "",
            "zoo/linear.py": _zoo_module("_test", "    assert tuple(y.size()) == (2, 10)"),
            "zoo/export.py": _zoo_module("_dump", "    torch.save(y, 'logits.pt')"),
            # asserts on its output too, but it is what callers use to predict: the main guard runs something else
            "zoo/infer.py": _zoo_module("predict", "    assert y.ndim == 2\n    return y", guard_calls="tiny_net"),
        },
    )
    hits = {h.path: h.message for h in findings(tmp_path, "PRF007")}
    assert set(hits) == {"zoo/export.py", "zoo/infer.py"} and "predict()" in hits["zoo/infer.py"]


def test_prf007_silent_in_a_shipped_test_function_but_fires_in_a_predict_helper(tmp_path: Path) -> None:
    code = (
        "import torch\n\n\n"
        "def test_module_to_torchscript(m, inputs):\n"
        "    m = m.eval()\n"
        "    output = m(inputs)\n"
        "    return torch.jit.trace(m, inputs), output.shape\n\n\n"
        "def predict_batch(m, inputs):\n"
        "    m = m.eval()\n"
        "    return m(inputs)\n"
    )
    write_tree(tmp_path, {"ts/__init__.py": "", "ts/layers.py": code})
    [hit] = findings(tmp_path, "PRF007")
    assert hit.line == 12 and "predict_batch()" in hit.message


ESTIMATOR = """import torch


class TabularRegressor:
    def fit(self, loader):
        self.network.train()
        for x, y in loader:
            self.optimizer.zero_grad()
            loss = torch.nn.functional.mse_loss(self.network(x), y)
            loss.backward()
            self.optimizer.step()

    def predict(self, loader):
        self.network.eval()
        outputs = []
        for x in loader:
            outputs.append(self.network(x).detach())
        return torch.cat(outputs)

    def predict_guarded(self, loader):
        self.network.eval()
        with torch.no_grad():
            return torch.cat([self.network(x) for x in loader])

    def explain(self, x):
        self.network.eval()
        return self.network.forward_masks(x)

    def embed(self, x):
        return self.encoder(x)

    def saliency(self, x):
        self.network.eval()
        x = x.clone().requires_grad_()
        score = self.network(x).sum()
        return torch.autograd.grad(score, x)[0]
"""


def test_prf007_fires_in_an_estimators_predict_beside_its_fit_but_not_under_no_grad(tmp_path: Path) -> None:
    write_tree(tmp_path, {"tab/__init__.py": "", "tab/model.py": ESTIMATOR})
    [hit] = findings(tmp_path, "PRF007")
    assert (hit.line, hit.message) == (17, "self.network(...) runs with autograd on in predict()")
    # Look-alike: the same estimator whose predict runs under inference mode is silent.
    guarded = ESTIMATOR.replace(
        "        for x in loader:\n            outputs.append",
        "        for x in loader:\n            with torch.inference_mode():\n                outputs.append",
    )
    write_tree(tmp_path / "b", {"tab/__init__.py": "", "tab/model.py": guarded})
    assert findings(tmp_path / "b", "PRF007") == []


def test_prf007_silent_in_a_method_that_asks_for_the_gradients_of_the_model_it_put_in_eval_mode(tmp_path: Path) -> None:
    fit, _ = ESTIMATOR.split("    def predict(self, loader):")
    _, saliency = ESTIMATOR.split("        return self.encoder(x)\n")
    explainer = fit + saliency
    write_tree(tmp_path, {"tab/__init__.py": "", "tab/model.py": explainer})
    assert "def saliency" in explainer and findings(tmp_path, "PRF007") == []


FROZEN_SUBMODULES = """import torch


class GhostBatchNorm(torch.nn.Module):
    def forward(self, x):
        if x.shape[0] == 1:
            self.bn.eval()
            out = self.bn(x)
            self.bn.train()
            return out
        return self.bn(x)


class ProjectedQuantizer(torch.nn.Module):
    def forward(self, x, indices=None):
        self.vq.eval()
        return self.vq(self.proj(x), indices=indices)

    def quantize(self, x):
        self.vq.eval()
        return self.vq(self.proj(x))
"""


def test_prf007_silent_on_a_submodule_frozen_inside_the_training_graph_but_fires_in_a_predict_method(
    tmp_path: Path,
) -> None:
    """A module's forward that puts a submodule into eval mode freezes its statistics while gradients still flow
    through it; so does a method that switches it back with `.train()`. A plain method doing so predicts."""
    write_tree(tmp_path, {"vq/__init__.py": "", "vq/layers.py": FROZEN_SUBMODULES})
    [hit] = findings(tmp_path, "PRF007")
    assert (hit.line, hit.message) == (21, "self.vq(...) runs with autograd on in quantize()")


def test_prf007_a_pass_whose_autograd_graph_the_function_reads_needs_gradients(tmp_path: Path) -> None:
    # tracing a model's dependency graph through the grad_fn of its layers' outputs needs autograd on
    code = (
        "import torch\n\n\n"
        "def trace_graph(model, example):\n"
        "    model.eval()\n"
        "    seen = {}\n\n"
        "    def record(module, inputs, outputs):\n"
        "        seen[outputs.grad_fn] = module\n\n"
        "    hooks = [m.register_forward_hook(record) for m in model.modules()]\n"
        "    out = model(example)\n"
        "    for hook in hooks:\n"
        "        hook.remove()\n"
        "    return out.grad_fn, seen\n\n\n"
        "def embed(model, example):\n"
        "    model.eval()\n"
        "    seen = {}\n\n"
        "    def record(module, inputs, outputs):\n"
        "        seen[module] = outputs.shape\n\n"
        "    hooks = [m.register_forward_hook(record) for m in model.modules()]\n"
        "    out = model(example)\n"
        "    return out, seen\n"
    )
    write_tree(tmp_path, {"pruner/__init__.py": "", "pruner/graph.py": code})
    assert [f.line for f in findings(tmp_path, "PRF007")] == [26]


FROZEN_NORMS = """
import torch
from torch import nn


class PatchMerging(nn.Module):
    def __init__(self, dim, norm_layer=nn.LayerNorm):
        super().__init__()
        self.norm = norm_layer(4 * dim)
        self.reduction = nn.Linear(4 * dim, 2 * dim)

    def forward(self, x):
        return self.reduction(self.norm(x))


class Encoder(nn.Module):
    def __init__(self, dims, frozen=1):
        super().__init__()
        self.stages = nn.ModuleList(PatchMerging(d) for d in dims)
        self.frozen = frozen

    def freeze(self):
        for i in range(self.frozen):
            norm_layer = getattr(self.stages[i], "norm")
            norm_layer.eval()

    def embed(self, norm_layer, x):
        return norm_layer(x)
"""


def test_prf007_fires_on_a_method_running_a_model_a_same_named_local_put_in_eval_mode(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/encoder.py": FROZEN_NORMS})
    assert [hit.line for hit in findings(tmp_path, "PRF007")] == [28]


def test_prf007_silent_on_a_constructor_building_a_layer_from_the_factory_it_is_given(tmp_path: Path) -> None:
    constructor_only = FROZEN_NORMS.split("\n    def embed", maxsplit=1)[0] + "\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/encoder.py": constructor_only})
    assert findings(tmp_path, "PRF007") == []
