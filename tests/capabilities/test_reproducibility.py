"""Tests of the reproducibility capabilities: central and typed config, seeds, determinism, data versions, tracking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.capabilities.util import assess, earned_points
from tests.helpers import project_of, write_tree

TRAIN = """import random

import numpy as np
import torch
import yaml

from churn.config import TrainConfig


def set_seed(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def main():
    cfg = TrainConfig(**yaml.safe_load(open("configs/train.yaml")))
    set_seed(cfg.seed)
    torch.use_deterministic_algorithms(True)
    weights = torch.randn(10)
    idx = np.random.permutation(10)
    random.shuffle(list(idx))
    model = torch.nn.Linear(10, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=cfg.lr)
    model(weights).sum().backward()
    optimizer.step()
    return weights


if __name__ == "__main__":
    main()
"""
CONFIG = """from dataclasses import dataclass


@dataclass(frozen=True)
class TrainConfig:
    lr: float = 3e-4
    epochs: int = 10
    seed: int = 0
"""
UNSEEDED = TRAIN.replace("    set_seed(cfg.seed)\n", "").replace(
    "def set_seed(seed):\n    random.seed(seed)\n    np.random.seed(seed)\n    torch.manual_seed(seed)\n", ""
)
FILES = {
    "churn/__init__.py": "",
    "churn/config.py": CONFIG,
    "configs/train.yaml": "lr: 0.001\nseed: 1\n",
    "train.py": TRAIN,
}


def test_yaml_config_loaded_is_central(tmp_path: Path) -> None:
    result = assess(tmp_path, "reproducibility", "central_config", FILES)
    assert result.share == 1
    assert "configs/train.yaml" in result.evidence


def test_hardcoded_constants_are_not_a_config(tmp_path: Path) -> None:
    code = "LR = 0.001\nEPOCHS = 10\n\n\ndef train():\n    return LR * EPOCHS\n"
    assert assess(tmp_path, "reproducibility", "central_config", {"train.py": code}).share == 0


def test_a_parser_built_from_the_projects_own_argparse_subclass_reads_the_command_line(tmp_path: Path) -> None:
    code = (
        "import argparse\nimport sys\n\n\n"
        "def main():\n"
        "    class HelpfulParser(argparse.ArgumentParser):\n"
        "        def error(self, message):\n            self.print_help()\n            sys.exit(2)\n\n"
        "    parser = HelpfulParser(description='fit a model')\n"
        "    parser.add_argument('--epochs', type=int, default=10)\n"
        "    return fit(parser.parse_args().epochs)\n\n\n"
        "def fit(epochs):\n    return epochs\n"
    )
    result = assess(tmp_path, "reproducibility", "central_config", {"train.py": code})
    assert result.share == 0.8 and "train.py:11" in result.evidence
    plain = code.replace("argparse.ArgumentParser", "object").replace("import argparse\n", "")
    assert assess(tmp_path / "b", "reproducibility", "central_config", {"train.py": plain}).share == 0


def test_dataclass_config_is_typed(tmp_path: Path) -> None:
    result = assess(tmp_path, "reproducibility", "typed_config", FILES)
    assert result.share == 1
    assert "TrainConfig" in result.evidence


def test_request_model_is_not_a_typed_config(tmp_path: Path) -> None:
    code = "from pydantic import BaseModel\n\n\nclass PredictRequest(BaseModel):\n    text: str\n"
    assert assess(tmp_path, "reproducibility", "typed_config", {"churn/api.py": code}).share == 0


def test_a_typed_class_of_training_settings_is_a_typed_config_whatever_its_name(tmp_path: Path) -> None:
    code = (
        "from dataclasses import dataclass\n\n\n"
        "@dataclass\nclass Train:\n    learning_rate: float\n    epochs: int\n    batch_size: int | None = None\n"
    )
    result = assess(tmp_path, "reproducibility", "typed_config", {"fc/__init__.py": "", "fc/configure.py": code})
    assert result.share == 1 and result.evidence == "typed config Train (fc/configure.py)"


def test_a_config_checked_against_typed_signatures_is_a_typed_config(tmp_path: Path) -> None:
    """LightningCLI and jsonargparse build the run from the classes' type hints and reject a mistyped key; a plain
    argparse parser of the same module checks nothing of the kind."""
    cli = (
        "from jsonargparse import ArgumentParser\nfrom lightning.pytorch import Trainer\n\nfrom det.model import Detector\n\n\n"
        "def parse(argv):\n    parser = ArgumentParser()\n    parser.add_class_arguments(Trainer, 'trainer')\n"
        "    parser.add_subclass_arguments(Detector, 'model')\n    return parser.parse_args(argv)\n"
    )
    files = {"det/__init__.py": "", "det/model.py": "class Detector:\n    pass\n", "det/cli.py": cli}
    result = assess(tmp_path / "a", "reproducibility", "typed_config", files)
    assert result.share == 1 and "jsonargparse/LightningCLI (det/cli.py)" in result.evidence
    plain = (
        "import argparse\n\nimport lightning\n\n\ndef parse(argv):\n    parser = argparse.ArgumentParser()\n"
        "    parser.add_argument('--lr', type=float)\n    return parser.parse_args(argv)\n"
    )
    files = {"det/__init__.py": "", "det/cli.py": plain}
    assert assess(tmp_path / "b", "reproducibility", "typed_config", files).share == 0


def test_a_data_record_with_one_setting_like_field_is_not_a_typed_config(tmp_path: Path) -> None:
    code = (
        "from dataclasses import dataclass\n\n\n"
        "@dataclass\nclass Reading:\n    temperature: float\n    momentum: float\n    max_depth: int\n"
        "\n\n@dataclass\nclass Window:\n    batch_size: int\n    start: int\n"
    )
    files = {"fc/__init__.py": "", "fc/records.py": code}
    assert assess(tmp_path, "reproducibility", "typed_config", files).share == 0


def test_seeded_run_path_earns(tmp_path: Path) -> None:
    result = assess(tmp_path, "reproducibility", "seeds_set", FILES)
    assert result.share == 1
    assert "train.py seeds everything it draws" in result.evidence


def test_unseeded_run_path_does_not_earn(tmp_path: Path) -> None:
    result = assess(tmp_path, "reproducibility", "seeds_set", {**FILES, "train.py": UNSEEDED})
    assert result.share == 0
    assert "unseeded in train.py" in result.evidence


def test_deterministic_algorithms_earn(tmp_path: Path) -> None:
    assert assess(tmp_path, "reproducibility", "deterministic", FILES).share == 1


def test_no_determinism_requested(tmp_path: Path) -> None:
    code = TRAIN.replace("    torch.use_deterministic_algorithms(True)\n", "")
    assert assess(tmp_path, "reproducibility", "deterministic", {**FILES, "train.py": code}).share == 0


def test_dvc_pointer_versions_data(tmp_path: Path) -> None:
    pointer = "outs:\n- md5: 3f2a\n  path: data/train.csv\n"
    result = assess(tmp_path, "reproducibility", "data_versioned", {**FILES, "data/train.csv.dvc": pointer})
    assert result.share == 1
    assert "data/train.csv.dvc" in result.evidence


def test_committed_csv_is_not_versioning(tmp_path: Path) -> None:
    assert assess(tmp_path, "reproducibility", "data_versioned", {**FILES, "data/train.csv": "a,b\n1,2\n"}).share == 0


def test_mlflow_tracks_runs(tmp_path: Path) -> None:
    code = "import mlflow\n\n\ndef log(params):\n    mlflow.log_params(params)\n"
    assert assess(tmp_path, "reproducibility", "runs_tracked", {"churn/track.py": code}).share == 1


def test_unconfigured_unseeded_script_earns_at_most_10(tmp_path: Path) -> None:
    code = (
        "import random\n\nimport torch\n\nLR = 0.01\nw = torch.randn(3, requires_grad=True)\n"
        "random.shuffle([1, 2])\nopt = torch.optim.SGD([w], lr=LR)\n(w * 2).sum().backward()\nopt.step()\n"
    )
    write_tree(tmp_path, {"train.py": code})
    assert earned_points(tmp_path, "reproducibility") <= 10


def test_configured_seeded_project_earns_most(tmp_path: Path) -> None:
    code = "import mlflow\n\n\ndef log(params):\n    mlflow.log_params(params)\n"
    write_tree(tmp_path, {**FILES, "churn/track.py": code, "dvc.yaml": "stages: {}\n"})
    assert earned_points(tmp_path, "reproducibility") >= 90


def test_yaml_named_in_code_and_loaded_is_central(tmp_path: Path) -> None:
    code = 'import yaml\n\n\ndef hyperparameters(path="data/hyps/hyp.scratch.yaml"):\n    return yaml.safe_load(open(path))\n'
    files = {"train.py": code, "data/hyps/hyp.scratch.yaml": "lr0: 0.01\n"}
    result = assess(tmp_path, "reproducibility", "central_config", files)
    assert result.share == 1
    assert "data/hyps/hyp.scratch.yaml (train.py:4)" in result.evidence


def test_ci_yaml_is_not_an_experiment_config(tmp_path: Path) -> None:
    code = "import yaml\n\n\ndef read(path):\n    return yaml.safe_load(open(path))\n"
    files = {"tools/read.py": code, ".github/workflows/ci.yml": "on: push\n", "mkdocs.yml": "site_name: x\n"}
    assert assess(tmp_path, "reproducibility", "central_config", files).share == 0


def test_hyperparameter_constants_earn_a_little(tmp_path: Path) -> None:
    code = "num_epochs = 100\nbatch_size = 8\nlearning_rate = 0.001\n\n\ndef train():\n    return num_epochs * batch_size * learning_rate\n"
    result = assess(tmp_path, "reproducibility", "central_config", {"train.py": code})
    assert 0 < result.share < 0.5
    assert "train.py:1" in result.evidence


def test_tracker_only_in_requirements_does_not_track_runs(tmp_path: Path) -> None:
    train = "def train(loss, opt):\n    loss.backward()\n    opt.step()\n"
    files = {"train.py": train, "requirements.txt": "mlflow==2.14.0\ntensorboard==2.17.0\n"}
    assert assess(tmp_path, "reproducibility", "runs_tracked", files).share == 0


def test_code_that_trains_nothing_has_no_run_to_track(tmp_path: Path) -> None:
    serve = "import torch\n\n\ndef predict(model, x):\n    with torch.no_grad():\n        return model(x)\n"
    for key in ("runs_tracked", "data_versioned", "deterministic"):
        result = assess(tmp_path / key, "reproducibility", key, {"svc/serve.py": serve})
        assert result.share == 1 and "No code trains a model" in result.evidence


def _cli(options: tuple[str, ...]) -> str:
    declared = "".join(f'    parser.add_argument("--{name}", default=1)\n' for name in options)
    return f"import argparse\n\n\ndef main():\n    parser = argparse.ArgumentParser()\n{declared}    return parser.parse_args()\n"


def test_the_same_options_declared_in_three_scripts_are_copies_not_central(tmp_path: Path) -> None:
    copies = {f"train{n}.py": _cli(("lr", "batch-size", f"variant{n}")) for n in (1, 2, 3)}
    result = assess(tmp_path, "reproducibility", "central_config", copies)
    assert result.share == 0.5
    assert "--batch_size in 3 scripts" in result.evidence


def test_scripts_sharing_an_option_or_two_still_take_settings_from_the_command_line(tmp_path: Path) -> None:
    scripts = {"train.py": _cli(("lr", "batch-size")), "evaluate.py": _cli(("checkpoint", "batch-size"))}
    result = assess(tmp_path, "reproducibility", "central_config", scripts)
    assert result.share == 0.8
    assert result.evidence.startswith("settings come from the command line")


def test_a_documentation_build_scripts_options_configure_no_run(tmp_path: Path) -> None:
    docs = {"docs/to_markdown.py": _cli(("lib-path", "dest")), "pkg/__init__.py": "", "pkg/core.py": "X = 1\n"}
    assert assess(tmp_path / "a", "reproducibility", "central_config", docs).share == 0
    # the same parser in a script of the project is where its runs get their settings
    scripts = {"scripts/train.py": _cli(("lr", "epochs")), "pkg/__init__.py": "", "pkg/core.py": "X = 1\n"}
    assert assess(tmp_path / "b", "reproducibility", "central_config", scripts).share == 0.8


def test_seeding_is_judged_on_the_projects_own_entry_points_not_its_examples(tmp_path: Path) -> None:
    seeded = "import numpy as np\n\nnp.random.seed(0)\nX = np.random.normal(size=(10, 2))\nmodel.fit(X)\n"
    unseeded = "import numpy as np\n\nX = np.random.normal(size=(10, 2))\nmodel.fit(X)\n"
    files = {"train.py": seeded, "examples/quickstart.py": unseeded}
    assert assess(tmp_path / "a", "reproducibility", "seeds_set", files).share == 1
    only_examples = {"examples/quickstart.py": unseeded}
    assert assess(tmp_path / "b", "reproducibility", "seeds_set", only_examples).share == 0


PUBLISHED = """[project]
name = "fairfit"
version = "0.4.0"
requires-python = ">=3.10"
classifiers = ["Programming Language :: Python :: 3"]
dependencies = ["numpy>=1.24", "scikit-learn>=1.3"]
"""
ESTIMATOR = """import numpy as np
import torch
from sklearn.base import BaseEstimator, clone


class ReweightedClassifier(BaseEstimator):
    def __init__(self, estimator, random_state=None):
        self.estimator = estimator
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        self.estimator_ = clone(self.estimator)
        self.estimator_.fit(X, y, sample_weight=sample_weight)
        return self
"""


def test_a_library_whose_fit_methods_train_leaves_the_run_to_its_users(tmp_path: Path) -> None:
    library = {"pyproject.toml": PUBLISHED, "fairfit/__init__.py": "", "fairfit/reweighting.py": ESTIMATOR}
    for key in ("runs_tracked", "data_versioned", "deterministic"):
        result = assess(tmp_path / key, "reproducibility", key, library)
        assert result.share == 1 and "its users' programs" in result.evidence
    # Look-alike: the same modules without published package metadata are the project's own training code.
    unpublished = {k: v for k, v in library.items() if k != "pyproject.toml"}
    assert assess(tmp_path / "own", "reproducibility", "deterministic", unpublished).share == 0


def test_a_library_that_runs_nothing_is_held_to_the_ceiling_its_own_training_script_lifts(tmp_path: Path) -> None:
    library = {"pyproject.toml": PUBLISHED, "fairfit/__init__.py": "", "fairfit/reweighting.py": ESTIMATOR}
    write_tree(tmp_path / "lib", library)
    earned, by_key = _practice(tmp_path / "lib")
    assert earned == 75 and "run nothing to configure" in by_key["central_config"][1]  # every point stands in
    # Look-alike: with its own seeded, tracked training script the library earns by evidence, past the ceiling.
    train = (
        "import mlflow\nimport numpy as np\nimport torch\n\nfrom fairfit.reweighting import ReweightedClassifier\n\n\n"
        "def main():\n    np.random.seed(0)\n    torch.manual_seed(0)\n    torch.use_deterministic_algorithms(True)\n"
        "    X = np.random.normal(size=(8, 2))\n    mlflow.log_param('n', len(X))\n"
        "    ReweightedClassifier(None).fit(X, X[:, 0] > 0)\n\n\nif __name__ == '__main__':\n    main()\n"
    )
    write_tree(tmp_path / "run", {**library, "train.py": train, "dvc.yaml": "stages: {}\n"})
    earned, by_key = _practice(tmp_path / "run")
    assert by_key["seeds_set"][0] == 25 and by_key["runs_tracked"][0] == 10
    assert not any("at most" in evidence for _, evidence in by_key.values())


def test_a_library_module_whose_main_guard_only_configures_logging_is_no_run(tmp_path: Path) -> None:
    setup = (
        "import logging\n\n\nif __name__ == '__main__':\n"
        "    logging.basicConfig(format='%(asctime)s %(levelname)s: %(message)s')\n"
        "logger = logging.getLogger(__name__)\n\n\n"
    )
    files = {"pyproject.toml": PUBLISHED, "fairfit/__init__.py": ""}
    quiet = {**files, "fairfit/reweighting.py": setup + ESTIMATOR.replace("import numpy as np\n", "")}
    assert assess(tmp_path / "a", "reproducibility", "runs_tracked", quiet).share == 1
    # Look-alike: a guard that configures logging and then fits the estimator is the library's own run.
    runs = setup.replace("%(message)s')\n", "%(message)s')\n    ReweightedClassifier(None).fit(X, y)\n")
    trains = {**files, "fairfit/reweighting.py": runs + ESTIMATOR.replace("import numpy as np\n", "")}
    assert assess(tmp_path / "b", "reproducibility", "runs_tracked", trains).share == 0


def test_a_library_module_whose_main_guard_only_prints_a_constant_is_no_run(tmp_path: Path) -> None:
    """`print(ReweightedClassifier.NOTE)` shows a class attribute: no call runs the library's code."""
    estimator = ESTIMATOR.replace("import numpy as np\n", "")
    files = {"pyproject.toml": PUBLISHED, "fairfit/__init__.py": ""}
    shows = estimator + "\n\nif __name__ == '__main__':\n    print(ReweightedClassifier.__doc__, sep='\\n')\n"
    assert (
        assess(tmp_path / "a", "reproducibility", "runs_tracked", {**files, "fairfit/reweighting.py": shows}).share == 1
    )
    # Look-alike: a guard printing what a fit returns runs the library's training.
    fits = estimator + "\n\nif __name__ == '__main__':\n    print(ReweightedClassifier(None).fit(X, y))\n"
    assert (
        assess(tmp_path / "b", "reproducibility", "runs_tracked", {**files, "fairfit/reweighting.py": fits}).share == 0
    )


def test_a_library_with_its_own_training_script_is_judged_on_that_run(tmp_path: Path) -> None:
    train = "from fairfit.reweighting import ReweightedClassifier\n\n\nif __name__ == '__main__':\n    ReweightedClassifier(None).fit(X, y)\n"
    files = {"pyproject.toml": PUBLISHED, "fairfit/__init__.py": "", "fairfit/reweighting.py": ESTIMATOR}
    assert (
        assess(tmp_path / "a", "reproducibility", "runs_tracked", {**files, "benchmarks/train_all.py": train}).share
        == 0
    )
    # Training that only happens in its examples is documentation: still the users' run.
    assert assess(tmp_path / "b", "reproducibility", "runs_tracked", {**files, "examples/train.py": train}).share == 1
    # A module the library runs as a command (`fairfit-train`, or a main guard) is its own run.
    command = PUBLISHED + '[project.scripts]\nfairfit-train = "fairfit.cli:main"\n'
    cli = "from fairfit.reweighting import ReweightedClassifier\n\n\ndef main():\n    ReweightedClassifier(None).fit(X, y)\n"
    as_command = {**files, "pyproject.toml": command, "fairfit/cli.py": cli}
    assert assess(tmp_path / "c", "reproducibility", "runs_tracked", as_command).share == 0
    guarded = {**files, "fairfit/cli.py": cli + "\n\nif __name__ == '__main__':\n    main()\n"}
    assert assess(tmp_path / "d", "reproducibility", "runs_tracked", guarded).share == 0


def test_a_library_is_not_judged_on_its_examples_seeding(tmp_path: Path) -> None:
    unseeded = "import numpy as np\n\nX = np.random.normal(size=(10, 2))\nmodel.fit(X)\n"
    library = {"pyproject.toml": PUBLISHED, "fairfit/__init__.py": "", "fairfit/reweighting.py": ESTIMATOR}
    result = assess(tmp_path, "reproducibility", "seeds_set", {**library, "examples/quickstart.py": unseeded})
    assert result.share == 1 and "nothing to seed" in result.evidence


def test_a_library_seeding_global_state_inside_its_package_is_no_seeding_evidence(tmp_path: Path) -> None:
    splits = "import numpy as np\n\n\nclass Splits:\n    def __init__(self, n):\n        np.random.seed(0)\n        self.n = n\n"
    library = {"pyproject.toml": PUBLISHED, "fairfit/__init__.py": "", "fairfit/splits.py": splits}
    result = assess(tmp_path / "a", "reproducibility", "seeds_set", library)
    assert result.share == 1 and "nothing to seed" in result.evidence
    # Look-alike: the same seed in the project's own script is its run seeding
    script = "import numpy as np\n\nif __name__ == '__main__':\n    np.random.seed(0)\n"
    result = assess(tmp_path / "b", "reproducibility", "seeds_set", {**library, "scripts/make_splits.py": script})
    assert result.evidence == "seeds set at scripts/make_splits.py:4 (numpy.random.seed)"


def test_central_config_evidence_names_the_training_entry_point(tmp_path: Path) -> None:
    helper = "from omegaconf import OmegaConf\n\n\ndef merge(a, b):\n    return OmegaConf.merge(a, b)\n"
    train = (
        "import hydra\n\n\n@hydra.main(config_path='conf', config_name='train')\n"
        "def main(cfg):\n    model.fit(cfg.data)\n\n\nif __name__ == '__main__':\n    main()\n"
    )
    files = {"churn/__init__.py": "", "churn/cfgutil.py": helper, "churn/train.py": train}
    result = assess(tmp_path / "a", "reproducibility", "central_config", files)
    assert result.share == 1 and result.evidence.startswith("churn/train.py configures runs through hydra")
    # Look-alike: with no entry point, the first module in path order is the evidence.
    library = {"churn/__init__.py": "", "churn/cfgutil.py": helper}
    assert assess(tmp_path / "b", "reproducibility", "central_config", library).evidence.startswith("churn/cfgutil.py")


def test_typed_config_evidence_prefers_the_run_config_over_a_component_config(tmp_path: Path) -> None:
    configs = (
        "from dataclasses import dataclass\n\n\n@dataclass\nclass AugmentConfig:\n    flip: bool = True\n\n\n"
        "@dataclass\nclass TrainerConfig:\n    epochs: int = 10\n    lr: float = 3e-4\n"
    )
    result = assess(tmp_path, "reproducibility", "typed_config", {"churn/__init__.py": "", "churn/configs.py": configs})
    assert result.share == 1 and result.evidence == "typed config TrainerConfig (churn/configs.py)"


def test_seeding_evidence_shows_a_training_run_before_a_utility_script(tmp_path: Path) -> None:
    augment = "import random\n\nrandom.seed(0)\nprint(random.random())\n"
    train = "import numpy as np\n\nnp.random.seed(0)\nX = np.random.normal(size=(10, 2))\nmodel.fit(X)\n"
    result = assess(tmp_path, "reproducibility", "seeds_set", {"a_preview.py": augment, "train.py": train})
    assert result.share == 1 and "train.py seeds everything it draws" in result.evidence


def test_seeding_evidence_names_an_entry_point_with_its_own_seed_call(tmp_path: Path) -> None:
    # a_demo.py draws but trains nothing and seeds nothing; b_mix.py seeds what it draws
    demo = "import torch\n\nx = torch.randn(1, 2, 100)\nprint(x.mean())\n"
    mix = "import random\n\nrandom.seed(4321)\nprint(random.random())\n"
    result = assess(tmp_path, "reproducibility", "seeds_set", {"a_demo.py": demo, "b_mix.py": mix})
    assert "b_mix.py seeds everything it draws (random.seed at b_mix.py:3)" in result.evidence
    assert "a_demo.py seeds" not in result.evidence


SOLVER_ENTRY = """import hydra

from fairfit import solvers


@hydra.main(config_path="../config", config_name="config")
def main(cfg):
    solver = solvers.get_solver(cfg)
    return solver.run()


if __name__ == "__main__":
    main()
"""


PY_CONFIG_TRAIN = """import argparse

from lab.config import Config
from lab.runner import Runner


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("config")
    parser.add_argument("--work-dir")
    args = parser.parse_args()
    cfg = Config.fromfile(args.config)
    Runner.from_cfg(cfg).train()


if __name__ == "__main__":
    main()
"""


def test_a_library_run_module_named_for_training_is_a_training_run(tmp_path: Path) -> None:
    # fairfit/train.py hands the loop to solver.run(); fairfit/evaluate.py is the same shape but evaluates
    library = {"pyproject.toml": PUBLISHED, "fairfit/__init__.py": "", "fairfit/reweighting.py": ESTIMATOR}
    trains = {**library, "fairfit/train.py": SOLVER_ENTRY}
    assert assess(tmp_path / "a", "reproducibility", "deterministic", trains).share == 0
    command = {**library, "fairfit/run/run_training.py": SOLVER_ENTRY}
    assert assess(tmp_path / "r", "reproducibility", "deterministic", command).share == 0
    evaluates = {**library, "fairfit/evaluate.py": SOLVER_ENTRY}
    result = assess(tmp_path / "b", "reproducibility", "deterministic", evaluates)
    assert result.share == 1 and "its users' programs" in result.evidence
    # Look-alike: a package module named train.py with no main guard holds helpers, not a run.
    helpers = {**library, "fairfit/train.py": "def train_step(model, batch):\n    return model(batch)\n"}
    assert assess(tmp_path / "c", "reproducibility", "deterministic", helpers).share == 1


def test_a_library_command_named_for_training_is_a_training_run(tmp_path: Path) -> None:
    # `fairfit-train` runs fairfit/cli/train_cli.py, which hands the loop to a method the analysis does not follow
    entry = "from fairfit.reweighting import ReweightedClassifier\n\n\ndef entry():\n    ReweightedClassifier(None).run_all()\n"
    library = {"fairfit/__init__.py": "", "fairfit/reweighting.py": ESTIMATOR, "fairfit/cli/__init__.py": ""}
    command = PUBLISHED + '[project.scripts]\nfairfit-train = "fairfit.cli.train_cli:entry"\n'
    trains = {**library, "pyproject.toml": command, "fairfit/cli/train_cli.py": entry}
    assert assess(tmp_path / "a", "reproducibility", "deterministic", trains).share == 0
    # Look-alike: the same module named for training but no command runs it: a helper of the users' runs
    helper = {**library, "pyproject.toml": PUBLISHED, "fairfit/cli/train_cli.py": entry}
    result = assess(tmp_path / "b", "reproducibility", "deterministic", helper)
    assert result.share == 1 and "its users' programs" in result.evidence


def test_tools_sharing_what_they_work_on_are_not_copied_settings(tmp_path: Path) -> None:
    # export, evaluate and profile each take --model and --device: three tools, not three copies of a run
    tools = {f"{name}.py": _cli(("model", "device", name)) for name in ("export", "evaluate", "profile")}
    result = assess(tmp_path, "reproducibility", "central_config", tools)
    assert result.share == 0.8 and result.evidence.startswith("settings come from the command line")


def test_a_library_without_runs_of_its_own_has_no_run_to_configure(tmp_path: Path) -> None:
    library = {"pyproject.toml": PUBLISHED, "fairfit/__init__.py": "", "fairfit/reweighting.py": ESTIMATOR}
    result = assess(tmp_path / "a", "reproducibility", "central_config", library)
    assert result.share == 1 and "parameters of its API" in result.evidence
    # Look-alike: the same library with its own training script must configure that run.
    train = "from fairfit.reweighting import ReweightedClassifier\n\n\nif __name__ == '__main__':\n    ReweightedClassifier(None).fit(X, y)\n"
    own_run = {**library, "scripts/train_all.py": train}
    assert assess(tmp_path / "b", "reproducibility", "central_config", own_run).share == 0


DEMO_MAIN = """

if __name__ == "__main__":
    model = ReweightedClassifier(None)
    X = torch.randn(8, 3)
    y = torch.randint(0, 2, (8,))
    model.fit({data}, y)
"""


def test_a_main_block_demoing_the_module_on_random_tensors_is_not_a_run(tmp_path: Path) -> None:
    library = {"pyproject.toml": PUBLISHED, "fairfit/__init__.py": ""}
    demo = "import torch\n" + ESTIMATOR + DEMO_MAIN.format(data="X")
    result = assess(tmp_path / "a", "reproducibility", "deterministic", {**library, "fairfit/reweighting.py": demo})
    assert result.share == 1 and "its users' programs" in result.evidence
    constant = demo.replace("torch.randn(8, 3)", "torch.zeros(8, 3)").replace("torch.randint(0, 2, (8,))", "X[:, 0]")
    files = {**library, "fairfit/reweighting.py": constant}
    assert assess(tmp_path / "z", "reproducibility", "deterministic", files).share == 1
    # Look-alike: the same block fitting data it reads from disk is the library's own run.
    reads = "import numpy as np\nimport torch\n" + ESTIMATOR + DEMO_MAIN.format(data="np.load('features.npy')")
    files = {**library, "fairfit/reweighting.py": reads}
    assert assess(tmp_path / "b", "reproducibility", "deterministic", files).share == 0


SELF_TEST = """

def _test():
    model = ReweightedClassifier(None)
    X = {data}
    y = torch.randint(0, 2, (8,))
    model.fit(X, y)


if __name__ == "__main__":
    _test()
"""


def test_a_main_block_calling_a_module_function_that_demos_on_random_tensors_is_not_a_run(tmp_path: Path) -> None:
    library = {"pyproject.toml": PUBLISHED, "fairfit/__init__.py": ""}
    demo = "import torch\n" + ESTIMATOR + SELF_TEST.format(data="torch.randn(8, 3)")
    result = assess(tmp_path / "a", "reproducibility", "deterministic", {**library, "fairfit/reweighting.py": demo})
    assert result.share == 1 and "its users' programs" in result.evidence
    # Look-alike: the function the block calls fits data it reads from disk: the library's own run.
    reads = "import numpy as np\nimport torch\n" + ESTIMATOR + SELF_TEST.format(data="np.load('features.npy')")
    files = {**library, "fairfit/reweighting.py": reads}
    assert assess(tmp_path / "b", "reproducibility", "deterministic", files).share == 0


PY_CONFIG = (
    "_base_ = ['../_base_/runtime.py']\n\nmodel = dict(type='UNet', num_classes=19)\noptimizer = dict(lr=0.01)\n"
)


def test_settings_modules_loaded_by_a_config_class_are_central(tmp_path: Path) -> None:
    files = {
        "tools/train.py": PY_CONFIG_TRAIN,
        "tools/test.py": PY_CONFIG_TRAIN.replace("train()", "test()"),
        "tools/export.py": PY_CONFIG_TRAIN.replace("train()", "export()"),
        "configs/unet/unet_city.py": PY_CONFIG,
        "configs/_base_/runtime.py": "default_hooks = dict(logger=dict(interval=50))\n",
    }
    result = assess(tmp_path, "reproducibility", "central_config", files)
    assert result.share == 1
    assert result.evidence == "2 config files (e.g. configs/_base_/runtime.py) loaded at tools/train.py:12"


def test_python_helpers_in_a_config_folder_are_not_config_files(tmp_path: Path) -> None:
    helper = "def build(cfg):\n    return dict(model=cfg)\n"
    files = {
        "tools/train.py": PY_CONFIG_TRAIN,
        "tools/test.py": PY_CONFIG_TRAIN.replace("train()", "test()"),
        "tools/export.py": PY_CONFIG_TRAIN.replace("train()", "export()"),
        "lab/config/builder.py": helper,
    }
    result = assess(tmp_path, "reproducibility", "central_config", files)
    assert result.share == 0.8  # the command line, not a config file (the helper only builds)
    assert result.evidence.startswith("settings come from the command line")


TEMPLATE_LOADER = """import yaml


def hyperparameters(algo, root="."):
    with open(f"{root}/hyperparams/{algo}.yml") as f:
        return yaml.safe_load(f)
"""


def test_a_config_path_template_names_the_yaml_files_of_its_folder(tmp_path: Path) -> None:
    files = {"zoo/train.py": TEMPLATE_LOADER, "hyperparams/ppo.yml": "CartPole-v1:\n  n_steps: 32\n"}
    result = assess(tmp_path, "reproducibility", "central_config", files)
    assert result.share == 1
    assert result.evidence == (
        "config file hyperparams/ppo.yml (zoo/train.py:5) is named in the code; config files are loaded at zoo/train.py:6"
    )


def test_a_template_naming_any_yaml_anywhere_names_no_config(tmp_path: Path) -> None:
    loader = TEMPLATE_LOADER.replace('f"{root}/hyperparams/{algo}.yml"', 'f"{root}/{algo}.yml"')
    files = {"zoo/train.py": loader, "hyperparams/ppo.yml": "CartPole-v1:\n  n_steps: 32\n"}
    assert assess(tmp_path, "reproducibility", "central_config", files).share == 0


def test_tools_sharing_utility_options_take_settings_from_the_command_line(tmp_path: Path) -> None:
    tools = {f"tools/{name}.py": _cli(("out-dir", "device", name)) for name in ("convert", "browse", "export")}
    result = assess(tmp_path, "reproducibility", "central_config", tools)
    assert result.share == 0.8
    assert result.evidence.startswith("settings come from the command line")


def test_a_toml_named_only_by_documentation_tooling_is_not_an_experiment_config(tmp_path: Path) -> None:
    docs = 'import tomllib\n\n\ndef site():\n    return tomllib.load(open("site.toml", "rb"))\n'
    files = {"scripts/docs/export_pages.py": docs, "site.toml": "[site]\nname = 'x'\n"}
    assert assess(tmp_path / "docs", "reproducibility", "central_config", files).share == 0
    train = {"lab/train.py": docs.replace("site.toml", "train.toml"), "train.toml": "lr = 0.1\n"}
    assert assess(tmp_path / "train", "reproducibility", "central_config", train).share == 1


@pytest.mark.parametrize(
    ("switch", "share"),
    [
        ("torch.backends.cudnn.deterministic = True", 1),
        ("torch.backends.cudnn.benchmark = False", 1),
        ("torch.backends.cudnn.benchmark = True", 0),
        ("torch.use_deterministic_algorithms(False)", 0),
        ("trainer = pl.Trainer(deterministic=True)", 1),
        ("trainer = pl.Trainer(deterministic=False, benchmark=True)", 0),
    ],
)
def test_determinism_is_requested_only_by_turning_it_on(tmp_path: Path, switch: str, share: int) -> None:
    code = TRAIN.replace("    torch.use_deterministic_algorithms(True)\n", f"    {switch}\n").replace(
        "import torch\n", "import pytorch_lightning as pl\nimport torch\n", 1
    )
    assert assess(tmp_path, "reproducibility", "deterministic", {**FILES, "train.py": code}).share == share


def test_a_deterministic_option_of_the_training_entry_point_lets_runs_request_it(tmp_path: Path) -> None:
    code = TRAIN.replace("    torch.use_deterministic_algorithms(True)\n", "")
    flag = PY_CONFIG_TRAIN.replace(
        'parser.add_argument("--work-dir")', 'parser.add_argument("--deterministic", action="store_true")'
    )
    result = assess(
        tmp_path / "flag", "reproducibility", "deterministic", {**FILES, "train.py": code, "tools/run.py": flag}
    )
    assert result.share == 1
    assert result.evidence == "tools/run.py lets a run request deterministic execution (--deterministic)"
    assert (
        assess(
            tmp_path / "none",
            "reproducibility",
            "deterministic",
            {**FILES, "train.py": code, "tools/run.py": PY_CONFIG_TRAIN},
        ).share
        == 0
    )


def test_an_imported_settings_module_of_constants_is_a_first_step_not_a_loaded_config(tmp_path: Path) -> None:
    settings = "BATCH_SIZE = 32\nLR = 0.001\nEPOCHS = 10\n"
    train = "import torch\n\nfrom config.settings import LR\n\n\ndef train(model):\n    torch.optim.SGD(model.parameters(), lr=LR).step()\n"
    result = assess(
        tmp_path, "reproducibility", "central_config", {"config/settings.py": settings, "lab/train.py": train}
    )
    assert 0 < result.share < 0.5
    assert "config/settings.py:1" in result.evidence


def _notebook(*cells: tuple[str, str]) -> str:
    """Return a minimal .ipynb document holding `(cell_type, source)` cells."""
    body: list[dict[str, object]] = []
    for kind, source in cells:
        cell: dict[str, object] = {"cell_type": kind, "metadata": {}, "source": source.splitlines(keepends=True)}
        if kind == "code":
            cell |= {"execution_count": None, "outputs": []}
        body.append(cell)
    return json.dumps({"cells": body, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def test_a_seed_in_a_notebook_is_located_by_its_cell(tmp_path: Path) -> None:
    notebook = _notebook(
        ("markdown", "# Churn analysis\n"),
        ("code", "import numpy as np\n\nnp.random.seed(7)\n"),
        ("code", "X = np.random.normal(size=(100, 3))\nmodel.fit(X)\n"),
    )
    result = assess(tmp_path, "reproducibility", "seeds_set", {"analysis.ipynb": notebook})
    assert result.share == 1
    assert "analysis.ipynb[cell 2]:3" in result.evidence


def test_a_seed_in_a_script_keeps_its_file_line(tmp_path: Path) -> None:
    script = "import numpy as np\n\nnp.random.seed(7)\nX = np.random.normal(size=(100, 3))\nmodel.fit(X)\n"
    result = assess(tmp_path, "reproducibility", "seeds_set", {"analysis.py": script})
    assert result.share == 1
    assert "analysis.py:3" in result.evidence
    assert "[cell" not in result.evidence


SERVE = """import json
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class ServeConfig:
    checkpoint: str
    threshold: float = 0.5


def load_config(path):
    with open(path) as handle:
        return ServeConfig(**json.load(handle))


def predict(model, x):
    with torch.no_grad():
        return model(x)
"""
INFERENCE_ONLY = {"svc/__init__.py": "", "svc/serve.py": SERVE, "configs/serve.json": '{"checkpoint": "m.pt"}\n'}


def _practice(root: Path) -> tuple[int, dict[str, tuple[int, str]]]:
    from mlaudit.evidence import assess_practice

    scores, _ = assess_practice("reproducibility", project_of(root))
    return sum(s.earned for s in scores), {s.key: (s.earned, s.evidence) for s in scores}


def test_what_does_not_apply_lifts_an_inference_only_project_to_a_b_at_most(tmp_path: Path) -> None:
    from mlaudit.scoring import STAND_IN_CEILING

    write_tree(tmp_path, INFERENCE_ONLY)
    earned, by_key = _practice(tmp_path)
    assert earned == STAND_IN_CEILING == 75  # config 25 + typed 15 + 60 that do not apply, cut to 35
    assert by_key["central_config"][0] == 25 and by_key["typed_config"][0] == 15
    assert by_key["runs_tracked"] == (
        0,
        "No code trains a model (no backward pass, optimizer step or fit call): no run to repeat"
        " (counts 0 of 10: what does not apply lifts a practice to 75 at most)",
    )
    assert by_key["seeds_set"][0] == 25  # the first stand-ins keep their points, the last give them up


def test_a_training_project_that_shows_its_runs_is_not_held_to_the_ceiling(tmp_path: Path) -> None:
    code = "import mlflow\n\n\ndef log(params):\n    mlflow.log_params(params)\n"
    write_tree(tmp_path, {**FILES, "churn/track.py": code, "dvc.yaml": "stages: {}\n"})
    earned, by_key = _practice(tmp_path)
    assert earned > 90 and not any("at most" in evidence for _, evidence in by_key.values())


def test_an_inference_only_project_below_the_ceiling_keeps_every_point(tmp_path: Path) -> None:
    serve = "import torch\n\n\ndef predict(model, x):\n    with torch.no_grad():\n        return model(x)\n"
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/serve.py": serve})
    earned, by_key = _practice(tmp_path)
    assert by_key["central_config"][0] == 0 and by_key["typed_config"][0] == 0
    assert earned == 60 and by_key["runs_tracked"][0] == 10  # what does not apply, uncut: the total is below 75


def test_draws_outside_training_are_not_reported_as_seeded(tmp_path: Path) -> None:
    demo = "import numpy as np\n\nX = np.random.randn(100, 2)\nprint(X.mean())\n"
    result = assess(tmp_path / "course", "reproducibility", "seeds_set", {"hw1/demo.py": demo})
    assert result.share == 1
    assert result.evidence == "randomness drawn in hw1/demo.py, none of which trains a model: no training run to repeat"
    # Look-alike: once the same draw feeds a training run, its source counts, and it is unseeded.
    train = demo + "model.fit(X)\n"
    trained = assess(tmp_path / "trained", "reproducibility", "seeds_set", {"hw1/demo.py": train})
    assert trained.share == 0 and "numpy unseeded in hw1/demo.py" in trained.evidence


def test_missing_determinism_names_the_call_of_the_projects_framework(tmp_path: Path) -> None:
    keras = (
        "import tensorflow as tf\n\n\n"
        "def main(x, y):\n    tf.keras.utils.set_random_seed(0)\n"
        "    model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n    model.fit(x, y)\n"
    )
    result = assess(tmp_path / "tf", "reproducibility", "deterministic", {"train.py": keras})
    assert result.share == 0 and "(tf.config.experimental.enable_op_determinism())" in result.evidence
    # Look-alike: a torch training script is pointed at torch's switch.
    torch_code = TRAIN.replace("    torch.use_deterministic_algorithms(True)\n", "")
    torch_result = assess(tmp_path / "pt", "reproducibility", "deterministic", {**FILES, "train.py": torch_code})
    assert "(torch.use_deterministic_algorithms(True))" in torch_result.evidence


JAX_TRAIN = (
    "import jax\nimport optax\n\n\n"
    "def main(params, batches):\n    opt = optax.adam(1e-3)\n    state = opt.init(params)\n"
    "    for batch in batches:\n        grads = jax.grad(loss)(params, batch)\n"
    "        updates, state = opt.update(grads, state)\n        params = optax.apply_updates(params, updates)\n"
    "    return params\n"
)


def test_an_xla_or_tensorflow_deterministic_ops_switch_requests_determinism(tmp_path: Path) -> None:
    missing = assess(tmp_path / "jax", "reproducibility", "deterministic", {"train.py": JAX_TRAIN})
    assert missing.share == 0 and "(XLA_FLAGS=--xla_gpu_deterministic_ops=true)" in missing.evidence
    flagged = 'import os\n\nos.environ["XLA_FLAGS"] = "--xla_gpu_deterministic_ops=true"\n' + JAX_TRAIN
    result = assess(tmp_path / "flag", "reproducibility", "deterministic", {"train.py": flagged})
    assert result.share == 1 and result.evidence == "train.py:3 asks for deterministic GPU ops"
    launch = {"train.py": JAX_TRAIN, "run.sh": "export TF_DETERMINISTIC_OPS=1\npython train.py\n"}
    assert assess(tmp_path / "sh", "reproducibility", "deterministic", launch).share == 1
    # Look-alike: the switch turned off.
    off = flagged.replace("deterministic_ops=true", "deterministic_ops=false")
    assert assess(tmp_path / "off", "reproducibility", "deterministic", {"train.py": off}).share == 0


def test_an_optax_or_flax_update_step_is_training(tmp_path: Path) -> None:
    flax_step = (
        "import jax\n\n\ndef run(state, batches):\n    for batch in batches:\n"
        "        grads = jax.grad(loss_fn)(state.params, batch)\n        state = state.apply_gradients(grads=grads)\n"
        "    return state\n"
    )
    optax_step = JAX_TRAIN.replace("opt = optax.adam", "tx = optax.adam").replace("opt.", "tx.")
    for name, code in (("flax", flax_step), ("optax", optax_step)):
        result = assess(
            tmp_path / name, "reproducibility", "deterministic", {"gnn/__init__.py": "", "gnn/fit.py": code}
        )
        assert result.share == 0 and "XLA_FLAGS" in result.evidence, name
    # Look-alike: JAX code that differentiates and updates a dict, training nothing.
    look = flax_step.replace("state.apply_gradients(grads=grads)", "state.copy(grads)")
    result = assess(tmp_path / "none", "reproducibility", "deterministic", {"gnn/__init__.py": "", "gnn/fit.py": look})
    assert "No code trains a model" in result.evidence


def test_scikit_learn_training_has_no_kernels_to_make_deterministic(tmp_path: Path) -> None:
    train = (
        "import joblib\n"
        "import pandas as pd\n"
        "from sklearn.ensemble import RandomForestClassifier\n\n\n"
        "def main():\n"
        "    df = pd.read_csv('data/train.csv')\n"
        "    model = RandomForestClassifier(n_estimators=300, random_state=0)\n"
        "    model.fit(df.drop(columns='y'), df['y'])\n"
        "    joblib.dump(model, 'model.joblib')\n\n\n"
        "if __name__ == '__main__':\n"
        "    main()\n"
    )
    result = assess(tmp_path / "a", "reproducibility", "deterministic", {"train.py": train})
    assert result.share == 1 and "no non-deterministic kernels" in result.evidence
    # Look-alike: the same run trained with a gradient-boosting library whose kernels can vary.
    boosted = train.replace("from sklearn.ensemble import RandomForestClassifier", "from xgboost import XGBClassifier")
    boosted = boosted.replace(
        "RandomForestClassifier(n_estimators=300, random_state=0)", "XGBClassifier(random_state=0)"
    )
    assert assess(tmp_path / "b", "reproducibility", "deterministic", {"train.py": boosted}).share == 0


def test_a_librarys_notebooks_folder_shows_users_how_to_call_it_but_its_own_notebook_run_counts(tmp_path: Path) -> None:
    library = {"pyproject.toml": PUBLISHED, "fairfit/__init__.py": "", "fairfit/reweighting.py": ESTIMATOR}
    tutorial = _notebook(
        ("markdown", "# Reweighting a classifier\n"),
        ("code", "from fairfit.reweighting import ReweightedClassifier\n\nReweightedClassifier(None).fit(X, y)\n"),
    )
    result = assess(tmp_path / "a", "reproducibility", "runs_tracked", {**library, "notebooks/intro.ipynb": tutorial})
    assert result.share == 1 and "its users' programs" in result.evidence
    # Look-alike: a notebook at the root of the library is one of its own runs.
    assert (
        assess(tmp_path / "b", "reproducibility", "runs_tracked", {**library, "benchmark.ipynb": tutorial}).share == 0
    )


def test_a_librarys_community_notebooks_folder_is_a_notebooks_folder_but_an_experiments_folder_is_not(
    tmp_path: Path,
) -> None:
    library = {"pyproject.toml": PUBLISHED, "fairfit/__init__.py": "", "fairfit/reweighting.py": ESTIMATOR}
    tutorial = _notebook(
        ("code", "from fairfit.reweighting import ReweightedClassifier\n\nReweightedClassifier(None).fit(X, y)\n")
    )
    shown = {**library, "notebooks_community/reweighting/reweighting.ipynb": tutorial}
    result = assess(tmp_path / "a", "reproducibility", "runs_tracked", shown)
    assert result.share == 1 and "its users' programs" in result.evidence
    # Look-alike: the same notebook in an experiments folder is one of the library's own runs.
    run = {**library, "experiments/reweighting/reweighting.ipynb": tutorial}
    assert assess(tmp_path / "b", "reproducibility", "runs_tracked", run).share == 0


LOOP = """import torch


def fit(model, data, steps):
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
    for _ in range(steps):
        batch = data[torch.randperm(len(data))[:8]]
        loss = model(batch).pow(2).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()


def setup(model, data, steps=100):
    fit(model, data, steps)


def generate(model, prompt):
    with torch.no_grad():
        return model(prompt)
"""


def test_a_library_command_whose_calls_reach_the_packages_training_loop_is_a_training_run(tmp_path: Path) -> None:
    command = PUBLISHED + '[project.scripts]\nfairfit = "fairfit.__main__:main"\n'
    library = {"pyproject.toml": command, "fairfit/__init__.py": "", "fairfit/finetune.py": LOOP}
    cli = (
        "import sys\n\nfrom fairfit.finetune import {name}\n\n\n"
        "def main():\n    {name}(sys.argv[1], sys.argv[2])\n\n\nif __name__ == '__main__':\n    main()\n"
    )
    trains = {**library, "fairfit/__main__.py": cli.format(name="setup")}
    result = assess(tmp_path / "a", "reproducibility", "deterministic", trains)
    assert result.share == 0 and "never requested" in result.evidence
    # Look-alike: the command only generates; the package's loop is run by its users' programs
    serves = {**library, "fairfit/__main__.py": cli.format(name="generate")}
    result = assess(tmp_path / "b", "reproducibility", "deterministic", serves)
    assert result.share == 1 and "its users' programs" in result.evidence


def test_a_library_command_that_trains_without_drawing_randomness_is_still_a_training_run(tmp_path: Path) -> None:
    """A fine-tuning loop over a fixed data order draws nothing at random, yet `fairfit tune` is a run to track."""
    loop = LOOP.replace("batch = data[torch.randperm(len(data))[:8]]", "batch = data[:8]")
    command = PUBLISHED + '[project.scripts]\nfairfit = "fairfit.__main__:main"\n'
    library = {"pyproject.toml": command, "fairfit/__init__.py": "", "fairfit/finetune.py": loop}
    cli = (
        "import sys\n\nfrom fairfit.finetune import {name}\n\n\n"
        "def main():\n    {name}(sys.argv[1], sys.argv[2])\n\n\nif __name__ == '__main__':\n    main()\n"
    )
    result = assess(
        tmp_path / "a", "reproducibility", "runs_tracked", {**library, "fairfit/__main__.py": cli.format(name="setup")}
    )
    assert result.share == 0 and "No experiment tracker" in result.evidence
    # Look-alike: the command only generates; the package's loop is run by its users' programs
    result = assess(
        tmp_path / "b",
        "reproducibility",
        "runs_tracked",
        {**library, "fairfit/__main__.py": cli.format(name="generate")},
    )
    assert result.share == 1 and "its users' programs" in result.evidence


def test_tensorboard_summaries_written_through_tensorflow_track_runs_but_tf_math_does_not(tmp_path: Path) -> None:
    loop = (
        "import tensorflow as tf\n\n\n"
        "def train(model, data, optimizer, logdir):\n"
        "    writer = tf.summary.create_file_writer(logdir)\n"
        "    for step, (x, y) in enumerate(data):\n"
        "        with tf.GradientTape() as tape:\n"
        "            loss = tf.reduce_mean(tf.square(model(x) - y))\n"
        "        grads = tape.gradient(loss, model.trainable_variables)\n"
        "        optimizer.apply_gradients(zip(grads, model.trainable_variables))\n"
        "        {log}\n"
    )
    logged = loop.replace("{log}", "with writer.as_default():\n            tf.summary.scalar('loss', loss, step=step)")
    result = assess(tmp_path / "a", "reproducibility", "runs_tracked", {"train.py": logged})
    assert result.share == 1 and "tensorflow.summary.create_file_writer" in result.evidence
    # Look-alike: the same loop printing its loss with TensorFlow math only records nothing
    printed = loop.replace("    writer = tf.summary.create_file_writer(logdir)\n", "").replace(
        "{log}", "tf.print('loss', tf.math.reduce_mean(loss))"
    )
    assert assess(tmp_path / "b", "reproducibility", "runs_tracked", {"train.py": printed}).share == 0


def test_an_estimator_trained_by_train_and_evaluate_tracks_its_run_but_one_only_predicting_does_not(
    tmp_path: Path,
) -> None:
    """`tf.estimator.train_and_evaluate` writes the run's loss and eval metrics to the estimator's model_dir for
    TensorBoard; a Keras `fit` beside an estimator built only to `predict` records nothing."""
    main = (
        "import tensorflow as tf\n\n\n"
        "def train(model_fn, params, train_input, eval_input):\n"
        "    config = tf.estimator.RunConfig(save_summary_steps=params['save_summary_steps'])\n"
        "    estimator = tf.estimator.Estimator(model_fn=model_fn, model_dir=params['model_dir'], config=config)\n"
        "    train_spec = tf.estimator.TrainSpec(input_fn=train_input, max_steps=params['train_max_steps'])\n"
        "    eval_spec = tf.estimator.EvalSpec(input_fn=eval_input, steps=None)\n"
        "    tf.estimator.train_and_evaluate(estimator, train_spec, eval_spec)\n"
    )
    result = assess(tmp_path / "a", "reproducibility", "runs_tracked", {"train.py": main})
    assert result.share == 1 and "tensorflow.estimator.train_and_evaluate" in result.evidence
    predicting = (
        "import tensorflow as tf\n\n\n"
        "def fine_tune(model, x, y):\n"
        "    model.fit(x, y, epochs=3)\n\n\n"
        "def separate(model_fn, params, input_fn):\n"
        "    estimator = tf.estimator.Estimator(model_fn=model_fn, model_dir=params['model_dir'])\n"
        "    return list(estimator.predict(input_fn, yield_single_examples=False))\n"
    )
    assert assess(tmp_path / "b", "reproducibility", "runs_tracked", {"separate.py": predicting}).share == 0


@pytest.mark.parametrize(("test", "share"), [("digest != expected", 1), ("digest in seen", 0)])
def test_digest_verifies_data_only_when_compared_for_equality(tmp_path: Path, test: str, share: int) -> None:
    code = (
        "import hashlib\n\n\ndef add(path, expected, seen):\n"
        "    digest = hashlib.sha256(open(path, 'rb').read()).hexdigest()\n"
        f"    if {test}:\n        return None\n    seen.add(digest)\n    return digest\n"
    )
    assert assess(tmp_path, "reproducibility", "data_versioned", {**FILES, "churn/store.py": code}).share == share


@pytest.mark.parametrize(
    ("hashed", "share"), [("json.dumps(cfg, sort_keys=True).encode()", 0), ("open(path, 'rb').read()", 1)]
)
def test_a_digest_of_an_object_the_code_serialised_verifies_no_data(tmp_path: Path, hashed: str, share: int) -> None:
    code = (
        "import hashlib\nimport json\n\n\ndef stale(cfg, path, recorded):\n"
        f"    canonical = {hashed}\n    return hashlib.sha256(canonical).hexdigest() != recorded\n"
    )
    assert assess(tmp_path, "reproducibility", "data_versioned", {**FILES, "churn/cache.py": code}).share == share


def test_a_librarys_standalone_examples_declaring_the_same_options_are_not_copies(tmp_path: Path) -> None:
    library = {"pyproject.toml": PUBLISHED, "fairfit/__init__.py": "", "fairfit/reweighting.py": ESTIMATOR}
    examples = {f"examples/{name}/main.py": _cli(("lr", "batch-size", name)) for name in ("mnist", "cifar", "gan")}
    result = assess(tmp_path / "a", "reproducibility", "central_config", {**library, **examples})
    assert result.share == 0.8 and result.evidence.startswith("settings come from the command line")
    # Look-alike: the library's own training scripts copying the options are copies.
    scripts = {f"scripts/train_{name}.py": _cli(("lr", "batch-size", name)) for name in ("mnist", "cifar", "gan")}
    result = assess(tmp_path / "b", "reproducibility", "central_config", {**library, **scripts})
    assert result.share == 0.5 and "--batch_size in 3 scripts" in result.evidence


INDEX_BUILDER = """import numpy as np
from sklearn.cluster import MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD


def partitions(vectors):
    return MiniBatchKMeans(n_clusters=16, random_state=0, n_init=5).fit(vectors)


def projection(vectors):
    svd = TruncatedSVD(n_components=64, random_state=0)
    svd.fit(vectors)
    return svd


if __name__ == "__main__":
    data = np.load("vectors.npy")
    partitions(data)
    projection(data)
"""


def test_a_seeded_clustering_or_projection_fit_builds_an_index_and_trains_nothing(tmp_path: Path) -> None:
    result = assess(tmp_path / "index", "reproducibility", "runs_tracked", {"build_index.py": INDEX_BUILDER})
    assert result.share == 1 and "No code trains a model" in result.evidence
    # Look-alikes: an unseeded clustering, and a seeded estimator fitted on labels, are runs to repeat.
    unseeded = INDEX_BUILDER.replace("random_state=0, n_init=5", "n_init=5")
    assert assess(tmp_path / "unseeded", "reproducibility", "runs_tracked", {"build_index.py": unseeded}).share == 0
    labelled = INDEX_BUILDER.replace(
        "from sklearn.cluster import MiniBatchKMeans", "from sklearn.linear_model import LogisticRegression"
    )
    labelled = labelled.replace(
        "MiniBatchKMeans(n_clusters=16, random_state=0, n_init=5).fit(vectors)",
        "LogisticRegression(random_state=0).fit(vectors, vectors[:, 0] > 0)",
    )
    assert assess(tmp_path / "labelled", "reproducibility", "runs_tracked", {"build_index.py": labelled}).share == 0


COMPOSER_RUN = """from composer import Trainer

from recipes.build import build_loader, build_model


def run(cfg):
    trainer = Trainer(model=build_model(cfg), train_dataloader=build_loader(cfg), max_duration="1ep")
    trainer.fit()


if __name__ == "__main__":
    run({"lr": 1e-4})
"""


def test_a_bare_fit_on_a_trainer_built_with_its_model_and_data_is_a_training_run(tmp_path: Path) -> None:
    """Composer's Trainer takes the model and loaders when built, so `trainer.fit()` runs training; a bare `fit()`
    on another object (a vocabulary built from what it was given) trains no model."""
    files = {"recipes/__init__.py": "", "recipes/build.py": "", "recipes/launch.py": COMPOSER_RUN}
    result = assess(tmp_path / "composer", "reproducibility", "runs_tracked", files)
    assert result.share == 0 and "No code trains a model" not in result.evidence
    vocabulary = COMPOSER_RUN.replace("trainer = Trainer(", "vocab = Vocabulary(").replace(
        "trainer.fit()", "vocab.fit()"
    )
    vocabulary = vocabulary.replace("from composer import Trainer", "from recipes.vocab import Vocabulary")
    files = {**files, "recipes/launch.py": vocabulary}
    result = assess(tmp_path / "vocab", "reproducibility", "runs_tracked", files)
    assert result.share == 1 and "No code trains a model" in result.evidence


def test_a_library_benchmark_timing_its_api_is_no_training_run(tmp_path: Path) -> None:
    """`benchmark/table_perf.py` fits a forest on made-up data and times the explainer on it: the fit is the
    workload of a speed measurement, not a model the library makes. The same script without a clock trains."""
    timing = (
        "import time\n\nfrom sklearn.datasets import make_classification\nfrom sklearn.ensemble import RandomForestClassifier\n\n"
        "from fairfit.reweighting import ReweightedClassifier\n\n\n"
        "if __name__ == '__main__':\n"
        "    X, y = make_classification(n_samples=1000)\n"
        "    clf = RandomForestClassifier().fit(X, y)\n"
        "    start = time.perf_counter()\n"
        "    ReweightedClassifier(clf).fit(X, y)\n"
        "    print(time.perf_counter() - start)\n"
    )
    files = {"pyproject.toml": PUBLISHED, "fairfit/__init__.py": "", "fairfit/reweighting.py": ESTIMATOR}
    timed = {**files, "benchmark/__init__.py": "", "benchmark/table_perf.py": timing}
    assert assess(tmp_path / "a", "reproducibility", "runs_tracked", timed).share == 1
    untimed = timing.replace("import time\n\n", "").replace("    start = time.perf_counter()\n", "")
    untimed = untimed.replace("    print(time.perf_counter() - start)\n", "")
    trains = {**files, "benchmark/__init__.py": "", "benchmark/table_perf.py": untimed}
    assert assess(tmp_path / "b", "reproducibility", "runs_tracked", trains).share == 0


MM_TRAIN = """import torch
from mmengine.config import Config
from mmengine.runner import Runner


def step(model, batch, opt):
    loss = model(batch).mean()
    loss.backward()
    opt.step()


def main(path):
    Runner.from_cfg(Config.fromfile(path)).train()
"""
MM_RUNTIME = "default_scope = 'lab'\nrandomness = dict(seed=0, deterministic={flag})\nlog_level = 'INFO'\n"


def test_determinism_requested_in_a_python_config_earns(tmp_path: Path) -> None:
    """A runner configured by Python settings modules (`randomness = dict(seed=0, deterministic=True)`) switches
    to deterministic kernels itself: the request is in the config, not in the code."""
    files = {"lab/__init__.py": "", "lab/train.py": MM_TRAIN}
    on = {**files, "configs/_base_/default_runtime.py": MM_RUNTIME.format(flag="True")}
    result = assess(tmp_path / "a", "reproducibility", "deterministic", on)
    assert result.share == 1
    assert result.evidence.startswith("configs/_base_/default_runtime.py:2 asks the runner for deterministic")
    # Look-alike: the same setting turned off asks for the fastest kernels, not repeatable ones.
    off = {**files, "configs/_base_/default_runtime.py": MM_RUNTIME.format(flag="False")}
    assert assess(tmp_path / "b", "reproducibility", "deterministic", off).share == 0


def test_a_typed_class_of_search_run_settings_is_a_typed_config_whatever_its_name(tmp_path: Path) -> None:
    code = (
        "from dataclasses import dataclass\n\n\n"
        "@dataclass(frozen=True)\nclass Scenario:\n    name: str\n    seed: int = 0\n    n_trials: int = 100\n"
        "    walltime_limit: float = 3600.0\n"
    )
    result = assess(tmp_path / "a", "reproducibility", "typed_config", {"hpo/__init__.py": "", "hpo/scenario.py": code})
    assert result.share == 1 and result.evidence == "typed config Scenario (hpo/scenario.py)"
    # Look-alike: a record of one finished trial carries a seed but no setting of the run
    record = "from dataclasses import dataclass\n\n\n@dataclass\nclass TrialRecord:\n    number: int\n    seed: int\n    loss: float\n"
    files = {"hpo/__init__.py": "", "hpo/records.py": record}
    assert assess(tmp_path / "b", "reproducibility", "typed_config", files).share == 0


def test_tensorflows_re_export_of_absl_flags_reads_the_command_line(tmp_path: Path) -> None:
    code = (
        "import tensorflow as tf\nfrom tensorflow.python.platform import flags\n\nFLAGS = flags.FLAGS\n\n\n"
        "def main(argv=None):\n    return tf.constant(FLAGS.learning_rate) * FLAGS.epochs\n\n\n"
        "if __name__ == '__main__':\n"
        "    flags.DEFINE_float('learning_rate', 0.001, 'step size')\n"
        "    tf.compat.v1.flags.DEFINE_integer('epochs', 6, 'passes over the data')\n"
        "    tf.compat.v1.app.run()\n"
    )
    result = assess(tmp_path / "a", "reproducibility", "central_config", {"train.py": code})
    assert result.share == 0.8 and "train.py:12" in result.evidence
    # the same script with its settings as literals reads nothing from the command line
    literals = (
        "import tensorflow as tf\n\nLEARNING_RATE = 0.001\n\n\n"
        "def main(argv=None):\n    return tf.constant(LEARNING_RATE) * tf.io.gfile.exists('data')\n\n\n"
        "if __name__ == '__main__':\n    tf.compat.v1.app.run()\n"
    )
    assert assess(tmp_path / "b", "reproducibility", "central_config", {"train.py": literals}).share == 0


ML_COLLECTIONS_CONFIG = """\
import ml_collections


def get_config():
    config = ml_collections.ConfigDict()
    config.learning_rate = 0.1
    config.batch_size = 128
    config.num_epochs = 10
    return config
"""


def test_an_ml_collections_config_dict_is_a_typed_config(tmp_path: Path) -> None:
    """A ConfigDict keeps each field's type and rejects an override of a field it lacks: typos fail early."""
    files = {"vit/__init__.py": "", "vit/configs/__init__.py": "", "vit/configs/default.py": ML_COLLECTIONS_CONFIG}
    result = assess(tmp_path, "reproducibility", "typed_config", files)
    assert result.share == 1 and "ml_collections ConfigDict" in result.evidence


def test_an_easydict_config_is_not_a_typed_config(tmp_path: Path) -> None:
    """An EasyDict takes any key and any value: a mistyped setting becomes a new one."""
    code = ML_COLLECTIONS_CONFIG.replace("import ml_collections", "from easydict import EasyDict").replace(
        "ml_collections.ConfigDict()", "EasyDict()"
    )
    files = {"vit/__init__.py": "", "vit/configs/__init__.py": "", "vit/configs/default.py": code}
    assert assess(tmp_path, "reproducibility", "typed_config", files).share == 0


HYDRA_ZEN_APP = """\
import torch
from hydra_zen import builds, make_config, store, zen


def train(model, optimizer, epochs: int):
    return model


TrainConf = make_config(model=builds(torch.nn.Linear, in_features=8, out_features=2), epochs=20)
store(TrainConf, name="train")

if __name__ == "__main__":
    store.add_to_hydra_store()
    zen(train).hydra_main(config_name="train", version_base="1.3", config_path=None)
"""


def test_hydra_zen_configures_runs_through_generated_structured_configs(tmp_path: Path) -> None:
    """hydra-zen generates dataclass configs from signatures and runs them through Hydra: a central, typed config."""
    files = {"proj/__init__.py": "", "proj/train.py": HYDRA_ZEN_APP}
    central = assess(tmp_path / "zen", "reproducibility", "central_config", files)
    assert central.share == 1 and "hydra_zen" in central.evidence
    assert assess(tmp_path / "zen", "reproducibility", "typed_config").share == 1


def test_a_projects_own_builds_helper_is_no_structured_config(tmp_path: Path) -> None:
    """A helper of the project's own named `builds` (a model factory) generates no config class."""
    factory = "import torch\n\n\ndef builds(name, **kw):\n    return getattr(torch.nn, name)(**kw)\n"
    train = "from proj.factory import builds\n\nmodel = builds('Linear', in_features=8, out_features=2)\n"
    files = {"proj/__init__.py": "", "proj/factory.py": factory, "proj/train.py": train}
    assert assess(tmp_path / "own", "reproducibility", "typed_config", files).share == 0


SACRED_RUN = """\
import torch
from sacred import Experiment

ex = Experiment("mnist")


@ex.config
def config():
    epochs = 20


@ex.automain
def main(epochs, _run):
    model = torch.nn.Linear(4, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(epochs):
        loss = model(torch.ones(8, 4)).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        _run.log_scalar("loss", loss.item())
"""


def test_a_sacred_observer_tracks_experiments(tmp_path: Path) -> None:
    """A sacred observer records each run's config, metrics and artifacts (to files, MongoDB, ...)."""
    observed = SACRED_RUN.replace(
        'ex = Experiment("mnist")\n',
        'from sacred.observers import FileStorageObserver\n\nex = Experiment("mnist")\nex.observers.append(FileStorageObserver("runs"))\n',
    )
    assert assess(tmp_path / "a", "reproducibility", "runs_tracked", {"proj/train.py": observed}).share == 1
    # Look-alike: an experiment with no observer attached records nothing beyond the console
    assert assess(tmp_path / "b", "reproducibility", "runs_tracked", {"proj/train.py": SACRED_RUN}).share == 0


def test_a_tracker_packages_own_modules_importing_each_other_track_no_run(tmp_path: Path) -> None:
    """Inside a tracker's own package, `from sacred.observers import ...` is the package importing itself: it
    records none of the project's runs. Look-alike: the same import in a training script uses the installed tracker
    (test_a_sacred_observer_tracks_experiments)."""
    own = {
        "sacred/__init__.py": "from sacred.observers import FileStorageObserver\n",
        "sacred/observers.py": "class FileStorageObserver:\n    def __init__(self, path):\n        self.path = path\n",
        "sacred/run.py": SACRED_RUN.replace("from sacred import Experiment", "from .experiment import Experiment"),
    }
    result = assess(tmp_path / "own", "reproducibility", "runs_tracked", own)
    assert "imports sacred.observers" not in result.evidence


def test_an_asv_benchmark_suite_of_a_library_is_no_training_run(tmp_path: Path) -> None:
    """`benchmarks/checks_bench.py` is an airspeed-velocity suite: asv times its `time_*` methods, so the models its
    setup fits are the workload of a speed measurement. The same class without a timed method trains."""
    suite = (
        "from sklearn.datasets import make_classification\nfrom sklearn.ensemble import RandomForestClassifier\n\n"
        "from fairfit.reweighting import ReweightedClassifier\n\n\n"
        "class BenchReweighting:\n"
        "    def setup(self):\n"
        "        self.X, self.y = make_classification(n_samples=1000)\n"
        "        self.clf = RandomForestClassifier().fit(self.X, self.y)\n\n"
        "    def time_reweighted_fit(self):\n"
        "        ReweightedClassifier(self.clf).fit(self.X, self.y)\n"
    )
    files = {"pyproject.toml": PUBLISHED, "fairfit/__init__.py": "", "fairfit/reweighting.py": ESTIMATOR}
    timed = {**files, "benchmarks/__init__.py": "", "benchmarks/checks_bench.py": suite}
    assert assess(tmp_path / "a", "reproducibility", "runs_tracked", timed).share == 1
    untimed = suite.replace("def time_reweighted_fit", "def reweighted_fit")
    trains = {**files, "benchmarks/__init__.py": "", "benchmarks/checks_bench.py": untimed}
    assert assess(tmp_path / "b", "reproducibility", "runs_tracked", trains).share == 0
    # asv also times a method the suite adds by name
    added = (
        untimed
        + "\n\nfor kind in ('small', 'large'):\n    setattr(BenchReweighting, f'time_{kind}', BenchReweighting.reweighted_fit)\n"
    )
    timed_by_name = {**files, "benchmarks/__init__.py": "", "benchmarks/checks_bench.py": added}
    assert assess(tmp_path / "c", "reproducibility", "runs_tracked", timed_by_name).share == 1
