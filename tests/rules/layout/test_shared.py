"""Tests of the `layout` practice that span several rules (or none in particular)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, git_init, write_tree
from tests.rules.layout._helpers import PACKAGE


def test_small_package_data_and_published_tables_are_not_artifacts(tmp_path: Path) -> None:
    reader = "import os, pkgutil\n\ndef labels():\n    return pkgutil.get_data(__name__, os.path.join('_meta', 'label_map.json'))\n"
    table = "model,top1\n" + "resnet,76.1\n" * 12_000
    files: dict[str, str | bytes] = {
        **PACKAGE,
        "src/churn/labels.py": reader,
        "src/churn/_meta/label_map.json": '{"0": "cat"}' + " " * 150_000,
        "benchmarks/README.md": "Top-1 accuracy per model: [`accuracy-val.csv`](accuracy-val.csv)\n",
        "benchmarks/accuracy-val.csv": table,
        "outputs/oof_predictions_fold3.csv": table,
    }
    write_tree(tmp_path, files)
    git_init(tmp_path)
    assert findings(tmp_path, "LAY011") == []
    assert [f.path for f in findings(tmp_path, "LAY012")] == ["outputs/oof_predictions_fold3.csv"]
