"""Tests of the `dependencies` practice that span several rules (or none in particular)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from mlaudit.facts.distributions import Pin, candidate_distributions, collect_dependencies, parse_requirement
from mlaudit.facts.package_roots import package_roots
from mlaudit.model import Severity
from mlaudit.rules.dependencies._shared import SpanSet, declared_dependencies
from tests.helpers import findings, project_of, run_audit, write_tree
from tests.rules.dependencies._helpers import PYPROJECT


def test_parse_requirement_pins() -> None:
    assert parse_requirement("torch==2.3.1 ; python_version > '3.8'") == ("torch", Pin.EXACT, "2.3.1")
    assert parse_requirement("Scikit_Learn[all]>=1.4,<2") == ("scikit-learn", Pin.RANGE, None)
    assert parse_requirement("numpy==1.*") == ("numpy", Pin.RANGE, None)
    assert parse_requirement("tqdm") == ("tqdm", Pin.BARE, None)
    assert parse_requirement("pkg @ https://x.org/pkg-1.0.whl") == ("pkg", Pin.URL, None)
    assert parse_requirement("git+https://github.com/a/b") == ("b", Pin.BRANCH, None)


def test_candidates_map_import_names() -> None:
    assert "scikit-learn" in candidate_distributions("sklearn.linear_model")
    assert "google-cloud-storage" in candidate_distributions("google.cloud.storage")
    assert "protobuf" in candidate_distributions("google.protobuf.message")


def test_facts_read_every_manifest_kind(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "-r requirements/base.txt\n-c constraints.txt\nflask  # web\n--index-url https://x\n-e .\n",
        "requirements/base.txt": "requests==2.32.3 \\\n    --hash=sha256:abc\n",
        "constraints.txt": "flask==3.0.3\n",
        "environment.yml": "name: x\ndependencies:\n  - python=3.11\n  - pytorch=2.3.1\n  - pip:\n    - wandb>=0.17\n",
        "Pipfile": '[packages]\nrich = "*"\n[dev-packages]\nblack = "==24.4.2"\n',
        "setup.py": "from setuptools import setup\nREQ = ['click>=8']\nsetup(install_requires=REQ)\n",
        "setup.cfg": "[options]\ninstall_requires =\n    attrs>=23\n",
        "sub/pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.11"\nhttpx = "0.27.0"\n',
    }
    write_tree(tmp_path, files)
    facts = collect_dependencies(project_of(tmp_path))
    pins = {r.name: r.pin for r in facts.requirements}
    assert pins == {
        "flask": Pin.BARE,
        "requests": Pin.EXACT,
        "torch": Pin.EXACT,
        "wandb": Pin.RANGE,
        "rich": Pin.BARE,
        "black": Pin.EXACT,
        "click": Pin.RANGE,
        "attrs": Pin.RANGE,
        "httpx": Pin.EXACT,
    }
    assert facts.locked == {"flask": "3.0.3"}
    flask = next(r for r in facts.requirements if r.name == "flask")
    assert facts.is_pinned(flask) and flask.line == 3
    assert facts.python is not None and facts.python.spec == "3.11"
    assert next(r for r in facts.requirements if r.name == "black").dev


def test_declared_dependencies_is_computed_once(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT})
    project = project_of(tmp_path)
    assert declared_dependencies(project) is declared_dependencies(project)
    assert declared_dependencies(project).declares("Scikit_Learn")


def test_practice_is_not_applicable_without_code_or_manifests(tmp_path: Path) -> None:
    write_tree(tmp_path, {"README.md": "# notes\n"})
    assert run_audit(tmp_path, select=("DEP",)).practice("dependencies").status.value == "n/a"


VCS_REQUIREMENTS = """\
-e git+https://github.com/example-org/fancy-tokenizer.git@main#egg=fancy-tokenizer
git+https://github.com/example-org/speedy_io
git+https://github.com/example-org/augmentkit.git@v2.1.0
hashkit @ git+https://github.com/example-org/hashkit.git@3f2a9b1c0d
numpy==1.26.4
"""


VCS_CODE = "import fancy_tokenizer\nimport speedy_io\nimport augmentkit\nimport hashkit\nimport numpy\n"


def test_parse_requirement_direct_references() -> None:
    assert parse_requirement("git+https://github.com/o/speedy_io") == ("speedy-io", Pin.BRANCH, None)
    assert parse_requirement("-e git+https://github.com/o/r.git@develop#egg=nice-name") == (
        "nice-name",
        Pin.BRANCH,
        None,
    )
    assert parse_requirement("git+https://github.com/o/augmentkit.git@v2.1.0") == ("augmentkit", Pin.URL, None)
    assert parse_requirement("kit @ git+ssh://git@github.com/o/kit.git@0a1b2c3d") == ("kit", Pin.URL, None)
    assert parse_requirement("https://files.example/wheelie-1.2.tar.gz") == ("wheelie", Pin.URL, None)
    assert parse_requirement("-e .") is None


def test_vcs_requirements_are_declared_and_branches_are_unpinned(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": VCS_REQUIREMENTS, "app.py": VCS_CODE})
    assert findings(tmp_path, "DEP004") == []
    assert findings(tmp_path, "DEP005") == []
    moving = [f for f in findings(tmp_path, "DEP002") if f.severity is Severity.WARNING]
    assert [(f.line, "@main" in f.message or "no @ref" in f.message) for f in moving] == [(1, True), (2, True)]


def test_conda_pip_block_vcs_requirement_counts_as_declared(tmp_path: Path) -> None:
    env = (
        "name: gen\ndependencies:\n  - python=3.10\n  - numpy=1.26.4\n  - pip:\n"
        "    - -e git+https://github.com/example-org/latentvq-autoencoders.git@master#egg=latentvq-autoencoders\n"
    )
    write_tree(
        tmp_path, {"environment.yml": env, "gen/__init__.py": "", "gen/model.py": "import numpy\nimport latentvq\n"}
    )
    assert findings(tmp_path, "DEP004") == []  # latentvq is the first word of a repository installed from git
    assert findings(tmp_path, "DEP005") == []
    [moving] = [f for f in findings(tmp_path, "DEP002") if f.severity is Severity.WARNING]
    assert moving.line == 6 and "@master" in moving.message


def test_import_name_gaps_are_one_pair_not_two_findings(tmp_path: Path) -> None:
    reqs = "numpy==1.26.4\nscikit-optimize==0.9.0\nacme-thop==0.2.1\n"
    code = "import numpy\nfrom skopt import gp_minimize\nimport thop\n"
    write_tree(tmp_path, {"requirements.txt": reqs, "tune.py": code})
    assert findings(tmp_path, "DEP004") == []
    assert findings(tmp_path, "DEP005") == []


def test_an_import_of_the_leading_words_of_a_qualified_distribution_is_one_pair(tmp_path: Path) -> None:
    reqs = "numpy==1.26.4\nfast-tokens-rust==0.4.0\nsentence-splitter==1.4\n"
    code = "import numpy\nimport fast_tokens\nimport sentence_transformers\n"
    write_tree(tmp_path, {"requirements.txt": reqs, "embed.py": code})
    assert [f.message.split(" ")[1] for f in findings(tmp_path, "DEP004")] == ["sentence_transformers"]
    assert [f.message.split(" ")[0] for f in findings(tmp_path, "DEP005")] == ["sentence-splitter"]


def test_framework_prefixed_plugin_does_not_hide_an_undeclared_framework(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "torch-fidelity==0.3.0\n", "metrics.py": "import torch\n"})
    assert [f.message.split(" ")[1] for f in findings(tmp_path, "DEP004")] == ["torch"]
    assert [f.line for f in findings(tmp_path, "DEP005")] == [1]


def test_import_table_never_maps_one_pair_both_ways() -> None:
    from mlaudit.facts.distributions import IMPORT_TO_DISTRIBUTIONS, normalise

    keys = {normalise(k): k for k in IMPORT_TO_DISTRIBUTIONS}
    for module, distributions in IMPORT_TO_DISTRIBUTIONS.items():
        assert distributions, module
        for dist in distributions:
            assert dist == normalise(dist), dist  # stored normalised, compared normalised
            other = keys.get(dist)
            # a distribution that is also an import name must map back to itself, never elsewhere
            assert other is None or normalise(dist) in map(normalise, IMPORT_TO_DISTRIBUTIONS[other]), (module, dist)
    assert candidate_distributions("skopt.space") >= {"scikit-optimize"}
    assert "ultralytics-thop" in candidate_distributions("thop")


def test_poetry_and_pep621_requirements_point_at_their_own_line(tmp_path: Path) -> None:
    pyproject = (
        '[project]\nname = "svc"\nkeywords = ["numpy", "serving"]\ndependencies = [\n    "numpy>=1.26",\n]\n\n'
        '[tool.poetry.dependencies]\npython = "^3.11"\n'
        'geventhttpclient = "*"\ngevent = "*"\n"ruamel.yaml" = "*"\n'
    )
    write_tree(tmp_path, {"pyproject.toml": pyproject})
    lines = {r.name: r.line for r in collect_dependencies(project_of(tmp_path)).requirements}
    assert lines == {"numpy": 5, "geventhttpclient": 10, "gevent": 11, "ruamel-yaml": 12}


SETUP_IN_STEPS = """\
import os

from setuptools import setup

install = []
core = [
    "numpy>=1.24",
    "torch>=2.1",
]
docs_only = ["sphinx>=7"]  # never handed to setup()
extras = {}
if os.getenv("SLIM_BUILD"):
    extras["core"] = core
else:
    install += core
install.append("tqdm>=4.66")
extras["serve"] = ["fastapi>=0.110", "uvicorn>=0.29"]
extras["dev"] = ["pytest>=8"]
extras["all"] = extras["serve"] + ["pillow>=10"]

setup(name="vecsearch", install_requires=install, extras_require=extras, python_requires=">=3.10")
"""


def test_setup_py_lists_built_in_steps_are_declared(tmp_path: Path) -> None:
    write_tree(tmp_path, {"setup.py": SETUP_IN_STEPS})
    facts = collect_dependencies(project_of(tmp_path))
    declared = {r.name: r.dev for r in facts.requirements}
    # every literal the list or the extras mapping gathers, once each; sphinx never reaches setup()
    assert declared == {
        "numpy": False,
        "torch": False,
        "tqdm": False,
        "fastapi": False,
        "uvicorn": False,
        "pytest": True,
        "pillow": False,
    }
    assert len(facts.requirements) == len(declared)
    assert facts.python is not None and facts.python.spec == ">=3.10"


def test_package_roots_read_every_metadata_form(tmp_path: Path) -> None:
    write_tree(tmp_path / "cfg", {"setup.cfg": "[options]\npackage_dir =\n    =lib\n"})
    write_tree(tmp_path / "toml", {"pyproject.toml": '[tool.setuptools.packages.find]\nwhere = ["python"]\n'})
    write_tree(tmp_path / "poetry", {"pyproject.toml": '[tool.poetry]\npackages = [{include = "x", from = "code"}]\n'})
    write_tree(tmp_path / "escape", {"setup.py": "from setuptools import setup\nsetup(package_dir={'': '../up'})\n"})
    assert package_roots(project_of(tmp_path / "cfg")) == ("", "src", "lib")
    assert package_roots(project_of(tmp_path / "toml")) == ("", "src", "python")
    assert package_roots(project_of(tmp_path / "poetry")) == ("", "src", "code")
    assert package_roots(project_of(tmp_path / "escape")) == ("", "src")  # never outside the tree


def test_distributions_named_apart_from_their_import_count_as_declared(tmp_path: Path) -> None:
    reqs = (
        "pyside6-essentials>=6.5\nnvidia-ml-py>=12\nopentelemetry-api>=1.20\n"
        "opentelemetry-semantic-conventions>=0.41b0\ndora-search>=0.1\ncattrs>=23\n"
    )
    code = (
        "import cattr\nimport dora\nimport pynvml\n"
        "from opentelemetry import trace\nfrom opentelemetry.semconv.trace import SpanAttributes\n"
        "from opentelemetry.instrumentation.requests import RequestsInstrumentor\n"
        "from PySide6.QtWidgets import QApplication\n"
    )
    write_tree(tmp_path, {"requirements.txt": reqs, "app/__init__.py": "", "app/gui.py": code})
    # the API package provides opentelemetry.trace; the requests instrumentation is its own distribution
    assert [f.message.split(" ")[1] for f in findings(tmp_path, "DEP004")] == ["opentelemetry.instrumentation.requests"]
    assert findings(tmp_path, "DEP005") == []


def test_a_fork_under_a_two_word_vendor_prefix_pairs_with_its_import(tmp_path: Path) -> None:
    reqs = "acme-speech-trainer==0.2.1\nrequests==2.32.3\n"
    code = "from trainer import Trainer\nimport tokenizers\n"
    write_tree(tmp_path, {"requirements.txt": reqs, "train.py": code})
    # trainer is the project word of acme-speech-trainer; tokenizers is provided by nothing declared
    assert [f.message.split(" ")[1] for f in findings(tmp_path, "DEP004")] == ["tokenizers"]
    assert [f.message.split(" ")[0] for f in findings(tmp_path, "DEP005")] == ["requests"]


@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=12),
    st.lists(st.integers(-2, 65), max_size=30),
)
def test_a_span_set_covers_the_lines_some_span_covers(spans: list[tuple[int, int]], lines: list[int]) -> None:
    """Overlapping, nested, touching, single-line and empty (end before start) spans: the same answer as
    asking each span in turn."""
    covered = SpanSet(spans)
    for line in lines:
        assert (line in covered) == any(start <= line <= end for start, end in spans)


def test_a_span_set_of_nested_function_bodies() -> None:
    covered = SpanSet([(10, 40), (12, 15), (50, 50), (41, 45)])
    assert [line for line in range(8, 53) if line in covered] == [*range(10, 46), 50]
    assert 5 not in SpanSet([])


def test_a_marked_fork_or_renamed_successor_provides_its_import(tmp_path: Path) -> None:
    reqs = "pdfminer.six==20240706\ndocopt-ng==0.9.0\nfpdf2==2.8.1\nPyICU==2.14\npython-crfsuite==0.9.10\n"
    code = "import pdfminer.layout\nfrom docopt import docopt\nimport fpdf\nimport icu\nimport pycrfsuite\n"
    write_tree(tmp_path, {"requirements.txt": reqs, "convert.py": code, "engines.py": 'NAMES = ["fpdf2", "pyicu"]\n'})
    assert findings(tmp_path, "DEP004") == []
    assert findings(tmp_path, "DEP005") == []


def test_a_renamed_spelling_provides_only_that_exact_name(tmp_path: Path) -> None:
    reqs = "boto3==1.35.0\ntorch-audit==0.3.0\npytest-cov==5.0.0\nlangchain-community==0.3.1\n"
    code = "import boto3\nimport botocore\nimport torch\nimport cov\nimport langchain\nimport langchain_community\n"
    write_tree(tmp_path, {"requirements.txt": reqs, "upload.py": code})
    # boto3 provides boto3 (and boto), not botocore; torch-audit is a plugin and langchain-community a split-off
    # package, not forks; a tool is not renamed
    found = sorted(f.message.split(" ")[1] for f in findings(tmp_path, "DEP004"))
    assert found == ["botocore", "cov", "langchain", "torch"]


def test_the_python_binding_of_a_tool_provides_the_tools_module(tmp_path: Path) -> None:
    reqs = "rerun-sdk==0.24.1\nhebi-py==2.9.0\ndiscord.py==2.4.0\n"
    code = "import rerun as rr\nimport hebi\nimport discord\nimport sdk\n"
    write_tree(tmp_path, {"requirements.txt": reqs, "viz.py": code})
    # the suffix is not a module of its own: `import sdk` is still undeclared
    assert [f.message.split(" ")[1] for f in findings(tmp_path, "DEP004")] == ["sdk"]
    assert findings(tmp_path, "DEP005") == []


def test_the_python_binding_of_a_tool_provides_the_tools_name(tmp_path: Path) -> None:
    """`dtw-python` installs `dtw` and `ffmpeg-python` installs `ffmpeg`: neither is undeclared nor unused. A
    plugin named after its host (`torch-audit`) still provides no `torch`."""
    reqs = "dtw-python==1.5.3\nffmpeg-python==0.2.0\ntorch-audit==0.3.0\n"
    code = "import dtw\nimport ffmpeg\nimport torch\n"
    write_tree(tmp_path, {"requirements.txt": reqs, "align.py": code})
    assert [f.message.split(" ")[1] for f in findings(tmp_path, "DEP004")] == ["torch"]
    assert [f.message.split(" ")[0] for f in findings(tmp_path, "DEP005")] == ["torch-audit"]
