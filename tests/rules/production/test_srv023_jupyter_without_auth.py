"""Tests of rule SRV023 (`mlaudit/rules/production/srv023_jupyter_without_auth.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import findings, write_tree
from tests.rules.production._helpers import BAD_DOCKERFILE, FLASK_MIN, GOOD_DOCKERFILE


def test_srv023_jupyter_server_without_authentication(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": FLASK_MIN, "Dockerfile": BAD_DOCKERFILE})
    [jupyter] = findings(tmp_path, "SRV023")
    assert jupyter.line == 7


@pytest.mark.parametrize(
    "code",
    [
        "SRV023",
    ],
)
def test_dockerfile_rules_silent_on_pinned_nonroot_image(tmp_path: Path, code: str) -> None:
    write_tree(
        tmp_path, {"app.py": FLASK_MIN, "Dockerfile": GOOD_DOCKERFILE, "start.sh": "jupyter lab --ip=127.0.0.1\n"}
    )
    assert findings(tmp_path, code) == []
