"""Tests of rule PRF005 (`mlaudit/rules/performance/prf005_per_item_model_call.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.performance._helpers import _lines


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


def test_prf005_silent_when_the_loop_variable_names_a_chunk_or_batch(tmp_path: Path) -> None:
    """Tokenizing a file one megabyte chunk at a time, or one micro-batch at a time, is already batched; the same
    tokenizer called on each line of the file is per item."""
    code = (
        "from functools import partial\n\nimport torch\n\n\n"
        "def chunked(tokenizer, path):\n"
        "    ids = []\n"
        "    with open(path) as f:\n"
        "        for chunk in iter(partial(f.read, 1 << 20), ''):\n"
        "            ids.extend(tokenizer(chunk)['input_ids'])\n"
        "    return ids\n\n\n"
        "def micro(tokenizer, groups):\n"
        "    return [tokenizer(micro_batch) for micro_batch in groups]\n\n\n"
        "def by_line(tokenizer, path):\n"
        "    ids = []\n"
        "    with open(path) as f:\n"
        "        for line in f:\n"
        "            ids.extend(tokenizer(line)['input_ids'])\n"
        "    return ids\n"
    )
    write_tree(tmp_path, {"prep.py": code})
    assert _lines(tmp_path, "PRF005") == [21]


def test_prf005_silent_when_each_item_is_run_to_take_its_own_gradients(tmp_path: Path) -> None:
    """One forward pass per input, then `torch.autograd.grad` of that input's loss, gives per-sample gradients
    (a gradient-norm score, an attack on one input) that a batched pass would sum together. Look-alike: a loop
    running the model per item and stepping an optimizer is batch-size-one training, still reported."""
    code = (
        "import torch\n\n\n"
        "def gradient_scores(model, x, params):\n"
        "    scores = []\n"
        "    for xi in x:\n"
        "        loss = model(xi.unsqueeze(0)).logsumexp(dim=1).sum()\n"
        "        grads = torch.autograd.grad(loss, params)\n"
        "        scores.append(sum(g.abs().sum() for g in grads))\n"
        "    return torch.stack(scores)\n\n\n"
        "def train_one_by_one(model, x, y, optimizer):\n"
        "    for xi, yi in zip(x, y):\n"
        "        loss = torch.nn.functional.cross_entropy(model(xi.unsqueeze(0)), yi[None])\n"
        "        grads = torch.autograd.grad(loss, list(model.parameters()))\n"
        "        for p, g in zip(model.parameters(), grads):\n"
        "            p.grad = g\n"
        "        optimizer.step()\n"
    )
    write_tree(tmp_path, {"scores.py": code})
    assert _lines(tmp_path, "PRF005") == [14]
