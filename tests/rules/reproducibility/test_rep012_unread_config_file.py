"""Tests of rule REP012 (`mlaudit/rules/reproducibility/rep012_unread_config_file.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


def test_rep012_config_file_never_read(tmp_path: Path) -> None:
    write_tree(tmp_path, {"configs/old.yaml": "lr: 0.1\n", "configs/train.yaml": "lr: 0.1\n"})
    write_tree(tmp_path, {"train.py": "from pathlib import Path\n\nCFG = Path('configs') / 'train.yaml'\n"})
    [hit] = findings(tmp_path, "REP012")
    assert hit.path == "configs/old.yaml"


def test_rep012_hydra_config_path_counts_as_read(tmp_path: Path) -> None:
    code = "import hydra\n\n\n@hydra.main(config_path='conf', config_name='config')\ndef main(cfg):\n    pass\n"
    write_tree(tmp_path, {"conf/config.yaml": "lr: 0.1\n", "conf/model/big.yaml": "x: 1\n", "train.py": code})
    assert findings(tmp_path, "REP012") == []


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


DATASET_REGISTRY = """\
import os

import yaml

from zoo.datasets import configs


def dataset_configs():
    folder = os.path.dirname(configs.__file__)
    return {name: yaml.safe_load(open(os.path.join(folder, name))) for name in os.listdir(folder)}
"""


def test_rep012_configs_in_an_imported_package_are_package_data(tmp_path: Path) -> None:
    files = {
        "zoo/__init__.py": "",
        "zoo/datasets/__init__.py": DATASET_REGISTRY,
        "zoo/datasets/configs/__init__.py": "",
        "zoo/datasets/configs/adult_income.yaml": "target: income\n",
        "zoo/datasets/configs/mnist.yaml": "target: label\n",
    }
    write_tree(tmp_path, files)
    assert findings(tmp_path, "REP012") == []


def test_rep012_configs_in_a_package_nobody_imports_still_fire(tmp_path: Path) -> None:
    files = {
        "zoo/__init__.py": "",
        "zoo/datasets/__init__.py": "def dataset_configs():\n    return {}\n",
        "zoo/datasets/configs/__init__.py": "",
        "zoo/datasets/configs/mnist.yaml": "target: label\n",
    }
    write_tree(tmp_path, files)
    assert [h.path for h in findings(tmp_path, "REP012")] == ["zoo/datasets/configs/mnist.yaml"]


def test_rep012_configs_in_a_namespace_folder_the_code_imports_are_package_data(tmp_path: Path) -> None:
    loader = (
        "import importlib.resources\nimport json\n\nimport zoo.configs\n\n\n"
        "def load_preset(name):\n"
        "    return json.loads((importlib.resources.files(zoo.configs) / f'{name}.json').read_text())\n"
    )
    files = {
        "zoo/__init__.py": "",
        "zoo/settings.py": loader,
        "zoo/configs/fast.json": '{"k": 5}\n',
        "zoo/configs/thorough.json": '{"k": 50}\n',
        "zoo/experiments/configs/debug.json": '{"k": 1}\n',
    }
    write_tree(tmp_path, files)
    assert [h.path for h in findings(tmp_path, "REP012")] == ["zoo/experiments/configs/debug.json"]


def test_rep012_a_folder_a_module_names_relative_to_itself_holds_configs_it_picks_by_name(tmp_path: Path) -> None:
    """`os.path.join(os.path.dirname(__file__), "conf/kpconv")`, then `f"{PATH}/{arch}.yaml"`: the module reads the
    config its caller picks from that folder. Look-alike: a neighbouring folder no module names stays unread."""
    code = (
        "import os\n\nfrom omegaconf import OmegaConf\n\n"
        "DIR_PATH = os.path.dirname(os.path.realpath(__file__))\n"
        "PATH_TO_CONFIG = os.path.join(DIR_PATH, 'conf/kpconv')\n\n\n"
        "def build(arch='unet'):\n    return OmegaConf.load(os.path.join(PATH_TO_CONFIG, f'{arch}.yaml'))\n"
    )
    write_tree(
        tmp_path,
        {
            "points/__init__.py": "",
            "points/applications/__init__.py": "",
            "points/applications/kpconv.py": code,
            "points/applications/conf/kpconv/unet.yaml": "depth: 4\n",
            "points/applications/conf/kpconv/encoder.yaml": "depth: 3\n",
            "points/applications/conf/rsconv/unet.yaml": "depth: 2\n",
        },
    )
    assert [h.path for h in findings(tmp_path, "REP012")] == ["points/applications/conf/rsconv/unet.yaml"]


def test_rep012_hydra_config_path_named_as_a_package_resource(tmp_path: Path) -> None:
    """`config_path=str(files("tts").joinpath("configs"))` and `config_path="pkg://tts.configs"` name the
    package's own configs folder (under `src/` here): Hydra composes every file there. A configs folder of another
    package stays unread."""
    resource = (
        "from importlib.resources import files\n\nimport hydra\n\n\n"
        "@hydra.main(config_path=str(files('tts').joinpath('configs')), config_name=None)\ndef main(cfg):\n    pass\n"
    )
    files = {
        "src/tts/train.py": resource,
        "src/tts/configs/Base.yaml": "dim: 512\n",
        "src/tts/configs/Small.yaml": "dim: 256\n",
        "src/vocoder/configs/v1.yaml": "dim: 64\n",
    }
    write_tree(tmp_path / "a", files)
    assert [h.path for h in findings(tmp_path / "a", "REP012")] == ["src/vocoder/configs/v1.yaml"]
    scheme = (
        "import hydra\n\n\n@hydra.main(config_path='pkg://tts.configs', config_name=None)\ndef main(cfg):\n    pass\n"
    )
    write_tree(tmp_path / "b", {**files, "src/tts/train.py": scheme})
    assert [h.path for h in findings(tmp_path / "b", "REP012")] == ["src/vocoder/configs/v1.yaml"]


PRESET_LOADER = """from pathlib import Path

import yaml


def load_engine_config(conf_file="default.yaml"):
    path = {path}
    return yaml.safe_load(path.read_text())
"""


def test_rep012_a_folder_the_code_joins_a_chosen_file_name_to_holds_presets(tmp_path: Path) -> None:
    """`Path(Path(__file__).parent, "conf", conf_file)` reads whichever preset of `conf/` the caller names. Look-alike:
    a module joining one fixed file name (`... / "conf" / "default.yaml"`) reads only that file."""
    files = {
        "pii/__init__.py": "",
        "pii/engines/__init__.py": "",
        "pii/conf/default.yaml": "nlp: spacy\n",
        "pii/conf/stanza.yaml": "nlp: stanza\n",
    }
    chosen = PRESET_LOADER.format(path='Path(Path(__file__).parent.parent, "conf", conf_file)')
    write_tree(tmp_path / "chosen", {**files, "pii/engines/provider.py": chosen})
    assert findings(tmp_path / "chosen", "REP012") == []
    fixed = PRESET_LOADER.format(path='Path(__file__).parent.parent / "conf" / "default.yaml"')
    write_tree(tmp_path / "fixed", {**files, "pii/engines/provider.py": fixed})
    assert [h.path for h in findings(tmp_path / "fixed", "REP012")] == ["pii/conf/stanza.yaml"]


def test_rep012_the_default_of_a_config_chosen_at_run_time_stands_for_its_folder(tmp_path: Path) -> None:
    # an environment variable or a command-line option picks the config; the default names one of the choices
    env = (
        "import os\n\nimport yaml\n\n"
        "CASE = os.environ.get('CASE_FILE', 'tests/e2e/configs/int8_dynamic.yaml')\n\n\n"
        "def load_case():\n    with open(CASE) as f:\n        return yaml.safe_load(f)\n"
    )
    cli = (
        "import argparse\n\n\ndef main():\n    parser = argparse.ArgumentParser()\n"
        "    parser.add_argument('--recipe', default='configs/w4a16.yaml')\n    return parser.parse_args()\n"
    )
    files = {
        "tests/test_cases.py": env,
        "tests/e2e/configs/int8_dynamic.yaml": "scheme: int8\n",
        "tests/e2e/configs/fp8_block.yaml": "scheme: fp8\n",
        "run.py": cli,
        "configs/w4a16.yaml": "bits: 4\n",
        "configs/w8a8.yaml": "bits: 8\n",
    }
    write_tree(tmp_path / "chosen", files)
    assert findings(tmp_path / "chosen", "REP012") == []
    # Look-alike: a fixed path (no run-time choice) names one file and vouches for none of its neighbours
    fixed = env.replace(
        "os.environ.get('CASE_FILE', 'tests/e2e/configs/int8_dynamic.yaml')", "'tests/e2e/configs/int8_dynamic.yaml'"
    )
    write_tree(tmp_path / "fixed", {**files, "tests/test_cases.py": fixed, "run.py": "RECIPE = 'configs/w4a16.yaml'\n"})
    hits = findings(tmp_path / "fixed", "REP012")
    assert sorted(str(h.path) for h in hits) == ["configs/w8a8.yaml", "tests/e2e/configs/fp8_block.yaml"]


ABSL_RUNNER = """import yaml
from absl import app, flags

_CONFIG_FILE = flags.DEFINE_string("config_file", None, "YAML config of the benchmark.", required=True)


def main(argv):
    with open(_CONFIG_FILE.value) as f:
        return yaml.safe_load(f)


if __name__ == "__main__":
    app.run(main)
"""


def test_rep012_configs_below_a_program_taking_a_config_file_option_are_what_it_is_given(tmp_path: Path) -> None:
    """`bench/run.py --config_file=...` (an absl flag, or argparse's `--config`) reads whichever config it is
    handed: the configs in its folder or below are its inputs, not forgotten files."""
    configs = {"bench/configs/save.yaml": "steps: 10\n", "bench/configs/sizes/large.yaml": "dim: 4096\n"}
    write_tree(tmp_path / "a", {**configs, "bench/__init__.py": "", "bench/run.py": ABSL_RUNNER})
    assert findings(tmp_path / "a", "REP012") == []
    argparse_runner = (
        "import argparse\n\nimport yaml\n\n\ndef main():\n    parser = argparse.ArgumentParser()\n"
        "    parser.add_argument('--config', required=True)\n"
        "    return yaml.safe_load(open(parser.parse_args().config))\n"
    )
    write_tree(tmp_path / "b", {**configs, "bench/run.py": argparse_runner})
    assert findings(tmp_path / "b", "REP012") == []
    # Look-alikes: an option for something else (`--output_dir`), or a config option of a program in a sibling
    # folder, gives those configs no reader.
    other = ABSL_RUNNER.replace('"config_file"', '"output_dir"')
    write_tree(tmp_path / "c", {**configs, "bench/run.py": other})
    assert len(findings(tmp_path / "c", "REP012")) == 2
    write_tree(tmp_path / "d", {**configs, "tools/run.py": ABSL_RUNNER})
    assert len(findings(tmp_path / "d", "REP012")) == 2
