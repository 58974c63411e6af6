"""Tests for the testing practice rules."""

from __future__ import annotations

import os
from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, run_audit, run_audit_rules_only, write_tree

LIB = {
    "pkg/__init__.py": "from .data import load\n",
    "pkg/data.py": "def load(path):\n" + "".join(f"    x{i} = {i}\n" for i in range(10)) + "    return path\n",
    "pkg/features.py": "def build(df):\n" + "".join(f"    y{i} = {i}\n" for i in range(10)) + "    return df\n",
    "pkg/report.py": "def render(r):\n" + "".join(f"    z{i} = {i}\n" for i in range(10)) + "    return r\n",
    "pkg/config.py": "".join(f"LR_{i} = {i}\n" for i in range(15)),
}


def test_tst001_fires_without_tests(tmp_path: Path) -> None:
    write_tree(tmp_path, LIB)
    [hit] = findings(tmp_path, "TST001")
    assert hit.severity is Severity.ERROR and hit.path is None


def test_tst001_silent_with_unittest_class(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            **LIB,
            "tests/test_data.py": (
                "import unittest\nfrom pkg.data import load\n\n\n"
                "class DataCase(unittest.TestCase):\n"
                "    def test_load(self):\n"
                "        self.assertEqual(load('x'), 'x')\n"
            ),
        },
    )
    assert findings(tmp_path, "TST001") == []


def test_tst002_metrics_count_functions_and_cases(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            **LIB,
            "tests/test_data.py": (
                "import pytest\nfrom pkg.data import load\n\n\n"
                "@pytest.mark.parametrize('p', ['a', 'b', 'c'])\n"
                "def test_load(p):\n    assert load(p) == p\n\n\n"
                "def test_other():\n    assert load('x')\n"
            ),
        },
    )
    practice = run_audit_rules_only(tmp_path, select=("TST002",)).practice("testing")
    assert practice.metrics["test_functions"] == 2
    assert practice.metrics["parametrized_cases"] == 3
    ratio = practice.metrics["test_to_code_ratio"]
    assert isinstance(ratio, float) and 0 < ratio < 0.5
    assert [d.rule for d in practice.deductions] == ["TST002"]


def test_tst003_names_untested_modules_by_importance(tmp_path: Path) -> None:
    write_tree(
        tmp_path, {**LIB, "tests/test_data.py": "from pkg.data import load\n\n\ndef test_l():\n    assert load(1)\n"}
    )
    hits = {h.path: h for h in findings(tmp_path, "TST003")}
    assert set(hits) == {"pkg/features.py", "pkg/report.py"}
    assert (
        hits["pkg/features.py"].severity is Severity.WARNING
        and "pkg.features (features)" in hits["pkg/features.py"].message
    )
    assert hits["pkg/report.py"].severity is Severity.INFO


def test_tst003_counts_package_attribute_reexport_and_patch(tmp_path: Path) -> None:
    tests = (
        "import pkg\nfrom unittest import mock\nfrom pkg import load\n\n\n"
        "def test_all():\n"
        "    assert pkg.features.build(1) == 1\n"
        "    with mock.patch('pkg.report.render') as r:\n"
        "        r.assert_not_called()\n"
        "    assert load(2) == 2\n"
    )
    write_tree(tmp_path, {**LIB, "pkg/data.py": LIB["pkg/data.py"], "tests/test_pkg.py": tests})
    assert findings(tmp_path, "TST003") == []


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


def test_tst005_empty_test_module_but_not_helper_module(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "tests/test_features.py": "import pytest\n",
            "tests/test_helpers.py": "def make_frame():\n    return 1\n",
            "tests/conftest.py": "import pytest\n",
        },
    )
    assert [h.path for h in findings(tmp_path, "TST005")] == ["tests/test_features.py"]


def test_tst006_manual_exception_check(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "tests/test_data.py": (
                "def test_bad():\n"
                "    try:\n        load('x')\n    except ValueError:\n        assert True\n    else:\n        assert False\n\n\n"
                "def test_cleanup():\n"
                "    try:\n        assert load('x') == 1\n    except KeyError:\n        pass\n"
            )
        },
    )
    [hit] = findings(tmp_path, "TST006")
    assert hit.line == 2 and "ValueError" in hit.message and "pytest.raises(ValueError)" in hit.fix


def test_tst007_not_checked_without_coverage_data(tmp_path: Path) -> None:
    write_tree(tmp_path, {**LIB, "tests/test_a.py": "def test_a():\n    assert 1\n"})
    report = run_audit(tmp_path, select=("TST007",))
    assert [(n.check, n.reason) for n in report.not_checked] == [
        ("coverage", "no coverage data; run pytest --cov or use --run-tests")
    ]


def test_tst007_to_009_from_coverage_xml(tmp_path: Path) -> None:
    xml = (
        '<?xml version="1.0" ?>\n<coverage line-rate="0.4" version="7">\n'
        "<sources><source>/home/ci/work/repo</source></sources><packages><package><classes>\n"
        '<class filename="pkg/data.py"><lines><line number="1" hits="1"/><line number="2" hits="1"/></lines></class>\n'
        '<class filename="pkg/features.py"><lines><line number="1" hits="1"/><line number="2" hits="0"/>'
        '<line number="3" hits="0"/></lines></class>\n'
        "</classes></package></packages></coverage>\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_a.py": "def test_a():\n    assert 1\n", "coverage.xml": xml})
    report = run_audit_rules_only(tmp_path, select=("TST007", "TST008", "TST009"))
    metrics = report.practice("testing").metrics
    assert metrics["coverage_total"] == 40.0 and metrics["coverage_source"] == "coverage.xml"
    assert [d.rule for d in report.practice("testing").deductions] == ["TST007"]
    assert [(f.rule, f.path) for f in report.findings] == [("TST008", "pkg/features.py")]
    assert metrics["coverage_stale"] == "no"


def test_tst010_fires_without_pytest_config_and_not_with_it(tmp_path: Path) -> None:
    write_tree(tmp_path, {**LIB, "tests/test_a.py": "def test_a():\n    assert 1\n"})
    assert len(findings(tmp_path, "TST010")) == 1
    write_tree(tmp_path, {"pytest.ini": "[pytest]\ntestpaths = tests\n"})
    assert findings(tmp_path, "TST010") == []


def test_tst008_flags_the_mostly_untested_file_only(tmp_path: Path) -> None:
    xml = (
        '<?xml version="1.0" ?>\n<coverage line-rate="0.4" version="7">\n'
        "<sources><source>/home/ci/work/repo</source></sources><packages><package><classes>\n"
        '<class filename="pkg/data.py"><lines><line number="1" hits="1"/><line number="2" hits="1"/></lines></class>\n'
        '<class filename="pkg/features.py"><lines><line number="1" hits="1"/><line number="2" hits="0"/>'
        '<line number="3" hits="0"/></lines></class>\n'
        "</classes></package></packages></coverage>\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_a.py": "def test_a():\n    assert 1\n", "coverage.xml": xml})
    report = run_audit_rules_only(tmp_path, select=("TST008",))
    assert [(f.rule, f.path) for f in report.findings] == [("TST008", "pkg/features.py")]


def test_tst009_flags_coverage_data_older_than_a_source_but_not_fresh_data(tmp_path: Path) -> None:
    xml = (
        '<?xml version="1.0" ?>\n<coverage line-rate="1.0" version="7">\n'
        "<sources><source>/home/ci/work/repo</source></sources><packages><package><classes>\n"
        '<class filename="pkg/data.py"><lines><line number="1" hits="1"/></lines></class>\n'
        "</classes></package></packages></coverage>\n"
    )
    write_tree(tmp_path, {**LIB, "tests/test_a.py": "def test_a():\n    assert 1\n", "coverage.xml": xml})
    source_time = os.path.getmtime(tmp_path / "pkg/data.py")
    for path in tmp_path.rglob("*.py"):
        os.utime(path, (source_time - 7200,) * 2)
    os.utime(tmp_path / "coverage.xml", (source_time - 3600,) * 2)
    os.utime(tmp_path / "pkg/data.py", (source_time,) * 2)
    [stale] = run_audit_rules_only(tmp_path, select=("TST009",)).findings
    assert stale.path == "coverage.xml" and "pkg/data.py" in stale.message
    os.utime(tmp_path / "coverage.xml", (source_time + 3600,) * 2)
    assert run_audit_rules_only(tmp_path, select=("TST009",)).findings == ()


def test_tst010_and_tst011_runner_and_ci(tmp_path: Path) -> None:
    write_tree(tmp_path, {**LIB, "tests/test_a.py": "def test_a():\n    assert 1\n"})
    assert len(findings(tmp_path, "TST010")) == 1
    [ci] = findings(tmp_path, "TST011")
    assert ci.path is None and ci.severity is Severity.WARNING
    write_tree(tmp_path, {".github/workflows/lint.yml": "jobs:\n  l:\n    steps:\n      - run: ruff check .\n"})
    [ci] = findings(tmp_path, "TST011")
    assert ci.path == ".github/workflows/lint.yml"
    write_tree(
        tmp_path,
        {
            ".github/workflows/ci.yml": "jobs:\n  t:\n    steps:\n      - run: uv run pytest --cov\n",
            "pyproject.toml": "[project]\nname='x'\n\n[tool.pytest.ini_options]\ntestpaths = ['tests']\n",
        },
    )
    assert findings(tmp_path, "TST010") == [] and findings(tmp_path, "TST011") == []


def test_tst011_follows_the_script_a_ci_step_calls(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/core.py": "def add(a, b):\n    return a + b\n",
        "tests/test_core.py": "from pkg.core import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
        ".ci/run": "#!/usr/bin/env bash\nset -e\nbash scripts/test.sh\n",
        "scripts/test.sh": "python -m venv .venv\n.venv/bin/python -m pytest -q\n",
    }
    write_tree(tmp_path, files)
    assert findings(tmp_path, "TST011") == []
    write_tree(tmp_path, {"scripts/test.sh": "python -m venv .venv\necho built\n"})
    [hit] = findings(tmp_path, "TST011")
    assert hit.path == ".ci/run" and "does not run the tests" in hit.message


def _module(body: str) -> str:
    padding = "".join(f"    v{i} = {i}\n" for i in range(10))
    return body + "\n\ndef _pad():\n" + padding + "    return v0\n"


def test_tst003_end_to_end_call_reaches_the_modules_it_uses(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "speech/__init__.py": "from .model import load_model\n",
            "speech/model.py": _module(
                "from .decoding import decode as decode_function\n\n\n"
                "class Model:\n    decode = decode_function\n\n\n"
                "def load_model(name):\n    return Model()\n"
            ),
            "speech/decoding.py": _module(
                "from .features import frames\n\n\ndef decode(model, x):\n    return frames(x)\n"
            ),
            "speech/features.py": _module("def frames(x):\n    return [x]\n"),
            "speech/metrics.py": _module("def wer(a, b):\n    return 0.0\n"),
            "tests/test_e2e.py": "import speech\n\n\ndef test_decode():\n    assert speech.load_model('t').decode(1)\n",
        },
    )
    assert [h.path for h in findings(tmp_path, "TST003")] == ["speech/metrics.py"]


def test_tst003_registry_call_reaches_every_registered_module(tmp_path: Path) -> None:
    registry = (
        "_ENTRIES = {}\n\n\ndef register_model(fn):\n    _ENTRIES[fn.__name__] = fn\n    return fn\n\n\n"
        "def list_models():\n    return sorted(_ENTRIES)\n\n\n"
        "def create_model(name):\n    return _ENTRIES[name]()\n"
    )
    net = "from zoo.registry import register_model\n\n\n@register_model\ndef {name}():\n    return object()\n"
    files = {
        "zoo/__init__.py": "from .registry import create_model, list_models\nfrom . import resnet, vit\n",
        "zoo/registry.py": _module(registry),
        "zoo/resnet.py": _module(net.format(name="resnet18")),
        "zoo/vit.py": _module(net.format(name="vit_tiny")),
        "zoo/losses.py": _module("def focal(x):\n    return x\n"),
        "tests/test_zoo.py": (
            "import pytest\n\nfrom zoo import create_model, list_models\n\n\n"
            "@pytest.mark.parametrize('name', list_models())\n"
            "def test_create(name):\n    assert create_model(name) is not None\n"
        ),
    }
    write_tree(tmp_path, files)
    assert [h.path for h in findings(tmp_path, "TST003")] == ["zoo/losses.py"]


def test_tst011_smoke_scripts_in_ci_are_an_info_not_a_warning(tmp_path: Path) -> None:
    workflow = "jobs:\n  smoke:\n    steps:\n      - run: python train.py --epochs 1\n      - run: python -m pkg.core\n"
    write_tree(
        tmp_path,
        {**LIB, "train.py": "print('train')\n", "tests/test_a.py": "def test_a():\n    assert 1\n"},
    )
    write_tree(tmp_path, {".github/workflows/ci.yml": workflow})
    [hit] = findings(tmp_path, "TST011")
    assert hit.severity is Severity.INFO and "train.py" in hit.message
    write_tree(tmp_path, {".github/workflows/ci.yml": "jobs:\n  b:\n    steps:\n      - run: echo hi\n"})
    [hit] = findings(tmp_path, "TST011")
    assert hit.severity is Severity.WARNING


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
