"""Provides helpers shared by several rules of the `testing` practice and its capabilities.

The suite, the tested modules and the assertions are facts: `mlaudit.facts.test_suite`,
`mlaudit.facts.tested_modules` and `mlaudit.facts.assertions`.
"""

from __future__ import annotations

import ast
import re

from mlaudit.project import Project, PythonFile
from mlaudit.tools.coverage import CoverageResult

CONFIG_STEMS = frozenset({"config", "configs", "settings", "constants", "consts", "const", "conf", "defaults"})


NOT_MODULES = frozenset({"__init__", "__main__", "_version", "version", "noxfile", "tasks", "fabfile", "setup"})


IMPORTANT_KINDS = (
    ("data loading", ("data", "loader", "dataloader", "load")),
    ("preprocessing", ("preprocess", "transform", "clean")),
    ("features", ("feature", "featur")),
    ("metrics", ("metric", "eval", "scoring")),
    ("losses", ("loss",)),
    ("retrieval/ranking/chunking", ("retriev", "rank", "rerank", "chunk")),
)


MIN_MODULE_LINES = 10


# Words that start like a category but name something else: `transformer` is the attention architecture, not a
# data transform (`transforms.py`, `transform_features.py` stay preprocessing).
NOT_CATEGORY_WORDS = frozenset({"transformer", "transformers"})


def has_code_to_test(project: Project) -> bool:
    """Return True when there is library or script code that tests could cover."""
    return project.library_code_lines > 0


def importance(path: str, project_package: str | None = None) -> str | None:
    """Return the risk category of a module by its name or its folder's (data loading, features, ...), or None.

    The package named after the project (`project_package`, e.g. `cleanrl/`) names the project, not what each
    of its modules does: its name is not read as a category; nor is `transformer`, a model architecture.
    """
    tokens = re.split(r"[_\W\d]+", path.removesuffix(".py").lower().rsplit("/", 2)[-1])
    parent = path.lower().rsplit("/", 2)[-2] if path.count("/") >= 1 else ""
    if project_package is not None and path.rsplit("/", 1)[0] == project_package.rstrip("/"):
        parent = ""
    words = [t for t in (*tokens, parent) if t and t not in NOT_CATEGORY_WORDS]
    for label, prefixes in IMPORTANT_KINDS:
        if any(t.startswith(prefixes) for t in words):
            return label
    return None


# Folders of database migrations (Django's `migrations/`, Alembic's): schema changes the framework's migrate
# command runs and checks, not modules to unit-test.
MIGRATION_FOLDERS = frozenset({"migrations", "alembic"})


def needs_tests(pf: PythonFile) -> bool:
    """Return True for a library module that defines code worth testing (not a config, version, docs or
    database-migration module, nor a stub under ten code lines)."""
    parts = pf.path.split("/")
    stem = parts[-1].removesuffix(".py")
    if pf.is_notebook or stem in NOT_MODULES or stem in CONFIG_STEMS or pf.path.startswith("docs/"):
        return False
    if MIGRATION_FOLDERS.intersection(parts[:-1]):
        return False
    if pf.code_lines < MIN_MODULE_LINES:
        return False
    defines: bool = pf.file_fact(DEFINES_FACT, defines_something)
    return defines


DEFINES_FACT = "testing.defines"  # a per-file fact (mlaudit.filefacts)


def defines_something(pf: PythonFile) -> bool:
    """Return True when the module defines a function or a class at its top level."""
    return any(isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) for s in pf.tree.body)


def coverage_of(project: Project) -> CoverageResult | None:
    """Return the coverage gatherer's result, if it ran."""
    result = project.tool("coverage")
    return result if isinstance(result, CoverageResult) else None
