"""Tests of the performance capabilities: vectorised, batched, gradient-free inference, accelerated, measured."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.capabilities.util import assess
from tests.helpers import findings

VECTORISED = """import numpy as np


def normalise(x):
    return (x - np.mean(x, axis=0)) / np.std(x, axis=0)


def cosine(a, b):
    return np.dot(a, b.T) / np.outer(np.linalg.norm(a, axis=1), np.linalg.norm(b, axis=1))
"""
LOOPED = """import numpy as np


def normalise(x):
    out = np.zeros(len(x))
    for i in range(len(x)):
        out[i] = (x[i] - np.mean(x)) / np.std(x)
    return out
"""
TORCH_INFER = """import torch
from torch.utils.data import DataLoader


def predict(model, dataset):
    loader = DataLoader(dataset, batch_size=64, num_workers=4, pin_memory=True)
    model.eval()
    with torch.inference_mode():
        return [model(batch) for batch in loader]
"""


def test_vectorised_code_earns(tmp_path: Path) -> None:
    result = assess(tmp_path, "performance", "vectorised", {"churn/sim.py": VECTORISED})
    assert result.share == 1
    assert "0 slow Python loops" in result.evidence


def test_elementwise_loop_costs(tmp_path: Path) -> None:
    result = assess(tmp_path, "performance", "vectorised", {"churn/sim.py": LOOPED})
    assert result.share == 0
    assert "churn/sim.py:6" in result.evidence


def test_loops_in_examples_are_notes_and_do_not_cost_vectorisation(tmp_path: Path) -> None:
    files = {"churn/sim.py": VECTORISED, "examples/quickstart.py": LOOPED, "churn/loop.py": LOOPED}
    result = assess(tmp_path, "performance", "vectorised", files)
    assert "1 slow Python loop (e.g. churn/loop.py:6)" in result.evidence
    severities = {f.path: f.severity for f in findings(tmp_path, "PRF001")}
    assert severities == {"churn/loop.py": Severity.WARNING, "examples/quickstart.py": Severity.INFO}


def test_dataloader_batches(tmp_path: Path) -> None:
    result = assess(tmp_path, "performance", "batched", {"churn/infer.py": TORCH_INFER})
    assert result.share == 1
    assert "churn/infer.py:6" in result.evidence


def test_batch_size_one_is_not_batching(tmp_path: Path) -> None:
    single = TORCH_INFER.replace("batch_size=64", "batch_size=1")
    assert assess(tmp_path, "performance", "batched", {"churn/infer.py": single}).share == 0


def test_inference_mode_earns(tmp_path: Path) -> None:
    result = assess(tmp_path, "performance", "inference_mode", {"churn/infer.py": TORCH_INFER})
    assert result.share == 1
    assert "torch.inference_mode" in result.evidence


def test_torch_inference_with_gradients_does_not_earn(tmp_path: Path) -> None:
    code = TORCH_INFER.replace("    with torch.inference_mode():\n        return", "    return")
    assert assess(tmp_path, "performance", "inference_mode", {"churn/infer.py": code}).share == 0


def test_enabling_gradients_is_no_evidence_of_disabling_them(tmp_path: Path) -> None:
    chosen = TORCH_INFER.replace(
        "    with torch.inference_mode():",
        "    grads = torch.enable_grad() if model.training else torch.no_grad()\n    with grads:",
    )
    result = assess(tmp_path / "a", "performance", "inference_mode", {"churn/infer.py": chosen})
    assert result.share == 1 and result.evidence.endswith("(torch.no_grad)")
    forced = TORCH_INFER.replace("torch.inference_mode()", "torch.enable_grad()")
    assert assess(tmp_path / "b", "performance", "inference_mode", {"churn/infer.py": forced}).share == 0


HF_GENERATE = """import torch
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer


class Summariser:
    def __init__(self, name: str) -> None:
        self.tokenizer = AutoTokenizer.from_pretrained(name)
        self.model = AutoModelForSeq2SeqLM.from_pretrained(name).to(torch.device("cpu"))

    def __call__(self, text: str) -> str:
        inputs = self.tokenizer(text, return_tensors="pt")
        output = self.model.generate(**inputs, max_new_tokens=64)
        return self.tokenizer.decode(output[0])
"""


def test_transformers_generate_runs_without_gradients_but_a_plain_forward_pass_does_not(tmp_path: Path) -> None:
    """`model.generate()` runs under torch.no_grad inside transformers; `self.model(**inputs)` tracks gradients."""
    result = assess(tmp_path / "gen", "performance", "inference_mode", {"summ/model.py": HF_GENERATE})
    assert result.share == 1 and "transformers generate() runs without gradients" in result.evidence
    forward = HF_GENERATE.replace("self.model.generate(**inputs, max_new_tokens=64)", "self.model(**inputs).logits")
    assert assess(tmp_path / "fwd", "performance", "inference_mode", {"summ/model.py": forward}).share == 0


EXPLAINER = """import torch
from captum.attr import LayerIntegratedGradients


class TextExplainer:
    def __init__(self, model, embeddings):
        self.model = model
        self.lig = LayerIntegratedGradients(self._forward, embeddings)

    def _forward(self, input_ids):
        return torch.softmax(self.model(input_ids).logits, dim=-1)

    def explain(self, input_ids, target):
        return self.lig.attribute(input_ids, target=target, n_steps=50)
"""
FINETUNE = """import torch


def finetune(model, loader, epochs=3):
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
    for _ in range(epochs):
        for batch in loader:
            loss = model(**batch).loss
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
"""


def test_a_gradient_attribution_package_that_trains_nothing_needs_its_gradients(tmp_path: Path) -> None:
    files = {"explain/__init__.py": "", "explain/text.py": EXPLAINER}
    result = assess(tmp_path / "a", "performance", "inference_mode", files)
    assert result.share == 1
    assert result.evidence == (
        "explain/text.py imports captum: gradient attribution needs autograd on the forward pass, and nothing is trained"
    )
    trains = {**files, "explain/train.py": FINETUNE}
    assert assess(tmp_path / "b", "performance", "inference_mode", trains).share == 0


SHAP_EXPLAINER = """import shap
import torch


def explain(model, X_background, X):
    explainer = shap.DeepExplainer(model, torch.tensor(X_background.values))
    return explainer.shap_values(torch.tensor(X.values))


def predict(model, X):
    return model(torch.tensor(X.values)).numpy()
"""


def test_shap_deep_explainer_needs_gradients_but_a_tree_explainer_does_not(tmp_path: Path) -> None:
    files = {"dash/__init__.py": "", "dash/explain.py": SHAP_EXPLAINER}
    result = assess(tmp_path / "a", "performance", "inference_mode", files)
    assert result.share == 1 and result.evidence.startswith("dash/explain.py:6 calls shap.DeepExplainer:")
    tree = {**files, "dash/explain.py": SHAP_EXPLAINER.replace("shap.DeepExplainer", "shap.TreeExplainer")}
    assert assess(tmp_path / "b", "performance", "inference_mode", tree).share == 0


def test_sklearn_models_track_no_gradients(tmp_path: Path) -> None:
    code = "from sklearn.linear_model import LogisticRegression\n\n\ndef fit(x, y):\n    return LogisticRegression().fit(x, y)\n"
    assert assess(tmp_path, "performance", "inference_mode", {"churn/fit.py": code}).share == 1


def test_parallel_pinned_loading_is_acceleration(tmp_path: Path) -> None:
    result = assess(tmp_path, "performance", "accelerated", {"churn/infer.py": TORCH_INFER})
    assert result.share == 1
    assert "pinned-memory loading" in result.evidence


def test_plain_loader_is_not_accelerated(tmp_path: Path) -> None:
    plain = TORCH_INFER.replace(", num_workers=4, pin_memory=True", "")
    assert assess(tmp_path, "performance", "accelerated", {"churn/infer.py": plain}).share == 0


def test_a_compiler_applied_as_a_bare_decorator_is_acceleration(tmp_path: Path) -> None:
    """`@jax.jit` over a step function compiles it as `jax.jit(step)` does."""
    step = "import jax\nimport jax.numpy as jnp\n\n\n@jax.jit\ndef step(params, x):\n    return jnp.tanh(x @ params)\n"
    result = assess(tmp_path / "a", "performance", "accelerated", {"pinn/__init__.py": "", "pinn/step.py": step})
    assert result.share == 0.5  # one technique of the two that earn it fully
    assert result.evidence == "jax.jit (pinn/step.py:5)"
    scripted = "import torch\n\n\n@torch.jit.script\ndef gelu(x):\n    return x * torch.sigmoid(1.702 * x)\n"
    result = assess(tmp_path / "b", "performance", "accelerated", {"pinn/__init__.py": "", "pinn/act.py": scripted})
    assert result.evidence == "TorchScript (pinn/act.py:4)"


def test_other_decorators_of_a_jax_module_are_not_acceleration(tmp_path: Path) -> None:
    plain = (
        "import functools\n\nimport jax\nimport jax.numpy as jnp\n\n\n"
        "@functools.lru_cache\ndef grid(n):\n    return jnp.linspace(0, 1, n)\n\n\n"
        "@jax.custom_jvp\ndef softplus(x):\n    return jnp.log1p(jnp.exp(x))\n"
    )
    result = assess(tmp_path, "performance", "accelerated", {"pinn/__init__.py": "", "pinn/ops.py": plain})
    assert result.share == 0


def test_benchmark_script_is_profiling_evidence(tmp_path: Path) -> None:
    bench = "import time\n\nfrom churn.sim import normalise\n\n\ndef main():\n    start = time.perf_counter()\n"
    files = {"churn/sim.py": VECTORISED, "scripts/benchmark_normalise.py": bench}
    result = assess(tmp_path, "performance", "profiled", files)
    assert result.share == 1
    assert "benchmark_normalise.py" in result.evidence


def test_timing_print_is_not_profiling(tmp_path: Path) -> None:
    code = (
        VECTORISED
        + "\n\ndef timed(x):\n    import time\n    t = time.time()\n    normalise(x)\n    print(time.time() - t)\n"
    )
    assert assess(tmp_path, "performance", "profiled", {"churn/sim.py": code}).share == 0


def test_a_benchmark_of_scores_is_no_profiling_but_a_timed_one_is(tmp_path: Path) -> None:
    scores = (
        "from sklearn.metrics import roc_auc_score\n\nfrom churn.sim import normalise\n\n\n"
        "def main(models, X, y):\n    for model in models:\n        print(roc_auc_score(y, model.predict(normalise(X))))\n"
    )
    files = {"churn/sim.py": VECTORISED, "examples/plot_sampler_benchmark.py": scores}
    assert assess(tmp_path, "performance", "profiled", files).share == 0
    timed = "import time\n" + scores.replace("    for model", "    start = time.perf_counter()\n    for model")
    result = assess(tmp_path / "b", "performance", "profiled", {**files, "examples/plot_sampler_benchmark.py": timed})
    assert result.evidence == "benchmark script examples/plot_sampler_benchmark.py"


def test_predict_taking_a_sequence_is_batched(tmp_path: Path) -> None:
    code = "from collections.abc import Sequence\n\n\nclass Pipeline:\n    def predict(self, texts: Sequence[str]) -> list[int]:\n        return [0 for _ in texts]\n"
    result = assess(tmp_path, "performance", "batched", {"clf/pipeline.py": code})
    assert result.share == 1
    single = code.replace("texts: Sequence[str]", "text: str").replace("in texts", "in text")
    assert assess(tmp_path / "b", "performance", "batched", {"clf/pipeline.py": single}).share == 0


def test_batched_evidence_is_the_package_code_before_an_example(tmp_path: Path) -> None:
    example = (
        "from clf.pipeline import Pipeline\n\n\ndef main(model, X, y):\n    model.fit(X, y, batch_size=256, epochs=2)\n"
    )
    package = "from collections.abc import Sequence\n\n\nclass Pipeline:\n    def predict(self, texts: Sequence[str]) -> list[int]:\n        return [0 for _ in texts]\n"
    files = {"examples/applications/keras_fit.py": example, "clf/__init__.py": "", "clf/pipeline.py": package}
    result = assess(tmp_path / "a", "performance", "batched", files)
    assert result.evidence == "batched at clf/pipeline.py:5 (predict(texts: Sequence[str]) takes a batch)"
    only_example = {"examples/applications/keras_fit.py": example, "clf/__init__.py": "", "clf/core.py": "X = 1\n"}
    result = assess(tmp_path / "b", "performance", "batched", only_example)
    assert result.evidence.startswith("batched at examples/applications/keras_fit.py:5")


def test_any_batch_size_keyword_is_batching_but_a_size_of_one_is_not(tmp_path: Path) -> None:
    attribution = EXPLAINER.replace(
        "target=target, n_steps=50)", "target=target, n_steps=50, internal_batch_size=self.internal_batch_size)"
    )
    result = assess(tmp_path / "a", "performance", "batched", {"explain/text.py": attribution})
    assert result.evidence == "batched at explain/text.py:14 (self.lig.attribute(..., internal_batch_size=...))"
    one = attribution.replace("internal_batch_size=self.internal_batch_size", "internal_batch_size=1")
    assert assess(tmp_path / "b", "performance", "batched", {"explain/text.py": one}).share == 0
    unbatched_map = "def tokenize(ds, tok):\n    return ds.map(tok, batched=False)\n"
    assert assess(tmp_path / "c", "performance", "batched", {"prep/tok.py": unbatched_map}).share == 0


AGENT = """import torch


class DQN:
    def __init__(self, q_function, replay_buffer, minibatch_size=32):
        self.q_function = q_function
        self.updater = ReplayUpdater(replay_buffer, batchsize=minibatch_size, update_interval=1)

    def batch_act(self, batch_obs):
        with torch.no_grad():
            return self.q_function(torch.as_tensor(batch_obs)).argmax(dim=1)
"""


def test_a_batch_size_however_spelt_or_a_method_taking_a_batch_is_batching(tmp_path: Path) -> None:
    result = assess(tmp_path / "a", "performance", "batched", {"agents/dqn.py": AGENT})
    assert result.evidence == "batched at agents/dqn.py:7 (ReplayUpdater(..., batchsize=...))"
    api = AGENT.replace("batchsize=minibatch_size, ", "")
    result = assess(tmp_path / "b", "performance", "batched", {"agents/dqn.py": api})
    assert result.evidence == "batched at agents/dqn.py:9 (batch_act(batch_obs) takes a batch)"
    augmenter = api.replace("def batch_act(self, batch_obs)", "def augment_batches(self, batches)").replace(
        "torch.as_tensor(batch_obs)", "torch.stack(batches)"
    )
    result = assess(tmp_path / "d", "performance", "batched", {"agents/dqn.py": augmenter})
    assert result.evidence == "batched at agents/dqn.py:9 (augment_batches(batches) takes a batch)"
    # Look-alikes: acting on one observation, with no batch size anywhere, batches nothing, nor does a method
    # named for batches that takes something else (`log_batch_stats(step)`).
    logger = api.replace("batch_act(self, batch_obs)", "log_batch_stats(self, step)").replace("batch_obs", "step")
    assert assess(tmp_path / "e", "performance", "batched", {"agents/dqn.py": logger}).share == 0
    setter = api.replace("batch_act(self, batch_obs)", "set_batch_size(self, batch_size)").replace(
        "batch_obs", "batch_size"
    )  # a setter of the size takes a number, not a batch
    assert assess(tmp_path / "f", "performance", "batched", {"agents/dqn.py": setter}).share == 0
    single = api.replace("batch_act(self, batch_obs)", "act(self, obs)").replace("batch_obs", "obs[None]")
    assert assess(tmp_path / "c", "performance", "batched", {"agents/dqn.py": single}).share == 0


def test_parallel_estimators_are_acceleration(tmp_path: Path) -> None:
    code = "from sklearn.ensemble import RandomForestClassifier\n\nmodel = RandomForestClassifier(n_jobs=-1)\n"
    assert assess(tmp_path, "performance", "accelerated", {"clf/model.py": code}).share == 0.5
    serial = code.replace("n_jobs=-1", "n_jobs=1")
    assert assess(tmp_path / "b", "performance", "accelerated", {"clf/model.py": serial}).share == 0


def test_a_process_pool_over_cpu_bound_work_is_acceleration(tmp_path: Path) -> None:
    """Feature extraction mapped over a process pool uses every core; a thread pool waiting on downloads does not
    speed up computation, nor does asking how many cores there are."""
    pooled = (
        "from multiprocessing import Pool\n\nimport numpy as np\n\n\ndef features(path):\n    return np.load(path).mean(0)\n\n\n"
        "def extract(paths):\n    with Pool(8) as pool:\n        return pool.map(features, paths)\n"
    )
    result = assess(tmp_path / "a", "performance", "accelerated", {"feats/__init__.py": "", "feats/extract.py": pooled})
    assert (result.share, result.evidence) == (0.5, "process pool (feats/extract.py:11)")
    threaded = (
        "import multiprocessing\nfrom concurrent.futures import ThreadPoolExecutor\n\nimport numpy as np\n\n\n"
        "def fetch_all(urls, get):\n    workers = multiprocessing.cpu_count()\n"
        "    with ThreadPoolExecutor(workers) as pool:\n        return np.stack(list(pool.map(get, urls)))\n"
    )
    files = {"feats/__init__.py": "", "feats/fetch.py": threaded}
    assert assess(tmp_path / "b", "performance", "accelerated", files).share == 0


def test_strided_batches_are_batching(tmp_path: Path) -> None:
    code = (
        "import torch\n\n\ndef embed(net, rows, batch_size):\n    out = []\n"
        "    for start in range(0, len(rows), batch_size):\n        out.append(net(rows[start : start + batch_size]))\n"
        "    return torch.cat(out)\n\n\ndef chunks(x, batch_size):\n    return x.split(batch_size)\n"
    )
    result = assess(tmp_path, "performance", "batched", {"pkg/embed.py": code})
    assert result.share == 1 and "pkg/embed.py:6" in result.evidence


def test_a_loop_filling_a_batch_before_predicting_is_batching_but_a_size_check_is_not(tmp_path: Path) -> None:
    """Research code often collects inputs until a batch is full (`if len(tokens) == batch_size: yield ...`), then
    predicts the whole batch at once. Look-alike: a bound on the input's size checked once, outside a loop,
    validates the input; nothing is collected into batches."""
    filling = (
        "import numpy as np\n\n\ndef extract(model, texts, tokenizer, batch_size=4):\n"
        "    def _batches():\n        tokens = []\n        for text in texts:\n"
        "            tokens.append(tokenizer.encode(text))\n"
        "            if len(tokens) == batch_size:\n                yield np.array(tokens)\n                tokens = []\n"
        "        if tokens:\n            yield np.array(tokens)\n\n"
        "    return [model.predict(batch) for batch in _batches()]\n"
    )
    result = assess(tmp_path / "a", "performance", "batched", {"pkg/__init__.py": "", "pkg/extract.py": filling})
    assert result.share == 1 and "pkg/extract.py:9 (len(tokens) == batch_size)" in result.evidence
    check = (
        "import numpy as np\n\n\ndef extract(model, texts, batch_size=4):\n"
        "    if len(texts) >= batch_size:\n        raise ValueError('too many texts for one call')\n"
        "    return [model.predict(np.array([t])) for t in texts]\n"
    )
    assert assess(tmp_path / "b", "performance", "batched", {"pkg/__init__.py": "", "pkg/extract.py": check}).share == 0
    # rows collected into chunks for a database insert are no batch of model inputs
    store = (
        "INSERT_CHUNK_SIZE = 500\n\n\ndef save(session, points):\n    chunk = []\n    for point in points:\n"
        "        chunk.append(point)\n        if len(chunk) >= INSERT_CHUNK_SIZE:\n"
        "            session.bulk_save_objects(chunk)\n            chunk = []\n"
    )
    assert assess(tmp_path / "c", "performance", "batched", {"pkg/__init__.py": "", "pkg/store.py": store}).share == 0


def test_stepping_by_two_or_splitting_text_is_not_batching(tmp_path: Path) -> None:
    code = (
        "def pairs(rows):\n    return [rows[i : i + 2] for i in range(0, len(rows), 2)]\n\n\n"
        "def fields(line):\n    return line.split(',')\n"
    )
    assert assess(tmp_path, "performance", "batched", {"pkg/text.py": code}).share == 0


def test_graphs_merged_into_one_batched_graph_are_batching_but_a_graph_built_per_molecule_is_not(
    tmp_path: Path,
) -> None:
    dgl_code = (
        "import dgl\nimport torch\n\n\ndef collate(samples):\n    graphs, labels = map(list, zip(*samples))\n"
        "    return dgl.batch(graphs), torch.stack(labels)\n"
    )
    result = assess(tmp_path / "a", "performance", "batched", {"molzoo/collate.py": dgl_code})
    assert result.share == 1 and "molzoo/collate.py:7" in result.evidence
    pyg_code = (
        "from torch_geometric.data import Batch\n\n\ndef predict(model, data_list):\n"
        "    return model(Batch.from_data_list(data_list))\n"
    )
    assert assess(tmp_path / "b", "performance", "batched", {"molzoo/predict.py": pyg_code}).share == 1
    # Look-alike: one graph built per molecule and run on its own.
    single = (
        "import dgl\n\n\ndef energies(model, molecules):\n"
        "    return [model(dgl.graph((m.src, m.dst))) for m in molecules]\n"
    )
    assert assess(tmp_path / "c", "performance", "batched", {"molzoo/energy.py": single}).share == 0


def test_vectorised_evidence_says_one_loop_not_one_loops(tmp_path: Path) -> None:
    code = (
        "import numpy as np\n\n\ndef scale(values):\n    arr = np.asarray(values)\n    out = np.zeros(len(arr))\n"
        "    for i in range(len(arr)):\n        out[i] = arr[i] * 2.0\n    return np.clip(out, 0, 1) + np.mean(arr)\n"
    )
    result = assess(tmp_path, "performance", "vectorised", {"pkg/__init__.py": "", "pkg/scale.py": code})
    assert "1 slow Python loop (e.g. pkg/scale.py:" in result.evidence


def test_numeric_code_using_no_model_library_tracks_no_gradients(tmp_path: Path) -> None:
    files = {"metrics/__init__.py": "", "metrics/bleu.py": VECTORISED}
    result = assess(tmp_path / "a", "performance", "inference_mode", files)
    assert result.share == 1 and result.evidence.startswith("no model library")
    model = {"churn/__init__.py": "", "churn/score.py": "import torch\n\n\ndef score(model, x):\n    return model(x)\n"}
    assert assess(tmp_path / "b", "performance", "inference_mode", model).share == 0


SERVICE = """import torch
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()
model = torch.jit.load("model.pt")


class Review(BaseModel):
    text: str


@app.post("/predict")
def predict(review: Review) -> dict[str, float]:
    with torch.inference_mode():
        return {"positive": float(model(encode(review.text)))}
"""


def test_a_service_that_only_infers_single_requests_has_nothing_to_batch_offline(tmp_path: Path) -> None:
    result = assess(tmp_path / "a", "performance", "batched", {"api/app.py": SERVICE})
    assert result.share == 0.5 and "nothing is collected to batch" in result.evidence
    # Look-alike: the same service next to its own training script should batch that training.
    train = "import torch\n\n\ndef train(model, x, y, opt):\n    for xi, yi in zip(x, y):\n        model(xi).sub(yi).pow(2).sum().backward()\n        opt.step()\n"
    trains = {"api/app.py": SERVICE, "train.py": train}
    assert assess(tmp_path / "b", "performance", "batched", trains).share == 0


ENGINE_RUNNER = """import torch
from {module} import {runner}


class Transcriber:
    def __init__(self, engine_dir):
        self.engine = {runner}(engine_dir)

    def transcribe(self, mel):
        features = torch.nn.functional.pad(mel, (0, 3000 - mel.shape[-1]))
        return self.engine.generate(features.half())
"""


def test_an_inference_runtime_tracks_no_gradients_and_accelerates(tmp_path: Path) -> None:
    trt = ENGINE_RUNNER.format(module="tensorrt_llm.runtime", runner="ModelRunner")
    result = assess(tmp_path / "a", "performance", "inference_mode", {"asr/model.py": trt})
    assert result.share == 1 and "TensorRT-LLM" in result.evidence
    assert "TensorRT-LLM" in assess(tmp_path / "b", "performance", "accelerated", {"asr/model.py": trt}).evidence
    # Look-alike: the same wrapper around a torch module of the repo runs with autograd on.
    plain = ENGINE_RUNNER.format(module="asr.net", runner="WhisperNet")
    files = {"asr/model.py": plain, "asr/net.py": "import torch\n\n\nclass WhisperNet(torch.nn.Module):\n    pass\n"}
    assert assess(tmp_path / "c", "performance", "inference_mode", files).share == 0


def test_loader_settings_in_a_config_folder_show_batching_and_parallel_loading(tmp_path: Path) -> None:
    settings = "train_dataloader = dict(batch_size=32, num_workers=8, pin_memory=True, dataset=dict(type='City'))\n"
    files = {
        "configs/_base_/datasets/city.py": settings,
        "lab/model.py": "import torch\n\nnet = torch.nn.Linear(2, 2)\n",
    }
    assert assess(tmp_path / "a", "performance", "batched", files).evidence.startswith("batched at configs/_base_/")
    accelerated = assess(tmp_path / "b", "performance", "accelerated", files)
    assert (
        accelerated.share == 1 and "parallel data loading (configs/_base_/datasets/city.py:1)" in accelerated.evidence
    )


def test_a_library_module_named_after_a_benchmark_data_set_is_no_benchmark_script(tmp_path: Path) -> None:
    dataset = (
        "import numpy as np\n\n\nclass SceneBenchmark:\n    def __getitem__(self, i):\n        return np.load(i)\n"
    )
    files = {"churn/__init__.py": "", "churn/sim.py": VECTORISED, "churn/datasets/scene_benchmark.py": dataset}
    assert assess(tmp_path, "performance", "profiled", files).share == 0
    runnable = (
        "import time\n"
        + dataset
        + "\n\nif __name__ == '__main__':\n    t = time.perf_counter()\n    SceneBenchmark()[0]\n"
    )
    result = assess(tmp_path / "b", "performance", "profiled", {**files, "churn/datasets/scene_benchmark.py": runnable})
    assert result.evidence == "benchmark script churn/datasets/scene_benchmark.py"


def test_keras_and_jax_inference_tracks_no_gradients_but_torch_must_disable_them(tmp_path: Path) -> None:
    keras = "from tensorflow import keras\n\n\ndef predict(model_path, x):\n    return keras.models.load_model(model_path).predict(x)\n"
    result = assess(tmp_path / "tf", "performance", "inference_mode", {"digits/infer.py": keras})
    assert (result.share, result.evidence) == (
        1,
        "tensorflow computes gradients only when asked (GradientTape, jax.grad): inference tracks none",
    )
    # Look-alike: the same inference in torch, with gradients left on, earns nothing.
    torch_code = "import torch\n\n\ndef predict(model_path, x):\n    return torch.jit.load(model_path)(x)\n"
    assert assess(tmp_path / "pt", "performance", "inference_mode", {"digits/infer.py": torch_code}).share == 0


def test_batched_evidence_names_the_batch_setting_or_step(tmp_path: Path) -> None:
    settings = (
        "def main(batch_size=32, lr=2e-4):\n"
        "    trainer_args = dict(name='default', batch_size=batch_size, lr=lr)\n"
        "    return trainer_args\n"
    )
    result = assess(tmp_path / "a", "performance", "batched", {"gan/cli.py": "import torch\n\n\n" + settings})
    assert result.evidence == "batched at gan/cli.py:5 (dict(..., batch_size=...))"
    blocked = (
        "import numpy as np\n\n\n"
        "def pairwise(X, chunk_size=256):\n"
        "    out = np.zeros((len(X), len(X)))\n"
        "    for start in range(0, len(X), chunk_size):\n"
        "        out[start : start + chunk_size] = X[start : start + chunk_size] @ X.T\n"
        "    return out\n"
    )
    result = assess(tmp_path / "b", "performance", "batched", {"knn/pairwise.py": blocked})
    assert result.evidence == "batched at knn/pairwise.py:6 (range(..., step chunk_size))"


ARRAY_WRAPPER = """import numpy as np
import torch


class NumpyToTorch:
    def __init__(self, env, device=None):
        self.env = env
        self.device = device

    def step(self, action):
        obs, reward, done = self.env.step(action.cpu().numpy())
        return torch.as_tensor(obs, device=self.device), torch.tensor(reward), done
"""


def test_torch_used_for_tensors_only_runs_no_model_but_a_forward_pass_does(tmp_path: Path) -> None:
    files = {"gridworld/__init__.py": "", "gridworld/wrappers.py": ARRAY_WRAPPER}
    result = assess(tmp_path / "a", "performance", "inference_mode", files)
    assert result.share == 1 and result.evidence.startswith("torch is used for tensors only")
    # Look-alike: the same wrapper that also runs a policy network on the observation is torch inference.
    policy = ARRAY_WRAPPER + "\n\ndef act(policy_net, obs):\n    return policy_net(torch.as_tensor(obs)).argmax()\n"
    acting = {"gridworld/__init__.py": "", "gridworld/wrappers.py": policy}
    assert assess(tmp_path / "b", "performance", "inference_mode", acting).share == 0
    layered = ARRAY_WRAPPER + "\n\nhead = torch.nn.Linear(4, 2)\nhead.eval()\n"
    assert (
        assess(tmp_path / "c", "performance", "inference_mode", {**files, "gridworld/wrappers.py": layered}).share == 0
    )


LAYERS = """import torch


class GraphConv(torch.nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.lin = torch.nn.Linear(channels, channels)
        self.model = torch.nn.Sequential(self.lin, torch.nn.ReLU())

    def forward(self, x, edge_index):
        return self.model(self.lin(x)[edge_index[0]])
"""


def test_a_library_of_layers_that_never_runs_a_model_leaves_inference_to_its_users(tmp_path: Path) -> None:
    """Layers leave gradient tracking and batching to the code that runs them (it builds the batches they take)."""
    files = {"graphs/__init__.py": "", "graphs/conv.py": LAYERS}
    loads = (
        LAYERS
        + "\n\ndef pretrained(path):\n    conv = GraphConv(16)\n    conv.load_state_dict(torch.load(path))\n    return conv\n"
    )
    for key in ("inference_mode", "batched"):
        result = assess(tmp_path / key / "a", "performance", key, files)
        assert result.share == 1 and result.evidence.startswith("the code defines torch layers but never runs a model")
        # Look-alike: the same layers with a function that loads weights run a model.
        assert assess(tmp_path / key / "b", "performance", key, {**files, "graphs/conv.py": loads}).share == 0
    # Look-alikes: the same layers with a function that scores with a model, or a training script, run inference.
    scores = LAYERS + "\n\ndef score(model, x, edges):\n    return model(x, edges).sigmoid()\n"
    assert assess(tmp_path / "c", "performance", "inference_mode", {**files, "graphs/conv.py": scores}).share == 0
    trains = {**files, "graphs/train.py": FINETUNE}
    assert assess(tmp_path / "d", "performance", "inference_mode", trains).share == 0


ST_EMBEDDER = """import torch
from sentence_transformers import SentenceTransformer


class Embedder:
    def __init__(self, name: str) -> None:
        self.model = SentenceTransformer(name)

    async def embed(self, texts: list[str], loop) -> torch.Tensor:
        vectors = await loop.run_in_executor(None, self.model.encode_query, texts)
        return torch.nn.functional.normalize(torch.as_tensor(vectors), dim=-1)
"""


def test_an_encode_method_handed_to_an_executor_runs_without_gradients(tmp_path: Path) -> None:
    """sentence-transformers' `encode_query` runs under inference_mode, called here or by an executor."""
    result = assess(tmp_path / "st", "performance", "inference_mode", {"emb/st.py": ST_EMBEDDER})
    assert result.share == 1 and "encode_query() runs without gradients" in result.evidence
    # Look-alike: the model's forward pass handed to the executor tracks gradients.
    forward = ST_EMBEDDER.replace("self.model.encode_query", "self.model.forward")
    assert assess(tmp_path / "fwd", "performance", "inference_mode", {"emb/st.py": forward}).share == 0
    # Look-alike: a string turned into bytes beside the forward pass is no model encode.
    as_bytes = forward.replace("return torch.nn", "key = texts[0].encode('utf-8')\n        return torch.nn")
    assert "encode('utf-8')" in as_bytes
    assert assess(tmp_path / "bytes", "performance", "inference_mode", {"emb/st.py": as_bytes}).share == 0
    # ...while the model's own encode(texts) beside the same bytes still runs without gradients
    encoded = as_bytes.replace("self.model.forward", "self.model.encode")
    assert assess(tmp_path / "enc", "performance", "inference_mode", {"emb/st.py": encoded}).share == 1


def test_code_that_does_no_array_work_has_nothing_to_vectorise(tmp_path: Path) -> None:
    """numpy appears only in a type hint: no numeric work, so vectorising does not apply (it stands in)."""
    hinted = "import numpy as np\n\n\ndef as_list(values: np.ndarray) -> list[float]:\n    return list(values)\n"
    result = assess(tmp_path / "hint", "performance", "vectorised", {"emb/convert.py": hinted})
    assert result.share == 1 and result.stands_in
    # Look-alike: code that does array work is judged on it, and stands in for nothing.
    summed = hinted.replace("    return list(values)\n", "    return list(np.cumsum(values))\n")
    assert not assess(tmp_path / "sum", "performance", "vectorised", {"emb/convert.py": summed}).stands_in


def test_native_extensions_the_project_compiles_are_speed_ups(tmp_path: Path) -> None:
    model = "import numpy as np\n\n\ndef fit(X):\n    return np.linalg.norm(X)\n"
    files = {
        "recs/model.py": model,
        "recs/cpu/_als.pyx": "def als_update(double[:, :] Y):\n    pass\n",
        "recs/gpu/als.cu": "__global__ void cg_step(float *x) {}\n",
    }
    result = assess(tmp_path, "performance", "accelerated", files)
    assert result.share == 1 and "Cython extension (recs/cpu/_als.pyx)" in result.evidence
    helpers = {
        "recs/model.py": model,
        "tests/_fixtures.pyx": "def make():\n    pass\n",
        "docs/kernels/demo.cu": "__global__ void demo() {}\n",
        "recs/als.pyi": "def fit(X: object) -> float: ...\n",
    }
    assert assess(tmp_path / "b", "performance", "accelerated", helpers).share == 0


MATRIX_PROFILE = """import numpy as np
from numba import njit


@njit
def _distance_profile(Q, T, m):
    return np.sqrt(np.abs(np.convolve(T, Q[::-1], "valid")))


def profile(T, m):
    return np.array([_distance_profile(T[i : i + m], T, m).min() for i in range(0, len(T) - m + 1, m)])
"""


def test_array_kernel_code_running_no_model_has_no_inference_to_batch(tmp_path: Path) -> None:
    result = assess(tmp_path, "performance", "batched", {"mp/__init__.py": "", "mp/core.py": MATRIX_PROFILE})
    assert result.share == 1 and result.stands_in and "no inference to batch" in result.evidence
    # Look-alike: the same kernels behind a model's per-item predict, or beside scikit-learn, run a model
    detector = (
        MATRIX_PROFILE + "\n\nclass Detector:\n    def predict(self, window):\n        return profile(window, 8)\n"
    )
    assert assess(tmp_path / "b", "performance", "batched", {"mp/core.py": detector}).share == 0
    fitted = "from sklearn.ensemble import IsolationForest\n" + MATRIX_PROFILE
    assert assess(tmp_path / "c", "performance", "batched", {"mp/core.py": fitted}).share == 0


OVERLAP_METRIC = """import numpy as np


class OverlapScorer:
    def __init__(self, n=2):
        self.n = n

    def {method}(self, target, prediction):
        t = set(zip(*[target.split()[i:] for i in range(self.n)]))
        p = set(zip(*[prediction.split()[i:] for i in range(self.n)]))
        return float(np.mean([len(t & p) / max(len(t), 1), len(t & p) / max(len(p), 1)]))
"""


def test_a_metrics_score_method_runs_no_model_to_batch(tmp_path: Path) -> None:
    files = {"overlap/__init__.py": "", "overlap/scorer.py": OVERLAP_METRIC.format(method="score")}
    result = assess(tmp_path / "metric", "performance", "batched", files)
    assert result.share == 1 and "no inference to batch" in result.evidence
    # Look-alike: the same numpy code behind a per-item predict is a model's inference.
    model = {"overlap/__init__.py": "", "overlap/scorer.py": OVERLAP_METRIC.format(method="predict")}
    assert assess(tmp_path / "model", "performance", "batched", model).share == 0


KERAS_BACKEND_SHIM = """import os

if os.environ.get("KERAS_BACKEND") == "torch":
    import torch  # imported first when torch is the backend

    del torch

import keras
"""
KERAS_CLASSIFIER = """from vislib.backend import keras


class Classifier(keras.Model):
    def __init__(self, backbone, num_classes):
        super().__init__()
        self.backbone = backbone
        self.head = keras.layers.Dense(num_classes)

    def call(self, x):
        return self.head(self.backbone(x))


def predict(model, images):
    model.load_weights("weights.h5")
    return model.predict(images)
"""


def test_keras_models_of_a_library_importing_torch_as_a_backend_are_not_torch_models(tmp_path: Path) -> None:
    """A Keras 3 library imports torch in its backend module; its model code (keras bound through the package's
    backend module) runs Keras models, which track no gradients at inference."""
    files = {"vislib/__init__.py": "", "vislib/backend.py": KERAS_BACKEND_SHIM, "vislib/models.py": KERAS_CLASSIFIER}
    result = assess(tmp_path / "keras", "performance", "inference_mode", files)
    assert (result.share, result.evidence) == (
        1,
        "keras computes gradients only when asked (GradientTape, jax.grad): inference tracks none",
    )
    # Look-alike: the same model code built on torch (torch imported where the model runs) must disable gradients.
    torch_model = KERAS_CLASSIFIER.replace("from vislib.backend import keras", "import torch\nfrom torch import nn")
    torch_model = torch_model.replace("keras.Model", "nn.Module").replace("keras.layers.Dense", "nn.LazyLinear")
    torch_model = torch_model.replace('model.load_weights("weights.h5")', 'model.load_state_dict(torch.load("w.pt"))')
    torch_files = {**files, "vislib/models.py": torch_model}
    assert assess(tmp_path / "torch", "performance", "inference_mode", torch_files).share == 0


SKORCH_NET = """import torch
from skorch import NeuralNetClassifier


class FairNet(torch.nn.Module):
    def __init__(self, n_in):
        super().__init__()
        self.linear = torch.nn.Linear(n_in, 2)

    def forward(self, x):
        return torch.softmax(self.linear(x), dim=-1)


class FairClassifier(NeuralNetClassifier):
    def train_step_single(self, batch, **fit_params):
        loss = self.get_loss(self.infer(batch[0]), batch[1])
        loss.backward()
        return {"loss": loss}
"""


def test_a_skorch_net_predicts_with_gradients_off(tmp_path: Path) -> None:
    """skorch's predict and validation steps turn gradients off, so torch models wrapped by it need no no_grad of
    their own; the same model and training step without skorch still miss it."""
    files = {"fair/__init__.py": "", "fair/net.py": SKORCH_NET}
    result = assess(tmp_path / "a", "performance", "inference_mode", files)
    assert result.share == 1 and "skorch" in result.evidence
    plain = SKORCH_NET.replace("from skorch import NeuralNetClassifier\n", "").replace(
        "class FairClassifier(NeuralNetClassifier):", "class FairClassifier:"
    )
    assert assess(tmp_path / "b", "performance", "inference_mode", {**files, "fair/net.py": plain}).share == 0


def test_timeit_read_as_a_clock_is_a_timing_print_but_timing_a_statement_profiles(tmp_path: Path) -> None:
    """`timeit.default_timer()` around a call whose duration is printed is the clock `time.perf_counter()`
    is; `timeit.timeit(...)` / `timeit.repeat(...)` time a statement, a speed measurement."""
    clock = (
        VECTORISED + "\n\nimport timeit\n\n\ndef timed(x):\n    start = timeit.default_timer()\n    normalise(x)\n"
        "    print('took', timeit.default_timer() - start)\n"
    )
    assert assess(tmp_path / "a", "performance", "profiled", {"churn/sim.py": clock}).share == 0
    measured = clock + "\n\ndef speed(x):\n    return timeit.repeat(lambda: normalise(x), number=100)\n"
    result = assess(tmp_path / "b", "performance", "profiled", {"churn/sim.py": measured})
    assert result.share == 1 and result.evidence == "timeit in churn/sim.py"


CACHED_DATASET = """import torch


class Citations(torch.utils.data.Dataset):
    def __init__(self, path):
        self.features, self.offsets = torch.load(path)

    def __len__(self):
        return len(self.offsets) - 1

    def __getitem__(self, i):
        return self.features[self.offsets[i] : self.offsets[i + 1]]
"""


def test_a_load_unpacked_into_several_names_restores_data_not_a_model(tmp_path: Path) -> None:
    files = {"citations/__init__.py": "", "citations/data.py": CACHED_DATASET}
    result = assess(tmp_path / "a", "performance", "inference_mode", files)
    assert result.share == 1 and result.evidence.startswith("torch is used for tensors only")
    # Look-alike: the same module also loading one checkpoint object is a model to run.
    restore = CACHED_DATASET + "\n\ndef restore(path):\n    checkpoint = torch.load(path)\n    return checkpoint\n"
    loads = {**files, "citations/data.py": restore}
    assert assess(tmp_path / "b", "performance", "inference_mode", loads).share == 0


LANDMARKS = """import numpy as np
import torch


class Standardize:
    def __init__(self, path):
        landmarks = torch.load(path)
        self.landmarks = {key: np.asarray(value) for key, value in landmarks.items()}

    def __call__(self, image, key):
        return np.interp(image, self.landmarks[key], np.linspace(0, 100, len(self.landmarks[key])))
"""


def test_a_load_walked_as_a_mapping_restores_data_not_a_model(tmp_path: Path) -> None:
    files = {"norm/__init__.py": "", "norm/standardize.py": LANDMARKS}
    result = assess(tmp_path / "a", "performance", "inference_mode", files)
    assert result.share == 1 and result.evidence.startswith("torch is used for tensors only")
    # Look-alike: a checkpoint read by key and kept as a model's state is a model to run.
    kept = LANDMARKS.replace(
        "self.landmarks = {key: np.asarray(value) for key, value in landmarks.items()}",
        "self.net = torch.nn.Linear(4, 4)\n        self.state = landmarks['state_dict']",
    )
    loads = {**files, "norm/standardize.py": kept}
    assert assess(tmp_path / "b", "performance", "inference_mode", loads).share == 0


def test_a_loop_with_several_problems_is_one_slow_loop(tmp_path: Path) -> None:
    grows = (
        "import numpy as np\n\n\ndef tally(labels, true_sets, pred_sets):\n"
        "    tp, fp, fn = np.array([]), np.array([]), np.array([])\n"
        "    for name in labels:\n"
        "        tp = np.append(tp, len(true_sets[name] & pred_sets[name]))\n"
        "        fp = np.append(fp, len(pred_sets[name] - true_sets[name]))\n"
        "        fn = np.append(fn, len(true_sets[name] - pred_sets[name]))\n"
        "    return np.sum(tp), np.sum(fp), np.sum(fn)\n"
    )
    result = assess(tmp_path / "one", "performance", "vectorised", {"pkg/__init__.py": "", "pkg/tally.py": grows})
    assert "against 1 slow Python loop (e.g. pkg/tally.py:6)" in result.evidence
    # Look-alike: the same growth in three separate loops is three slow loops.
    split = grows.replace(
        "    for name in labels:\n        tp = np.append(tp, len(true_sets[name] & pred_sets[name]))\n"
        "        fp = np.append(fp, len(pred_sets[name] - true_sets[name]))\n",
        "    for name in labels:\n        tp = np.append(tp, len(true_sets[name] & pred_sets[name]))\n"
        "    for name in labels:\n        fp = np.append(fp, len(pred_sets[name] - true_sets[name]))\n"
        "    for name in labels:\n",
    )
    files = {"pkg/__init__.py": "", "pkg/tally.py": split}
    assert "against 3 slow Python loops" in assess(tmp_path / "three", "performance", "vectorised", files).evidence


def test_n_jobs_reads_as_parallel_jobs_whatever_runs_them(tmp_path: Path) -> None:
    code = (
        "from sigtest import PairedTest\n\n\ndef compare(systems, refs, jobs):\n"
        "    return PairedTest(systems, refs, n_samples=1000, n_jobs={jobs})()\n"
    )
    files = {"mt/__init__.py": "", "mt/compare.py": code.format(jobs="jobs")}
    result = assess(tmp_path / "pool", "performance", "accelerated", files)
    assert result.share > 0 and result.evidence == "parallel jobs (n_jobs) (mt/compare.py:5)"
    # Look-alike: one job runs nothing in parallel.
    single = {"mt/__init__.py": "", "mt/compare.py": code.format(jobs="1")}
    assert assess(tmp_path / "one", "performance", "accelerated", single).share == 0


PLOT_LABELS = """import numpy as np
import pandas as pd


def label_cells(ax, frame: pd.DataFrame):
    step = ax.transData.transform((1, 1)) - ax.transData.transform((0, 0))
    corner = ax.transAxes.inverted().transform(np.array([0.5, 0.5]))
    return frame.corr().to_numpy() * step, corner
"""


def test_a_matplotlib_coordinate_transform_runs_no_model_to_batch(tmp_path: Path) -> None:
    files = {"profiler/__init__.py": "", "profiler/labels.py": PLOT_LABELS}
    result = assess(tmp_path / "plot", "performance", "batched", files)
    assert result.share == 1 and "no inference to batch" in result.evidence
    # Look-alike: a fitted transformer's `transform` on data is a model's per-call inference
    fitted = PLOT_LABELS + "\n\ndef encode(encoder, frame):\n    return encoder.transform(frame)\n"
    assert assess(tmp_path / "model", "performance", "batched", {"profiler/labels.py": fitted}).share == 0
    named = PLOT_LABELS + "\n\ndef encode(self, frame):\n    return self.transformer.transform(frame)\n"
    assert assess(tmp_path / "named", "performance", "batched", {"profiler/labels.py": named}).share == 0


def test_statsmodels_models_track_no_gradients(tmp_path: Path) -> None:
    code = (
        "from statsmodels.tsa.stattools import adfuller\n\n\n"
        "def is_stationary(series):\n    return adfuller(series)[1] < 0.05\n"
    )
    result = assess(tmp_path / "sm", "performance", "inference_mode", {"profiler/ts.py": code})
    assert result.share == 1 and "without autograd" in result.evidence
    # Look-alike: the same check beside a torch network that never turns gradients off at inference
    net = "import torch\n\n\ndef score(model, x):\n    model.eval()\n    return model(torch.as_tensor(x))\n"
    tree = {"profiler/ts.py": code, "profiler/net.py": net}
    assert assess(tmp_path / "torch", "performance", "inference_mode", tree).share == 0


def test_an_inference_call_on_a_whole_input_is_batched_but_one_per_item_is_not(tmp_path: Path) -> None:
    """`model.predict_proba(X)` scores every row in one call; `model.predict(x)` on each row of a loop does not."""
    whole = (
        "class ConfidenceFlag:\n    def __init__(self, model, threshold=0.5):\n"
        "        self.model, self.threshold = model, threshold\n\n"
        "    def __call__(self, X, y):\n        return self.model.predict_proba(X).max(axis=1) <= self.threshold\n"
    )
    result = assess(tmp_path / "a", "performance", "batched", {"flags/reasons.py": whole})
    assert result.share == 1 and "model.predict_proba(X)" in result.evidence
    per_item = (
        "class ConfidenceFlag:\n    def __init__(self, model):\n        self.model = model\n\n"
        "    def __call__(self, rows):\n        return [self.model.predict(x) for x in rows]\n"
    )
    assert assess(tmp_path / "b", "performance", "batched", {"flags/reasons.py": per_item}).share == 0


PIL_WARP = """import random

import numpy as np
from PIL import Image


class Skew:
    def perform_operation(self, image):
        coefficients = np.array([1, random.uniform(-0.2, 0.2), 0, 0, 1, 0])
        return image.transform(image.size, Image.AFFINE, tuple(coefficients), resample=Image.BICUBIC)
"""


def test_a_pil_image_warp_runs_no_model_to_batch(tmp_path: Path) -> None:
    """PIL's `image.transform(size, Image.AFFINE, data)` warps an image by a method constant; no model runs."""
    result = assess(tmp_path / "warp", "performance", "batched", {"augs/__init__.py": "", "augs/ops.py": PIL_WARP})
    assert result.share == 1 and "no inference to batch" in result.evidence
    # Look-alike: a fitted transformer's `transform` of the pixels is a model's per-call inference
    fitted = PIL_WARP + "\n\ndef reduce(pca, image):\n    return pca.transform(np.asarray(image).reshape(1, -1))\n"
    assert assess(tmp_path / "model", "performance", "batched", {"augs/ops.py": fitted}).share == 0


SUMMARY_WRITER = """import numpy as np


def histogram(name, values, bins=64):
    counts, edges = np.histogram(np.asarray(values), bins=bins)
    return {"tag": name.encode(encoding="utf_8"), "counts": counts.tolist(), "edges": edges.tolist()}


def text(tag, body):
    return {"tag": tag.encode("utf-8"), "body": body.encode()}
"""


def test_a_string_encoded_to_bytes_runs_no_model_to_batch(tmp_path: Path) -> None:
    """`name.encode("utf-8")` turns a string into bytes (a summary writer serialising tags): no model's encode."""
    files = {"writer/__init__.py": "", "writer/summary.py": SUMMARY_WRITER}
    result = assess(tmp_path / "bytes", "performance", "batched", files)
    assert result.share == 1 and "no inference to batch" in result.evidence
    # Look-alike: an encoder's `encode` of one text at a time is a model's per-call inference
    model = SUMMARY_WRITER + "\n\ndef embed(encoder, body):\n    return np.asarray(encoder.encode(body))\n"
    assert assess(tmp_path / "model", "performance", "batched", {"writer/summary.py": model}).share == 0


TENSOR_AUGMENT = """import numpy as np
import torch


def to_tensor(image: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(image.transpose(2, 0, 1))).float()


def flip(image: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(image[:, ::-1])
"""


def test_array_code_using_torch_for_tensors_only_has_no_inference_to_batch(tmp_path: Path) -> None:
    """torch used for tensors only (no torch.nn layer, data loader, checkpoint load or `.eval()`) runs no model,
    as the inference_mode capability judges it: an augmentation library converting arrays has nothing to batch."""
    files = {"augs/__init__.py": "", "augs/convert.py": TENSOR_AUGMENT}
    result = assess(tmp_path / "tensors", "performance", "batched", files)
    assert result.share == 1 and "no inference to batch" in result.evidence
    # Look-alike: the same module running a checkpointed network on each image runs a model
    model = TENSOR_AUGMENT + (
        "\n\ndef denoise(path, image):\n    net = torch.load(path)\n    net.eval()\n"
        "    return net(to_tensor(image)[None])\n"
    )
    assert assess(tmp_path / "model", "performance", "batched", {"augs/convert.py": model}).share == 0


BLOB_NOISE = """import numpy as np
from sklearn.datasets import make_blobs


def ink_blots(image: np.ndarray, count: int = 20) -> np.ndarray:
    centers, _ = make_blobs(n_samples=count, centers=3, n_features=2)
    mask = np.zeros(image.shape[:2], dtype=bool)
    mask[centers[:, 0].astype(int) % image.shape[0], centers[:, 1].astype(int) % image.shape[1]] = True
    return np.where(mask[..., None], 0, image)
"""


def test_a_model_library_imported_only_for_its_toy_data_runs_no_model(tmp_path: Path) -> None:
    """`from sklearn.datasets import make_blobs` draws points: no estimator is built, so no inference to batch."""
    files = {"augs/__init__.py": "", "augs/blots.py": BLOB_NOISE}
    result = assess(tmp_path / "blobs", "performance", "batched", files)
    assert result.share == 1 and "no inference to batch" in result.evidence
    # Look-alike: the same module clustering the blobs with an estimator imports a model
    clustered = BLOB_NOISE.replace("from sklearn.datasets", "from sklearn.cluster import KMeans\nfrom sklearn.datasets")
    assert assess(tmp_path / "model", "performance", "batched", {"augs/blots.py": clustered}).share == 0


def test_a_timed_script_in_a_nested_benchmark_folder_is_a_benchmark_script(tmp_path: Path) -> None:
    """`shards/benchmark/cache_speed.py` times loading with and without a cache at its top level: a benchmark,
    though neither its name nor a top-level benchmarks/ folder says so. Look-alike: a library module of that
    folder that reads no clock (a result table's layout) measures nothing."""
    timed = (
        "import time\n\nfrom shards.reader import read_all\n\n"
        "start = time.perf_counter()\nread_all('cache/')\nprint(time.perf_counter() - start)\n"
    )
    table = "def layout(rows):\n    return [dict(r) for r in rows]\n"
    files = {"shards/__init__.py": "", "shards/sim.py": VECTORISED}
    files["shards/reader.py"] = "def read_all(path):\n    return [path]\n"
    quiet = {**files, "shards/benchmark/table.py": table}
    assert assess(tmp_path / "a", "performance", "profiled", quiet).share == 0
    result = assess(tmp_path / "b", "performance", "profiled", {**quiet, "shards/benchmark/cache_speed.py": timed})
    assert result.evidence == "benchmark script shards/benchmark/cache_speed.py"


RESUMABLE_LOADER = """from torch.utils.data import DataLoader
from transformers import AutoTokenizer


class ResumableLoader(DataLoader):
    def __init__(self, dataset, tokenizer_name, **kwargs):
        super().__init__(dataset, **kwargs)
        self.tokenizer = AutoTokenizer.from_pretrained(tokenizer_name)

    def load_state_dict(self, state):
        self.dataset.load_state_dict(state["dataset"])

    def reset(self):
        self.load_state_dict(self.state_dict())
"""


def test_a_loader_resuming_its_dataset_and_a_tokenizer_load_ready_no_model(tmp_path: Path) -> None:
    """`dataset.load_state_dict(...)` restores where iteration stopped and `AutoTokenizer.from_pretrained` reads a
    vocabulary: no weights are loaded, so no inference runs. Look-alike: a function loading an encoder's weights."""
    files = {"feed/__init__.py": "", "feed/loader.py": RESUMABLE_LOADER}
    result = assess(tmp_path / "a", "performance", "inference_mode", files)
    assert result.evidence.startswith("the code defines torch layers but never runs a model")
    weights = "\n\ndef restore(encoder, state):\n    encoder.load_state_dict(state)\n"
    model = {**files, "feed/loader.py": RESUMABLE_LOADER + weights}
    assert assess(tmp_path / "b", "performance", "inference_mode", model).share == 0


JAX_FROM_TORCH_CHECKPOINT = """import jax.numpy as jnp
import numpy as np


def load_converted(path):
    import torch

    checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    weights = checkpoint["state_dict"] if "state_dict" in checkpoint else checkpoint
    return {name: jnp.asarray(np.asarray(value)) for name, value in weights.items()}


def predict(model, params, x):
    return model.apply(params, x)
"""


JAX_FED_BY_TORCH_LOADER = """import jax
from torch.utils.data import DataLoader


def evaluate(model, params, dataset):
    loader = DataLoader(dataset, batch_size=128)
    predict = jax.jit(model.apply)
    return [predict(params, batch) for batch in loader]


def train(model, params, optimizer, loader):
    for batch in loader:
        params = optimizer.step(params, jax.grad(model.loss)(params, batch))
        model.fit(batch)
    return params
"""


def test_torch_reading_checkpoints_or_batches_for_a_jax_model_runs_no_torch_model(tmp_path: Path) -> None:
    """A JAX module that reads a torch checkpoint into arrays, or takes its batches from a torch DataLoader, runs its
    model in JAX, which tracks no gradients at inference."""
    files = {"potentials/__init__.py": "", "potentials/convert.py": JAX_FROM_TORCH_CHECKPOINT}
    result = assess(tmp_path / "ckpt", "performance", "inference_mode", files)
    assert result.share == 1 and "jax computes gradients only when asked" in result.evidence
    fed = {"potentials/__init__.py": "", "potentials/evaluate.py": JAX_FED_BY_TORCH_LOADER}
    assert assess(tmp_path / "loader", "performance", "inference_mode", fed).share == 1
    # Look-alike: the same module also builds and loads a torch model of its own, which must disable gradients.
    torch_too = JAX_FROM_TORCH_CHECKPOINT + (
        "\n\ndef torch_reference(path, x):\n    import torch\n\n"
        "    net = torch.nn.Linear(8, 1)\n    net.load_state_dict(torch.load(path, weights_only=True))\n"
        "    return net(x)\n"
    )
    mixed = {"potentials/__init__.py": "", "potentials/convert.py": torch_too}
    assert assess(tmp_path / "mixed", "performance", "inference_mode", mixed).share == 0


JAX_DATA_PARALLEL = """from functools import partial

import jax
import jax.numpy as jnp


@partial(jax.jit, static_argnums=2)
def loss(params, batch, depth):
    return jnp.mean((batch @ params) ** depth)


def replicated_step(params, batch):
    return jax.pmap(jax.grad(loss), static_broadcasted_argnums=2)(params, batch, 2)
"""


def test_jax_jit_through_partial_and_a_step_replicated_over_devices_are_two_speed_ups(tmp_path: Path) -> None:
    """`@partial(jax.jit, ...)` compiles the function; `jax.pmap` runs the step on every device: two techniques."""
    files = {"trainer/__init__.py": "", "trainer/step.py": JAX_DATA_PARALLEL}
    result = assess(tmp_path / "a", "performance", "accelerated", files)
    assert result.share == 1
    assert result.evidence == "jax.jit (trainer/step.py:7); multi-device parallelism (trainer/step.py:13)"
    # Look-alike: partial over a plain function, vmap and scan vectorise or loop on one device: no speed-up named.
    plain = (
        "from functools import partial\n\nimport jax\nimport jax.numpy as jnp\n\n"
        "column_sums = partial(jnp.sum, axis=0)\n\n\n"
        "def rollout(step, state, xs):\n    return jax.lax.scan(step, state, jax.vmap(column_sums)(xs))\n"
    )
    files = {"trainer/__init__.py": "", "trainer/step.py": plain}
    assert assess(tmp_path / "b", "performance", "accelerated", files).share == 0


def test_a_function_mapped_over_a_batch_axis_by_vmap_is_batched(tmp_path: Path) -> None:
    """JAX models take one example; `jax.vmap(model)(images)` (or `@jax.vmap`) runs them over a whole batch."""
    mapped = (
        "import jax\nimport jax.numpy as jnp\n\n\n"
        "def classify(model, images):\n    return jnp.argmax(jax.vmap(model)(images), axis=-1)\n"
    )
    result = assess(tmp_path / "a", "performance", "batched", {"digits/__init__.py": "", "digits/infer.py": mapped})
    assert result.evidence == "batched at digits/infer.py:6 (jax.vmap(...))"
    decorated = "import jax\nimport jax.numpy as jnp\n\n\n@jax.vmap\ndef squared_error(x, y):\n    return jnp.sum((x - y) ** 2)\n"
    result = assess(tmp_path / "b", "performance", "batched", {"digits/__init__.py": "", "digits/loss.py": decorated})
    assert result.evidence == "batched at digits/loss.py:5 (@jax.vmap on squared_error)"
    # Look-alike: the same model called on one image at a time in a Python loop batches nothing.
    looped = (
        "import jax.numpy as jnp\n\n\n"
        "def classify(model, images):\n    return [jnp.argmax(model(image)) for image in images]\n"
    )
    files = {"digits/__init__.py": "", "digits/infer.py": looped}
    assert assess(tmp_path / "c", "performance", "batched", files).share == 0


TF_DATA_PIPELINE = """import tensorflow as tf


def make_dataset(files, batch_size):
    ds = tf.data.TFRecordDataset(files{reads})
    ds = ds.map(parse_example{calls})
    return ds.batch(batch_size)


def parse_example(record):
    return tf.io.parse_single_example(record, {{"x": tf.io.FixedLenFeature([4], tf.float32)}})
"""


def test_tf_data_parallel_calls_and_reads_are_parallel_data_loading(tmp_path: Path) -> None:
    """`ds.map(parse, num_parallel_calls=tf.data.AUTOTUNE)` and `TFRecordDataset(files, num_parallel_reads=8)` read
    and transform elements on several threads, as a DataLoader's workers do; look-alike: the same pipeline with one
    call at a time (`num_parallel_calls=1`, `num_parallel_reads=None`) loads sequentially."""
    for where, (reads, calls) in enumerate(
        [("", ", num_parallel_calls=tf.data.AUTOTUNE"), (", num_parallel_reads=8", "")]
    ):
        code = TF_DATA_PIPELINE.format(reads=reads, calls=calls)
        result = assess(tmp_path / str(where), "performance", "accelerated", {"trainer/data.py": code})
        line = 6 if calls else 5
        assert result.evidence == f"parallel data loading (trainer/data.py:{line})"
    sequential = TF_DATA_PIPELINE.format(reads=", num_parallel_reads=None", calls=", num_parallel_calls=1")
    assert assess(tmp_path / "seq", "performance", "accelerated", {"trainer/data.py": sequential}).share == 0


KERAS_LAYERS = """from tensorflow import keras


class ScaledAttention(keras.layers.Layer):
    def call(self, inputs, mask=None):
        q, k, v = inputs
        weights = keras.backend.softmax(keras.backend.batch_dot(q, k, axes=2))
        return keras.backend.batch_dot(weights, v)

    def get_config(self):
        return super().get_config()
"""


def test_a_library_of_keras_layers_that_never_runs_a_model_has_no_batching_to_do(tmp_path: Path) -> None:
    """Keras layers take the batches the code running them builds; look-alikes: the same layers beside a function
    loading pretrained weights, or one predicting with a model, run a model whose inputs are theirs to batch."""
    files = {"attn/__init__.py": "", "attn/layers.py": KERAS_LAYERS}
    result = assess(tmp_path / "a", "performance", "batched", files)
    assert result.share == 1 and result.evidence.startswith("the code defines Keras layers but never runs a model")
    loads = KERAS_LAYERS + "\n\ndef pretrained(model, path):\n    model.load_weights(path)\n    return model\n"
    predicts = KERAS_LAYERS + "\n\ndef tag(model, sentence):\n    return model.predict(sentence)\n"
    for name, code in (("b", loads), ("c", predicts)):
        assert assess(tmp_path / name, "performance", "batched", {**files, "attn/layers.py": code}).share == 0


def test_a_jit_compiler_counts_where_it_compiles_not_where_it_is_imported_or_asked(tmp_path: Path) -> None:
    jitted = (
        "import numba\nimport numpy as np\n\n\n@numba.njit(cache=True)\ndef pairwise(x):\n"
        "    return np.sqrt(((x[:, None] - x[None]) ** 2).sum(-1))\n"
    )
    result = assess(tmp_path / "a", "performance", "accelerated", {"geo/__init__.py": "", "geo/dist.py": jitted})
    assert result.share == 0.5 and result.evidence == "numba JIT (geo/dist.py:5)"
    scripted = "import torch\n\n\ndef export(model, x):\n    return torch.jit.trace(model.eval(), x)\n"
    result = assess(tmp_path / "b", "performance", "accelerated", {"geo/__init__.py": "", "geo/export.py": scripted})
    assert result.evidence == "TorchScript (geo/export.py:5)"
    # Look-alike: numba imported for its typed containers, TorchScript asked whether it is scripting: nothing compiles.
    typed = (
        "import numba\nimport torch\n\n\ndef neighbours(pairs):\n    table = numba.typed.Dict()\n"
        "    for a, b in pairs:\n        table[a] = b\n    return table\n\n\n"
        "def gelu(x):\n    if torch.jit.is_scripting():\n        return x * torch.sigmoid(1.702 * x)\n"
        "    return torch.nn.functional.gelu(x)\n"
    )
    files = {"geo/__init__.py": "", "geo/graph.py": typed}
    assert assess(tmp_path / "c", "performance", "accelerated", files).share == 0


def test_parallel_loading_is_a_worker_count_given_to_a_data_loader(tmp_path: Path) -> None:
    built = (
        "from seg.data import build_dataloader\n\n\ndef loaders(train, val):\n"
        "    return build_dataloader(train, num_workers=8), build_dataloader(val, num_workers=0)\n"
    )
    result = assess(tmp_path / "a", "performance", "accelerated", {"seg/__init__.py": "", "seg/run.py": built})
    assert result.share == 0.5 and result.evidence == "parallel data loading (seg/run.py:5)"
    # Look-alike: a worker count handed to a reader's settings or a cluster's scaling: no loader runs in parallel.
    other = (
        "from ray.train import ScalingConfig\n\n\nclass Images:\n    def prepare(self, num_workers=None):\n"
        "        self.reader.set_loader_cfg(num_workers=num_workers)\n"
        "        return ScalingConfig(num_workers=4, use_gpu=True)\n"
    )
    result = assess(tmp_path / "b", "performance", "accelerated", {"seg/__init__.py": "", "seg/images.py": other})
    assert result.share == 0


SHORT_KERNELS = """import numpy as np


def centre(x):
    return x - np.mean(x, axis=0)


def unit(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def cosine(a, b):
    return unit(a) @ unit(b).T


def top_k(scores, k):
    return np.argsort(-scores, axis=1)[:, :k]


def clip(x):
    return np.clip(x, -1.0, 1.0)


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def pairwise(a, b):
    return np.sqrt(((a[:, None] - b[None]) ** 2).sum(-1))


def scale(x, factor):
    return np.multiply(x, factor)
"""


SLOW_LOOP = """

def standardise(x):
    out = np.zeros(len(x))
    for i in range(len(x)):
        out[i] = (x[i] - np.mean(x)) / np.std(x)
    return out
"""


def test_vectorisation_is_weighed_by_functions_doing_array_work_not_by_their_calls(tmp_path: Path) -> None:
    """Seven short vectorised functions, one array call each, beside one slow loop: mostly vectorised (weighed
    by array calls, the one loop outweighed them all)."""
    files = {"emb/__init__.py": "", "emb/ops.py": SHORT_KERNELS + SLOW_LOOP}
    result = assess(tmp_path / "a", "performance", "vectorised", files)
    assert 0 < result.share < 1
    assert result.evidence.startswith("8 functions making 10 array/tensor/DataFrame calls against 1 slow Python loop")
    # Look-alike: the same loop where it is most of the numeric work earns nothing.
    lone = "import numpy as np\n\n\ndef centre(x):\n    return x - np.mean(x, axis=0)\n" + SLOW_LOOP
    assert assess(tmp_path / "b", "performance", "vectorised", {"emb/__init__.py": "", "emb/ops.py": lone}).share == 0


SCRUB_REPORT = """import hashlib

import numpy as np
import pandas as pd
import sklearn.metrics


def hashed(text, salt):
    return hashlib.sha256(salt.encode("utf8") + text.encode()).hexdigest()


def report(true_labels, predicted_labels):
    table = pd.DataFrame({"true": np.asarray(true_labels), "pred": np.asarray(predicted_labels)})
    return sklearn.metrics.classification_report(table["true"], table["pred"])
"""


def test_a_metrics_module_and_text_encoding_run_no_model_to_batch(tmp_path: Path) -> None:
    """`sklearn.metrics` scores predictions made elsewhere and `str.encode("utf8")` makes bytes: a text scrubber
    with an evaluation report runs no model. Look-alikes: a tokenizer's `encode(text)` and an estimator do."""
    files = {"scrub/__init__.py": "", "scrub/report.py": SCRUB_REPORT}
    result = assess(tmp_path / "report", "performance", "batched", files)
    assert result.share == 1 and "no inference to batch" in result.evidence
    tokenized = SCRUB_REPORT + "\n\ndef ids(tokenizer, text):\n    return tokenizer.encode(text)\n"
    assert assess(tmp_path / "tok", "performance", "batched", {"scrub/report.py": tokenized}).share == 0
    phrase = SCRUB_REPORT + "\n\ndef probe(tokenizer):\n    return tokenizer.encode('hello world')\n"
    assert assess(tmp_path / "phrase", "performance", "batched", {"scrub/report.py": phrase}).share == 0
    fitted = SCRUB_REPORT.replace("import sklearn.metrics", "import sklearn.metrics\nfrom sklearn.svm import SVC")
    assert assess(tmp_path / "svc", "performance", "batched", {"scrub/report.py": fitted}).share == 0


MANIFEST = """import numpy as np
import pandas as pd
from PIL import Image


def image_sizes(manifest: pd.DataFrame):
    sizes = []
    for _, row in manifest.iterrows():
        sizes.append(Image.open(row["path"]).size)
    return sizes


def ratios(df: pd.DataFrame):
    return np.log1p(df["monthly"]) / np.sqrt(df["total"] + 1)


def scaled(x):
    return (x - np.mean(x, axis=0)) / np.std(x, axis=0)


def clipped(x):
    return np.clip(x, np.percentile(x, 1), np.percentile(x, 99))
"""


def test_a_loop_its_rule_rates_a_note_does_not_cost_vectorisation(tmp_path: Path) -> None:
    result = assess(tmp_path, "performance", "vectorised", {"churn/__init__.py": "", "churn/io.py": MANIFEST})
    assert result.share == 1 and "0 slow Python loops" in result.evidence
    assert {f.severity for f in findings(tmp_path, "PRF002")} == {Severity.INFO}


def test_a_row_loop_computing_per_row_costs_vectorisation(tmp_path: Path) -> None:
    computing = MANIFEST.replace('Image.open(row["path"]).size', 'row["monthly"] / (row["total"] + 1)')
    result = assess(tmp_path, "performance", "vectorised", {"churn/__init__.py": "", "churn/io.py": computing})
    assert result.share < 1 and "1 slow Python loop (e.g. churn/io.py:8)" in result.evidence
