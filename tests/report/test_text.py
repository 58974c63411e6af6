"""Tests for the plain terminal summary."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from mlaudit.report.ranking import ranked_fixes
from mlaudit.report.text import summary
from tests.helpers import run_audit, run_audit_rules_only, write_tree


def _render(root: Path) -> tuple[str, list[str]]:
    report = run_audit(root)
    console = Console(record=True, width=200, no_color=True)
    console.print(summary(report))
    return console.export_text(), [f"+{f.points}" for f in ranked_fixes(report)]


def test_summary_lists_top_fixes_with_their_gain(tmp_path: Path) -> None:
    code = (
        "import logging\n\nimport numpy as np\n\nlogger = logging.getLogger(__name__)\n\n\n"
        "def sample(path):\n    logger.info('loading %s', path)\n    try:\n        x = np.load(path)\n"
        "    except Exception:\n        pass\n    print(x)\n    return x\n"
    )
    write_tree(tmp_path, {"churn/__init__.py": "", "churn/sample.py": code})
    text, gains = _render(tmp_path)
    assert "Top fixes" in text and gains and gains[0] in text
    assert "Overall:" in text and "Top findings" in text


def test_summary_without_deductions_has_no_fix_table(tmp_path: Path) -> None:
    write_tree(tmp_path, {"README.md": "# x\n", "a.py": "x = 1\n"})
    report = run_audit_rules_only(tmp_path, select=("LAY004",))
    console = Console(record=True, width=200, no_color=True)
    console.print(summary(report))
    text = console.export_text()
    assert ranked_fixes(report) == [] and "Top fixes" not in text and "Overall: A 100/100" in text


def test_summary_lists_suppressed_findings_with_their_reason(tmp_path: Path) -> None:
    code = (
        "import torch\n\n\ndef load(path: str) -> object:\n"
        "    return torch.load(path)  # mlaudit: ignore[SEC009] our own checkpoints, built by CI\n\n\n"
        "def load_other(path: str) -> object:\n    return torch.load(path)\n"
    )
    write_tree(tmp_path, {"README.md": "# x\n", "ckpt/__init__.py": "", "ckpt/io.py": code})
    report = run_audit(tmp_path, select=("SEC009",))
    console = Console(record=True, width=200, no_color=True)
    console.print(summary(report))
    text = console.export_text()
    assert "Top findings (1 of 1)" in text and "ckpt/io.py:9" in text
    assert "Suppressed 1 finding (no points lost): SEC009 at ckpt/io.py:5 (our own checkpoints, built by CI)" in text


def test_summary_without_suppressions_has_no_suppressed_line(tmp_path: Path) -> None:
    write_tree(
        tmp_path, {"README.md": "# x\n", "ckpt/__init__.py": "", "ckpt/io.py": "import torch\nx = torch.load('a')\n"}
    )
    console = Console(record=True, width=200, no_color=True)
    console.print(summary(run_audit(tmp_path, select=("SEC009",))))
    assert "Suppressed" not in console.export_text()
