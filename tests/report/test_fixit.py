"""Tests the fix-it report: ordering, advice and the ready-to-paste repository fixes."""

from __future__ import annotations

import ast
from dataclasses import replace

from mlaudit.model import FileEntry, FileKind, Finding, Report, Severity
from mlaudit.report import fixit
from tests.report.conftest import assert_golden, make_minimal, make_rich


def test_golden_fixit() -> None:
    assert_golden("rich.fixit.md", fixit.render(make_rich()))
    assert_golden("minimal.fixit.md", fixit.render(make_minimal()))


def test_practices_and_rules_ordered_by_points_gained() -> None:
    text = fixit.render(make_rich())
    practices = [line for line in text.splitlines() if line.startswith("## ") and line[3].isdigit()]
    assert practices[0].startswith("## 11 Privacy and security: 45/100 (F), up to +55 points")
    assert practices[1].startswith("## 2 Environments")
    assert practices[-1].startswith("## 6 Tests: 100/100 (A), no points at stake")
    logging = text.split("## 5 Logging")[1].split("\n## ")[0]
    assert logging.index("LOG001") < logging.index("LOG005")


def test_group_has_locations_why_fix_and_before_after() -> None:
    text = fixit.render(make_rich())
    group = text.split("### REP001")[1].split("\n### ")[0]
    assert "- notebooks/eda.ipynb&#91;cell 3&#93;:2: torch.randn used" in group
    assert "**Why it matters.** Randomness not seeded makes results hard to trust" in group
    assert "**Fix.** Call set\\_seed() once at start-up." in group
    assert "Before:\n\n```python\n# before: REP001" in group
    assert "After:\n\n```python\n# after: REP001" in group


def test_suppressed_findings_are_not_listed() -> None:
    assert 'print("debug")' not in fixit.render(make_rich())


def test_clean_report_has_no_repo_fixes() -> None:
    text = fixit.render(make_minimal())
    assert "Ready-to-paste" not in text
    assert fixit.repo_pastes(make_minimal()) == []


def rep_finding(fix: str) -> Finding:
    return Finding(
        "REP001", "reproducibility", Severity.WARNING, "train.py", 3, None, "random is drawn from but never seeded", fix
    )


def with_findings(*found: Finding) -> Report:
    return replace(make_minimal(), findings=found)


def test_seed_helper_covers_exactly_the_sources_of_the_rep_fix() -> None:
    fix = "Seed every source at the start of train.py: def set_seed(seed: int) -> None: random.seed(seed); torch.manual_seed(seed)"
    report = with_findings(rep_finding(fix))
    assert fixit.seeded_libraries(report) == ("random", "torch")
    module = fixit.seed_module(fixit.seeded_libraries(report))
    ast.parse(module)
    assert "random.seed(seed)" in module
    assert "torch.manual_seed(seed)" in module
    assert "numpy" not in module


def test_seed_helper_ignores_libraries_named_outside_the_helper() -> None:
    fix = "In src/torch_utils.py: def set_seed(seed: int) -> None: np.random.seed(seed)"
    assert fixit.seeded_libraries(with_findings(rep_finding(fix))) == ("numpy",)


def test_seed_helper_generic_without_named_sources() -> None:
    report = with_findings(rep_finding("Seed the random generators once."))
    assert fixit.seeded_libraries(report) == ("random", "numpy")
    assert "set_seed" in fixit.render(report)


def test_generated_modules_parse() -> None:
    for libraries in (("random",), ("numpy", "torch"), ("tensorflow",), ("random", "jax")):
        tree = ast.parse(fixit.seed_module(libraries))
        assert next(n.name for n in tree.body if isinstance(n, ast.FunctionDef)) == "set_seed"
    python = [p for p in fixit.repo_pastes(make_rich()) if p.language == "python"]
    assert len(python) == 2
    for paste in python:
        assert ast.parse(paste.body).body


def dep_report(*paths: str) -> Report:
    found = Finding("DEP001", "dependencies", Severity.WARNING, None, None, None, "numpy is not pinned", "Pin it.")
    inventory = tuple(FileEntry(p, FileKind.MANIFEST) for p in paths)
    return replace(make_minimal(), findings=(found,), inventory=inventory)


def test_lock_command_follows_the_repository_tool() -> None:
    assert fixit.lock_command(dep_report("pyproject.toml", "poetry.lock"))[0] == "poetry lock"
    assert fixit.lock_command(dep_report("pyproject.toml"))[0] == "uv lock"
    assert fixit.lock_command(dep_report("Pipfile"))[0] == "pipenv lock"
    assert fixit.lock_command(dep_report("requirements.in", "requirements.txt"))[0].startswith("pip-compile")
    assert "pip-compile" in fixit.lock_command(dep_report("requirements.txt"))[0]
    assert fixit.lock_command(dep_report("environment.yml"))[0] == "conda-lock lock -f environment.yml"
    assert fixit.lock_command(dep_report("sub/pyproject.toml"))[0].startswith("uv init")


def test_gitignore_lines_from_security_and_dependency_findings() -> None:
    lines = fixit.gitignore_lines(make_rich())
    assert lines == [".env", ".env.*", "!.env.example", ".venv/", "venv/"]
    env_example = Finding("SEC002", "security", Severity.INFO, ".env.example", 1, None, "placeholder key", "ok")
    assert fixit.gitignore_lines(with_findings(env_example)) == []


def test_mypy_block_names_the_package() -> None:
    paste = next(p for p in fixit.repo_pastes(make_rich()) if p.language == "toml")
    assert paste.body.startswith('[tool.mypy]\nfiles = ["src/churn"]')


def test_hostile_package_names_never_reach_code_blocks() -> None:
    report = replace(make_rich(), inventory=(FileEntry("src/x```y/__init__.py", FileKind.LIBRARY),))
    assert fixit.package_dir(report) is None


def test_distinct_per_finding_fixes_are_all_shown() -> None:
    a = Finding("DEP001", "dependencies", Severity.WARNING, "a.txt", 1, None, "m1", "Pin numpy==1.26.4.")
    b = replace(a, message="m2", fix="Pin torch==2.3.1.")
    text = fixit.render(with_findings(a, b))
    assert "- Pin numpy==1.26.4." in text
    assert "- Pin torch==2.3.1." in text
