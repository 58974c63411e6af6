"""Tests of rule SEC006 (`mlaudit/rules/security/sec006_scattered_environment_reads.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


def test_sec006_env_reads_in_three_modules(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": ""}
    for i, name in enumerate(["BUCKET", "OPENAI_API_KEY", "DB_URL"]):
        files[f"pkg/m{i}.py"] = f'import os\nVALUE = os.getenv("{name}")\n'
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "SEC006")
    assert "3 library modules" in hit.message and "OPENAI_API_KEY" in hit.message


def test_sec006_silent_for_launcher_contracts_and_settings(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": ""}
    for i, name in enumerate(["RANK", "LOCAL_RANK", "SLURM_JOB_ID", "WORLD_SIZE"]):
        files[f"pkg/d{i}.py"] = f'import os\nVALUE = int(os.environ["{name}"])\n'
    files["pkg/config.py"] = (
        "import os\nfrom pydantic_settings import BaseSettings\nclass S(BaseSettings):\n    x: int = 1\n"
        'B = os.getenv("BUCKET")\n'
    )
    write_tree(tmp_path, files)
    assert findings(tmp_path, "SEC006") == []


def test_sec006_a_docs_build_reading_its_host_is_not_library_configuration(tmp_path: Path) -> None:
    """docs/conf.py reads READTHEDOCS to style the docs build: two library modules remain, under the limit;
    a third library module (`pkg/cache.py`, the look-alike) makes three."""
    files = {"pkg/__init__.py": "", "docs/conf.py": 'import os\nON_RTD = os.environ.get("READTHEDOCS") == "True"\n'}
    for i, name in enumerate(["BUCKET", "DB_URL"]):
        files[f"pkg/m{i}.py"] = f'import os\nVALUE = os.getenv("{name}")\n'
    write_tree(tmp_path, files)
    assert findings(tmp_path, "SEC006") == []
    write_tree(tmp_path, {"pkg/cache.py": 'import os\nROOT = os.getenv("CACHE_ROOT")\n'})
    [hit] = findings(tmp_path, "SEC006")
    assert "3 library modules" in hit.message and "READTHEDOCS" not in hit.message
