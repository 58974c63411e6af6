"""Tests that span several reproducibility rules: their per-file facts give the same results from the fact cache."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mlaudit.capabilities.reproducibility import (
    DeterministicKernels,
    TypedConfig,
    _first_training_call,
    _hyperparameter_block,
    _pinned_revision,
    _referenced_config,
)
from mlaudit.facts import tested_modules as reached
from mlaudit.project import Project
from mlaudit.rules.reproducibility._shared import _sets_determinism
from mlaudit.rules.reproducibility.rep003_estimator_without_random_state import EstimatorWithoutRandomState
from mlaudit.rules.reproducibility.rep004_non_deterministic_jax_key import NonDeterministicJaxKey
from mlaudit.rules.reproducibility.rep010_hardcoded_hyperparameters import HardcodedHyperparameters
from mlaudit.rules.reproducibility.rep011_loose_config import LooseConfig
from mlaudit.rules.reproducibility.rep012_unread_config_file import UnreadConfigFile
from mlaudit.rules.testing.tst003_untested_module import UntestedModule
from tests.helpers import findings, git_init, write_tree
from tests.rules.reproducibility._helpers import direct_and_cached

TRAIN = """import torch
from catboost import CatBoostClassifier
from sklearn.model_selection import train_test_split
from timm.models import register_model


def fit(model, data, labels):
    torch.backends.cudnn.deterministic = True
    x_train, x_test, y_train, y_test = train_test_split(data, labels, test_size=0.2)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.05)
    for batch in torch.utils.data.DataLoader(x_train, batch_size=32, shuffle=True):
        loss = model(batch).sum()
        loss.backward()
        optimizer.step()
    return model


def restore(path):
    booster = CatBoostClassifier()
    booster.load_model(path)
    return booster


def parse_options(spec):
    num_layers = 3
    for part in spec.split(","):
        num_layers = int(part)
    return num_layers


@register_model
def tiny_net(**kwargs):
    return torch.nn.Transformer(num_layers=6, dropout=0.3, **kwargs)
"""

EVALUATE = """import time

import jax
import tensorflow as tf
from datasets import load_dataset

cfg = {"lr": 3e-4, "batch_size": 64, "epochs": 10, "warmup": 500}


def evaluate(model, data):
    tf.config.experimental.enable_op_determinism()
    key = jax.random.PRNGKey(int(time.time()))
    optimizer = tf.keras.optimizers.AdamW(lr=3e-4)
    return model(data, key), optimizer


def holdout():
    return load_dataset("churn-holdout", revision="v1.2")
"""

FEATURES = """def tenure_bucket(months):
    if months < 0:
        raise ValueError(months)
    if months < 6:
        return "new"
    if months < 24:
        return "regular"
    if months < 60:
        return "loyal"
    if months < 120:
        return "veteran"
    return "founder"
"""

TREE = {
    "pyproject.toml": '[project]\nname = "churn"\nversion = "0.1.0"\ndependencies = ["torch", "scikit-learn"]\n',
    "src/churn/__init__.py": "from .features import tenure_bucket\nfrom churn.train import fit\n",
    "src/churn/train.py": TRAIN,
    "src/churn/evaluate.py": EVALUATE,
    "src/churn/features.py": FEATURES,
    "src/churn/metrics.py": FEATURES.replace("tenure_bucket", "spend_bucket"),
    "src/churn/settings.py": "LEARNING_RATE = 0.001\nBATCH_SIZE = 32\nEPOCHS = 10\n",
    "src/churn/schema.py": (
        "from dataclasses import dataclass\n\n\n@dataclass(frozen=True)\nclass TrainConfig:\n"
        "    lr: float = 3e-4\n    batch_size: int = 32\n"
    ),
    "configs/train.yaml": "lr: 0.0003\n",
    "configs/sweep.yaml": "lr: [0.001, 0.0003]\n",
    "conf/model.yaml": "layers: 6\n",
    "src/churn/app.py": (
        'import hydra\n\n\n@hydra.main(config_path="../../conf", config_name="model")\n'
        'def main(cfg):\n    return cfg\n\n\nDEFAULT_CONFIG = "configs/train.yaml"\n'
    ),
    "tests/test_features.py": (
        "from churn import tenure_bucket\n\n\ndef test_new_customers():\n    assert tenure_bucket(1) == 'new'\n"
    ),
}


CHECKS: dict[str, Callable[[Project], object]] = {
    "REP010": lambda project: list(HardcodedHyperparameters().check(project)),
    "REP011": lambda project: list(LooseConfig().check(project)),
    "REP003": lambda project: list(EstimatorWithoutRandomState().check(project)),
    "REP004": lambda project: list(NonDeterministicJaxKey().check(project)),
    "REP012": lambda project: list(UnreadConfigFile().check(project)),
    "determinism": lambda project: {path: _sets_determinism(pf) for path, pf in project.python.items()},
    "deterministic": lambda project: DeterministicKernels().assess(project),
    "typed_config": lambda project: TypedConfig().assess(project),
    "training": _first_training_call,
    "constants": _hyperparameter_block,
    "named_config": _referenced_config,
    "revision": _pinned_revision,
    "tested": reached.tested_modules,
    "TST003": lambda project: list(UntestedModule().check(project)),
}


# What each check finds on TREE, so a check that found nothing (in both ways) cannot pass.
EXPECTED: dict[str, str] = {
    "REP010": "learning_rate=0.0003 hard-coded in 2 files: src/churn/evaluate.py, src/churn/train.py",
    "REP011": "Loose config in src/churn/evaluate.py: dict cfg with 4 string keys (lr, batch_size, epochs (+1 more))",
    "REP003": "train_test_split() without random_state in src/churn/train.py",
    "REP004": "jax.random.PRNGKey(int(time.time())) is seeded from time.time()",
    "REP012": "[Hit(path='configs/sweep.yaml', line=None, message='configs/sweep.yaml is never referenced by the code'",
    "determinism": "'src/churn/train.py': True",
    "deterministic": "src/churn/evaluate.py:11 enables op determinism",
    "typed_config": "typed config TrainConfig (src/churn/schema.py)",
    "training": "src/churn/train.py:",
    "constants": "LEARNING_RATE, BATCH_SIZE, EPOCHS at src/churn/settings.py:1",
    "named_config": "configs/train.yaml (src/churn/app.py:9)",
    "revision": "src/churn/evaluate.py:18",
    "tested": "'churn.features'",
    "TST003": "Module churn.metrics (metrics) is not imported or called by any test",
}


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_facts_from_the_cache_give_what_the_trees_give(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = git_init(write_tree(tmp_path / "repo", TREE))
    direct, cached = direct_and_cached(repo, monkeypatch, CHECKS[name])
    assert cached == direct
    assert EXPECTED[name] in str(direct)


def test_rep010_literals_of_registered_variants_and_parsed_defaults_stay_out(tmp_path: Path) -> None:
    write_tree(tmp_path, TREE)
    messages = " ".join(f.message for f in findings(tmp_path, "REP010"))
    assert "weight_decay=0.05" in messages and "batch_size=32" in messages
    assert "num_layers" not in messages and "dropout" not in messages  # tiny_net and parse_options


def test_call_names_that_cannot_seed_or_draw_are_told_apart_by_name_alone() -> None:
    """The per-name prefilter of the randomness scan keeps every seed and draw name, whatever the call's
    arguments (a DataLoader draws only when it shuffles), and drops names that are neither."""
    import ast

    from mlaudit.facts.randomness import SEED_FUNCTIONS, _may_seed_or_draw, classify_draw

    shuffled = ast.parse("DataLoader(data, shuffle=True)", mode="eval").body
    assert isinstance(shuffled, ast.Call)
    draws = [
        "random.shuffle",
        "numpy.random.rand",
        "numpy.random.permutation",
        "torch.randn",
        "torch.utils.data.DataLoader",
        "torch.utils.data.random_split",
        "torch.nn.Linear",
        "torch.nn.init.xavier_uniform_",
        "tensorflow.random.normal",
        "keras.layers.Dropout",
    ]
    for name in draws:
        assert classify_draw(name, shuffled) is not None, name
        assert _may_seed_or_draw(name), name
    for name in [*SEED_FUNCTIONS, "lightning.seed_everything", "accelerate.utils.set_seed"]:
        assert _may_seed_or_draw(name), name
    for name in ["numpy.asarray", "torch.utils.data.Dataset", "random", "os.path.join", "torch.nn.functional.relu"]:
        assert not _may_seed_or_draw(name), name
