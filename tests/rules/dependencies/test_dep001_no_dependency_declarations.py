"""Tests of rule DEP001 (`mlaudit/rules/dependencies/dep001_no_dependency_declarations.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
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


def test_dep001_packages_named_only_in_a_dockerfile_are_a_warning_there(tmp_path: Path) -> None:
    recipe = (
        "FROM python:3.11.9-slim\nWORKDIR /app\nCOPY . .\n"
        "RUN pip install --no-cache-dir torch==2.3.1 numpy==1.26.4 && \\\n    python -m compileall .\n"
        'CMD ["python", "serve.py"]\n'
    )
    code = "import numpy as np\nimport torch\n\n\ndef score(x):\n    return torch.tensor(np.ones(3)) * x\n"
    write_tree(tmp_path / "image", {"serve.py": code, "Dockerfile": recipe})
    [hit] = findings(tmp_path / "image", "DEP001")
    assert hit.severity is Severity.WARNING and (hit.path, hit.line) == ("Dockerfile", 4)
    assert "(torch==2.3.1 numpy==1.26.4)" in hit.message and "pip install -r" in (hit.fix or "")
    from_file = recipe.replace(
        "pip install --no-cache-dir torch==2.3.1 numpy==1.26.4",
        "pip install -U pip setuptools && pip install -r reqs.txt",
    )
    write_tree(tmp_path / "file", {"serve.py": code, "Dockerfile": from_file})
    [hit] = findings(tmp_path / "file", "DEP001")
    assert hit.severity is Severity.ERROR and hit.path is None


HOOKED = (
    '[build-system]\nrequires = ["hatchling", "uv-dynamic-versioning"]\nbuild-backend = "hatchling.build"\n\n'
    '[project]\nname = "agentkit-slim"\ndynamic = ["version", "dependencies", "optional-dependencies"]\n'
    'requires-python = ">=3.11"\n\n'
    "[tool.hatch.metadata.hooks.uv-dynamic-versioning]\n"
    'dependencies = ["numpy>=1.26", "scikit-learn>=1.4", "agentkit-graph=={{ version }}"]\n\n'
    "[tool.hatch.metadata.hooks.uv-dynamic-versioning.optional-dependencies]\n"
    'config = ["pyyaml>=6"]\n'
)


def test_dependencies_a_hatch_metadata_hook_declares_are_declared(tmp_path: Path) -> None:
    """`dynamic = ["dependencies"]` filled by a hatch metadata hook: the hook's table lists them."""
    write_tree(tmp_path / "hook", {"pyproject.toml": HOOKED, "agentkit/__init__.py": "", "agentkit/run.py": CODE})
    assert findings(tmp_path / "hook", "DEP001") == [] and findings(tmp_path / "hook", "DEP004") == []
    # Look-alike: a hook that only writes the readme declares nothing.
    readme = HOOKED.split("[tool.hatch.metadata.hooks", maxsplit=1)[0] + (
        '[tool.hatch.metadata.hooks.fancy-pypi-readme]\ncontent-type = "text/markdown"\n'
    )
    write_tree(tmp_path / "readme", {"pyproject.toml": readme, "agentkit/__init__.py": "", "agentkit/run.py": CODE})
    assert len(findings(tmp_path / "readme", "DEP001")) == 1


SETUP_DICT_CALL = """from setuptools import find_packages, setup

setup_info = dict(
    name="textkit",
    version="0.3",
    install_requires=["numpy", "requests"],
    packages=find_packages(exclude=("test",)),
)

setup(**setup_info)
"""
TEXTKIT = "import numpy as np\nimport requests\n\n\ndef fetch(url):\n    return np.array(requests.get(url).json())\n"


def test_dep001_reads_install_requires_from_a_dict_call_setup_unpacks(tmp_path: Path) -> None:
    write_tree(tmp_path / "call", {"setup.py": SETUP_DICT_CALL, "textkit/__init__.py": TEXTKIT})
    assert findings(tmp_path / "call", "DEP001") == []
    assert findings(tmp_path / "call", "DEP004") == []
    # Look-alike: the same dict() without install_requires declares nothing, so the imports stay undeclared.
    bare = SETUP_DICT_CALL.replace('    install_requires=["numpy", "requests"],\n', "")
    write_tree(tmp_path / "bare", {"setup.py": bare, "textkit/__init__.py": TEXTKIT})
    [hit] = findings(tmp_path / "bare", "DEP001")
    assert "(numpy, requests)" in hit.message


def test_dep001_reads_requirements_grouped_by_component_under_a_requirements_folder(tmp_path: Path) -> None:
    tree = {
        "serving/app.py": "import numpy\nimport yaml\n",
        "requirements/serving/base.txt": "numpy >=1.24, <2.0\npyyaml >5.4\n",
        "requirements/serving/test.txt": "pytest >=7\n",
    }
    write_tree(tmp_path, tree)
    assert findings(tmp_path, "DEP001") == []
    assert findings(tmp_path, "DEP004") == []


def test_dep001_still_fires_for_text_files_grouped_outside_a_requirements_folder(tmp_path: Path) -> None:
    write_tree(tmp_path, {"serving/app.py": "import numpy\n", "notes/serving/base.txt": "numpy >=1.24\n"})
    [hit] = findings(tmp_path, "DEP001")
    assert "numpy" in hit.message


SETUP_GROUPS_BY_HELPER = '''import re
from setuptools import find_packages, setup


def cleanup(x):
    return re.sub(r" *#.*", "", x.strip())


def to_list(buffer):
    return list(filter(None, map(cleanup, buffer.splitlines())))


dep_groups = {
    "core": to_list("""
        numpy>=1.15      # arrays
        requests
    """),
    "vision": to_list("""
        pillow
    """),
}
requirements = [y for x in dep_groups.values() for y in x]

setup(name="textkit", version="0.3", packages=find_packages(), install_requires=requirements)
'''


def test_dep001_reads_requirement_groups_a_setup_helper_splits_from_literals(tmp_path: Path) -> None:
    """A setup.py that splits a literal per group with its own helper and flattens the groups declares each line."""
    write_tree(tmp_path, {"setup.py": SETUP_GROUPS_BY_HELPER, "textkit/__init__.py": TEXTKIT})


MAPPED_SETUP = (
    "from setuptools import setup\n\n"
    "setup(\n    name='edge-telemetry',\n    packages=['edge_telemetry', 'edge_telemetry.backend'],\n"
    "    package_dir={'edge_telemetry': 'src'},\n)\n"
)
MAPPED_CODE = {
    "src/__init__.py": "",
    "src/sender.py": "import json\n\n\ndef send(event):\n    return json.dumps(event)\n",
    "src/cli.py": "import edge_telemetry as tm\n\n\ndef main():\n    tm.sender.send({})\n",
}


def test_dep001_silent_when_package_dir_installs_a_folder_under_the_name_the_code_imports(tmp_path: Path) -> None:
    write_tree(tmp_path, {"setup.py": MAPPED_SETUP, **MAPPED_CODE})
    assert findings(tmp_path, "DEP001") == []
    assert findings(tmp_path, "DEP004") == []


def test_dep001_a_setup_helper_given_a_file_name_declares_no_line_of_the_name(tmp_path: Path) -> None:
    """Look-alike: the helper splits the text of a file it opens (absent here), not the literal it is handed."""
    reader = SETUP_GROUPS_BY_HELPER.replace("buffer.splitlines()", "open(buffer).read().splitlines()")
    write_tree(tmp_path, {"setup.py": reader, "textkit/__init__.py": TEXTKIT})
    [hit] = findings(tmp_path, "DEP001")
    assert "(numpy, requests)" in hit.message


def test_dep001_fires_when_a_package_dir_maps_a_missing_folder(tmp_path: Path) -> None:
    setup = MAPPED_SETUP.replace("'src'", "'lib'")  # the mapping names no folder of the tree: the import is foreign
    write_tree(tmp_path, {"setup.py": setup, **MAPPED_CODE})
    [hit] = findings(tmp_path, "DEP001")
    assert "edge_telemetry" in hit.message
