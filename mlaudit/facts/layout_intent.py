"""Provides what the layout rules need to read intent rather than folder names: notebook
folders and teaching notebooks, packages that lack only their top-level `__init__.py`,
namespace packages an app server imports, and small data files that are runtime package
data or published result tables.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from mlaudit.discover import SourceFile
from mlaudit.facts.strings import file_strings
from mlaudit.project import Project

TEACHING_NOTEBOOK = re.compile(
    r"(?i)tutorial|example|demo|quickstart|quick_start|getting[_-]?started|walkthrough|colab"
)
_SERVED_MODULE = re.compile(
    r"\b(?:uvicorn|gunicorn|hypercorn|waitress-serve|daphne)\b[^\n]*?\b([A-Za-z_]\w*)\.[\w.]+:\w+"
)
_DOC_SUFFIXES = (".md", ".mdx", ".rst", ".html")


def in_notebook_folder(path: str) -> bool:
    """Return True for notebooks in a folder whose name contains "notebook" (experimental_notebooks/)."""
    return any("notebook" in part.lower() for part in PurePosixPath(path).parts[:-1])


def is_teaching_notebook(path: str) -> bool:
    """Return True for tutorial, example and demo notebooks (kept next to the code they teach)."""
    return bool(TEACHING_NOTEBOOK.search(PurePosixPath(path).name))


def headless_packages(packages: frozenset[str], excluded: frozenset[str]) -> list[str]:
    """Return top-level folders whose subfolders are packages but which lack their own `__init__.py`."""
    tops = {folder.split("/")[0] for folder in packages if "/" in folder}
    return sorted(t for t in tops if t not in packages and t not in excluded and t != "src")


def served_namespace_packages(project: Project, packages: frozenset[str]) -> list[str]:
    """Return folders without `__init__.py` that an app server imports (`uvicorn api_pkg.api:app`)."""
    folders = {PurePosixPath(f.path).parts[0] for f in project.files if "/" in f.path and f.path.endswith(".py")}
    served: set[str] = set()
    for text in project.texts.values():
        served.update(m for m in _SERVED_MODULE.findall(text) if m in folders and m not in packages)
    return sorted(served)


def _string_constants(project: Project) -> frozenset[str]:
    found: set[str] = set()
    for pf in project.python.values():
        found.update(s.strip("/") for s in file_strings(pf))
    return frozenset(found)


def _string_tails(project: Project) -> frozenset[str]:
    """Return what follows the last `/` of each string constant holding one (`"data/vocab.json"` names `vocab.json`)."""
    strings: frozenset[str] = project.fact("layout.strings", _string_constants)
    return frozenset(s.rsplit("/", 1)[1] for s in strings if "/" in s)


def _doc_text(project: Project) -> str:
    return "\n".join(text for path, text in project.texts.items() if path.lower().endswith(_DOC_SUFFIXES))


def intentional_small_data(project: Project, source: SourceFile, in_package: bool) -> bool:
    """Return True for a data file under 1 MB that the package reads at run time or the docs publish."""
    if source.size >= project.options.threshold("published_data_kb", 1000) * 1000:
        return False
    pure = PurePosixPath(source.path)
    if in_package:
        strings: frozenset[str] = project.fact("layout.strings", _string_constants)
        if pure.parent.name in strings or named_by_code(project, source):
            return True
    docs: str = project.fact("layout.docs", _doc_text)
    return pure.name in docs


def named_by_code(project: Project, source: SourceFile) -> bool:
    """Return True when a string constant of the code names the file or ends a path with its name
    (`resources.files("pkg") / "data/vad.onnx"`): the code reads that very file at run time."""
    pure = PurePosixPath(source.path)
    strings: frozenset[str] = project.fact("layout.strings", _string_constants)
    tails: frozenset[str] = project.fact("layout.string_tails", _string_tails)
    return not strings.isdisjoint({pure.name, source.path}) or pure.name in tails


def documented_scripts(project: Project, scripts: list[str]) -> list[str]:
    """Return the scripts the repository's documentation names (`python train.py ...`)."""
    docs: str = project.fact("layout.docs", _doc_text)
    return [path for path in scripts if PurePosixPath(path).name in docs]
