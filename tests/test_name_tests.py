"""NameTest answers as its regex does, once per distinct name, within a bounded table."""

from __future__ import annotations

import re

import pytest

from mlaudit import name_tests
from mlaudit.name_tests import NameTest

PATTERN = re.compile(r"assert|^check_")


def test_answers_as_the_regex_searches_and_matches() -> None:
    names = ["assert_allclose", "self_assert", "check_array", "recheck_array", "fit", ""]
    searched, matched = NameTest(PATTERN), NameTest(PATTERN, anchored=True)
    assert [searched(n) for n in names] == [PATTERN.search(n) is not None for n in names] == [1, 1, 1, 0, 0, 0]
    assert [matched(n) for n in names] == [PATTERN.match(n) is not None for n in names] == [1, 0, 1, 0, 0, 0]
    assert [searched(n) for n in names] == [1, 1, 1, 0, 0, 0]  # remembered answers are the same answers
    assert set(searched.known) == set(names)


def test_table_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(name_tests, "MAX_REMEMBERED", 3)
    test = NameTest(PATTERN)
    for name in ("a", "b", "c", "assert_x"):
        test(name)
    assert set(test.known) == {"assert_x"} and test("assert_x") and not test("a")


def test_matching_answers_for_a_set_of_names_as_one_at_a_time() -> None:
    test = NameTest(PATTERN)
    assert test("check_x") and not test("fit")  # some names known before, some not
    names = {"assert_allclose", "check_x", "fit", "recheck_array", "self_assert"}
    assert (
        test.matching(names) == {n for n in names if PATTERN.search(n)} == {"assert_allclose", "check_x", "self_assert"}
    )
    assert set(test.known) == names and test.matching(set()) == set()


def test_matching_survives_a_full_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(name_tests, "MAX_REMEMBERED", 2)
    test = NameTest(PATTERN)
    assert test.matching({"assert_a", "assert_b", "check_c", "d", "e"}) == {"assert_a", "assert_b", "check_c"}
