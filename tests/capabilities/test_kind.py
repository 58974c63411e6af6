"""Tests of the project-kind fact (library, service, application, research, notebooks)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.facts.kind import is_example, project_kind
from tests.helpers import project_of, write_tree

PYPROJECT = """[project]
name = "churnkit"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = ["numpy>=1.24", "pandas>=2.0"]
"""
PUBLISH = """name: release
on: {push: {tags: ["v*"]}}
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - run: python -m build
      - uses: pypa/gh-action-pypi-publish@release/v1
"""


def test_library_needs_ranges_and_a_publish_step(tmp_path: Path) -> None:
    write_tree(
        tmp_path, {"pyproject.toml": PYPROJECT, "churnkit/__init__.py": "", ".github/workflows/release.yml": PUBLISH}
    )
    kind = project_kind(project_of(tmp_path))
    assert kind.kind == "library"
    assert any("pyproject.toml:1" in e for e in kind.evidence)
    assert any(".github/workflows/release.yml:7" in e for e in kind.evidence)


def test_metadata_without_publishing_is_not_a_library(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "churnkit/__init__.py": "", "churnkit/model.py": "x = 1\n"})
    kind = project_kind(project_of(tmp_path))
    assert kind.kind == "research"
    assert "package metadata at pyproject.toml:1 [project] but no classifiers or publish step" in kind.evidence[0]


def test_poetry_classifiers_of_a_dynamic_project_table_make_a_library(tmp_path: Path) -> None:
    dynamic = PYPROJECT + 'dynamic = ["classifiers"]\n\n[tool.poetry]\nversion = "0.1.0"\n'
    with_classifiers = dynamic + 'classifiers = ["Programming Language :: Python :: 3"]\n'
    files = {"churnkit/__init__.py": "", "churnkit/model.py": "x = 1\n"}
    write_tree(tmp_path / "a", {**files, "pyproject.toml": with_classifiers})
    write_tree(tmp_path / "b", {**files, "pyproject.toml": dynamic})
    assert project_kind(project_of(tmp_path / "a")).kind == "library"
    assert project_kind(project_of(tmp_path / "b")).kind != "library"


def test_exact_pins_with_classifiers_are_an_application_not_a_library(tmp_path: Path) -> None:
    pinned = PYPROJECT.replace(">=", "==") + 'classifiers = ["Programming Language :: Python"]\n'
    write_tree(tmp_path, {"pyproject.toml": pinned, "churnkit/__init__.py": ""})
    assert project_kind(project_of(tmp_path)).kind != "library"


def test_exactly_pinned_extras_leave_a_package_with_core_ranges_a_library(tmp_path: Path) -> None:
    extras = (
        '\n[project.optional-dependencies]\ntutorials = ["jupyterlab==4.2.0", "nbconvert==7.16.4", '
        '"seaborn==0.13.2", "plotly==5.22.0"]\nsolver = ["cvxpy==1.5.2"]\n'
    )
    classified = PYPROJECT + 'classifiers = ["Programming Language :: Python :: 3"]\n'
    write_tree(tmp_path / "lib", {"pyproject.toml": classified + extras, "churnkit/__init__.py": ""})
    assert project_kind(project_of(tmp_path / "lib")).kind == "library"
    core_pinned = classified.replace(">=", "==") + '\n[project.optional-dependencies]\nplots = ["matplotlib>=3.8"]\n'
    write_tree(tmp_path / "app", {"pyproject.toml": core_pinned, "churnkit/__init__.py": ""})
    assert project_kind(project_of(tmp_path / "app")).kind != "library"


def test_fastapi_route_is_a_service(tmp_path: Path) -> None:
    app = "from fastapi import FastAPI\napp = FastAPI()\n\n@app.post('/predict')\ndef predict(x: int) -> int:\n    return x\n"
    write_tree(tmp_path, {"api/main.py": app, "api/__init__.py": ""})
    kind = project_kind(project_of(tmp_path))
    assert kind.kind == "service"
    assert "api/main.py:5" in kind.evidence[0]


def test_example_app_does_not_make_a_service(tmp_path: Path) -> None:
    app = "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/')\ndef home():\n    return 'hi'\n"
    write_tree(tmp_path, {"examples/serve.py": app, "train.py": "import torch\n"})
    assert project_kind(project_of(tmp_path)).kind == "research"


def test_cli_over_a_package_is_an_application(tmp_path: Path) -> None:
    cli = "import argparse\nfrom pkg import run\n\nif __name__ == '__main__':\n    run(argparse.ArgumentParser().parse_args())\n"
    write_tree(tmp_path, {"pkg/__init__.py": "def run(a):\n    return a\n", "train.py": cli})
    kind = project_kind(project_of(tmp_path))
    assert kind.kind == "application"
    assert "train.py" in kind.evidence[0]


def test_a_typed_command_line_library_makes_a_cli_too(tmp_path: Path) -> None:
    cli = "from jsonargparse import CLI\nfrom pkg import run\n\nif __name__ == '__main__':\n    CLI(run)\n"
    write_tree(tmp_path / "a", {"pkg/__init__.py": "def run(epochs: int = 1):\n    return epochs\n", "train.py": cli})
    assert project_kind(project_of(tmp_path / "a")).kind == "application"
    # Look-alike: a main guard that only runs a demo, with no command-line library, is no application.
    demo = "from pkg import run\n\nif __name__ == '__main__':\n    run()\n"
    write_tree(tmp_path / "b", {"pkg/__init__.py": "def run(epochs: int = 1):\n    return epochs\n", "train.py": demo})
    assert project_kind(project_of(tmp_path / "b")).kind != "application"


def test_mostly_notebooks(tmp_path: Path) -> None:
    nb = '{"cells": [{"cell_type": "code", "source": "import pandas", "outputs": []}], "nbformat": 4}'
    write_tree(tmp_path, {"a.ipynb": nb, "b.ipynb": nb, "helpers.py": "x = 1\n"})
    assert project_kind(project_of(tmp_path)).kind == "notebooks"


def test_library_ships_a_package_from_the_root_its_metadata_declares(tmp_path: Path) -> None:
    toml = PYPROJECT + '\n[tool.setuptools.packages.find]\nwhere = ["lib/python"]\n'
    files = {"pyproject.toml": toml, ".github/workflows/release.yml": PUBLISH, "lib/python/churnkit/__init__.py": ""}
    write_tree(tmp_path, files)
    kind = project_kind(project_of(tmp_path))
    assert kind.kind == "library" and "ships the importable package lib/python/churnkit/" in kind.evidence
    # the same package under an undeclared folder ships nothing the metadata names
    write_tree(tmp_path / "plain", {**files, "pyproject.toml": PYPROJECT})
    assert project_kind(project_of(tmp_path / "plain")).kind != "library"


TRAIN_CLI = """import argparse

import torch

from lab.model import Net


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=10)
    args = parser.parse_args()
    model = Net()
    optimizer = torch.optim.AdamW(model.parameters())
    for _ in range(args.epochs):
        loss = model.loss()
        loss.backward()
        optimizer.step()


if __name__ == "__main__":
    main()
"""
PREDICT_CLI = "import argparse\n\nfrom lab.model import Net\n\nif __name__ == '__main__':\n    print(Net()(argparse.ArgumentParser().parse_args()))\n"


def test_unpackaged_training_scripts_are_research_code(tmp_path: Path) -> None:
    files = {
        "lab/__init__.py": "",
        "lab/model.py": "class Net:\n    pass\n",
        "train.py": TRAIN_CLI,
        "predict.py": PREDICT_CLI,
    }
    write_tree(tmp_path / "paper", files)
    kind = project_kind(project_of(tmp_path / "paper"))
    assert kind.kind == "research"
    assert kind.evidence[0].startswith("training entry point train.py (trains at train.py:16)")
    # Look-alikes: the same scripts shipped in a container, or only an inference command-line tool.
    write_tree(tmp_path / "container", {**files, "Dockerfile": "FROM python:3.11-slim\n"})
    assert project_kind(project_of(tmp_path / "container")).kind == "application"
    inference = {k: v for k, v in files.items() if k != "train.py"}
    write_tree(tmp_path / "tool", inference)
    assert project_kind(project_of(tmp_path / "tool")).kind == "application"


SETUP_PY = """from setuptools import find_packages, setup

setup(
    name="shapekit",
    version="0.3.1",
    packages=find_packages(exclude=["tests"]),
    install_requires=["numpy>=1.20", "scikit-learn>=1.0"],
    classifiers=["Programming Language :: Python :: 3"],
)
"""
EXPLAINER = "\n".join(f"def explain_{i}(model, x):\n    return model.predict(x) * {i}\n\n" for i in range(12))


def test_a_setup_py_library_ships_the_package_holding_its_code_not_the_first_by_name(tmp_path: Path) -> None:
    files = {
        "setup.py": SETUP_PY,
        "bench/__init__.py": "",
        "bench/timing.py": "import time\n\nstart = time.time()\n",
        "shapekit/__init__.py": "",
        "shapekit/explain.py": EXPLAINER,
    }
    write_tree(tmp_path, files)
    kind = project_kind(project_of(tmp_path))
    assert kind.kind == "library"
    assert "ships the importable package shapekit/" in kind.evidence


def test_a_setup_py_library_with_one_package_ships_that_package(tmp_path: Path) -> None:
    write_tree(tmp_path, {"setup.py": SETUP_PY, "bench/__init__.py": "", "bench/explain.py": EXPLAINER})
    assert "ships the importable package bench/" in project_kind(project_of(tmp_path)).evidence


CHECKS = "\n".join(f"def test_explain_{i}():\n    assert explain_{i}(MODEL, 1) == {i}\n\n" for i in range(40))


def test_a_setup_py_library_ships_the_package_its_name_spells_not_its_larger_test_package(tmp_path: Path) -> None:
    computed = SETUP_PY.replace('name="shapekit"', 'name="shapekit" + os.environ.get("SUFFIX", "")')
    files = {"shapekit/__init__.py": "", "shapekit/explain.py": EXPLAINER, "tests/__init__.py": ""}
    write_tree(tmp_path / "named", {**files, "setup.py": computed, "tests/test_explain.py": CHECKS})
    assert "ships the importable package shapekit/" in project_kind(project_of(tmp_path / "named")).evidence
    # Look-alike: a name read at build time matches no folder; the package with the most code that is no test
    # folder is what ships
    unnamed = computed.replace('name="shapekit" + os.environ.get("SUFFIX", "")', 'name=os.environ["DIST_NAME"]')
    write_tree(tmp_path / "unnamed", {**files, "setup.py": unnamed, "tests/test_explain.py": CHECKS})
    assert "ships the importable package shapekit/" in project_kind(project_of(tmp_path / "unnamed")).evidence


def test_a_setup_py_naming_its_packages_is_metadata_even_without_install_requires(tmp_path: Path) -> None:
    no_requirements = SETUP_PY.replace('    install_requires=["numpy>=1.20", "scikit-learn>=1.0"],\n', "")
    files = {"shapekit/__init__.py": "", "shapekit/explain.py": EXPLAINER}
    write_tree(tmp_path / "published", {**files, "setup.py": no_requirements})
    kind = project_kind(project_of(tmp_path / "published"))
    assert kind.kind == "library"
    assert kind.evidence[:2] == (
        "package metadata at setup.py:4 (no install_requires)",
        "ships the importable package shapekit/",
    )
    # Look-alikes: the same setup() without classifiers is research code that says it has metadata, and a
    # setup.py that only builds an extension (no name, no packages) is no package metadata at all.
    write_tree(tmp_path / "paper", {**files, "setup.py": no_requirements.replace("classifiers=", "keywords=")})
    paper = project_kind(project_of(tmp_path / "paper"))
    assert paper.kind == "research" and "package metadata at setup.py:4 (no install_requires)" in paper.evidence[0]
    build_only = "from setuptools import Extension, setup\n\nsetup(ext_modules=[Extension('fast', ['fast.pyx'])])\n"
    write_tree(tmp_path / "ext", {**files, "setup.py": build_only})
    assert "without packaging" in project_kind(project_of(tmp_path / "ext")).evidence[0]


SETUP_DICT = """from setuptools import find_packages, setup

NAME = "shapekit"
config = {
    "name": NAME,
    "version": "0.3.1",
    "classifiers": ["Programming Language :: Python :: 3"],
    "packages": find_packages(exclude=["tests"]),
    "install_requires": ["numpy>=1.20", "scikit-learn>=1.0"],
}

if __name__ == "__main__":
    setup(**config)
"""


def test_a_setup_py_passing_its_metadata_as_a_dict_declares_the_package(tmp_path: Path) -> None:
    gallery = "from shapekit.explain import explain_1\n\nif __name__ == '__main__':\n    model.fit(X, y)\n"
    files = {"shapekit/__init__.py": "", "shapekit/explain.py": EXPLAINER, "docs/gallery.py": gallery}
    write_tree(tmp_path / "dict", {**files, "setup.py": SETUP_DICT})
    kind = project_kind(project_of(tmp_path / "dict"))
    assert kind.kind == "library" and kind.evidence[0].endswith("at setup.py:9 install_requires")
    # Look-alike: a dict that names no project (`{"version": ...}` only) is no package metadata.
    nameless = SETUP_DICT.replace('    "name": NAME,\n', "")
    write_tree(tmp_path / "nameless", {**files, "setup.py": nameless})
    assert project_kind(project_of(tmp_path / "nameless")).kind != "library"


def test_research_evidence_names_the_command_line_scripts_of_a_repository_without_a_package(tmp_path: Path) -> None:
    files = {"model.py": "class Net:\n    pass\n", "train.py": TRAIN_CLI.replace("lab.model", "model")}
    write_tree(tmp_path / "competition", files)
    kind = project_kind(project_of(tmp_path / "competition"))
    assert kind.kind == "research"
    assert kind.evidence[0].startswith("training entry point train.py (trains at train.py:16)")
    # Look-alikes: an inference command-line script is named as such; plain modules have no command-line evidence.
    write_tree(
        tmp_path / "tool", {"model.py": files["model.py"], "predict.py": PREDICT_CLI.replace("lab.model", "model")}
    )
    tool = project_kind(project_of(tmp_path / "tool"))
    assert (tool.kind, tool.evidence[0].split("; ")[-1]) == (
        "research",
        "command-line script predict.py (predict.py:1)",
    )
    write_tree(tmp_path / "loose", {"model.py": files["model.py"], "features.py": "def scale(x):\n    return x / 2\n"})
    assert (
        "without packaging, publishing, service or command-line evidence"
        in project_kind(project_of(tmp_path / "loose")).evidence[0]
    )


GRADIO_APP = (
    "import gradio as gr\n\nfrom captioner.model import load_captioner\n\n"
    "model = load_captioner('weights/best.pt')\n\n\n"
    "def caption(image):\n    return model.caption(image)\n\n\n"
    "demo = gr.Interface(fn=caption, inputs=gr.Image(type='pil'), outputs='text')\n"
    "if __name__ == '__main__':\n    demo.queue().launch(server_name='0.0.0.0')\n"
)
CAPTIONER = {
    "captioner/model.py": "import torch\n\n\ndef load_captioner(path):\n    return torch.load(path, weights_only=True)\n",
    "requirements.txt": "gradio==4.36.1\ntorch==2.3.1\n",
}


def test_gradio_app_that_launches_is_an_application(tmp_path: Path) -> None:
    write_tree(tmp_path, {**CAPTIONER, "app.py": GRADIO_APP})
    kind = project_kind(project_of(tmp_path))
    assert kind.kind == "application"
    assert kind.evidence == ("Gradio app launched at app.py:14",)


def test_streamlit_page_is_an_application(tmp_path: Path) -> None:
    page = "import pandas as pd\nimport streamlit as st\n\nst.title('Churn')\nst.dataframe(pd.read_csv('data.csv'))\n"
    write_tree(tmp_path, {"dashboard.py": page, "churn.py": "def score(x):\n    return x\n"})
    kind = project_kind(project_of(tmp_path))
    assert (kind.kind, kind.evidence) == ("application", ("Streamlit app dashboard.py:2",))


def test_gradio_demo_folder_or_gradio_helper_leave_research_code_research(tmp_path: Path) -> None:
    helper = "import gradio as gr\n\n\ndef image_input():\n    return gr.Image(type='pil')\n"
    write_tree(tmp_path, {**CAPTIONER, "demo/app.py": GRADIO_APP, "captioner/widgets.py": helper})
    assert project_kind(project_of(tmp_path)).kind == "research"


SETUP = (
    "from setuptools import find_packages, setup\n\n"
    "setup(\n    name='churn-kit',\n    version='0.3.1',\n    packages=find_packages(exclude=['tests']),\n"
    "    install_requires=['torch>=2.0', 'pandas>=2.0'],\n    python_requires='>=3.9',\n)\n"
)


def test_package_its_readme_pip_installs_by_name_is_a_library(tmp_path: Path) -> None:
    readme = "# Churn kit\n\n## Install\n\n```\npip install -U churn_kit[plots]\n```\n"
    write_tree(tmp_path, {"setup.py": SETUP, "churn_kit/__init__.py": "", "README.md": readme})
    kind = project_kind(project_of(tmp_path))
    assert kind.kind == "library"
    assert kind.evidence[-1] == "the README installs it from PyPI (README.md:6)"


def test_package_its_readme_pip_installs_from_its_own_repository_is_a_library(tmp_path: Path) -> None:
    """A framework whose README installs it with `pip install git+<the url its setup.py names>` is a package its
    users install, as one installed by name from PyPI. Look-alike: a README installing another project from git
    (a dependency such as CLIP) says nothing about this one."""
    setup = SETUP.replace(
        "    version='0.3.1',\n", "    version='0.3.1',\n    url='https://github.com/acme/churn-tools/',\n"
    )
    readme = "# Churn kit\n\n```\npip install --upgrade git+https://github.com/acme/churn-tools.git@master\n```\n"
    write_tree(tmp_path / "a", {"setup.py": setup, "churn_kit/__init__.py": "", "README.md": readme})
    kind = project_kind(project_of(tmp_path / "a"))
    assert kind.kind == "library"
    assert kind.evidence[-1] == "the README installs it from its repository (README.md:4)"
    other = readme.replace("acme/churn-tools.git@master", "openai/CLIP.git")
    write_tree(tmp_path / "b", {"setup.py": setup, "churn_kit/__init__.py": "", "README.md": other})
    assert project_kind(project_of(tmp_path / "b")).kind == "research"


def test_the_name_a_one_line_setup_call_passes_is_the_name_the_readme_installs(tmp_path: Path) -> None:
    readme = "# Churn kit\n\n```\npip install churn-kit\n```\n"
    inline = "from setuptools import setup\n\nNAME = 'churn-kit'\n\nsetup(name=NAME, version='0.3.1',\n" + (
        "      packages=['churn_kit'], install_requires=['torch>=2.0', 'pandas>=2.0'])\n"
    )
    write_tree(tmp_path / "a", {"setup.py": inline, "churn_kit/__init__.py": "", "README.md": readme})
    kind = project_kind(project_of(tmp_path / "a"))
    assert kind.kind == "library" and kind.evidence[-1] == "the README installs it from PyPI (README.md:4)"
    # Look-alike: a name= of another call (a logger, a console script entry) is not the distribution's name.
    other = inline.replace("setup(name=NAME, ", "logging.getLogger(name=NAME)\nsetup(name='churn-lab', ")
    write_tree(tmp_path / "b", {"setup.py": other, "churn_kit/__init__.py": "", "README.md": readme})
    assert project_kind(project_of(tmp_path / "b")).kind == "research"


COMPUTED_NAME = (
    "import argparse\nfrom setuptools import setup\n\n\n"
    "def main():\n    parser = argparse.ArgumentParser()\n"
    "    parser.add_argument('--package_name', default='sim_kit', choices=['sim_kit', 'sim_kit-nightly'])\n"
    "    args, _ = parser.parse_known_args()\n"
    "    name = args.package_name\n"
    "    setup(\n        name=name,\n        version='3.0.1',\n        packages=['sim_kit'],\n"
    "        install_requires=['numpy>=1.22', 'gymnasium>=0.29.1'],\n    )\n\n\nmain()\n"
)


def test_a_computed_setup_name_leaves_the_shipped_package_as_the_name_the_readme_installs(tmp_path: Path) -> None:
    readme = "# Sim kit\n\n```\npip install --upgrade sim_kit\n```\n"
    write_tree(tmp_path / "a", {"setup.py": COMPUTED_NAME, "sim_kit/__init__.py": "", "README.md": readme})
    kind = project_kind(project_of(tmp_path / "a"))
    assert kind.kind == "library" and kind.evidence[-1] == "the README installs it from PyPI (README.md:4)"
    # Look-alike: the README installing only its requirements publishes nothing.
    local = readme.replace("pip install --upgrade sim_kit", "pip install -r requirements.txt")
    write_tree(tmp_path / "b", {"setup.py": COMPUTED_NAME, "sim_kit/__init__.py": "", "README.md": local})
    assert project_kind(project_of(tmp_path / "b")).kind != "library"


def test_readme_installing_requirements_or_another_package_is_no_publication(tmp_path: Path) -> None:
    readme = "# Churn kit\n\n```\npip install -r requirements.txt\npip install churn-kit-data\npip install -e .\n```\n"
    write_tree(tmp_path, {"setup.py": SETUP, "churn_kit/__init__.py": "", "README.md": readme})
    assert project_kind(project_of(tmp_path)).kind == "research"


def test_a_notebook_named_for_an_example_or_tutorial_is_teaching_material_but_a_script_so_named_is_not() -> None:
    assert is_example("mapkit/bounds/usage_example.ipynb")
    assert is_example("segment/tutorial.ipynb")
    assert is_example("notebooks/Demo-Walkthrough.ipynb")
    assert not is_example("notebooks/calibration_study.ipynb")
    assert is_example("mrikit_examples/unet/train_unet.py")
    assert is_example("examples-advanced/serve.py")
    assert not is_example("hard_negatives/mine.py")
    assert not is_example("example_weights/convert.py")
    assert not is_example("notebooks/exemplar_mining.ipynb")
    assert not is_example("demo.py")
    assert is_example("examples/train.py")


ROOT_SETUP_PY = """from setuptools import setup

setup(
    name="facecrop",
    version="1.2.0",
    packages=["facecrop", "facecrop.detect"],
    package_dir={"facecrop": "."},
    install_requires=["numpy", "torch>=1.7"],
    classifiers=["Programming Language :: Python :: 3"],
)
"""
ROOT_INIT = "from .detect.boxes import crop_faces\n"
BOXES = "def crop_faces(image, boxes, margin=0):\n    return [image[y0 - margin : y1 + margin] for (y0, y1) in boxes]\n"


def test_a_setup_py_mapping_its_package_to_the_repository_root_ships_the_root(tmp_path: Path) -> None:
    write_tree(tmp_path, {"setup.py": ROOT_SETUP_PY, "__init__.py": ROOT_INIT, "detect/boxes.py": BOXES})
    kind = project_kind(project_of(tmp_path))
    assert kind.kind == "library"
    assert "ships the importable package facecrop (the repository root)" in kind.evidence


def test_package_dir_of_a_subfolder_or_without_a_root_init_does_not_ship_the_root(tmp_path: Path) -> None:
    # Look-alikes: the package mapped to a sub-folder (no package there), and the root mapped with no __init__.py.
    subfolder = ROOT_SETUP_PY.replace('{"facecrop": "."}', '{"facecrop": "lib"}')
    write_tree(tmp_path / "sub", {"setup.py": subfolder, "__init__.py": ROOT_INIT, "detect/boxes.py": BOXES})
    assert project_kind(project_of(tmp_path / "sub")).kind == "research"
    write_tree(tmp_path / "loose", {"setup.py": ROOT_SETUP_PY, "detect/boxes.py": BOXES})
    assert project_kind(project_of(tmp_path / "loose")).kind == "research"


def test_package_whose_metadata_named_readme_pip_installs_it_is_a_library(tmp_path: Path) -> None:
    pyproject = (
        '[project]\nname = "churn-kit"\nversion = "0.3.1"\nreadme = {file = "docs/INDEX.md"}\n'
        'dependencies = ["torch>=2.0"]\n'
    )
    readme = "# Churn kit\n\n```\npip install churn-kit\n```\n"
    write_tree(tmp_path, {"pyproject.toml": pyproject, "churn_kit/__init__.py": "", "docs/INDEX.md": readme})
    kind = project_kind(project_of(tmp_path))
    assert kind.kind == "library"
    assert kind.evidence[-1] == "the README installs it from PyPI (docs/INDEX.md:4)"


def test_a_markdown_file_the_metadata_does_not_name_is_no_readme(tmp_path: Path) -> None:
    pyproject = '[project]\nname = "churn-kit"\nversion = "0.3.1"\ndependencies = ["torch>=2.0"]\n'
    readme = "# Churn kit\n\n```\npip install churn-kit\n```\n"
    write_tree(tmp_path, {"pyproject.toml": pyproject, "churn_kit/__init__.py": "", "docs/INDEX.md": readme})
    assert project_kind(project_of(tmp_path)).kind == "research"


SETUP_CFG = """[metadata]
name = tuned-forests
version = 1.0.0
classifiers =
    Programming Language :: Python :: 3

[options]
{options}install_requires =
    numpy>=1.24
    scikit-learn>=1.3
"""


def test_a_setup_cfg_declaring_its_packages_ships_a_package_named_otherwise(tmp_path: Path) -> None:
    files = {
        "setup.py": "from setuptools import setup\n\nsetup()\n",
        "tforest/__init__.py": "",
        "tforest/search.py": EXPLAINER,
    }
    write_tree(tmp_path / "found", {**files, "setup.cfg": SETUP_CFG.format(options="packages = find:\n")})
    kind = project_kind(project_of(tmp_path / "found"))
    assert kind.kind == "library" and "ships the importable package tforest/" in kind.evidence
    # Look-alike: the same metadata naming no packages ships nothing under another name.
    write_tree(tmp_path / "silent", {**files, "setup.cfg": SETUP_CFG.format(options="")})
    assert project_kind(project_of(tmp_path / "silent")).kind == "research"


def test_a_src_namespace_package_setuptools_discovers_is_the_library_it_ships(tmp_path: Path) -> None:
    """`src/churnkit/` without `__init__.py` is what a setuptools `[project]` listing no packages installs: published
    with ranges and a publish step, the project is a library shipping it. Under a build backend that does not
    discover namespace packages, nothing importable ships."""
    setuptools = '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
    files = {
        "pyproject.toml": setuptools + PYPROJECT,
        ".github/workflows/release.yml": PUBLISH,
        "src/churnkit/api.py": "def speak(text):\n    return text\n",
    }
    write_tree(tmp_path / "a", files)
    found = project_of(tmp_path / "a")
    assert project_kind(found).kind == "library" and "src/churnkit/" in " ".join(project_kind(found).evidence)
    hatch = setuptools.replace("setuptools.build_meta", "hatchling.build")
    write_tree(tmp_path / "b", {**files, "pyproject.toml": hatch + PYPROJECT})
    assert project_kind(project_of(tmp_path / "b")).kind != "library"


def test_a_uv_build_backend_names_the_package_it_ships(tmp_path: Path) -> None:
    # the distribution `churnkit` ships the package `churn`, which uv_build's module-name names
    classified = PYPROJECT + 'classifiers = ["Programming Language :: Python :: 3"]\n'
    backend = '\n[build-system]\nrequires = ["uv_build"]\nbuild-backend = "uv_build"\n\n[tool.uv.build-backend]\n'
    files = {"churn/__init__.py": "", "churn/model.py": "x = 1\n"}
    write_tree(tmp_path / "named", {**files, "pyproject.toml": classified + backend + 'module-name = "churn"\n'})
    kind = project_kind(project_of(tmp_path / "named"))
    assert kind.kind == "library" and "ships the importable package churn/" in kind.evidence
    # Look-alike: a backend naming another module does not say this folder is the one shipped
    write_tree(tmp_path / "other", {**files, "pyproject.toml": classified + backend + 'module-name = "scoring"\n'})
    assert project_kind(project_of(tmp_path / "other")).kind != "library"


def test_classifiers_a_setup_py_fills_for_a_dynamic_project_table_make_a_library(tmp_path: Path) -> None:
    dynamic = PYPROJECT + 'dynamic = ["classifiers"]\n'
    setup = (
        "from setuptools import setup\n\n\ndef get_classifiers():\n"
        "    return ['Programming Language :: Python :: 3']\n\n\n"
        "setup(classifiers=get_classifiers())\n"
    )
    files = {"churnkit/__init__.py": "", "churnkit/model.py": "x = 1\n", "pyproject.toml": dynamic}
    write_tree(tmp_path / "a", {**files, "setup.py": setup})
    assert project_kind(project_of(tmp_path / "a")).kind == "library"
    # Look-alike: a setup.py that passes no classifiers leaves the dynamic field empty
    write_tree(tmp_path / "b", {**files, "setup.py": setup.replace("classifiers=get_classifiers()", "")})
    assert project_kind(project_of(tmp_path / "b")).kind != "library"


def test_a_namespace_portion_whose_path_spells_the_distribution_name_is_the_shipped_package(tmp_path: Path) -> None:
    """`churnkit/readers/csv/__init__.py` with no `__init__.py` above it, in the metadata of `churnkit-readers-csv`
    that its README installs from PyPI: the portion of the `churnkit` namespace the distribution ships, a library.
    Look-alike: metadata of another name (`csv-tools`) does not ship those folders."""
    pyproject = PYPROJECT.replace('name = "churnkit"', 'name = "churnkit-readers-csv"')
    readme = "# CSV reader\n\n```\npip install churnkit-readers-csv\n```\n"
    files = {"pyproject.toml": pyproject, "README.md": readme, "churnkit/readers/csv/__init__.py": "X = 1\n"}
    write_tree(tmp_path / "ns", files)
    kind = project_kind(project_of(tmp_path / "ns"))
    assert kind.kind == "library"
    assert "ships the importable package churnkit/readers/csv/" in kind.evidence
    other = {**files, "pyproject.toml": PYPROJECT.replace('name = "churnkit"', 'name = "csv-tools"')}
    write_tree(tmp_path / "other", {**other, "README.md": readme.replace("churnkit-readers-csv", "csv-tools")})
    assert project_kind(project_of(tmp_path / "other")).kind != "library"


SETUP_LOADING_ARGS = """import os
from importlib.util import module_from_spec, spec_from_file_location

import setuptools


def _load(path):
    spec = spec_from_file_location("pkg_setup", path)
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    setup_args = _load(os.path.join("src", "trainkit", "__setup__.py"))._setup_args()
    setuptools.setup(**setup_args)
"""
SETUP_ARGS_MODULE = """def _setup_args():
    return {
        "name": "trainkit",
        "version": "2.1.0",
        "install_requires": ["torch>=2.1", "pyyaml>=5.4"],
        "classifiers": ["Programming Language :: Python :: 3"],
    }
"""
RELEASE_TOOL = "import argparse\n\n\ndef main():\n    argparse.ArgumentParser().parse_args()\n\n\nmain()\n"


def test_setup_arguments_a_project_module_builds_are_its_package_metadata(tmp_path: Path) -> None:
    files = {
        "setup.py": SETUP_LOADING_ARGS,
        "src/trainkit/__init__.py": "",
        "src/trainkit/__setup__.py": SETUP_ARGS_MODULE,
        "src/trainkit/cli.py": RELEASE_TOOL,
        "requirements/base.txt": "torch>=2.1\npyyaml>=5.4\n",
    }
    found = project_kind(project_of(write_tree(tmp_path / "a", files)))
    assert found.kind == "library"
    assert found.evidence[0] == "package metadata at src/trainkit/__setup__.py:2 (setup() arguments)"
    # Look-alike: the dict the project builds is a model's settings, not setup()'s arguments.
    settings = "def _setup_args():\n    return {'name': 'resnet50', 'layers': 50, 'classifiers': ['fc']}\n"
    found = project_kind(project_of(write_tree(tmp_path / "b", {**files, "src/trainkit/__setup__.py": settings})))
    assert found.kind != "library"
