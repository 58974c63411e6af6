"""Provides a fixed demo repository and a hand-built Report of it, so app tests need no scan, git or timing."""

from __future__ import annotations

import asyncio
import inspect
import json
from pathlib import Path

import pytest

from mlaudit.model import (
    Deduction,
    Finding,
    GitInfo,
    PracticeScore,
    Report,
    RuleDoc,
    Severity,
    Status,
)
from mlaudit.practices import PRACTICES
from tests.helpers import write_tree

TRAIN_PY = '''"""Train the churn model."""

import pandas as pd
from sklearn.linear_model import LogisticRegression


def train(path, epochs=10):
    df = pd.read_csv(path)
    model = LogisticRegression()
    for epoch in range(epochs):
        model.fit(df.drop(columns="y"), df["y"])
        print("epoch", epoch)
    return model
'''

FAKE_SECRET = "demo-" + "c0ffee42" * 4
CONFIG_PY = f'''"""Settings."""

API_KEY = "{FAKE_SECRET}"
TIMEOUT = 30
'''

NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# EDA\n"]},
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": 1,
            "outputs": [],
            "source": ["import numpy as np\n", "x = np.random.rand(100)\n", "print(x.mean())\n"],
        },
    ],
    "metadata": {},
    "nbformat": 4,
    "nbformat_minor": 5,
}

FILES = {
    "src/churn/__init__.py": "",
    "src/churn/train.py": TRAIN_PY,
    "src/churn/config.py": CONFIG_PY,
    "notebooks/eda.ipynb": json.dumps(NOTEBOOK, indent=1),
    "README.md": "# churn\n",
}

_SCORES: dict[str, tuple[int | None, Status, str | None, tuple[Deduction, ...]]] = {
    "layout": (80, Status.SCORED, None, (Deduction("LAY001", 20, "LAY001 No packaging metadata: 1 error finding"),)),
    "dependencies": (65, Status.SCORED, None, (Deduction("DEP002", 35, "DEP002 Unpinned requirement: 7 findings"),)),
    "typing": (
        72,
        Status.SCORED,
        None,
        (Deduction("TYP001", 28, "annotation coverage 63 % (target 90 %)"),),
    ),
    "functions": (100, Status.SCORED, None, ()),
    "logging": (
        55,
        Status.SCORED,
        None,
        (
            Deduction("LOG001", 30, "LOG001 print in library code: 3 warning findings"),
            Deduction("LOG004", 15, "LOG004 exception swallowed silently: 1 warning finding"),
        ),
    ),
    "testing": (None, Status.NOT_CHECKED, "no rule of this practice could run", ()),
    "performance": (92, Status.SCORED, None, (Deduction("PRF001", 8, "PRF001 Python loop over an array: 1 finding"),)),
    "reproducibility": (70, Status.SCORED, None, (Deduction("REP001", 30, "REP001 numpy randomness not seeded"),)),
    "interfaces": (None, Status.NOT_APPLICABLE, "nothing to abstract: 2 modules", ()),
    "production": (None, Status.NOT_APPLICABLE, "no web service found", ()),
    "security": (60, Status.SCORED, None, (Deduction("SEC001", 40, "SEC001 hard-coded secret: 1 error finding"),)),
}


def _grade(score: int | None) -> str | None:
    if score is None:
        return None
    return next(g for floor, g in ((90, "A"), (80, "B"), (70, "C"), (60, "D"), (0, "F")) if score >= floor)


def _practices() -> tuple[PracticeScore, ...]:
    metrics: dict[str, dict[str, float | int | str | None]] = {
        "typing": {"annotated_function_share": 0.63, "annotated_parameter_share": 0.71},
    }
    return tuple(
        PracticeScore(
            p.key,
            p.number,
            p.title,
            _SCORES[p.key][0],
            _grade(_SCORES[p.key][0]),
            _SCORES[p.key][1],
            _SCORES[p.key][2],
            metrics.get(p.key, {}),
            _SCORES[p.key][3],
        )
        for p in PRACTICES
    )


def _finding(
    rule: str,
    practice: str,
    severity: Severity,
    path: str | None,
    line: int | None,
    message: str,
    cell: int | None = None,
) -> Finding:
    return Finding(rule, practice, severity, path, line, cell, message, f"Fix for {rule}: see the example.")


FINDINGS = (
    _finding("LAY001", "layout", Severity.ERROR, None, None, "No pyproject.toml, setup.py or setup.cfg"),
    _finding("DEP002", "dependencies", Severity.WARNING, "requirements.txt", 1, "pandas is not pinned (pandas)"),
    _finding("TYP001", "typing", Severity.INFO, "src/churn/train.py", 7, "train(path, epochs) has no annotations"),
    _finding("LOG001", "logging", Severity.WARNING, "src/churn/train.py", 12, 'print("epoch", ...) in train()'),
    _finding("LOG001", "logging", Severity.WARNING, "notebooks/eda.ipynb", 3, "print(x.mean()) in a notebook", cell=2),
    _finding("LOG004", "logging", Severity.WARNING, "src/churn/train.py", 9, "except Exception: pass in train()"),
    _finding("PRF001", "performance", Severity.INFO, "src/churn/train.py", 10, "for epoch in range(epochs) refits"),
    _finding(
        "REP001", "reproducibility", Severity.WARNING, "notebooks/eda.ipynb", 2, "np.random.rand unseeded", cell=2
    ),
    _finding("SEC001", "security", Severity.ERROR, "src/churn/config.py", 3, "API_KEY holds a secret demo…(37 chars)"),
)

_TITLES = {
    "LAY001": "No packaging metadata",
    "DEP002": "Unpinned requirement",
    "TYP001": "Function without annotations",
    "LOG001": "print in library code",
    "LOG004": "Exception swallowed silently",
    "PRF001": "Python loop over an array",
    "REP001": "numpy randomness not seeded",
    "SEC001": "Hard-coded secret",
}


def _doc(code: str) -> RuleDoc:
    practice = next(f.practice for f in FINDINGS if f.rule == code)
    severity = next(f.severity for f in FINDINGS if f.rule == code)
    return RuleDoc(
        code,
        _TITLES[code],
        practice,
        severity,
        what=f"Flags {_TITLES[code].lower()}.",
        why="It makes the code harder to trust, test and run again.",
        example='```python\nprint("loss", loss)\n```',
        use_instead='```python\nlogger.info("loss %.4f", loss)\n```',
        fix=f"Fix for {code}: see the example.",
    )


def demo_report(root: Path) -> Report:
    """Return a fixed Report of the demo repository at `root`."""
    return Report(
        mlaudit_version="0.1.0",
        root=str(root),
        project_name="churn-model",
        git=GitInfo("main", "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b", False),
        score=72,
        grade="C",
        practices=_practices(),
        findings=FINDINGS,
        files={"library": 3, "notebook": 1, "other": 1},
        inventory=(),
        skipped=(),
        not_checked=(),
        rules=tuple(_doc(code) for code in sorted(_TITLES)),
    )


@pytest.fixture
def demo_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Write the demo repository, make it the current directory, and return it."""
    root = write_tree(tmp_path / "churn-model", FILES)
    monkeypatch.chdir(root)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    return root


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests in a fresh event loop (no async plugin is installed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    kwargs = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**kwargs))
    return True
