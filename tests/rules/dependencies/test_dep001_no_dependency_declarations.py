"""Tests of rule DEP001 (`mlaudit/rules/dependencies/dep001_no_dependency_declarations.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.dependencies._helpers import CODE


def test_dep001_fires_when_nothing_is_declared(tmp_path: Path) -> None:
    write_tree(tmp_path, {"train.py": CODE})
    [hit] = findings(tmp_path, "DEP001")
    assert "3 third-party packages (numpy, sklearn, yaml)" in hit.message


def test_dep001_silent_for_stdlib_only_code(tmp_path: Path) -> None:
    write_tree(tmp_path, {"tool.py": "import json, os\nfrom pathlib import Path\nimport helpers\n", "helpers.py": ""})
    assert findings(tmp_path, "DEP001") == []


NO_DEPS = (
    '[project]\nname = "tensorops"\nversion = "1.0"\nrequires-python = ">=3.9"\n'
    'classifiers = ["Programming Language :: Python :: 3"]\ndependencies = [\n    # none at run time\n]\n'
)
BACKENDS = {
    "tensorops/__init__.py": "from tensorops.ops import rearrange\n",
    "tensorops/ops.py": "def rearrange(x, pattern):\n    import numpy as np\n\n    return np.asarray(x)\n",
    "tensorops/layers/__init__.py": "",
    "tensorops/layers/torch.py": "import torch\n\n\nclass Rearrange(torch.nn.Module):\n    pass\n",
    "tensorops/layers/flax.py": "import flax.linen as nn\nimport jax\n\n\nclass Rearrange(nn.Module):\n    pass\n",
}


def test_dep001_silent_when_the_package_declares_no_dependencies_on_purpose(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": NO_DEPS, **BACKENDS})
    assert findings(tmp_path, "DEP001") == []
    assert {h.severity.value for h in findings(tmp_path, "DEP004")} == {"info"}  # optional backends
    write_tree(tmp_path, {"tensorops/core.py": "import scipy\n"})  # required, yet declared nowhere
    assert [h.severity.value for h in findings(tmp_path, "DEP004") if "scipy" in h.message] == ["warning"]
    without = tmp_path / "without"
    undeclared = NO_DEPS.replace("dependencies = [\n    # none at run time\n]\n", "")
    write_tree(without, {"pyproject.toml": undeclared, **BACKENDS, "tensorops/core.py": "import scipy\n"})
    [hit] = findings(without, "DEP001")
    assert "imports 1 third-party package (scipy)" in hit.message


def test_a_module_named_after_a_standard_library_module_is_no_optional_integration(tmp_path: Path) -> None:
    json_tools = "import json\n\nimport scipy\n\n\ndef load(path):\n    return scipy.io.loadmat(json.load(path))\n"
    write_tree(tmp_path, {"pyproject.toml": NO_DEPS, **BACKENDS, "tensorops/json_tools.py": json_tools})
    assert [h.severity.value for h in findings(tmp_path, "DEP004") if "scipy" in h.message] == ["warning"]
