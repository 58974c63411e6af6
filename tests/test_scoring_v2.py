"""Tests for scoring v2: earned points then deductions, scoring modes, critical caps, n/a reasons."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlaudit import evidence
from mlaudit.capabilities import Assessment, Capability, load_capabilities
from mlaudit.model import Deduction, Report, Severity, Status
from mlaudit.project import Project
from mlaudit.registry import load_rules
from mlaudit.report import json as json_report
from mlaudit.report import markdown
from mlaudit.scoring import (
    CAPPED_OVERALL_MAX,
    CRITICAL_PRACTICE_MAX,
    DEFAULT_WEIGHT,
    RuleTally,
    cap_total,
    critical_floor,
    how_scores_work,
    practice_deductions,
    practice_score,
    rule_scoring_line,
    scale_to_earned,
    tally_deductions,
)
from tests.helpers import run_audit, run_audit_rules_only, write_tree

# -- the invariant: score == earned - deductions, within 0..100


@given(st.integers(0, 100), st.lists(st.integers(min_value=1, max_value=80), max_size=25))
def test_score_is_exactly_earned_minus_deductions(earned: int, points: list[int]) -> None:
    deductions = cap_total([Deduction(f"LOG{i:03d}", p, "r") for i, p in enumerate(points)], earned)
    score = practice_score(deductions, earned)
    assert 0 <= score <= earned <= 100
    assert score == earned - sum(d.points for d in deductions)
    assert all(d.points > 0 for d in deductions)
    if sum(points) <= earned:
        assert [d.points for d in deductions] == points


@given(st.integers(21, 100), st.integers(0, 100))
def test_critical_floor_brings_any_score_down_to_twenty_exactly(score: int, unused: int) -> None:
    extra = critical_floor(score, "SEC001", "a.py:1")
    assert extra is not None and score - extra.points == CRITICAL_PRACTICE_MAX
    assert critical_floor(CRITICAL_PRACTICE_MAX - unused % 21, "SEC001", "a.py:1") is None


# -- scoring modes


def test_flat_rule_costs_its_weight_in_a_large_repo_where_density_costs_little() -> None:
    flat = RuleTally("SEC001", "secret", Severity.ERROR, 1, 15, 40, "flat")
    dense = RuleTally("LOG001", "print", Severity.ERROR, 1, 15, 40, "density")
    by_rule = {d.rule: d for d in tally_deductions([flat, dense], 50_000)}
    assert by_rule["SEC001"].points == 15 and by_rule["SEC001"].mode == "flat"
    assert by_rule["LOG001"].points == 1 and "per 1,000 code lines" in by_rule["LOG001"].reason
    assert "(flat, weight 15, cap 40)" in by_rule["SEC001"].reason


def test_density_rule_in_a_small_repo_counts_every_finding() -> None:
    [d] = tally_deductions([RuleTally("LOG001", "print", Severity.WARNING, 1, 8, 25, "density")], 900)
    assert d.points == 8 and "per 1,000" not in d.reason


def test_repository_level_findings_are_never_density_scaled() -> None:
    repo = RuleTally("LAY004", "no README", Severity.WARNING, 1, 8, 25, "density", repo_level=1)
    located = RuleTally("LAY006", "notebook", Severity.WARNING, 1, 8, 25, "density", repo_level=0)
    by_rule = {d.rule: d.points for d in tally_deductions([repo, located], 40_000)}
    assert by_rule["LAY004"] == 8
    assert by_rule["LAY006"] < 8


def test_every_rule_declares_a_known_scoring_mode_and_flat_events_are_flat() -> None:
    rules = load_rules()
    assert {rule.scoring for rule in rules.values()} <= {"density", "flat", "measured"}
    assert rules["SEC001"].scoring == "flat" and rules["SEC005"].scoring == "flat"
    assert rules["LOG001"].scoring == "density"
    assert rules["TST007"].scoring == "measured"


BIG_LIBRARY = "\n".join(f"def f{i}(x: int) -> int:\n    return x + {i}\n" for i in range(1500))


def test_engine_scores_a_committed_secret_flat_in_a_large_repo(tmp_path: Path) -> None:
    token = "ghp_" + "aZ3x9Qm2Lk8Rt5Vb7Nc1Hd4Fg6Js0Wp2Ye8U"
    write_tree(
        tmp_path,
        {"pkg/__init__.py": "", "pkg/big.py": BIG_LIBRARY, "pkg/client.py": f'TOKEN = "{token}"\nprint(TOKEN)\n'},
    )
    report = run_audit_rules_only(tmp_path, select=("SEC001", "LOG001"))
    by_rule = {d.rule: d for p in report.practices for d in p.deductions if d.weight is not None}
    assert by_rule["SEC001"].points == load_rules()["SEC001"].effective_weight()
    assert by_rule["LOG001"].points < load_rules()["LOG001"].effective_weight()


LOADER = "def load(path):\n    print('loading', path)\n    return open(path).read()\n"


def test_the_same_finding_in_course_step_copies_counts_once(tmp_path: Path) -> None:
    steps = {f"week_{n}_docker/data.py": LOADER for n in (1, 2, 3)}
    write_tree(tmp_path / "course", {**steps, **{f"week_{n}_docker/__init__.py": "" for n in (1, 2, 3)}})
    runs = {f"exp{n}/data.py": LOADER for n in (1, 2, 3)}  # numbered experiments drift: each copy counts
    write_tree(tmp_path / "runs", {**runs, **{f"exp{n}/__init__.py": "" for n in (1, 2, 3)}})
    course = run_audit_rules_only(tmp_path / "course", select=("LOG001",))
    runs_report = run_audit_rules_only(tmp_path / "runs", select=("LOG001",))
    [once] = [d for p in course.practices for d in p.deductions if d.rule == "LOG001"]
    [each] = [d for p in runs_report.practices for d in p.deductions if d.rule == "LOG001"]
    assert len([f for f in course.findings if f.rule == "LOG001"]) == 3
    assert "1 warning finding (+2 copies in other course-step folders, counted once)" in once.reason
    assert "counted once" in markdown.render(course)
    twice = LOADER.replace("    return", "    print('loading', path)\n    return")  # the same line twice in one file
    write_tree(tmp_path / "course", {"week_1_docker/data.py": twice})
    recount = run_audit_rules_only(tmp_path / "course", select=("LOG001",))
    [again] = [d for p in recount.practices for d in p.deductions if d.rule == "LOG001"]
    assert "2 warning findings (+2 copies" in again.reason
    assert "3 warning findings" in each.reason and once.points < each.points


# -- critical findings gate the grade

EVAL_SERVICE = """\
from flask import Flask, request

app = Flask(__name__)


@app.post("/score")
def score():
    return {"value": eval(request.json["expr"])}{suffix}
"""


@pytest.fixture
def critical_eval(monkeypatch: pytest.MonkeyPatch) -> None:
    """Declare SEC013 (eval of dynamic input) critical, as for eval of request data."""
    monkeypatch.setattr(load_rules()["SEC013"], "severity", Severity.CRITICAL)


def _eval_repo(root: Path, suffix: str = "") -> Path:
    return write_tree(root, {"app/__init__.py": "", "app/serve.py": EVAL_SERVICE.replace("{suffix}", suffix)})


@pytest.mark.usefixtures("critical_eval")
def test_critical_finding_floors_its_practice_and_caps_the_grade_at_d(tmp_path: Path) -> None:
    report = run_audit(_eval_repo(tmp_path), select=("SEC013", "LAY004"))
    security = report.practice("security")
    assert security.score is not None and security.score <= CRITICAL_PRACTICE_MAX
    assert security.score == security.earned - security.deducted
    assert report.score is not None and report.score <= CAPPED_OVERALL_MAX and report.grade in ("D", "F")
    assert report.cap_note == "capped at D by SEC013 in app/serve.py:8"
    assert any("capped at 20" in d.reason for d in security.deductions)


@pytest.mark.usefixtures("critical_eval")
def test_suppression_with_a_reason_lifts_the_cap_and_stays_visible(tmp_path: Path) -> None:
    suffix = "  # mlaudit: ignore[SEC013] sandboxed: the expression is parsed by our own grammar first"
    report = run_audit_rules_only(_eval_repo(tmp_path, suffix), select=("SEC013", "LAY004"))
    assert report.cap_note is None and report.score is not None and report.score > CAPPED_OVERALL_MAX
    assert report.lifted_note is not None and "SEC013 in app/serve.py:8 suppressed (sandboxed" in report.lifted_note
    assert [f.suppressed for f in report.findings if f.rule == "SEC013"] != [None]


@pytest.mark.usefixtures("critical_eval")
def test_suppression_without_a_reason_does_not_lift_the_cap(tmp_path: Path) -> None:
    report = run_audit(_eval_repo(tmp_path, "  # mlaudit: ignore[SEC013]"), select=("SEC013", "LAY004"))
    assert report.cap_note is not None and report.score is not None and report.score <= CAPPED_OVERALL_MAX


def test_error_finding_does_not_cap_the_grade(tmp_path: Path) -> None:
    local = "def evaluate(expr):\n    return eval(expr)\n"  # not request data: an error, not critical
    repo = write_tree(tmp_path, {"app/__init__.py": "", "app/calc.py": local})
    report = run_audit_rules_only(repo, select=("SEC013", "LAY004"))
    assert [f.severity for f in report.findings if f.rule == "SEC013"] == [Severity.ERROR]
    assert report.cap_note is None and report.caps == ()
    assert report.score is not None and report.score > CAPPED_OVERALL_MAX


# -- an absence is priced once: by the capability, not again by the rule that reports it

NO_CHECKER = {"pkg/__init__.py": "", "pkg/core.py": "def f(x: int) -> int:\n    return x\n"}


def test_rule_restating_a_missing_capability_costs_nothing_more(tmp_path: Path) -> None:
    report = run_audit(write_tree(tmp_path, NO_CHECKER), select=("TYP003",))
    typing = report.practice("typing")
    assert [f.rule for f in report.findings] == ["TYP003"]
    assert [(c.key, c.earned) for c in typing.capabilities if c.key == "type_checker"] == [("type_checker", 0)]
    assert [d.rule for d in typing.deductions] == []


class _CrashingChecker(Capability):
    """A type-checker detector with a bug."""

    key = "type_checker"
    practice = "typing"
    title = "Type checker runs"
    points = 20

    def assess(self, project: Project) -> Assessment:
        raise ValueError("bug")


class _Annotated(Capability):
    """Functions are annotated."""

    key = "functions_annotated"
    practice = "typing"
    title = "Functions annotated"
    points = 80

    def assess(self, project: Project) -> Assessment:
        return Assessment.earned("pkg/core.py:1 is fully annotated", "pkg/core.py", 1)


def test_rule_deducts_when_its_capability_could_not_be_assessed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(evidence, "capabilities_of", lambda p: [_CrashingChecker, _Annotated] if p == "typing" else [])
    typing = run_audit(write_tree(tmp_path, NO_CHECKER), select=("TYP003",)).practice("typing")
    assert typing.earned == 80 and [d.rule for d in typing.deductions] == ["TYP003"]
    assert typing.score == 80 - typing.deductions[0].points < 80


def test_rule_deducts_when_the_practice_has_no_such_capability(tmp_path: Path) -> None:
    typing = run_audit_rules_only(write_tree(tmp_path, NO_CHECKER), select=("TYP003",)).practice("typing")
    assert [d.rule for d in typing.deductions] == ["TYP003"]


def test_every_restated_capability_exists_in_the_rules_practice() -> None:
    known = {(p, c.key) for p, caps in load_capabilities().items() for c in caps}
    restating = {code: (r.practice, r.restates) for code, r in load_rules().items() if r.restates}
    assert restating and {code for code, ident in restating.items() if ident not in known} == set()


def test_flaws_weigh_in_proportion_to_the_points_earned() -> None:
    [half] = scale_to_earned([Deduction("LOG001", 20, "r", "density", 8, 25)], 50)
    assert half.points == 10 and "x0.50" in half.reason
    assert scale_to_earned([Deduction("LOG001", 20, "r")], 100)[0].points == 20


@given(st.integers(0, 100), st.lists(st.integers(min_value=1, max_value=100), max_size=20))
def test_scaled_deductions_keep_an_exact_sum(earned: int, points: list[int]) -> None:
    scaled = scale_to_earned([Deduction(f"LOG{i:03d}", p, "r") for i, p in enumerate(points)], earned)
    expected = (sum(points) * earned + 50) // 100 if earned < 100 else sum(points)
    assert sum(d.points for d in scaled) == expected
    assert all(d.points > 0 for d in scaled)


# -- capabilities: earned points, isolation, views of the data


class _HasReadme(Capability):
    """A README tells a newcomer what the project is."""

    key = "readme"
    practice = "layout"
    title = "README at the root"
    points = 60

    def assess(self, project: Project) -> Assessment:
        if project.has_file("README.md"):
            return Assessment.earned("README.md describes the project", "README.md", 1)
        return Assessment.missing("no README.md at the root")


class _HalfPackaged(Capability):
    """Packaging metadata lets the code be installed."""

    key = "packaging"
    practice = "layout"
    title = "Installable package"
    points = 30

    def assess(self, project: Project) -> Assessment:
        return Assessment.partly(0.5, "setup.cfg without a build backend")


class _Crashes(Capability):
    """A capability whose detector has a bug."""

    key = "broken"
    practice = "layout"
    title = "Broken detector"
    points = 10

    def assess(self, project: Project) -> Assessment:
        raise RuntimeError("detector bug")


@pytest.fixture
def layout_capabilities(monkeypatch: pytest.MonkeyPatch) -> None:
    real = evidence.capabilities_of

    def fake(practice: str) -> list[type[Capability]]:
        return [_HasReadme, _HalfPackaged, _Crashes] if practice == "layout" else real(practice)

    monkeypatch.setattr(evidence, "capabilities_of", fake)


@pytest.mark.usefixtures("layout_capabilities")
def test_capabilities_earn_points_and_findings_deduct_from_them(tmp_path: Path) -> None:
    write_tree(tmp_path, {"README.md": "# demo\n", "a.py": "x = 1\n", "b.py": "y = 2\n", "c.py": "z = 3\n"})
    layout = run_audit(tmp_path, select=("LAY",)).practice("layout")
    earned = {c.key: (c.earned, c.points) for c in layout.capabilities}
    assert earned == {"readme": (60, 60), "packaging": (15, 30), "broken": (0, 10)}
    assert layout.earned == 75 and layout.deducted > 0
    assert layout.score == layout.earned - layout.deducted


@pytest.mark.usefixtures("layout_capabilities")
def test_crashing_capability_earns_nothing_and_is_not_checked(tmp_path: Path) -> None:
    write_tree(tmp_path, {"README.md": "# demo\n", "pkg/__init__.py": ""})
    report = run_audit(tmp_path, select=("LAY",))
    [broken] = [c for c in report.practice("layout").capabilities if c.key == "broken"]
    assert broken.earned == 0 and "detector bug" in broken.evidence
    assert any("broken" in n.check and "RuntimeError" in n.reason for n in report.not_checked)


@pytest.mark.usefixtures("layout_capabilities")
def test_no_findings_is_not_a_hundred_when_capabilities_are_missing(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/core.py": "X = 1\n"})
    layout = run_audit(tmp_path, select=("LAY002",)).practice("layout")
    assert layout.deductions == () and layout.score == 15


@pytest.mark.usefixtures("layout_capabilities")
def test_json_carries_capabilities_and_validates(tmp_path: Path) -> None:
    write_tree(tmp_path, {"README.md": "# demo\n", "pkg/__init__.py": "", "pkg/m.py": "print(1)\n"})
    report = run_audit(tmp_path)
    data = json.loads(json_report.dumps(report))
    jsonschema.validate(data, json_report.schema())
    assert data["schema_version"] == "2.1" and data["scoring_version"] == "2.1"
    assert data["kind"]["kind"] and isinstance(data["kind"]["evidence"], list)
    layout = next(p for p in data["practices"] if p["key"] == "layout")
    assert {k: layout["capabilities"][0][k] for k in ("key", "title", "points", "earned")} == {
        "key": "readme",
        "title": "README at the root",
        "points": 60,
        "earned": 60,
    }
    assert layout["capabilities"][0]["path"] == "README.md"
    assert all({"mode", "weight", "cap"} <= set(d) for p in data["practices"] for d in p["deductions"])
    assert _roundtrip(report) == report


def _roundtrip(report: Report) -> Report:
    return json_report.loads(json_report.dumps(report))


def test_practice_without_capabilities_falls_back_to_a_hundred_minus_deductions(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/m.py": "def f(x):\n    return x\n"})
    report = run_audit(tmp_path, select=("FUN",))
    functions = report.practice("functions")
    if not evidence.capabilities_of("functions"):
        assert functions.earned == 100 and functions.score == 100 - functions.deducted


# -- n/a only with a reason


def test_not_applicable_practices_say_why(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/m.py": "def f(x: int) -> int:\n    return x\n"})
    report = run_audit(tmp_path)
    production = report.practice("production")
    assert production.status is Status.NOT_APPLICABLE and production.score is None
    assert production.status_reason and len(production.status_reason) > 10
    assert all(p.status_reason for p in report.practices if p.status is not Status.SCORED)


def test_service_code_makes_production_applicable(tmp_path: Path) -> None:
    report = run_audit(_eval_repo(tmp_path))
    assert report.practice("production").status is Status.SCORED


# -- docs from the code

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_how_scores_work_is_generated_from_the_scoring_constants() -> None:
    text = README.read_text(encoding="utf-8")
    start = text.index("## How scores work")
    end = text.index("\n## ", start + 3)
    assert text[start:end].strip() == how_scores_work().strip()
    assert f"critical {DEFAULT_WEIGHT[Severity.CRITICAL]}" in how_scores_work()


def test_rule_scoring_line_follows_mode_weight_and_cap() -> None:
    assert "density" in rule_scoring_line("density", 8, 25) and "8 points" in rule_scoring_line("density", 8, 25)
    assert "whatever the size" in rule_scoring_line("flat", 15, 40)
    assert "linearly" in rule_scoring_line("measured", 0, 0)
    assert "no points" in rule_scoring_line("density", 0, 0)


def test_committed_credential_is_critical_and_a_test_fixture_is_not(tmp_path: Path) -> None:
    token = "ghp_" + "aZ3x9Qm2Lk8Rt5Vb7Nc1Hd4Fg6Js0Wp2Ye8U"
    write_tree(tmp_path / "live", {"pkg/__init__.py": "", "pkg/push.py": f'TOKEN = "{token}"\n'})
    write_tree(tmp_path / "fixture", {"pkg/__init__.py": "", "tests/test_push.py": f'TOKEN = "{token}"\n'})
    live = run_audit(tmp_path / "live", select=("SEC001",))
    assert live.cap_note == "capped at D by SEC001 in pkg/push.py:1"
    assert (live.practice("security").score or 0) <= CRITICAL_PRACTICE_MAX
    fixture = run_audit(tmp_path / "fixture", select=("SEC001",))
    assert [f.severity for f in fixture.findings] == [Severity.INFO] and fixture.cap_note is None


# -- an absent practice scores 10 or less (capabilities and rules together)

TRAINING_SCRIPT = """\
import numpy as np
import pandas as pd


def train(path):
    frame = pd.read_csv(path)
    weights = np.linalg.lstsq(frame[["a", "b"]].to_numpy(), frame["y"].to_numpy(), rcond=None)[0]
    print("weights", weights)
    return weights


if __name__ == "__main__":
    train("data.csv")
"""


def test_absent_tests_dependencies_and_logging_score_ten_or_less(tmp_path: Path) -> None:
    write_tree(tmp_path, {"train.py": TRAINING_SCRIPT, "README.md": "# model\n"})
    report = run_audit(tmp_path)
    for key in ("testing", "dependencies", "logging"):
        practice = report.practice(key)
        assert practice.score is not None and practice.score <= 10, (key, practice.score)
        assert practice.score == practice.earned - practice.deducted


def test_present_tests_dependencies_and_logging_score_above_ten(tmp_path: Path) -> None:
    logged = TRAINING_SCRIPT.replace("import numpy", "import logging\nimport numpy").replace(
        'print("weights", weights)', 'logging.getLogger(__name__).info("weights %s", weights)'
    )
    write_tree(
        tmp_path,
        {
            "train.py": logged,
            "README.md": "# model\n",
            "requirements.txt": "numpy==1.26.4\npandas==2.2.2\n",
            "tests/test_train.py": "from train import train\n\n\ndef test_train(tmp_path):\n    assert train is not None\n",
        },
    )
    report = run_audit(tmp_path)
    for key in ("testing", "dependencies", "logging"):
        assert (report.practice(key).score or 0) > 10, (key, report.practice(key).score)


@given(
    st.integers(0, 100),
    st.lists(st.tuples(st.integers(1, 120), st.sampled_from(["density", "flat", "measured"])), max_size=15),
    st.booleans(),
)
def test_practice_deductions_keep_the_invariant(earned: int, raw: list[tuple[int, str]], critical: bool) -> None:
    deductions = practice_deductions(
        [Deduction(f"SEC{i:03d}", p, "r", mode) for i, (p, mode) in enumerate(raw)],
        earned,
        ("SEC001", "a.py:1") if critical else None,
    )
    score = practice_score(deductions, earned)
    assert 0 <= score <= earned and score == earned - sum(d.points for d in deductions)
    assert all(d.points > 0 for d in deductions)
    if critical:
        assert score <= CRITICAL_PRACTICE_MAX
    elif not raw:
        assert score == earned
