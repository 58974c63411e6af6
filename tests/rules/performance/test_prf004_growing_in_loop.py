"""Tests of rule PRF004 (`mlaudit/rules/performance/prf004_growing_in_loop.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.performance._helpers import _lines


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


DECODE = """\
import torch


@torch.no_grad()
def generate(model, idx, steps, window):
    for _ in range(steps):
        context = idx if idx.size(1) <= window else idx[:, -window:]
        logits = model(context)[:, -1, :]
        next_id = torch.multinomial(torch.softmax(logits, dim=-1), num_samples=1)
        idx = torch.cat((idx, next_id), dim=1)
    return idx


@torch.no_grad()
def collect_logits(model, batches):
    seen = torch.empty(0)
    for batch in batches:
        print(len(seen))
        seen = torch.cat((seen, model(batch)), dim=0)
    return seen
"""


def test_prf004_silent_on_a_sequence_fed_back_but_fires_on_collected_outputs(tmp_path: Path) -> None:
    # generate() feeds idx to the model before appending the sampled token; collect_logits() only piles up
    write_tree(tmp_path, {"decode.py": DECODE})
    assert _lines(tmp_path, "PRF004") == [17]


STREAMING = """\
import torch


class StreamingEncoder(torch.nn.Module):
    def forward(self, x, caches):
        new_caches = []
        for cache, block in zip(caches, self.blocks):
            x, fresh = block(x, cache)
            fresh = torch.cat([cache, fresh], dim=1)
            new_caches.append(fresh[:, -self.context :])
        return x, new_caches


def encode_all(blocks, x):
    memory = torch.zeros(1, 0, 8)
    for block in blocks:
        x, _ = block(x)
        memory = torch.cat([memory, x], dim=1)
    return memory
"""


def test_prf004_silent_on_a_name_unpacked_afresh_but_fires_when_another_name_is_unpacked(tmp_path: Path) -> None:
    # forward() rebinds `fresh` by tuple unpacking each iteration; encode_all() unpacks `x`, but `memory` piles up
    write_tree(tmp_path, {"stream.py": STREAMING})
    assert _lines(tmp_path, "PRF004") == [16]


SAMPLE = """\
import torch


@torch.no_grad()
def sample(net, out, steps):
    logits = net(out)
    for _ in range(steps):
        token = torch.multinomial(logits[:, -1].softmax(dim=-1), 1)
        out = torch.cat((out, token), dim=-1)
        logits = net(out)
    return out


@torch.no_grad()
def embed_all(net, batches):
    found = torch.empty(0, 16)
    for batch in batches:
        found = torch.cat((found, net(batch)), dim=0)
        print("embedded", len(found))
    return found
"""


def test_prf004_silent_when_the_grown_sequence_feeds_the_next_step_after_the_append(tmp_path: Path) -> None:
    # sample() appends the token, then runs the model on the whole sequence; embed_all() only reports its size
    write_tree(tmp_path, {"sample.py": SAMPLE})
    assert _lines(tmp_path, "PRF004") == [17]


def test_prf004_silent_on_an_element_of_the_iteration_but_fires_on_a_fixed_one(tmp_path: Path) -> None:
    code = (
        "import numpy as np\n\n\n"
        "def add_static(features, series):\n"
        "    for idx, s in enumerate(series):\n"
        "        static = np.tile(s.static, (len(features[idx]), 1))\n"
        "        features[idx] = np.hstack([features[idx], static])\n"
        "    return features\n\n\n"
        "def add_angle(preds):\n"
        "    for pred in preds:\n"
        "        pred['boxes'] = np.hstack([pred['boxes'], pred.pop('angle')])\n"
        "    return preds\n\n\n"
        "def stack_first(features, series):\n"
        "    for s in series:\n"
        "        features[0] = np.hstack([features[0], s.values])\n"
        "    return features\n"
    )
    write_tree(tmp_path, {"feats.py": code})
    assert [h.line for h in findings(tmp_path, "PRF004")] == [18]


def test_prf004_silent_on_a_grown_field_the_model_reads_but_fires_on_a_collected_one(tmp_path: Path) -> None:
    code = (
        "import torch\n\n\n"
        "def score_tokens(model, inputs, targets):\n"
        "    log_probs = []\n"
        "    for token in targets:\n"
        "        logits = model(**inputs).logits\n"
        "        log_probs.append(torch.log_softmax(logits[:, -1], dim=1)[0, token])\n"
        "        inputs['input_ids'] = torch.cat((inputs['input_ids'], torch.tensor([[token]])), dim=1)\n"
        "    return log_probs\n\n\n"
        "def collect(model, loader):\n"
        "    results = {'boxes': torch.zeros(0, 4)}\n"
        "    for images in loader:\n"
        "        boxes = model(images)\n"
        "        results['boxes'] = torch.cat((results['boxes'], boxes))\n"
        "    return results\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/decode.py": code})
    assert _lines(tmp_path, "PRF004") == [15]


def test_prf004_silent_on_one_block_per_base_model_but_fires_on_one_per_batch(tmp_path: Path) -> None:
    code = (
        "import numpy as np\n\n\n"
        "def meta_features(clfs, X):\n"
        "    meta = None\n"
        "    for n, model in enumerate(clfs):\n"
        "        prediction = model.predict_proba(X)\n"
        "        if meta is None:\n"
        "            meta = prediction\n"
        "        else:\n"
        "            meta = np.column_stack((meta, prediction))\n"
        "    return meta\n\n\n"
        "def predict_all(model, batches):\n"
        "    preds = np.empty((0, 2))\n"
        "    for chunk in batches:\n"
        "        preds = np.vstack((preds, model.predict_proba(chunk)))\n"
        "    return preds\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/stack.py": code})
    assert _lines(tmp_path, "PRF004") == [17]


def test_prf004_silent_on_one_block_of_indices_per_class_but_fires_on_one_per_sample(tmp_path: Path) -> None:
    code = (
        "import numpy as np\n\n\n"
        "class Undersampler:\n"
        "    def resample(self, X, y, rng):\n"
        "        kept = np.empty((0,), dtype=int)\n"
        "        for target_class in np.unique(y):\n"
        "            idx = np.flatnonzero(y == target_class)\n"
        "            kept = np.concatenate((kept, rng.choice(idx, size=self.n_per_class)))\n"
        "        return X[kept], y[kept]\n\n"
        "    def oversample(self, X, y, rng):\n"
        "        picked = np.arange(len(y))\n"
        "        for class_sample, n_samples in self.strategy_.items():\n"
        "            picked = np.append(picked, rng.choice(np.flatnonzero(y == class_sample), n_samples))\n"
        "        return X[picked], y[picked]\n\n"
        "    def neighbours(self, X, nn):\n"
        "        found = np.empty((0,), dtype=int)\n"
        "        for sample in X:\n"
        "            found = np.append(found, nn.kneighbors([sample], return_distance=False)[0])\n"
        "        return found\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/sampling.py": code})
    assert _lines(tmp_path, "PRF004") == [20]


def test_prf004_silent_on_one_weight_per_component_factory_but_fires_on_one_per_sample(tmp_path: Path) -> None:
    code = (
        "import torch\n\n\n"
        "class RewardMixer:\n"
        "    def __init__(self, env_factories, scorers):\n"
        "        self.weights = torch.ones(len(scorers))\n"
        "        for name, factory in env_factories.items():\n"
        "            env = factory()\n"
        "            if hasattr(env, 'reward'):\n"
        "                scorers.append(env.reward)\n"
        "                self.weights = torch.cat([self.weights, torch.ones(1)])\n"
        "        self.scorers = scorers\n\n"
        "    def score_all(self, samples):\n"
        "        scores = torch.empty(0)\n"
        "        for sample in samples:\n"
        "            scores = torch.cat([scores, self.scorers[0](sample).reshape(1)])\n"
        "        return scores\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/rewards.py": code})
    assert _lines(tmp_path, "PRF004") == [16]


def test_prf004_silent_in_functions_that_draw_but_fires_when_computing(tmp_path: Path) -> None:
    """`plot(objects)` stacks one result table per explanation compared in the figure (a handful); the same
    growth while computing profiles still fires."""
    code = (
        "import pandas as pd\nimport plotly.express as px\n\n\n"
        "class Profiles:\n"
        "    def fit(self, explainer, rows):\n"
        "        result = pd.DataFrame()\n"
        "        for row in rows:\n"
        "            result = pd.concat([result, explainer.profile(row)])\n"
        "        self.result = result\n\n"
        "    def plot(self, objects=()):\n"
        "        df = self.result.copy()\n"
        "        for ob in objects:\n"
        "            df = pd.concat([df, ob.result.copy()])\n"
        "        return px.line(df, x='x', y='yhat', color='label')\n"
    )
    write_tree(tmp_path, {"xai/profiles.py": code})
    assert _lines(tmp_path, "PRF004") == [8]


def test_prf004_silent_on_one_part_per_cross_validation_fold_but_fires_on_one_per_record(tmp_path: Path) -> None:
    code = (
        "import pandas as pd\n\n\n"
        "def out_of_fold(encoder, splitter, X, y):\n"
        "    oof = pd.DataFrame()\n"
        "    for trn_idx, val_idx in splitter.split(X, y):\n"
        "        part = encoder.fit(X.iloc[trn_idx], y.iloc[trn_idx]).transform(X.iloc[val_idx])\n"
        "        oof = pd.concat([oof, part])\n"
        "    return oof\n\n\n"
        "def parse(lines):\n"
        "    table = pd.DataFrame()\n"
        "    for key, value in (line.split('=') for line in lines):\n"
        "        table = pd.concat([table, pd.DataFrame({'key': [key], 'value': [value]})])\n"
        "    return table\n\n\n"
        "def records(text):\n"
        "    table = pd.DataFrame()\n"
        "    for key, value in text.split(';'):\n"
        "        table = pd.concat([table, pd.DataFrame({'key': [key], 'value': [value]})])\n"
        "    return table\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/folds.py": code})
    # a splitter's (train, validation) pairs are a handful of folds; pairs parsed from text are one per record
    assert _lines(tmp_path, "PRF004") == [14, 21]


def test_prf004_silent_on_one_band_per_octave_but_fires_on_one_per_frame(tmp_path: Path) -> None:
    """A constant-Q transform adds one band per octave (`range(self.n_octaves - 1)`, a handful, each at half the
    last's rate), as a stack adds one block per layer it counts (`range(len(self.layers))`); a range over the
    frames of a signal grows once per frame."""
    code = (
        "import torch\n\n\n"
        "class ConstantQ(torch.nn.Module):\n"
        "    def forward(self, x):\n"
        "        cqt = self.band(x)\n"
        "        for i in range(self.n_octaves - 1):\n"
        "            x = self.downsample(x)\n"
        "            cqt = torch.cat((self.band(x), cqt), 1)\n"
        "        return cqt\n\n"
        "    def taps(self, x):\n"
        "        out = x[:, :0]\n"
        "        for i in range(len(self.layers)):\n"
        "            out = torch.cat((out, self.layers[i](x)), 1)\n"
        "        return out\n\n"
        "    def frames(self, x, n_frames):\n"
        "        spec = x[:, :0]\n"
        "        for t in range(n_frames - 1):\n"
        "            spec = torch.cat((spec, self.band(x[:, t : t + 512])), 1)\n"
        "        return spec\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/cqt.py": code})
    assert _lines(tmp_path, "PRF004") == [20]


def test_prf004_silent_on_a_sequence_each_window_reads_back_but_fires_on_one_reset_per_epoch(tmp_path: Path) -> None:
    """Windowed decoding grows `generated` token by token and starts each window from its last tokens: the loop
    around the growth reads the sequence as the model's next input. Predictions gathered per epoch and only
    scored after each epoch (reset at its start) are a pile of results to join once."""
    code = (
        "import torch\n\n\n"
        "@torch.no_grad()\n"
        "def generate(model, prompt, n_windows, window, history):\n"
        "    generated = prompt[:, :0]\n"
        "    for _ in range(n_windows):\n"
        "        x_in = torch.cat([prompt, generated[:, -history:]], dim=1)\n"
        "        for _ in range(window):\n"
        "            logits = model(x_in)\n"
        "            token = torch.multinomial(logits[0, -1].softmax(-1), 1)\n"
        "            generated = torch.cat((generated, token[None]), dim=1)\n"
        "            x_in = torch.cat((x_in, token[None]), dim=1)\n"
        "    return generated\n\n\n"
        "def evaluate(model, loader, metric, epochs):\n"
        "    scores = []\n"
        "    for _ in range(epochs):\n"
        "        preds = torch.empty(0)\n"
        "        for batch in loader:\n"
        "            preds = torch.cat((preds, model(batch)))\n"
        "        scores.append(metric(preds))\n"
        "    return scores\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/decode.py": code})
    assert _lines(tmp_path, "PRF004") == [21]


def test_prf004_ignores_growth_in_a_branch_that_leaves_the_loop(tmp_path: Path) -> None:
    """`if np.isnan(loss): history = np.concatenate([...]); raise ...` keeps the partial history once, on the
    way out, and so does a branch ending in `break`. Look-alikes: branches that `continue` or carry on grow every time."""
    write_tree(
        tmp_path,
        {
            "opt/fit.py": (
                "import numpy as np\n\n\n"
                "def fit(step, n, history):\n"
                "    scores = np.full(n, np.nan)\n"
                "    for i in range(n):\n"
                "        loss = step()\n"
                "        if np.isnan(loss):\n"
                "            history = np.concatenate([history, scores[:i]])\n"
                "            raise FloatingPointError('NaN loss')\n"
                "        scores[i] = loss\n"
                "    return np.concatenate([history, scores])\n\n\n"
                "def first_bad(batches, history):\n"
                "    for batch in batches:\n"
                "        if np.isnan(batch).any():\n"
                "            history = np.concatenate([history, batch])\n"
                "            break\n"
                "    return history\n\n\n"
                "def skip_bad(batches, history):\n"
                "    for batch in batches:\n"
                "        if np.isnan(batch).any():\n"
                "            history = np.concatenate([history, batch])\n"
                "            continue\n"
                "    return history\n\n\n"
                "def flagged(steps, history):\n"
                "    for s in steps:\n"
                "        if s > 0:\n"
                "            history = np.concatenate([history, [s]])\n"
                "    return history\n"
            )
        },
    )
    assert _lines(tmp_path, "PRF004") == [24, 32]  # skip_bad, flagged
