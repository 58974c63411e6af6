"""Provides the frozen data model shared by every layer: findings, scores and the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

SCHEMA_VERSION = "2.1"  # 2.1: rules carry `restates`
SCORING_VERSION = "2.1"  # 2.1: tracker 15 and log levels 5 points; scripts are not library code in logging
"""Changes whenever the same repository could score differently; `--compare` warns across versions."""


NO_REASON = "(no reason given)"
"""What a finding's `suppressed` holds when the suppression gave no reason."""
CAP_GRADE = "D"
"""The best overall grade a repository with a counting critical finding can get."""


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
    subject: str = field(default="", compare=False)
    """What the finding is about when it has no code line of its own (a package and its advisories, a
    function); with rule and path it makes the fingerprint. Never the message text. Spent once the
    fingerprint is made: JSON carries the fingerprint, so a report read back has no subject and is equal."""
    suppressed_by: str | None = None
    """Where the suppression came from: "comment" (inline in the source) or "config"."""
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
    def caps_grade(self) -> bool:
        """Return True for a critical finding not suppressed with a reason: it caps the grade."""
        if self.severity is not Severity.CRITICAL:
            return False
        return self.suppressed is None or self.suppressed in ("", NO_REASON)

    @property
    def is_new(self) -> bool:
        """Return True for a counting finding that is not in the baseline."""
        return self.counts and not self.baselined


@dataclass(frozen=True)
class Deduction:
    """Points a practice lost to one rule, with the reason spelled out.

    `mode` is how the rule scores (`density`, `flat` or `measured`); `weight` and `cap` are the
    points of its first finding and the most it can cost (None for measured values).
    """

    rule: str
    points: int
    reason: str
    mode: str = "flat"
    weight: int | None = None
    cap: int | None = None


@dataclass(frozen=True)
class CapabilityScore:
    """One capability of a practice: its points, what it earned, and the evidence or what is missing."""

    key: str
    title: str
    points: int
    earned: int
    evidence: str
    path: str | None = None
    line: int | None = None

    @property
    def missing(self) -> int:
        """Return the points not earned."""
        return self.points - self.earned

    @property
    def location(self) -> str | None:
        """Return `path:line` (or `path`) of the evidence, if there is one."""
        if self.path is None:
            return None
        return self.path if self.line is None else f"{self.path}:{self.line}"


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
    capabilities: tuple[CapabilityScore, ...] = ()

    @property
    def earned(self) -> int:
        """Return the points earned before deductions (100 while a practice has no capabilities)."""
        if not self.capabilities:
            return 100
        return sum(c.earned for c in self.capabilities)

    @property
    def deducted(self) -> int:
        """Return the sum of the deductions; a scored practice's score is `earned - deducted`."""
        return sum(d.points for d in self.deductions)


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
    scoring: str = "density"
    weight: int = 0
    cap: int = 0
    restates: str | None = None  # the practice capability whose absence this rule reports (it prices the rule)


@dataclass(frozen=True)
class ProjectKindInfo:
    """What kind of project the repository is (library, service, ...) and the evidence for it."""

    kind: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class GradeCap:
    """A critical finding that caps the overall grade at D; `suppressed` (a reason) lifts it."""

    rule: str
    location: str
    suppressed: str | None = None

    @property
    def active(self) -> bool:
        """Return True while the cap applies (no suppression with a reason)."""
        return self.suppressed is None

    @property
    def label(self) -> str:
        """Return `SEC005 in scripts/push.sh:3` (where the cap comes from)."""
        return f"{self.rule} in {self.location}"


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
    scoring_version: str = SCORING_VERSION
    kind: ProjectKindInfo | None = None
    caps: tuple[GradeCap, ...] = ()

    @property
    def active_caps(self) -> tuple[GradeCap, ...]:
        """Return the critical findings that cap the grade now."""
        return tuple(c for c in self.caps if c.active)

    @property
    def cap_note(self) -> str | None:
        """Return `capped at D by SEC005 in scripts/push.sh` (plus how many more), or None."""
        active = self.active_caps
        if not active:
            return None
        more = f" and {len(active) - 1} more critical finding(s)" if len(active) > 1 else ""
        return f"capped at {CAP_GRADE} by {active[0].label}{more}"

    @property
    def lifted_note(self) -> str | None:
        """Return what lifted a cap (`cap lifted: SEC005 in x suppressed: rotated ...`), or None."""
        lifted = [c for c in self.caps if not c.active]
        if not lifted:
            return None
        return "cap lifted: " + "; ".join(f"{c.label} suppressed ({c.suppressed})" for c in lifted)

    @property
    def scored(self) -> tuple[int, int]:
        """Return how many practices received a score, and of how many."""
        return sum(1 for p in self.practices if p.status is Status.SCORED), len(self.practices)

    @property
    def scored_note(self) -> str:
        """Return "k of 11 practices scored", shown beside the grade in every view."""
        scored, total = self.scored
        return f"{scored} of {total} practices scored"

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
