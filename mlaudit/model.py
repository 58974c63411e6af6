"""Provides the frozen data model shared by every layer: findings, scores and the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

SCHEMA_VERSION = "1.0"


class Severity(StrEnum):
    """How serious a finding is; ordered critical > error > warning > info.

    `critical` is for stop-the-line problems (a live credential, unpickling request data):
    it floors its practice and caps the overall grade.
    """

    CRITICAL = "critical"
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Return 3 for critical, 2 for error, 1 for warning, 0 for info (higher is worse)."""
        return {"critical": 3, "error": 2, "warning": 1, "info": 0}[self.value]


class FileKind(StrEnum):
    """What a file in the audited repository is, as far as the rules care."""

    LIBRARY = "library"
    SCRIPT = "script"
    TEST = "test"
    NOTEBOOK = "notebook"
    CONFIG = "config"
    MANIFEST = "manifest"
    DATA = "data"
    MODEL = "model"
    BINARY = "binary"
    OTHER = "other"


class Status(StrEnum):
    """Whether a practice received a score."""

    SCORED = "scored"
    NOT_APPLICABLE = "n/a"
    NOT_CHECKED = "not_checked"


@dataclass(frozen=True)
class Finding:
    """One concrete problem at one place, with why it matters and how to fix it."""

    rule: str
    practice: str
    severity: Severity
    path: str | None
    line: int | None
    cell: int | None
    message: str
    fix: str
    suppressed: str | None = None
    baselined: bool = False
    fingerprint: str = ""
    commit: str | None = None

    @property
    def location(self) -> str:
        """Return `path:line` (or `path[cell N]:line`, `path:line@commit`), or `(repository)`."""
        if self.path is None:
            return "(repository)"
        where = self.path if self.cell is None else f"{self.path}[cell {self.cell}]"
        where = where if self.line is None else f"{where}:{self.line}"
        return where if self.commit is None else f"{where}@{self.commit}"

    @property
    def counts(self) -> bool:
        """Return True when the finding costs points: every finding that is not suppressed.

        Baselined findings still cost points (the score stays honest); they only stop
        `--fail-on-new` from failing.
        """
        return self.suppressed is None

    @property
    def is_new(self) -> bool:
        """Return True for a counting finding that is not in the baseline."""
        return self.counts and not self.baselined


@dataclass(frozen=True)
class Deduction:
    """Points a practice lost to one rule, with the reason spelled out."""

    rule: str
    points: int
    reason: str


@dataclass(frozen=True)
class PracticeScore:
    """The score of one practice and everything that explains it."""

    key: str
    number: int
    title: str
    score: int | None
    grade: str | None
    status: Status
    status_reason: str | None
    metrics: dict[str, float | int | str | None]
    deductions: tuple[Deduction, ...]
    weight: float = 1.0


@dataclass(frozen=True)
class Skipped:
    """A file mlaudit could not read or parse, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class NotChecked:
    """A check that could not run, and why; never counted as a pass."""

    check: str
    reason: str
    practice: str | None = None


@dataclass(frozen=True)
class GitInfo:
    """Where the audited tree stands in git."""

    branch: str | None
    commit: str | None
    dirty: bool


@dataclass(frozen=True)
class RuleDoc:
    """User-facing documentation of a rule, carried in the report for every view."""

    code: str
    title: str
    practice: str
    severity: Severity
    what: str
    why: str
    example: str
    use_instead: str
    fix: str


@dataclass(frozen=True)
class FileEntry:
    """One file of the audited repository and its kind."""

    path: str
    kind: FileKind


@dataclass(frozen=True)
class Report:
    """Everything one audit found; the single input of every view."""

    mlaudit_version: str
    root: str
    project_name: str
    git: GitInfo | None
    score: int | None
    grade: str | None
    practices: tuple[PracticeScore, ...]
    findings: tuple[Finding, ...]
    files: dict[str, int]
    inventory: tuple[FileEntry, ...]
    skipped: tuple[Skipped, ...]
    not_checked: tuple[NotChecked, ...]
    rules: tuple[RuleDoc, ...]
    profile: str = "default"
    schema_version: str = SCHEMA_VERSION
    incomplete: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def practice(self, key: str) -> PracticeScore:
        """Return the practice with this key."""
        for practice in self.practices:
            if practice.key == key:
                return practice
        raise KeyError(key)

    def findings_for(self, key: str) -> tuple[Finding, ...]:
        """Return the findings of one practice, in report order."""
        return tuple(f for f in self.findings if f.practice == key)

    def rule_doc(self, code: str) -> RuleDoc | None:
        """Return the documentation of a rule, if the report carries it."""
        for doc in self.rules:
            if doc.code == code:
                return doc
        return None
