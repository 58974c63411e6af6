"""Tests of rule TST004 (`mlaudit/rules/testing/tst004_assertionless_test.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.facts.test_suite import suite_of
from mlaudit.model import Severity
from tests.helpers import findings, project_of, write_tree
from tests.rules.testing._helpers import LIB


def test_tst004_fires_on_test_without_assertion(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "tests/test_model.py": (
                "import pytest\nimport numpy as np\n\n\n"
                "def _check_shape(out):\n    assert out.shape == (2,)\n\n\n"
                "def test_roundtrip(tmp_path):\n    model.save(tmp_path)\n    model.load(tmp_path).predict([1])\n\n\n"
                "def test_raises():\n    with pytest.raises(ValueError):\n        model.fit(None)\n\n\n"
                "def test_mock(m):\n    m.assert_called_once_with(1)\n\n\n"
                "def test_np():\n    np.testing.assert_allclose(1, 1)\n\n\n"
                "def test_helper():\n    _check_shape(model.predict([1, 2]))\n\n\n"
                "def test_speed(benchmark):\n    benchmark(model.predict, [1])\n\n\n"
                "def test_import():\n    import pkg  # noqa: F401\n"
            )
        },
    )
    hits = findings(tmp_path, "TST004")
    assert [(h.line, h.message) for h in hits] == [(9, "Test test_roundtrip asserts nothing")]


def test_tst004_must_not_raise_validator_test_is_exempt(tmp_path: Path) -> None:
    tests = (
        "import pytest\n\nfrom pkg.data import _validate_path, load\n\n\n"
        "@pytest.mark.parametrize('p', ['a.csv', 'b.csv'])\n"
        "def test_allowed(p):\n    _validate_path(p)\n\n\n"
        "def test_loads():\n    load('a.csv')\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_data.py": tests})
    assert [h.message for h in findings(tmp_path, "TST004")] == ["Test test_loads asserts nothing"]


def test_tst004_emptied_method_disables_an_inherited_test(tmp_path: Path) -> None:
    tests = (
        "from pkg.data import load\n\n\n"
        "class TestBase:\n    def test_load(self):\n        assert load(1) == 1\n\n\n"
        "class TestNumpy(TestBase):\n    def test_load(self):\n        pass\n\n\n"
        "def test_placeholder():\n    pass\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_data.py": tests})
    assert [h.message for h in findings(tmp_path, "TST004")] == ["Test test_placeholder asserts nothing"]


def test_tst004_a_method_calling_an_asserting_helper_of_its_class_asserts(tmp_path: Path) -> None:
    tests = (
        "import numpy as np\n\nfrom pkg.data import load\n\n\n"
        "class TestLoad:\n"
        "    def same_rows(self, got, want):\n        assert len(got) == len(want)\n\n"
        "    def test_rows(self):\n        self.same_rows(load(2), [1, 2])\n\n"
        "    def test_runs(self):\n        self.load_twice(load(2))\n\n"
        "    def load_twice(self, rows):\n        return [load(r) for r in rows]\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_data.py": tests})
    assert [h.message for h in findings(tmp_path, "TST004")] == ["Test TestLoad.test_runs asserts nothing"]


def test_tst004_a_test_declared_must_not_raise_is_not_assertionless(tmp_path: Path) -> None:
    tests = (
        "from pkg.data import load\n\n\n"
        "def test_load_empty_does_not_raise():\n    load(0)\n\n\n"
        "def test_reload_does_not_break_cache():\n    load(1)\n\n\n"
        "def test_load_negative():\n    load(-1)  # should not raise (regression for a crash)\n\n\n"
        "def test_load_raises_nothing_useful():\n    load(3)  # returns three rows\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_data.py": tests})
    assert [h.message for h in findings(tmp_path, "TST004")] == ["Test test_load_raises_nothing_useful asserts nothing"]


def test_tst004_follows_asserting_helpers_imported_from_other_test_modules(tmp_path: Path) -> None:
    helper = (
        "def _integration(model, data):\n    result = model.fit(data)\n    assert result.loss < 1.0\n\n\n"
        "def make_data():\n    return [1, 2, 3]\n"
    )
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "tests/__init__.py": "",
            "tests/_integration.py": helper,
            "tests/test_absolute.py": (
                "from tests._integration import _integration, make_data\n\n\n"
                "def test_fit(model):\n    _integration(model, make_data())\n\n\n"
                "def test_data_only():\n    make_data()\n"
            ),
            "tests/test_relative.py": (
                "from ._integration import _integration as check\n\n\n"
                "def test_fit_again(model):\n    check(model, [1])\n"
            ),
        },
    )
    hits = findings(tmp_path, "TST004")
    assert [(h.path, h.line) for h in hits] == [("tests/test_absolute.py", 8)]


def test_tst004_follows_helpers_through_test_modules_and_packages_that_re_export_them(tmp_path: Path) -> None:
    # test -> package re-export -> dump_model -> _dump (local) -> compare_backend -> compare_runtime (asserts)
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "tests/test_utils/__init__.py": "from .helpers import dump_model, fit_model\n",
            "tests/test_utils/helpers.py": (
                "from .backend import compare_backend\n\n\n"
                "def fit_model(model):\n    return model.fit([[0, 1]], [0])\n\n\n"
                "def _dump(model, data):\n    return compare_backend(model.predict(data), data)\n\n\n"
                "def dump_model(model):\n    fit_model(model)\n    _dump(model, [[0, 1]])\n"
            ),
            "tests/test_utils/backend.py": (
                "def compare_backend(expected, data):\n"
                "    from .runtime import compare_runtime\n\n    return compare_runtime(expected, data)\n"
            ),
            "tests/test_utils/runtime.py": (
                "def compare_runtime(expected, got):\n    if expected != got:\n"
                "        raise AssertionError(f'{expected} != {got}')\n"
            ),
            "tests/test_convert.py": (
                "from test_utils import dump_model, fit_model\n\n\n"
                "class TestConvert:\n"
                "    def test_tree(self):\n        dump_model(object())\n\n"
                "    def test_fit_only(self):\n        fit_model(object())\n"
            ),
        },
    )
    hits = findings(tmp_path, "TST004")
    assert [(h.path, h.message) for h in hits] == [
        ("tests/test_convert.py", "Test TestConvert.test_fit_only asserts nothing")
    ]


def test_tst004_asserts_in_library_code_reached_through_a_test_helper_do_not_count(tmp_path: Path) -> None:
    # the helper is a test module, but the check two hops away is the library's own input validation
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/convert.py": "from pkg.shapes import check_shape\n\n\ndef convert(x):\n    check_shape(x)\n    return x\n",
            "pkg/shapes.py": "def check_shape(x):\n    assert len(x) == 2\n",
            "tests/__init__.py": "",
            "tests/helpers.py": "from pkg.convert import convert\n\n\ndef run_convert(x):\n    return convert(x)\n",
            "tests/test_convert.py": (
                "from tests.helpers import run_convert\n\n\ndef test_convert():\n    run_convert([1, 2])\n"
            ),
        },
    )
    hits = findings(tmp_path, "TST004")
    assert [(h.path, h.line) for h in hits] == [("tests/test_convert.py", 4)]


def test_tst004_a_static_helper_called_through_the_module_s_class_asserts(tmp_path: Path) -> None:
    code = (
        "from pkg.checks import Checks\n\n\n"
        "class TestLabels:\n"
        "    @staticmethod\n"
        "    def same_labels(expected, got):\n"
        "        if list(expected) != list(got):\n"
        "            raise AssertionError(f'{expected} != {got}')\n\n"
        "    def test_int_labels(self):\n        TestLabels.same_labels(load(2), [0, 1])\n\n"
        "    def test_str_labels(self):\n        Checks.same_labels(load(3), ['a', 'b'])\n"
    )
    write_tree(tmp_path, {**LIB, "pkg/checks.py": "class Checks:\n    pass\n", "tests/test_labels.py": code})
    hits = findings(tmp_path, "TST004")
    assert [h.message for h in hits] == ["Test TestLabels.test_str_labels asserts nothing"]


def test_tst004_tests_declared_must_not_raise_assert_by_not_raising(tmp_path: Path) -> None:
    code = (
        "from pkg import build\n\n\n"
        "def test_build_with_quantiles_does_not_raise():\n    build(levels=[80, 90])\n\n\n"
        "def test_allowed_combinations():\n"
        '    """Loss combinations that should not raise a mismatch error."""\n    build(levels=[50])\n\n\n'
        "def test_build_runs():\n    build(levels=[10])\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "def build(levels):\n    return levels\n", "tests/test_build.py": code})
    assert [h.line for h in findings(tmp_path, "TST004")] == [13]


def test_tst004_a_no_raise_phrase_cut_across_two_comments_is_not_a_declaration(tmp_path: Path) -> None:
    """Each comment and docstring says it on its own: `# none of these` then `# raises an error` on the next
    line declares nothing, while `# none of these raises` on one line does."""
    code = (
        "from pkg import build\n\n\n"
        "def test_levels_split():\n    # none of these\n    # raises an error later\n    build(levels=[1])\n\n\n"
        "def test_levels_whole():\n    # none of these raises\n    build(levels=[2])\n\n\n"
        "def test_levels_crash_split():\n    # does not\n    # crash\n    build(levels=[3])\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "def build(levels):\n    return levels\n", "tests/test_levels.py": code})
    assert [h.line for h in findings(tmp_path, "TST004")] == [4, 15]


def test_tst004_aliased_assertion_helpers_assert(tmp_path: Path) -> None:
    code = (
        "from torch.testing import assert_close as torch_testing_assert_close\n\nfrom pkg import step\n\n\n"
        "def test_step_value():\n    torch_testing_assert_close(step(1), 2.0)\n\n\n"
        "def test_step_runs():\n    step(3)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "def step(x):\n    return x + 1.0\n", "tests/test_step.py": code})
    assert [h.line for h in findings(tmp_path, "TST004")] == [10]


def test_tst004_test_calling_an_asserting_method_of_an_imported_base_class_asserts(tmp_path: Path) -> None:
    common = (
        "import torch\n\n\nclass AdapterTester:\n"
        "    def _check_roundtrip(self, model, path):\n"
        "        model.save(path)\n        assert torch.equal(model.weight, type(model).load(path).weight)\n\n"
        "    def _run_forward(self, model):\n        model(torch.ones(2, 3))\n"
    )
    suite = (
        "from .common import AdapterTester\n\n\nclass TestAdapters(AdapterTester):\n"
        "    def test_roundtrip(self, tmp_path):\n        self._check_roundtrip(self.make(), tmp_path)\n\n"
        "    def test_forward(self):\n        self._run_forward(self.make())\n\n"
        "    def make(self):\n        return build()\n"
    )
    write_tree(
        tmp_path,
        {**LIB, "tests/__init__.py": "", "tests/common.py": common, "tests/test_adapters.py": suite},
    )
    assert [f.message for f in findings(tmp_path, "TST004")] == ["Test TestAdapters.test_forward asserts nothing"]


def test_tst004_a_method_inherited_from_a_mixin_of_an_imported_module_asserts(tmp_path: Path) -> None:
    """`class TestAdder(test_utils.AdderTestMixin, parameterized.TestCase)`: `self.run_test_adder(...)` comes from the
    repository's mixin, reached through its module and listed beside a framework base; it asserts."""
    mixin = (
        "import unittest\n\n\nclass AdderTestMixin(unittest.TestCase):\n"
        "    def run_test_adder(self, adder, items, expected):\n"
        "        for item in items:\n            adder.add(item)\n        self.assertEqual(adder.written, expected)\n\n"
        "    def feed_adder(self, adder, items):\n        for item in items:\n            adder.add(item)\n"
    )
    suite = (
        "from absl.testing import parameterized\n\nfrom tests import test_utils\n\n\n"
        "class EpisodeAdderTest(test_utils.AdderTestMixin, parameterized.TestCase):\n"
        "    def test_adder(self):\n        self.run_test_adder(build(), [1, 2], [1, 2])\n\n"
        "    def test_padded(self):\n        super().run_test_adder(build(), [1, 0], [1, 0])\n\n"
        "    def test_feed(self):\n        self.feed_adder(build(), [1, 2])\n"
    )
    files = {**LIB, "tests/__init__.py": "", "tests/test_utils.py": mixin, "tests/test_episode.py": suite}
    write_tree(tmp_path, files)
    # Look-alike: the mixin's helper that only feeds the adder asserts nothing, so neither does its caller.
    assert [f.message for f in findings(tmp_path, "TST004")] == ["Test EpisodeAdderTest.test_feed asserts nothing"]


def test_tst004_a_test_handing_over_a_checking_callback_asserts_through_it(tmp_path: Path) -> None:
    tests = (
        "import numpy as np\n\nfrom pkg.data import load\n\n\n"
        "class CheckRowsCallback:\n"
        "    def on_batch_end(self, rows):\n        assert np.all(np.asarray(rows) >= 0)\n\n\n"
        "class CountRowsCallback:\n"
        "    def __init__(self):\n        self.seen = 0\n\n"
        "    def on_batch_end(self, rows):\n        self.seen += len(rows)\n\n\n"
        "def test_rows_stay_positive():\n    load(2, callback=CheckRowsCallback())\n\n\n"
        "def test_rows_are_counted():\n    load(2, callback=CountRowsCallback())\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_data.py": tests})
    assert [h.message for h in findings(tmp_path, "TST004")] == ["Test test_rows_are_counted asserts nothing"]


def test_tst004_a_test_calling_an_asserting_conftest_fixture_asserts_through_it(tmp_path: Path) -> None:
    conftest = (
        "import pytest\n\nfrom pkg.data import load\n\n\n"
        "@pytest.fixture\ndef rows_check():\n"
        "    def check(n, expected):\n        assert len(load(n)) == expected\n\n    return check\n\n\n"
        "@pytest.fixture\ndef loader():\n    def run(n):\n        return load(n)\n\n    return run\n"
    )
    tests = (
        "def test_two_rows(rows_check):\n    rows_check(2, 2)\n\n\n"
        "def test_loads(loader):\n    loader(2)\n\n\n"
        "def rows_check(n, expected):\n    return n == expected\n"
    )
    other = "def test_two_rows_again(rows_check):\n    rows_check(2, 2)\n"
    write_tree(
        tmp_path,
        {**LIB, "tests/conftest.py": conftest, "tests/unit/test_data.py": tests, "other/test_more.py": other},
    )
    hits = [(h.path, h.message) for h in findings(tmp_path, "TST004")]
    assert hits == [
        ("other/test_more.py", "Test test_two_rows_again asserts nothing"),
        ("tests/unit/test_data.py", "Test test_loads asserts nothing"),
    ]


def test_tst004_running_a_command_with_check_true_asserts_its_exit_status(tmp_path: Path) -> None:
    tests = (
        "import subprocess\nimport sys\n\n\n"
        "def test_cli_help():\n    subprocess.run([sys.executable, '-m', 'pkg', '--help'], check=True)\n\n\n"
        "def test_cli_version():\n    subprocess.run([sys.executable, '-m', 'pkg', '--version'])\n\n\n"
        "def test_cli_quiet():\n    subprocess.run([sys.executable, '-m', 'pkg', '-q'], check=False)\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_cli.py": tests})
    assert [h.message for h in findings(tmp_path, "TST004")] == [
        "Test test_cli_version asserts nothing",
        "Test test_cli_quiet asserts nothing",
    ]


def test_tst004_a_declared_smoke_test_checks_that_the_code_runs(tmp_path: Path) -> None:
    tests = (
        "from pkg.data import load\n\n\n"
        "def test_incremental_load_smoke():\n    load(load(2))\n\n\n"
        'def test_pipeline():\n    """Smoke test: the whole pipeline runs end to end."""\n    load(3)\n\n\n'
        "def test_smokestack_rows():\n    load(4)\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_data.py": tests})
    assert [h.message for h in findings(tmp_path, "TST004")] == ["Test test_smokestack_rows asserts nothing"]


def test_tst004_a_test_named_for_what_the_code_accepts_checks_that_it_goes_through(tmp_path: Path) -> None:
    tests = (
        "from pkg.data import load\n\n\n"
        "def test_load_allows_negative_offsets():\n    load(-2)\n\n\n"
        "def test_load_accepts_zero():\n    load(0)\n\n\n"
        "def test_load_allowance_rows():\n    # the fixture allows reuse\n    load(4)\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_data.py": tests})
    # `allowance` is no such word, and a comment's "allows" says nothing about the test
    assert [h.message for h in findings(tmp_path, "TST004")] == ["Test test_load_allowance_rows asserts nothing"]


def test_tst004_a_test_named_for_an_error_the_code_ignores_checks_that_it_does_not_propagate(tmp_path: Path) -> None:
    tests = (
        "from unittest import mock\n\nfrom pkg.data import load\n\n\n"
        "def test_upload_exception_is_ignored():\n"
        "    with mock.patch('pkg.data.upload', side_effect=OSError('down')):\n        load(1)\n\n\n"
        "def test_errors_on_flush_are_caught():\n"
        "    with mock.patch('pkg.data.flush', side_effect=OSError('full')):\n        load(2)\n\n\n"
        "def test_ignored_columns_error_message():\n    load(3)\n\n\n"
        "def test_error_page():\n    # the error is ignored by the caller\n    load(4)\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_data.py": tests})
    # a name that only holds the words, or a comment saying so, declares nothing about the test
    assert [h.message for h in findings(tmp_path, "TST004")] == [
        "Test test_ignored_columns_error_message asserts nothing",
        "Test test_error_page asserts nothing",
    ]


def test_tst004_a_comment_saying_the_test_checks_that_it_runs_declares_a_smoke_test(tmp_path: Path) -> None:
    """`# test that it runs` (or a docstring "check this works") states that running is the check. Look-alikes: a
    test merely named for running (`test_runs`) and a comment on what runs when (`# runs on the GPU`) say nothing."""
    tests = (
        "from pkg.data import load\n\n\n"
        "def test_plot_importances():\n    # test that it runs\n    load(1)\n\n\n"
        'def test_export():\n    """Check this works on an empty frame."""\n    load(2)\n\n\n'
        "def test_runs():\n    load(3)\n\n\n"
        "def test_gpu():\n    # runs on the GPU when there is one\n    load(4)\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_data.py": tests})
    assert [h.message for h in findings(tmp_path, "TST004")] == [
        "Test test_runs asserts nothing",
        "Test test_gpu asserts nothing",
    ]


def test_tst004_a_test_that_ends_by_executing_a_notebook_is_a_smoke_test(tmp_path: Path) -> None:
    """papermill raises when a cell fails, so a test ending in `pm.execute_notebook(...)` checks that the notebook
    runs end to end: a note asking for an assertion on its outputs. Look-alike: a test that executes the notebook
    and then only reads it back asserts nothing about the run it made."""
    tests = (
        "import papermill as pm\n\n\n"
        "def test_quickstart(tmp_path):\n"
        "    pm.execute_notebook('examples/quickstart.ipynb', tmp_path / 'out.ipynb', kernel_name='python3')\n\n\n"
        "def test_deep_dive(tmp_path):\n"
        "    pm.execute_notebook('examples/deep_dive.ipynb', tmp_path / 'out.ipynb')\n"
        "    pm.read_notebook(tmp_path / 'out.ipynb')\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_notebooks.py": tests})
    assert [(h.message, h.severity) for h in findings(tmp_path, "TST004")] == [
        ("Test test_quickstart only runs a notebook end to end (a smoke test)", Severity.INFO),
        ("Test test_deep_dive asserts nothing", Severity.WARNING),
    ]


def test_tst004_a_comment_saying_none_of_the_calls_raise_declares_a_must_not_raise_test(tmp_path: Path) -> None:
    tests = (
        "from pkg.data import load\n\n\n"
        "def test_load_variants():\n    # check that none of the below raise\n    load(1)\n    load(2)\n\n\n"
        "def test_load_none():\n    # none is a valid path here\n    load(None)\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_data.py": tests})
    assert [h.message for h in findings(tmp_path, "TST004")] == ["Test test_load_none asserts nothing"]


def test_tst004_a_fixture_named_like_a_test_is_no_test(tmp_path: Path) -> None:
    tests = (
        "import pytest\n\nfrom pkg.data import load\n\n\n"
        "@pytest.fixture(scope='module')\ndef test_rows():\n    yield load(3)\n\n\n"
        "def test_rows_load(test_rows):\n    assert test_rows == 3\n\n\n"
        "@pytest.mark.slow\ndef test_rows_reload():\n    load(3)\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_data.py": tests})
    assert [h.message for h in findings(tmp_path, "TST004")] == ["Test test_rows_reload asserts nothing"]


def test_tst004_follows_a_chain_of_local_helpers_to_the_one_that_asserts(tmp_path: Path) -> None:
    tests = (
        "import subprocess\n\n\n"
        "def _run(args):\n    done = subprocess.run(args, capture_output=True)\n    assert done.returncode == 0\n\n\n"
        "def _run_cli(command):\n    return _run(['pkg', command])\n\n\n"
        "def _show_cli(command):\n    return subprocess.run(['pkg', command])\n\n\n"
        "def test_train_cli():\n    _run_cli('train')\n\n\n"
        "def test_show_cli():\n    _show_cli('show')\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_cli.py": tests})
    assert [h.message for h in findings(tmp_path, "TST004")] == ["Test test_show_cli asserts nothing"]


def test_tst004_serialisation_test_ending_in_a_discarded_dump_is_exempt(tmp_path: Path) -> None:
    tests = (
        "import json\nimport pickle\n\nfrom pkg.data import load\n\n\n"
        "def test_params_json_serialization():\n    params = load('a.csv')\n    json.dumps(params)\n\n\n"
        "def test_transform_picklability():\n    pickle.loads(pickle.dumps(load('a.csv')))\n\n\n"
        "def test_load_runs():\n    params = load('a.csv')\n    json.dumps(params)\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_data.py": tests})
    # the same discarded dump in a test not named for serialisation is a leftover, not the check
    assert [h.message for h in findings(tmp_path, "TST004")] == ["Test test_load_runs asserts nothing"]


def test_tst004_a_test_validating_what_it_builds_checks_that_validation_passes(tmp_path: Path) -> None:
    tests = (
        "import pandas as pd\n\nfrom pkg.schema import FrameSchema, Column\n\n\n"
        "def test_nullable_column_accepts_nan():\n"
        "    schema = FrameSchema({'age': Column(float, nullable=True)})\n"
        "    frame = pd.DataFrame({'age': [31.0, None]})\n"
        "    schema.validate(frame)\n\n\n"
        "def test_lazy_mode_skips_data_checks(settings):\n"
        "    class Ages(FrameSchema):\n"
        "        age: Column\n\n"
        "    with settings(depth='schema'):\n"
        "        Ages.validate(pd.DataFrame({'age': [-1.0]}))\n\n\n"
        "def test_fit_then_validate(trainer, model):\n"
        "    loader = model.val_loader()\n"
        "    trainer.fit(model)\n"
        "    trainer.validate(model, loader)\n\n\n"
        "def test_schema_accepts_model_attrs():\n"
        "    from pydantic import BaseModel\n\n"  # a local import is setup too
        "    schema = FrameSchema(attrs=BaseModel)\n"
        "    schema.validate(pd.DataFrame())\n\n\n"
        "def test_schema_builds_frame():\n"
        "    from pydantic import BaseModel\n\n"
        "    FrameSchema(attrs=BaseModel).example(size=3)\n"
    )
    write_tree(tmp_path, {**LIB, "pkg/schema.py": "class FrameSchema:\n    pass\n", "tests/test_schema.py": tests})
    assert [h.message for h in findings(tmp_path, "TST004")] == [
        "Test test_fit_then_validate asserts nothing",
        "Test test_schema_builds_frame asserts nothing",
    ]


def test_tst004_an_assert_helper_after_setup_is_an_assertion_not_a_must_not_raise_check(tmp_path: Path) -> None:
    tests = (
        "import numpy as np\nimport pandas as pd\n\nfrom pkg.schema import FrameSchema\n\n\n"
        "def test_rows_are_unit_norm():\n"
        "    out = np.ones((2, 2)) / np.sqrt(2)\n"
        "    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0)\n\n\n"
        "def test_schema_accepts_frame():\n"
        "    schema = FrameSchema()\n"
        "    schema.validate(pd.DataFrame())\n"
    )
    write_tree(tmp_path, {**LIB, "pkg/schema.py": "class FrameSchema:\n    pass\n", "tests/test_schema.py": tests})
    suite = suite_of(project_of(tmp_path))
    assert {t.name: t.exempt for t in suite.functions} == {
        "test_rows_are_unit_norm": False,
        "test_schema_accepts_frame": True,
    }


DOCTEST_TESTS = (
    "import pandas as pd\n\nfrom pkg.data import load\n\n\n"
    "def test_repr_of_a_choice():\n"
    '    """\n'
    "    >>> from pkg.data import load\n"
    "    >>> load(2)\n"
    "    2\n"
    '    """\n\n\n'
    "def test_empty_frame_is_accepted():\n"
    "    # non-regression test for issue #1134\n"
    "    load(pd.DataFrame())\n\n\n"
    "def test_reload():\n"
    '    """Reload the frame twice."""\n'
    "    load(load(1))\n"
)


def test_tst004_doctest_examples_assert_when_pytest_runs_doctests_and_a_non_regression_test_checks_a_crash(
    tmp_path: Path,
) -> None:
    doctests_on = '[tool.pytest.ini_options]\naddopts = ["--doctest-modules"]\n'
    write_tree(tmp_path / "on", {**LIB, "pyproject.toml": doctests_on, "tests/test_data.py": DOCTEST_TESTS})
    assert [h.message for h in findings(tmp_path / "on", "TST004")] == ["Test test_reload asserts nothing"]
    write_tree(tmp_path / "off", {**LIB, "tests/test_data.py": DOCTEST_TESTS})
    assert [h.message for h in findings(tmp_path / "off", "TST004")] == [
        "Test test_repr_of_a_choice asserts nothing",
        "Test test_reload asserts nothing",
    ]


def test_tst004_a_test_handing_an_asserting_function_to_a_process_launcher_asserts(tmp_path: Path) -> None:
    code = (
        "import torch\nimport torch.multiprocessing as mp\n\nfrom pkg.dist import launch\n\n\n"
        "def _check_grads_synced(rank, world_size):\n"
        "    grad = torch.ones(2) * rank\n"
        "    assert torch.isfinite(grad).all()\n\n\n"
        "def _run_step(rank, world_size):\n"
        "    torch.ones(2).sum()\n\n\n"
        "def test_grads_synced_across_ranks():\n"
        "    mp.spawn(_check_grads_synced, args=(2,), nprocs=2, join=True)\n\n\n"
        "def test_grads_synced_under_launcher():\n"
        "    launch(world_size=2)(_check_grads_synced)()\n\n\n"
        "def test_step_runs_on_two_ranks():\n"
        "    mp.spawn(_run_step, args=(2,), nprocs=2, join=True)\n"
    )
    write_tree(tmp_path, {**LIB, "tests/__init__.py": "", "tests/test_dist.py": code})
    hits = findings(tmp_path, "TST004")
    assert [(h.line, h.message) for h in hits] == [(24, "Test test_step_runs_on_two_ranks asserts nothing")]


def test_tst004_the_no_raise_search_answers_as_the_case_insensitive_pattern() -> None:
    """The lowercased search of ASCII text (behind its word prefilter) finds what the case-insensitive pattern
    finds; other text (the long s matches `s`) is searched as it is."""
    from mlaudit.facts.test_suite import MUST_NOT_RAISE, _says_no_raise

    texts = [
        "test_fit_DOES_NOT_RAISE",
        "Smoke test",
        "smokey",
        "NON-REGRESSION for #123",
        "None of these calls RAISES",
        "no_error",
        "test_nothing",
        "\u017fmoke test",
        "plain\n# does not\nraise",
        "",
    ]
    for text in texts:
        assert _says_no_raise(text) == (MUST_NOT_RAISE.search(text) is not None), text
    assert _says_no_raise("\u017fmoke test") and not _says_no_raise("plain\n# does not\nraise")


def test_tst004_training_smoke_test_is_a_note_but_a_mode_switch_is_no_training(tmp_path: Path) -> None:
    tests = (
        "import pytest\n\nfrom pkg.data import load\n\n\n"
        "@pytest.mark.parametrize('lr', [0.1, 0.01])\n"
        "def test_trains_one_epoch(lr):\n"
        "    trainer = Trainer(max_epochs=1, accelerator='cpu')\n"
        "    trainer.fit(TinyNet(lr=lr), load(2))\n\n\n"
        "def test_eval_mode():\n"
        "    net = TinyNet(lr=0.1)\n"
        "    net.train()\n"
        "    net(load(2))\n\n\n"
        "def test_save_load(tmp_path):\n"
        "    net = TinyNet(lr=0.1).fit(load(2))\n"
        "    net.save(tmp_path / 'net.pt')\n"
        "    TinyNet.load(tmp_path / 'net.pt').predict(load(2))\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_train.py": tests})
    hits = findings(tmp_path, "TST004")
    assert [(h.line, h.severity.value, h.message) for h in hits] == [
        (7, "info", "Test test_trains_one_epoch only runs training (a smoke test)"),
        (12, "warning", "Test test_eval_mode asserts nothing"),
        (18, "warning", "Test test_save_load asserts nothing"),
    ]


def test_tst004_a_test_ending_in_a_helper_that_trains_is_a_smoke_test_but_one_ending_in_a_helper_that_saves_is_not(
    tmp_path: Path,
) -> None:
    helpers = (
        "def train_one_epoch(data):\n    model = TinyNet(lr=0.1)\n    model.train(data, max_epochs=1)\n\n\n"
        "def save_copy(data, path):\n    model = TinyNet(lr=0.1)\n    model.save(path)\n"
    )
    tests = (
        "from pkg.data import load\n\nfrom .utils import save_copy, train_one_epoch\n\n\n"
        "def test_cortex_dataset():\n    data = load(2)\n    train_one_epoch(data)\n\n\n"
        "def test_saving(tmp_path):\n    data = load(2)\n    save_copy(data, tmp_path)\n"
    )
    write_tree(tmp_path, {**LIB, "tests/__init__.py": "", "tests/utils.py": helpers, "tests/test_datasets.py": tests})
    hits = findings(tmp_path, "TST004")
    assert [(h.line, h.severity.value, h.message) for h in hits] == [
        (6, "info", "Test test_cortex_dataset only runs training (a smoke test)"),
        (11, "warning", "Test test_saving asserts nothing"),
    ]


def test_tst004_gradcheck_raises_on_wrong_gradients_but_computing_gradients_checks_nothing(tmp_path: Path) -> None:
    tests = (
        "import torch\nfrom torch.autograd import gradcheck, gradgradcheck\n\nfrom pkg.data import load\n\n\n"
        "def test_autograd():\n    x = load(2).double().requires_grad_()\n    gradcheck(torch.sin, (x,))\n\n\n"
        "def test_double_autograd():\n    x = load(2).double().requires_grad_()\n"
        "    torch.autograd.gradgradcheck(torch.sin, (x,))\n\n\n"
        "def test_gradients():\n    x = load(2).double().requires_grad_()\n    torch.autograd.grad(torch.sin(x).sum(), x)\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_grad.py": tests})
    assert [h.message for h in findings(tmp_path, "TST004")] == ["Test test_gradients asserts nothing"]


def test_tst004_a_function_of_an_imported_test_module_that_asserts_asserts_for_the_test(tmp_path: Path) -> None:
    common = (
        "def test_additivity(model, data):\n    out = model(data)\n    assert abs(out.sum() - 1.0) < 1e-6\n\n\n"
        "def make_data():\n    return [1, 2, 3]\n"
    )
    suite = (
        "from . import common\n\n\n"
        "def test_exact(model):\n    common.test_additivity(model, common.make_data())\n\n\n"
        "def test_data_builds():\n    common.make_data()\n"
    )
    write_tree(
        tmp_path,
        {**LIB, "tests/__init__.py": "", "tests/common.py": common, "tests/test_exact.py": suite},
    )
    assert [f.message for f in findings(tmp_path, "TST004")] == ["Test test_data_builds asserts nothing"]


def test_tst004_a_test_comparing_its_figure_with_a_baseline_image_asserts(tmp_path: Path) -> None:
    suite = (
        "import matplotlib.pyplot as plt\nimport pytest\n"
        "from matplotlib.testing.decorators import image_comparison\n\n\n"
        "@pytest.mark.mpl_image_compare\ndef test_bar_plot():\n    fig = plt.figure()\n    render(load(2))\n    return fig\n\n\n"
        "@image_comparison(baseline_images=['bars'], extensions=['png'])\ndef test_bars():\n    render(load(3))\n\n\n"
        "@pytest.mark.slow\ndef test_bar_plot_draws():\n    fig = plt.figure()\n    render(load(2))\n    return fig\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_plots.py": suite})
    assert [f.message for f in findings(tmp_path, "TST004")] == ["Test test_bar_plot_draws asserts nothing"]


def test_tst004_opcheck_and_a_launch_that_raises_on_failure_are_checks_but_a_bare_popen_is_not(
    tmp_path: Path,
) -> None:
    """torch.library.opcheck raises when a custom operator is registered wrongly; accelerate's
    execute_subprocess_async raises when the launched training command fails, like check_call. Look-alikes: a
    command started with Popen and never waited on, and an operator called without opcheck, check nothing."""
    tests = (
        "import subprocess\n\nimport torch\nfrom accelerate.test_utils import execute_subprocess_async\n\n"
        "from pkg.data import load\n\n\n"
        "def test_fused_op():\n    x = load(2)\n    torch.library.opcheck(torch.ops.pkg.fused, (x, x))\n\n\n"
        "def test_train_launch(tmp_path):\n"
        "    execute_subprocess_async(['accelerate', 'launch', '-m', 'pkg.train', str(tmp_path / 'cfg.yaml')])\n\n\n"
        "def test_op_runs():\n    x = load(2)\n    torch.ops.pkg.fused(x, x)\n\n\n"
        "def test_launch_started(tmp_path):\n"
        "    subprocess.Popen(['accelerate', 'launch', '-m', 'pkg.train', str(tmp_path / 'cfg.yaml')])\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_ops.py": tests})
    assert [h.message for h in findings(tmp_path, "TST004")] == [
        "Test test_op_runs asserts nothing",
        "Test test_launch_started asserts nothing",
    ]


TIMED_COMMAND = """\
def test_status(bench_cli, tmp_path):
    (tmp_path / "data.csv").write_text("a,b\\n1,2\\n")
    bench_cli("status")
    bench_cli("status", name="noop")
"""


def test_tst004_tests_of_a_benchmarks_folder_time_the_code_and_assert_nothing_by_design(tmp_path: Path) -> None:
    # the same timing test under tests/ is an ordinary test that checks nothing
    write_tree(
        tmp_path, {"pkg/testing/benchmarks/test_status.py": TIMED_COMMAND, "tests/test_status.py": TIMED_COMMAND}
    )
    assert [h.path for h in findings(tmp_path, "TST004")] == ["tests/test_status.py"]


def test_tst004_a_test_marked_as_a_benchmark_times_the_code_and_asserts_nothing_by_design(tmp_path: Path) -> None:
    """`@pytest.mark.benchmark(group=...)` makes pytest-benchmark time the test, here through a project fixture
    wrapping its `benchmark` fixture. Look-alike: the same body under another marker is an ordinary test."""
    tests = (
        "import pytest\n\nfrom pkg.data import load\n\n\n"
        "@pytest.mark.benchmark(group='load (size)')\n"
        "@pytest.mark.parametrize('rows', [10, 1000])\n"
        "def test_load_allocation(allocation_benchmark, rows):\n    allocation_benchmark(lambda: load(rows))\n\n\n"
        "@pytest.mark.slow\n"
        "def test_load_many(rows=1000):\n    load(rows)\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_load.py": tests})
    assert [h.message for h in findings(tmp_path, "TST004")] == ["Test test_load_many asserts nothing"]


def test_tst004_an_assertion_handed_to_a_mapping_call_asserts(tmp_path: Path) -> None:
    tests = (
        "import unittest\n\nimport jax\nimport numpy as np\nfrom numpy.testing import assert_array_equal\n\n"
        "from pkg.graphs import batch, unbatch\n\n\n"
        "class GraphTest(unittest.TestCase):\n"
        "    def test_batch(self):\n"
        "        jax.tree_util.tree_map(np.testing.assert_allclose, batch([1, 2]), [1, 2])\n\n"
        "    def test_unbatch(self):\n        list(map(self.assertEqual, unbatch([1, 2]), [1, 2]))\n\n"
        "    def test_imported(self):\n        jax.tree_util.tree_map(assert_array_equal, batch([1]), [1])\n\n"
        "    def test_mapped_arithmetic(self):\n        jax.tree_util.tree_map(np.add, batch([1]), [1])\n"
    )
    lib = {
        "pkg/__init__.py": "",
        "pkg/graphs.py": "def batch(xs):\n    return xs\n\n\ndef unbatch(xs):\n    return xs\n",
    }
    write_tree(tmp_path, {**lib, "tests/test_graphs.py": tests})
    hits = findings(tmp_path, "TST004")
    assert [h.message for h in hits] == ["Test GraphTest.test_mapped_arithmetic asserts nothing"]


def test_tst004_names_a_comparison_written_without_assert(tmp_path: Path) -> None:
    """`split(label, reduce=True) == expected` as a statement throws its result away: the hit names it. A test
    that only calls the code says nothing more than that it asserts nothing."""
    tests = (
        "import pytest\n\nfrom chords import split\n\n\n"
        "@pytest.mark.parametrize('label, expected', [('C', ['C', 'maj']), ('C:min', ['C', 'min'])])\n"
        "def test_split_reduced(label, expected):\n"
        "    # reduce extended chords\n"
        "    split(label, reduce=True) == expected\n\n\n"
        "def test_split_runs():\n    split('C:maj7')\n"
    )
    write_tree(
        tmp_path,
        {"chords.py": "def split(label, reduce=False):\n    return label.split(':')\n", "tests/test_chords.py": tests},
    )
    hits = findings(tmp_path, "TST004")
    assert [(h.line, h.message) for h in hits] == [
        (
            7,
            "Test test_split_reduced asserts nothing: `split(label, reduce=True) == expected` compares without `assert`",
        ),
        (12, "Test test_split_runs asserts nothing"),
    ]
    assert hits[0].fix == "Write `assert split(label, reduce=True) == expected`: a bare comparison never fails."


def test_tst004_a_response_registered_on_pytest_httpx_asserts_it_is_requested(tmp_path: Path) -> None:
    tests = (
        "from pkg.client import Client\n\n\n"
        "def _expect_delete(httpx_mock, item):\n"
        "    httpx_mock.add_response(url=f'http://api/items/{item}', method='DELETE')\n\n\n"
        "def test_delete(httpx_mock):\n"
        "    httpx_mock.add_response(url='http://api/items/1', method='DELETE', status_code=204)\n"
        "    Client('http://api').delete(1)\n\n\n"
        "def test_delete_through_helper(httpx_mock):\n    _expect_delete(httpx_mock, 2)\n    Client('http://api').delete(2)\n\n\n"
        "def test_delete_maybe(httpx_mock):\n"
        "    httpx_mock.add_response(url='http://api/items/3', is_optional=True)\n    Client('http://api').delete(3)\n\n\n"
        "def test_delete_other_mock(responses_mock):\n"
        "    responses_mock.add_response(url='http://api/items/4')\n    Client('http://api').delete(4)\n"
    )
    opted_out = (
        "import pytest\n\nfrom pkg.client import Client\n\n\n"
        "@pytest.mark.httpx_mock(assert_all_responses_were_requested=False)\n"
        "def test_delete_lenient(httpx_mock):\n    httpx_mock.add_response(url='http://api/items/5')\n"
        "    Client('http://api').delete(5)\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_client.py": tests, "tests/test_lenient.py": opted_out})
    assert sorted(h.message for h in findings(tmp_path, "TST004")) == [
        "Test test_delete_lenient asserts nothing",
        "Test test_delete_maybe asserts nothing",
        "Test test_delete_other_mock asserts nothing",
    ]


def test_tst004_a_test_that_only_skips_switches_off_an_inherited_case(tmp_path: Path) -> None:
    """`raise unittest.SkipTest(...)`, `self.skipTest(...)` or `pytest.skip(...)` as a test's whole body skips the
    case (an inherited test that does not apply); a test that skips only after doing its work still asserts nothing."""
    tests = (
        "import unittest\n\nimport pytest\n\nfrom pkg.data import load\n\n\n"
        "class TestBase(unittest.TestCase):\n    def test_load(self):\n        self.assertEqual(load(1), 1)\n\n\n"
        "class TestSparse(TestBase):\n"
        "    def test_load(self):\n        raise unittest.SkipTest('sparse inputs load lazily')\n\n"
        "    def test_shape(self):\n        self.skipTest('no shape for sparse inputs')\n\n\n"
        "def test_gpu():\n    pytest.skip('needs a GPU')\n\n\n"
        "def test_load_twice():\n    load(1)\n    load(1)\n    pytest.skip('flaky')\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_data.py": tests})
    assert [h.message for h in findings(tmp_path, "TST004")] == ["Test test_load_twice asserts nothing"]


SYNC_CHECKS = """\
def _check_no_sync(model):
    assert model.grad is None


def main():
    model = build_model()
    _check_no_sync(model)


def report():
    print("ran")
"""
LAUNCHED = """\
from meshkit.launch import local_launcher
from meshkit.test_utils import sync_checks


def test_sync_on_two_processes():
    local_launcher(sync_checks.main, num_processes=2)


def test_sync_in_process():
    sync_checks.main()


def test_report_on_two_processes():
    local_launcher(sync_checks.report, num_processes=2)
"""


def test_tst004_silent_when_an_imported_checking_function_is_handed_to_a_launcher(tmp_path: Path) -> None:
    # meshkit.test_utils re-exports the checks module of its scripts folder; main() asserts through a helper, report()
    # only prints, so launching it checks nothing
    tree = {
        "meshkit/__init__.py": "",
        "meshkit/launch.py": "def local_launcher(fn, num_processes=1):\n    fn()\n",
        "meshkit/test_utils/__init__.py": "from .scripts import sync_checks\n",
        "meshkit/test_utils/scripts/__init__.py": "",
        "meshkit/test_utils/scripts/sync_checks.py": SYNC_CHECKS,
        "tests/test_sync.py": LAUNCHED,
    }
    write_tree(tmp_path, tree)
    assert [h.line for h in findings(tmp_path, "TST004")] == [13]


def test_tst004_a_test_named_for_what_the_code_accepts_in_the_passive_checks_that_it_goes_through(
    tmp_path: Path,
) -> None:
    """`test_legit_subdir_is_accepted` states its check; `test_allowed_values` names what it should assert on."""
    tests = (
        "from pkg.data import load\n\n\n"
        "def test_legit_subdir_is_accepted():\n    load('data/sub')\n\n\n"
        "def test_duplicate_members_are_allowed():\n    load('a', 'a')\n\n\n"
        "def test_allowed_values():\n    load('values')\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_data.py": tests})
    assert [h.message for h in findings(tmp_path, "TST004")] == ["Test test_allowed_values asserts nothing"]


def test_tst004_an_import_test_deleting_the_names_it_imported_is_an_import_smoke_test(tmp_path: Path) -> None:
    """`import pkg` then `del pkg` (so a linter sees the name used) checks only that the package imports.
    Look-alike: deleting what a call built after importing is a test that runs code and asserts nothing."""
    tests = (
        "def test_imports():\n    import numpy\n\n    import pkg\n\n    del pkg, numpy\n\n\n"
        "def test_cleanup():\n    import pkg\n\n    model = pkg.build()\n    del model, pkg\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "def build():\n    return 1\n", "tests/test_imports.py": tests})
    assert [h.line for h in findings(tmp_path, "TST004")] == [9]


def test_tst004_training_in_a_try_whose_handler_reports_the_error_is_a_training_smoke_test(tmp_path: Path) -> None:
    """A suite wrapping each test body in `try: ... except BackendMissing as e: report(e)` still ends by training
    when the `try` does. Look-alike: a `try` ending by saving the trained model asserts nothing about it."""
    tests = (
        "from pkg.data import load\n\n\n"
        "def test_fit(report):\n"
        "    try:\n        trainer = Trainer(max_epochs=1)\n        trainer.fit(TinyNet(lr=0.1), load(2))\n"
        "    except BackendMissing as e:\n        report(e)\n\n\n"
        "def test_fit_and_save(report, tmp_path):\n"
        "    try:\n        net = TinyNet(lr=0.1).fit(load(2))\n        net.save(tmp_path / 'net.pt')\n"
        "    except BackendMissing as e:\n        report(e)\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_train.py": tests})
    hits = findings(tmp_path, "TST004")
    assert [(h.line, h.severity.value) for h in hits] == [(4, "info"), (12, "warning")]


def test_tst004_a_unittest_expected_failure_is_exempt_as_an_xfail_test_is(tmp_path: Path) -> None:
    """`@unittest.expectedFailure` is unittest's strict xfail: the body must raise, an unexpected success fails the
    run. Look-alike: the same body under another decorator asserts nothing."""
    tests = (
        "import functools\nimport unittest\n\nfrom pkg.data import load\n\n\n"
        "class TestParams(unittest.TestCase):\n"
        "    @unittest.expectedFailure\n    def test_bad_size(self):\n        load(-1)\n\n"
        "    @functools.lru_cache\n    def test_size(self):\n        load(1)\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_params.py": tests})
    assert [h.line for h in findings(tmp_path, "TST004")] == [13]


PARAMETRIZED_CHECKS = """import pytest

from pkg.data import build_cache


def _count_files(cache):
    assert len(cache.files()) == 3


def evicts_oldest(cache):
    cache.evict()
    _count_files(cache)


def keeps_all(cache):
    assert cache.size() == 3


def warms_up(cache):
    cache.warm()


CHECKS = [evicts_oldest, keeps_all]


@pytest.mark.parametrize("scenario", list(CHECKS))
def test_cache_behaviour(tmp_path, scenario):
    scenario(build_cache(tmp_path))


@pytest.mark.parametrize("step", [keeps_all, warms_up])
def test_cache_steps(tmp_path, step):
    step(build_cache(tmp_path))
"""


def test_tst004_a_test_calling_a_parameter_filled_with_asserting_functions_asserts_through_them(
    tmp_path: Path,
) -> None:
    """Each case of `test_cache_behaviour` runs one of the module's checks, all of which assert (one through a
    helper). Look-alike: `test_cache_steps` is also filled with `warms_up`, which asserts nothing."""
    write_tree(tmp_path, {**LIB, "tests/test_cache.py": PARAMETRIZED_CHECKS})
    assert [h.message for h in findings(tmp_path, "TST004")] == ["Test test_cache_steps asserts nothing"]


def test_tst004_a_test_ending_in_a_loop_that_trains_per_setting_is_a_smoke_test(tmp_path: Path) -> None:
    """`for double in (True, False): ... agent.fit(env)` trains once per setting and checks that each run
    completes; look-alike: a loop ending by saving each model trains nothing at its end, and asserts nothing."""
    tests = (
        "from pkg.data import load\n\n\n"
        "def test_agents_train():\n"
        "    for double in (True, False):\n"
        "        agent = TinyNet(lr=0.1, double=double)\n"
        "        agent.fit(load(2), epochs=1)\n\n\n"
        "def test_agents_save(tmp_path):\n"
        "    for double in (True, False):\n"
        "        agent = TinyNet(lr=0.1, double=double)\n"
        "        agent.save(tmp_path / f'{double}.pt')\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_agents.py": tests})
    hits = findings(tmp_path, "TST004")
    assert [(h.line, h.severity.value, h.message) for h in hits] == [
        (4, "info", "Test test_agents_train only runs training (a smoke test)"),
        (10, "warning", "Test test_agents_save asserts nothing"),
    ]


def test_tst004_a_test_raising_when_its_check_fails_asserts(tmp_path: Path) -> None:
    """`if errors: raise ValueError(msg)` fails the test as an `assert` would. Look-alikes: a helper raising on a
    bad argument checks its caller, not a result, and re-raising in an `except` handler checks nothing."""
    tests = (
        "from pkg.data import load\n\n\n"
        "def _dataset(kind):\n"
        "    if kind not in ('a', 'b'):\n        raise ValueError(kind)\n"
        "    return load(kind + '.csv')\n\n\n"
        "def test_docstrings_valid():\n"
        "    errors = [e for e in load('doc.csv') if e]\n"
        "    if errors:\n        raise ValueError('\\n'.join(errors))\n\n\n"
        "def test_loads_each_kind():\n    _dataset('a')\n\n\n"
        "def test_retries():\n"
        "    try:\n        load('x.csv')\n"
        "    except OSError as err:\n        if 'busy' in str(err):\n            raise RuntimeError('busy') from err\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_data.py": tests})
    assert [h.message for h in findings(tmp_path, "TST004")] == [
        "Test test_loads_each_kind asserts nothing",
        "Test test_retries asserts nothing",
    ]


def test_tst004_a_comment_closing_the_test_body_declares_it_must_not_raise(tmp_path: Path) -> None:
    tests = (
        "from pkg.data import load\n\n\n"
        "class TestLoad:\n"
        "    def test_constant_band(self):\n        load(0)\n        # Should not raise\n\n"
        "    # the next test runs on real rows; it should not raise either\n"
        "    def test_rows(self):\n        load(2)\n\n\n"
        "def test_negative():\n    load(-1)\n\n\n"
        "# Should not raise: the module's last test is checked elsewhere\n"
        "def test_last():\n    load(3)\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_data.py": tests})
    assert [h.message for h in findings(tmp_path, "TST004")] == [
        "Test TestLoad.test_rows asserts nothing",
        "Test test_negative asserts nothing",
        "Test test_last asserts nothing",
    ]


HARNESS = (
    "import numpy as np\n\n\n"
    "def compare(result, expect, rtol=1e-5):\n    assert np.allclose(result, expect, rtol=rtol)\n\n\n"
    "class ExportCase:\n"
    "    def __init__(self, net, opsets):\n        self.net, self.opsets = net, opsets\n\n"
    "    def run(self):\n        for opset in self.opsets:\n"
    "            compare(self.net.export(opset).run(), self.net.run())\n"
)
HARNESS_TEST = (
    "from export_harness import ExportCase\nfrom nets import AbsNet\n\n\n"
    "def test_abs_opset_11():\n    case = ExportCase(AbsNet(), [11])\n    case.run()\n"
)


def test_tst004_a_method_of_a_test_harness_instance_the_test_builds_asserts(tmp_path: Path) -> None:
    files = {
        "src/convert/__init__.py": "",
        "tests/export_harness.py": HARNESS,
        "tests/nets.py": "class AbsNet:\n    pass\n",
        "tests/test_abs.py": HARNESS_TEST,
    }
    write_tree(tmp_path, files)
    assert findings(tmp_path, "TST004") == []


def test_tst004_a_method_of_a_library_object_with_its_own_input_checks_is_no_assertion(tmp_path: Path) -> None:
    exporter = (
        "class Exporter:\n    def __init__(self, opset):\n        self.opset = opset\n\n"
        "    def export(self, net):\n        assert self.opset >= 7, 'opset too old'\n        return net\n"
    )
    test = "from convert.exporter import Exporter\n\n\ndef test_export_abs():\n    exp = Exporter(11)\n    exp.export(object())\n"
    files = {"src/convert/__init__.py": "", "src/convert/exporter.py": exporter, "tests/test_export.py": test}
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "TST004")
    assert "test_export_abs" in hit.message
