"""Tests for suppressions (inline and config), fingerprints and baselines."""

from __future__ import annotations

import ast
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from mlaudit import registry
from mlaudit.config import ConfigSuppression
from mlaudit.model import Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule
from mlaudit.scoring import DEFAULT_WEIGHT
from tests.helpers import run_audit, run_audit_rules_only, write_tree


class EvalCall(Rule):
    """Test rule: flags every call to `danger()`.

    ## What it does
    Flags `danger()`.
    ## Why is this bad?
    Test.
    ## Example
    danger()
    ## Use instead
    safe()
    """

    code = "ZZZ901"
    title = "danger call"
    practice = "security"
    severity = Severity.WARNING
    fix = "Call safe() instead."

    def check(self, project: Project) -> Iterator[Output]:
        for pf in project.python.values():
            for call in pf.nodes(ast.Call):
                if isinstance(call.func, ast.Name) and call.func.id == "danger":
                    yield Hit(pf.path, call.lineno, "danger() called")


@pytest.fixture(autouse=True)
def _test_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry._RULES, EvalCall.code, EvalCall)


def audit_codes(root: Path, **options: object) -> list[tuple[str, int | None, str | None, bool]]:
    report = run_audit(root, select=("ZZZ901",), **options)
    return [(f.rule, f.line, f.suppressed, f.baselined) for f in report.findings]


def test_inline_suppression_with_reason_on_line_or_line_above(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "a.py": "danger()  # mlaudit: ignore[ZZZ901] reviewed: test data only\n# mlaudit: ignore[ZZZ] above\ndanger()\ndanger()\n"
        },
    )
    report = run_audit_rules_only(tmp_path, select=("ZZZ901",))
    by_line = {f.line: f for f in report.findings if f.rule == "ZZZ901"}
    assert by_line[1].suppressed == "reviewed: test data only"
    assert by_line[3].suppressed == "above"
    assert by_line[4].suppressed is None
    practice = report.practice("security")
    assert (
        sum(d.points for d in practice.deductions) == DEFAULT_WEIGHT[Severity.WARNING]
    )  # only the unsuppressed one counts


def test_suppression_without_reason_and_unused_are_reported(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.py": "danger()  # mlaudit: ignore[ZZZ901]\nx = 1  # mlaudit: ignore[ZZZ901] stale\n"})
    report = run_audit(tmp_path, select=("ZZZ901",))
    meta = sorted((f.rule, f.line) for f in report.findings if f.rule.startswith("SUP"))
    assert meta == [("SUP001", 1), ("SUP002", 2)]
    assert {r.code for r in report.rules} >= {"SUP001", "SUP002"}


def test_inline_suppression_in_notebook_cell(tmp_path: Path) -> None:
    cells = [
        {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["x = 1\n"]},
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "source": ["danger()  # mlaudit: ignore[ZZZ901] demo\n", "danger()\n"],
        },
    ]
    write_tree(tmp_path, {"nb.ipynb": json.dumps({"cells": cells, "nbformat": 4, "metadata": {}})})
    report = run_audit(tmp_path, select=("ZZZ901",))
    found = [(f.cell, f.line, f.suppressed) for f in report.findings if f.rule == "ZZZ901"]
    assert found == [(2, 1, "demo"), (2, 2, None)]


def test_config_suppression_and_expiry(tmp_path: Path) -> None:
    write_tree(tmp_path, {"legacy/a.py": "danger()\n", "new/b.py": "danger()\n"})
    live = ConfigSuppression("ZZZ901", "legacy/*", "migrating", dt.date(2027, 3, 1))
    report = run_audit(tmp_path, select=("ZZZ901",), suppressions=(live,), today=dt.date(2026, 11, 26))
    status = {f.path: f.suppressed for f in report.findings if f.rule == "ZZZ901"}
    assert status == {"legacy/a.py": "migrating", "new/b.py": None}
    expired = run_audit(tmp_path, select=("ZZZ901",), suppressions=(live,), today=dt.date(2027, 3, 2))
    assert all(f.suppressed is None for f in expired.findings if f.rule == "ZZZ901")
    [sup] = [f for f in expired.findings if f.rule == "SUP003"]
    assert "expired on 2027-03-01" in sup.message


def test_fingerprint_survives_a_line_move(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.py": "danger()\n"})
    before = {f.fingerprint for f in run_audit(tmp_path, select=("ZZZ901",)).findings}
    write_tree(tmp_path, {"a.py": "import os\n\n\n  \ndanger()\n"})
    after = run_audit(tmp_path, select=("ZZZ901",), baseline=frozenset(before))
    [moved] = [f for f in after.findings if f.rule == "ZZZ901"]
    assert moved.line == 5 and moved.baselined and not moved.is_new


def test_identical_lines_get_distinct_fingerprints(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.py": "danger()\ndanger()\n"})
    prints = [f.fingerprint for f in run_audit(tmp_path, select=("ZZZ901",)).findings]
    assert len(set(prints)) == 2
    second_only = run_audit(tmp_path, select=("ZZZ901",), baseline=frozenset(prints[:1]))
    assert [f.baselined for f in second_only.findings] == [True, False]


class Crashes(Rule):
    """Test rule that always crashes.

    ## What it does
    Crashes.
    ## Why is this bad?
    Test.
    ## Example
    x
    ## Use instead
    y
    """

    code = "ZZZ902"
    title = "crashing rule"
    practice = "security"
    severity = Severity.WARNING
    fix = "n/a"

    def check(self, project: Project) -> Iterator[Output]:
        raise RuntimeError("boom")


def test_crashing_rule_is_isolated_and_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry._RULES, Crashes.code, Crashes)
    write_tree(tmp_path, {"a.py": "danger()\n"})
    report = run_audit(tmp_path, select=("ZZZ90",))
    assert [f.rule for f in report.findings] == ["ZZZ901"]
    [crash] = [n for n in report.not_checked if n.check.startswith("ZZZ902")]
    assert crash.reason == "rule crashed: RuntimeError: boom"
    assert report.practice("security").status.value == "scored"
    alone = run_audit(tmp_path, select=("ZZZ902",))
    assert alone.practice("security").status.value == "not_checked"


def test_suppression_text_inside_strings_and_for_unselected_rules_is_ignored(tmp_path: Path) -> None:
    code = (
        'DOC = "x = 1  # mlaudit: ignore[ZZZ901] an example in a docstring"\n'
        "y = 2  # mlaudit: ignore[LOG001] a print we keep\n"
    )
    write_tree(tmp_path, {"a.py": code})
    report = run_audit(tmp_path, select=("ZZZ901",))
    assert [f for f in report.findings if f.rule.startswith("SUP")] == []
