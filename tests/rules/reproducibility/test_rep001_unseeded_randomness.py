"""Tests of rule REP001 (`mlaudit/rules/reproducibility/rep001_unseeded_randomness.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree
from tests.rules.reproducibility._helpers import DATA


def test_rep001_names_unseeded_source_and_sites(tmp_path: Path) -> None:
    code = "import random\nidx = list(range(9))\nrandom.shuffle(idx)\nmodel.fit(idx)\n"
    write_tree(tmp_path, {"train.py": code})
    [hit] = findings(tmp_path, "REP001")
    assert "random" in hit.message and "random.shuffle (train.py:3)" in hit.message
    assert "random.seed(seed)" in hit.fix


def test_rep001_follows_imports_into_library(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/data.py": DATA,
            "scripts/run.py": "from pkg.data import sample_negatives\nmodel.fit(sample_negatives([1, 2]))\n",
        },
    )
    sources = {h.message.split()[0] for h in findings(tmp_path, "REP001")}
    assert sources == {"random", "numpy"}


def test_rep001_silent_when_every_source_seeded_through_helper(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/seed.py": "import random\n\nimport numpy as np\n\n\ndef set_seed(seed: int) -> None:\n"
            "    random.seed(seed)\n    np.random.seed(seed)\n",
            "pkg/data.py": DATA,
            "scripts/run.py": "from pkg.data import sample_negatives\nfrom pkg.seed import set_seed\n\n"
            "set_seed(1)\nmodel.fit(sample_negatives([1, 2]))\n",
        },
    )
    assert findings(tmp_path, "REP001") == [] and findings(tmp_path, "REP002") == []


def test_rep001_imported_but_unused_source_needs_no_seed(tmp_path: Path) -> None:
    write_tree(tmp_path, {"train.py": "import random\nimport numpy as np\n\nx = np.zeros(3)\nprint(x)\n"})
    assert findings(tmp_path, "REP001") == []


def test_rep001_ignores_generator_draws_and_untrained_layers(tmp_path: Path) -> None:
    code = (
        "import torch\nfrom torch import nn\n\ng = torch.Generator().manual_seed(0)\n"
        "order = torch.randperm(10, generator=g)\nlayer = nn.Linear(4, 2)\nprint(order, layer)\n"
    )
    write_tree(tmp_path, {"infer.py": code})
    assert findings(tmp_path, "REP001") == []


TRAIN_LOOP = """import torch
from torch import nn

from pkg.model import Net


def main():
    net = Net()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    for x, y in torch.utils.data.DataLoader(DATA, shuffle=True):
        loss = nn.functional.mse_loss(net(x), y)
        loss.backward()
        optimizer.step()


if __name__ == "__main__":
    main()
"""


NET = """import random

from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 1)


if __name__ == "__main__":
    print(random.random())
"""


def test_rep001_seed_helper_defined_but_never_called_does_not_count(tmp_path: Path) -> None:
    unused_helper = "def set_seed(seed):\n    torch.manual_seed(seed)\n\n\n"
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/model.py": NET,
            "train.py": TRAIN_LOOP.replace("def main", unused_helper + "def main"),
        },
    )
    [hit] = findings(tmp_path, "REP001")
    assert hit.message.startswith("torch is drawn from but never seeded") and "train.py" in hit.message


def test_rep001_silent_for_inference_self_tests_and_called_helpers(tmp_path: Path) -> None:
    chat = (
        "import random\n\nimport torch\n\nfrom pkg.model import Net\n\n"
        "net = Net()\nnet.load_state_dict(torch.load('net.pt', weights_only=True))\n"
        "print(random.choice(['hi', 'hello']))\n"
    )
    seeded = TRAIN_LOOP.replace("    net = Net()", "    torch.manual_seed(0)\n    net = Net()")
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/model.py": NET, "train.py": seeded, "chat.py": chat})
    assert findings(tmp_path, "REP001") == []


def test_rep001_fix_names_the_framework_seeder(tmp_path: Path) -> None:
    code = (
        "import lightning as L\nfrom torch import nn\n\n\n"
        "def main():\n    model = nn.Linear(4, 1)\n    L.Trainer(max_epochs=1).fit(model)\n\n\n"
        "if __name__ == '__main__':\n    main()\n"
    )
    write_tree(tmp_path, {"train.py": code})
    [hit] = findings(tmp_path, "REP001")
    assert "pl.seed_everything(seed" in (hit.fix or "")


POLICY = """import torch
from torch.distributions import Categorical


def act(policy, obs):
    return Categorical(logits=policy(obs)).sample()


def train(policy, optimizer, env):
    for _ in range(100):
        action = act(policy, env.obs())
        loss = -policy(env.step(action)).mean()
        loss.backward()
        optimizer.step()
"""


def test_rep001_sampling_a_torch_distribution_draws_from_torchs_generator(tmp_path: Path) -> None:
    run = "from rl.policy import train\n\nif __name__ == '__main__':\n    train(None, None, None)\n"
    write_tree(tmp_path, {"rl/__init__.py": "", "rl/policy.py": POLICY, "run.py": run})
    [hit] = findings(tmp_path, "REP001")
    assert hit.message.startswith("torch") and "Categorical(...).sample (rl/policy.py:6)" in hit.message
    seeded = "import torch\n\nfrom rl.policy import train\n\nif __name__ == '__main__':\n    torch.manual_seed(0)\n    train(None, None, None)\n"
    write_tree(tmp_path, {"run.py": seeded})
    assert findings(tmp_path, "REP001") == []


def test_rep001_is_info_when_only_examples_draw_unseeded(tmp_path: Path) -> None:
    example = "import numpy as np\n\nX = np.random.normal(size=(100, 2))\nmodel.fit(X)\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "examples/plot_fit.py": example})
    [hit] = findings(tmp_path, "REP001")
    assert hit.severity is Severity.INFO
    write_tree(tmp_path, {"train.py": example})
    assert {h.severity for h in findings(tmp_path, "REP001")} == {Severity.WARNING}


PUBLISHED_LIB = """[project]
name = "tinyvit"
version = "0.3.0"
requires-python = ">=3.10"
classifiers = ["Programming Language :: Python :: 3"]
dependencies = ["torch>=2.1"]
"""
VIT = """import random

import torch
from torch import nn


class TinyViT(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        if random.random() < 0.1:
            x = x.flip(0)
        return self.proj(x).mean()


if __name__ == "__main__":
    model = TinyViT(16)
    opt = torch.optim.Adam(model.parameters(), lr=3e-4)
    loss = model({data})
    loss.backward()
    opt.step()
"""


def test_rep001_silent_on_a_library_module_demo_on_tensors_it_makes(tmp_path: Path) -> None:
    demo = {
        "pyproject.toml": PUBLISHED_LIB,
        "tinyvit/__init__.py": "",
        "tinyvit/vit.py": VIT.format(data="torch.randn(8, 16)"),
    }
    write_tree(tmp_path / "a", demo)
    assert findings(tmp_path / "a", "REP001") == []
    # Look-alike: the same block training on features it loads from disk is a run that needs seeds.
    run = {**demo, "tinyvit/vit.py": VIT.format(data="torch.load('features.pt')")}
    write_tree(tmp_path / "b", run)
    assert {h.message.split()[0] for h in findings(tmp_path / "b", "REP001")} == {"random", "torch"}


def test_rep001_a_notebook_in_a_test_data_folder_is_no_run_to_reproduce(tmp_path: Path) -> None:
    """A fixture notebook a test opens draws unseeded on purpose; the same notebook among experiments is a run."""
    cell = (
        "import numpy as np\\nfrom sklearn.tree import DecisionTreeClassifier\\n"
        "rows = np.random.rand(20, 3)\\nlabels = np.random.randint(0, 2, size=20)\\n"
        "DecisionTreeClassifier(max_depth=2).fit(rows, labels)\\n"
    )
    nb = (
        '{"cells": [{"cell_type": "code", "source": "' + cell + '", "outputs": [], "metadata": {}}], '
        '"metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/tests/test_data/sample.ipynb": nb})
    assert findings(tmp_path, "REP001") == []
    write_tree(tmp_path / "b", {"pkg/__init__.py": "", "experiments/sample.ipynb": nb})
    [hit] = findings(tmp_path / "b", "REP001")
    assert "experiments/sample.ipynb" in hit.message


TAGGER = """\
import torch
from torch import nn


class Tagger(nn.Module):
    def __init__(self, vocab: int, tags: int) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, 64)
        self.out = nn.Linear(64, tags)
        self.optimizer = torch.optim.Adam(self.parameters())

    def forward(self, words):
        return self.out(self.embed(words))

    def update(self, words, gold):
        loss = nn.functional.cross_entropy(self(words), gold)
        loss.backward()
        self.optimizer.step()
        return loss.item()

    def train_epochs(self, batches, epochs: int) -> None:
        for _ in range(epochs):
            for words, gold in batches:
                self.update(words, gold)

    @classmethod
    def load(cls, path: str) -> "Tagger":
        state = torch.load(path, weights_only=True)
        model = cls(state["vocab"], state["tags"])
        model.load_state_dict(state["weights"])
        return model
"""
TRAIN_TAGGER = """\
import sys

from tagging.model import Tagger

if __name__ == "__main__":
    tagger = Tagger(5000, 17)
    tagger.train_epochs(batches_from(sys.argv[1]), epochs=3)
"""
PREDICT_TAGGER = """\
import sys

import torch

from tagging.model import Tagger

if __name__ == "__main__":
    settings = {"device": "cpu"}
    settings.update(device=sys.argv[2])
    tagger = Tagger.load(sys.argv[1])
    with torch.no_grad():
        print(tagger(torch.tensor([[1, 2, 3]])).argmax(-1).tolist())
"""


def test_rep001_counts_an_entry_that_calls_a_classs_training_method(tmp_path: Path) -> None:
    # `train_epochs` trains through `self.update`: calling it is training, though the step sits in another method.
    write_tree(tmp_path, {"tagging/__init__.py": "", "tagging/model.py": TAGGER, "train_tagger.py": TRAIN_TAGGER})
    [hit] = findings(tmp_path, "REP001")
    assert hit.message.startswith("torch is drawn from but never seeded") and "train_tagger.py" in hit.message


def test_rep001_prediction_entry_using_a_class_that_can_train_is_not_training(tmp_path: Path) -> None:
    # Look-alike: the same model class, loaded and run; `settings.update(...)` is a dict's, not the class's `update`.
    write_tree(tmp_path, {"tagging/__init__.py": "", "tagging/model.py": TAGGER, "predict_tagger.py": PREDICT_TAGGER})
    assert findings(tmp_path, "REP001") == []


TF_LOOP = """import numpy as np
import tensorflow as tf

from pkg.model import build_model


def main():
    model = build_model()
    optimizer = tf.keras.optimizers.Adam(1e-3)
    x = np.random.normal(size=(256, 8)).astype("float32")
    y = (x.sum(axis=1) > 0).astype("float32")
    for epoch in range(5):
        order = np.random.permutation(len(x))
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.keras.losses.binary_crossentropy(y[order], model(x[order])))
        grads = tape.gradient(loss, model.trainable_variables)
        {update}


if __name__ == "__main__":
    main()
"""


def test_rep001_a_tensorflow_custom_loop_applying_gradients_trains_but_a_scipy_minimize_does_not(
    tmp_path: Path,
) -> None:
    model = (
        "import tensorflow as tf\n\n\ndef build_model():\n    return tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
    )
    loop = TF_LOOP.replace("{update}", "optimizer.apply_gradients(zip(grads, model.trainable_variables))")
    write_tree(tmp_path / "tf", {"pkg/__init__.py": "", "pkg/model.py": model, "train.py": loop})
    hits = findings(tmp_path / "tf", "REP001")
    assert sorted(h.message.split(" ")[0] for h in hits) == ["numpy", "tensorflow"]
    calibrate = (
        "import numpy as np\nfrom scipy.optimize import minimize\nimport scipy.optimize\n\n\n"
        "def main():\n"
        "    x0 = np.random.normal(size=3)\n"
        "    print(scipy.optimize.minimize(lambda v: float((v ** 2).sum()), x0).x)\n\n\n"
        "if __name__ == '__main__':\n    main()\n"
    )
    write_tree(tmp_path / "fit", {"calibrate.py": calibrate})
    assert findings(tmp_path / "fit", "REP001") == []


def test_rep001_a_seed_call_given_no_seed_reseeds_from_entropy_and_seeds_nothing(tmp_path: Path) -> None:
    draws = "idx = list(range(9))\nrandom.shuffle(idx)\nmodel.fit(np.random.permutation(idx))\n"
    unseeded = "import random\n\nimport numpy as np\n\nrandom.seed()\nnp.random.seed(None)\n" + draws
    seeded = "import random\n\nimport numpy as np\n\nrandom.seed(7)\nnp.random.seed(seed=7)\n" + draws
    write_tree(tmp_path, {"train.py": unseeded, "train_seeded.py": seeded})
    assert sorted((h.path, h.message.split()[0]) for h in findings(tmp_path, "REP001")) == [
        ("train.py", "numpy"),
        ("train.py", "random"),
    ]


def test_rep001_follows_a_seeder_re_exported_by_a_star_import_or_from_a_framework(tmp_path: Path) -> None:
    helper = "import random\n\nimport numpy as np\n\n\ndef set_seed(seed):\n    random.seed(seed)\n    np.random.seed(seed)\n"
    run = "from pkg.utils import set_seed\nfrom pkg.data import sample_negatives\n\nset_seed(1)\nmodel.fit(sample_negatives([1, 2]))\n"
    star = {"pkg/utils/__init__.py": "from .seeding import *\n", "pkg/utils/seeding.py": helper}
    framework = {"pkg/utils/__init__.py": "from transformers import set_seed\n"}
    unseeded = {"pkg/utils/__init__.py": "from transformers import AutoModel as set_seed\n"}
    for name, utils in (("star", star), ("framework", framework), ("unseeded", unseeded)):
        files = {"pkg/__init__.py": "", "pkg/data.py": DATA, "scripts/run.py": run, **utils}
        write_tree(tmp_path / name, files)
    assert findings(tmp_path / "star", "REP001") == []
    assert findings(tmp_path / "framework", "REP001") == []
    assert {h.message.split()[0] for h in findings(tmp_path / "unseeded", "REP001")} == {"random", "numpy"}


CLI_COMMAND = """import click


@click.group()
def cli():
    pass


@cli.command()
def train():
    from .train import train

    train()
"""
TRAIN = """import torch


def train():
{seed}    model = torch.nn.Linear(4, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss = model(torch.randn(8, 4)).sum()
    loss.backward()
    optimizer.step()
"""


def test_rep001_a_command_importing_its_implementation_under_its_own_name_reaches_it(tmp_path: Path) -> None:
    """Inside `def train(): from .train import train`, `train()` is the imported function, not the command."""
    files = {"vc/__init__.py": "", "vc/__main__.py": CLI_COMMAND, "vc/train.py": TRAIN.format(seed="")}
    write_tree(tmp_path / "unseeded", files)
    assert [h.message.split()[0] for h in findings(tmp_path / "unseeded", "REP001")] == ["torch"]
    files["vc/train.py"] = TRAIN.format(seed="    torch.manual_seed(0)\n")
    write_tree(tmp_path / "seeded", files)
    assert findings(tmp_path / "seeded", "REP001") == []


RETRYING = """import random
import time


def call_with_retries(fn, tries=5, base=0.5):
    delay = base
    for _ in range(tries):
        try:
            return fn()
        except ConnectionError:
            time.sleep(delay + random.uniform(0, 0.1))
            delay *= 2 * (1 + 0.1 * random.random())
    raise TimeoutError


def sample_batch(rows):
    picked = random.sample(rows, 2)
    return picked
"""


def test_rep001_silent_on_retry_jitter_but_not_on_a_sample_beside_it(tmp_path: Path) -> None:
    """Jitter on a retry delay must differ between processes; `random.sample` of training rows is a result."""
    train = "from pkg.retry import call_with_retries, sample_batch\n\nmodel.fit(call_with_retries(lambda: sample_batch(ROWS)))\n"
    write_tree(tmp_path / "jitter", {"pkg/__init__.py": "", "pkg/retry.py": RETRYING, "train.py": train})
    [hit] = findings(tmp_path / "jitter", "REP001")
    assert "random.sample (pkg/retry.py:17)" in hit.message and "uniform" not in hit.message
    assert "random.random" not in hit.message


GEN_TRAINER = """import torch


class Trainer:
    def __init__(self, model, lr=1e-4):
        self.model = model
        self.optimizer = torch.optim.Adam(model.parameters(), lr=lr)

    def update(self):
        self.optimizer.step()
        self.optimizer.zero_grad()

    def train_step(self, batch):
        noise = torch.randn_like(batch)
        loss = self.model(batch + noise).mean()
        loss.backward()
        self.update()
        return loss.item()
"""
GEN_CLI = """import click

from gen.trainer import Trainer


@click.group()
def gen():
    pass


@gen.command()
@click.option("--steps", default=100)
def train(steps):
    trainer = Trainer(build_model())
    for _ in range(steps):
        trainer.train_step(next_batch())
"""
GEN_SETUP = """from setuptools import setup

setup(name="gen", version="1.0", packages=["gen"], entry_points={"console_scripts": ["gen = gen.cli:gen"]})
"""


def test_rep001_a_package_command_module_run_by_a_console_script_is_an_entry_point(tmp_path: Path) -> None:
    """`gen/cli.py` has no `__main__` block: only the installed `gen train` runs it, and that run trains unseeded."""
    files = {"setup.py": GEN_SETUP, "gen/__init__.py": "", "gen/trainer.py": GEN_TRAINER, "gen/cli.py": GEN_CLI}
    write_tree(tmp_path / "command", files)
    [hit] = findings(tmp_path / "command", "REP001")
    assert hit.message.startswith("torch is drawn from") and "entry points: gen/cli.py" in hit.message
    # Look-alike: a package module that builds the parser other modules import is a helper, not a command
    helper = "import argparse\n\n\ndef add_args(parser: argparse.ArgumentParser) -> None:\n    parser.add_argument('--steps')\n"
    trainer = "from gen.args import add_args\n" + GEN_TRAINER
    files = {"setup.py": GEN_SETUP, "gen/__init__.py": "", "gen/trainer.py": trainer, "gen/args.py": helper}
    write_tree(tmp_path / "helper", files)
    assert findings(tmp_path / "helper", "REP001") == []


QUANTIZER = """import random

import torch
from torch import nn


class Codebook(nn.Module):
    def __init__(self, size, dim):
        super().__init__()
        self.embed = nn.Parameter(torch.randn(size, dim))
        self.opt = torch.optim.SGD([self.embed], lr=0.1)

    def forward(self, x):
        if self.training:
            loss = ((x[:, None] - self.embed) ** 2).mean()
            loss.backward()
            self.opt.step()
        return self.embed[random.randrange(len(self.embed))]
"""
SERVE_CODEBOOK = """import torch

from pkg.codebook import Codebook

model = Codebook(16, 4)
model.load_state_dict(torch.load("codebook.pt", weights_only=True))
model.eval()
print(model.forward(torch.zeros(2, 4)))
"""
TRAIN_CODEBOOK = """import torch

from pkg.codebook import Codebook

model = Codebook(16, 4)
opt = torch.optim.Adam(model.parameters())
for x in torch.load("data.pt", weights_only=True):
    loss = model(x).sum()
    loss.backward()
    opt.step()
"""


def test_rep001_a_step_a_layer_takes_in_training_mode_makes_no_caller_a_training_run(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": "", "pkg/codebook.py": QUANTIZER}
    write_tree(tmp_path / "serve", {**files, "scripts/serve.py": SERVE_CODEBOOK})
    assert findings(tmp_path / "serve", "REP001") == []
    # Look-alike: a script that trains the same layer draws unseeded
    write_tree(tmp_path / "train", {**files, "scripts/train.py": TRAIN_CODEBOOK})
    assert {h.message.split()[0] for h in findings(tmp_path / "train", "REP001")} == {"random", "torch"}


IK_SOLVER = """import random

import casadi


class ArmIK:
    def __init__(self, joints):
        self.opti = casadi.Opti()
        self.q = self.opti.variable(joints)
        self.opti.minimize(casadi.sumsqr(self.q))
        self.seed_q = [random.uniform(-1.0, 1.0) for _ in range(joints)]
"""
TF_STEP = """import random

import tensorflow as tf


class Learner:
    def __init__(self, loss):
        self.opt = tf.keras.optimizers.SGD(0.1)
        self.opt.minimize(loss, var_list=[])
        self.noise = random.random()
"""


def test_rep001_a_solvers_minimize_is_no_training_but_an_optimizers_is(tmp_path: Path) -> None:
    script = "from pkg.ik import {cls}\n\nsolver = {cls}({arg})\n"
    write_tree(
        tmp_path / "ik",
        {"pkg/__init__.py": "", "pkg/ik.py": IK_SOLVER, "scripts/teleop.py": script.format(cls="ArmIK", arg="7")},
    )
    assert findings(tmp_path / "ik", "REP001") == []
    write_tree(
        tmp_path / "tf",
        {
            "pkg/__init__.py": "",
            "pkg/ik.py": TF_STEP,
            "scripts/teleop.py": script.format(cls="Learner", arg="lambda: 0.0"),
        },
    )
    assert [h.message.split()[0] for h in findings(tmp_path / "tf", "REP001")] == ["random"]


PORTS = """import random
import socket


def find_port(bind):
    start_port = random.randrange(0, 64000)
    for offset in range(64000):
        try:
            return bind(1024 + (start_port + offset) % 64000)
        except OSError:
            continue
    raise OSError("no free port")


def launch(worker, batch):
    worker.start(master_port=random.randint(20000, 30000))
    report = random.sample(batch, 2)
    return report
"""


def test_rep001_silent_on_a_random_free_port_but_not_on_a_sample_named_report(tmp_path: Path) -> None:
    """A random port only has to differ between concurrent jobs; `report` is a sample of the data, no port."""
    train = "from pkg.net import find_port, launch\n\nfind_port(socket.bind)\nmodel.fit(launch(WORKER, ROWS))\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/net.py": PORTS, "train.py": train})
    [hit] = findings(tmp_path, "REP001")
    assert "random.sample (pkg/net.py:17)" in hit.message
    assert "randrange" not in hit.message and "randint" not in hit.message


RENDERING = """import random


def render(figure, element_id=None):
    if element_id is None:
        element_id = "fig_" + str(int(random.random() * 1e10))
    run_name = f"run-{random.randint(0, 9999)}"
    return TEMPLATE.format(element_id, run_name, figure)


def noisy_caption(words):
    text = " ".join(words) + str(random.random())
    label_name = str(random.choice(words))
    return text, label_name
"""


def test_rep001_silent_on_a_random_identifier_but_not_on_random_text_beside_it(tmp_path: Path) -> None:
    """A drawn number turned into an element id or a run name only has to be unique; a number appended to a
    caption and a label picked from the words are data a run produces."""
    train = "from pkg.render import noisy_caption, render\n\nmodel.fit(noisy_caption(WORDS), render(FIG))\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/render.py": RENDERING, "train.py": train})
    [hit] = findings(tmp_path, "REP001")
    assert "random.random (pkg/render.py:12)" in hit.message and "random.choice (pkg/render.py:13)" in hit.message
    assert "pkg/render.py:6" not in hit.message and "randint" not in hit.message


TAGGING = """import random


def tag(batch):
    return {
        "request_id": round(random.random() * 1e15),
        "valid": random.random() < 0.2,
        "batch": batch,
    }
"""


def test_rep001_silent_on_a_random_id_filed_under_its_key_but_not_on_a_random_flag_beside_it(tmp_path: Path) -> None:
    """A number filed under `request_id` only has to be unique; `valid` ends in the letters `id`, not the word, and
    its draw decides which rows validate."""
    train = "from pkg.tags import tag\n\nmodel.fit(tag(BATCH))\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/tags.py": TAGGING, "train.py": train})
    [hit] = findings(tmp_path, "REP001")
    assert "random.random (pkg/tags.py:7)" in hit.message and "pkg/tags.py:6" not in hit.message
