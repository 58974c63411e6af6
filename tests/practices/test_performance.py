"""Tests for the performance practice rules."""

from __future__ import annotations

import json
from pathlib import Path

from mlaudit.model import Severity, Status
from tests.helpers import findings, run_audit, run_audit_rules_only, write_tree


def _lines(root: Path, code: str) -> list[int | None]:
    return [f.line for f in findings(root, code)]


def test_prf001_fires_on_per_row_norm_loop(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pkg/ops.py": (
                "import numpy as np\n\n\n"
                "def normalize_rows(X):\n"
                "    out = []\n"
                "    for i in range(len(X)):\n"
                "        n = np.linalg.norm(X[i])\n"
                "        out.append(X[i] / (n + 1e-8))\n"
                "    return np.array(out)\n"
            )
        },
    )
    [hit] = findings(tmp_path, "PRF001")
    assert hit.line == 6
    assert "numpy.linalg.norm" in hit.message and "normalize_rows" in hit.message


def test_prf001_fires_on_nested_row_column_loops_once(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "stats.py": (
                "import numpy as np\n\n\n"
                "def chi2(ct, expected):\n"
                "    total = 0.0\n"
                "    for i in range(ct.shape[0]):\n"
                "        for j in range(len(ct[0])):\n"
                "            total += (ct[i, j] - expected[i, j]) ** 2\n"
                "    return total\n"
            )
        },
    )
    assert _lines(tmp_path, "PRF001") == [6]


def test_prf001_fires_on_element_iteration_with_math(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "sim.py": (
                "import torch\n\n\n"
                "def sims(query, vectors):\n"
                "    scores = []\n"
                "    for v in vectors:\n"
                "        scores.append(torch.dot(query, v))\n"
                "    return scores\n"
            )
        },
    )
    assert _lines(tmp_path, "PRF001") == [6]


def test_prf001_silent_on_epochs_batches_params_and_columns(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "train.py": (
                "import numpy as np\nimport torch\n\n\n"
                "def fit(model, loader, cfg, optimizer, X, thresholds):\n"
                "    for epoch in range(cfg.epochs):\n"
                "        for batch in loader:\n"
                "            loss = torch.nn.functional.cross_entropy(model(batch[0]), batch[1])\n"
                "        for p in model.parameters():\n"
                "            p.data = torch.clamp(p.data, -1, 1)\n"
                "        for group in optimizer.param_groups:\n"
                "            group['lr'] = group['lr'] * 0.9\n"
                "    for j in range(X.shape[1]):\n"
                "        X[:, j] = (X[:, j] - np.mean(X[:, j])) / np.std(X[:, j])\n"
                "    for i in range(0, len(X), 64):\n"
                "        model(torch.tensor(X[i : i + 64]))\n"
                "    for k in range(1, len(X)):\n"
                "        X[k] = X[k - 1] * 0.9 + X[k]\n"
                "    for t in np.arange(0.1, 0.9, 0.05):\n"
                "        print((X > t).mean())\n"
                "    for key, value in cfg.items():\n"
                "        print(np.log(value))\n"
            )
        },
    )
    assert findings(tmp_path, "PRF001") == []


def test_prf002_fires_on_iterrows_and_not_on_head(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "feats.py": (
                "import pandas as pd\n\n\n"
                "def profiles(df):\n"
                "    out = {}\n"
                "    for _, row in df.iterrows():\n"
                "        out[row['user']] = row['n'] * 2\n"
                "    for _, row in df.head(5).iterrows():\n"
                "        print(row)\n"
                "    rows = [r.a for r in df.itertuples()]\n"
                "    return out, rows\n"
            )
        },
    )
    hits = findings(tmp_path, "PRF002")
    assert [(h.line, h.severity) for h in hits] == [(6, Severity.WARNING), (10, Severity.INFO)]
    assert "df.iterrows()" in hits[0].message


def test_prf003_row_apply_and_series_lambda(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "clean.py": (
                "import pandas as pd\n\n\n"
                "def add_ratio(df):\n"
                "    df['ratio'] = df.apply(lambda r: r['a'] / (r['b'] + 1), axis=1)\n"
                "    df['plan'] = df['plan'].apply(lambda p: p.lower())\n"
                "    df['top'] = df.groupby('user')['score'].apply(lambda s: s.max())\n"
                "    df['sum'] = df[['a', 'b']].apply(sum)\n"
                "    return df\n"
            ),
            "nets.py": "import torch\n\n\ndef init(model, fn):\n    model.apply(fn)\n",
        },
    )
    hits = findings(tmp_path, "PRF003")
    assert [(h.line, h.severity) for h in hits] == [(5, Severity.WARNING), (6, Severity.INFO)]


def test_prf004_fires_on_growing_frame_not_on_list_of_rows(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "grow.py": (
                "import numpy as np\nimport pandas as pd\n\n\n"
                "def bad(parts, scores):\n"
                "    df = pd.DataFrame()\n"
                "    for part in parts:\n"
                "        df = pd.concat([df, part])\n"
                "    arr = np.array([])\n"
                "    for s in scores:\n"
                "        arr = np.append(arr, s * 100)\n"
                "    return df, arr\n\n\n"
                "def good(parts, frame):\n"
                "    rows = []\n"
                "    for part in parts:\n"
                "        rows.append(part)\n"
                "    for col in frame.columns:\n"
                "        frame = pd.concat([frame, pd.get_dummies(frame[col])], axis=1)\n"
                "    return pd.concat(rows), frame\n"
            )
        },
    )
    hits = findings(tmp_path, "PRF004")
    assert [h.line for h in hits] == [7, 10]
    assert "df = pd.concat([df, part])" in hits[0].message


def test_prf005_fires_on_per_item_calls(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "embed.py": (
                "import numpy as np\n\n\n"
                "def embed_all(model, texts, X, clf, tokenizer):\n"
                "    embs = [None]\n"
                "    for text in texts:\n"
                "        embs.append(model.encode(text))\n"
                "    for row in X:\n"
                "        clf.predict(row.reshape(1, -1))\n"
                "    for text in texts:\n"
                "        tokenizer(text)\n"
                "    return embs\n"
            )
        },
    )
    assert _lines(tmp_path, "PRF005") == [6, 8, 10]


def test_prf005_silent_on_batched_calls_and_str_encode(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "embed.py": (
                "import numpy as np\n\n\n"
                "def embed_all(model, texts, loader):\n"
                "    out = []\n"
                "    for i in range(0, len(texts), 64):\n"
                "        out.append(model.encode(texts[i : i + 64]))\n"
                "    for batch in loader:\n"
                "        out.append(model(batch))\n"
                "    for line in texts:\n"
                "        out.append(line.encode('utf-8'))\n"
                "    return np.concatenate(out)\n"
            )
        },
    )
    assert findings(tmp_path, "PRF005") == []


def test_prf005_and_prf001_report_a_notebook_loop_with_its_cell(tmp_path: Path) -> None:
    cells = [
        {"cell_type": "code", "source": "import numpy as np\n", "outputs": []},
        {"cell_type": "code", "source": "for v in vectors:\n    print(np.linalg.norm(v))\n", "outputs": []},
    ]
    write_tree(tmp_path, {"nb.ipynb": json.dumps({"cells": cells, "nbformat": 4})})
    [hit] = findings(tmp_path, "PRF001")
    assert (hit.cell, hit.line) == (2, 1)


def test_prf006_reports_profiling_evidence_as_metric(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/train.py": "import numpy as np\n"})
    report = run_audit(tmp_path, select=("PRF006",))
    assert report.practice("performance").metrics["profiling_evidence"] == "none"
    assert [f.severity for f in report.findings] == [Severity.INFO]
    write_tree(tmp_path, {"benchmarks/bench.py": "import cProfile\nimport numpy as np\n"})
    report = run_audit_rules_only(tmp_path, select=("PRF006",))
    assert "cProfile in benchmarks/bench.py" in str(report.practice("performance").metrics["profiling_evidence"])
    assert report.findings == ()
    assert report.practice("performance").score == 100


def test_performance_is_na_without_numeric_libraries(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": "import json\n\nfor x in range(len(data)):\n    total += data[x] * 2\n"})
    practice = run_audit(tmp_path, select=("PRF",)).practice("performance")
    assert practice.status is Status.NOT_APPLICABLE
