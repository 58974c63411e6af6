"""Tests for the parsed project: encodings, notebooks, magics, and bad inputs as skip entries."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from mlaudit.model import FileKind
from mlaudit.project import neutralise_magics
from tests.helpers import project_of, write_tree


def notebook(*cells: tuple[str, str], outputs: list[dict[str, object]] | None = None) -> str:
    """Return nbformat-4 JSON with the given (cell_type, source) cells."""
    raw = []
    for cell_type, source in cells:
        cell: dict[str, object] = {"cell_type": cell_type, "metadata": {}, "source": source.splitlines(True)}
        if cell_type == "code":
            cell["outputs"] = outputs or []
            cell["execution_count"] = None
        raw.append(cell)
    return json.dumps({"cells": raw, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def test_pep263_latin1_source_is_decoded(tmp_path: Path) -> None:
    text = "# -*- coding: latin-1 -*-\nname = 'café'\n"
    write_tree(tmp_path, {"pkg/a.py": text.encode("latin-1")})
    project = project_of(tmp_path)
    assert "café" in project.python["pkg/a.py"].text
    assert project.skipped == []


@pytest.mark.parametrize(
    ("files", "path", "reason"),
    [
        ({"old.py": "print 'hello'\n"}, "old.py", "syntax error at line 1"),
        ({"bad.py": b"x = '\xff\xfe'\n"}, "bad.py", "cannot decode"),
        ({"bin.py": b"\x00\x01\x02"}, "bin.py", "binary content"),
        ({"nb.ipynb": "{not json"}, "nb.ipynb", "broken notebook: not valid JSON"),
        ({"nb.ipynb": '{"worksheets": []}'}, "nb.ipynb", "no 'cells' list"),
    ],
)
def test_bad_inputs_become_skip_entries(tmp_path: Path, files: dict[str, str | bytes], path: str, reason: str) -> None:
    write_tree(tmp_path, files)
    project = project_of(tmp_path)
    assert path not in project.python
    [skip] = [s for s in project.skipped if s.path == path]
    assert reason in skip.reason


def test_huge_python_file_is_skipped(tmp_path: Path) -> None:
    write_tree(tmp_path, {"big.py": "x = 1\n" * 900_000})
    project = project_of(tmp_path)
    [skip] = project.skipped
    assert skip.path == "big.py" and "too large" in skip.reason


def test_unreadable_file_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"a.py": "x = 1\n", "b.py": "y = 2\n"})
    from mlaudit.discover import read_regular as real

    def deny(path: Path, root: Path | None = None, limit: int | None = None) -> bytes:
        if path.name == "a.py":
            raise PermissionError(13, "Permission denied")
        return real(path, root, limit)

    monkeypatch.setattr("mlaudit.project.read_regular", deny)
    project = project_of(tmp_path)
    assert list(project.python) == ["b.py"]
    assert project.skipped[0].path == "a.py" and "Permission denied" in project.skipped[0].reason


def test_notebook_cells_map_back_to_cell_and_line(tmp_path: Path) -> None:
    nb = notebook(
        ("markdown", "# Title"),
        ("code", "%matplotlib inline\nimport numpy as np"),
        ("code", "!pip install torch\nx = np.random.rand(3)\nfiles = !ls"),
    )
    write_tree(tmp_path, {"notebooks/eda.ipynb": nb})
    pf = project_of(tmp_path).python["notebooks/eda.ipynb"]
    assert pf.kind is FileKind.NOTEBOOK and len(pf.cells) == 3
    [call] = [c for c in pf.nodes(ast.Call) if pf.call_name(c) == "numpy.random.rand"]
    where = pf.where(call.lineno)
    assert (where.cell, where.line) == (3, 2)


def test_notebook_cell_with_syntax_error_does_not_hide_other_cells(tmp_path: Path) -> None:
    nb = notebook(("code", "def broken(:\n    pass"), ("code", "import os\nos.getcwd()"))
    write_tree(tmp_path, {"nb.ipynb": nb})
    pf = project_of(tmp_path).python["nb.ipynb"]
    assert "os" in pf.imports


def test_neutralise_magics_keeps_line_numbers() -> None:
    code = "%%time\nif x:\n  !ls\ny = %env HOME\ndf.head?"
    out = neutralise_magics(code)
    assert len(out.splitlines()) == 5
    ast.parse(out)


def test_non_python_cell_magics_are_commented_out() -> None:
    out = neutralise_magics("%%bash\nls -la | grep x")
    assert all(line.startswith("#") for line in out.splitlines())


def test_qualname_resolves_aliases(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.py": "import numpy as np\nfrom torch import nn\nnp.linalg.norm(x)\nnn.Dropout(0.1)\n"})
    pf = project_of(tmp_path).python["a.py"]
    names = sorted(filter(None, (pf.call_name(c) for c in pf.nodes(ast.Call))))
    assert names == ["numpy.linalg.norm", "torch.nn.Dropout"]


WITHIN_SOURCE = """import functools


@functools.lru_cache(maxsize=load(8))
def outer(x=default()):
    def inner(y):
        return f"{y.name!r:>{width(y)}}" + str(transform(y))

    result = [inner(v) for v in x if check(v)]
    total = sum(result, start=zero())
    return (lambda z: z.item())(total)


@register("model")
class Model(Base, metaclass=meta()):
    size = compute()

    def forward(self, batch):
        self.cache = build(batch)
        return self.layer(batch).mean()


after(outer(1), Model())
"""


def test_within_finds_what_ast_walk_finds_in_source_order(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.py": WITHIN_SOURCE})
    pf = project_of(tmp_path).python["a.py"]
    specs = {id(n.format_spec) for n in ast.walk(pf.tree) if isinstance(n, ast.FormattedValue) and n.format_spec}
    parts = (ast.Constant, ast.FormattedValue)  # 3.11 gives f-string parts and specs the whole string's position
    scopes = [n for n in ast.walk(pf.tree) if isinstance(n, ast.stmt | ast.expr) and not isinstance(n, parts)]
    scopes = [n for n in scopes if id(n) not in specs]
    for scope in scopes:
        for kind in (ast.Call, ast.Name, ast.Assign):
            walked = sorted((n for n in ast.walk(scope) if isinstance(n, kind)), key=lambda n: (n.lineno, n.col_offset))
            assert pf.within(scope, kind) == walked, (ast.dump(scope)[:60], kind.__name__)
    outer = pf.tree.body[1]
    assert [ast.unparse(c.func) for c in pf.within(outer, ast.Call)][:3] == ["functools.lru_cache", "load", "default"]
    assert all(c.lineno > 15 for c in pf.within(pf.tree.body[2], ast.Call)[2:])  # the class's own, after its decorator
    assert [n.lineno for n in pf.name_nodes(outer, "result")] == [9, 10]
    assert [n.lineno for n in pf.name_nodes(outer, "result", ast.Store)] == [9]
    assert [n.lineno for n in pf.name_nodes(pf.tree, "outer")] == [
        23
    ]  # the module: its top-level call (a def binds no Name)


STAR_USER = """from .basics import *


def load_learner(path, np=None):
    os = path.parent
    learn = torch.load(path)
    with torch.no_grad():
        return learn, np.stack([]), os.name, pd.read_csv(path)


def pd():
    return None
"""


def test_well_known_modules_a_star_import_brings_resolve(tmp_path: Path) -> None:
    """`from .basics import *` brings the `import torch` of basics: `torch.load` resolves; look-alikes: names the
    module binds itself (a parameter `np`, a local `os`, a function `pd`) stay its own, and without a star
    import an unbound `torch` resolves to nothing."""
    write_tree(tmp_path, {"lib/__init__.py": "", "lib/basics.py": "import torch\n", "lib/learner.py": STAR_USER})
    pf = project_of(tmp_path).python["lib/learner.py"]
    names = [pf.call_name(c) for c in pf.nodes(ast.Call)]
    assert names == ["torch.load", "torch.no_grad", None, None]
    plain = STAR_USER.replace("from .basics import *\n", "")
    write_tree(tmp_path / "b", {"lib/__init__.py": "", "lib/learner.py": plain})
    pf = project_of(tmp_path / "b").python["lib/learner.py"]
    assert {pf.call_name(c) for c in pf.nodes(ast.Call)} == {None}


def test_a_loose_module_naming_its_interpreter_is_a_script(tmp_path: Path) -> None:
    """`#!/usr/bin/env python3` says the file is run, not imported; inside a package, or without it, it stays code."""
    body = "import logging\nimport sys\nlogging.basicConfig(level=logging.INFO)\nlogging.info(sys.argv[1])\n"
    write_tree(
        tmp_path,
        {
            "misc/batch.py": "#!/usr/bin/env python3\n" + body,
            "misc/helpers.py": body,
            "pkg/__init__.py": "",
            "pkg/run.py": "#!/usr/bin/env python3\n" + body,
        },
    )
    kinds = {f.path: f.kind for f in project_of(tmp_path).files}
    assert kinds["misc/batch.py"] is FileKind.SCRIPT
    assert kinds["misc/helpers.py"] is FileKind.LIBRARY
    assert kinds["pkg/run.py"] is FileKind.LIBRARY


def test_guarded_loose_module_is_a_script(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "train.py": "def main():\n    pass\n\nif __name__ == '__main__':\n    main()\n",
            "pkg/__init__.py": "",
            "pkg/cli.py": "if __name__ == '__main__':\n    pass\n",
        },
    )
    project = project_of(tmp_path)
    kinds = {f.path: f.kind for f in project.files}
    assert kinds["train.py"] is FileKind.SCRIPT
    assert kinds["pkg/cli.py"] is FileKind.LIBRARY


def test_test_named_modules_the_library_imports_are_library_code(tmp_path: Path) -> None:
    checks = "from dq.checks.base import Check\n\n\nclass NotNull(Check):\n    def run(self, col):\n        return col.notna().all()\n"
    write_tree(
        tmp_path,
        {
            "dq/__init__.py": "",
            "dq/report.py": "from dq.checks.null_checks import NotNull\n\n\ndef build(cols):\n    return [NotNull() for _ in cols]\n",
            "dq/checks/__init__.py": "",
            "dq/checks/base.py": "class Check:\n    def run(self, col):\n        raise NotImplementedError\n",
            "dq/checks/null_checks.py": checks,
            "dq/tests/__init__.py": "from dq.tests.test_suite import TestSuite\n",
            "dq/tests/test_suite.py": "class TestSuite:\n    def test_all(self, cols):\n        return all(cols)\n",
            "dq/dashboard.py": "from dq.tests.test_suite import TestSuite\n\nSUITE = TestSuite\n",
            "tests/__init__.py": "",
            "tests/helpers.py": "def frame():\n    return [1, 2]\n",
            "tests/test_report.py": "from dq.report import build\nfrom tests.helpers import frame\n\n\ndef test_build():\n    assert build(frame())\n",
            "tests/conftest.py": "import pytest\n",
            "dq/tests/fixtures.py": "def frame():\n    return [1, None]\n",
            "dq/params.py": "def test_params():\n    from dq.tests.fixtures import frame\n\n    return frame()\n",
        },
    )
    kinds = {f.path: f.kind for f in project_of(tmp_path).files}
    assert kinds["dq/tests/fixtures.py"] is FileKind.TEST  # imported only when a function runs: test support
    assert kinds["dq/tests/test_suite.py"] is FileKind.LIBRARY  # imported by dq/dashboard.py
    assert kinds["dq/tests/__init__.py"] is FileKind.LIBRARY  # Python runs it to import the module above
    # the test suite and its helpers are imported by tests only
    assert [kinds[p] for p in ("tests/helpers.py", "tests/test_report.py", "tests/conftest.py")] == [FileKind.TEST] * 3


def test_a_test_suite_the_library_imports_to_run_it_stays_tests(tmp_path: Path) -> None:
    """`mylib test` imports the package's unittest suite to run it: its TestCase modules are still tests,
    while a test-named module of checks the library runs on data (no TestCase, no pytest) is library code."""
    suite = (
        "import unittest\n\nfrom fit.model import fit\nfrom fit.tests.params import DEFAULTS\n\n\n"
        "class TestFit(unittest.TestCase):\n    def test_fit(self):\n        self.assertEqual(fit(DEFAULTS), 1)\n\n\n"
        "def runtests():\n    return unittest.TextTestRunner().run(unittest.makeSuite(TestFit))\n"
    )
    pytest_suite = "import pytest\n\nfrom fit.model import fit\n\n\ndef test_fit():\n    assert fit({}) == 1\n"
    write_tree(
        tmp_path,
        {
            "fit/__init__.py": "",
            "fit/model.py": "def fit(params):\n    return 1\n",
            "fit/cli.py": "from fit.tests import runtests\n\n\ndef main():\n    runtests()\n",
            "fit/tests/__init__.py": "from fit.tests.test_fit import runtests\nfrom fit.tests.test_more import test_fit\n",
            "fit/tests/test_fit.py": suite,
            "fit/tests/test_more.py": pytest_suite,
            "fit/tests/params.py": "DEFAULTS = {}\n",
            "fit/checks/__init__.py": "from fit.checks.test_columns import TestColumns\n",
            "fit/checks/test_columns.py": "class TestColumns:\n    def test_nulls(self, frame):\n        return frame.notna().all()\n",
            "fit/report.py": "from fit.checks import TestColumns\n",
        },
    )
    kinds = {f.path: f.kind for f in project_of(tmp_path).files}
    assert [kinds[p] for p in ("fit/tests/test_fit.py", "fit/tests/test_more.py", "fit/tests/params.py")] == [
        FileKind.TEST
    ] * 3
    assert kinds["fit/checks/test_columns.py"] is FileKind.LIBRARY  # a data check the library runs, not a test


def test_a_test_named_module_of_a_package_that_collects_no_test_is_library_code(tmp_path: Path) -> None:
    """A behavioural-testing library names its API for its domain: `probe/test_suite.py` defining `class TestSuite`
    (with `__init__`, no `test*` method) collects no test and imports no test framework, so it is library code
    its users import. Look-alikes: a package module named like a test that defines a test, imports pytest for
    its fixtures, holds test utilities (`test_utils.py`), runs as a script or defines nothing (a scratch check
    printing at its top level), and a module of a tests folder, stay tests."""
    suite = (
        "from probe.test_types import Invariance\n\n\n"
        "class TestSuite:\n    def __init__(self):\n        self.tests = {}\n\n"
        "    def add(self, name, test):\n        self.tests[name] = test\n\n"
        "    def run(self, predict):\n        return {n: t.run(predict) for n, t in self.tests.items()}\n"
    )
    types = (
        "class Invariance:\n    def __init__(self, data):\n        self.data = data\n\n"
        "    def run(self, predict):\n        return len({predict(x) for x in self.data}) == 1\n"
    )
    write_tree(
        tmp_path,
        {
            "probe/__init__.py": "",
            "probe/test_suite.py": suite,
            "probe/test_types.py": types,
            "probe/test_smoke.py": "from probe.test_suite import TestSuite\n\n\ndef test_empty():\n    assert TestSuite().run(len) == {}\n",
            "probe/test_helpers.py": "import pytest\n\n\n@pytest.fixture\ndef suite():\n    return []\n",
            "probe/test_utils.py": "def tiny_model():\n    return len\n",
            "probe/test_speed.py": "import time\n\nif __name__ == '__main__':\n    print(time.time())\n",
            "probe/test_overflow.py": "import math\n\nfor k in range(3):\n    print(k, math.exp(k))\n",
            "tests/test_support.py": "def make_suite():\n    return []\n",
            # a test case whose tests its base defines: it only sets what they check
            "probe/suite_test.py": (
                "from probe import testing\nfrom probe.test_suite import TestSuite\n\n\n"
                "class SuiteTest(testing.ComponentTestCase):\n    COMPONENT = TestSuite\n    EXPECTED = {}\n"
            ),
        },
    )
    kinds = {f.path: f.kind for f in project_of(tmp_path).files}
    assert kinds["probe/test_suite.py"] is FileKind.LIBRARY and kinds["probe/test_types.py"] is FileKind.LIBRARY
    # a test, pytest fixtures, test utilities, a check run by hand, a tests folder's helpers and a test case
    # inheriting its tests stay tests
    stay = ("probe/test_smoke.py", "probe/test_helpers.py", "probe/test_utils.py", "probe/test_speed.py")
    assert [kinds[p] for p in (*stay, "probe/test_overflow.py", "tests/test_support.py", "probe/suite_test.py")] == [
        FileKind.TEST
    ] * 7


def test_a_tools_or_benchmarks_sub_package_of_a_package_is_library_code(tmp_path: Path) -> None:
    """`agentlib/tools/` holds the tools the library's agents call; a top-level `tools/` holds helper scripts."""
    tool = "class SearchTool:\n    def __call__(self, query):\n        return [query]\n"
    write_tree(
        tmp_path,
        {
            "agentlib/__init__.py": "",
            "agentlib/tools/__init__.py": "from agentlib.tools.search import SearchTool\n",
            "agentlib/tools/search.py": tool,
            "agentlib/tools/__main__.py": "print('tools')\n",
            "agentlib/evals/__init__.py": "",
            "agentlib/evals/benchmarks/__init__.py": "",
            "agentlib/evals/benchmarks/qa.py": "class QABenchmark:\n    pass\n",
            "agentlib/bench/__init__.py": "",
            "agentlib/bench/suite.py": "class LatencySuite:\n    pass\n",
            "agentlib/scripts/__init__.py": "",
            "agentlib/scripts/convert.py": "print('converting')\n",
            "tools/__init__.py": "",
            "tools/make_release.py": "print('release')\n",
            "benchmarks/speed.py": "print('speed')\n",
            "bench/throughput.py": "print('throughput')\n",
        },
    )
    kinds = {f.path: f.kind for f in project_of(tmp_path).files}
    library = (
        "agentlib/tools/__init__.py",
        "agentlib/tools/search.py",
        "agentlib/evals/benchmarks/qa.py",
        "agentlib/bench/suite.py",
    )
    assert [kinds[p] for p in library] == [FileKind.LIBRARY] * 4
    # a program whatever its folder; a package's scripts; top-level helper folders
    scripts = (
        "agentlib/tools/__main__.py",
        "agentlib/scripts/convert.py",
        "tools/make_release.py",
        "benchmarks/speed.py",
        "bench/throughput.py",
    )
    assert [kinds[p] for p in scripts] == [FileKind.SCRIPT] * 5


GENERATED_MODEL = (
    '# Copyright 2024 The Authors.\n\n"""\n    Inventory API\n\n    Generated by: https://openapi-generator.tech\n"""\n\n\n'
    "class V1Item:\n    def __init__(self, name=None):\n        self.name = name\n"
)
TEMPLATE_WRITER = (
    'CLIENT = """# This file is auto-generated by our server. DO NOT EDIT.\nimport requests\n"""\n\n\n'
    "def write_client(path):\n    path.write_text(CLIENT)\n"
)
DJANGO_MIGRATION = (
    "# Generated by Django 4.2.7 on 2024-01-15 09:12\n\nfrom django.db import migrations, models\n\n\n"
    "class Migration(migrations.Migration):\n    dependencies = [('pkg', '0001_initial')]\n"
    "    operations = [migrations.AddField('item', 'label', models.CharField(max_length=64))]\n"
)
NOTEBOOK_EXPORT = (
    "# AUTOGENERATED! DO NOT EDIT! File to edit: ../nbs/01_core.ipynb.\n\n"
    "__all__ = ['fit']\n\n\ndef fit(model, data):\n    return model.fit(data)\n"
)


def test_modules_a_generator_wrote_are_skipped_but_templates_and_notebook_exports_are_code(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/models/v1_item.py": GENERATED_MODEL,
            "pkg/codegen.py": TEMPLATE_WRITER,
            "pkg/core.py": NOTEBOOK_EXPORT,
            "pkg/proto_types.py": "# @generated by protoc-gen-mypy\nclass Msg:\n    pass\n",
            "pkg/thresholds.py": "# DO NOT EDIT without sign-off from the risk team.\nLIMIT = 0.7\n",
            "pkg/schema.py": "# Code generated by schemagen. DO NOT EDIT.\nFIELDS = ('a',)\n",
            "pkg/migrations/0002_label.py": DJANGO_MIGRATION,
            "pkg/report.py": "# Generated by the nightly job on 2024-03-01 for the review.\nROWS = 3\n",
        },
    )
    project = project_of(tmp_path)
    kinds = {f.path: f.kind for f in project.files}
    skipped = {s.path: s.reason for s in project.skipped}
    assert set(skipped) == {
        "pkg/models/v1_item.py",
        "pkg/proto_types.py",
        "pkg/schema.py",
        "pkg/migrations/0002_label.py",
    }
    assert all(kinds[path] is FileKind.OTHER for path in skipped)
    assert "generated by a tool" in skipped["pkg/models/v1_item.py"]
    judged = [pf.path for pf in project.python_of(FileKind.LIBRARY)]
    assert judged == ["pkg/__init__.py", "pkg/codegen.py", "pkg/core.py", "pkg/report.py", "pkg/thresholds.py"]


ALEMBIC_REVISION = (
    '"""add label to item\n\nRevision ID: 0.31.1\nRevises: 0c1d2e3f4a5b\nCreate Date: 2024-01-15 09:12:00.123456\n\n"""\n\n'
    "import sqlalchemy as sa\nfrom alembic import op\n\nrevision = '3f2a1b9c0d4e'\ndown_revision = '0c1d2e3f4a5b'\n\n\n"
    "def upgrade() -> None:\n    op.add_column('item', sa.Column('label', sa.String(64)))\n"
)
MIGRATION_HELPER = (
    '"""Helpers the revisions share.\n\nRevision ID: the hash alembic gives each revision, read from the script."""\n\n'
    "from alembic import op\n\n\ndef drop_if_exists(table: str) -> None:\n    op.execute(f'DROP TABLE IF EXISTS {table}')\n"
)


def test_an_alembic_revision_script_is_generated_but_a_helper_beside_it_is_code(tmp_path: Path) -> None:
    """`alembic revision` writes the script with its `Revision ID:`/`Revises:` header, as makemigrations does."""
    files = {"pkg/__init__.py": "", "pkg/migrations/versions/3f2a_label.py": ALEMBIC_REVISION}
    write_tree(tmp_path, {**files, "pkg/migrations/helpers.py": MIGRATION_HELPER})
    project = project_of(tmp_path)
    assert [s.path for s in project.skipped] == ["pkg/migrations/versions/3f2a_label.py"]
    assert "pkg/migrations/helpers.py" in [pf.path for pf in project.python_of(FileKind.LIBRARY)]


VERSIONEER_TOOL = (
    "\n# Version: 0.29\n\n"
    '"""The Versioneer - like a rocketeer, but for versions.\n\n'
    'Install it, then run `versioneer install`: it writes the version files that are generated from git tags.\n"""\n\n'
    "import os\n\n\ndef get_root():\n    return os.getcwd()\n"
)
VERSIONEER_TEMPLATE = (
    "# This file helps to compute a version number in source trees obtained from\n"
    "# git-archive tarball.\n#\n# This file is released into the public domain.\n"
    "# Generated by versioneer-0.29\n# https://github.com/python-versioneer/python-versioneer\n\n"
    "def get_keywords():\n    return {}\n"
)
SCM_VERSION = (
    "# file generated by setuptools-scm\n# don't change, don't track in version control\n__version__ = '1.2'\n"
)
OWN_VERSION = '"""Version of the package: generated releases read it."""\n\n__version__ = "1.2.0"\n'


def test_versioneer_and_setuptools_scm_version_files_are_tool_written(tmp_path: Path) -> None:
    files = {
        "versioneer.py": VERSIONEER_TOOL,
        "pkg/__init__.py": "",
        "pkg/_version.py": VERSIONEER_TEMPLATE,
        "lib/__init__.py": "",
        "lib/_version.py": SCM_VERSION,
        "own/__init__.py": "",
        "own/version.py": OWN_VERSION,
    }
    write_tree(tmp_path, files)
    skipped = {s.path for s in project_of(tmp_path).skipped}
    assert skipped == {"versioneer.py", "pkg/_version.py", "lib/_version.py"}


INHERITED_CONFIG = (
    "_base_ = ['../_base_/models/unet.py', '../_base_/schedules/poly_40k.py']\n\n"
    "crop = (512, 512)\n"
    "model = dict(\n    type='EncoderDecoder',\n    decode_head=dict(num_classes=19, dropout=0.1),\n)\n"
    "train_loader = dict(batch_size=8, num_workers=4, persistent_workers=True)\n"
    "optimizer = dict(type='AdamW', lr=6e-5, weight_decay=0.01)\n"
)
COMPOSED_CONFIG = (
    '"""Composed from the base files."""\n'
    "from lab.config import read_base\n\n"
    "with read_base():\n    from .._base_.models.unet import *\n    from .._base_.runtime import *\n\n"
    "model.update(dict(decode_head=dict(num_classes=150)))\n"
    "train_cfg['max_iters'] = 80000\n"
    "runtime.hooks.append(dict(type='EMA'))\n"
)
LAZY_CONFIG = (
    "from lab.config import LazyCall as L\nfrom lab.models import Detector\n\n"
    "model = L(Detector)(depth=50)\ntrain = dict(max_iter=90000)\ntrain.max_iter *= 2\n"
)
SETTINGS_WITH_CODE = "import torch\n\nmodel = dict(type='UNet')\n\nif __name__ == '__main__':\n    print(model)\n"
SETTINGS_THAT_SEED = "import torch\n\ntorch.manual_seed(0)\nmodel = dict(type='UNet')\n"
SETTINGS_WITH_HELPER = "def scaled(lr):\n    return lr * 8\n\n\noptimizer = dict(lr=scaled(0.01))\n"


def test_settings_modules_in_config_folders_are_config_not_code(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "configs/unet/unet_cityscapes.py": INHERITED_CONFIG,
            "configs/unet/unet_ade20k.py": COMPOSED_CONFIG,
            "projects/det/config/retinanet.py": LAZY_CONFIG,
            "demo/detector_cfg/faster_rcnn.py": INHERITED_CONFIG,
            "configs/unet/preview.py": SETTINGS_WITH_CODE,
            "configs/unet/seeded.py": SETTINGS_THAT_SEED,
            "configs/unet/helper.py": SETTINGS_WITH_HELPER,
            "configs/__init__.py": "from .unet import *\n",
            "lab/settings.py": "model = dict(type='UNet')\nlr = 0.01\n",
            "lab/cfgutils/defaults.py": "model = dict(type='UNet')\n",
        },
    )
    kinds = {f.path: f.kind for f in project_of(tmp_path).files}
    assert kinds["configs/unet/unet_cityscapes.py"] is FileKind.CONFIG
    assert kinds["configs/unet/unet_ade20k.py"] is FileKind.CONFIG
    assert kinds["projects/det/config/retinanet.py"] is FileKind.CONFIG
    assert kinds["demo/detector_cfg/faster_rcnn.py"] is FileKind.CONFIG
    assert kinds["configs/unet/preview.py"] is FileKind.SCRIPT  # a program, run on its own
    assert kinds["configs/unet/seeded.py"] is FileKind.LIBRARY  # calls a library at import
    assert kinds["configs/unet/helper.py"] is FileKind.LIBRARY  # defines behaviour
    assert kinds["configs/__init__.py"] is FileKind.LIBRARY  # binds no settings of its own
    assert kinds["lab/settings.py"] is FileKind.LIBRARY  # not in a config folder
    assert kinds["lab/cfgutils/defaults.py"] is FileKind.LIBRARY  # a folder of helpers, not of configs


FLAGGED_CONFIG = (
    "from lab.hooks import EvalHook, VarlenHook\n\n"
    "use_varlen_attn = False\n"
    "custom_hooks = [dict(type=EvalHook, every_n_iters=500)]\n"
    "if use_varlen_attn:\n    custom_hooks += [dict(type=VarlenHook)]\nelse:\n    max_length = 2048\n"
)
FLAGGED_DOWNLOAD = (
    "from lab.hub import fetch\n\n"
    "pretrained = True\n"
    "model = dict(type='UNet')\n"
    "if pretrained:\n    model['weights'] = fetch('unet.pth')\n    fetch('vocab.txt')\n"
)


def test_a_config_choosing_settings_by_a_flag_stays_a_settings_module(tmp_path: Path) -> None:
    """An `if` on a setting whose branches only assign settings is configuration; one that calls a function at
    import (a download) runs code."""
    files = {"configs/llm/qlora_e3.py": FLAGGED_CONFIG, "configs/llm/pretrained.py": FLAGGED_DOWNLOAD}
    write_tree(tmp_path, files)
    kinds = {f.path: f.kind for f in project_of(tmp_path).files}
    assert kinds["configs/llm/qlora_e3.py"] is FileKind.CONFIG
    assert kinds["configs/llm/pretrained.py"] is FileKind.LIBRARY


LOOPED_CONFIG = (
    "_base_ = ['../_base_/default_runtime.py']\n\n"
    "sigma = 15\n"
    "test_dataloader = _base_.test_dataloader\n"
    "for dataloader in test_dataloader:\n"
    "    pipeline = dataloader['dataset']['pipeline']\n"
    "    pipeline[2]['params']['sigma'] = [sigma, sigma]\n"
    "    for metric in dataloader['metrics']:\n        metric['convert_to'] = 'Y'\n"
    "prefetch = False\n"
    "train_pipeline = [dict(type='RandomCrop', size=224)]\n"
    "if not prefetch:\n    train_pipeline.extend([dict(type='ToTensor')])\n"
)
LOOPED_WORK = "from lab.data import convert\n\nsplits = ['train', 'val']\nfor split in splits:\n    convert(split)\n"
SPLIT_CONFIG = "_base_ = ['../_base_/models/flownetc.py']\ntest_dataloader = dict(batch_size=1)\n"


def test_a_config_rewriting_its_settings_in_a_loop_or_by_method_stays_a_settings_module(tmp_path: Path) -> None:
    """A `for` over settings, or an `if` calling a setting's own method (`train_pipeline.extend(...)`), rewrites
    settings; a loop calling a function runs work. A settings module named for the test split (`kitti_test.py`)
    is config, while the same name in a tests folder stays a test."""
    files = {
        "configs/restormer/denoise_sigma15.py": LOOPED_CONFIG,
        "configs/data/convert_all.py": LOOPED_WORK,
        "configs/flownet/flownetc_kitti_test.py": SPLIT_CONFIG,
        "tests/configs/flownetc_kitti_test.py": SPLIT_CONFIG,
    }
    write_tree(tmp_path, files)
    kinds = {f.path: f.kind for f in project_of(tmp_path).files}
    assert kinds["configs/restormer/denoise_sigma15.py"] is FileKind.CONFIG
    assert kinds["configs/data/convert_all.py"] is FileKind.LIBRARY
    assert kinds["configs/flownet/flownetc_kitti_test.py"] is FileKind.CONFIG
    assert kinds["tests/configs/flownetc_kitti_test.py"] is FileKind.TEST


def test_cell_output_bytes_count_images_and_text(tmp_path: Path) -> None:
    image: dict[str, object] = {
        "output_type": "display_data",
        "data": {"image/png": "iVBOR" + "A" * 995},
        "metadata": {},
    }
    text: dict[str, object] = {"output_type": "stream", "name": "stdout", "text": ["hello\n"]}
    write_tree(tmp_path, {"nb.ipynb": notebook(("code", "x = 1"), outputs=[image, text])})
    [cell] = project_of(tmp_path).python["nb.ipynb"].cells
    assert cell.output_bytes == 1000 + len("display_data") + len("stream") + len("stdout") + len("hello\n")
    assert cell.outputs == ("hello\n",)


INDEX_EDGE_CASES = """
import os
from pkg import (a as b, c)

def f(x, /, y=1, *args, k=None, m, **kw) -> int:
    global counter
    merged = {**kw, "x": x, **{"y": y}}
    match x:
        case Point(1, y=2) as p if p:
            pass
        case {"k": v, **rest}:
            pass
        case [1, *others]:
            pass
    total = -x + y * 2 if x < y <= 3 and not m else 0
    total += sum(i for i in range(3) if i)
    lam = lambda q, *, r=None: q or r
    try:
        return f"{total!r:>{8}}" + os.sep
    except* ValueError:
        raise
    finally:
        del merged[0:1, ...]
"""


def test_node_index_matches_a_full_walk(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/edge.py": INDEX_EDGE_CASES})
    pf = project_of(tmp_path).python["pkg/edge.py"]
    singletons = (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop)
    walked = [n for n in ast.walk(pf.tree) if not isinstance(n, singletons)]
    for kind in {type(n) for n in walked}:
        expected = sorted((n for n in walked if type(n) is kind), key=id)
        assert sorted(pf.nodes(kind), key=id) == expected, kind.__name__
    for node in walked:
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, singletons):
                assert pf.parent(child) is node
    calls = pf.nodes(ast.Call)
    assert [c.lineno for c in calls] == sorted(c.lineno for c in calls)
    mixed = pf.nodes(ast.Call, ast.Name, ast.arg)
    assert sorted(mixed, key=id) == sorted([*calls, *pf.nodes(ast.Name), *pf.nodes(ast.arg)], key=id)
    positions = [(n.lineno, n.col_offset) for n in mixed if isinstance(n, ast.expr | ast.arg)]
    assert len(positions) == len(mixed) and positions == sorted(positions)
    mixed.clear()
    assert pf.nodes(ast.Call, ast.Name, ast.arg), "a caller's change to the list must not reach the index"
    assert pf.nodes(ast.Load) == [] and pf.parent(pf.tree) is None


def test_a_top_level_benchmark_package_holds_scripts_and_a_library_s_holds_its_api(tmp_path: Path) -> None:
    """`benchmark/` (singular, even with an `__init__.py`) at the top holds timing scripts run by hand, as
    `benchmarks/` does; a package's own `benchmark/` sub-package is part of its API."""
    write_tree(
        tmp_path,
        {
            "xai/__init__.py": "",
            "xai/benchmark/__init__.py": "",
            "xai/benchmark/faithfulness.py": "class Faithfulness:\n    pass\n",
            "benchmark/__init__.py": "",
            "benchmark/table_perf.py": "import time\n\nif __name__ == '__main__':\n    print(time.time())\n",
        },
    )
    kinds = {f.path: f.kind for f in project_of(tmp_path).files}
    assert kinds["xai/benchmark/faithfulness.py"] is FileKind.LIBRARY
    assert [kinds["benchmark/__init__.py"], kinds["benchmark/table_perf.py"]] == [FileKind.SCRIPT] * 2


APP_TESTS = (
    "from rest_framework.test import APITestCase\n\nfrom shop.models import Item\n\n\n"
    "class ItemApiTests(APITestCase):\n    def test_list(self):\n        self.assertEqual(Item.objects.count(), 0)\n"
)
STATS_TESTS = (
    '"""Statistical tests on two samples."""\n\nfrom dataclasses import dataclass\n\n\n'
    "@dataclass(frozen=True)\nclass TestResult:\n    statistic: float\n    p_value: float\n\n\n"
    "def welch_t(a, b):\n    return TestResult(0.0, 1.0)\n"
)


def test_an_apps_tests_module_holding_test_cases_is_a_test_module_not_a_statistics_module(tmp_path: Path) -> None:
    from mlaudit.facts.test_suite import suite_of

    write_tree(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/models.py": "class Item:\n    pass\n",
            "shop/tests.py": APP_TESTS,
            "stats/__init__.py": "",
            "stats/tests.py": STATS_TESTS,
        },
    )
    project = project_of(tmp_path)
    kinds = {f.path: f.kind for f in project.files}
    assert (kinds["shop/tests.py"], kinds["stats/tests.py"]) == (FileKind.TEST, FileKind.LIBRARY)
    suite = suite_of(project)
    assert suite.test_modules == ("shop/tests.py",)
    assert [t.name for t in suite.functions] == ["ItemApiTests.test_list"]


BUILD_HOOK = (
    "import subprocess\n\nfrom hatchling.builders.hooks.plugin.interface import BuildHookInterface\n\n\n"
    "class FrontendBuild(BuildHookInterface):\n    def initialize(self, version, build_data):\n"
    "        print('building the frontend')\n        subprocess.run(['pnpm', 'build'], check=True)\n"
)


def test_a_hatch_build_hook_is_a_build_script_not_library_code(tmp_path: Path) -> None:
    hooked = '[project]\nname = "app"\n\n[tool.hatch.build.hooks.custom]\npath = "build.py"\n'
    write_tree(tmp_path / "a", {"pyproject.toml": hooked, "build.py": BUILD_HOOK, "app/__init__.py": ""})
    default = '[project]\nname = "app"\n\n[tool.hatch.build.targets.wheel.hooks.custom]\n'
    write_tree(tmp_path / "b", {"pyproject.toml": default, "hatch_build.py": BUILD_HOOK, "build.py": BUILD_HOOK})
    first = {f.path: f.kind for f in project_of(tmp_path / "a").files}
    second = {f.path: f.kind for f in project_of(tmp_path / "b").files}
    assert first["build.py"] is FileKind.SCRIPT
    assert (second["hatch_build.py"], second["build.py"]) == (FileKind.SCRIPT, FileKind.LIBRARY)


def test_keras_a_star_import_brings_resolves_but_a_keras_the_module_binds_stays_its_own(tmp_path: Path) -> None:
    """`from ..imports import *` brings the `from tensorflow import keras` of imports: `keras.callbacks.Callback`
    resolves; a module assigning its own `keras` (a shim object) keeps it."""
    star = "from .imports import *\n\n\nclass Warmup(keras.callbacks.Callback):\n    pass\n"
    shim = "from .imports import *\n\nkeras = make_shim()\n\n\nclass Warmup(keras.callbacks.Callback):\n    pass\n"
    imports = "from tensorflow import keras\n"
    write_tree(tmp_path, {"lib/__init__.py": "", "lib/imports.py": imports, "lib/sched.py": star, "lib/shim.py": shim})
    project = project_of(tmp_path)
    bases = {
        path: [
            pf.qualname(base)
            for node in pf.nodes(ast.ClassDef)
            if isinstance(node, ast.ClassDef)
            for base in node.bases
        ]
        for path, pf in project.python.items()
        if path in ("lib/sched.py", "lib/shim.py")
    }
    assert bases == {"lib/sched.py": ["keras.callbacks.Callback"], "lib/shim.py": [None]}


def test_a_module_a_compiler_wrote_and_forbids_modifying_is_generated_but_a_guarded_config_is_code(
    tmp_path: Path,
) -> None:
    flatbuffer = (
        "# Copyright 2020 The Authors.\n\nimport flatbuffers\n"
        "# automatically generated by the FlatBuffers compiler, do not modify\n\n# namespace: tflite\n\n\n"
        "class Model(object):\n    __slots__ = ['_tab']\n"
    )
    guarded = "# Do not modify without sign-off from the serving team.\nMAX_TOKENS = 512\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/schema_generated.py": flatbuffer, "pkg/limits.py": guarded})
    project = project_of(tmp_path)
    assert {s.path for s in project.skipped} == {"pkg/schema_generated.py"}
    assert [pf.path for pf in project.python_of(FileKind.LIBRARY)] == ["pkg/__init__.py", "pkg/limits.py"]
