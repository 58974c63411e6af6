"""Ranked fixes: a missing capability ranks with the rule deductions by the points it gains, in every view."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rich.console import Console

from mlaudit.model import Finding, Report, Severity
from mlaudit.present import fix_gains, overall_gain
from mlaudit.report.markdown import render
from mlaudit.report.ranking import Fix, ranked_fixes
from mlaudit.report.text import summary
from tests.helpers import run_audit, write_tree

TRAIN = '''"""Train the churn classifier."""

import logging
import random

import numpy as np
from sklearn.linear_model import LogisticRegression

from churn.config import load_config

logger = logging.getLogger(__name__)


def train(features: np.ndarray, labels: np.ndarray, seed: int = 0) -> LogisticRegression:
    """Fit the classifier on one seed."""
    random.seed(seed)
    np.random.seed(seed)
    model = LogisticRegression(random_state=seed)
    model.fit(features, labels)
    logger.info("trained on %d rows", len(labels))
    return model


def main() -> None:
    """Train on the saved features with the settings of configs/train.yaml."""
    logging.basicConfig(level=logging.INFO)
    config = load_config("configs/train.yaml")
    data = np.load(config.features)
    try:
        train(data[:, :-1], data[:, -1], config.seed)
    except Exception:
        pass
'''
PYPROJECT = """[project]
name = "churn"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = ["numpy==1.26.4", "scikit-learn==1.4.2", "pyyaml==6.0.1"]

[tool.mypy]
strict = true

[tool.ruff]
line-length = 100
"""
CI = """name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install -r requirements.txt pytest ruff mypy
      - run: ruff check . && mypy churn
      - run: pytest --cov=churn
"""
README = """# churn

Predicts which customers will cancel next month from their usage features.

## Setup

    pip install -r requirements.txt

## Train

    python -m churn.train

Settings live in configs/train.yaml (seed, feature file).

## Test

    pytest
"""
CONFIG = '''"""Load the training settings."""

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class TrainConfig:
    """Settings of one training run."""

    seed: int
    features: str


def load_config(path: str) -> TrainConfig:
    """Read a YAML settings file into a TrainConfig."""
    return TrainConfig(**yaml.safe_load(Path(path).read_text()))
'''


def tracked_nothing(root: Path) -> Report:
    """Audit a tidy churn project that tracks no experiment and swallows one exception (LOG007)."""
    write_tree(
        root,
        {
            "README.md": README,
            "churn/config.py": CONFIG,
            "requirements.txt": "numpy==1.26.4\nscikit-learn==1.4.2\npyyaml==6.0.1\n",
            "pyproject.toml": PYPROJECT,
            ".gitignore": ".env\n*.pt\ndata/\n",
            ".python-version": "3.11\n",
            ".github/workflows/ci.yml": CI,
            ".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n    schedule:\n      interval: weekly\n",
            "configs/train.yaml": "seed: 0\nfeatures: data/features.npy\n",
            "churn/__init__.py": "",
            "churn/train.py": TRAIN,
            "tests/test_train.py": "import numpy as np\n\nfrom churn.train import train\n\n\ndef test_train_fits() -> None:\n    x = np.eye(4)\n    y = np.array([0, 1, 0, 1])\n    assert train(x, y).predict(x).shape == (4,)\n",
        },
    )
    return run_audit(root)


def _fix(fixes: list[Fix], name: str) -> tuple[int, Fix]:
    [(index, fix)] = [(i, f) for i, f in enumerate(fixes) if f.name == name]
    return index, fix


def test_a_missing_capability_outranks_a_small_deduction(tmp_path: Path) -> None:
    report = tracked_nothing(tmp_path)
    fixes = ranked_fixes(report)
    at, tracked = _fix(fixes, "add: Experiments tracked")
    swallowed_at, swallowed = _fix(fixes, "LOG007")
    assert tracked.capability is not None and tracked.rule == "" and tracked.practice.key == "reproducibility"
    assert tracked.points == tracked.capability.points - tracked.capability.earned == 10
    assert tracked.reasons == (tracked.capability.evidence,) and "experiment tracker" in tracked.reasons[0]
    assert swallowed.capability is None and 0 < swallowed.points < tracked.points and at < swallowed_at
    assert [f.points for f in fixes] == sorted((f.points for f in fixes), reverse=True)
    in_place = {c.key for p in report.practices for c in p.capabilities if c.missing == 0}
    assert in_place and not {f.capability.key for f in fixes if f.capability is not None} & in_place


def test_a_capability_fix_gains_overall_points_like_a_rule_fix(tmp_path: Path) -> None:
    report = tracked_nothing(tmp_path)
    gains = fix_gains(report)
    [tracked] = [g for g in gains if g.name == "add: Experiments tracked"]
    assert tracked.capability == "runs_tracked" and tracked.rule == ""
    assert tracked.overall_points == overall_gain(report, "reproducibility", 10) > 0
    assert not tracked.measured and tracked.findings == 0 and "+10 Central config" in tracked.gain_label
    assert [g.name for g in gains] == [f.name for f in ranked_fixes(report)]


def test_plain_summary_names_the_capability_above_the_deductions(tmp_path: Path) -> None:
    report = tracked_nothing(tmp_path)
    fixes = ranked_fixes(report)
    console = Console(record=True, width=200, no_color=True)
    console.print(summary(report))
    text = console.export_text()
    section = text[text.index("Top fixes") : text.index("Top findings")]
    assert f"Top fixes (5 of {len(fixes)}, by points gained)" in section
    first = fixes[0]
    assert first.capability is not None and f"+{first.points}" in section
    assert f"add: {first.capability.title} ({first.capability.earned}/{first.capability.points})" in section
    assert "LOG007" not in section  # outranked by capabilities worth more


def test_markdown_top_fixes_row_names_the_capability_above_a_small_deduction(tmp_path: Path) -> None:
    report = tracked_nothing(tmp_path)
    text = render(report)
    section = text[text.index("### Top fixes") :]
    tracked = section.index("| add: Experiments tracked (capability, 0/10 earned) | missing | No experiment tracker")
    assert "| +10 | Central config" in section[section.rfind("\n", 0, tracked) : tracked]
    assert tracked < section.index("| LOG007 ")


def test_a_capability_gain_is_what_the_score_rises_by_once_it_is_in_place(tmp_path: Path) -> None:
    before = tracked_nothing(tmp_path / "before")
    root = tmp_path / "after"
    tracked_nothing(root)
    tracking = TRAIN.replace("import numpy as np\n", "import mlflow\nimport numpy as np\n").replace(
        '    logger.info("trained on %d rows", len(labels))\n',
        '    logger.info("trained on %d rows", len(labels))\n'
        '    mlflow.log_param("seed", seed)\n'
        '    mlflow.log_metric("accuracy", model.score(features, labels))\n',
    )
    (root / "churn" / "train.py").write_text(tracking)
    after = run_audit(root)
    fixes = ranked_fixes(before)
    _, runs = _fix(fixes, "add: Experiments tracked")
    _, tracker = _fix(fixes, "add: Experiment tracker")
    for fix in (runs, tracker):
        key = fix.practice.key
        assert after.practice(key).score == before.practice(key).score + fix.points  # type: ignore[operator]
    logging = before.practice("logging")
    assert logging.deducted > 0 and tracker.capability is not None
    assert tracker.points < tracker.capability.missing  # the deductions grow with the points earned


def test_a_practice_held_at_20_by_a_critical_finding_gains_nothing_from_a_capability(tmp_path: Path) -> None:
    report = tracked_nothing(tmp_path)
    practice = report.practice("reproducibility")
    assert practice.score is not None and practice.score > 20 and any(c.missing for c in practice.capabilities)
    critical = Finding("REP001", practice.key, Severity.CRITICAL, "churn/train.py", 3, None, "critical", "fix it")
    held = replace(practice, score=20)
    practices = tuple(held if p.key == practice.key else p for p in report.practices)
    capped = replace(report, findings=(*report.findings, critical), practices=practices)
    assert not [f for f in ranked_fixes(capped) if f.capability is not None and f.practice.key == practice.key]
    assert [f for f in ranked_fixes(report) if f.capability is not None and f.practice.key == practice.key]
