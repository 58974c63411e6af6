"""Provides the rule base class, what rules yield, and the registry of rules by code."""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from mlaudit.model import FileKind, RuleDoc, Severity
from mlaudit.practices import PRACTICE_KEYS
from mlaudit.scoring import DEFAULT_CAP, DEFAULT_WEIGHT, SCORING_MODES

if TYPE_CHECKING:
    from mlaudit.project import Project, PythonFile

CODE_PATTERN = re.compile(r"^[A-Z]{3}\d{3}$")
DOC_SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead")


@dataclass(frozen=True)
class Hit:
    """A rule's raw finding: where and what; the engine adds the rule's metadata.

    For notebooks `line` is a line of the parsed text (mapped to its cell by the engine)
    unless `cell` is given, in which case `line` is already relative to that cell.
    """

    path: str | None
    line: int | None
    message: str
    severity: Severity | None = None
    fix: str | None = None
    cell: int | None = None
    subject: str | None = None
    """A stable name for what is flagged (package and advisory ids, function), for fingerprints."""
    commit: str | None = None


@dataclass(frozen=True)
class Metric:
    """A measured value; `points` is what it costs the practice (0 for a pure metric)."""

    key: str
    value: float | int | str | None
    points: int = 0
    reason: str = ""


@dataclass(frozen=True)
class NotRun:
    """A check the rule could not run, and why; never counted as a pass."""

    check: str
    reason: str


Output = Hit | Metric | NotRun


class Rule:
    """Base of every rule. Subclasses set the class attributes and implement `check`.

    The subclass docstring is the user-facing documentation, with the sections
    `## What it does`, `## Why is this bad?`, `## Example` and `## Use instead`.
    """

    code: ClassVar[str]
    title: ClassVar[str]
    practice: ClassVar[str]
    severity: ClassVar[Severity]
    fix: ClassVar[str]
    weight: ClassVar[int | None] = None
    cap: ClassVar[int | None] = None
    scoring: ClassVar[str] = "density"
    """How findings cost points: `density` (pervasive habits, per 1,000 code lines), `flat`
    (discrete events, every one counts) or `measured` (a metric's own points)."""
    restates: ClassVar[str | None] = None
    """Key of the practice capability whose absence this rule reports, or points at where it is missing
    (`type_checker`): while that capability is assessed, its unearned points price the absence and the
    rule costs nothing more; views list the rule's findings under that capability's fix."""
    needs: ClassVar[tuple[str, ...]] = ()

    def check(self, project: Project) -> Iterable[Output]:
        """Yield hits, metrics and not-run notes for the project."""
        raise NotImplementedError

    @classmethod
    def doc(cls) -> RuleDoc:
        """Return the rule's documentation parsed from its docstring."""
        sections = parse_doc_sections(inspect.getdoc(cls) or "")
        return RuleDoc(
            code=cls.code,
            title=cls.title,
            practice=cls.practice,
            severity=cls.severity,
            what=sections.get("What it does", ""),
            why=sections.get("Why is this bad?", ""),
            example=sections.get("Example", ""),
            use_instead=sections.get("Use instead", ""),
            fix=cls.fix,
            scoring=cls.scoring,
            weight=cls.effective_weight(),
            cap=cls.effective_cap(),
            restates=cls.restates,
        )

    @classmethod
    def effective_weight(cls) -> int:
        """Return the points of the rule's first finding (its own or its severity's default)."""
        return min(cls.weight if cls.weight is not None else DEFAULT_WEIGHT[cls.severity], cls.effective_cap())

    @classmethod
    def effective_cap(cls) -> int:
        """Return the most points the rule's findings can cost (its own or its severity's default)."""
        return cls.cap if cls.cap is not None else DEFAULT_CAP[cls.severity]


class FileRule(Rule):
    """Base of a rule whose findings in a file depend on that file alone (and its kind).

    Subclasses set `file_kinds` and implement `check_file`; its hits are a per-file fact
    (`hits_fact(code)`), so the fact cache (`mlaudit.filefacts`) keeps them for unchanged files.
    `check_file` must not read the project or its options.
    """

    file_kinds: ClassVar[tuple[FileKind, ...]]

    def check(self, project: Project) -> Iterable[Output]:
        """Yield the hits of every file of `file_kinds`, in the project's order."""
        for pf in project.python_of(*self.file_kinds):
            yield from pf.file_fact(hits_fact(self.code), self.file_hits)

    def file_hits(self, pf: PythonFile) -> tuple[Hit, ...]:
        """Return the hits of one file."""
        return tuple(self.check_file(pf))

    def check_file(self, pf: PythonFile) -> Iterable[Hit]:
        """Yield the hits of one file."""
        raise NotImplementedError


def hits_fact(code: str) -> str:
    """Return the per-file fact name of a file rule's hits."""
    return f"hits.{code}"


def parse_doc_sections(text: str) -> dict[str, str]:
    """Split a docstring into its `## Heading` sections."""
    sections: dict[str, str] = {}
    current: str | None = None
    buffer: list[str] = []
    for line in text.splitlines():
        if line.startswith("## "):
            if current is not None:
                sections[current] = "\n".join(buffer).strip()
            current, buffer = line[3:].strip(), []
        elif current is not None:
            buffer.append(line)
    if current is not None:
        sections[current] = "\n".join(buffer).strip()
    return sections


_RULES: dict[str, type[Rule]] = {}
_APPLICABILITY: dict[str, Callable[[Project], str | None]] = {}


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator adding a rule to the registry; codes are unique and well-formed."""
    if not CODE_PATTERN.match(cls.code):
        raise ValueError(f"bad rule code {cls.code!r}")
    if cls.practice not in PRACTICE_KEYS:
        raise ValueError(f"{cls.code}: unknown practice {cls.practice!r}")
    if cls.scoring not in SCORING_MODES:
        raise ValueError(f"{cls.code}: unknown scoring mode {cls.scoring!r}")
    if cls.code in _RULES and _RULES[cls.code] is not cls:
        raise ValueError(f"duplicate rule code {cls.code}")
    _RULES[cls.code] = cls
    return cls


def applicability(practice: str) -> Callable[[Callable[[Project], str | None]], Callable[[Project], str | None]]:
    """Decorator registering a practice's n/a test: it returns a reason, or None if it applies."""

    def wrap(func: Callable[[Project], str | None]) -> Callable[[Project], str | None]:
        _APPLICABILITY[practice] = func
        return func

    return wrap


@functools.cache
def import_submodules(package_name: str) -> None:
    """Import every public submodule of a package and its subpackages, once per process.

    Rule and capability modules register themselves on import; `_private` modules are helpers.
    """
    package = importlib.import_module(package_name)
    for module in pkgutil.iter_modules(package.__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{package_name}.{module.name}")
            if module.ispkg:
                import_submodules(f"{package_name}.{module.name}")


def load_rules() -> dict[str, type[Rule]]:
    """Import every rule module (once) and return all rules by code."""
    import_submodules("mlaudit.rules")
    return dict(sorted(_RULES.items()))


def applicability_of(practice: str) -> Callable[[Project], str | None] | None:
    """Return the practice's n/a test, if it declares one."""
    load_rules()
    return _APPLICABILITY.get(practice)


def select_rules(
    rules: dict[str, type[Rule]], select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> list[type[Rule]]:
    """Filter rules by code or prefix: `select` keeps, then `ignore` drops."""
    selected = tuple(s.upper() for s in select)
    ignored = tuple(s.upper() for s in ignore)
    return [
        rule
        for code, rule in rules.items()
        if (not selected or code.startswith(selected)) and not (ignored and code.startswith(ignored))
    ]


def unknown_codes(rules: dict[str, type[Rule]], codes: Iterable[str]) -> list[str]:
    """Return the given codes or prefixes that match no rule."""
    return [c for c in codes if not any(code.startswith(c.upper()) for code in rules)]


def iter_docs(rules: Iterable[type[Rule]]) -> Iterator[RuleDoc]:
    """Yield the documentation of each rule."""
    for rule in rules:
        yield rule.doc()
