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
