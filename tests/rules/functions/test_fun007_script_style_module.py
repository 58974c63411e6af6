"""Tests of rule FUN007 (`mlaudit/rules/functions/fun007_script_style_module.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree

SCRIPT_STYLE = """
import pandas as pd
from sklearn.ensemble import RandomForestClassifier

DATA = "train.csv"
df = pd.read_csv(DATA)
model = RandomForestClassifier().fit(df[["a"]], df.y)
"""


CLEAN_MODULE = """
import logging
from dataclasses import dataclass
from typing import TypeVar

import pandas as pd

logger = logging.getLogger(__name__)
T = TypeVar("T")
__all__ = ["Config", "load"]

try:
    import torch
except ImportError:
    torch = None


@dataclass(frozen=True)
class Config:
    path: str = "train.csv"


DEFAULT = Config()
REGISTRY: dict[str, type] = {}
REGISTRY["config"] = Config


def load(cfg: Config) -> pd.DataFrame:
    return pd.read_csv(cfg.path)


if __name__ == "__main__":
    df = load(DEFAULT)
    for col in df.columns:
        print(col)
"""


def test_fun007_fires_on_import_time_training(tmp_path: Path) -> None:
    write_tree(tmp_path, {"train.py": SCRIPT_STYLE})
    [hit] = findings(tmp_path, "FUN007")
    assert hit.line == 6 and "2 statement(s)" in hit.message and "pd.read_csv(DATA)" in hit.message


def test_fun007_silent_for_clean_module_and_exempt_files(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/data.py": CLEAN_MODULE,
            "pkg/__main__.py": SCRIPT_STYLE,
            "setup.py": "from setuptools import setup\nsetup(name='x')\n",
            "docs/conf.py": "import os\nos.makedirs('_build', exist_ok=True)\n",
            "examples/plot_x.py": SCRIPT_STYLE,
            "tests/test_x.py": SCRIPT_STYLE,
        },
    )
    assert findings(tmp_path, "FUN007") == []


def test_fun007_config_read_is_not_work_but_a_loading_constructor_is(tmp_path: Path) -> None:
    code = (
        "import json\n\nimport torch\n\n"
        'with open("settings.json") as fh:\n    settings = json.load(fh)\n\n\n'
        "class Predictor:\n"
        "    def __init__(self):\n"
        '        self.net = torch.load(settings["weights"], weights_only=True)\n\n\n'
        "predictor = Predictor()\n"
    )
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/model.py": code, "svc/api.py": "from .model import predictor\n"})
    [hit] = findings(tmp_path, "FUN007")
    assert hit.line == 14 and "predictor = Predictor()" in hit.message
    write_tree(tmp_path, {"svc/model.py": code.replace("predictor = Predictor()\n", "")})
    assert findings(tmp_path, "FUN007") == []


def test_fun007_fix_for_an_imported_module_is_a_factory_not_a_main_guard(tmp_path: Path) -> None:
    predictor = (
        "import joblib\n\n\nclass Predictor:\n    def __init__(self):\n"
        "        self.model = joblib.load('model.joblib')\n\n\npredictor = Predictor()\n"
    )
    api = "from svc.predictor import predictor\n\n\ndef handle(x):\n    return predictor.model.predict(x)\n"
    write_tree(
        tmp_path,
        {"svc/__init__.py": "", "svc/predictor.py": predictor, "svc/api.py": api, "train.py": SCRIPT_STYLE},
    )
    fixes = {f.path: f.fix or "" for f in findings(tmp_path, "FUN007")}
    assert (
        "cached getter" in fixes["svc/predictor.py"] and "__main__ guard would leave them" in fixes["svc/predictor.py"]
    )
    assert 'if __name__ == "__main__"' in fixes["train.py"]


def test_fun007_reading_the_version_file_is_metadata_but_reading_data_is_work(tmp_path: Path) -> None:
    init = (
        "import os\n\nversion_file = os.path.join(os.path.dirname(__file__), 'version.txt')\n"
        "with open(version_file) as handle:\n    __version__ = handle.read().strip()\n"
    )
    vocab = (
        "import os\n\nvocab_file = os.path.join(os.path.dirname(__file__), 'vocab.txt')\n"
        "with open(vocab_file) as handle:\n    VOCAB = handle.read().split()\n"
    )
    write_tree(
        tmp_path, {"pkg/__init__.py": init, "pkg/words.py": vocab, "pkg/use.py": "from pkg.words import VOCAB\n"}
    )
    assert [(f.path, f.line) for f in findings(tmp_path, "FUN007")] == [("pkg/words.py", 4)]


def test_fun007_a_streamlit_app_runs_top_to_bottom_by_design(tmp_path: Path) -> None:
    app = (
        "import joblib\nimport pandas as pd\nimport streamlit as st\n\n"
        "st.title('Price estimate')\nmodel = joblib.load('model.joblib')\n"
        "area = st.number_input('Area', value=80)\n"
        "if st.button('Estimate'):\n    st.write(model.predict(pd.DataFrame({'area': [area]}))[0])\n"
    )
    # Look-alike: the training script beside it imports no Streamlit and still runs on import.
    train = (
        "import joblib\nimport pandas as pd\n\ndf = pd.read_csv('houses.csv')\njoblib.dump(df.mean(), 'model.joblib')\n"
    )
    write_tree(tmp_path, {"app.py": app, "train.py": train})
    [hit] = findings(tmp_path, "FUN007")
    assert hit.path == "train.py"


def test_fun007_silent_on_scikit_learn_declarations_but_fires_on_a_torch_model(tmp_path: Path) -> None:
    declarations = (
        "from numbers import Integral, Real\n\n"
        "from sklearn.tree import DecisionTreeClassifier\n"
        "from sklearn.utils._param_validation import HasMethods, Interval, StrOptions\n\n"
        "_parameter_constraints = {\n"
        '    "estimator": [HasMethods(["fit", "predict"]), None],\n'
        '    "n_estimators": [Interval(Integral, 1, None, closed="left")],\n'
        '    "learning_rate": [Interval(Real, 0, None, closed="neither")],\n'
        '    "algorithm": [StrOptions({"SAMME"})],\n'
        "}\n"
        "DEFAULT_ESTIMATOR = DecisionTreeClassifier(max_depth=1)\n"
    )
    weights = "import torch\n\nENCODER = torch.nn.Embedding(50000, 768)\n"
    write_tree(tmp_path, {"ens/__init__.py": "", "ens/_common.py": declarations, "ens/embed.py": weights})
    [hit] = findings(tmp_path, "FUN007")
    assert hit.path == "ens/embed.py" and hit.line == 3


def test_fun007_silent_on_a_packaged_tutorial_and_a_version_read_through_an_aliased_path(tmp_path: Path) -> None:
    init = (
        "from pathlib import Path as _Path\n\nfrom .core import Encoder\n\n"
        "with open(_Path(__file__).parent / 'VERSION.txt') as _fh:\n    __version__ = _fh.read().strip()\n"
    )
    write_tree(
        tmp_path,
        {
            "tabkit/__init__.py": init,
            "tabkit/core.py": CLEAN_MODULE,
            "tabkit/_docs/tutorials/getting_started.py": SCRIPT_STYLE,
            "tabkit/pipelines/quick_tour.py": SCRIPT_STYLE,
        },
    )
    assert [f.path for f in findings(tmp_path, "FUN007")] == ["tabkit/pipelines/quick_tour.py"]


def test_fun007_silent_on_a_weightless_transform_pipeline_but_fires_on_one_holding_a_layer(tmp_path: Path) -> None:
    transforms = (
        "import torch.nn as nn\nimport torchvision.transforms.v2 as T\n\n"
        "_eval_transforms = nn.Sequential(T.Resize((256, 256)), T.CenterCrop(224))\n"
        "_raw_transforms = nn.Identity()\n"
    )
    head = "import torch.nn as nn\n\n_head = nn.Sequential(nn.Flatten(), nn.Linear(512, 10))\n"
    write_tree(tmp_path, {"geo/__init__.py": "", "geo/weights.py": transforms, "geo/head.py": head})
    [hit] = findings(tmp_path, "FUN007")
    assert hit.path == "geo/head.py" and hit.line == 3


def test_fun007_building_a_class_runs_only_its_constructor_and_weightless_losses_hold_nothing(tmp_path: Path) -> None:
    registry = (
        "from typing import NamedTuple\nfrom urllib import request\n\n\n"
        "class Archive(NamedTuple):\n    file_name: str\n\n"
        "    def download(self, path):\n        return request.urlretrieve(self.file_name, path)\n\n\n"
        "ARCHIVES = {'m1': Archive('m1.zip'), 'm3': Archive('m3.zip')}\n"
    )
    losses = "import torch.nn as nn\n\nBCE = nn.BCELoss(reduction='sum')\nPOOL = nn.AvgPool3d(2, stride=2)\n"
    eager = (
        "import torch\n\n\n"
        "class Store:\n    def __init__(self, path):\n        self.state = self._read(path)\n\n"
        "    def _read(self, path):\n        return torch.load(path, weights_only=True)\n\n\n"
        "STORE = Store('weights.pt')\n"
    )
    files = {"ts/__init__.py": "", "ts/archives.py": registry, "ts/losses.py": losses, "ts/store.py": eager}
    write_tree(tmp_path, files)
    assert [(h.path, h.line) for h in findings(tmp_path, "FUN007")] == [("ts/store.py", 12)]


def test_fun007_reading_the_packages_config_through_a_built_path_is_configuration(tmp_path: Path) -> None:
    init = (
        "import os\n\nfrom omegaconf import OmegaConf\n\n"
        "root_dir = os.path.dirname(os.path.abspath(__file__))\n"
        "default_cfg = OmegaConf.load(os.path.join(root_dir, 'configs/default.yaml'))\n"
    )
    data = "import os\n\nimport pandas as pd\n\nframe = pd.read_csv(os.path.join(os.path.dirname(__file__), 'train.csv'))\n"
    write_tree(tmp_path, {"vl/__init__.py": init, "vl/data.py": data})
    assert [(h.path, h.line) for h in findings(tmp_path, "FUN007")] == [("vl/data.py", 5)]


def test_fun007_registering_a_weightless_keras_layer_is_no_work_but_building_a_dense_one_is(tmp_path: Path) -> None:
    activation = (
        "from tensorflow import keras\n\n\n"
        "def mish(x):\n    return x * keras.backend.tanh(keras.backend.softplus(x))\n\n\n"
        "keras.utils.get_custom_objects().update({'mish': keras.layers.Activation(mish)})\n"
        "_drop = keras.layers.Dropout(0.1)\n"
    )
    head = "from tensorflow import keras\n\n_head = keras.layers.Dense(10)\n"
    write_tree(tmp_path, {"ocr/__init__.py": "", "ocr/layers.py": activation, "ocr/head.py": head})
    [hit] = findings(tmp_path, "FUN007")
    assert hit.path == "ocr/head.py" and hit.line == 3


def test_fun007_activation_dropout_and_padding_layers_hold_no_weights_but_a_learnable_activation_does(
    tmp_path: Path,
) -> None:
    layers = (
        "import torch\nimport torch.nn as nn\n\n"
        "# kept as a module so that it pickles\n"
        "softplus = torch.nn.Softplus()\nELU = nn.ELU(alpha=0.5)\nDROP = nn.Dropout2d(0.1)\nPAD = nn.ZeroPad2d(1)\n"
    )
    learnable = "import torch.nn as nn\n\nACT = nn.PReLU(num_parameters=16)\n"
    write_tree(tmp_path, {"gp/__init__.py": "", "gp/layers.py": layers, "gp/act.py": learnable})
    [hit] = findings(tmp_path, "FUN007")
    assert hit.path == "gp/act.py" and hit.line == 3


def test_fun007_loading_plugins_on_import_is_registration_but_loading_a_table_is_work(tmp_path: Path) -> None:
    """`load_class_extensions(sys.modules[__name__], KEY)` registers the explainers installed packages declare
    through entry points; `load_lookup_table(...)` in the same place reads data on import."""
    plugins = (
        "import sys\n\nfrom xai.ext.utils import load_class_extensions\n\n"
        "load_class_extensions(sys.modules[__name__], 'xai_ext_blackbox')\n"
    )
    table = "from xai.ext.utils import load_lookup_table\n\nTABLE = load_lookup_table('colors.csv')\n"
    utils = (
        "from importlib.metadata import entry_points\n\n\n"
        "def load_class_extensions(module, key):\n"
        "    for ep in entry_points(group=key):\n        setattr(module, ep.name, ep.load())\n\n\n"
        "def load_lookup_table(path):\n    with open(path) as f:\n        return f.read().split()\n"
    )
    files = {
        "xai/__init__.py": "",
        "xai/ext/__init__.py": "",
        "xai/ext/utils.py": utils,
        "xai/ext/blackbox/__init__.py": plugins,
        "xai/ext/colors.py": table,
    }
    write_tree(tmp_path, files)
    assert [(f.path, f.line) for f in findings(tmp_path, "FUN007")] == [("xai/ext/colors.py", 3)]


def test_fun007_a_lazy_import_proxy_is_no_work_but_loading_through_a_lazy_name_is(tmp_path: Path) -> None:
    """`resampy = lazy.load("resampy")` binds a proxy that imports the module on first use: nothing runs on
    import. A project helper also named `load` that reads a file on import still is work."""
    lazy = "import lazy_loader as lazy\n\nresampy = lazy.load('resampy')\nsamplerate = lazy.load('samplerate')\n"
    table = "from sonic.tables import load\n\nINTERVALS = load('intervals.csv')\n"
    tables = "def load(path):\n    with open(path) as f:\n        return f.read().split()\n"
    files = {"sonic/__init__.py": "", "sonic/audio.py": lazy, "sonic/tables.py": tables, "sonic/notes.py": table}
    write_tree(tmp_path, files)
    assert [(f.path, f.line) for f in findings(tmp_path, "FUN007")] == [("sonic/notes.py", 3)]


def test_fun007_a_sphinx_conf_outside_docs_is_executed_by_the_docs_build_but_a_package_conf_is_not(
    tmp_path: Path,
) -> None:
    """sphinx-build executes `site/conf.py` top to bottom; a package module named conf.py that reads a table on
    import is still import-time work."""
    sphinx = (
        "import json\n\nproject = 'churnkit'\nextensions = ['sphinx.ext.autodoc']\nhtml_theme = 'furo'\n\n\n"
        "def write_team_page():\n    with open('team.json') as fh:\n        return json.load(fh)\n\n\n"
        "write_team_page()\n"
    )
    package_conf = "import pandas as pd\n\nDEFAULTS = pd.read_csv('defaults.csv')\n"
    write_tree(tmp_path, {"site/conf.py": sphinx, "churnkit/__init__.py": "", "churnkit/conf.py": package_conf})
    assert [h.path for h in findings(tmp_path, "FUN007")] == ["churnkit/conf.py"]


REGISTRY_SCAN = """\
import json
from pathlib import Path

import pandas as pd

_CONFIG_PATHS = [Path(__file__).parent / "model_configs"]
_MODEL_CONFIGS = {}


def _rescan_model_configs():
    config_ext = (".json",)
    for config_path in _CONFIG_PATHS:
        for ext in config_ext:
            for cf in config_path.glob(f"*{ext}"):
                with open(cf) as f:
                    _MODEL_CONFIGS[cf.stem] = json.load(f)


_rescan_model_configs()


def list_models():
    return sorted(_MODEL_CONFIGS)
"""


def test_fun007_fires_on_an_import_time_scan_that_loads_data_tables(tmp_path: Path) -> None:
    tables = REGISTRY_SCAN.replace('(".json",)', '(".csv",)').replace("json.load(f)", "pd.read_csv(f)")
    write_tree(tmp_path, {"clipkit/__init__.py": "", "clipkit/factory.py": tables})
    assert [h.line for h in findings(tmp_path, "FUN007")] == [19]


def test_fun007_silent_on_an_import_time_scan_parsing_the_packages_config_files(tmp_path: Path) -> None:
    write_tree(tmp_path, {"clipkit/__init__.py": "", "clipkit/factory.py": REGISTRY_SCAN})
    assert findings(tmp_path, "FUN007") == []


def test_fun007_a_registry_filled_from_the_packages_json_configs_is_configuration(tmp_path: Path) -> None:
    """A module-level call of the module's own function that only parses config files (the model configs the
    package ships, globbed and read with `json.load` into a registry) is configuration. Look-alike: the same
    scan loading weights with `torch.load` is work."""
    configs = (
        "import json\nfrom pathlib import Path\n\n"
        "_CONFIG_DIR = Path(__file__).parent / 'model_configs'\n"
        "_MODEL_CONFIGS = {}\n\n\n"
        "def _rescan_model_configs():\n"
        "    for cf in _CONFIG_DIR.glob('*.json'):\n"
        "        with open(cf) as f:\n"
        "            _MODEL_CONFIGS[cf.stem] = json.load(f)\n\n\n"
        "_rescan_model_configs()\n"
    )
    weights = (
        "from pathlib import Path\n\nimport torch\n\n"
        "_WEIGHTS_DIR = Path(__file__).parent / 'weights'\n"
        "_WEIGHTS = {}\n\n\n"
        "def _preload_weights():\n"
        "    for cf in _WEIGHTS_DIR.glob('*.pt'):\n"
        "        _WEIGHTS[cf.stem] = torch.load(cf, weights_only=True)\n\n\n"
        "_preload_weights()\n"
    )
    write_tree(tmp_path, {"clip/__init__.py": "", "clip/factory.py": configs, "clip/weights.py": weights})
    assert [(h.path, h.line) for h in findings(tmp_path, "FUN007")] == [("clip/weights.py", 14)]


def test_fun007_reading_the_version_into_a_plain_version_name_is_metadata(tmp_path: Path) -> None:
    """`version = f.read().strip()` from `version.txt` names the package's version as `__version__` does.
    Look-alike: the same read into another plain name (`VOCAB`) is work."""
    init = (
        "import os\n\n"
        "with open(os.path.join(os.path.dirname(__file__), 'version.txt'), encoding='utf-8') as f:\n"
        "    version = f.read().strip()\n"
    )
    vocab = (
        "import os\n\n"
        "with open(os.path.join(os.path.dirname(__file__), 'vocab.txt'), encoding='utf-8') as f:\n"
        "    VOCAB = f.read().strip()\n"
    )
    write_tree(tmp_path, {"sb/__init__.py": init, "sb/words.py": vocab, "sb/use.py": "from sb.words import VOCAB\n"})
    assert [(h.path, h.line) for h in findings(tmp_path, "FUN007")] == [("sb/words.py", 3)]
