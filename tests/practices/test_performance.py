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


def test_prf001_silent_on_construction_and_per_layer_loops(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "net/unet.py": (
                "import torch\nfrom torch import nn\n\n\n"
                "class Encoder(nn.Module):\n"
                "    def __init__(self, base, mults, n_levels):\n"
                "        super().__init__()\n"
                "        self.levels = nn.ModuleList()\n"
                "        for level in range(n_levels):\n"
                "            width_in = base * mults[level]\n"
                "            self.levels.append(nn.Conv2d(width_in, base * mults[level + 1], 3))\n\n"
                "    def forward(self, feats):\n"
                "        for k in range(len(feats)):\n"
                "            feats[k] = self.levels[k](feats[k]) * self.gain[k]\n"
                "        return feats\n\n\n"
                "def clip_all(boxes, polys, s):\n"
                "    for arr in (boxes[:, 1:], *polys):\n"
                "        torch.clamp(arr, 0, 2 * s, out=arr)\n\n\n"
                "def below(iou, thresholds):\n"
                "    hits = []\n"
                "    for t in range(len(thresholds)):\n"
                "        hits.append(torch.where(iou >= thresholds[t]))\n"
                "    return hits\n"
            )
        },
    )
    assert findings(tmp_path, "PRF001") == []


def test_prf001_still_fires_on_scalar_loop_outside_construction(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "net/ops.py": (
                "import numpy as np\n\n\n"
                "def scale(values, weights):\n"
                "    out = np.empty(len(values))\n"
                "    for i in range(len(values)):\n"
                "        out[i] = values[i] * weights[i]\n"
                "    return out\n"
            )
        },
    )
    assert _lines(tmp_path, "PRF001") == [6]


def test_prf004_fires_when_the_value_survives_and_grows(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "collect.py": (
                "import torch\n\n\n"
                "def gather(model, images):\n"
                "    preds = None\n"
                "    for image in images:\n"
                "        if preds is None:\n"
                "            preds = model(image)\n"
                "        else:\n"
                "            preds = torch.cat((preds, model(image)), dim=0)\n"
                "    return preds\n"
            )
        },
    )
    assert _lines(tmp_path, "PRF004") == [6]


def test_prf004_silent_on_reassignment_skip_connections_and_single_cat(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "decoder.py": (
                "import torch\nfrom torch import nn\n\n\n"
                "class Decoder(nn.Module):\n"
                "    def forward(self, h, skips, prefix):\n"
                "        for block in self.blocks:\n"
                "            h = torch.cat([h, skips.pop()], dim=1)\n"
                "            h = block(h)\n"
                "        for i, block in enumerate(self.late):\n"
                "            if i == self.insert_at:\n"
                "                h = torch.cat((prefix, h), dim=1)\n"
                "            h = block(h)\n"
                "        return h\n\n\n"
                "def encode_all(encoder, items, masks):\n"
                "    outs = []\n"
                "    for item, mask in zip(items, masks):\n"
                "        c = encoder(item)\n"
                "        c = torch.cat((c, mask), dim=1)\n"
                "        outs.append(c)\n"
                "    return outs\n\n\n"
                "def nms(prediction):\n"
                "    keep = []\n"
                "    for x in prediction:\n"
                "        x = torch.cat((x, x[:1]), 0)\n"
                "        parts = [x]\n"
                "        parts = torch.cat(parts, dim=0)\n"
                "        keep.append(parts)\n"
                "    return keep\n"
            )
        },
    )
    assert findings(tmp_path, "PRF004") == []


def test_prf005_silent_when_each_element_is_already_a_batch(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "sample.py": (
                "import torch\n\n\n"
                "def run(text_encoder, batches):\n"
                "    out = []\n"
                "    for prompts in batches:\n"
                "        out.append(text_encoder.encode(prompts))\n"
                "    return out\n\n\n"
                "def slow(text_encoder, texts):\n"
                "    out = []\n"
                "    for text in texts:\n"
                "        out.append(text_encoder.encode(text))\n"
                "    return out\n"
            )
        },
    )
    assert _lines(tmp_path, "PRF005") == [13]


def test_prf001_counts_read_from_self_are_structure_unless_named_like_data(tmp_path: Path) -> None:
    code = (
        "import torch\n\n\n"
        "class Distance:\n"
        "    def forward(self, feats0, feats1):\n"
        "        total = 0\n"
        "        for k in range(len(self.chns)):\n"
        "            total = total + (feats0[k] - feats1[k]) ** 2\n"
        "        return total\n\n"
        "    def scale(self):\n"
        "        for i in range(len(self.samples)):\n"
        "            self.samples[i] = self.samples[i] * 2\n"
    )
    write_tree(tmp_path, {"metrics/dist.py": code})
    assert _lines(tmp_path, "PRF001") == [12]


CHAT = """import torch

from model import Net

model = Net()
model.load_state_dict(torch.load("net.pt", weights_only=True))
model.eval()


def reply(x):
    return model(x)


@torch.inference_mode()
def reply_fast(x):
    return model(x)


def reply_guarded(x):
    with torch.no_grad():
        return model(x)
"""


def test_prf007_inference_without_no_grad(tmp_path: Path) -> None:
    write_tree(tmp_path, {"chat.py": CHAT, "model.py": "from torch import nn\n\n\nclass Net(nn.Module):\n    pass\n"})
    [hit] = findings(tmp_path, "PRF007")
    assert hit.line == 11 and "reply()" in hit.message


def test_prf007_silent_when_guarded_or_training(tmp_path: Path) -> None:
    guarded = CHAT.replace("def reply(x):\n    return model(x)\n", "")
    training = CHAT + "\n\ndef tune(opt, loss):\n    loss.backward()\n    opt.step()\n"
    write_tree(tmp_path / "a", {"chat.py": guarded})
    write_tree(tmp_path / "b", {"chat.py": training})
    assert findings(tmp_path / "a", "PRF007") == [] and findings(tmp_path / "b", "PRF007") == []


EVALUATOR = """
import torch


class Evaluator:
    def embed_all(self, net, batches):
        net.eval()
        out = []
        with torch.no_grad():
            for batch in batches:
                out.append(self.embed(net, batch))
        return out

    def embed(self, net, batch):
        return net(batch)
"""


def test_prf007_silent_for_a_helper_called_only_under_no_grad(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/evaluate.py": EVALUATOR})
    assert findings(tmp_path, "PRF007") == []


def test_prf007_fires_when_one_caller_of_the_helper_keeps_autograd_on(tmp_path: Path) -> None:
    leaky = EVALUATOR + "\n    def embed_one(self, net, batch):\n        return self.embed(net, batch)\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/evaluate.py": leaky})
    [hit] = findings(tmp_path, "PRF007")
    assert hit.line == 15 and "embed()" in hit.message


def test_prf008_list_membership_in_loop(tmp_path: Path) -> None:
    code = (
        "import numpy as np\n\n\n"
        "def bag(tokens, vocabulary):\n"
        "    words = [w.lower() for w in tokens]\n"
        "    out = np.zeros(len(vocabulary))\n"
        "    for i, w in enumerate(vocabulary):\n"
        "        if w in words:\n"
        "            out[i] = 1\n"
        "    return out\n\n\n"
        "def keep(tokens):\n"
        "    stop = ['a', 'the']\n"
        "    wanted = {t for t in tokens}\n"
        "    take_indices = [i for i in range(4)]\n"
        "    return [t for t in tokens if t not in stop and t in wanted and len(t) in take_indices]\n"
    )
    write_tree(tmp_path, {"bow.py": code})
    assert _lines(tmp_path, "PRF008") == [8]
