"""Provides hand-built Reports for the report golden tests, and the golden-file comparison."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mlaudit.model import (
    Deduction,
    FileEntry,
    FileKind,
    Finding,
    GitInfo,
    NotChecked,
    PracticeScore,
    Report,
    RuleDoc,
    Severity,
    Skipped,
    Status,
)
from mlaudit.practices import PRACTICES
from mlaudit.scoring import grade as letter_grade

GOLDEN = Path(__file__).parent / "golden"
E, W, INF = Severity.ERROR, Severity.WARNING, Severity.INFO
HOSTILE_PATH = "src/churn/we|ird `name` <script>.py"
HOSTILE_MESSAGE = (
    'print("| col | `x` <script>alert(1)</script>")\n# heading [link](https://evil.example) '
    "@octocat <!-- hidden --> *bold* $x$ #12"
)


def assert_golden(name: str, text: str) -> None:
    """Compare `text` with golden file `name`; MLAUDIT_UPDATE_GOLDEN=1 rewrites it instead."""
    path = GOLDEN / name
    if os.environ.get("MLAUDIT_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"missing golden {path}: run with MLAUDIT_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden (MLAUDIT_UPDATE_GOLDEN=1)"


def doc(code: str, title: str, practice: str, severity: Severity, fix: str) -> RuleDoc:
    """Return a rule doc with fenced before/after snippets, as the registry builds them."""
    return RuleDoc(
        code=code,
        title=title,
        practice=practice,
        severity=severity,
        what=f"Finds {title.lower()}.",
        why=f"{title} makes results hard to trust and to reproduce.",
        example=f"```python\n# before: {code}\nbad()\n```",
        use_instead=f"```python\n# after: {code}\ngood()\n```",
        fix=fix,
    )


RULES = (
    doc("DEP001", "Dependencies not pinned or locked", "dependencies", W, "Lock with `uv lock` and commit uv.lock."),
    doc("DEP004", "Virtual environment committed", "dependencies", E, "Remove .venv/ and add it to .gitignore."),
    doc("LAY001", "No packaging metadata", "layout", E, "Add a pyproject.toml with a [project] table."),
    doc("LOG001", "print in library code", "logging", W, "Use logger = logging.getLogger(__name__)."),
    doc("LOG005", "Exception swallowed silently", "logging", W, "Log the exception or re-raise it."),
    doc("REP001", "Randomness not seeded", "reproducibility", W, "Call set_seed() once at start-up."),
    doc("SEC001", "Hard-coded secret", "security", E, "Read the key from the environment."),
    doc("SEC005", ".env file tracked by git", "security", E, "Untrack .env and add it to .gitignore."),
    doc("TST002", "Test without assertion", "testing", INF, "Assert on the result."),
    doc("TYP001", "Low annotation coverage", "typing", W, "Annotate public functions."),
)


def finding(
    rule: str,
    path: str | None,
    line: int | None,
    message: str,
    cell: int | None = None,
    severity: Severity | None = None,
    suppressed: str | None = None,
    baselined: bool = False,
) -> Finding:
    """Return a finding whose practice, default severity and fix come from RULES."""
    rule_doc = next(d for d in RULES if d.code == rule)
    return Finding(
        rule=rule,
        practice=rule_doc.practice,
        severity=severity or rule_doc.severity,
        path=path,
        line=line,
        cell=cell,
        message=message,
        fix=rule_doc.fix,
        suppressed=suppressed,
        baselined=baselined,
    )


RICH_FINDINGS = (
    finding("LAY001", None, None, "No pyproject.toml, setup.py or setup.cfg: the code cannot be installed"),
    finding("DEP001", "requirements.txt", 3, "torch is not pinned (torch>=2.0) and no lock file covers it"),
    finding("DEP004", ".venv/pyvenv.cfg", None, "Virtual environment .venv/ is committed"),
    finding("LOG001", "src/churn/data.py", 14, 'print("loading", path) in src/churn/data.py'),
    finding("LOG001", "src/churn/data.py", 40, 'print("rows", len(df)) in src/churn/data.py'),
    finding("LOG001", HOSTILE_PATH, 7, HOSTILE_MESSAGE),
    finding("LOG001", "src/churn/train.py", 9, 'print("debug") in src/churn/train.py', suppressed="noqa: LOG001"),
    finding("LOG005", "src/churn/train.py", 88, "except Exception: pass in fit_model swallows the error"),
    finding("REP001", "notebooks/eda.ipynb", 2, "torch.randn used but torch.manual_seed never called", cell=3),
    finding("REP001", "src/churn/train.py", 21, "numpy.random.rand used but numpy is never seeded"),
    finding("SEC001", "src/churn/api.py", 5, "OPENAI_API_KEY = 'sk-p…(51 chars)' hard-coded in src/churn/api.py"),
    finding("SEC005", ".env", None, ".env is tracked by git and not ignored"),
    finding("TST002", "tests/test_data.py", 12, "test_load has no assertion", severity=INF),
    finding("TYP001", "src/churn/old.py", 1, "legacy module without annotations", baselined=True),
)


def practice(
    key: str,
    score: int | None,
    deductions: tuple[Deduction, ...] = (),
    status: Status = Status.SCORED,
    reason: str | None = None,
    metrics: dict[str, float | int | str | None] | None = None,
) -> PracticeScore:
    """Return a practice score from the catalogue's number and title."""
    info = next(p for p in PRACTICES if p.key == key)
    grade = None if score is None else letter_grade(score)
    return PracticeScore(key, info.number, info.title, score, grade, status, reason, metrics or {}, deductions)


def rich_practices() -> tuple[PracticeScore, ...]:
    """Return the eleven practices of the rich report: every status and several deductions."""
    return (
        practice("layout", 80, (Deduction("LAY001", 20, "LAY001 No packaging metadata: 1 error finding"),)),
        practice(
            "dependencies",
            60,
            (
                Deduction("DEP004", 30, "DEP004 Virtual environment committed: 1 error finding"),
                Deduction("DEP001", 10, "DEP001 Dependencies not pinned or locked: 1 warning finding"),
            ),
        ),
        practice(
            "typing",
            85,
            (Deduction("TYP001", 15, "annotation coverage 40% of functions (target 80%)"),),
            metrics={"annotated_function_share": 0.4},
        ),
        practice("functions", 100),
        practice(
            "logging",
            81,
            (
                Deduction("LOG001", 12, "LOG001 print in library code: 3 warning findings"),
                Deduction("LOG005", 7, "LOG005 Exception swallowed silently: 1 warning finding"),
            ),
        ),
        practice("testing", 100),
        practice("performance", None, status=Status.NOT_CHECKED, reason="no rule of this practice could run"),
        practice(
            "reproducibility",
            91,
            (Deduction("REP001", 9, "REP001 Randomness not seeded: 2 warning findings"),),
            metrics={"rng_libraries": "numpy, torch"},
        ),
        practice("interfaces", 100),
        practice("production", None, status=Status.NOT_APPLICABLE, reason="no web service (FastAPI, Flask, ...) found"),
        practice(
            "security",
            45,
            (
                Deduction("SEC001", 35, "SEC001 Hard-coded secret: 1 error finding"),
                Deduction("SEC005", 20, "SEC005 .env file tracked by git: 1 error finding"),
            ),
        ),
    )


INVENTORY = (
    FileEntry(".env", FileKind.CONFIG),
    FileEntry(".gitignore", FileKind.OTHER),
    FileEntry("README.md", FileKind.OTHER),
    FileEntry("requirements.txt", FileKind.MANIFEST),
    FileEntry("notebooks/eda.ipynb", FileKind.NOTEBOOK),
    FileEntry("src/churn/__init__.py", FileKind.LIBRARY),
    FileEntry("src/churn/api.py", FileKind.LIBRARY),
    FileEntry("src/churn/data.py", FileKind.LIBRARY),
    FileEntry("src/churn/train.py", FileKind.LIBRARY),
    FileEntry(HOSTILE_PATH, FileKind.LIBRARY),
    FileEntry("tests/test_data.py", FileKind.TEST),
)


def make_rich() -> Report:
    """Return a report with every status, all severities, notebook, repo-level and hostile findings."""
    return Report(
        mlaudit_version="0.1.0",
        root="/home/user/churn model",
        project_name="churn model",
        git=GitInfo("feature/|x", "0123456789abcdef0123456789abcdef01234567", True),
        score=82,
        grade="B",
        practices=rich_practices(),
        findings=RICH_FINDINGS,
        files={"config": 1, "library": 5, "manifest": 1, "notebook": 1, "other": 2, "test": 1},
        inventory=INVENTORY,
        skipped=(Skipped("src/churn/broken.py", "SyntaxError: invalid syntax (line 3)"),),
        not_checked=(
            NotChecked("pip-audit", "offline: --offline given", "security"),
            NotChecked("coverage", "no .coverage, coverage.xml or coverage.json found", "testing"),
        ),
        rules=RULES,
    )


def make_minimal() -> Report:
    """Return a clean report: everything scored 100 or n/a, no findings, relative root, no git."""
    practices = tuple(
        practice(p.key, None, status=Status.NOT_APPLICABLE, reason="no numeric code")
        if p.key == "performance"
        else practice(p.key, 100)
        for p in PRACTICES
    )
    return Report(
        mlaudit_version="0.1.0",
        root=".",
        project_name="tidy",
        git=None,
        score=100,
        grade="A",
        practices=practices,
        findings=(),
        files={"library": 2},
        inventory=(FileEntry("tidy/__init__.py", FileKind.LIBRARY), FileEntry("tidy/core.py", FileKind.LIBRARY)),
        skipped=(),
        not_checked=(),
        rules=(),
    )


def make_base() -> Report:
    """Return an earlier state of the rich report: lines moved, one finding since fixed, one not yet there."""
    moved = tuple(
        Finding(
            f.rule,
            f.practice,
            f.severity,
            f.path,
            (f.line or 0) + 5 if f.line else None,
            f.cell,
            f.message,
            f.fix,
            f.suppressed,
            f.baselined,
        )
        for f in RICH_FINDINGS
        if f.rule != "SEC001"
    )
    fixed = finding("LOG001", "src/churn/features.py", 3, 'print("features") in src/churn/features.py')
    practices = tuple(
        p
        if p.key not in {"security", "logging"}
        else PracticeScore(
            p.key,
            p.number,
            p.title,
            75 if p.key == "security" else 76,
            "C",
            p.status,
            p.status_reason,
            p.metrics,
            p.deductions,
        )
        for p in rich_practices()
    )
    rich = make_rich()
    return Report(**{**rich.__dict__, "score": 84, "grade": "B", "findings": (*moved, fixed), "practices": practices})


@pytest.fixture
def rich() -> Report:
    """The rich report."""
    return make_rich()


@pytest.fixture
def minimal() -> Report:
    """The clean report."""
    return make_minimal()


@pytest.fixture
def base() -> Report:
    """An earlier state of the rich report."""
    return make_base()
