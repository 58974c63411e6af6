"""Provides discovery: which files the audited repository has and what kind each is."""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mlaudit.model import FileKind, GitInfo, Skipped
from mlaudit.tools import git as gittool

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
VENV_MARKERS = ("pyvenv.cfg", "conda-meta")
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
SCRIPT_DIRS = frozenset({"scripts", "bin", "tools", "examples", "example"})
TEST_DIRS = frozenset({"tests", "test", "testing"})


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


def classify(path: str) -> FileKind:
    """Return the kind of a file from its repo-relative path alone."""
    pure = PurePosixPath(path)
    name, suffix, parts = pure.name, pure.suffix.lower(), pure.parts[:-1]
    if suffix == ".py" and name not in MANIFEST_NAMES:
        return _classify_python(name, parts)
    for test, kind in _KIND_TESTS:
        if test(name, suffix, parts):
            return kind
    return FileKind.OTHER


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
    return "requirements" in stem or stem.startswith("constraints") or (bool(parts) and parts[-1] == "requirements")


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
    """Walk the tree (git-aware) and return its inventory; never follows directory links."""
    root = root.resolve()
    git_view = gittool.list_files(root)
    skipped: list[Skipped] = []
    venv_dirs: list[str] = []
    if git_view is not None:
        candidates = _from_git(root, git_view.files, venv_dirs)
        tracked: frozenset[str] | None = git_view.tracked
        git_info: GitInfo | None = git_view.info
        ignored_probe = git_view.ignored_probe
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
        venv_dirs=tuple(sorted(set(venv_dirs))),
        ignored_probe=ignored_probe,
    )


def is_excluded(path: str, patterns: tuple[str, ...]) -> bool:
    """Return True when a repo-relative path matches an `--exclude` glob (or lies under it)."""
    return any(fnmatch.fnmatch(path, pat) or path.startswith(pat.rstrip("/") + "/") for pat in patterns)


def _from_git(root: Path, paths: tuple[str, ...], venv_dirs: list[str]) -> list[str]:
    kept: list[str] = []
    venv_cache: dict[str, bool] = {}
    for path in paths:
        parts = path.split("/")
        if any(part in SKIP_DIRS for part in parts[:-1]):
            continue
        venv = _venv_prefix(root, parts[:-1], venv_cache)
        if venv is not None:
            venv_dirs.append(venv)
            continue
        kept.append(path)
    return kept


def _venv_prefix(root: Path, dirs: list[str], cache: dict[str, bool]) -> str | None:
    for depth in range(1, len(dirs) + 1):
        prefix = "/".join(dirs[:depth])
        if prefix not in cache:
            folder = root / prefix
            cache[prefix] = any((folder / marker).exists() for marker in VENV_MARKERS)
        if cache[prefix]:
            return prefix
    return None


def _walk(root: Path, skipped: list[Skipped], venv_dirs: list[str]) -> list[str]:
    found: list[str] = []
    rules = _IgnoreRules()
    seen: set[tuple[int, int]] = set()

    def on_error(err: OSError) -> None:
        where = Path(err.filename).relative_to(root).as_posix() if err.filename else "."
        skipped.append(Skipped(where, f"unreadable folder: {err.strerror or err}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error):
        here = Path(dirpath)
        rel = here.relative_to(root).as_posix()
        rel = "" if rel == "." else rel
        info = here.stat()
        if (info.st_dev, info.st_ino) in seen:
            dirnames[:] = []
            continue
        seen.add((info.st_dev, info.st_ino))
        rules.load(here, rel)
        dirnames[:] = sorted(d for d in dirnames if _keep_dir(here, rel, d, rules, venv_dirs, skipped))
        for name in sorted(filenames):
            path = f"{rel}/{name}" if rel else name
            if not rules.ignored(path, is_dir=False):
                found.append(path)
    return found


def _keep_dir(
    here: Path, rel: str, name: str, rules: _IgnoreRules, venv_dirs: list[str], skipped: list[Skipped]
) -> bool:
    path = f"{rel}/{name}" if rel else name
    full = here / name
    if name in SKIP_DIRS or rules.ignored(path, is_dir=True):
        return False
    if full.is_symlink():
        skipped.append(Skipped(path, "symbolic link to a folder: not followed"))
        return False
    if any((full / marker).exists() for marker in VENV_MARKERS):
        venv_dirs.append(path)
        return False
    return True


def _stat_all(root: Path, paths: list[str], skipped: list[Skipped]) -> Iterator[SourceFile]:
    for path in paths:
        full = root / path
        try:
            info = full.lstat()
        except OSError as err:
            skipped.append(Skipped(path, f"cannot read: {err.strerror or err}"))
            continue
        if stat.S_ISLNK(info.st_mode):
            target = _link_target(root, full)
            if target is None:
                skipped.append(Skipped(path, "symbolic link that is broken, loops or leaves the repository"))
                continue
            info = target.stat()
        if not stat.S_ISREG(info.st_mode):
            continue
        yield SourceFile(path, full, classify(path), info.st_size, None)


def _link_target(root: Path, link: Path) -> Path | None:
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not target.is_relative_to(root) or not target.is_file():
        return None
    return target


def _gitignore_probe(root: Path) -> list[str]:
    """Return the probe names (such as `.env`) that the root .gitignore ignores."""
    rules = _IgnoreRules()
    rules.load(root, "")
    return [name for name in gittool.IGNORE_PROBES if rules.ignored(name, is_dir=name.endswith("/"))]


class _IgnoreRules:
    """A small .gitignore matcher for trees outside git (negation and anchoring supported)."""

    def __init__(self) -> None:
        self._patterns: list[tuple[str, str, bool, bool]] = []

    def load(self, folder: Path, rel: str) -> None:
        """Read `folder/.gitignore`, if any, scoping its patterns to `rel`."""
        ignore_file = folder / ".gitignore"
        try:
            text = ignore_file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            line = line.lstrip("!")
            dir_only = line.endswith("/")
            self._patterns.append((rel, line.strip("/") if dir_only else line, negate, dir_only))

    def ignored(self, path: str, *, is_dir: bool) -> bool:
        """Return True when the last matching pattern ignores `path`."""
        result = False
        for base, pattern, negate, dir_only in self._patterns:
            if dir_only and not is_dir:
                continue
            if base and not path.startswith(base + "/"):
                continue
            local = path[len(base) + 1 :] if base else path
            if _gitignore_match(local, pattern):
                result = not negate
        return result


def _gitignore_match(path: str, pattern: str) -> bool:
    anchored = "/" in pattern.rstrip("/")
    pattern = pattern.lstrip("/")
    if anchored:
        return fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, pattern + "/*")
    return any(fnmatch.fnmatch(part, pattern) for part in path.split("/"))
