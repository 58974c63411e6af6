"""Tests of rule SRV021 (`mlaudit/rules/production/srv021_container_runs_as_root.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlaudit.model import Severity
from tests.helpers import findings, write_tree
from tests.rules.production._helpers import BAD_DOCKERFILE, FLASK_MIN, GOOD_DOCKERFILE


def test_srv021_container_runs_as_root(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": FLASK_MIN, "Dockerfile": BAD_DOCKERFILE})
    [root] = findings(tmp_path, "SRV021")
    assert root.severity is Severity.INFO


@pytest.mark.parametrize(
    "code",
    [
        "SRV021",
    ],
)
def test_dockerfile_rules_silent_on_pinned_nonroot_image(tmp_path: Path, code: str) -> None:
    write_tree(
        tmp_path, {"app.py": FLASK_MIN, "Dockerfile": GOOD_DOCKERFILE, "start.sh": "jupyter lab --ip=127.0.0.1\n"}
    )
    assert findings(tmp_path, code) == []
