"""Tests of rule LAY014 (`mlaudit/rules/layout/lay014_sys_path_edit.py`)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import findings, write_tree

TRAIN = """\
import sys
from pathlib import Path

FILE = Path(__file__).resolve()
ROOT = FILE.parents[1]
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

from utils.general import load_config


def main():
    print(load_config("configs/train.yaml"))


if __name__ == "__main__":
    main()
"""

EVALUATE = """\
import os
import sys


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, os.path.join(here, ".."))
    from utils.general import load_config
    return load_config


if __name__ == "__main__":
    main()
"""

NOTEBOOK = json.dumps(
    {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": ["import sys\n", "sys.path.append('..')\n", "from utils.general import load_config\n"],
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
)

# look-alikes: a CLI that imports its user's module from the working directory or a given folder,
# Sphinx's conf.py, pytest's conftest.py and an example script
PLUGINS = """\
import importlib
import os
import sys


def load_plugin(plugin_dir, name):
    sys.path.insert(0, plugin_dir)
    return importlib.import_module(name)


def load_user_config(name):
    sys.path.append(os.getcwd())
    return importlib.import_module(name)
"""

SPHINX_CONF = """\
import os
import sys

sys.path.insert(0, os.path.abspath(".."))
project = "pkg"
"""

CONFTEST = """\
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "src"))
"""


def test_path_edits_to_reach_project_code_fire(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "utils/__init__.py": "",
            "utils/general.py": "def load_config(path):\n    return path\n",
            "segment/train.py": TRAIN,
            "tools/evaluate.py": EVALUATE,
            "notebooks/explore.ipynb": NOTEBOOK,
        },
    )
    hits = {(f.path, f.line, f.cell) for f in findings(tmp_path, "LAY014")}
    assert hits == {("segment/train.py", 7, None), ("tools/evaluate.py", 7, None), ("notebooks/explore.ipynb", 2, 1)}


def test_user_paths_and_conventional_places_stay_silent(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "src/pkg/__init__.py": "",
            "src/pkg/plugins.py": PLUGINS,
            "docs/conf.py": SPHINX_CONF,
            "tests/conftest.py": CONFTEST,
            "tests/test_plugins.py": "from pkg.plugins import load_plugin\n\n\ndef test_x():\n    assert load_plugin\n",
            "examples/demo.py": "import sys\nsys.path.append('..')\nimport pkg\n",
        },
    )
    assert findings(tmp_path, "LAY014") == []


SERVE_CLI = """\
import os
import sys
from pathlib import Path


def serve(bento, working_dir=None):
    if working_dir is None:
        working_dir = os.path.expanduser(bento) if os.path.isdir(bento) else "."
    if sys.path[0] != working_dir:
        sys.path.insert(0, working_dir)
    sys.path.insert(0, ".")
    sys.path.append(str(Path("/packages")))
    from handlers import build

    return build()
"""

TEMP_CONFIGS = """\
import sys
from pathlib import Path


def export_config(model_name):
    config_dir = Path("temp_configs") / model_name
    sys.path.insert(0, str(config_dir))
"""


LIBRARY = """[project]
name = "srv"
version = "1.0"
dependencies = ["fastapi>=0.100"]
classifiers = ["Programming Language :: Python :: 3"]
"""


def test_working_directory_absolute_and_parameter_built_paths_stay_silent_in_a_library(tmp_path: Path) -> None:
    # A published server loading its user's code from the working directory, a container's absolute
    # folder, and a folder named by a parameter: none of them is the repository's own code.
    files = {"srv/__init__.py": "", "srv/cli.py": SERVE_CLI, "srv/export.py": TEMP_CONFIGS}
    write_tree(tmp_path / "lib", {**files, "pyproject.toml": LIBRARY})
    assert findings(tmp_path / "lib", "LAY014") == []
    # Look-alike: the same server reaching a sibling folder of its own source fires.
    own = SERVE_CLI + "\n\nsys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'vendor'))\n"
    write_tree(tmp_path / "own", {**files, "pyproject.toml": LIBRARY, "srv/cli.py": own})
    assert [f.line for f in findings(tmp_path / "own", "LAY014")] == [18]
    # Look-alike: research code (no package) putting the working directory first to import its own modules.
    write_tree(tmp_path / "research", files)
    [hit] = findings(tmp_path / "research", "LAY014")
    assert hit.path == "srv/cli.py" and hit.message.endswith("through sys.path, from the working directory")


def test_the_working_directory_by_call_fires_before_a_named_import_but_not_before_a_dynamic_one(tmp_path: Path) -> None:
    named = (
        "import sys\nfrom pathlib import Path\n\nsys.path.insert(0, str(Path.cwd()))\nfrom train.models import Net\n"
    )
    dynamic = "import importlib\nimport os\nimport sys\n\nsys.path.append(os.getcwd())\nplugin = importlib.import_module('user_hooks')\n"
    write_tree(tmp_path, {"run.py": named, "hooks.py": dynamic})
    assert [(f.path, f.line) for f in findings(tmp_path, "LAY014")] == [("run.py", 4)]


BACKBONE = """\
import os
import sys

import torch


class Backbone:
    def __init__(self, name="vits16"):
        hub_repo = "facebookresearch/dinov3"
        location = hub_repo
        if os.getenv("DINOV3_LOCATION") is not None:
            location = os.getenv("DINOV3_LOCATION")
        if location != hub_repo and location not in sys.path:
            sys.path.append(location)
        self.model = torch.hub.load(location, name, source="local" if location != hub_repo else "github")


def load_vendored():
    root = os.environ.get("VENDOR_ROOT", os.path.join(os.path.dirname(__file__), "..", "vendor"))
    sys.path.insert(0, root)
    import vendored_model

    return vendored_model
"""


def test_a_path_from_the_environment_defaulting_to_the_repository_fires(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/backbone.py": BACKBONE})
    assert [f.line for f in findings(tmp_path, "LAY014")] == [20]


def test_a_folder_the_user_configures_in_the_environment_stays_silent(tmp_path: Path) -> None:
    backbone = BACKBONE.split("\n\ndef load_vendored", maxsplit=1)[0] + "\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/backbone.py": backbone})
    assert findings(tmp_path, "LAY014") == []
