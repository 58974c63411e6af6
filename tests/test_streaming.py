"""The engine reports each practice's score as soon as that practice's rules have run."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_tree


def test_each_practice_score_is_reported_as_soon_as_its_rules_ran(tmp_path: Path) -> None:
    from mlaudit.engine import Progress, audit
    from mlaudit.options import AuditOptions

    root = write_tree(
        tmp_path / "repo",
        {"src/pkg/__init__.py": "", "src/pkg/train.py": "def f(x):\n    print(x)\n", "README.md": "# r\n"},
    )
    steps: list[Progress] = []
    report = audit(root, AuditOptions(offline=True, history_depth=0, jobs=1), progress=steps.append)
    stages = [p.stage for p in steps]
    early = {p.detail: p.practice for p in steps if p.practice is not None}
    assert early and stages.index("scored") < stages.index("done")
    first_rules_after = [i for i, p in enumerate(steps) if p.stage == "rules" and i > stages.index("scored")]
    assert first_rules_after, "the first score arrives while other practices' rules still run"
    for practice in report.practices:
        if practice.key in early:
            assert early[practice.key] is not None and early[practice.key].score == practice.score
