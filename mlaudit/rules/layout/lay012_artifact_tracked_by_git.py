"""Provides rule LAY012: Artifact tracked by git."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from mlaudit.discover import SourceFile
from mlaudit.facts.layout_intent import intentional_small_data
from mlaudit.model import FileKind, Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, NotRun, Output, Rule, register
from mlaudit.rules.layout._shared import TEST_DIRS, _artifacts, _in_package, _is_large, _parent, _size, package_dirs


@register
class ArtifactTrackedByGit(Rule):
    """Flags data and model artifacts committed to git instead of DVC, Git LFS or an artifact store.

    ## What it does
    Reports tracked model files (any size) and data files of 100 KB or more that neither
    a `.dvc` pointer nor a `.gitattributes` `filter=lfs` rule covers. Small fixtures
    under tests/, runtime package data the package reads, and result tables the docs
    publish (each under 1 MB) are fine.

    ## Why is this bad?
    Binary artifacts bloat every clone forever (deleting them later does not shrink
    history), cannot be diffed, and their lineage (which data, which code) is lost.

    ## Example
    ```text
    git add models/model.pkl data/train.parquet
    ```

    ## Use instead
    ```text
    dvc add data/train.parquet models/model.pkl    # or: git lfs track "*.pkl"
    ```
    """

    code = "LAY012"
    title = "Artifact tracked by git"
    practice = "layout"
    severity = Severity.WARNING
    fix = "git rm --cached the file and track it with DVC (dvc add) or Git LFS (git lfs track), or an artifact store."
    weight = 8
    cap = 20

    def check(self, project: Project) -> Iterator[Output]:
        candidates = [f for f in _artifacts(project) if _is_large(f, project, 0) and not _small_fixture(f)]
        if not candidates:
            return
        tracked = project.tracked
        if tracked is None:
            yield NotRun("LAY012 artifacts tracked by git", "not a git repository")
            return
        lfs = _lfs_patterns(project)
        packages = package_dirs(project)
        for source in candidates:
            if intentional_small_data(project, source, _in_package(source.path, packages)):
                continue
            if _committed_plainly(project, source.path, tracked, lfs):
                what = "model" if source.kind is FileKind.MODEL else "data"
                yield Hit(source.path, None, f"{what} file {source.path} ({_size(source.size)}) is committed to git")


def _committed_plainly(project: Project, path: str, tracked: frozenset[str], lfs: list[tuple[str, str]]) -> bool:
    """Return True when git tracks the file itself (not through a DVC pointer or Git LFS)."""
    return path in tracked and not _dvc_pointer(project, path) and not _lfs(path, lfs)


def _small_fixture(source: SourceFile) -> bool:
    return bool(set(source.path.split("/")[:-1]) & TEST_DIRS) and source.size < 1_000_000


def _dvc_pointer(project: Project, path: str) -> bool:
    current = path
    while current:
        if project.has_file(current + ".dvc"):
            return True
        current = _parent(current)
    return False


def _lfs_patterns(project: Project) -> list[tuple[str, str]]:
    """Return (folder, pattern) for each `.gitattributes` line that sets `filter=lfs`."""
    found: list[tuple[str, str]] = []
    for source in project.files:
        if source.path.rsplit("/", 1)[-1] != ".gitattributes":
            continue
        for line in (project.text(source.path) or "").splitlines():
            fields = line.split()
            if len(fields) >= 2 and "filter=lfs" in fields[1:]:
                found.append((_parent(source.path), fields[0]))
    return found


def _lfs(path: str, patterns: list[tuple[str, str]]) -> bool:
    for folder, pattern in patterns:
        if folder and not path.startswith(folder + "/"):
            continue
        local = path[len(folder) + 1 :] if folder else path
        anchored = "/" in pattern.strip("/")
        target = local if anchored else local.rsplit("/", 1)[-1]
        if fnmatch.fnmatch(target, pattern.lstrip("/")) or fnmatch.fnmatch(
            local, pattern.lstrip("/").rstrip("/") + "/*"
        ):
            return True
    return False
