"""Tests of rule DEP002 (`mlaudit/rules/dependencies/dep002_unpinned_dependencies.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlaudit.model import Severity
from tests.helpers import findings, run_audit, run_audit_rules_only, write_tree
from tests.rules.dependencies._helpers import PYPROJECT

UV_LOCK = """\
version = 1
[[package]]
name = "numpy"
version = "1.26.4"
[[package]]
name = "churn"
version = "0.1.0"
source = { editable = "." }
"""


def test_dep002_scores_pinned_share(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "numpy==1.26.4\ntorch>=2.1\npandas\nscipy==1.13.1\n", "a.py": ""})
    report = run_audit_rules_only(tmp_path, select=("DEP002",))
    deps = report.practice("dependencies")
    assert deps.metrics["pinned_share"] == 0.5
    assert [d.rule for d in deps.deductions] == ["DEP002"] and deps.deductions[0].points == 14
    infos = [f for f in report.findings if f.rule == "DEP002"]
    assert {f.message.split()[0] for f in infos} == {"torch>=2.1", "pandas"}
    assert all(f.severity is Severity.INFO for f in infos)


def test_dep002_points_at_the_declaration_not_a_comment_naming_it(tmp_path: Path) -> None:
    pyproject = (
        "# This file holds the packaging metadata of the project.\n"
        "[project]\n"
        'name = "demo"\n'
        'description = "uses requests and packaging"\n'
        "dependencies = [\n"
        '    "numpy==1.26.4",\n'
        '    "packaging",  # version parsing\n'
        "]\n"
    )
    write_tree(tmp_path, {"pyproject.toml": pyproject, "a.py": "import numpy, packaging\n"})
    [hit] = findings(tmp_path, "DEP002")
    assert hit.path == "pyproject.toml" and hit.line == 7


def test_dep002_lock_file_covers_ranged_pyproject(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "uv.lock": UV_LOCK, "a.py": ""})
    report = run_audit(tmp_path, select=("DEP002",))
    assert report.practice("dependencies").metrics["pinned_share"] == 1.0
    assert report.findings == ()


@pytest.mark.parametrize(
    ("files", "tool"),
    [
        ({"pyproject.toml": "[tool.poetry]\nname = 'x'\n"}, "poetry"),
        ({"pyproject.toml": "[project]\nname = 'x'\n", "uv.lock": "version = 1\n"}, "uv"),
        ({"environment.yml": "dependencies:\n  - numpy\n"}, "conda"),
        ({"requirements.txt": "numpy==1.26.4\n"}, "pip"),
        ({"pyproject.toml": "[project]\nname = 'x'\n"}, None),
    ],
)
def test_dependency_tool_metric(tmp_path: Path, files: dict[str, str], tool: str | None) -> None:
    write_tree(tmp_path, {**files, "x.py": "import os\n"})
    report = run_audit(tmp_path, select=("DEP002",))
    assert report.practice("dependencies").metrics["dependency_tool"] == tool


def test_vcs_requirement_message_masks_url_credentials(tmp_path: Path) -> None:
    reqs = "git+https://deploy:Zq81xPw0vLk2mN7@git.example.com/team/privlib.git@main\n"
    write_tree(tmp_path, {"requirements.txt": reqs, "app.py": "import privlib\n"})
    [hit] = [f for f in findings(tmp_path, "DEP002") if f.severity is Severity.WARNING]
    assert "Zq81xPw0vLk2mN7" not in hit.message and "deploy" not in hit.message and "***@" in hit.message


LIBRARY_PYPROJECT = """[project]
name = "churnkit"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = ["numpy>=1.24", "pandas>=2.0", "tqdm"]
classifiers = ["Programming Language :: Python :: 3"]
"""
UNPUBLISHED_PYPROJECT = LIBRARY_PYPROJECT.replace('classifiers = ["Programming Language :: Python :: 3"]\n', "")


def test_dep002_a_published_librarys_ranges_are_not_listed_but_its_bare_names_are(tmp_path: Path) -> None:
    code = "import numpy as np\nimport pandas as pd\nimport tqdm\n"
    write_tree(tmp_path / "lib", {"pyproject.toml": LIBRARY_PYPROJECT, "churnkit/__init__.py": code})
    [bare] = findings(tmp_path / "lib", "DEP002")
    assert bare.message == "tqdm has no lower bound: any version may be installed"
    assert bare.fix == "Declare the oldest tqdm the library supports (tqdm>=X.Y)."
    # Look-alike: the same ranges in a project nobody publishes are each listed.
    write_tree(tmp_path / "app", {"pyproject.toml": UNPUBLISHED_PYPROJECT, "churnkit/__init__.py": code})
    assert sorted(f.message.split()[0] for f in findings(tmp_path / "app", "DEP002")) == [
        "numpy>=1.24",
        "pandas>=2.0",
        "tqdm",
    ]


def test_dep002_a_development_tool_tracking_a_branch_is_a_note(tmp_path: Path) -> None:
    pyproject = LIBRARY_PYPROJECT.replace(
        '"tqdm"]', '"tqdm>=4", "fastcore @ git+https://github.com/org/fastcore@main"]'
    )
    pyproject += (
        '\n[dependency-groups]\ndev = ["pytest>=8", "docs-parser @ git+https://github.com/org/docs-parser@main"]\n'
    )
    code = "import numpy as np\nimport pandas as pd\nimport tqdm\nimport fastcore\n"
    write_tree(tmp_path, {"pyproject.toml": pyproject, "churnkit/__init__.py": code})
    hits = sorted((f.message.split()[0], f.severity) for f in findings(tmp_path, "DEP002"))
    # the runtime requirement on a moving branch changes what users install; the docs plugin only the developers' tools
    assert hits == [("docs-parser", Severity.INFO), ("fastcore", Severity.WARNING)]
