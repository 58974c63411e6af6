"""Tests of rule REP010 (`mlaudit/rules/reproducibility/rep010_hardcoded_hyperparameters.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree


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


def test_rep010_seed_fixed_in_code_unless_exposed(tmp_path: Path) -> None:
    fixed = "import torch\n\ntorch.manual_seed(1234)\n"
    write_tree(tmp_path / "a", {"train.py": fixed})
    [hit] = findings(tmp_path / "a", "REP010")
    assert "seed=1234" in hit.message
    exposed = fixed + "import argparse\np = argparse.ArgumentParser()\np.add_argument('--seed', type=int)\n"
    write_tree(tmp_path / "b", {"train.py": exposed})
    assert findings(tmp_path / "b", "REP010") == []


def test_rep010_dict_parameter_default_is_api_but_the_same_dict_in_a_body_is_hard_coded(tmp_path: Path) -> None:
    default = "def fit(model, optimizer_params={'lr': 2e-5}):\n    return model\n"
    body = "def fit(model):\n    params = {'lr': 2e-5}\n    return model, params\n"
    write_tree(tmp_path, {"a/trainer.py": default, "b/trainer.py": default})
    assert findings(tmp_path, "REP010") == []
    write_tree(tmp_path / "body", {"a/trainer.py": body, "b/trainer.py": body})
    [hit] = findings(tmp_path / "body", "REP010")
    assert hit.message == "learning_rate=2e-05 hard-coded in 2 files: a/trainer.py, b/trainer.py"


def test_rep010_architecture_sizes_in_builders_and_constructors_are_the_model_not_a_run(tmp_path: Path) -> None:
    builder = (
        "from pkg.blocks import Decoder, Encoder, Head\n\n\n"
        "def build_tiny():\n    return Encoder(num_layers=4, num_heads=8, embedding_dim=256)\n\n\n"
        "def build_small():\n    return Encoder(num_layers=4, num_heads=8, embedding_dim=256, dropout=0.3)\n\n\n"
        "def get_raft(version):\n    hidden_size = 96\n    if version == 'basic':\n        hidden_size = 128\n"
        "    return Decoder(hidden_size=hidden_size, num_heads=4)\n\n\n"
        "class Detector:\n    def __init__(self, dim):\n        self.head = Head(dim, dim, num_layers=3)\n\n\n"
        "def fit(model):\n    return model.train(num_layers=4, lr=0.01)\n"
    )
    trainer = "def tune(model):\n    return model.train(num_layers=4, lr=0.01)\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/zoo.py": builder, "pkg/tune.py": trainer})
    hits = findings(tmp_path, "REP010")
    flagged = " | ".join(h.message for h in hits)
    assert "num_heads" not in flagged and "embedding_dim" not in flagged and "num_layers=3" not in flagged
    assert "hidden_size" not in flagged
    assert "dropout=0.3" in flagged
    assert any(h.message.startswith("num_layers=4 hard-coded in 2 files") for h in hits)


def test_rep010_value_a_variant_class_is_named_after_is_its_definition(tmp_path: Path) -> None:
    variants = "".join(
        f"class Trainer_{n}epochs(Trainer):\n    def __init__(self, plans):\n"
        f"        super().__init__(plans)\n        self.num_epochs = {n}\n\n\n"
        for n in (250, 2000)
    )
    quick = "class QuickTrainer(Trainer):\n    def __init__(self, plans):\n        self.num_epochs = 2000\n"
    write_tree(
        tmp_path,
        {"pkg/__init__.py": "", "pkg/variants.py": variants, "pkg/quick.py": quick, "pkg/other.py": quick},
    )
    hits = findings(tmp_path, "REP010")
    assert {h.path for h in hits} <= {"pkg/quick.py", "pkg/other.py"}
    assert any("epochs=2000 hard-coded in 2 files: pkg/other.py, pkg/quick.py" in h.message for h in hits)


RECIPE = """from voicelab.configs import GlowConfig
from voicelab.trainer import Trainer


def main(out):
    config = GlowConfig(
        run_name="glow_ljspeech", batch_size=32, epochs=1000, lr=0.0002, optimizer_params={"weight_decay": 1e-6}
    )
    Trainer(config).fit()
"""
LOOSE = """import torch
from torch.utils.data import DataLoader


def main(model, dataset):
    loader = DataLoader(dataset, batch_size=32)
    torch.optim.Adam(model.parameters(), lr=0.0002)
    return {"weight_decay": 1e-6}
"""


def test_rep010_values_that_build_a_config_object_are_the_config(tmp_path: Path) -> None:
    # two recipes each build their run's config; the same values passed loose to DataLoader/Adam are scattered
    recipes = {"recipes/ljspeech/train_glow.py": RECIPE, "recipes/vctk/train_glow.py": RECIPE}
    write_tree(tmp_path / "a", recipes)
    assert findings(tmp_path / "a", "REP010") == []
    write_tree(tmp_path / "b", {"recipes/ljspeech/train_glow.py": LOOSE, "recipes/vctk/train_glow.py": LOOSE})
    assert sorted(h.message.split(" ")[0] for h in findings(tmp_path / "b", "REP010")) == [
        "batch_size=32",
        "learning_rate=0.0002",
        "weight_decay=1e-06",
    ]


def test_rep010_values_inside_a_dict_call_default_are_the_callers_to_override(tmp_path: Path) -> None:
    default = (
        "class Stem:\n    def __init__(self, channels, norm_cfg=dict(type='BN', eps=1e-3, momentum=0.03)):\n"
        "        self.norm_cfg = norm_cfg\n"
    )
    body = "class Stem:\n    def __init__(self, channels):\n        self.optim_cfg = dict(type='SGD', momentum=0.9)\n"
    write_tree(tmp_path, {"pkg/a.py": default, "pkg/b.py": default})
    assert findings(tmp_path, "REP010") == []
    write_tree(tmp_path / "body", {"pkg/a.py": body, "pkg/b.py": body})
    [hit] = findings(tmp_path / "body", "REP010")
    assert hit.message.startswith("momentum=0.9 hard-coded in 2 files")


VARIANT_TABLE = """class {name}Backbone:
    arch_settings = {{
        "small": {{"embed_dims": 384, "num_layers": 12, "num_heads": 6}},
        "base": dict(embed_dims=768, num_layers=12, num_heads=12),
    }}

    def __init__(self, arch="base"):
        self.settings = self.arch_settings[arch]
"""
SINGLE_MODEL_SETTINGS = """class {name}Trainer:
    settings = {{"model": {{"num_layers": 12, "num_heads": 6}}, "optimizer": {{"lr": 0.01}}}}
"""


def test_rep010_architecture_sizes_in_a_table_of_named_variants_define_the_model_family(tmp_path: Path) -> None:
    tables = {"pkg/vit.py": VARIANT_TABLE.format(name="Vit"), "pkg/beit.py": VARIANT_TABLE.format(name="Beit")}
    write_tree(tmp_path, tables)
    assert findings(tmp_path, "REP010") == []
    settings = {
        "pkg/vit.py": SINGLE_MODEL_SETTINGS.format(name="Vit"),
        "pkg/beit.py": SINGLE_MODEL_SETTINGS.format(name="Beit"),
    }
    write_tree(tmp_path / "single", settings)
    flagged = " | ".join(h.message for h in findings(tmp_path / "single", "REP010"))
    assert "num_layers=12 hard-coded in 2 files" in flagged and "num_heads=6 hard-coded in 2 files" in flagged


def test_rep010_minus_one_means_no_limit_but_a_tuned_depth_is_hard_coded(tmp_path: Path) -> None:
    sentinel = (
        "import lightgbm as lgb\n\n\n"
        "def make_booster():\n"
        "    return lgb.LGBMRegressor(max_depth=-1)\n\n\n"
        "def pick_layer(hidden_states, num_layers=None):\n"
        "    if num_layers is None:\n"
        "        num_layers = -1\n"
        "    return hidden_states[num_layers]\n"
    )
    write_tree(tmp_path / "a", {"pkg/__init__.py": "", "pkg/boost.py": sentinel})
    assert findings(tmp_path / "a", "REP010") == []
    write_tree(tmp_path / "b", {"pkg/__init__.py": "", "pkg/boost.py": sentinel.replace("max_depth=-1", "max_depth=7")})
    [hit] = findings(tmp_path / "b", "REP010")
    assert "max_depth=7" in hit.message


def test_rep010_sizes_of_a_model_a_variant_function_returns_define_that_variant(tmp_path: Path) -> None:
    variants = (
        "from lab.vit import VisionTransformer\n\n\n"
        "def vit_small(patch=16, **kwargs):\n"
        "    return VisionTransformer(patch=patch, width=384, num_heads=6, **kwargs)\n\n\n"
        "def vit_base(patch=16, **kwargs):\n"
        "    return VisionTransformer(patch=patch, width=768, num_heads=12, **kwargs)\n"
    )
    trainer = (
        "from lab.vit import VisionTransformer\n\n\n"
        "def train(loader):\n"
        "    model = VisionTransformer(patch=16, width=384, num_heads=6)\n"
        "    for batch in loader:\n"
        "        model.step(batch)\n"
        "    return model\n"
    )
    files = {"lab/__init__.py": "", "lab/vit.py": "class VisionTransformer:\n    pass\n"}
    write_tree(
        tmp_path / "a", {**files, "lab/hub.py": variants, "lab/dino.py": variants.replace("patch=16", "patch=14")}
    )
    assert findings(tmp_path / "a", "REP010") == []
    write_tree(tmp_path / "b", {**files, "lab/hub.py": variants, "lab/fit.py": trainer})
    assert [h.message for h in findings(tmp_path / "b", "REP010")] == [
        "Hyperparameters hard-coded in lab/fit.py: num_heads=6"
    ]


def test_rep010_a_seed_given_to_a_generator_object_fixes_one_split_not_the_run(tmp_path: Path) -> None:
    datamodule = (
        "import torch\nfrom torch.utils.data import random_split\n\n\n"
        "def setup(dataset):\n"
        "    generator = torch.Generator().manual_seed(0)\n"
        "    return random_split(dataset, [0.8, 0.2], generator)\n\n\n"
        "def setup_named(dataset):\n"
        "    g = torch.Generator()\n    g.manual_seed(7)\n"
        "    return random_split(dataset, [0.8, 0.2], generator=g)\n"
    )
    write_tree(tmp_path / "a", {"geo/__init__.py": "", "geo/data.py": datamodule})
    assert findings(tmp_path / "a", "REP010") == []
    global_seed = datamodule.replace("    generator = torch.Generator().manual_seed(0)\n", "    torch.manual_seed(0)\n")
    write_tree(tmp_path / "b", {"geo/__init__.py": "", "geo/data.py": global_seed.replace(", generator)", ")")})
    [hit] = findings(tmp_path / "b", "REP010")
    assert hit.line == 6 and "seed=0" in hit.message


def test_rep010_parameters_handed_to_the_test_suite_are_fixtures_but_a_test_loader_is_a_run(tmp_path: Path) -> None:
    package = (
        "class NBeatsPkg:\n"
        "    @classmethod\n"
        "    def get_test_train_params(cls):\n"
        '        return [{}, {"hidden_size": 16, "learning_rate": 0.01}]\n'
    )
    loader = (
        "from torch.utils.data import DataLoader\n\n\n"
        "def get_test_loader(test_set):\n"
        "    return DataLoader(test_set, batch_size=256)\n"
    )
    files = {"fc/__init__.py": "", "fc/nbeats.py": package, "fc/tide.py": package.replace("NBeats", "Tide")}
    write_tree(tmp_path, {**files, "fc/data.py": loader})
    assert [h.message for h in findings(tmp_path, "REP010")] == [
        "Hyperparameters hard-coded in fc/data.py: batch_size=256"
    ]


def test_rep010_schema_field_widths_are_not_hyperparameters(tmp_path: Path) -> None:
    """`CharField(max_length=255)` in two migrations sizes a column, and `Field(max_length=512)` bounds a request;
    the tokenizer's `max_length=512` in two scripts is a setting of the runs."""
    migration = (
        "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n"
        "    operations = [migrations.AddField(model_name='statement', name='text',"
        " field=models.CharField(max_length=255))]\n"
    )
    request = (
        "from pydantic import BaseModel, Field\n\n\nclass Query(BaseModel):\n    text: str = Field(max_length=512)\n"
    )
    encode = "def encode(tokenizer, texts):\n    return tokenizer(texts, truncation=True, max_length=512)\n"
    files = {
        "bot/migrations/0001_initial.py": migration,
        "bot/migrations/0002_text.py": migration,
        "bot/api.py": request,
        "train_a.py": encode,
        "train_b.py": encode,
    }
    write_tree(tmp_path, files)
    assert [h.message for h in findings(tmp_path, "REP010")] == [
        "max_length=512 hard-coded in 2 files: train_a.py, train_b.py"
    ]


def test_rep010_a_seed_in_a_modules_own_test_function_pins_its_data_but_one_in_a_builder_counts(
    tmp_path: Path,
) -> None:
    self_test = (
        "import random\n\nimport torch\n\n\n"
        "def pack(tokens):\n    return bytes(tokens)\n\n\n"
        "def test():\n"
        "    torch.manual_seed(1234)\n"
        "    random.seed(1234)\n"
        "    assert len(pack([random.randrange(8) for _ in range(4)])) == 4\n"
    )
    builder = (
        "import torch\n\n\n"
        "def build_language_model(n_q):\n"
        "    torch.manual_seed(1234)\n"
        "    return torch.nn.Embedding(n_q, 16)\n"
    )
    private = self_test.replace("def test():", "def _test():") + '\n\nif __name__ == "__main__":\n    _test()\n'
    files = {"codec/__init__.py": "", "codec/binary.py": self_test, "codec/coder.py": private}
    write_tree(tmp_path, {**files, "codec/model.py": builder})
    [hit] = findings(tmp_path, "REP010")
    assert (hit.path, hit.line) == ("codec/model.py", 5) and "seed=1234" in hit.message


def test_rep010_silent_in_a_folder_named_for_the_configs_of_one_part(tmp_path: Path) -> None:
    detector_cfg = "train_dataloader = dict(batch_size=8, num_workers=4)\noptim_wrapper = dict(lr=0.004)\n"
    trainer = "from torch.utils.data import DataLoader\n\n\ndef loader(ds):\n    return DataLoader(ds, batch_size=8)\n"
    files = {
        "posekit/__init__.py": "",
        "posekit/detector_config/yolo_l_8xb8-300e.py": detector_cfg,
        "posekit/teacher/train.py": trainer,
        "posekit/student/train.py": trainer,
    }
    write_tree(tmp_path, files)
    # the config module is where the values belong; the two training modules still repeat batch_size=8
    [hit] = [h for h in findings(tmp_path, "REP010") if h.severity is Severity.WARNING]
    assert hit.message == "batch_size=8 hard-coded in 2 files: posekit/student/train.py, posekit/teacher/train.py"
    # a folder merely containing the word (`configurator/`, `config_tools/`) is code
    write_tree(tmp_path, {"posekit/config_tools/train.py": trainer})
    [hit] = [h for h in findings(tmp_path, "REP010") if h.severity is Severity.WARNING]
    assert "hard-coded in 3 files" in hit.message


def test_rep010_numbers_filling_a_text_template_are_words_not_settings(tmp_path: Path) -> None:
    """`DOC.format(num_layers=50)` writes a docstring; the same value given to the model builder is a setting."""
    template = (
        'DOC = "A ResNet backbone with {num_layers} layers."\n\n\n'
        "class ResNetBackbone:\n    pass\n\n\n"
        'ResNetBackbone.__doc__ = DOC.format(num_layers=50)\nNOTE = "{dropout}".format_map(dict(x=1))\n'
        'LOG = "drop {p}".format(dropout=0.3)\n'
    )
    write_tree(tmp_path / "doc", {"vis/resnet_v1.py": template, "vis/resnet_v2.py": template})
    assert findings(tmp_path / "doc", "REP010") == []
    # Look-alike: the same keywords handed to the builder a training run calls are hard-coded settings.
    built = "from vis.backbones import build\n\nmodel = build(num_layers=50, dropout=0.3)\n"
    write_tree(tmp_path / "run", {"exp1/train.py": built, "exp2/train.py": built})
    messages = [h.message for h in findings(tmp_path / "run", "REP010") if h.severity is Severity.WARNING]
    assert messages == [
        "dropout=0.3 hard-coded in 2 files: exp1/train.py, exp2/train.py",
        "num_layers=50 hard-coded in 2 files: exp1/train.py, exp2/train.py",
    ]


def test_rep010_a_normalisation_layers_momentum_is_architecture_but_the_optimisers_is_a_setting(
    tmp_path: Path,
) -> None:
    """`BatchNorm2d(c, momentum=0.1)` in two model files sets the decay of running statistics; the SGD
    `momentum=0.9` of two training scripts is the run's optimiser setting."""
    block = (
        "from torch import nn\n\n\nclass ConvBlock(nn.Module):\n    def __init__(self, c):\n        super().__init__()\n"
        "        self.conv = nn.Conv2d(c, c, 3)\n        self.bn = nn.BatchNorm2d(c, eps=0.001, momentum=0.1)\n"
        "        self.norm_cfg = dict(type='SyncBN', momentum=0.03)\n"
    )
    train = "import torch\n\n\ndef optimiser(model):\n    return torch.optim.SGD(model.parameters(), momentum=0.9)\n"
    files = {"nets/a.py": block, "nets/b.py": block, "train_a.py": train, "train_b.py": train}
    write_tree(tmp_path, files)
    assert [h.message for h in findings(tmp_path, "REP010")] == [
        "momentum=0.9 hard-coded in 2 files: train_a.py, train_b.py"
    ]


PORTFOLIO = """from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler
from sklearn.tree import DecisionTreeClassifier


def fast_candidates():
    return [
        DecisionTreeClassifier(max_depth=1),
        make_pipeline(MinMaxScaler(), DecisionTreeClassifier(max_depth=5)),
    ]


def boosted_candidates():
    portfolio = [
        HistGradientBoostingClassifier(max_depth=18, learning_rate=0.05),
        HistGradientBoostingClassifier(max_depth=3, learning_rate=0.01),
    ]
    return portfolio
"""


def test_rep010_settings_of_a_returned_portfolio_of_candidates_are_its_table(tmp_path: Path) -> None:
    write_tree(tmp_path, {"autofit/__init__.py": "", "autofit/portfolios.py": PORTFOLIO})
    assert findings(tmp_path, "REP010") == []
    # Look-alikes: the same estimators fitted in place, or one estimator alone in a list, are settings of this run
    fitted = PORTFOLIO.replace(
        "    return portfolio\n", "    return [model.fit([[0]], [0]) for model in portfolio][0]\n"
    )
    single = "from sklearn.tree import DecisionTreeClassifier\n\n\ndef tree():\n    return [DecisionTreeClassifier(max_depth=5)]\n"
    write_tree(tmp_path, {"autofit/portfolios.py": fitted, "autofit/single.py": single})
    assert {(h.path, h.line) for h in findings(tmp_path, "REP010")} == {
        ("autofit/portfolios.py", 16),
        ("autofit/single.py", 5),
    }


def test_rep010_a_models_hyperparameters_module_holds_its_defaults(tmp_path: Path) -> None:
    defaults = "def get_param_baseline():\n    return {'learning_rate': 0.05, 'max_depth': 6, 'n_estimators': 300}\n"
    model = "from lightgbm import LGBMClassifier\n\n\ndef build():\n    return LGBMClassifier(learning_rate=0.05, max_depth=6)\n"
    files = {
        "automl/__init__.py": "",
        "automl/models/lgb/hyperparameters/parameters.py": defaults,
        "automl/models/xgb/parameters.py": defaults,
    }
    write_tree(tmp_path, files)
    assert findings(tmp_path, "REP010") == []
    # Look-alike: the same values written into the model code itself are hard-coded there
    write_tree(tmp_path, {"automl/models/lgb/model.py": model})
    assert {h.path for h in findings(tmp_path, "REP010")} == {"automl/models/lgb/model.py"}


WRAPPED_MODEL_FN = """import tensorflow as tf


def add_regularization(model_fn, optimizer_fn=None):
    def regularized_model_fn(features, labels, mode, schedule=None):
        spec = model_fn(features, labels, mode)
        if not optimizer_fn:
            optimizer = tf.compat.v1.train.AdagradOptimizer(learning_rate=0.05)
        else:
            optimizer = optimizer_fn()
        if schedule is None:
            schedule = warmup_schedule(warmup_steps=500)
        return spec, optimizer, schedule

    return regularized_model_fn


def fit_head(model, use_adagrad):
    if not use_adagrad:
        return model.fit(learning_rate=0.05)
    return model


def warmup_schedule(warmup_steps):
    return lambda step: min(1.0, step / warmup_steps)
"""


def test_rep010_a_value_in_the_branch_for_a_parameter_the_caller_left_out_is_its_default(tmp_path: Path) -> None:
    """`if not optimizer_fn: Adagrad(learning_rate=0.05)` (in a closure too) is what the library uses when the
    caller passes no optimizer: a default, as `optimizer=Adagrad(0.05)` in the signature would be; look-alike: a
    flag choosing between two runs (`if not use_adagrad: model.fit(learning_rate=0.05)`) is still a hard-coded
    setting of the run, reported in both files that repeat it."""
    write_tree(tmp_path, {"reg/graph.py": WRAPPED_MODEL_FN, "reg/adv.py": WRAPPED_MODEL_FN})
    [hit] = findings(tmp_path, "REP010")
    assert hit.line == 20 and hit.message.startswith("learning_rate=0.05 hard-coded in 2 files")


CCT_VARIANTS = (
    "from lab.cct import CCT\n\n\n"
    "def cct_2(*args, **kwargs):\n"
    "    return _cct(num_layers=2, num_heads=2, embedding_dim=128, *args, **kwargs)\n\n\n"
    "def cct_4(*args, **kwargs):\n"
    "    return _cct(num_layers=4, num_heads=2, embedding_dim=128, *args, **kwargs)\n\n\n"
    "def _cct(num_layers, num_heads, embedding_dim, kernel_size=3, *args, **kwargs):\n"
    "    return CCT(num_layers=num_layers, num_heads=num_heads, embedding_dim=embedding_dim, *args, **kwargs)\n"
)


def test_rep010_sizes_handed_to_a_helper_that_only_runs_a_model_are_hard_coded(tmp_path: Path) -> None:
    runner = CCT_VARIANTS.replace("    return CCT(", "    model = CCT(").replace(
        "*args, **kwargs)\n", "*args, **kwargs)\n    return model.fit()\n"
    )
    files = {"lab/__init__.py": "", "lab/cct.py": "class CCT:\n    pass\n"}
    write_tree(tmp_path, {**files, "lab/hub.py": runner, "lab/hub3d.py": runner})
    assert {h.message.split(" hard-coded")[0] for h in findings(tmp_path, "REP010")} == {
        "embedding_dim=128",
        "num_heads=2",
    }


def test_rep010_sizes_a_variant_hands_to_the_modules_model_builder_define_that_variant(tmp_path: Path) -> None:
    files = {"lab/__init__.py": "", "lab/cct.py": "class CCT:\n    pass\n"}
    write_tree(tmp_path, {**files, "lab/hub.py": CCT_VARIANTS, "lab/hub3d.py": CCT_VARIANTS})
    assert findings(tmp_path, "REP010") == []


LIBRARY_PYPROJECT = (
    "[project]\nname = 'vitlab'\nversion = '1.0'\ndependencies = ['torch>=2.1']\n"
    "classifiers = ['Programming Language :: Python :: 3']\n"
)

DEMO_MAIN = """import torch
from torch import nn


class ViT(nn.Module):
    def __init__(self, dim, dropout=0.0):
        super().__init__()
        self.proj = nn.Linear(dim, dim)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        return self.drop(self.proj(x))


if __name__ == "__main__":
    model = ViT(dim=512, dropout=0.1)
    x = torch.randn(2, 512)
    print(model(x).shape)
"""


def test_rep010_values_in_a_main_block_that_trains_on_its_data_are_a_run(tmp_path: Path) -> None:
    trains = DEMO_MAIN.replace(
        "    x = torch.randn(2, 512)\n    print(model(x).shape)\n",
        "    x = torch.load('features.pt')\n    model(x).sum().backward()\n",
    )
    files = {"pyproject.toml": LIBRARY_PYPROJECT, "vitlab/__init__.py": ""}
    write_tree(tmp_path, {**files, "vitlab/vit.py": trains, "vitlab/vit_3d.py": trains})
    assert [h.message for h in findings(tmp_path, "REP010")] == [
        "dropout=0.1 hard-coded in 2 files: vitlab/vit.py, vitlab/vit_3d.py"
    ]


def test_rep010_values_in_a_librarys_main_block_demoing_the_module_document_it(tmp_path: Path) -> None:
    files = {"pyproject.toml": LIBRARY_PYPROJECT, "vitlab/__init__.py": ""}
    write_tree(tmp_path, {**files, "vitlab/vit.py": DEMO_MAIN, "vitlab/vit_3d.py": DEMO_MAIN})
    assert findings(tmp_path, "REP010") == []


HYDRA_ZEN_CONFIG = """\
import torch
from hydra_zen import builds, make_config, store, zen


def train(model, optimizer, batch_size, epochs):
    return model


OptimConf = builds(torch.optim.Adam, lr=0.0003, weight_decay=0.01, zen_partial=True)
TrainConf = make_config(optimizer=OptimConf, batch_size=64, epochs=20)
store(TrainConf, name="train")

if __name__ == "__main__":
    store.add_to_hydra_store()
    zen(train).hydra_main(config_name="train", version_base="1.3", config_path=None)
"""


def test_rep010_keywords_of_a_config_frameworks_builder_are_the_central_config(tmp_path: Path) -> None:
    """hydra-zen's `builds(Adam, lr=...)` and `make_config(epochs=...)` generate the run's structured config: the
    command line overrides every one of those fields."""
    write_tree(tmp_path, {"proj/__init__.py": "", "proj/train.py": HYDRA_ZEN_CONFIG})
    assert findings(tmp_path, "REP010") == []


def test_rep010_the_same_values_given_straight_to_the_optimiser_and_loader_are_hard_coded(tmp_path: Path) -> None:
    code = (
        "import torch\nfrom torch.utils.data import DataLoader\n\n\n"
        "def train(model, data):\n"
        "    opt = torch.optim.Adam(model.parameters(), lr=0.0003, weight_decay=0.01)\n"
        "    for _ in range(20):\n"
        "        for x, y in DataLoader(data, batch_size=64):\n"
        "            opt.zero_grad()\n"
        "            torch.nn.functional.mse_loss(model(x), y).backward()\n"
        "            opt.step()\n"
    )
    write_tree(tmp_path, {"proj/__init__.py": "", "proj/train.py": code})
    [hit] = findings(tmp_path, "REP010")
    assert "learning_rate=0.0003" in hit.message and "batch_size=64" in hit.message


SACRED_EXPERIMENT = """\
import torch
from sacred import Experiment

ex = Experiment("mnist")


@ex.config
def config():
    learning_rate = 0.0003
    batch_size = 64
    epochs = 20


@ex.automain
def main(learning_rate, batch_size, epochs):
    return torch.optim.SGD([torch.zeros(1)], lr=learning_rate), batch_size, epochs
"""


def test_rep010_the_settings_of_a_sacred_config_scope_are_the_central_config(tmp_path: Path) -> None:
    """sacred reads the local names of an `@ex.config` function as the run's config; `with epochs=5` overrides them."""
    write_tree(tmp_path, {"proj/__init__.py": "", "proj/train.py": SACRED_EXPERIMENT})
    assert findings(tmp_path, "REP010") == []


def test_rep010_the_same_settings_in_a_plain_function_are_hard_coded(tmp_path: Path) -> None:
    """Look-alike: the same assignments in an undecorated setup function are literals in code."""
    code = SACRED_EXPERIMENT.replace("@ex.config\n", "").replace("from sacred import Experiment", "import sacred")
    write_tree(tmp_path, {"proj/__init__.py": "", "proj/train.py": code})
    [hit] = findings(tmp_path, "REP010")
    assert "learning_rate=0.0003" in hit.message and "epochs=20" in hit.message
