"""Tests of the typing capabilities: annotation shares, a configured checker and linter, run automatically."""

from __future__ import annotations

from pathlib import Path

from tests.capabilities.util import assess, earned_points
from tests.helpers import write_tree

TYPED = """def load(path: str, limit: int = 10) -> list[str]:
    return open(path).read().splitlines()[:limit]


def score(values: list[float]) -> float:
    return sum(values) / len(values)
"""
UNTYPED = """def load(path, limit=10):
    return open(path).read().splitlines()[:limit]


def score(values):
    return sum(values) / len(values)
"""
MYPY = "[project]\nname = 'churn'\n\n[tool.mypy]\nstrict = true\n\n[tool.ruff]\nline-length = 100\n"


def test_annotated_functions_earn(tmp_path: Path) -> None:
    result = assess(tmp_path, "typing", "functions_annotated", {"churn/__init__.py": "", "churn/io.py": TYPED})
    assert result.share == 1
    assert "2 of 2" in result.evidence


def test_untyped_functions_earn_nothing(tmp_path: Path) -> None:
    result = assess(tmp_path, "typing", "functions_annotated", {"churn/__init__.py": "", "churn/io.py": UNTYPED})
    assert result.share == 0


def test_the_best_module_is_judged_by_functions_with_something_to_annotate(tmp_path: Path) -> None:
    # blocks.py's three `__init__(self)` have nothing to annotate: it is no "best" module, io.py is
    blocks = "class Stem:\n    def __init__(self):\n        self.c = 1\n\n    def forward(self, x):\n        return x\n"
    blocks += "\n\nclass Head(Stem):\n    def __init__(self):\n        self.c = 2\n"
    blocks += "\n\nclass Tail(Stem):\n    def __init__(self):\n        self.c = 3\n"
    half = UNTYPED.replace("def score(values)", "def score(values: list[float]) -> float")
    files = {"churn/__init__.py": "", "churn/blocks.py": blocks, "churn/io.py": half}
    result = assess(tmp_path / "a", "typing", "functions_annotated", files)
    assert result.evidence == "1 of 3 (33%) library functions fully annotated (best: churn/io.py, 1 of 2)"
    # Look-alike: nothing typed anywhere names no best module, however many `__init__(self)` there are
    untyped = {**files, "churn/io.py": UNTYPED}
    result = assess(tmp_path / "b", "typing", "functions_annotated", untyped)
    assert result.evidence == "0 of 3 (0%) library functions fully annotated" and result.path is None


def test_parameter_share_is_partial(tmp_path: Path) -> None:
    half = UNTYPED.replace("def load(path, limit=10)", "def load(path: str, limit: int = 10)")
    result = assess(tmp_path, "typing", "parameters_annotated", {"churn/__init__.py": "", "churn/io.py": half})
    assert 0.7 < result.share < 0.8


def test_mypy_section_is_a_type_checker(tmp_path: Path) -> None:
    result = assess(tmp_path, "typing", "type_checker", {"churn/io.py": TYPED, "pyproject.toml": MYPY})
    assert result.share == 1
    assert "pyproject.toml:4" in result.evidence


def test_ty_and_pyrefly_configured_or_run_are_type_checkers(tmp_path: Path) -> None:
    """Astral's ty (`[tool.ty.rules]`, ty.toml, `ty check` in CI) and Meta's pyrefly are type checkers."""
    section = '[project]\nname = "churn"\n\n[tool.ty.rules]\npossibly-unbound-attribute = "error"\n'
    found = assess(tmp_path / "section", "typing", "type_checker", {"churn/io.py": TYPED, "pyproject.toml": section})
    assert found.share == 1 and "[tool.ty]" in found.evidence
    for name, text in (("ty.toml", "[rules]\n"), ("pyrefly.toml", 'project-includes = ["churn"]\n')):
        assert assess(tmp_path / name, "typing", "type_checker", {"churn/io.py": TYPED, name: text}).share == 1
    ci = {".github/workflows/ci.yml": "jobs:\n  lint:\n    steps:\n      - run: uv run ty check churn\n"}
    assert assess(tmp_path / "ci", "typing", "type_checker", {"churn/io.py": TYPED, **ci}).share == 1
    assert assess(tmp_path / "ci2", "typing", "checks_automated", {"churn/io.py": TYPED, **ci}).share == 1
    # Look-alike: `ty` as a word of a CI step that runs no checker.
    other = {".github/workflows/ci.yml": "jobs:\n  test:\n    steps:\n      - run: echo ty && pytest\n"}
    assert assess(tmp_path / "other", "typing", "type_checker", {"churn/io.py": TYPED, **other}).share == 0
    assert assess(tmp_path / "other2", "typing", "checks_automated", {"churn/io.py": TYPED, **other}).share == 0


def test_mypy_in_dev_requirements_only_is_not_configured(tmp_path: Path) -> None:
    files = {"churn/io.py": TYPED, "requirements-dev.txt": "mypy==1.10.0\n"}
    assert assess(tmp_path, "typing", "type_checker", files).share == 0


def test_ruff_section_is_a_linter(tmp_path: Path) -> None:
    result = assess(tmp_path, "typing", "linter", {"churn/io.py": TYPED, "pyproject.toml": MYPY})
    assert result.share == 1
    assert "pyproject.toml:7" in result.evidence


def test_no_linter(tmp_path: Path) -> None:
    assert (
        assess(tmp_path, "typing", "linter", {"churn/io.py": TYPED, "setup.cfg": "[metadata]\nname = churn\n"}).share
        == 0
    )


def test_pre_commit_hook_automates_checks(tmp_path: Path) -> None:
    hooks = "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    hooks:\n      - id: ruff\n"
    result = assess(tmp_path, "typing", "checks_automated", {"churn/io.py": TYPED, ".pre-commit-config.yaml": hooks})
    assert result.share == 1


def test_ci_without_checks_does_not_automate(tmp_path: Path) -> None:
    ci = "jobs:\n  test:\n    steps:\n      - run: pytest\n"
    assert (
        assess(tmp_path, "typing", "checks_automated", {"churn/io.py": TYPED, ".github/workflows/ci.yml": ci}).share
        == 0
    )


def test_untyped_unchecked_code_earns_at_most_10(tmp_path: Path) -> None:
    write_tree(tmp_path, {"churn/__init__.py": "", "churn/io.py": UNTYPED})
    assert earned_points(tmp_path, "typing") <= 10


def test_typed_checked_code_earns_most(tmp_path: Path) -> None:
    ci = "jobs:\n  lint:\n    steps:\n      - run: mypy churn\n"
    write_tree(
        tmp_path,
        {"churn/__init__.py": "", "churn/io.py": TYPED, "pyproject.toml": MYPY, ".github/workflows/ci.yml": ci},
    )
    assert earned_points(tmp_path, "typing") >= 90


def test_untyped_parameters_earn_nothing(tmp_path: Path) -> None:
    result = assess(tmp_path, "typing", "parameters_annotated", {"churn/__init__.py": "", "churn/io.py": UNTYPED})
    assert result.share == 0
    assert "0 of 3" in result.evidence


def test_secret_scanner_named_trufflehog_is_not_ruff(tmp_path: Path) -> None:
    ci = "jobs:\n  scan:\n    steps:\n      - uses: trufflesecurity/trufflehog@main\n"
    files = {"churn/io.py": TYPED, ".github/workflows/trufflehog.yml": ci}
    assert assess(tmp_path, "typing", "linter", files).share == 0


def test_a_linter_among_the_development_requirements_is_a_linter(tmp_path: Path) -> None:
    files = {"churn/io.py": TYPED, "requirements-dev.txt": "pytest==8.2.0\nflake8==7.0.0\nmypy==1.10.0\n"}
    result = assess(tmp_path, "typing", "linter", files)
    assert result.share == 1
    assert "flake8 is a development requirement" in result.evidence
    # Look-alike: a linter in a frozen runtime environment's requirements.txt.
    frozen = {"churn/io.py": TYPED, "requirements.txt": "numpy==1.26.4\nflake8==7.0.0\n"}
    assert assess(tmp_path / "frozen", "typing", "linter", frozen).share == 0
