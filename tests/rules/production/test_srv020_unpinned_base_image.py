"""Tests of rule SRV020 (`mlaudit/rules/production/srv020_unpinned_base_image.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import findings, write_tree
from tests.rules.production._helpers import BAD_DOCKERFILE, FLASK_MIN, GOOD_DOCKERFILE


def test_srv020_unpinned_base_images(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": FLASK_MIN, "Dockerfile": BAD_DOCKERFILE})
    assert sorted(f.line or 0 for f in findings(tmp_path, "SRV020")) == [1, 3]


@pytest.mark.parametrize(
    "code",
    [
        "SRV020",
    ],
)
def test_dockerfile_rules_silent_on_pinned_nonroot_image(tmp_path: Path, code: str) -> None:
    write_tree(
        tmp_path, {"app.py": FLASK_MIN, "Dockerfile": GOOD_DOCKERFILE, "start.sh": "jupyter lab --ip=127.0.0.1\n"}
    )
    assert findings(tmp_path, code) == []


def test_srv020_fix_names_the_image_to_pin(tmp_path: Path) -> None:
    recipe = (
        "FROM registry.local:5000/team/lambda-python:latest\nCOPY app.py .\n"
        "FROM amazon/aws-lambda-python\nCOPY app.py .\n"
    )
    write_tree(tmp_path, {"app.py": FLASK_MIN, "Dockerfile": recipe})
    fixes = {f.line: f.fix or "" for f in findings(tmp_path, "SRV020")}
    assert "(registry.local:5000/team/lambda-python:<version>" in fixes[1]
    assert "(amazon/aws-lambda-python:<version>" in fixes[3]
    assert all("python:3.11" not in fix for fix in fixes.values())
