"""Tests of the testing capabilities: collected, asserting tests that reach the code and run in CI."""

from __future__ import annotations

from pathlib import Path

from tests.capabilities.util import assess, earned_points
from tests.helpers import write_tree

FEATURES = """import numpy as np


def scale(values):
    values = np.asarray(values, dtype=float)
    return (values - values.mean()) / values.std()


def clip(values, low, high):
    return np.clip(values, low, high)


def bucket(months):
    if months < 6:
        return "new"
    if months < 24:
        return "regular"
    return "loyal"
"""
PACKAGE = {
    "churn/__init__.py": "",
    "churn/features.py": FEATURES,
    "churn/metrics.py": FEATURES.replace("scale", "recall_at").replace("bucket", "gain"),
}
GOOD_TEST = """from churn.features import bucket, scale


def test_scale_centres_values():
    assert abs(scale([1, 2, 3]).mean()) < 1e-9


def test_bucket_edges():
    assert bucket(0) == "new"
    assert bucket(24) == "loyal"
"""
SMOKE_TEST = """from churn.features import scale


def test_scale_runs():
    print(scale([1, 2, 3]))
"""
CI = """name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install -e .
      - run: pytest -q
"""


def test_collected_tests_earn_by_count(tmp_path: Path) -> None:
    result = assess(tmp_path, "testing", "tests_collected", {**PACKAGE, "tests/test_features.py": GOOD_TEST})
    assert 0 < result.share < 1
    assert "tests/test_features.py:4" in result.evidence


def test_tests_folder_without_test_functions_earns_nothing(tmp_path: Path) -> None:
    files = {**PACKAGE, "tests/__init__.py": "", "tests/conftest.py": "import pytest\n", "tests/data/x.csv": "a\n1\n"}
    assert assess(tmp_path, "testing", "tests_collected", files).share == 0


def test_asserting_tests_earn(tmp_path: Path) -> None:
    result = assess(tmp_path, "testing", "tests_assert", {**PACKAGE, "tests/test_features.py": GOOD_TEST})
    assert result.share == 1
    assert "2 of 2" in result.evidence


def test_print_only_smoke_tests_do_not_assert(tmp_path: Path) -> None:
    result = assess(tmp_path, "testing", "tests_assert", {**PACKAGE, "tests/test_smoke.py": SMOKE_TEST})
    assert result.share == 0
    assert "asserts" in result.evidence


def test_modules_reached_transitively(tmp_path: Path) -> None:
    pipeline = "from churn.features import scale\nfrom churn.metrics import recall_at\n\n\ndef run(x):\n    return recall_at(scale(x))\n"
    test = "from churn.pipeline import run\n\n\ndef test_run():\n    assert run([1.0, 2.0]) is not None\n"
    files = {**PACKAGE, "churn/pipeline.py": pipeline * 3, "tests/test_pipeline.py": test}
    result = assess(tmp_path, "testing", "modules_reached", files)
    assert result.share == 1, result.evidence


REGISTRY = """MODELS = {}


def register_model(fn):
    MODELS[fn.__name__] = fn
    return fn


def create_model(name):
    return MODELS[name]()
"""
BLOCKS = "".join(f"def block{i or ''}(i):\n    width = i * {i + 2}\n    return width + {i}\n\n\n" for i in range(4))
PLUGIN = """from zoo.registry import register_model
from zoo.blocks import block


@register_model
def tiny():
    layers = [block(i) for i in range(3)]
    return layers


@register_model
def small():
    layers = [block(i) for i in range(6)]
    return layers
"""


def test_plugins_of_a_reached_registry_are_reached(tmp_path: Path) -> None:
    test = "from zoo.registry import create_model\n\n\ndef test_tiny():\n    assert create_model('tiny')\n"
    files = {
        "zoo/__init__.py": "",
        "zoo/registry.py": REGISTRY,
        "zoo/tiny.py": PLUGIN,
        "zoo/blocks.py": BLOCKS,
        "zoo/unrelated.py": BLOCKS.replace("block", "helper"),
        "tests/test_registry.py": test,
        "tests/test_smoke.py": "def test_imports():\n    print('ok')\n",  # one test that asserts nothing
    }
    result = assess(tmp_path, "testing", "modules_reached", files)
    assert result.share == 2 / 3  # the plugin and what it imports count; a module nobody loads does not
    assert "not reached: zoo/unrelated.py" in result.evidence


def test_plugins_are_not_reached_when_the_tests_never_reach_the_registry(tmp_path: Path) -> None:
    test = "from zoo.blocks import block\n\n\ndef test_block():\n    assert block(2) == 4\n"
    files = {
        "zoo/__init__.py": "",
        "zoo/registry.py": REGISTRY,
        "zoo/tiny.py": PLUGIN,
        "zoo/blocks.py": BLOCKS,
        "tests/test_blocks.py": test,
        "tests/test_smoke.py": "def test_imports():\n    print('ok')\n",
    }
    result = assess(tmp_path, "testing", "modules_reached", files)
    assert result.share == 0.5
    assert "not reached: zoo/tiny.py" in result.evidence


def test_module_only_reached_by_print_tests_is_not_reached(tmp_path: Path) -> None:
    files = {
        **PACKAGE,
        "tests/test_features.py": GOOD_TEST,
        "tests/test_metrics.py": SMOKE_TEST.replace("features", "metrics").replace("scale", "recall_at"),
    }
    result = assess(tmp_path, "testing", "modules_reached", files)
    assert 0 < result.share < 1
    assert "churn/metrics.py" in result.evidence


def test_ci_running_pytest_earns(tmp_path: Path) -> None:
    files = {**PACKAGE, "tests/test_features.py": GOOD_TEST, ".github/workflows/ci.yml": CI}
    result = assess(tmp_path, "testing", "tests_in_ci", files)
    assert result.share == 1
    assert ".github/workflows/ci.yml:9" in result.evidence


def test_ci_that_only_lints_does_not_earn(tmp_path: Path) -> None:
    files = {
        **PACKAGE,
        "tests/test_features.py": GOOD_TEST,
        ".github/workflows/ci.yml": CI.replace("pytest -q", "ruff check ."),
    }
    assert assess(tmp_path, "testing", "tests_in_ci", files).share == 0


def test_a_step_named_for_coverage_above_its_run_key_runs_no_tests(tmp_path: Path) -> None:
    upload = CI.replace("      - run: pytest -q\n", "      - name: Upload coverage\n        run: bash upload.sh\n")
    files = {**PACKAGE, "tests/test_features.py": GOOD_TEST, ".github/workflows/ci.yml": upload}
    assert assess(tmp_path, "testing", "tests_in_ci", files).share == 0
    measured = upload.replace("bash upload.sh", "coverage run -m pytest")
    files[".github/workflows/ci.yml"] = measured
    result = assess(tmp_path / "b", "testing", "tests_in_ci", files)
    assert result.share == 1 and result.evidence.endswith("runs the tests (coverage run)")


def test_test_volume_is_measured(tmp_path: Path) -> None:
    result = assess(tmp_path, "testing", "test_volume", {**PACKAGE, "tests/test_features.py": GOOD_TEST})
    assert 0 < result.share <= 1
    assert "ratio" in result.evidence


def test_coverage_without_data_is_not_earned(tmp_path: Path) -> None:
    result = assess(tmp_path, "testing", "coverage_at_target", {**PACKAGE, "tests/test_features.py": GOOD_TEST})
    assert result.share == 0
    assert "not measured" in result.evidence


def test_repository_without_tests_earns_at_most_10(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PACKAGE, ".github/workflows/ci.yml": CI, "README.md": "# churn\n"})
    assert earned_points(tmp_path, "testing") <= 10


def test_well_tested_repository_earns_most(tmp_path: Path) -> None:
    tests = {f"tests/test_f{i}.py": GOOD_TEST.replace("def test_", f"def test_{i}_") for i in range(10)}
    metrics = "from churn.metrics import gain\n\n\ndef test_gain():\n    assert gain(3) == 'loyal'\n"
    write_tree(tmp_path, {**PACKAGE, **tests, "tests/test_metrics.py": metrics, ".github/workflows/ci.yml": CI})
    assert earned_points(tmp_path, "testing") >= 80


def test_thin_tests_for_much_code_earn_little_volume(tmp_path: Path) -> None:
    big = {f"churn/mod{i}.py": FEATURES for i in range(30)}
    result = assess(tmp_path, "testing", "test_volume", {**PACKAGE, **big, "tests/test_features.py": GOOD_TEST})
    assert result.share < 0.2


def test_a_literal_data_table_in_the_package_is_not_code_the_tests_must_match(tmp_path: Path) -> None:
    rows = "".join(f'    "w{i}": ({i}.25, -{i}.5),\n' for i in range(600))
    table = f"EMISSIONS = {{\n{rows}}}\n"
    files = {**PACKAGE, "churn/emissions.py": table, "tests/test_features.py": GOOD_TEST}
    result = assess(tmp_path / "table", "testing", "test_volume", files)
    assert result.evidence.startswith("6 test code lines for 24 lines of code") and result.share > 0.8
    # Look-alike: as many lines of code that computes its table are code the tests must keep up with.
    steps = "".join(f'    table["w{i}"] = (scale * {i}, -scale)\n' for i in range(600))
    built = f"def emissions(scale):\n    table = {{}}\n{steps}    return table\n"
    files = {**PACKAGE, "churn/emissions.py": built, "tests/test_features.py": GOOD_TEST}
    assert assess(tmp_path / "code", "testing", "test_volume", files).share < 0.2


def test_coverage_at_target_is_measured(tmp_path: Path) -> None:
    from mlaudit.capabilities import load_capabilities
    from mlaudit.tools.coverage import CoverageResult
    from tests.helpers import project_of

    write_tree(tmp_path, {**PACKAGE, "tests/test_features.py": GOOD_TEST})
    cls = next(c for c in load_capabilities()["testing"] if c.key == "coverage_at_target")
    project = project_of(tmp_path)
    project.store_tool("coverage", CoverageResult("coverage.xml", 88.0))
    assert cls().assess(project).share == 1
    low = project_of(tmp_path)
    low.store_tool("coverage", CoverageResult("coverage.xml", 40.0))
    result = cls().assess(low)
    assert result.share == 0.5
    assert "coverage.xml reports 40%" in result.evidence


def _padded_module(body: str) -> str:
    return body + "\n\ndef _pad():\n" + "".join(f"    v{i} = {i}\n" for i in range(10)) + "    return v0\n"


def test_tests_reach_packages_of_a_project_folder_by_their_import_name(tmp_path: Path) -> None:
    # scrubber-core/ is a project folder, not a package: the tests import scrubber_core.engine
    files = {
        "scrubber-core/pyproject.toml": '[project]\nname = "scrubber-core"\nversion = "1.0"\n',
        "scrubber-core/scrubber_core/__init__.py": "",
        "scrubber-core/scrubber_core/engine.py": _padded_module("def scrub(text):\n    return text\n"),
        "scrubber-core/scrubber_core/metrics.py": _padded_module("def recall(a, b):\n    return 1.0\n"),
        "scrubber-core/tests/test_engine.py": (
            "from scrubber_core.engine import scrub\n\n\ndef test_scrub():\n    assert scrub('a') == 'a'\n"
        ),
        "scrubber-core/tests/test_smoke.py": "from scrubber_core.engine import scrub\n\n\ndef test_runs():\n    scrub('b')\n",
    }
    result = assess(tmp_path, "testing", "modules_reached", files)
    assert result.evidence.startswith("tests reach 1 of 2 (50%) library modules")
    assert "not reached: scrubber-core/scrubber_core/metrics.py" in result.evidence


LAZY_INIT = "import lazy_loader as lazy\n\n__getattr__, __dir__, __all__ = lazy.attach_stub(__name__, __file__)\n"
AUDIO_TEST = "import sonic\n\n\ndef test_mfcc():\n    assert sonic.mfcc([0.0, 1.0, 0.0]) is not None\n"


def _audio_package(init: str) -> dict[str, str]:
    """Return a package whose `__init__.pyi` stub imports `mfcc` from `spectral`, with `init` as its `__init__`."""
    return {
        "sonic/__init__.py": init,
        "sonic/__init__.pyi": "from .spectral import mfcc as mfcc\n",
        "sonic/spectral.py": FEATURES.replace("scale", "mfcc"),
        "sonic/onset.py": FEATURES.replace("scale", "onset_strength"),
        "tests/test_sonic.py": AUDIO_TEST,
        "tests/test_smoke.py": "def test_imports():\n    print('ok')\n",  # asserts nothing: reach follows imports
    }


def test_a_lazy_loader_stub_reexports_reach_the_submodules_it_imports(tmp_path: Path) -> None:
    """`lazy.attach_stub(__name__, __file__)` loads what the `__init__.pyi` beside it imports, on first access:
    a test calling `sonic.mfcc` reaches `sonic/spectral.py`; a module the stub leaves out stays unreached."""
    result = assess(tmp_path, "testing", "modules_reached", _audio_package(LAZY_INIT))
    assert result.share == 0.5, result.evidence
    assert "not reached: sonic/onset.py" in result.evidence


def test_a_stub_file_without_lazy_attach_reexports_nothing(tmp_path: Path) -> None:
    """An `__init__.pyi` that only types the package for checkers loads nothing at run time: an `__init__` that
    never calls `attach_stub` leaves the modules its stub names unreached."""
    result = assess(tmp_path, "testing", "modules_reached", _audio_package("__version__ = '1.0'\n"))
    assert result.share == 0, result.evidence


VENDORED_ATTACH = (
    "import importlib\n\n\n"
    "def _attach(package_name, submodules=None, submod_attrs=None):\n"
    "    attr_to_modules = {attr: mod for mod, attrs in (submod_attrs or {}).items() for attr in attrs}\n\n"
    "    def __getattr__(name):\n"
    "        module = importlib.import_module(f'{package_name}.{attr_to_modules[name]}')\n"
    "        return getattr(module, name)\n\n"
    "    return __getattr__, list, list(attr_to_modules)\n\n\n"
    "__getattr__, __dir__, __all__ = _attach(__name__, submodules=[], submod_attrs={'spectral': ['mfcc']})\n"
)


def test_a_vendored_copy_of_lazy_attach_reexports_the_attributes_it_names(tmp_path: Path) -> None:
    """Some packages copy lazy_loader's `attach` into their `__init__` as `_attach`: called with `__name__` and
    `submod_attrs`, it loads `sonic.mfcc` from `sonic/spectral.py` on first access, as `lazy.attach` does.
    Look-alike: a local helper called with `__name__` and other keywords re-exports nothing."""
    files = {**_audio_package(VENDORED_ATTACH), "sonic/__init__.pyi": ""}
    result = assess(tmp_path / "a", "testing", "modules_reached", files)
    assert result.share == 0.5, result.evidence
    assert "not reached: sonic/onset.py" in result.evidence
    other = VENDORED_ATTACH.replace("submodules=[], submod_attrs=", "handlers=")
    result = assess(tmp_path / "b", "testing", "modules_reached", {**files, "sonic/__init__.py": other})
    assert result.share == 0, result.evidence


FIT_HELPER = """from churn.features import scale
from churn.metrics import recall_at


def fit_and_score(values):
    return recall_at(scale(values))
"""


STYLE_TEST = "def test_style():\n    assert 'churn'.isidentifier()\n"


def test_a_support_helper_no_test_imports_reaches_nothing(tmp_path: Path) -> None:
    # a helper shipped for other test suites runs in none of this repository's tests
    files = {**PACKAGE, "churn/testing/__init__.py": "", "churn/testing/fit_helper.py": FIT_HELPER}
    files["tests/test_style.py"] = STYLE_TEST
    result = assess(tmp_path / "unused", "testing", "modules_reached", files)
    assert result.share == 0, result.evidence
    # Look-alikes: the helper imported by a test, or by a conftest.py pytest loads, runs with the tests
    used = {**files, "tests/test_style.py": "from churn.testing.fit_helper import fit_and_score\n\n\n" + STYLE_TEST}
    assert assess(tmp_path / "imported", "testing", "modules_reached", used).share == 1
    fixture = "import pytest\n\nfrom churn.testing.fit_helper import fit_and_score\n\n\n@pytest.fixture\ndef scorer():\n    return fit_and_score\n"
    conftest = {**files, "tests/conftest.py": fixture}
    assert assess(tmp_path / "conftest", "testing", "modules_reached", conftest).share == 1
