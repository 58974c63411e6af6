"""Tests for the reproducibility practice rules."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, run_audit, write_tree

SEED_HELPER = """import numpy as np
import torch


def set_seed(seed: int) -> None:
    np.random.seed(seed)
    torch.manual_seed(seed)
"""
DATA = """import random

import numpy as np


def sample_negatives(items):
    random.shuffle(items)
    return np.random.permutation(items)
"""


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


def test_rep003_train_test_split_without_random_state(tmp_path: Path) -> None:
    code = "from sklearn.model_selection import KFold, train_test_split\n\n\ndef split(X, y):\n"
    code += "    KFold(5, shuffle=True)\n    return train_test_split(X, y, test_size=0.2)\n"
    write_tree(tmp_path, {"data.py": code})
    hits = findings(tmp_path, "REP003")
    assert sorted(h.message.split("(")[0] for h in hits) == ["KFold", "train_test_split"]
    assert all(h.severity is Severity.WARNING for h in hits)


def test_rep003_silent_with_random_state_or_no_shuffle(tmp_path: Path) -> None:
    code = "from sklearn.model_selection import KFold, train_test_split\nfrom sklearn.decomposition import PCA\n\n\n"
    code += "def split(X, y, seed):\n    KFold(5)\n    PCA(3)\n"
    code += "    return train_test_split(X, y, random_state=seed), train_test_split(X, shuffle=False)\n"
    write_tree(tmp_path, {"data.py": code})
    assert findings(tmp_path, "REP003") == []


def test_rep003_booster_is_info(tmp_path: Path) -> None:
    write_tree(
        tmp_path, {"m.py": "import xgboost as xgb\n\n\ndef build():\n    return xgb.XGBClassifier(max_depth=3)\n"}
    )
    [hit] = findings(tmp_path, "REP003")
    assert hit.severity is Severity.INFO


def test_rep004_jax_key_from_time(tmp_path: Path) -> None:
    code = "import time\n\nimport jax\n\nkey = jax.random.PRNGKey(int(time.time()))\nok = jax.random.PRNGKey(0)\n"
    write_tree(tmp_path, {"run.py": code})
    [hit] = findings(tmp_path, "REP004")
    assert hit.line == 5 and "time.time" in hit.message


def test_rep005_default_rng_without_seed(tmp_path: Path) -> None:
    code = "import numpy as np\n\nrng = np.random.default_rng()\n\n\ndef make(rng=None):\n"
    code += "    return rng or np.random.default_rng()\n\n\nseeded = np.random.default_rng(3)\n"
    write_tree(tmp_path, {"run.py": code})
    [hit] = findings(tmp_path, "REP005")
    assert hit.line == 3 and "numpy Generator" in hit.message


def test_rep006_training_without_determinism(tmp_path: Path) -> None:
    code = "import torch\n\n\ndef step(model, batch, opt):\n    loss = model(batch).mean()\n    loss.backward()\n"
    write_tree(tmp_path, {"train.py": code})
    assert len(findings(tmp_path, "REP006")) == 1
    write_tree(tmp_path, {"seed.py": "import torch\n\ntorch.backends.cudnn.deterministic = True\n"})
    assert findings(tmp_path, "REP006") == []


def test_rep007_seeding_copied_in_three_files(tmp_path: Path) -> None:
    block = "import random\nimport numpy as np\n\nrandom.seed(0)\nnp.random.seed(0)\n"
    write_tree(tmp_path, {"a.py": block, "b.py": block, "c.py": block})
    [hit] = findings(tmp_path, "REP007")
    assert "3 files" in hit.message
    write_tree(tmp_path / "two", {"a.py": block, "b.py": block})
    assert findings(tmp_path / "two", "REP007") == []


def test_rep010_repeated_value_across_files_warns(tmp_path: Path) -> None:
    code = "import torch\n\nlr = 0.001\nopt = torch.optim.Adam([], lr=0.001, weight_decay={})\n"
    write_tree(tmp_path, {"exp1/train.py": code.format(0.01), "exp2/train.py": code.format(0.02)})
    hits = findings(tmp_path, "REP010")
    warnings = [h for h in hits if h.severity is Severity.WARNING]
    assert [h.message for h in warnings] == ["learning_rate=0.001 hard-coded in 2 files: exp1/train.py, exp2/train.py"]
    infos = [h.message for h in hits if h.severity is Severity.INFO]
    assert infos == [f"Hyperparameters hard-coded in exp{n}/train.py: weight_decay=0.0{n}" for n in (1, 2)]


def test_rep010_silent_on_config_classes_defaults_and_argparse(tmp_path: Path) -> None:
    code = (
        "import argparse\nfrom dataclasses import dataclass\n\nEPS = 1e-8\n\n\n@dataclass(frozen=True)\n"
        "class TrainConfig:\n    lr: float = 0.001\n    batch_size: int = 32\n\n\n"
        "def fit(model, lr: float = 0.001, epochs: int = 10):\n    return model\n\n\n"
        "parser = argparse.ArgumentParser()\nparser.add_argument('--lr', type=float, default=0.001)\n"
    )
    write_tree(tmp_path, {"train.py": code, "config.py": "LR = 0.001\nBATCH_SIZE = 32\n"})
    assert findings(tmp_path, "REP010") == []


def test_rep010_default_overwritten_by_parsed_options_is_not_hard_coded(tmp_path: Path) -> None:
    parser = (
        "def build_policy(spec: str):\n"
        "    num_layers = 3\n"
        "    dropout = 0.25\n"
        "    for part in spec.split(','):\n"
        "        key, value = part.split('=')\n"
        "        if key == 'n':\n"
        "            num_layers = int(value)\n"
        "    return num_layers, dropout\n"
    )
    decay = (
        "def schedule(steps):\n"
        "    learning_rate = 0.05\n"
        "    for _ in range(steps):\n"
        "        learning_rate = learning_rate * 0.9\n"
        "    return learning_rate\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/policy.py": parser, "pkg/sched.py": decay})
    messages = {h.path: h.message for h in findings(tmp_path, "REP010")}
    assert messages["pkg/policy.py"] == "Hyperparameters hard-coded in pkg/policy.py: dropout=0.25"
    assert "learning_rate=0.05" in messages["pkg/sched.py"]


def test_rep011_uppercase_config_module_and_metric(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/config.py": "LR = 3e-4\nBATCH_SIZE = 64\nEPOCHS = 10\n"})
    report = run_audit(tmp_path, select=("REP011",))
    [hit] = [f for f in report.findings if f.rule == "REP011"]
    assert "3 bare UPPERCASE globals" in hit.message
    assert report.practice("reproducibility").metrics["config_style"] == "loose"


def test_rep011_typed_config_is_silent(tmp_path: Path) -> None:
    code = "from dataclasses import dataclass\n\n\n@dataclass(frozen=True)\nclass TrainConfig:\n    lr: float = 3e-4\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/config.py": code})
    report = run_audit(tmp_path, select=("REP011",))
    assert [f for f in report.findings if f.rule == "REP011"] == []
    assert report.practice("reproducibility").metrics["config_style"] == "typed"


def test_rep012_config_file_never_read(tmp_path: Path) -> None:
    write_tree(tmp_path, {"configs/old.yaml": "lr: 0.1\n", "configs/train.yaml": "lr: 0.1\n"})
    write_tree(tmp_path, {"train.py": "from pathlib import Path\n\nCFG = Path('configs') / 'train.yaml'\n"})
    [hit] = findings(tmp_path, "REP012")
    assert hit.path == "configs/old.yaml"


def test_rep012_hydra_config_path_counts_as_read(tmp_path: Path) -> None:
    code = "import hydra\n\n\n@hydra.main(config_path='conf', config_name='config')\ndef main(cfg):\n    pass\n"
    write_tree(tmp_path, {"conf/config.yaml": "lr: 0.1\n", "conf/model/big.yaml": "x: 1\n", "train.py": code})
    assert findings(tmp_path, "REP012") == []


def test_rep013_absolute_paths_named_docstrings_ignored(tmp_path: Path) -> None:
    code = '"""Reads /home/alice/data."""\n\nDATA = "/kaggle/input/churn/train.csv"\nOUT = "outputs/model.pt"\n'
    write_tree(tmp_path, {"train.py": code, "tests/test_x.py": "P = '/home/bob/x.csv'\n"})
    [hit] = findings(tmp_path, "REP013")
    assert "/kaggle/input/churn/train.csv" in hit.message and hit.path == "train.py"


def test_rep014_argparse_type_bool(tmp_path: Path) -> None:
    code = (
        "import argparse\n\np = argparse.ArgumentParser()\np.add_argument('--use_smote', type=bool, default=False)\n"
        "p.add_argument('--fast', action='store_true')\np.add_argument('--n', type=int, default=1)\n"
    )
    write_tree(tmp_path, {"train.py": code})
    [hit] = findings(tmp_path, "REP014")
    assert "--use_smote" in hit.message and hit.line == 4


def test_rep012_hydra_config_path_resolved_against_the_decorated_file(tmp_path: Path) -> None:
    code = "import hydra\n\n\n@hydra.main(config_path='./configs', config_name='config')\ndef main(cfg):\n    pass\n"
    write_tree(
        tmp_path,
        {
            "lesson_3/train.py": code,
            "lesson_3/configs/config.yaml": "defaults:\n  - model: default\n",
            "lesson_3/configs/model/default.yaml": "name: bert\n",
            "lesson_4/configs/config.yaml": "lr: 0.1\n",
        },
    )
    hits = findings(tmp_path, "REP012")
    assert [h.path for h in hits] == ["lesson_4/configs/config.yaml"]
    assert "delete" not in (hits[0].fix or "") and "hydra" in (hits[0].fix or "")


def test_rep012_folder_named_in_readme_command_and_github_templates_ignored(tmp_path: Path) -> None:
    readme = "Train with\n\n    python main.py --base configs/vae/<config_spec>.yaml -t\n"
    write_tree(
        tmp_path,
        {
            "README.md": readme,
            "main.py": "import yaml\n\n\ndef load(path):\n    return yaml.safe_load(open(path))\n",
            "configs/vae/small.yaml": "z: 4\n",
            "configs/vae/large.yaml": "z: 16\n",
            "configs/gan/old.yaml": "z: 8\n",
            ".github/ISSUE_TEMPLATE/config.yml": "blank_issues_enabled: false\n",
        },
    )
    assert [h.path for h in findings(tmp_path, "REP012")] == ["configs/gan/old.yaml"]


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


def test_rep005_generator_seeded_on_the_next_line_is_silent(tmp_path: Path) -> None:
    code = (
        "import random\n\nimport torch\n\n\n"
        "class Sampler:\n"
        "    def __init__(self, seed):\n"
        "        self.rng = random.Random()\n"
        "        self.seed = seed\n\n"
        "    def __iter__(self):\n"
        "        g = torch.Generator()\n"
        "        g.manual_seed(self.seed)\n"
        "        self.rng = random.Random(self.seed)\n"
        "        return iter(torch.randperm(10, generator=g).tolist())\n\n\n"
        "def shuffled(n):\n"
        "    g = torch.Generator()\n"
        "    return torch.randperm(n, generator=g)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/sampler.py": code})
    [hit] = findings(tmp_path, "REP005")
    assert hit.line == 19 and "torch Generator" in hit.message
    assert "manual_seed" in (hit.fix or "") and "default_rng" not in (hit.fix or "")


def test_rep010_groups_by_callee_and_skips_variants_and_off_switches(tmp_path: Path) -> None:
    loss = "from torch import nn\n\n\ndef make_loss():\n    return FocalLoss(gamma=2)\n"
    boost = "import xgboost as xgb\n\nmodel = xgb.XGBClassifier(gamma=2, n_estimators=300)\n"
    zoo = (
        "from registry import register_model\n\n\n"
        "@register_model\ndef vit_base(pretrained=False):\n    return VisionTransformer(num_heads=12, depth=12)\n\n\n"
        "@register_model\ndef vit_large(pretrained=False):\n    return VisionTransformer(num_heads=16, depth=24)\n"
    )
    zoo2 = zoo.replace("vit_", "deit_")
    export = "def run(model, batch_size=1):\n    batch_size = 1\n    return model, batch_size\n"
    write_tree(
        tmp_path,
        {
            "pkg/losses.py": loss,
            "boost.py": boost,
            "pkg/vit.py": zoo,
            "pkg/deit.py": zoo2,
            "export.py": export,
            "val.py": export,
        },
    )
    hits = findings(tmp_path, "REP010")
    assert [h.severity for h in hits] == [Severity.INFO, Severity.INFO]
    assert {h.path for h in hits} == {"boost.py", "pkg/losses.py"}


def test_rep013_environment_detection_comparison_is_not_a_data_path(tmp_path: Path) -> None:
    code = (
        "import os\n\n\ndef on_kaggle():\n    return os.environ.get('PWD') == '/kaggle/working'\n\n\n"
        "DATA = '/kaggle/input/train.csv'\n"
    )
    write_tree(tmp_path, {"utils.py": code})
    assert [h.line for h in findings(tmp_path, "REP013")] == [8]


def test_rep010_seed_fixed_in_code_unless_exposed(tmp_path: Path) -> None:
    fixed = "import torch\n\ntorch.manual_seed(1234)\n"
    write_tree(tmp_path / "a", {"train.py": fixed})
    [hit] = findings(tmp_path / "a", "REP010")
    assert "seed=1234" in hit.message
    exposed = fixed + "import argparse\np = argparse.ArgumentParser()\np.add_argument('--seed', type=int)\n"
    write_tree(tmp_path / "b", {"train.py": exposed})
    assert findings(tmp_path / "b", "REP010") == []


def test_rep015_config_and_checkpoint_paths_relative_to_the_working_directory(tmp_path: Path) -> None:
    code = (
        "import json\n\nimport torch\nfrom omegaconf import OmegaConf\n\n\n"
        "def load(args):\n"
        "    config = OmegaConf.load('models/big/config.yaml')\n"
        "    state = torch.load('models/big/last.ckpt')\n"
        "    other = OmegaConf.load(args.config)\n"
        "    with open('predictions.json', 'w') as fh:\n"
        "        json.dump({}, fh)\n"
        "    return config, state, other\n"
    )
    write_tree(tmp_path, {"scripts/sample.py": code})
    [hit] = findings(tmp_path, "REP015")
    assert hit.line == 8 and "(+1 more)" in hit.message


def test_rep003_estimator_restored_from_a_file_needs_no_random_state(tmp_path: Path) -> None:
    code = (
        "from catboost import CatBoostClassifier\n\n\n"
        "def predict(path, X):\n    model = CatBoostClassifier()\n    model.load_model(path)\n    return model.predict(X)\n\n\n"
        "def fit(X, y):\n    model = CatBoostClassifier()\n    return model.fit(X, y)\n"
    )
    write_tree(tmp_path, {"boost.py": code})
    assert [h.line for h in findings(tmp_path, "REP003")] == [11]
