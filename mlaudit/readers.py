"""Provides the structured-file readers: each TOML, INI and requirements file parsed once per audit.

Rules and capabilities ask `pyproject(project)`, `toml_file`, `ini_file` or `requirements_file`;
the first ask parses the text the project already read, every later ask shares that result
(`project.fact`). A file that cannot be parsed gives no data and the reason, so a rule can say
"skipped: why". Notebooks are parsed once by `project.parse_notebook`, which also keeps the
strings the secret sweep needs; there is no YAML reader because no rule needs parsed YAML:
the YAML rules need line numbers, which they read from the text.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import configparser

    from mlaudit.project import Project

_HASH = re.compile(r"\s--hash[=\s]\S+")
_COMMENT = re.compile(r"(^|\s)#.*$")


class TomlError(ValueError):
    """TOML text that cannot be parsed; the message is a one-line reason."""


@dataclass(frozen=True)
class TomlFile:
    """One TOML file: its tables (None when missing or malformed) and why it could not be parsed."""

    path: str
    data: dict[str, Any] | None
    error: str | None = None

    @property
    def table(self) -> dict[str, Any]:
        """Return the parsed tables, empty when the file is missing or malformed."""
        return self.data if self.data is not None else {}


@dataclass(frozen=True)
class IniFile:
    """One INI file (setup.cfg, tox.ini, mypy.ini): its parser (None when missing or malformed) and why."""

    path: str
    parser: configparser.ConfigParser | None
    error: str | None = None

    def section(self, name: str) -> dict[str, str] | None:
        """Return a section's options (defaults included), or None when there is no such section."""
        if self.parser is None or not self.parser.has_section(name):
            return None
        return dict(self.parser[name])


@dataclass(frozen=True)
class RequirementsFile:
    """One pip requirements or constraints file as logical lines: (first line number, text).

    Continuation lines are joined; comments and `--hash` options are cut; blank lines dropped.
    """

    path: str
    lines: tuple[tuple[int, str], ...]


def loads_toml(text: str) -> dict[str, Any]:
    """Parse TOML text; raise TomlError with a one-line reason."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise TomlError(str(err)) from None
    except RecursionError:
        raise TomlError("nested too deeply") from None


def toml_file(project: Project, path: str) -> TomlFile:
    """Return the TOML file at `path`, parsed once per audit."""
    result: TomlFile = project.fact(f"readers.toml:{path}", lambda p: _read_toml(p, path))
    return result


def pyproject(project: Project) -> dict[str, Any]:
    """Return `pyproject.toml`'s tables, empty when it is missing or malformed."""
    return toml_file(project, "pyproject.toml").table


def metadata_readme(project: Project) -> str | None:
    """Return the readme file pyproject.toml's package metadata names (`readme = "DESCRIPTION.md"` in
    [project] or [tool.poetry]) when the repository holds it: the project's README under another name."""
    data = pyproject(project)
    tool = data.get("tool")
    tables = (data.get("project"), tool.get("poetry") if isinstance(tool, dict) else None)
    for table in tables:
        readme = table.get("readme") if isinstance(table, dict) else None
        if isinstance(readme, dict):
            readme = readme.get("file")
        if isinstance(readme, list) and readme:
            readme = readme[0]
        if isinstance(readme, str) and project.has_file(readme.removeprefix("./")):
            return readme.removeprefix("./")
    return None


def ini_file(project: Project, path: str) -> IniFile:
    """Return the INI file at `path`, parsed once per audit (no interpolation, duplicates tolerated)."""
    result: IniFile = project.fact(f"readers.ini:{path}", lambda p: _read_ini(p, path))
    return result


def requirements_file(project: Project, path: str) -> RequirementsFile:
    """Return the requirements file at `path` as logical lines, read once per audit."""
    result: RequirementsFile = project.fact(
        f"readers.requirements:{path}", lambda p: RequirementsFile(path, tuple(logical_lines(p.text(path) or "")))
    )
    return result


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield (first line number, text) of each requirement line: continuations joined, comments and hashes cut."""
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not pending:
            start = number
        line = _COMMENT.sub("", raw)
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        joined = _HASH.sub("", " " + pending + line).strip()
        pending = ""
        if joined:
            yield start, joined


def _read_toml(project: Project, path: str) -> TomlFile:
    text = project.text(path)
    if text is None:
        return TomlFile(path, None)
    try:
        return TomlFile(path, loads_toml(text))
    except TomlError as err:
        return TomlFile(path, None, str(err))


def _read_ini(project: Project, path: str) -> IniFile:
    text = project.text(path)
    if text is None:
        return IniFile(path, None)
    import configparser  # here: only a project with INI files needs it

    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error as err:
        return IniFile(path, None, type(err).__name__)
    return IniFile(path, parser)
