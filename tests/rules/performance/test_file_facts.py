"""The performance rules and capabilities read per-file facts: from a summary they need no tree."""

from __future__ import annotations

from pathlib import Path

from mlaudit import filefacts
from mlaudit.capabilities.performance import perf_facts
from mlaudit.discover import SourceFile, discover
from mlaudit.engine import AuditOptions
from mlaudit.facts.randomness import ModuleMap
from mlaudit.model import Skipped
from mlaudit.project import Project, PythonFile, decode_python, load_project, parse_python
from mlaudit.registry import Hit
from mlaudit.rules.performance._shared import slow_loops
from mlaudit.rules.performance.prf007_inference_with_gradients import InferenceWithGradients
from mlaudit.secret_sweep import SweepSettings
from tests.helpers import project_of, write_tree

FEATURES = """\
import numpy as np
import pandas as pd


def scale(X):
    out = []
    for i in range(len(X)):
        out.append(X[i] / (np.linalg.norm(X[i]) + 1e-8))
    return out


def ratios(df):
    feats = pd.DataFrame()
    for _, row in df.iterrows():
        feats = pd.concat([feats, pd.DataFrame([{"r": row["a"] / row["b"]}])])
    df["c"] = df.apply(lambda r: r["a"] * 2, axis=1)
    return feats
"""
EMBED = """\
import torch


def embed(model, texts):
    vectors = []
    for text in texts:
        vectors.append(model.encode(text))
    return vectors


def score(model, xs):
    model.eval()
    return [model(x) for x in xs]
"""
PLAIN = """\
def total(items):
    count = 0
    for i in range(len(items)):
        count += items[i] * 2
    return count
"""
SERVE = """\
import torch
from torch.utils.data import DataLoader


@torch.inference_mode()
def predict(model, dataset):
    loader = DataLoader(dataset, batch_size=64, num_workers=4, pin_memory=True)
    return [model(batch.half()) for batch in loader]


compiled = torch.compile(torch.nn.Linear(4, 2))
"""
TREE = {
    "pkg/__init__.py": "",
    "pkg/features.py": FEATURES,
    "pkg/embed.py": EMBED,
    "pkg/plain.py": PLAIN,  # a loop in a file with no numeric library: no loop rule looks at it
    "pkg/serve.py": SERVE,
}


def summarised(root: Path) -> Project:
    """Load `root` as the fact cache or a worker process gives it: every module a summary, no tree."""
    inventory = discover(root)
    paths = tuple(s.path for s in inventory.files if s.path.endswith(".py"))
    context = filefacts.FactContext(ModuleMap(paths), SweepSettings.of(AuditOptions()), frozenset(paths))

    def summarize(files: list[tuple[SourceFile, bytes | None]]) -> dict[str, PythonFile | Skipped]:
        found: dict[str, PythonFile | Skipped] = {}
        for source, raw in files:
            assert raw is not None  # nothing is handed over unread without `unread`
            parsed = parse_python(source, raw)
            assert isinstance(parsed, PythonFile)
            summary = filefacts.summary_of(parsed, source.kind, context)
            found[source.path] = PythonFile(source, decode_python(raw), None, summary=summary)
        return found

    return load_project(inventory, summarize=summarize)


def _parsed(project: Project) -> list[str]:
    return [pf.path for pf in project.python.values() if pf.parsed]


def test_loop_findings_read_from_summaries_equal_those_computed(tmp_path: Path) -> None:
    write_tree(tmp_path, TREE)
    expected = slow_loops(project_of(tmp_path))
    project = summarised(tmp_path)
    assert slow_loops(project) == expected
    assert not _parsed(project)
    by_file = {(f.path, f.rank[0]) for f in expected}
    assert by_file == {("pkg/embed.py", 0), ("pkg/features.py", 1)}  # discovery order among numeric files
    messages = " | ".join(f.message for f in expected)
    for part in ("range(len(X))", "iterrows", "feats grows", "axis=1", "per-item model call"):
        assert part in messages


def test_inference_with_gradients_reads_its_hits_from_summaries(tmp_path: Path) -> None:
    write_tree(tmp_path, TREE)
    expected = list(InferenceWithGradients().check(project_of(tmp_path)))
    project = summarised(tmp_path)
    assert list(InferenceWithGradients().check(project)) == expected
    assert not _parsed(project)
    assert [(h.path, h.line) for h in expected if isinstance(h, Hit)] == [
        ("pkg/embed.py", 13)
    ]  # pkg/serve.py runs in inference mode


def test_performance_evidence_reads_from_summaries(tmp_path: Path) -> None:
    write_tree(tmp_path, TREE)
    expected = perf_facts(project_of(tmp_path))
    project = summarised(tmp_path)
    assert perf_facts(project) == expected
    assert not _parsed(project)
    assert expected.no_grad == "pkg/serve.py:5 (torch.inference_mode)"
    assert expected.batching == "pkg/serve.py:7 (DataLoader(..., batch_size=...))"
    assert set(expected.accelerations) == {
        "torch.compile",
        "parallel data loading",
        "pinned-memory loading",
        "half precision",
    }
