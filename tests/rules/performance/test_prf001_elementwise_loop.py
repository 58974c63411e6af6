"""Tests of rule PRF001 (`mlaudit/rules/performance/prf001_elementwise_loop.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.performance._helpers import _lines


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


def test_prf001_ignores_loops_a_jit_compiler_compiles(tmp_path: Path) -> None:
    body = (
        "    result = 0.0\n"
        "    for i in range(x.shape[0]):\n"
        "        result += (x[i] - y[i]) ** 2\n"
        "    return np.sqrt(result)\n"
    )
    write_tree(
        tmp_path,
        {
            "pkg/distances.py": (
                "import numba\nimport numpy as np\nfrom numba import njit\n\n\n"
                f"@numba.njit(fastmath=True)\ndef euclidean(x, y):\n{body}\n\n"
                f"@njit\ndef squared(x, y):\n{body}\n\n"
                f"def compiled_later(x, y):\n{body}\n\n"
                f"def plain(x, y):\n{body}\n\n"
                "fast = numba.njit(compiled_later, fastmath=True)\n"
            )
        },
    )
    [hit] = findings(tmp_path, "PRF001")
    assert "plain()" in hit.message


def test_prf001_ignores_loops_compiled_by_a_jit_the_project_re_exports(tmp_path: Path) -> None:
    body = (
        "    result = 0.0\n    for i in range(x.shape[0]):\n        result += (x[i] - y[i]) ** 2\n    return result\n"
    )
    shim = "try:\n    from numba import njit\nexcept ImportError:\n    def njit(*a, **k):\n        return lambda f: f\n"
    cached = "def njit(*args, **kwargs):\n    return lambda func: func\n"
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/utils/__init__.py": "",
            "pkg/utils/numba/__init__.py": "",
            "pkg/utils/numba/njit.py": shim,
            "pkg/utils/memo.py": cached,
            "pkg/distances.py": (
                "import numpy as np\nfrom pkg.utils.numba.njit import njit\n\n\n"
                f"@njit(cache=True, fastmath=True)\ndef euclidean(x, y):\n{body}"
            ),
            "pkg/kernels.py": (
                "import numpy as np\nfrom pkg.utils.memo import njit\n\n\n"
                f"@njit(cache=True)\ndef squared(x, y):\n{body}"
            ),
        },
    )
    assert [h.path for h in findings(tmp_path, "PRF001")] == ["pkg/kernels.py"]


def test_prf001_silent_on_loop_over_module_constant_of_names(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "evaluate.py": (
                "import numpy as np\n\n"
                'METRICS: tuple[str, ...] = ("SDR", "SAR", "SIR")\n\n\n'
                "def summarise(frames):\n"
                "    out = {}\n"
                "    for metric in METRICS:\n"
                "        out[metric] = np.median([f[metric] for f in frames if not np.isnan(f[metric])])\n"
                "    return out\n"
            )
        },
    )
    assert findings(tmp_path, "PRF001") == []


def test_prf001_still_fires_on_loop_over_module_array(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "grid.py": (
                "import numpy as np\n\n"
                "POINTS = np.linspace(0.0, 1.0, 10_000)\n\n\n"
                "def energies():\n"
                "    out = []\n"
                "    for p in POINTS:\n"
                "        out.append(np.exp(-p) * np.sin(p))\n"
                "    return out\n"
            )
        },
    )
    assert _lines(tmp_path, "PRF001") == [8]


WINDOWS = """\
import numpy as np


def refine(model, codes, n_windows, history):
    for n in range(n_windows):
        start = np.min([n * 512, codes.shape[0] - 1024])
        fill = np.max([history + n * 512, 0])
        window = codes[start : start + 1024]
        codes[fill : fill + 512] = model(window)[fill - start :]
    return codes


def spreads(rows, n_rows):
    out = []
    for i in range(n_rows):
        out.append(np.max(rows[i]) - np.min(rows[i]))
    return out
"""


def test_prf001_silent_on_offsets_from_a_literal_list_but_fires_on_each_row(tmp_path: Path) -> None:
    # refine() takes the smaller of two numbers per window; spreads() reduces each row in Python
    write_tree(tmp_path, {"windows.py": WINDOWS})
    assert _lines(tmp_path, "PRF001") == [15]


def test_prf001_silent_on_renaming_strings_by_index_but_fires_on_scaling_values(tmp_path: Path) -> None:
    code = (
        "import numpy as np\n\n\n"
        "def dedupe(tags):\n"
        "    seen = {}\n"
        "    for i in range(len(tags)):\n"
        "        seen[tags[i]] = seen.get(tags[i], 0) + 1\n"
        "        if seen[tags[i]] > 1:\n"
        '            tags[i] = tags[i] + f"_{seen[tags[i]] - 1}"\n'
        "    return tags\n\n\n"
        "def label(tags):\n"
        "    for i in range(len(tags)):\n"
        '        tags[i] += "_raw"\n'
        "    return tags\n\n\n"
        "def rescale(values):\n"
        "    values = np.asarray(values)\n"
        "    for i in range(len(values)):\n"
        "        values[i] = values[i] * 2.0 + 1.0\n"
        "    return values\n"
    )
    write_tree(tmp_path, {"tags.py": code})
    assert _lines(tmp_path, "PRF001") == [21]


def test_prf001_silent_on_fields_of_objects_but_fires_on_the_elements_of_an_array(tmp_path: Path) -> None:
    code = (
        "import torch\n\n\n"
        "def connection_cost(linears):\n"
        "    cost = 0.0\n"
        "    for linear in linears:\n"
        "        cost += torch.sum(torch.abs(linear.weight))\n"
        "    return cost\n\n\n"
        "def row_energy(rows):\n"
        "    total = 0.0\n"
        "    for row in rows:\n"
        "        total += torch.sum(torch.abs(row.T))\n"
        "    return total\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/cost.py": code})
    assert _lines(tmp_path, "PRF001") == [13]


def test_prf001_silent_on_a_list_of_arrays_but_fires_on_the_rows_of_one(tmp_path: Path) -> None:
    code = (
        "from typing import List\n\n"
        "import numpy as np\n"
        "import torch\n\n\n"
        "def level_energy(tensors):\n"
        "    total = 0.0\n"
        "    for t in tensors:\n"
        "        total += torch.sum(t ** 2)\n"
        "    return total\n\n\n"
        "def pyramid_loss(preds: List[torch.Tensor], target):\n"
        "    loss = 0.0\n"
        "    for p in preds:\n"
        "        loss = loss + torch.mean(torch.abs(p - target))\n"
        "    return loss\n\n\n"
        "def max_response(*heatmaps: torch.Tensor):\n"
        "    peaks = []\n"
        "    for h in heatmaps:\n"
        "        peaks.append(torch.max(h))\n"
        "    return peaks\n\n\n"
        "def norms(emb_list):\n"
        "    return [np.linalg.norm(e, axis=1) for e in emb_list]\n\n\n"
        "def batch_norms(emb_list):\n"
        "    out = []\n"
        "    for e in emb_list:\n"
        "        out.append(np.linalg.norm(e, axis=1))\n"
        "    return out\n\n\n"
        "def row_norms(embeddings):\n"
        "    out = []\n"
        "    for e in embeddings:\n"
        "        out.append(np.linalg.norm(e))\n"
        "    return out\n\n\n"
        "def soft(*logits: float):\n"
        "    total = 0.0\n"
        "    for v in logits:\n"
        "        total += np.exp(v)\n"
        "    return total\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/heads.py": code})
    assert _lines(tmp_path, "PRF001") == [41, 48]


def test_prf001_silent_on_a_grid_of_constant_thresholds_but_fires_on_a_grid_of_the_data_size(tmp_path: Path) -> None:
    code = (
        "import numpy as np\n\n\n"
        "def eleven_point_ap(rec, prec):\n"
        "    ap = 0.0\n"
        "    for t in np.arange(0.0, 1.1, 0.1):\n"
        "        p = np.max(prec[rec >= t]) if np.sum(rec >= t) else 0.0\n"
        "        ap += p / 11.0\n"
        "    return ap\n\n\n"
        "def decay(n, tau):\n"
        "    out = []\n"
        "    for t in np.arange(n):\n"
        "        out.append(np.exp(-t / tau))\n"
        "    return out\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/ap.py": code})
    assert _lines(tmp_path, "PRF001") == [14]


def test_prf001_silent_on_a_sweep_of_a_setting_but_fires_on_per_value_math(tmp_path: Path) -> None:
    code = (
        "import numpy as np\n\n\n"
        "def best_bins(X, upper):\n"
        "    scores = []\n"
        "    for b in range(1, upper):\n"
        "        hist, _ = np.histogram(X, bins=b)\n"
        "        scores.append(np.sum(hist * np.log(b * hist + 1e-9)))\n"
        "    return int(np.argmax(scores)) + 1\n\n\n"
        "def flagged(scores, rates):\n"
        "    out = []\n"
        "    for c in rates:\n"
        "        out.append(float(np.quantile(scores, 1.0 - c)))\n"
        "    return out\n\n\n"
        "def log_values(values):\n"
        "    out = []\n"
        "    for v in values:\n"
        "        out.append(np.log(v + 1.0))\n"
        "    return out\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/sweep.py": code})
    assert _lines(tmp_path, "PRF001") == [21]


def test_prf001_silent_on_window_bounds_and_list_joins_but_fires_on_element_sums(tmp_path: Path) -> None:
    code = (
        "import numpy as np\n"
        "import torch\n\n\n"
        "def crops(frames, tops, heights):\n"
        "    out = []\n"
        "    for k in range(len(tops)):\n"
        "        out.append(frames[:, k, tops[k] : tops[k] + heights[k]])\n"
        "    return out\n\n\n"
        "def regions(region_lists, ind_arr):\n"
        "    for j in range(len(ind_arr)):\n"
        "        region_lists[j] = region_lists[j] + ind_arr[j, :].tolist()\n"
        "    return region_lists\n\n\n"
        "def shifted(values, offsets):\n"
        "    for j in range(len(values)):\n"
        "        values[j] = values[j] + offsets[j]\n"
        "    return values\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/crop.py": code})
    assert _lines(tmp_path, "PRF001") == [19]


def test_prf001_silent_on_indexes_into_tuples_of_tensors_but_fires_on_indexes_into_an_array(tmp_path: Path) -> None:
    code = (
        "from typing import Tuple\n\n"
        "import torch\n"
        "from torch import Tensor\n\n\n"
        "def blend(current: Tuple[Tensor, ...], baseline: Tuple[Tensor, ...], masks, k):\n"
        "    out = []\n"
        "    for i in range(len(current)):\n"
        "        out.append(current[i] * (masks[i] != k) + baseline[i] * (masks[i] == k))\n"
        "    return tuple(out)\n\n\n"
        "def accumulate(inputs, weights):\n"
        "    totals = [torch.zeros_like(x) for x in inputs]\n"
        "    for j in range(len(totals)):\n"
        "        totals[j] += weights[j] * inputs[j]\n"
        "    return totals\n\n\n"
        "def upsample(attrs, inputs):\n"
        "    out = []\n"
        "    for i in range(len(attrs)):\n"
        "        out.append(attrs[i] * torch.ones(inputs[i].shape[2:]))\n"
        "    return out\n\n\n"
        "def trace(loss, params):\n"
        "    hvs = torch.autograd.grad(loss, params, create_graph=True)\n"
        "    traces = []\n"
        "    for hv in hvs:\n"
        "        if hv.dim() > 1:\n"
        "            traces.append(torch.mean(hv))\n"
        "    return traces\n\n\n"
        "def shift(values, offsets):\n"
        "    totals = torch.zeros(len(values))\n"
        "    for j in range(len(values)):\n"
        "        totals[j] += values[j] * offsets[j]\n"
        "    return totals\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/attr.py": code})
    assert _lines(tmp_path, "PRF001") == [39]


def test_prf001_silent_on_classes_records_and_workers_but_fires_on_values(tmp_path: Path) -> None:
    code = (
        "import numpy as np\n\n\n"
        "def balanced_accuracy(y_true, y_pred):\n"
        "    accs = []\n"
        "    for c in np.unique(y_true):\n"
        "        accs.append(np.mean(y_pred[y_true == c] == c))\n"
        "    return float(np.mean(accs))\n\n\n"
        "def summarise(results):\n"
        "    out = {}\n"
        "    for fold, cv_scores in results:\n"
        "        out[fold] = np.mean(cv_scores)\n"
        "    return out\n\n\n"
        "def spread(subsets):\n"
        "    for k in subsets:\n"
        '        subsets[k]["std"] = np.std(subsets[k]["cv_scores"])\n'
        "    return subsets\n\n\n"
        "def partitions(X, cpus):\n"
        "    size = len(X) / cpus\n"
        "    parts = []\n"
        "    for n in range(cpus - 1):\n"
        "        parts.append(X[int(np.floor(size * n)) : int(np.floor(size * (n + 1)))])\n"
        "    return parts\n\n\n"
        "def summarise_each(results):\n"
        "    out = {}\n"
        "    for fold, score in results:\n"
        "        out[fold] = np.exp(score)\n"
        "    return out\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/select.py": code})
    assert _lines(tmp_path, "PRF001") == [34]


def test_prf001_silent_on_a_transformers_variables_and_on_row_loops_but_fires_on_values(tmp_path: Path) -> None:
    code = (
        "import numpy as np\n\n\n"
        "class CyclicalFeatures:\n"
        "    def transform(self, X):\n"
        "        for variable in self.variables_:\n"
        "            X[f'{variable}_sin'] = np.sin(X[variable] * (2.0 * np.pi / self.max_values_[variable]))\n"
        "        return X\n\n\n"
        "def summary(contrib_df):\n"
        "    rows = []\n"
        "    for _, row in contrib_df.iterrows():\n"
        "        rows.append((row['col'], np.round(row['contribution'], 2)))\n"
        "    return rows\n\n\n"
        "def angles(values):\n"
        "    total = 0.0\n"
        "    for value in values:\n"
        "        total += np.sin(value)\n"
        "    return total\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/cyclic.py": code})
    assert _lines(tmp_path, "PRF001") == [20]
    assert _lines(tmp_path, "PRF002") == [13]


def test_prf001_silent_on_checked_crop_windows_but_fires_on_per_box_areas(tmp_path: Path) -> None:
    code = (
        "import torch\n\n\n"
        "def crop_faces(imgs, top, bottom, left, right):\n"
        "    crops = []\n"
        "    for k in range(len(top)):\n"
        "        if bottom[k] > top[k] and right[k] > left[k]:\n"
        "            crops.append(imgs[:, top[k] : bottom[k], left[k] : right[k]])\n"
        "    return torch.cat(crops)\n\n\n"
        "def box_areas(top, bottom, left, right):\n"
        "    areas = []\n"
        "    for k in range(len(top)):\n"
        "        if bottom[k] > top[k]:\n"
        "            areas.append((bottom[k] - top[k]) * (right[k] - left[k]))\n"
        "    return areas\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/crop.py": code})
    assert _lines(tmp_path, "PRF001") == [14]


def test_prf001_silent_on_a_discounted_return_but_fires_on_a_running_sum(tmp_path: Path) -> None:
    code = (
        "import numpy as np\n\n\n"
        "def discount(rewards, gamma=0.99, bootstrap=0.0):\n"
        "    returns = np.zeros_like(rewards)\n"
        "    acc = bootstrap\n"
        "    for t in reversed(range(len(rewards))):\n"
        "        acc = acc * gamma + rewards[t]\n"
        "        returns[t] = acc\n"
        "    return returns\n\n\n"
        "def running_total(rewards):\n"
        "    totals = np.zeros_like(rewards)\n"
        "    acc = 0.0\n"
        "    for t in range(len(rewards)):\n"
        "        acc = acc + rewards[t] * 2\n"
        "        totals[t] = acc\n"
        "    return totals\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/returns.py": code})
    assert _lines(tmp_path, "PRF001") == [16]


def test_prf001_silent_in_a_token_display_but_fires_in_the_scoring_it_shows(tmp_path: Path) -> None:
    code = (
        "import torch\n\n\n"
        "class TokenExplainer:\n"
        "    def visualize(self, tokens):\n"
        "        rows = []\n"
        "        for index in self.selected:\n"
        "            prob = torch.max(self.probs[index])\n"
        "            rows.append((tokens[index], float(prob)))\n"
        "        return rows\n\n"
        "    def token_scores(self):\n"
        "        scores = []\n"
        "        for index in self.selected:\n"
        "            scores.append(torch.max(self.probs[index]))\n"
        "        return scores\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/explain.py": code})
    assert _lines(tmp_path, "PRF001") == [14]


def test_prf001_silent_on_products_of_column_combinations_but_fires_on_products_of_values(tmp_path: Path) -> None:
    code = (
        "import itertools\n\n"
        "import torch\n\n\n"
        "class Interactions(torch.nn.Module):\n"
        "    def forward(self, x):\n"
        "        cols = []\n"
        "        for combo in itertools.combinations(range(self.n_features), 2):\n"
        "            cols.append(torch.prod(torch.stack([x[:, i] for i in combo], dim=1), dim=1))\n"
        "        return torch.stack(cols, dim=1)\n\n\n"
        "def pair_products(pairs):\n"
        "    out = []\n"
        "    for pair in pairs:\n"
        "        out.append(torch.prod(torch.tensor([v for v in pair])))\n"
        "    return out\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/poly.py": code})
    assert _lines(tmp_path, "PRF001") == [16]


def test_prf001_ignores_loops_a_lazy_jit_decorator_of_the_file_compiles(tmp_path: Path) -> None:
    body = "    acc = 0.0\n    for i in range(len(x)):\n        acc += x[i] * w[i]\n    return acc\n"
    write_tree(
        tmp_path,
        {
            "pkg/rolling.py": (
                "import functools\n\nimport numpy as np\n\n\n"
                "def deferred_jit(func):\n"
                "    compiled = None\n\n"
                "    @functools.wraps(func)\n"
                "    def wrapper(*args):\n"
                "        nonlocal compiled\n"
                "        if compiled is None:\n"
                "            from numba import njit\n\n"
                "            compiled = njit(func)\n"
                "        return compiled(*args)\n\n"
                "    return wrapper\n\n\n"
                "def timed(func):\n"
                "    @functools.wraps(func)\n"
                "    def wrapper(*args):\n"
                "        return func(*args)\n\n"
                "    return wrapper\n\n\n"
                f"@deferred_jit\ndef weighted_sum(x, w):\n{body}\n\n"
                f"@timed\ndef weighted_sum_slow(x, w):\n{body}"
            )
        },
    )
    [hit] = findings(tmp_path, "PRF001")
    assert "weighted_sum_slow()" in hit.message


def test_prf001_ignores_lag_sweeps_over_prefixes_and_suffixes(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "tsa/lags.py": (
                "import numpy as np\n\n\n"
                "def best_lag(y, lags):\n"
                "    best, best_err = None, np.inf\n"
                "    for lag in lags:\n"
                "        phi = np.dot(y[lag:], y[:-lag]) / np.dot(y[:-lag], y[:-lag])\n"
                "        err = np.sum((y[lag:] - phi * y[:-lag]) ** 2)\n"
                "        if err < best_err:\n"
                "            best, best_err = lag, err\n"
                "    return best\n\n\n"
                "def partial_autocorr(r, order):\n"
                "    coef = np.zeros(order + 1)\n"
                "    out = np.zeros(order + 1)\n"
                "    for k in range(2, order + 1):\n"
                "        num = r[k] - coef[1:k] @ r[k - 1 : 0 : -1]\n"
                "        den = 1.0 - coef[1:k] @ r[1:k]\n"
                "        out[k] = num / den\n"
                "        coef[1:k] = coef[1:k] - out[k] * coef[k - 1 : 0 : -1]\n"
                "        coef[k] = out[k]\n"
                "    return out\n"
            ),
            "tsa/windows.py": (
                "import numpy as np\n\n\n"
                "def window_sums(x, starts, width):\n"
                "    sums = []\n"
                "    for start in starts:\n"
                "        sums.append(np.sum(x[start : start + width]))\n"
                "    return sums\n"
            ),
        },
    )
    [hit] = findings(tmp_path, "PRF001")
    assert hit.path == "tsa/windows.py" and "numpy.sum" in hit.message


def test_prf001_ignores_a_loop_over_the_keys_of_the_mapping_it_reads(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "evaluation/retrieval.py": (
                "import numpy as np\n\n\n"
                "def average_metrics(recall_at_k, decay):\n"
                "    for k in recall_at_k:\n"
                "        recall_at_k[k] = np.mean(recall_at_k[k])\n"
                "    weights = {}\n"
                "    for k in decay:\n"
                "        weights[k] = np.exp(-k)\n"
                "    return recall_at_k, weights\n"
            )
        },
    )
    [hit] = findings(tmp_path, "PRF001")
    assert hit.line == 8 and "numpy.exp" in hit.message


def test_prf001_ignores_a_finite_difference_that_evaluates_the_whole_array_per_coordinate(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "optim/numeric.py": (
                "import numpy as np\n\n\n"
                "def numerical_gradient(func, x, eps=1e-6):\n"
                "    x_pert = x.copy()\n"
                "    grad = np.empty(len(x))\n"
                "    f0 = func(x)\n"
                "    for i in range(len(x)):\n"
                "        x_pert[i] += eps\n"
                "        grad[i] = (func(x_pert) - f0) / eps\n"
                "        x_pert[i] = x[i]\n"
                "    return grad\n\n\n"
                "def shift_all(x, eps=1e-6):\n"
                "    x_pert = x.copy()\n"
                "    for i in range(len(x)):\n"
                "        x_pert[i] += eps\n"
                "    return np.sum(x_pert)\n"
            )
        },
    )
    [hit] = findings(tmp_path, "PRF001")
    assert hit.line == 17 and "shift_all()" in hit.message


def test_prf001_ignores_indexing_parameters_annotated_as_python_lists_of_numbers(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "serving/tokens.py": (
                "import numpy as np\n\n\n"
                "def common_prefix(prev_ids: list[int], new_ids: list[int]) -> int:\n"
                "    n = min(len(prev_ids), len(new_ids))\n"
                "    for i in range(n):\n"
                "        if prev_ids[i] != new_ids[i]:\n"
                "            return i\n"
                "    return n\n\n\n"
                "def scale_scores(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:\n"
                "    out = np.empty(len(scores))\n"
                "    for i in range(len(scores)):\n"
                "        out[i] = scores[i] * weights[i]\n"
                "    return out\n"
            )
        },
    )
    [hit] = findings(tmp_path, "PRF001")
    assert hit.line == 14 and "scale_scores()" in hit.message


def test_prf001_ignores_loops_over_channels_or_heads_but_not_over_samples(tmp_path: Path) -> None:
    code = (
        "import numpy as np\nimport torch\n\n\n"
        "def peak_normalize(audio):\n"
        "    out = np.zeros_like(audio)\n"
        "    for ch in range(audio.shape[0]):\n"
        "        out[ch] = audio[ch] / np.max(np.abs(audio[ch]))\n"
        "    return out\n\n\n"
        "def channel_rms(waveform):\n"
        "    levels = []\n"
        "    for channel in waveform:\n"
        "        levels.append(torch.sqrt(torch.mean(channel ** 2)))\n"
        "    return levels\n\n\n"
        "def head_scores(attn):\n"
        "    for head_idx in range(attn.shape[0]):\n"
        "        attn[head_idx] = attn[head_idx] * 0.5\n"
        "    return attn\n\n\n"
        "def per_sample_gain(audio):\n"
        "    for i in range(audio.shape[0]):\n"
        "        audio[i] = audio[i] * 0.5\n"
        "    return audio\n"
    )
    write_tree(tmp_path, {"sound/ops.py": code})
    [hit] = findings(tmp_path, "PRF001")
    assert "per_sample_gain" in hit.message


def test_prf001_silent_on_a_sweep_of_a_setting_over_whole_arrays_but_fires_on_math_of_the_setting_itself(
    tmp_path: Path,
) -> None:
    code = (
        "import numpy as np\n"
        "import torch\n\n\n"
        "def calibrate(logits, temperatures):\n"
        "    out = {}\n"
        "    for temp in temperatures:\n"
        "        out[temp] = torch.softmax(logits / temp, dim=-1)\n"
        "    return out\n\n\n"
        "def accuracy_at(scores, labels, cuts):\n"
        "    out = []\n"
        "    for c in cuts:\n"
        "        out.append(np.mean((scores > c) == labels))\n"
        "    return out\n\n\n"
        "def masked_means(x, masks):\n"
        "    res = []\n"
        "    for m in masks:\n"
        "        res.append(np.sum(x * m) / np.sum(m))\n"
        "    return res\n\n\n"
        # Look-alikes: numeric work on each setting itself, and on each row of an array, is per-element work.
        "def widths(thresholds):\n"
        "    out = []\n"
        "    for thr in thresholds:\n"
        "        out.append(np.sqrt(thr) + 1.0)\n"
        "    return out\n\n\n"
        "def row_scores(X, w):\n"
        "    out = []\n"
        "    for row in X:\n"
        "        out.append(np.sum(row * w))\n"
        "    return out\n\n\n"
        "def double(x):\n"
        "    y = np.zeros_like(x)\n"
        "    for i in range(len(x)):\n"
        "        y[i] = x[i] * 2\n"
        "    return y\n"
    )
    write_tree(tmp_path, {"calib/sweep.py": code})
    assert _lines(tmp_path, "PRF001") == [28, 35, 42]


def test_prf001_silent_on_results_filed_under_a_per_item_name_but_not_on_an_array_filled_per_item(
    tmp_path: Path,
) -> None:
    code = (
        "import torch\n\n\n"
        "def codebook_metrics(ce_per_codebook, writer, step):\n"
        "    metrics = {}\n"
        "    for k, ce_q in enumerate(ce_per_codebook):\n"
        "        metrics[f'ppl_q{k + 1}'] = torch.exp(ce_q)\n"
        "        writer.add_scalar(f'ppl/q{k + 1}', torch.exp(ce_q), step)\n"
        "    return metrics\n\n\n"
        "def perplexities(ce_values):\n"
        "    out = torch.empty(len(ce_values))\n"
        "    for k, ce_q in enumerate(ce_values):\n"
        "        out[k] = torch.exp(ce_q)\n"
        "    return out\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/metrics.py": code})
    assert [h.line for h in findings(tmp_path, "PRF001")] == [14]


def test_prf001_silent_on_columns_of_a_transposed_matrix_but_fires_on_its_numbers(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pkg/speakers.py": (
                "import numpy as np\n\n\n"
                "def active_speakers(activations, min_frames):\n"
                "    for track in activations.T:\n"
                "        if np.sum(track) > min_frames:\n"
                "            yield track\n\n\n"
                "def total_activity(activations):\n"
                "    total = 0.0\n"
                "    for value in activations.ravel():\n"
                "        total += np.abs(value)\n"
                "    return total\n"
            )
        },
    )
    assert _lines(tmp_path, "PRF001") == [12]


def test_prf001_a_name_last_bound_to_a_transpose_walks_columns(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pkg/sampling.py": (
                "import numpy as np\n\n\n"
                "def nonzero_by_column(rows, threshold):\n"
                "    sampled = np.array(rows)\n"
                "    sampled = sampled.T\n"
                "    kept = []\n"
                "    for col in sampled:\n"
                "        kept.append(col[np.abs(col) > threshold])\n"
                "    return kept\n\n\n"
                "def clipped_rows(rows, threshold):\n"
                "    sampled = np.array(rows).T\n"
                "    sampled = sampled.ravel()\n"
                "    out = []\n"
                "    for value in sampled:\n"
                "        out.append(np.abs(value) > threshold)\n"
                "    return out\n"
            )
        },
    )
    # the second function flattens after transposing: its loop walks single numbers
    assert _lines(tmp_path, "PRF001") == [17]


def test_prf001_a_column_index_computed_from_the_counter_picks_whole_columns(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pkg/fourier.py": (
                "import numpy as np\n\n\n"
                "def fourier_terms(n, m):\n"
                "    t = np.arange(n) + 1\n"
                "    terms = np.empty((n, 2 * m))\n"
                "    for i in range(1, m + 1):\n"
                "        terms[:, 2 * i - 1] = np.sin(2 * np.pi * i * t / m)\n"
                "        terms[:, 2 * i - 2] = np.cos(2 * np.pi * i * t / m)\n"
                "    return terms\n\n\n"
                "def seasonal_sines(t, m):\n"
                "    out = np.empty(len(t))\n"
                "    for i in range(len(t)):\n"
                "        out[i] = np.sin(2 * np.pi * i * t[i] / m)\n"
                "    return out\n"
            )
        },
    )
    # the second loop computes one number per sample: per-element work
    assert _lines(tmp_path, "PRF001") == [15]


def test_prf001_silent_on_an_online_update_but_fires_on_a_running_sum_and_on_a_fixed_state(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pkg/online.py": (
                "import numpy as np\n\n\n"
                "def online_kmodes_pass(X, centroids, counts):\n"
                "    moves = 0\n"
                "    for x in X:\n"
                "        clust = np.argmin(np.sum(centroids != x, axis=1))\n"
                "        centroids, counts = move_point(x, clust, centroids, counts)\n"
                "        moves += 1\n"
                "    return centroids, moves\n\n\n"
                "def offsets(values, ax):\n"
                "    loc = 0.0\n"
                "    for i in range(len(values)):\n"
                "        loc -= values[i] * 2.0\n"
                "        ax.barh(i, np.abs(values[i]), left=loc)\n\n\n"
                "def step_lengths(X, start):\n"
                "    prev, lengths = start, []\n"
                "    for x in X:\n"
                "        lengths.append(np.linalg.norm(x - prev))\n"
                "        prev = x\n"
                "    return lengths\n"
            )
        },
    )
    # a running sum is a cumsum; the previous point is the element before, not a state built from itself (np.diff)
    assert _lines(tmp_path, "PRF001") == [15, 22]


def test_prf001_silent_on_optional_elements_checked_against_none_but_fires_on_numbers(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pkg/boxes.py": (
                "import numpy as np\n\n\n"
                "def rescale_polygons(polygons, ratio):\n"
                "    for k in range(len(polygons)):\n"
                "        if polygons[k] is not None:\n"
                "            polygons[k] *= ratio\n"
                "    return polygons\n\n\n"
                "def rescale_scores(scores, ratio):\n"
                "    for k in range(len(scores)):\n"
                "        if scores[k] > 0:\n"
                "            scores[k] *= ratio\n"
                "    return scores\n"
            )
        },
    )
    assert _lines(tmp_path, "PRF001") == [12]


def test_prf001_silent_on_a_comparison_picking_a_python_literal_but_fires_on_one_picking_a_number(
    tmp_path: Path,
) -> None:
    write_tree(
        tmp_path,
        {
            "pkg/rle.py": (
                "import numpy as np\n\n\n"
                "def run_lengths(masks, changes, n):\n"
                "    out = []\n"
                "    for i in range(n):\n"
                "        idx = changes[changes[:, 0] == i, 1]\n"
                "        counts = [] if masks[i, 0] == 0 else [0]\n"
                "        out.append({'counts': counts + (idx[1:] - idx[:-1]).tolist()})\n"
                "    return out\n\n\n"
                "def binarize(scores, n):\n"
                "    labels = np.zeros(n)\n"
                "    for i in range(n):\n"
                "        labels[i] = 1.0 if scores[i] > 0.5 else 0.0\n"
                "    return labels\n"
            )
        },
    )
    assert _lines(tmp_path, "PRF001") == [15]


def test_prf001_silent_on_loops_adding_constraints_to_an_optimisation_model(tmp_path: Path) -> None:
    code = (
        "import numpy as np\n\n\n"
        "def add_size_limits(model, n, x, y, size):\n"
        "    for i in range(n):\n"
        "        model.constraint(x[i] * size[i] >= y[i])\n"
        "    for i in range(n):\n"
        "        used = x[i] * size[i]\n"
        "        model.Add(used <= 10 * y[i])\n"
        "    return model\n\n\n"
        "def weigh(n, x, size):\n"
        "    total = []\n"
        "    for i in range(n):\n"
        "        total.append(x[i] * size[i] + 1)\n"
        "    return total\n"
    )
    write_tree(tmp_path, {"pkg/solve.py": code})
    assert ["weigh()" in h.message for h in findings(tmp_path, "PRF001")] == [True]


def test_prf001_silent_in_a_plotting_module_but_fires_in_the_same_code_elsewhere(tmp_path: Path) -> None:
    code = (
        "import numpy as np\n\n\n"
        "def waterfall(values, ax):\n"
        "    loc = 0.0\n"
        "    for i in range(len(values)):\n"
        "        loc -= values[i] * 2.0\n"
        "        ax.barh(i, np.abs(values[i]), left=loc)\n"
        "    return ax\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/plots/_waterfall.py": code, "pkg/stats.py": code})
    assert [f.path for f in findings(tmp_path, "PRF001")] == ["pkg/stats.py"]


def test_prf001_silent_on_the_unannotated_star_args_a_caller_passes_but_fires_on_one_array_parameter(
    tmp_path: Path,
) -> None:
    code = (
        "import torch\n\n\n"
        "class EmbeddingPenalty(torch.nn.Module):\n"
        "    def forward(self, *embeddings):\n"
        "        loss = torch.zeros(1)\n"
        "        for embedding in embeddings:\n"
        "            loss += torch.norm(embedding, p=2)\n"
        "        return loss / embeddings[-1].shape[0]\n\n\n"
        "def penalty(embedding):\n"
        "    loss = torch.zeros(1)\n"
        "    for row in embedding:\n"
        "        loss += torch.norm(row, p=2)\n"
        "    return loss\n"
    )
    write_tree(tmp_path, {"recs/__init__.py": "", "recs/losses.py": code})
    assert _lines(tmp_path, "PRF001") == [14]


def test_prf001_silent_on_a_loop_over_a_tables_fields_but_fires_on_a_loop_over_its_values(tmp_path: Path) -> None:
    code = (
        "import numpy as np\n\n\n"
        "def normalize(table, float_fields):\n"
        "    for field in float_fields:\n"
        "        table[field] = np.cumsum(table[field].values)\n"
        "    return table\n\n\n"
        "def total(values):\n"
        "    out = 0.0\n"
        "    for value in values:\n"
        "        out += np.log1p(value)\n"
        "    return out\n"
    )
    write_tree(tmp_path, {"recs/__init__.py": "", "recs/prep.py": code})
    assert _lines(tmp_path, "PRF001") == [12]


def test_prf001_a_loop_over_an_arrays_axes_is_silent_but_one_over_its_voxels_is_not(tmp_path: Path) -> None:
    """`range(img.ndim)` visits three axes of a volume; `range(img.shape[0])` visits every slice."""
    code = (
        "import numpy as np\n\n\n"
        "def physical_extent(img, spacing):\n"
        "    extent = np.zeros(img.ndim)\n"
        "    for d in range(img.ndim):\n"
        "        extent[d] = img.shape[d] * spacing[d]\n"
        "    return extent\n\n\n"
        "def pad_to_multiple(shape, divisible_by):\n"
        "    out = list(shape)\n"
        "    for i in range(len(shape)):\n"
        "        out[i] = shape[i] + (divisible_by[i] - shape[i] % divisible_by[i]) % divisible_by[i]\n"
        "    return np.array(out)\n\n\n"
        "def slice_means(img, spacing):\n"
        "    means = np.zeros(img.shape[0])\n"
        "    for z in range(img.shape[0]):\n"
        "        means[z] = img[z].sum() * spacing[z] / img[z].size\n"
        "    return means\n"
    )
    write_tree(tmp_path, {"vol/__init__.py": "", "vol/geometry.py": code})
    assert _lines(tmp_path, "PRF001") == [20]


def test_prf001_ignores_indexing_lists_of_arrays_from_annotations_and_gradient_tapes(tmp_path: Path) -> None:
    """`X[j]` of `X: List[np.ndarray]` is one model input, `grads[i]` of `tape.gradient(loss, variables)` one
    variable's gradient: whole arrays, one step each. Indexing a plain array parameter still fires."""
    code = (
        "from typing import List, Union\n\n"
        "import numpy as np\nimport tensorflow as tf\n\n\n"
        "def attribute(X: List[np.ndarray], baselines: Union[List[float], List[np.ndarray]], dtypes: list) -> list:\n"
        "    out = []\n"
        "    for j in range(len(dtypes)):\n"
        "        out.append((X[j] - baselines[j]).astype(dtypes[j]))\n"
        "    return out\n\n\n"
        "def project_step(model, opt, x, y, alpha):\n"
        "    with tf.GradientTape(persistent=True) as tape:\n"
        "        loss_p = model.loss_p(x, y)\n"
        "        loss_a = model.loss_a(x, y)\n"
        "    gp = tape.gradient(loss_p, model.trainable_variables)\n"
        "    ga = tape.gradient(loss_a, model.trainable_variables)\n"
        "    for i in range(len(gp)):\n"
        "        unit = ga[i] / (tf.norm(ga[i]) + 1e-12)\n"
        "        gp[i] = gp[i] - tf.reduce_sum(gp[i] * unit) * unit - alpha * ga[i]\n"
        "    opt.apply_gradients(zip(gp, model.trainable_variables))\n\n\n"
        "def shrink(X: np.ndarray, baselines: np.ndarray) -> np.ndarray:\n"
        "    out = np.empty(len(X))\n"
        "    for j in range(len(X)):\n"
        "        out[j] = X[j] - baselines[j]\n"
        "    return out\n\n\n"
        "def slopes(f, dx):\n"
        "    g = np.gradient(f, dx)\n"
        "    for i in range(len(g)):\n"
        "        g[i] = g[i] * dx\n"
        "    return g\n"
    )
    write_tree(tmp_path, {"xai/grads.py": code})
    assert _lines(tmp_path, "PRF001") == [28, 35]


def test_prf001_silent_in_a_function_printing_rows_for_a_reader_but_fires_where_it_scores(tmp_path: Path) -> None:
    """`print_changes()` walks the few counterfactual rows a person reads, marking unchanged values; the same
    comparison in the loss the search minimises is per-element work."""
    code = (
        "import numpy as np\n\n\n"
        "class Counterfactuals:\n"
        "    def print_changes(self, rows, original):\n"
        "        for i in range(len(original)):\n"
        "            if np.abs(rows[0][i] - original[i]) < 1e-4 * np.abs(original[i]):\n"
        "                rows[0][i] = '-'\n"
        "        print(rows)\n\n"
        "    def hinge_loss(self, predicted, target):\n"
        "        loss = 0.0\n"
        "        for i in range(len(predicted)):\n"
        "            loss += max(0.0, 1.0 - predicted[i] * target)\n"
        "        return loss\n"
    )
    write_tree(tmp_path, {"cf/__init__.py": "", "cf/explanations.py": code})
    assert _lines(tmp_path, "PRF001") == [13]


def test_prf001_silent_on_a_loop_over_matrices_but_fires_on_the_numbers_of_one(tmp_path: Path) -> None:
    code = (
        "import numpy as np\n\n\n"
        "def edge_frequency(adjacency_matrices, threshold):\n"
        "    freq = np.zeros(adjacency_matrices[0].shape)\n"
        "    for am in np.nan_to_num(adjacency_matrices):\n"
        "        freq += np.where(np.abs(am) > threshold, 1, 0)\n"
        "    return freq / len(adjacency_matrices)\n\n\n"
        "def whitened(residuals, weights):\n"
        "    out = []\n"
        "    for resid in residuals:\n"
        "        out.append(np.dot(weights, resid.T))\n"
        "    return out\n\n\n"
        "def group_means(groups, col):\n"
        "    return [np.mean(X[:, col]) for X in groups]\n\n\n"
        "def total_strength(adjacency, threshold):\n"
        "    total = 0.0\n"
        "    for w in np.nan_to_num(adjacency).ravel():\n"
        "        total += np.abs(w) if w > threshold else 0.0\n"
        "    return total\n\n\n"
        "def row_energy(residuals):\n"
        "    out = []\n"
        "    for resid in residuals:\n"
        "        out.append(np.dot(resid, resid))\n"
        "    return out\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/bootstrap.py": code})
    # a stack of matrices (named so, cleaned by nan_to_num), a transposed element and a column of each element
    # are whole matrices per step; the numbers of one matrix and the rows of one array are per-element work
    assert _lines(tmp_path, "PRF001") == [24, 31]


def test_prf001_silent_on_steps_catching_their_own_solver_error_but_fires_without_the_fallback(tmp_path: Path) -> None:
    code = (
        "import numpy as np\nfrom scipy import linalg\n\n\n"
        "def natural_gradient(metric, grad):\n"
        "    out = np.zeros_like(grad)\n"
        "    for i in range(len(grad)):\n"
        "        try:\n"
        "            out[i] = np.linalg.solve(metric[i], grad[i])\n"
        "        except np.linalg.LinAlgError:\n"
        "            out[i] = np.linalg.pinv(metric[i]) @ grad[i]\n"
        "    return out\n\n\n"
        "def local_fit(x, y, w):\n"
        "    est = np.zeros(len(x))\n"
        "    for i in range(len(x)):\n"
        "        a = np.array([[np.sum(w[i]), 1.0], [1.0, np.sum(w[i] * x)]])\n"
        "        try:\n"
        "            beta = linalg.solve(a, np.array([np.sum(w[i] * y), 0.0]), assume_a='pos')\n"
        "        except np.linalg.LinAlgError:\n"
        "            beta = [0.0, 0.0]\n"
        "        est[i] = beta[0] + beta[1] * x[i]\n"
        "    return est\n\n\n"
        "def solve_all(metric, grad):\n"
        "    out = np.zeros_like(grad)\n"
        "    for i in range(len(grad)):\n"
        "        out[i] = np.linalg.solve(metric[i], grad[i])\n"
        "    return out\n\n\n"
        "def checked_norms(X):\n"
        "    out = np.zeros(len(X))\n"
        "    for i in range(len(X)):\n"
        "        try:\n"
        "            out[i] = np.linalg.norm(X[i])\n"
        "        finally:\n"
        "            pass\n"
        "    return out\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/solve.py": code})
    # a solve that may fail for one element falls back for that element alone; the same solve with no fallback is a
    # batched `np.linalg.solve(metric, grad[..., None])`, and a `try` that catches nothing recovers nothing
    assert _lines(tmp_path, "PRF001") == [29, 36]


def test_prf001_silent_on_a_function_per_step_picked_from_a_table_but_fires_on_a_table_of_numbers(
    tmp_path: Path,
) -> None:
    code = (
        "import numpy as np\n\n\n"
        "def mixture_grad(pi, grad_fns, args, n_out):\n"
        "    out = np.zeros((len(args[0]), n_out))\n"
        "    for j in range(n_out):\n"
        "        for k in range(len(grad_fns)):\n"
        "            g = np.asarray(grad_fns[k][j](*args), dtype=float)\n"
        "            out[:, j] -= pi[k] * g\n"
        "    return out\n\n\n"
        "def mixture_total(pi, table, n_out):\n"
        "    out = np.zeros(n_out)\n"
        "    for j in range(n_out):\n"
        "        for k in range(len(table)):\n"
        "            out[j] -= pi[k] * table[k][j]\n"
        "    return out\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/mixture.py": code})
    # `grad_fns[k][j](*args)` evaluates one component's gradient function per step, on whole arrays; the same
    # loop over a table of numbers is per-element arithmetic
    assert _lines(tmp_path, "PRF001") == [15]


def test_prf001_silent_on_a_model_fitted_per_step_but_fires_on_the_same_math_without_a_fit(tmp_path: Path) -> None:
    code = (
        "import numpy as np\n\n\n"
        "class Survival:\n"
        "    def followup_ratios(self, df, times):\n"
        "        results = {}\n"
        "        for t in sorted(times):\n"
        "            d = df.copy()\n"
        "            d['T'] = np.minimum(d['T'], t)\n"
        "            results[t] = self.__class__(penalizer=self.penalizer).fit(d, 'T').ratios_\n"
        "        return results\n\n\n"
        "def censored_scores(est, X, y, times):\n"
        "    scores = []\n"
        "    for t in times:\n"
        "        yt = np.minimum(y, t)\n"
        "        scores.append(est.fit(X, yt).score(X, yt))\n"
        "    return scores\n\n\n"
        "def censored_totals(y, times):\n"
        "    totals = []\n"
        "    for t in times:\n"
        "        totals.append(np.sum(np.minimum(t, 3.0)))\n"
        "    return totals\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/survival.py": code})
    # each step of the first two trains a model on the whole data; the last does number-by-number math
    assert _lines(tmp_path, "PRF001") == [24]


def test_prf001_silent_on_a_key_read_from_every_record_but_fires_on_per_value_math(tmp_path: Path) -> None:
    code = (
        "import numpy as np\n\n\n"
        "def best_per_metric(metrics, runs):\n"
        "    best = {}\n"
        "    for k in metrics:\n"
        "        i = np.argmax([r[k].f1 for r in runs])\n"
        "        best[k] = runs[i][k]\n"
        "    return best\n\n\n"
        "def mean_per_metric(metrics, rows):\n"
        "    return {m: np.mean([row[m] for row in rows]) for m in metrics}\n\n\n"
        "def mean_by_name(names, rows):\n"
        "    out = []\n"
        "    for name in names:\n"
        "        out.append(np.mean([row[name] for row in rows]))\n"
        "    return out\n\n\n"
        "def weighted(xs, weights):\n"
        "    out = []\n"
        "    for x in xs:\n"
        "        out.append(np.sum([x * w for w in weights]))\n"
        "    return out\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/agg.py": code})
    assert _lines(tmp_path, "PRF001") == [25]


def test_prf001_silent_on_all_but_the_last_of_a_list_of_outputs_but_fires_on_all_but_the_last_score(
    tmp_path: Path,
) -> None:
    code = (
        "import torch\n\n\n"
        "def merge(blocks, x):\n"
        "    x_outs = []\n"
        "    for block in blocks:\n"
        "        x = block(x)\n"
        "        x_outs.append(x)\n"
        "    for i in range(len(x_outs) - 1):\n"
        "        x = x + x_outs[i]\n"
        "    return x\n\n\n"
        "def weighted(scores, weights):\n"
        "    total = torch.zeros(())\n"
        "    for i in range(len(scores) - 1):\n"
        "        total += scores[i] * weights[i]\n"
        "    return total\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/merge.py": code})
    assert _lines(tmp_path, "PRF001") == [16]


def test_prf001_silent_on_a_builder_walking_literal_stage_sizes_but_fires_on_numbers_read_from_data(
    tmp_path: Path,
) -> None:
    code = (
        "import numpy as np\n\n\n"
        "def widths(depth, width_factor):\n"
        "    if depth == 68:\n"
        "        k_sec = (3, 4, 12, 3)\n"
        "    else:\n"
        "        k_sec = (4, 8, 28, 3)\n"
        "    bws = [0 * n for n in k_sec]\n"
        "    channels = [[0] * n for n in k_sec]\n"
        "    for i in range(len(k_sec)):\n"
        "        bws[i] = (2**i) * 64 * width_factor\n"
        "        channels[i][0] = bws[i] + 3 * k_sec[i]\n"
        "    return np.array(bws), channels\n\n\n"
        "def weighted(raw, weights):\n"
        "    values = [float(v) for v in raw]\n"
        "    total = 0.0\n"
        "    for i in range(len(values)):\n"
        "        total += np.exp(values[i]) * weights[i]\n"
        "    return total\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/builder.py": code})
    assert _lines(tmp_path, "PRF001") == [20]


def test_prf001_silent_on_a_list_of_per_layer_gradients_but_fires_on_the_values_of_one_gradient(
    tmp_path: Path,
) -> None:
    code = (
        "import numpy as np\n\n\n"
        "def saliency(biases, grads_list):\n"
        "    maps = []\n"
        "    for bias, grads in zip(biases, grads_list):\n"
        "        maps.append(np.abs(bias[None, :, None, None] * grads))\n"
        "    return maps\n\n\n"
        "def steepness(curve):\n"
        "    grad_values = np.gradient(curve)\n"
        "    out = []\n"
        "    for g in grad_values:\n"
        "        out.append(np.abs(g))\n"
        "    return out\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/cams.py": code})
    assert _lines(tmp_path, "PRF001") == [14]


def test_prf001_silent_on_the_leaves_of_a_pytree_but_not_on_rows(tmp_path: Path) -> None:
    code = (
        "import jax\nimport jax.numpy as jnp\n\n\n"
        "def outer(dw):\n    leaves, tree = jax.tree_util.tree_flatten(dw)\n    out = []\n"
        "    for l1 in leaves:\n        out.append(jnp.tensordot(l1, l1, axes=1))\n"
        "    return jax.tree_util.tree_unflatten(tree, out)\n\n\n"
        "def row_norms(points):\n    out = []\n"
        "    for p in points:\n        out.append(jnp.sqrt(jnp.sum(p * p)))\n    return out\n"
    )
    write_tree(tmp_path, {"solver.py": code})
    assert _lines(tmp_path, "PRF001") == [15]


def test_prf001_silent_on_a_nearest_bin_search_per_band_edge_but_fires_on_per_row_products(tmp_path: Path) -> None:
    """`np.argmin(np.square(freqs - low[i]))` offsets the whole frequency grid by one band edge and searches it:
    one vectorised pass per band (a method chain `np.abs(grid - x[k]).argmin()`, or the closest estimate to each
    reference beat, too). `np.sum(X[i] * W[i])` and `np.sum(X[i] * w)` reduce a product per row: per-row work one
    `axis=` call or matrix product does."""
    code = (
        "import numpy as np\n\n\n"
        "def band_matrix(freqs, low, high):\n"
        "    obm = np.zeros((len(low), len(freqs)))\n"
        "    for i in range(len(low)):\n"
        "        lo = np.argmin(np.square(freqs - low[i]))\n"
        "        hi = np.argmin(np.square(freqs - high[i]))\n"
        "        obm[i, lo:hi] = 1\n"
        "    return obm\n\n\n"
        "def snap(grid, x):\n"
        "    idx = np.zeros(len(x), dtype=int)\n"
        "    for k in range(len(x)):\n"
        "        idx[k] = np.abs(grid - x[k]).argmin()\n"
        "    return idx\n\n\n"
        "def closeness(reference, estimated, sigma):\n"
        "    accuracy = 0.0\n"
        "    for beat in reference:\n"
        "        error = np.min(np.abs(beat - estimated))\n"
        "        accuracy += np.exp(-(error**2) / (2.0 * sigma**2))\n"
        "    return accuracy\n\n\n"
        "def row_scores(X, W, w):\n"
        "    s = np.zeros(len(X))\n"
        "    for i in range(len(X)):\n"
        "        s[i] = np.sum(X[i] * W[i])\n"
        "    for i in range(len(X)):\n"
        "        s[i] += np.sum(X[i] * w)\n"
        "    return s\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/bands.py": code})
    assert _lines(tmp_path, "PRF001") == [30, 32]


def test_prf001_silent_on_extending_a_list_per_track_but_fires_on_adding_to_an_array_per_track(tmp_path: Path) -> None:
    """`all_events = [[] for _ in tracks]` holds one Python list per track: `all_events[i] += global_events` extends
    it. The same `+=` on a numeric array the function builds adds numbers element by element."""
    code = (
        "import numpy as np\n\n\n"
        "def events_per_track(tracks, global_events):\n"
        "    all_events = [[] for _ in range(len(tracks))]\n"
        "    for i in range(len(all_events)):\n"
        "        all_events[i] += global_events\n"
        "    return all_events\n\n\n"
        "def offsets_per_track(tracks, shift):\n"
        "    starts = np.zeros(len(tracks))\n"
        "    for i in range(len(starts)):\n"
        "        starts[i] += shift\n"
        "    return starts\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/events.py": code})
    assert _lines(tmp_path, "PRF001") == [13]


def test_prf001_ignores_tallies_in_a_python_list_of_numbers_but_not_an_array_of_zeros(tmp_path: Path) -> None:
    code = (
        "import numpy as np\n\n\n"
        "def pass_rates(results, tries):\n"
        "    passed = [0] * tries\n"
        "    for outcomes in results:\n"
        "        for i in range(len(outcomes) - 1, tries):\n"
        "            passed[i] += 1\n"
        "    return [100 * passed[i] / len(results) for i in range(tries)]\n\n\n"
        "def pass_rates_array(results, tries):\n"
        "    passed = np.zeros(tries)\n"
        "    for outcomes in results:\n"
        "        for i in range(len(outcomes) - 1, tries):\n"
        "            passed[i] += 1\n"
        "    return passed\n"
    )
    write_tree(tmp_path, {"bench/summary.py": code})
    [hit] = findings(tmp_path, "PRF001")
    assert hit.line == 15 and "pass_rates_array()" in hit.message


def test_prf001_a_loop_over_axes_counted_by_rank_or_a_size_tuple_is_silent_but_a_feature_width_is_not(
    tmp_path: Path,
) -> None:
    """`range(ndim)`, `range(len(out_size))` and `zip(k, spatial_shape)` take one step per axis of a volume;
    `range(len(emb))` walks every feature of an embedding."""
    code = (
        "import numpy as np\n\n\n"
        "def shift_centroid(mask, offset):\n"
        "    ndim = len(mask.shape)\n"
        "    centroid = np.argwhere(mask).mean(axis=0)\n"
        "    for i in range(ndim):\n"
        "        centroid[i] += offset[i]\n"
        "    return centroid\n\n\n"
        "def blur_sigmas(factors, sigma, out_size):\n"
        "    sigmas = list(sigma)\n"
        "    for axis in range(len(out_size)):\n"
        "        sigmas[axis] = sigmas[axis] * np.float32(factors[axis] > 1)\n"
        "    return sigmas\n\n\n"
        "def divisible_size(k, spatial_shape):\n"
        "    out = []\n"
        "    for k_d, dim in zip(k, spatial_shape):\n"
        "        out.append(int(np.ceil(dim / k_d) * k_d))\n"
        "    return out\n\n\n"
        "def scale_features(emb, dims, scale):\n"
        "    out = np.zeros(len(emb))\n"
        "    for i in range(len(emb)):\n"
        "        out[i] = np.tanh(emb[i] * scale[i]) + dims\n"
        "    return out\n"
    )
    write_tree(tmp_path, {"vol/__init__.py": "", "vol/geometry.py": code})
    assert _lines(tmp_path, "PRF001") == [28]


def test_prf001_elements_keying_a_mapping_of_objects_are_parts_but_keying_numbers_is_per_element(
    tmp_path: Path,
) -> None:
    """`self.buffers[arm].average` reads one buffer object per arm; `self.gains[arm]` is one number per arm."""
    code = (
        "import numpy as np\n\n\n"
        "class Robot:\n"
        "    def force_integral(self):\n"
        "        out = {}\n"
        "        for arm in self.arms:\n"
        "            out[arm] = np.abs(self.buffers[arm].average / self.control_freq)\n"
        "        return out\n\n"
        "    def scaled_gains(self):\n"
        "        out = {}\n"
        "        for arm in self.arms:\n"
        "            out[arm] = np.sqrt(self.gains[arm]) * 2.0\n"
        "        return out\n"
    )
    write_tree(tmp_path, {"bot/__init__.py": "", "bot/robot.py": code})
    assert _lines(tmp_path, "PRF001") == [13]


def test_prf001_numbered_zip_of_literal_offsets_walks_constants_but_of_data_walks_numbers(tmp_path: Path) -> None:
    """`enumerate(zip(dx, dy))` over four written-out leg offsets takes four steps; over loaded points, one per point."""
    code = (
        "import numpy as np\n\n\n"
        "def leg_positions(half_size):\n"
        "    dx = [0.1, -0.1, -0.1, 0.1]\n"
        "    dy = [0.1, 0.1, -0.1, -0.1]\n"
        "    legs = []\n"
        "    for i, (x, y) in enumerate(zip(dx, dy)):\n"
        "        legs.append((i, np.sign(x) * half_size[0], np.sign(y) * half_size[1]))\n"
        "    return legs\n\n\n"
        "def signed_points(path, half_size):\n"
        "    xs, ys = np.loadtxt(path, unpack=True)\n"
        "    out = []\n"
        "    for i, (x, y) in enumerate(zip(xs, ys)):\n"
        "        out.append((i, np.sign(x) * half_size[0], np.sign(y) * half_size[1]))\n"
        "    return out\n"
    )
    write_tree(tmp_path, {"arena/__init__.py": "", "arena/table.py": code})
    assert _lines(tmp_path, "PRF001") == [16]


def test_prf001_ignores_loops_in_methods_numba_jitclass_compiles(tmp_path: Path) -> None:
    method = (
        "    def distance(self, x, y):\n"
        "        total = 0.0\n"
        "        for i in range(x.shape[0]):\n"
        "            total += (x[i] - y[i]) ** 2\n"
        "        return np.sqrt(total)\n"
    )
    write_tree(
        tmp_path,
        {
            "pkg/solvers.py": (
                "import numpy as np\n"
                "try:\n"
                "    from numba.experimental import jitclass\n"
                "except ImportError:\n"
                "    def jitclass(*args, **kwargs):\n"
                "        return lambda cls: cls\n\n\n"
                "class Base:\n"  # every subclass is a jitclass: numba compiles the methods each inherits
                f"{method}\n\n"
                "@jitclass(spec=[])\n"
                f"class Solver(Base):\n{method}\n\n"
                f"class Direct:\n{method}\n\n"
                "Compiled = jitclass([])(Direct)\n\n\n"
                f"class Shared:\n{method}\n\n"  # a plain subclass runs the inherited method in Python
                "@jitclass(spec=[])\nclass FastShared(Shared):\n    pass\n\n\n"
                "class SlowShared(Shared):\n    pass\n\n\n"
                f"class Plain:\n{method}"
            )
        },
    )
    assert sorted(h.line or 0 for h in findings(tmp_path, "PRF001")) == [40, 57]  # Shared (a plain subclass too), Plain


def test_prf001_silent_when_each_element_is_reduced_along_a_second_axis(tmp_path: Path) -> None:
    """`np.argmax(preds[i], axis=1)`: an element reduced along axis 1 has two axes, so the loop runs once per
    matrix (one classifier's predictions), not once per number. Look-alike: a row reduced along its only axis
    (`np.argmax(scores[i], axis=0)`) is the per-row loop that one `axis=1` call replaces."""
    code = (
        "import numpy as np\n\n\n"
        "def vote(preds):\n"
        "    votes = np.zeros(preds.shape[1:])\n"
        "    for i in range(preds.shape[0]):\n"
        "        votes[np.arange(len(votes)), np.argmax(preds[i], axis=1)] += 1\n"
        "    return votes\n\n\n"
        "def best(scores):\n"
        "    out = np.zeros(len(scores), dtype=int)\n"
        "    for i in range(scores.shape[0]):\n"
        "        out[i] = np.argmax(scores[i], axis=0)\n"
        "    return out\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/ensemble.py": code})
    assert _lines(tmp_path, "PRF001") == [13]


def test_prf001_a_list_repeating_one_named_value_is_a_python_list_but_an_array_full_of_it_is_not(
    tmp_path: Path,
) -> None:
    """`[quotient] * n` holds n Python numbers (a count split into shards); `np.full(n, quotient)` is an array."""
    code = (
        "import numpy as np\n\n\n"
        "def split_number(num, n):\n"
        "    quotient, remainder = divmod(num, n)\n"
        "    parts = [quotient] * n\n"
        "    for i in range(remainder):\n"
        "        parts[i] += 1\n"
        "    return parts\n\n\n"
        "def split_number_array(num, n):\n"
        "    quotient, remainder = divmod(num, n)\n"
        "    parts = np.full(n, quotient)\n"
        "    for i in range(remainder):\n"
        "        parts[i] += 1\n"
        "    return parts\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/shards.py": code})
    [hit] = findings(tmp_path, "PRF001")
    assert "split_number_array()" in hit.message


def test_prf001_a_loop_selecting_each_group_of_a_whole_array_is_vectorised_per_group(tmp_path: Path) -> None:
    """`np.flatnonzero(draws == s)` and `weights[labels == s]` pick one source's entries of the whole array per
    step. Look-alike: comparing one element at a time (`draws[i] == s`) is per-element work."""
    code = (
        "import numpy as np\n\n\n"
        "def source_offsets(draws, lengths, offsets, n_sources):\n"
        "    rows = np.empty(len(draws), dtype=np.int64)\n"
        "    for s in range(n_sources):\n"
        "        pos = np.flatnonzero(draws == s)\n"
        "        rows[pos] = np.arange(len(pos)) % lengths[s] + offsets[s]\n"
        "    return rows\n\n\n"
        "def group_totals(weights, labels, n_groups):\n"
        "    totals = np.zeros(n_groups)\n"
        "    for s in range(n_groups):\n"
        "        totals[s] = weights[labels == s].sum() * 2\n"
        "    return totals\n\n\n"
        "def count_source(draws, s):\n"
        "    total = np.zeros(1)\n"
        "    for i in range(len(draws)):\n"
        "        if draws[i] == s:\n"
        "            total[0] = total[0] + draws[i] * 2\n"
        "    return total\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/interleave.py": code})
    [hit] = findings(tmp_path, "PRF001")
    assert "count_source()" in hit.message


def test_prf001_an_item_assignment_keeps_a_python_list_of_numbers_a_list(tmp_path: Path) -> None:
    """`fail = [-1] * n`, then `fail[i] = k`: a failure table of Python ints filled in place (KMP's prefix function),
    whose `fail[i] >= 0` reads a Python number; look-alike: the same table kept in a numpy array of -1s."""
    code = (
        "import numpy as np\n\n\n"
        "def longest_repeat(tokens, max_len):\n"
        "    n = min(max_len, len(tokens))\n"
        "    fail = [-1] * n\n"
        "    k = -1\n"
        "    for i in range(1, n):\n"
        "        while k >= 0 and tokens[i] != tokens[k + 1]:\n"
        "            k = fail[k]\n"
        "        if tokens[i] == tokens[k + 1]:\n"
        "            k += 1\n"
        "        fail[i] = k\n"
        "    best = 1\n"
        "    for i in range(2, n):\n"
        "        if fail[i] >= 0 and (i + 1) % (i - fail[i]) == 0:\n"
        "            best = max(best, (i + 1) // (i - fail[i]))\n"
        "    return best\n\n\n"
        "def repeat_scores(scores, max_len):\n"
        "    n = min(max_len, len(scores))\n"
        "    fail = np.full(n, -1)\n"
        "    for i in range(1, n):\n"
        "        fail[i] = np.argmax(scores[:i])\n"
        "    best = 1\n"
        "    for i in range(2, n):\n"
        "        if fail[i] >= 0 and (i + 1) % (i - fail[i]) == 0:\n"
        "            best = max(best, (i + 1) // (i - fail[i]))\n"
        "    return best\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/decode.py": code})
    assert [(h.line, "repeat_scores()" in h.message) for h in findings(tmp_path, "PRF001")] == [(27, True)]


def test_prf001_ignores_loops_in_classes_declaring_a_jitclass_spec(tmp_path: Path) -> None:
    """A class listing `(field, numba type)` pairs is compiled by `jitclass(spec)(cls)` at run time, elsewhere.
    Look-alike: the same pairs with numpy dtypes (a structured array's fields) declare no compiled class."""
    method = (
        "    def sparse_dot(self, data, indptr, indices, v, j):\n"
        "        acc = 0.0\n"
        "        for k in range(indptr[j], indptr[j + 1]):\n"
        "            acc += data[k] * v[indices[k]]\n"
        "        return acc\n"
    )
    write_tree(
        tmp_path,
        {
            "glm/__init__.py": "",
            "glm/losses.py": (
                "import numpy as np\n"
                "from numba import float64\n"
                "from numba.types import bool_\n\n\n"
                "class Squared:\n"
                "    def get_spec(self):\n"
                "        return (('xty', float64[:]), ('fit_intercept', bool_))\n\n"
                f"{method}\n\n"
                "class Record:\n"
                "    fields = [('alpha', np.float64), ('beta', np.float64)]\n\n"
                f"{method}"
            ),
        },
    )
    assert _lines(tmp_path, "PRF001") == [22]


def test_prf001_ignores_loops_a_registry_compiles_on_first_use(tmp_path: Path) -> None:
    """A decorator that appends the function to a list the module later hands entry by entry to `numba.njit`
    defers the compile: what it decorates runs as machine code. Look-alike: a registry the module only times."""
    body = "    acc = 0.0\n    for i in range(len(x)):\n        acc += x[i] * w[i]\n    return acc\n"
    write_tree(
        tmp_path,
        {
            "fast/__init__.py": "",
            "fast/kernels.py": (
                "import numpy as np\n\n"
                "_KERNELS = []\n"
                "_BENCHMARKS = {}\n\n\n"
                "def kernel(**options):\n"
                "    def register(func):\n"
                "        _KERNELS.append((func.__name__, func, options))\n"
                "        return func\n\n"
                "    return register\n\n\n"
                "def benchmark(func):\n"
                "    _BENCHMARKS[func.__name__] = func\n"
                "    return func\n\n\n"
                "def compile_kernels():\n"
                "    import numba\n\n"
                "    compiled = {name: numba.njit(**opts)(f) for name, f, opts in _KERNELS}\n"
                "    globals().update(compiled)\n\n\n"
                "def time_all(timer, x, w):\n"
                "    return {name: timer(f, x, w) for name, f in _BENCHMARKS.items()}\n\n\n"
                f"@kernel(cache=True)\ndef dot(x, w):\n{body}\n\n"
                f"@benchmark\ndef dot_slow(x, w):\n{body}"
            ),
        },
    )
    [hit] = findings(tmp_path, "PRF001")
    assert "dot_slow()" in hit.message


def test_prf001_ignores_numpy_calls_that_only_format_a_report_row(tmp_path: Path) -> None:
    """`str(np.round(stat, 3))` in a printed table's row is a cell for a reader, not numbers to vectorise.
    So is a local every read of which is formatted. Look-alikes: a rounded value also summed, and rounding each vote
    back into the array, are the numeric work one vectorised call does."""
    write_tree(
        tmp_path,
        {
            "stats/report.py": (
                "import numpy as np\n\n\n"
                "def summary_rows(stats, critical):\n"
                "    rows = []\n"
                "    for i, (stat, crit) in enumerate(zip(stats, critical)):\n"
                "        rows.append(\n"
                '            "{: >11s}".format(str(i + 1))\n'
                '            + "{: >15s}".format(str(np.round(stat, 3)))\n'
                '            + f"{np.round(crit, 3): >13}"\n'
                "        )\n"
                "    return rows\n\n\n"
                "def rule_text(conditions, names):\n"
                "    parts = []\n"
                "    for condition in conditions:\n"
                "        threshold = np.round(float(condition['pivot']), 5)\n"
                "        parts.append(f\"{names[condition['feature']]} <= {threshold}\")\n"
                "    return ' and '.join(parts)\n\n\n"
                "def rounded_total(values):\n"
                "    total, shown = 0.0, []\n"
                "    for v in values:\n"
                "        r = np.round(v, 2)\n"
                "        total += r\n"
                "        shown.append(f'{r}')\n"
                "    return total, shown\n\n\n"
                "def normalise_votes(votes, voters):\n"
                "    nonzeros = votes.nonzero()\n"
                "    for row, column in zip(nonzeros[0], nonzeros[1]):\n"
                "        votes[row, column] = np.round(votes[row, column] / float(voters[column]))\n"
                "    return votes\n"
            ),
        },
    )
    assert _lines(tmp_path, "PRF001") == [25, 34]  # rounded_total, normalise_votes


def test_prf001_ignores_loops_passing_values_along_tree_links(tmp_path: Path) -> None:
    """`depth[left[i]] = depth[i] + 1` reads what an earlier step wrote for the parent: a walk along a tree's
    links, sequential by nature. Look-alike: writing each node's own entry from other arrays is one masked call."""
    write_tree(
        tmp_path,
        {
            "trees/export.py": (
                "import numpy as np\n\n\n"
                "def node_depths(left, right):\n"
                "    depth = np.zeros(len(left), dtype=int)\n"
                "    for i in range(len(left)):\n"
                "        if left[i] >= 0:\n"
                "            depth[left[i]] = depth[right[i]] = depth[i] + 1\n"
                "    return depth\n\n\n"
                "def leaf_flags(left, right):\n"
                "    leaf = np.zeros(len(left), dtype=bool)\n"
                "    for i in range(len(left)):\n"
                "        if left[i] < 0:\n"
                "            leaf[i] = right[i] < 0\n"
                "    return leaf\n"
            ),
        },
    )
    assert _lines(tmp_path, "PRF001") == [14]


KERNEL_NORMS = (
    "import math\n\n"
    "import numpy as np\n\n\n"
    "def tap_sum(kernel_size, h):\n"
    "    k_half = kernel_size // 2\n"
    "    weight = [1.0] + [2.0] * k_half\n"
    "    square = [c * c for c in range(k_half + 1)]\n"
    "    total = 0.0\n"
    "    for a in range(k_half + 1):\n"
    "        for b in range(k_half + 1):\n"
    "            total += weight[a] * weight[b] * math.exp(-math.sqrt(square[a] + square[b]) / h)\n"
    "    return total - 1.0\n\n\n"
    "def weighted_sum(values, h):\n"
    "    weight = np.asarray(values) * 2.0\n"
    "    total = 0.0\n"
    "    for a in range(len(weight)):\n"
    "        total += weight[a] * math.exp(-a / h)\n"
    "    return total\n"
)


def test_prf001_fires_on_a_loop_weighing_the_entries_of_an_array(tmp_path: Path) -> None:
    write_tree(tmp_path, {"kernels.py": KERNEL_NORMS})
    assert _lines(tmp_path, "PRF001") == [20]


def test_prf001_silent_on_a_loop_weighing_python_numbers_built_from_literals_and_range(tmp_path: Path) -> None:
    write_tree(tmp_path, {"kernels.py": KERNEL_NORMS.split("\n\n\ndef weighted_sum", maxsplit=1)[0] + "\n"})
    assert _lines(tmp_path, "PRF001") == []


MATCHES = (
    "import torch\n\n\n"
    "def filter_matches(m0, scores, threshold):\n"
    "    matches, mscores = [], []\n"
    "    for k in range(len(m0)):\n"
    "        valid = m0[k] > -1\n"
    "        idx = torch.where(valid)[0]\n"
    "        matches.append(torch.stack([idx, m0[k][valid]], -1))\n"
    "        mscores.append(scores[k][valid])\n"
    "    return matches, mscores\n\n\n"
    "def weigh_matches(m0, scores):\n"
    "    weighted = []\n"
    "    for k in range(len(m0)):\n"
    "        weighted.append(m0[k] * scores[k] + 1.0)\n"
    "    return weighted\n"
)


def test_prf001_fires_on_a_loop_appending_arithmetic_on_each_element(tmp_path: Path) -> None:
    write_tree(tmp_path, {"matching.py": MATCHES})
    assert _lines(tmp_path, "PRF001") == [16]


def test_prf001_silent_on_a_loop_collecting_ragged_selections_per_item(tmp_path: Path) -> None:
    write_tree(tmp_path, {"matching.py": MATCHES.split("\n\n\ndef weigh_matches", maxsplit=1)[0] + "\n"})
    assert _lines(tmp_path, "PRF001") == []


def test_prf001_silent_on_cutting_each_sequence_to_its_own_length_but_fires_on_scaled_lengths(tmp_path: Path) -> None:
    code = (
        "import torch\n\n\n"
        "def pooled(x, lengths):\n"
        "    means = []\n"
        "    for i in range(x.shape[0]):\n"
        "        actual = int(torch.round(lengths[i] * x.shape[1]))\n"
        "        means.append(x[i, 0:actual].mean(dim=0))\n"
        "    return torch.stack(means)\n\n\n"
        "def greedy(probs, rel_lens):\n"
        "    out = []\n"
        "    for seq, rel in zip(probs, rel_lens):\n"
        "        size = int(torch.round(rel * probs.shape[1]))\n"
        "        out.append(torch.argmax(seq.narrow(0, 0, size), dim=1).tolist())\n"
        "    return out\n\n\n"
        "def frames(x, lengths):\n"
        "    out = []\n"
        "    for i in range(x.shape[0]):\n"
        "        actual = int(torch.round(lengths[i] * x.shape[1]))\n"
        "        out.append(actual + 1)\n"
        "    return out\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/pool.py": code})
    assert _lines(tmp_path, "PRF001") == [22]


def test_prf001_silent_on_a_step_that_runs_its_own_while_loop_but_fires_on_plain_differences(tmp_path: Path) -> None:
    code = (
        "import numpy as np\n\n\n"
        "def trim(durations, lengths):\n"
        "    for i in range(len(lengths)):\n"
        "        delta = sum(durations[i]) - lengths[i]\n"
        "        end = len(durations[i]) - 1\n"
        "        while delta > 0 and end >= 0:\n"
        "            cut = min(durations[i][end], delta)\n"
        "            durations[i][end] -= cut\n"
        "            delta -= cut\n"
        "            end -= 1\n"
        "    return durations\n\n\n"
        "def excess(durations, lengths):\n"
        "    out = np.zeros(len(lengths))\n"
        "    for i in range(len(lengths)):\n"
        "        out[i] = durations[i] - lengths[i]\n"
        "    return out\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/align.py": code})
    assert _lines(tmp_path, "PRF001") == [18]


GRAM_SCHMIDT = """\
import torch


def orthonormal_columns(u, rank):
    weight = [(u[:, 0] / u[:, 0].norm()).view(-1, 1)]
    for i in range(1, rank):
        ui = u[:, i].view(-1, 1)
        for j in range(i):
            ui = ui - (weight[j].t() @ ui) * weight[j]
        weight.append((ui / ui.norm()).view(-1, 1))
    return torch.cat(weight, dim=1)
"""


def test_prf001_a_list_the_function_joins_into_one_array_holds_whole_arrays(tmp_path: Path) -> None:
    """`torch.cat(weight, dim=1)` joins the list: `weight[j]` is a column, and the loop projects out one column a
    step (Gram-Schmidt), not one number."""
    write_tree(tmp_path, {"peftlike/__init__.py": "", "peftlike/layer.py": GRAM_SCHMIDT})
    assert findings(tmp_path, "PRF001") == []


def test_prf001_a_dot_product_over_tensor_elements_still_fires_beside_a_joined_list(tmp_path: Path) -> None:
    code = (
        "import torch\n\n\ndef scores(w, x):\n    parts = []\n    total = 0.0\n"
        "    for j in range(len(w)):\n        total += w[j] * x[j]\n"
        "    parts.append(torch.tensor([total]))\n    return torch.cat(parts)\n"
    )
    write_tree(tmp_path, {"peftlike/__init__.py": "", "peftlike/score.py": code})
    [hit] = findings(tmp_path, "PRF001")
    assert hit.line == 7
