"""Tests of rule SRV022 (`mlaudit/rules/production/srv022_secret_in_dockerfile.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import findings, write_tree
from tests.rules.production._helpers import BAD_DOCKERFILE, FLASK_MIN, GOOD_DOCKERFILE


def test_srv022_secret_in_dockerfile_env_is_redacted(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": FLASK_MIN, "Dockerfile": BAD_DOCKERFILE})
    [secret] = findings(tmp_path, "SRV022")
    assert secret.line == 4 and "API_KEY=abcd…(16 chars)" in secret.message and "abcd1234efgh" not in secret.message


@pytest.mark.parametrize(
    "code",
    [
        "SRV022",
    ],
)
def test_dockerfile_rules_silent_on_pinned_nonroot_image(tmp_path: Path, code: str) -> None:
    write_tree(
        tmp_path, {"app.py": FLASK_MIN, "Dockerfile": GOOD_DOCKERFILE, "start.sh": "jupyter lab --ip=127.0.0.1\n"}
    )
    assert findings(tmp_path, code) == []
