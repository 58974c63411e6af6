"""Tests of the `production` practice that span several rules (or none in particular)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Status
from tests.helpers import run_audit, write_tree
from tests.rules.production._helpers import BAD_FASTAPI


def test_not_applicable_without_service_notes_console_scripts(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "x"\n[project.scripts]\nmlaudit = "mlaudit.cli:main"\n',
            "x/__init__.py": "",
            "x/app.py": "import gradio as gr\n",
        },
    )
    practice = run_audit(tmp_path).practice("production")
    assert practice.status is Status.NOT_APPLICABLE
    assert practice.status_reason is not None
    assert "console entry points: mlaudit = mlaudit.cli:main" in practice.status_reason
    assert "gradio" in practice.status_reason


def test_applicable_with_flask_service(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": "from flask import Flask\napp = Flask(__name__)\n"})
    assert run_audit(tmp_path).practice("production").status is Status.SCORED


def test_services_only_in_examples_make_the_practice_not_applicable(tmp_path: Path) -> None:
    write_tree(tmp_path, {"examples/serving/app.py": BAD_FASTAPI, "lib/__init__.py": "", "lib/core.py": "x = 1\n"})
    report = run_audit(tmp_path)
    production = report.practice("production")
    assert production.status is Status.NOT_APPLICABLE
    assert "examples/serving/app.py" in (production.status_reason or "")
    assert [f for f in report.findings if f.practice == "production"] == []
