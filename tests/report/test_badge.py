"""Tests the shields.io endpoint badge."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from mlaudit.report import badge
from tests.report.conftest import assert_golden, make_minimal, make_rich


def test_golden_badges() -> None:
    assert_golden("rich.badge.json", badge.render(make_rich()))
    assert_golden("minimal.badge.json", badge.render(make_minimal()))


def test_badge_fields() -> None:
    data = json.loads(badge.render(make_rich()))
    assert data == {"schemaVersion": 1, "label": "mlaudit", "message": "B 82 (9/11 scored)", "color": "green"}


@pytest.mark.parametrize(
    ("grade", "color"), [("A", "brightgreen"), ("B", "green"), ("C", "yellow"), ("D", "orange"), ("F", "red")]
)
def test_colour_by_grade(grade: str, color: str) -> None:
    assert json.loads(badge.render(replace(make_rich(), grade=grade)))["color"] == color


def test_unscored_report() -> None:
    data = json.loads(badge.render(replace(make_rich(), score=None, grade=None)))
    assert data["message"] == "not scored"
    assert data["color"] == "lightgrey"
