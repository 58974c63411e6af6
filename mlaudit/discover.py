"""Provides discovery: which files the audited repository has and what kind each is."""

from __future__ import annotations

import errno
import fnmatch
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from mlaudit.model import FileKind, GitInfo, Skipped
from mlaudit.paths import pure_path

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

    from mlaudit.tools.git import GitRepo, IndexState

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        "build",
        "dist",
        "site-packages",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".ipynb_checkpoints",
        ".eggs",
        ".dvc",
    }
)
# Folders of someone else's code kept in the repository: left out of the audit with a visible
# skip entry (their tracked files are still swept for secrets). `vendor/` is not among them: in
# an ML repository it is as often the project's own domain word (vendor_scoring) as vendored code.
# `external_libs/` and `extern/` hold other projects' sources (C++ libraries, git submodules) by name;
# `external/` alone stays: it is as often the project's own integrations. So is a vendored-named folder inside a
# package whose modules import that package's code outside it (`is_own_integration`): a copy never does.
VENDORED_DIRS = frozenset({"third_party", "thirdparty", "3rdparty", "_vendor", "vendored", "external_libs", "extern"})
# `vendor/` is vendored code only when it holds a copied library: a sub-package, and no module of its own beside
# `__init__.py` (`omegaconf/vendor/antlr4/`); `vendor/scoring.py` is the project's own domain code.
PACKAGED_VENDOR_DIRS = frozenset({"vendor"})
# protoc and its gRPC plugin write these modules ("DO NOT EDIT"): the .proto file is the source.
GENERATED_SUFFIXES = ("_pb2.py", "_pb2_grpc.py")
GENERATED = "generated protobuf/gRPC code: not judged as the project's code (swept for secrets as text)"
VENDORED = (
    "vendored third-party code: left out, it is not the project's own code (its tracked files are swept for secrets)"
)
VENV_CFG_BYTES = 64 * 1024
IGNORE_FILE_BYTES = 1024 * 1024
_VENV_HOME = re.compile(r"(?mi)^\s*home\s*=")
MANIFEST_NAMES = frozenset(
    {
        "pyproject.toml",
        "setup.py",
        "setup.cfg",
        "Pipfile",
        "Pipfile.lock",
        "environment.yml",
        "environment.yaml",
        "poetry.lock",
        "uv.lock",
        "pdm.lock",
        "conda-lock.yml",
        "conda-lock.yaml",
        "runtime.txt",
        ".python-version",
    }
)
MODEL_SUFFIXES = frozenset(
    {
        ".pt",
        ".pth",
        ".ckpt",
        ".pkl",
        ".pickle",
        ".joblib",
        ".onnx",
        ".h5",
        ".hdf5",
        ".keras",
        ".safetensors",
        ".pb",
        ".tflite",
        ".gguf",
        ".mlmodel",
        ".bin",
    }
)
DATA_SUFFIXES = frozenset(
    {
        ".csv",
        ".tsv",
        ".parquet",
        ".pq",
        ".feather",
        ".arrow",
        ".jsonl",
        ".ndjson",
        ".npy",
        ".npz",
        ".xlsx",
        ".xls",
        ".avro",
        ".tfrecord",
        ".orc",
        ".sqlite",
        ".db",
    }
)
CONFIG_SUFFIXES = frozenset({".yaml", ".yml", ".toml", ".ini", ".cfg", ".json", ".conf"})
BINARY_SUFFIXES = frozenset(
    {
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".bmp",
        ".tiff",
        ".webp",
        ".ico",
        ".pdf",
        ".zip",
        ".gz",
        ".tgz",
        ".bz2",
        ".xz",
        ".7z",
        ".tar",
        ".whl",
        ".so",
        ".dll",
        ".dylib",
        ".exe",
        ".pyc",
        ".mp3",
        ".wav",
        ".mp4",
        ".woff",
        ".woff2",
        ".ttf",
    }
)
BINARY_NAMES = frozenset({".coverage", ".DS_Store"})
BENCHMARK_DIRS = frozenset({"benchmarks", "benchmark", "bench"})
SCRIPT_DIRS = frozenset({"scripts", "bin", "tools", "examples", "example"}) | BENCHMARK_DIRS
TEST_DIRS = frozenset({"tests", "test", "testing"})
DOCS_DIRS = frozenset({"docs", "doc", "documentation", "sphinx"})


def in_benchmarks_folder(path: str) -> bool:
    """Return True for a file under a `benchmarks/` (or `benchmark/`, `bench/`) folder."""
    return any(part in BENCHMARK_DIRS for part in path.split("/")[:-1])


@dataclass(frozen=True)
class SourceFile:
    """A discovered file: repo-relative POSIX path, absolute path, kind and size."""

    path: str
    abspath: Path
    kind: FileKind
    size: int
    tracked: bool | None


@dataclass(frozen=True)
class Inventory:
    """Everything discovery learned about the tree before any file is parsed."""

    root: Path
    files: tuple[SourceFile, ...]
    skipped: tuple[Skipped, ...]
    git: GitInfo | None
    tracked: frozenset[str] | None
    venv_dirs: tuple[str, ...]
    ignored_probe: frozenset[str]
    repo: GitRepo | None = field(default=None, compare=False, repr=False)
    """The repository git listed the files of, opened (and neutralised) once for the whole audit."""
    index: IndexState | None = field(default=None, compare=False, repr=False)
    """What git said about its index beside the listing (the report cache's key reads it)."""


@lru_cache(maxsize=1 << 16)
def classify(path: str) -> FileKind:
    """Return the kind of a file from its repo-relative path alone (a pure function: found once per path)."""
    pure = pure_path(path)
    name, suffix, parts = pure.name, pure.suffix.lower(), pure.parts[:-1]
    if template_folder(path) is not None:
        return FileKind.OTHER
    if suffix == ".py" and name.endswith(GENERATED_SUFFIXES):
        return FileKind.OTHER
    if name == "conf.py" and any(part in DOCS_DIRS for part in parts):
        return FileKind.OTHER  # Sphinx's settings for building the documentation, not the project's code
    if suffix == ".py" and name not in MANIFEST_NAMES:
        return _classify_python(name, parts)
    for test, kind in _KIND_TESTS:
        if test(name, suffix, parts):
            return kind
    return FileKind.OTHER


# `{{cookiecutter.project_slug}}/`, `{{ project_name }}/`, `{% if docker %}docker{% endif %}/`
_PLACEHOLDER = re.compile(r"\{\{.*\}\}|\{%.*%\}")
TEMPLATE = "project template (a placeholder in its folder name): the code it generates, not the project's own code"


def template_folder(path: str) -> str | None:
    """Return the first folder of `path` named with a template placeholder (cookiecutter, copier), if any."""
    parts = path.split("/")[:-1]
    for depth, part in enumerate(parts, start=1):
        if _PLACEHOLDER.search(part):
            return "/".join(parts[:depth])
    return None


_KindTest = Callable[[str, str, tuple[str, ...]], bool]
_KIND_TESTS: tuple[tuple[_KindTest, FileKind], ...] = (
    (lambda name, _s, parts: name in MANIFEST_NAMES or _is_requirements(name, parts), FileKind.MANIFEST),
    (lambda _n, suffix, _p: suffix == ".ipynb", FileKind.NOTEBOOK),
    (lambda _n, suffix, _p: suffix in MODEL_SUFFIXES, FileKind.MODEL),
    (lambda _n, suffix, parts: suffix in DATA_SUFFIXES or (suffix == ".json" and _in_data_dir(parts)), FileKind.DATA),
    (
        lambda name, suffix, _p: suffix in CONFIG_SUFFIXES or name.startswith(".env") or name == "Dockerfile",
        FileKind.CONFIG,
    ),
    (lambda name, suffix, _p: suffix in BINARY_SUFFIXES or name in BINARY_NAMES, FileKind.BINARY),
)


def _is_requirements(name: str, parts: tuple[str, ...] = ()) -> bool:
    """Return True for requirements/constraints files, also `dev-requirements.txt` and `requirements/*.txt`."""
    if not name.endswith((".txt", ".in")):
        return False
    stem = name.rsplit(".", 1)[0]
    return "requirements" in stem or stem.startswith("constraints") or in_requirements_folder(parts)


def in_requirements_folder(parts: tuple[str, ...]) -> bool:
    """Return True for a file in a `requirements/` folder or one of its groups (`requirements/server/base.txt`)."""
    return "requirements" in parts[-2:]


def _in_data_dir(parts: tuple[str, ...]) -> bool:
    return any(part.lower() in {"data", "datasets", "dataset", "raw", "processed"} for part in parts)


def _classify_python(name: str, parts: tuple[str, ...]) -> FileKind:
    if name == "conftest.py" or fnmatch.fnmatch(name, "test_*.py") or name.endswith("_test.py"):
        return FileKind.TEST
    if any(part in TEST_DIRS for part in parts):
        return FileKind.TEST
    if name == "__main__.py" or any(part in SCRIPT_DIRS for part in parts):
        return FileKind.SCRIPT
    return FileKind.LIBRARY


def discover(root: Path, exclude: tuple[str, ...] = ()) -> Inventory:
    """Walk the tree (git-aware) and return its inventory; never follows links out of it."""
    from mlaudit.tools import git as gittool  # here: the app's first paint needs this module, not git

    root = root.resolve()
    git_view = gittool.list_files(root)
    skipped: list[Skipped] = []
    venv_dirs: list[str] = []
    if git_view is not None:
        candidates = _from_git(root, git_view.files, venv_dirs, skipped)
        tracked: frozenset[str] | None = frozenset(safe_path(p) for p in git_view.tracked)
        git_info: GitInfo | None = git_view.info
        ignored_probe = git_view.ignored_probe
        skipped.extend(Skipped(".", problem) for problem in git_view.problems)
    else:
        candidates = _walk(root, skipped, venv_dirs)
        tracked, git_info = None, None
        ignored_probe = frozenset(_gitignore_probe(root))
    files = [f for f in _stat_all(root, candidates, skipped) if not is_excluded(f.path, exclude)]
    files.sort(key=lambda f: f.path)
    return Inventory(
        root=root,
        files=tuple(files),
        skipped=tuple(sorted(skipped, key=lambda s: s.path)),
        git=git_info,
        tracked=tracked,
        venv_dirs=tuple(sorted({safe_path(v) for v in venv_dirs})),
        ignored_probe=ignored_probe,
        repo=git_view.repo if git_view is not None else None,
        index=git_view.index if git_view is not None else None,
    )


def safe_path(path: str) -> str:
    """Return a path as text every output can carry: bytes that are not UTF-8 shown as `\\xNN`."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return path


def is_excluded(path: str, patterns: tuple[str, ...]) -> bool:
    """Return True when a repo-relative path matches an `--exclude` glob (or lies under it)."""
    return any(fnmatch.fnmatch(path, pat) or path.startswith(pat.rstrip("/") + "/") for pat in patterns)


def is_venv(folder: Path) -> bool:
    """Return True for a real environment: `pyvenv.cfg` with `home =`, bin/ or Scripts/, and lib/; or conda."""
    cfg = ""
    if _is_file(folder / "pyvenv.cfg"):
        try:
            cfg = read_regular(folder / "pyvenv.cfg", limit=VENV_CFG_BYTES).decode("utf-8", "replace")
        except OSError:
            cfg = ""
    if _VENV_HOME.search(cfg):
        return any(_is_dir(folder / d) for d in ("bin", "Scripts")) and any(_is_dir(folder / d) for d in ("lib", "Lib"))
    return _is_dir(folder / "conda-meta") and _is_file(folder / "conda-meta" / "history")


def _is_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(path.lstat().st_mode)
    except OSError:
        return False


def _is_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def read_regular(path: Path, root: Path | None = None, limit: int | None = None) -> bytes:
    """Read a regular file without ever blocking; raise OSError for anything else.

    FIFOs, devices and sockets are refused without being opened for reading in blocking
    mode; with `root`, a file whose real location lies outside `root` (through a link to it or to
    one of its folders) is refused.
    """
    target = path
    if root is not None or stat.S_ISLNK(path.lstat().st_mode):
        try:
            target = path.resolve(strict=True)
        except RuntimeError:
            raise OSError(errno.ELOOP, "symbolic link loop") from None
        if root is not None and not target.is_relative_to(root.resolve()):
            raise OSError(errno.EACCES, "symbolic link leaves the repository")
    return read_unlinked(target, limit)[0]


def read_unlinked(path: str | Path, limit: int | None = None) -> tuple[bytes, os.stat_result]:
    """Return the bytes and status of a regular file that is not a symbolic link, without ever blocking;
    raise OSError for anything else (a link, a FIFO, a device, a file over `limit` bytes)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file (FIFO, device or socket)")
        if limit is not None and info.st_size > limit:
            raise OSError(errno.EFBIG, f"file too large ({info.st_size} bytes)")
        data = handle.read() if limit is None else _read_at_most(handle, info.st_size, limit)
    if limit is not None and len(data) > limit:
        raise OSError(errno.EFBIG, "file too large")
    return data, info


def _read_at_most(handle: BinaryIO, size: int, limit: int) -> bytes:
    """Return up to `limit + 1` bytes of a file `size` bytes long when opened (a buffer of its size, not of the limit)."""
    data = handle.read(size + 1)
    if len(data) > size:  # it grew since: read on, up to one byte past the limit
        data += handle.read(limit + 1 - len(data))
    return data


def regular_file_in(root: Path, name: str) -> Path | None:
    """Return `root/name` when it is a regular file whose real location lies inside `root`."""
    path = root / name
    try:
        target = path.resolve(strict=True)
        return path if target.is_relative_to(root.resolve()) and stat.S_ISREG(target.stat().st_mode) else None
    except (OSError, RuntimeError):
        return None


def _from_git(root: Path, paths: tuple[str, ...], venv_dirs: list[str], skipped: list[Skipped]) -> list[str]:
    kept: list[str] = []
    venv_cache: dict[str, bool] = {}
    vendored: set[str] = set()
    own: dict[str, bool] = {}
    for path in paths:
        parts = path.split("/")
        if any(part in SKIP_DIRS for part in parts[:-1]):
            continue
        folder = _vendored_prefix(root, parts[:-1], own)
        if folder is not None and not own.setdefault(folder, is_own_integration(root / folder)):
            vendored.add(folder)
            continue
        venv = _venv_prefix(root, parts[:-1], venv_cache)
        if venv is not None:
            venv_dirs.append(venv)
            continue
        kept.append(path)
    skipped.extend(Skipped(safe_path(folder), VENDORED) for folder in sorted(vendored))
    return kept


OWN_CHECK_FILES = 40  # the modules of a vendored-named folder read to tell the project's own code
OWN_CHECK_BYTES = 64 * 1024
_IMPORT_LINE = re.compile(r"^\s*(?:from\s+(\.*)([\w.]*)\s+import|import\s+([\w.]+))", re.MULTILINE)


def is_own_integration(folder: Path) -> bool:
    """Return True for a vendored-named folder inside a package whose modules import that package's code outside
    the folder (`pkg/recognizers/third_party/azure.py` doing `from pkg.nlp_engine import ...` or `from ..base
    import ...`): the project's own integrations with third-party services, not a copy of someone else's code,
    which never imports the package it was copied into."""
    package = _package_parts(folder.parent)
    if not package:
        return False
    inside = ".".join([*package, folder.name])
    try:
        modules = sorted(entry for entry in folder.iterdir() if entry.suffix == ".py")[:OWN_CHECK_FILES]
    except OSError:
        return False
    for module in modules:
        try:
            text = read_regular(module, limit=OWN_CHECK_BYTES)[:OWN_CHECK_BYTES].decode("utf-8", "replace")
        except OSError:
            continue
        for dots, source, plain in _IMPORT_LINE.findall(text):
            name = source or plain
            if len(dots) > 1 or (not dots and _names_package(name, package[0], inside)):
                return True
    return False


def _package_parts(folder: Path) -> list[str]:
    """Return the dotted parts of the package a folder is (`["pkg", "recognizers"]`), [] when it is none."""
    parts: list[str] = []
    while _is_file(folder / "__init__.py") and folder.name:
        parts.insert(0, folder.name)
        folder = folder.parent
    return parts


def _names_package(name: str, top: str, inside: str) -> bool:
    return (name == top or name.startswith(f"{top}.")) and name != inside and not name.startswith(f"{inside}.")


def _vendored_prefix(root: Path, dirs: list[str], known: dict[str, bool]) -> str | None:
    """Return the vendored folder a path lies in (`pkg/third_party`, `pkg/vendor` holding a copied library), if
    any; `known` remembers each `vendor/` folder's verdict (False: the project's own code)."""
    for depth, name in enumerate(dirs, start=1):
        if name in VENDORED_DIRS:
            return "/".join(dirs[:depth])
        if name in PACKAGED_VENDOR_DIRS:
            prefix = "/".join(dirs[:depth])
            if prefix not in known and not holds_copied_library(root / prefix):
                known[prefix] = True  # not vendored: recorded as the project's own
            if not known.get(prefix, False):
                return prefix
    return None


def holds_copied_library(folder: Path) -> bool:
    """Return True for a `vendor/` folder holding a sub-package and no module of its own beside `__init__.py`."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return False
    own_modules = [e for e in entries if e.suffix == ".py" and e.name != "__init__.py"]
    return not own_modules and any(_is_file(e / "__init__.py") for e in entries if _is_dir(e))


def _venv_prefix(root: Path, dirs: list[str], cache: dict[str, bool]) -> str | None:
    for depth in range(1, len(dirs) + 1):
        prefix = "/".join(dirs[:depth])
        if prefix not in cache:
            cache[prefix] = is_venv(root / prefix)
        if cache[prefix]:
            return prefix
    return None


def _walk(root: Path, skipped: list[Skipped], venv_dirs: list[str]) -> list[str]:
    """List the files under `root` without recursion and without following folder links."""
    found: list[str] = []
    rules = _IgnoreRules()
    stack = [""]
    while stack:
        rel = stack.pop()
        here = root / rel if rel else root
        try:
            with os.scandir(here) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as err:
            skipped.append(Skipped(safe_path(rel or "."), f"unreadable folder: {err.strerror or err}"))
            continue
        rules.load(here, rel)
        folders: list[str] = []
        for entry in entries:
            path = f"{rel}/{entry.name}" if rel else entry.name
            if _entry_is_dir(entry):
                if _keep_dir(here, path, entry, rules, venv_dirs, skipped):
                    folders.append(path)
            elif not rules.ignored(path, is_dir=False):
                found.append(path)
        stack.extend(reversed(folders))
    return found


def _entry_is_dir(entry: os.DirEntry[str]) -> bool:
    """Return True for a folder or a link to one (links are reported, not followed)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _keep_dir(
    here: Path, path: str, entry: os.DirEntry[str], rules: _IgnoreRules, venv_dirs: list[str], skipped: list[Skipped]
) -> bool:
    if entry.name in SKIP_DIRS or rules.ignored(path, is_dir=True):
        return False
    copied = entry.name in PACKAGED_VENDOR_DIRS and holds_copied_library(here / entry.name)
    if (entry.name in VENDORED_DIRS or copied) and not is_own_integration(here / entry.name):
        skipped.append(Skipped(safe_path(path), VENDORED))
        return False
    if entry.is_symlink():
        skipped.append(Skipped(safe_path(path), "symbolic link to a folder: not followed"))
        return False
    if is_venv(here / entry.name):
        venv_dirs.append(path)
        return False
    return True


def _stat_all(root: Path, paths: list[str], skipped: list[Skipped]) -> Iterator[SourceFile]:
    templates: set[str] = set()
    for path in paths:
        full = root / path
        shown = safe_path(path)
        try:
            info = full.lstat()
        except OSError as err:
            skipped.append(Skipped(shown, f"cannot read: {err.strerror or err}"))
            continue
        if stat.S_ISLNK(info.st_mode):
            target = _link_target(root, full)
            if target is None:
                skipped.append(Skipped(shown, "symbolic link that is broken, loops or leaves the repository"))
                continue
            info = target
        if stat.S_ISDIR(info.st_mode):
            if full.is_symlink():
                skipped.append(Skipped(shown, "symbolic link to a folder: not followed"))
            continue
        if not stat.S_ISREG(info.st_mode):
            skipped.append(Skipped(shown, "not a regular file (FIFO, device or socket): not read"))
            continue
        if shown.endswith(GENERATED_SUFFIXES):
            skipped.append(Skipped(shown, GENERATED))
        template = template_folder(shown)
        if template is not None and template not in templates:
            templates.add(template)
            skipped.append(Skipped(template, TEMPLATE))
        yield SourceFile(shown, full, classify(shown), info.st_size, None)


def _link_target(root: Path, link: Path) -> os.stat_result | None:
    """Return the stat of a link's target when it is a file or folder inside `root`, else None."""
    try:
        target = link.resolve(strict=True)
        info = target.stat()
    except (OSError, RuntimeError):
        return None
    if not target.is_relative_to(root) or not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
        return None
    return info


def _gitignore_probe(root: Path) -> list[str]:
    """Return the probe names (such as `.env`) that the root .gitignore ignores."""
    from mlaudit.tools.git import IGNORE_PROBES

    rules = _IgnoreRules()
    rules.load(root, "")
    return [name for name in IGNORE_PROBES if rules.ignored(name.rstrip("/"), is_dir=name.endswith("/"))]


class _IgnoreRules:
    """.gitignore files of a tree outside git, matched by pathspec with git's rules.

    Each file's patterns are relative to its folder; the deepest file that has a say about a
    path decides (within a file, the last matching pattern wins), as in git.
    """

    def __init__(self) -> None:
        self._specs: list[tuple[str, GitIgnoreSpec]] = []

    def load(self, folder: Path, rel: str) -> None:
        """Read `folder/.gitignore`, if any, scoping its patterns to `rel`."""
        ignore_file = folder / ".gitignore"
        try:
            text = read_regular(ignore_file, limit=IGNORE_FILE_BYTES).decode("utf-8", errors="replace")
        except OSError:
            return
        spec = _gitignore_spec(text.splitlines())
        if spec.patterns:
            self._specs.append((rel, spec))

    def ignored(self, path: str, *, is_dir: bool) -> bool:
        """Return True when the .gitignore files that apply to `path` ignore it."""
        for base, spec in reversed(self._specs):
            if base and not path.startswith(base + "/"):
                continue
            local = path[len(base) + 1 :] if base else path
            verdict = spec.check_file(local + "/" if is_dir else local).include
            if verdict is not None:
                return verdict
        return False


def _gitignore_spec(lines: list[str]) -> GitIgnoreSpec:
    """Compile .gitignore lines; a line git would not understand (`!`, a trailing `\\`) is dropped, as git does."""
    from pathspec import GitIgnoreSpec  # imported when a tree outside git is walked (keeps the app's start light)

    try:
        return GitIgnoreSpec.from_lines(lines)
    except ValueError:
        return GitIgnoreSpec.from_lines([line for line in lines if _valid_gitignore_line(line)])


def _valid_gitignore_line(line: str) -> bool:
    from pathspec import GitIgnoreSpec

    try:
        GitIgnoreSpec.from_lines([line])
    except ValueError:
        return False
    return True
