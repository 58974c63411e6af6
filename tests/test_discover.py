"""Tests for discovery: git-aware listing, skipped folders, kinds and bad inputs."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from mlaudit.discover import _read_at_most, classify, discover, read_regular
from mlaudit.model import FileKind
from tests.helpers import findings, git_init, write_tree


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("pkg/model.py", FileKind.LIBRARY),
        ("tests/test_model.py", FileKind.TEST),
        ("src/pkg/model_test.py", FileKind.TEST),
        ("conftest.py", FileKind.TEST),
        ("scripts/train.py", FileKind.SCRIPT),
        ("pkg/__main__.py", FileKind.SCRIPT),
        ("benchmarks/bench_loader.py", FileKind.SCRIPT),
        ("bench/bench_loader.py", FileKind.SCRIPT),
        ("benchmark/table_perf.py", FileKind.SCRIPT),
        ("benchmark/__init__.py", FileKind.SCRIPT),
        ("pkg/bench.py", FileKind.LIBRARY),
        ("pkg/benchmark.py", FileKind.LIBRARY),
        ("notebooks/eda.ipynb", FileKind.NOTEBOOK),
        ("requirements-dev.txt", FileKind.MANIFEST),
        ("pyproject.toml", FileKind.MANIFEST),
        ("uv.lock", FileKind.MANIFEST),
        ("configs/train.yaml", FileKind.CONFIG),
        (".env", FileKind.CONFIG),
        ("Dockerfile", FileKind.CONFIG),
        ("data/train.csv", FileKind.DATA),
        ("data/labels.json", FileKind.DATA),
        ("models/best.ckpt", FileKind.MODEL),
        ("model.pkl", FileKind.MODEL),
        ("docs/figure.png", FileKind.BINARY),
        ("README.md", FileKind.OTHER),
        # Sphinx's conf.py configures the documentation build; a project's own conf.py (settings) stays code
        ("docs/conf.py", FileKind.OTHER),
        ("docs/source/conf.py", FileKind.OTHER),
        ("src/app/conf.py", FileKind.LIBRARY),
        ("docs/examples/plot_roc.py", FileKind.SCRIPT),
    ],
)
def test_classify(path: str, kind: FileKind) -> None:
    assert classify(path) is kind


def test_walk_skips_venvs_caches_and_gitignored(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "x = 1\n",
            "myenv/pyvenv.cfg": "home = /usr\n",
            "myenv/bin/python": "",
            "myenv/lib/site.py": "x = 1\n",
            "node_modules/x/index.py": "",
            "pkg/__pycache__/a.cpython-311.pyc": b"\0\0",
            "build/lib/pkg/a.py": "",
            ".gitignore": "secret_dir/\n*.log\n!keep.log\n",
            "secret_dir/a.py": "",
            "run.log": "x",
            "keep.log": "x",
        },
    )
    inv = discover(tmp_path)
    paths = {f.path for f in inv.files}
    assert paths == {"pkg/__init__.py", "pkg/a.py", ".gitignore", "keep.log"}
    assert inv.venv_dirs == ("myenv",)
    assert inv.git is None and inv.tracked is None


def test_git_mode_lists_tracked_and_untracked_not_ignored(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.py": "", ".gitignore": "ignored.py\n.env\n", "forced.py": ""})
    (tmp_path / ".gitignore").write_text("ignored.py\n.env\nforced.py\n")
    git_init(tmp_path)
    (tmp_path / "new.py").write_text("")
    (tmp_path / "ignored.py").write_text("x")
    inv = discover(tmp_path)
    assert {f.path for f in inv.files} == {"a.py", ".gitignore", "new.py", "forced.py"}
    assert inv.tracked is not None and "forced.py" in inv.tracked and "new.py" not in inv.tracked
    assert inv.git is not None and inv.git.branch == "main" and inv.git.dirty
    assert inv.git.commit is not None and len(inv.git.commit) == 40
    assert ".env" in inv.ignored_probe


def test_git_repo_without_commits(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.py": ""})
    git_init(tmp_path, commit=False)
    inv = discover(tmp_path)
    assert inv.git is not None and inv.git.commit is None
    assert [f.path for f in inv.files] == ["a.py"]


def test_symlink_loop_and_broken_links_are_skipped_with_reason(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/a.py": ""})
    os.symlink(tmp_path / "pkg", tmp_path / "pkg" / "loop")
    os.symlink(tmp_path / "missing.py", tmp_path / "broken.py")
    os.symlink("/etc/hostname", tmp_path / "outside.txt")
    inv = discover(tmp_path)
    reasons = {s.path: s.reason for s in inv.skipped}
    assert "pkg/loop" in reasons and "not followed" in reasons["pkg/loop"]
    assert "broken.py" in reasons and "outside.txt" in reasons
    assert [f.path for f in inv.files] == ["pkg/a.py"]


def test_exclude_globs(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.py": "", "sample_projects/x/b.py": ""})
    inv = discover(tmp_path, exclude=("sample_projects/*",))
    assert [f.path for f in inv.files] == ["a.py"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read everything")
def test_unreadable_folder_is_skipped(tmp_path: Path) -> None:
    write_tree(tmp_path, {"locked/a.py": "", "b.py": ""})
    (tmp_path / "locked").chmod(0)
    try:
        inv = discover(tmp_path)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert any(s.path == "locked" for s in inv.skipped)


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("dev-requirements.txt", FileKind.MANIFEST),
        ("requirements/base.txt", FileKind.MANIFEST),
        ("requirements/base.in", FileKind.MANIFEST),
        ("requirements/serving/base.txt", FileKind.MANIFEST),
        ("notes/serving/base.txt", FileKind.OTHER),
        ("docs/requirements.txt", FileKind.MANIFEST),
        ("notes.txt", FileKind.OTHER),
        (".coverage", FileKind.BINARY),
        ("setup.py", FileKind.MANIFEST),
    ],
)
def test_classify_more_manifests_and_binaries(path: str, kind: FileKind) -> None:
    assert classify(path) is kind


@pytest.mark.parametrize("in_git", [True, False], ids=["git", "plain"])
def test_vendored_third_party_code_is_left_out_with_a_visible_reason(tmp_path: Path, in_git: bool) -> None:
    files = {
        "serve/__init__.py": "",
        "serve/api.py": "from serve.third_party.midas import net\n",
        "serve/third_party/midas/net.py": "def net():\n    print('vendored')\n",
        "serve/third_party/midas/Dockerfile": "FROM python:latest\n",
        "vendor_scoring/model.py": "def score(vendor):\n    return vendor.rating\n",  # a domain word, not vendored code
        "vendor/rules.py": "THRESHOLD = 0.5\n",
    }
    write_tree(tmp_path, files)
    if in_git:
        git_init(tmp_path)
    inventory = discover(tmp_path)
    paths = {f.path for f in inventory.files}
    assert not any("third_party" in p for p in paths)
    assert {"serve/api.py", "vendor_scoring/model.py", "vendor/rules.py"} <= paths
    [skip] = [s for s in inventory.skipped if s.path == "serve/third_party"]
    assert skip.reason.startswith("vendored third-party code")


def _discovered(tmp_path: Path, files: dict[str, str], in_git: bool) -> tuple[set[str], set[str]]:
    """Write the files, under git when asked, and return the paths discovered and the folders left out as
    vendored."""
    write_tree(tmp_path, files)
    if in_git:
        git_init(tmp_path)
    inventory = discover(tmp_path)
    return {f.path for f in inventory.files}, {s.path for s in inventory.skipped if s.reason.startswith("vendored")}


@pytest.mark.parametrize("in_git", [True, False], ids=["git", "plain"])
def test_a_third_party_folder_importing_its_own_package_is_the_projects_integration_code(
    tmp_path: Path, in_git: bool
) -> None:
    """`pii/recognizers/third_party/` whose modules import `pii.nlp` (or `..base` relatively) holds the project's
    recognizers for third-party services; one whose modules import only the vendored copy itself is vendored."""
    files = {
        "pii/__init__.py": "",
        "pii/nlp.py": "def tokens(text):\n    return text.split()\n",
        "pii/recognizers/__init__.py": "",
        "pii/recognizers/base.py": "class Recognizer:\n    pass\n",
        "pii/recognizers/third_party/__init__.py": "from .cloud_ner import CloudNer\n",
        "pii/recognizers/third_party/cloud_ner.py": "from pii.nlp import tokens\n\n\nclass CloudNer:\n    pass\n",
        "pii/recognizers/third_party/cloud_llm.py": "from ..base import Recognizer\n\n\nclass Llm(Recognizer):\n    pass\n",
        "pii/text/__init__.py": "",
        "pii/text/third_party/__init__.py": "from pii.text.third_party.unidecode import fold\n",
        "pii/text/third_party/unidecode.py": "import re\n\n\ndef fold(text):\n    return re.sub('x', 'y', text)\n",
    }
    paths, vendored = _discovered(tmp_path, files, in_git)
    assert {"pii/recognizers/third_party/cloud_ner.py", "pii/recognizers/third_party/cloud_llm.py"} <= paths
    assert not any(p.startswith("pii/text/third_party/") for p in paths)
    assert vendored == {"pii/text/third_party"}


@pytest.mark.parametrize("in_git", [True, False], ids=["git", "plain"])
def test_external_libs_and_extern_folders_are_vendored_but_external_is_the_projects_own(
    tmp_path: Path, in_git: bool
) -> None:
    files = {
        "forecast/__init__.py": "",
        "external_libs/linalg/debug/printers.py": "import gdb\n",
        "extern/pybind11/setup.py": "from setuptools import setup\n\nsetup(name='pybind11')\n",
        "external/weather_api.py": "def fetch(city):\n    return city\n",
    }
    paths, vendored = _discovered(tmp_path, files, in_git)
    assert "external/weather_api.py" in paths
    assert not any(p.startswith(("external_libs/", "extern/")) for p in paths)
    assert vendored == {"external_libs", "extern"}


@pytest.mark.parametrize("in_git", [True, False], ids=["git", "plain"])
def test_a_vendor_folder_holding_a_copied_library_is_vendored_but_one_of_own_modules_is_not(
    tmp_path: Path, in_git: bool
) -> None:
    """`conf/vendor/antlr4/` (a sub-package, nothing of `vendor/`'s own beside `__init__.py`) is a copied library;
    `billing/vendor/` holding the project's modules about its vendors is its own code, sub-package or not."""
    files = {
        "conf/__init__.py": "",
        "conf/grammar.py": "from conf.vendor.antlr4 import Lexer\n",
        "conf/vendor/__init__.py": "",
        "conf/vendor/antlr4/__init__.py": "from .Lexer import Lexer\n",
        "conf/vendor/antlr4/Lexer.py": "class Lexer:\n    def nextToken(self):\n        print('token')\n",
        "billing/__init__.py": "",
        "billing/vendor/__init__.py": "",
        "billing/vendor/scoring.py": "def score(vendor):\n    return vendor.rating\n",
        "billing/vendor/rules/__init__.py": "THRESHOLD = 0.5\n",
    }
    paths, vendored = _discovered(tmp_path, files, in_git)
    assert not any(p.startswith("conf/vendor/") for p in paths)
    assert {"conf/grammar.py", "billing/vendor/scoring.py", "billing/vendor/rules/__init__.py"} <= paths
    assert vendored == {"conf/vendor"}


def test_generated_protobuf_modules_are_not_judged_but_still_swept(tmp_path: Path) -> None:
    token = "ghp_" + "R8x2Lq0ZsW4vNc7TyUe1Kb9HjDf3Ga6PoMi5"
    stub = f"# Generated by the gRPC Python protocol compiler plugin. DO NOT EDIT!\nTOKEN = '{token}'\n"
    write_tree(
        tmp_path,
        {
            "api/service_pb2_grpc.py": stub,
            "api/service_pb2.py": "# Generated by the protocol buffer compiler.  DO NOT EDIT!\n",
            "api/pb2_helpers.py": "def to_message(x):\n    return x\n",  # hand-written, named after them
        },
    )
    inventory = discover(tmp_path)
    kinds = {f.path: f.kind for f in inventory.files}
    assert kinds["api/service_pb2_grpc.py"] is FileKind.OTHER and kinds["api/service_pb2.py"] is FileKind.OTHER
    assert kinds["api/pb2_helpers.py"] is FileKind.LIBRARY
    assert {s.path for s in inventory.skipped if s.reason.startswith("generated protobuf")} == {
        "api/service_pb2.py",
        "api/service_pb2_grpc.py",
    }
    assert [f.path for f in findings(tmp_path, "SEC001")] == ["api/service_pb2_grpc.py"]


def test_project_template_folders_are_not_the_projects_code(tmp_path: Path) -> None:
    slug = "{{cookiecutter.project_slug}}"
    write_tree(
        tmp_path,
        {
            "cookiecutter.json": '{"project_slug": "churn"}',
            "hooks/post_gen_project.py": "import os\n\nos.remove('LICENSE')\n",
            f"{slug}/requirements.txt": "torch\n",
            f"{slug}/src/{{{{ cookiecutter.module }}}}/train.py": "def train():\n    print('training')\n",
            f"{slug}/tests/test_train.py": "def test_train():\n    assert True\n",
            "templates/report.py": "def render(rows):\n    return '{{ rows }}'.join(rows)\n",  # code with Jinja inside
        },
    )
    inventory = discover(tmp_path)
    kinds = {f.path: f.kind for f in inventory.files}
    assert {path for path, kind in kinds.items() if path.startswith(slug)} == {
        f"{slug}/requirements.txt",
        f"{slug}/src/{{{{ cookiecutter.module }}}}/train.py",
        f"{slug}/tests/test_train.py",
    }
    assert all(kind is FileKind.OTHER for path, kind in kinds.items() if path.startswith(slug))
    assert kinds["templates/report.py"] is FileKind.LIBRARY
    assert kinds["hooks/post_gen_project.py"] is FileKind.LIBRARY
    assert [s.path for s in inventory.skipped if s.reason.startswith("project template")] == [slug]


def test_a_file_is_read_whole_up_to_the_limit_and_refused_past_it(tmp_path: Path) -> None:
    small = tmp_path / "small.py"
    small.write_bytes(b"x = 1\n" * 100)
    assert read_regular(small, limit=600) == b"x = 1\n" * 100
    with pytest.raises(OSError, match="too large"):
        read_regular(small, limit=599)


def test_a_file_that_grew_after_its_size_was_taken_is_read_on_to_one_byte_past_the_limit() -> None:
    grown = io.BytesIO(b"0123456789")  # 3 bytes when its size was taken, 10 now
    assert _read_at_most(grown, 3, 5) == b"012345"  # limit + 1: the caller refuses it as too large
    assert _read_at_most(io.BytesIO(b"0123456789"), 3, 20) == b"0123456789"
    assert _read_at_most(io.BytesIO(b"012"), 3, 5) == b"012"


def test_tracked_paths_are_those_git_lists_as_cached(tmp_path: Path) -> None:
    """The listing reads `ls-files -s` (the cache's key needs the blob ids): its paths are `ls-files --cached`'s."""
    import subprocess

    from mlaudit.tools import git as gittool

    root = git_init(
        write_tree(tmp_path / "repo", {"a b.py": "x = 1\n", "tab\there.py": "y = 2\n", "gone.py": "z = 3\n"})
    )
    write_tree(root, {"staged.py": "s = 1\n", "untracked.py": "u = 1\n"})
    subprocess.run(["git", "-C", str(root), "add", "staged.py"], check=True)
    (root / "gone.py").unlink()
    cached = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--cached"], check=True, capture_output=True)
    view = gittool.list_files(root.resolve())
    assert view is not None and view.index is not None
    assert view.tracked == {os.fsdecode(p) for p in cached.stdout.split(b"\0") if p}
    assert "untracked.py" in view.files and "untracked.py" not in view.tracked
