"""Tests for scoring: diminishing returns, density, caps, and exact deduction sums."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from mlaudit.model import Deduction, Severity
from mlaudit.scoring import (
    RuleTally,
    cap_total,
    grade,
    linear_points,
    overall,
    practice_score,
    rule_points,
    tally_deductions,
)


def test_first_finding_costs_the_weight_and_more_cost_less_each() -> None:
    costs = [rule_points(5, 20, n, 300) for n in range(1, 8)]
    assert costs[0] == 5
    steps = [b - a for a, b in itertools.pairwise(costs)]
    assert all(s >= 0 for s in steps) and steps[0] > steps[-1]
    assert max(costs) <= 20


def test_density_means_a_large_repo_is_not_punished_for_size() -> None:
    small = rule_points(5, 20, 4, 800)
    large = rule_points(5, 20, 40, 10_000)
    assert small == large


def test_info_costs_nothing() -> None:
    assert rule_points(0, 0, 50, 100) == 0


@given(st.lists(st.integers(min_value=1, max_value=60), max_size=30))
def test_deductions_add_up_to_100_minus_score(points: list[int]) -> None:
    deductions = cap_total([Deduction(f"LOG{i:03d}", p, "r") for i, p in enumerate(points)])
    score = practice_score(deductions)
    assert 0 <= score <= 100
    assert sum(d.points for d in deductions) == 100 - score
    assert all(d.points > 0 for d in deductions)


@given(
    st.lists(
        st.tuples(st.sampled_from(list(Severity)), st.integers(1, 200), st.integers(0, 30), st.integers(0, 40)),
        max_size=12,
    ),
    st.integers(0, 50_000),
)
def test_tallies_never_exceed_caps_and_sum_exactly(rows: list[tuple[Severity, int, int, int]], lines: int) -> None:
    tallies = [RuleTally(f"FUN{i:03d}", "t", sev, n, w, c) for i, (sev, n, w, c) in enumerate(rows)]
    deductions = cap_total(tally_deductions(tallies, lines))
    for d, t in zip(
        tally_deductions(tallies, lines),
        [t for t in tallies if rule_points(t.weight, t.cap, t.count, lines)],
        strict=True,
    ):
        assert d.points <= max(t.cap, 0)
    assert sum(d.points for d in deductions) == 100 - practice_score(deductions)


def test_linear_points() -> None:
    assert linear_points(0.9, 0.0, 0.9, 60) == 0
    assert linear_points(0.0, 0.0, 0.9, 60) == 60
    assert linear_points(0.45, 0.0, 0.9, 60) == 30
    assert linear_points(1.5, 0.0, 0.9, 60) == 0


def test_grades_and_weighted_overall() -> None:
    assert [grade(s) for s in (95, 90, 89, 80, 70, 60, 59)] == ["A", "A", "B", "B", "C", "D", "F"]
    assert overall({"a": 100, "b": 50}, {"a": 3.0}) == 88
    assert overall({}, {}) is None
