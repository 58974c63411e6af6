"""Tests of rule API001 (`mlaudit/rules/interfaces/api001_missing_shared_interface.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, run_audit_rules_only, write_tree
from tests.rules.interfaces._helpers import PROTOCOL, RETRIEVERS, SMALL_REPO, _padded


def test_api001_two_implementations_without_interface(tmp_path: Path) -> None:
    write_tree(tmp_path, {"rag/__init__.py": "", "rag/retrieval.py": RETRIEVERS})
    [hit] = findings(tmp_path, "API001")
    assert hit.message.startswith("2 Retriever implementations with no shared Protocol/ABC")
    assert "BM25Retriever (rag/retrieval.py)" in hit.message and "DenseRetriever" in hit.message
    assert "Retriever(Protocol)" in hit.fix


def test_api001_silent_with_protocol_or_common_base(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a/__init__.py": "", "a/retrieval.py": PROTOCOL + RETRIEVERS})
    assert findings(tmp_path, "API001") == []
    based = "from abc import ABC\n\n\nclass Base(ABC):\n    pass\n\n\n" + RETRIEVERS.replace(
        "Retriever:", "Retriever(Base):"
    )
    write_tree(tmp_path / "b", {"pkg/__init__.py": "", "pkg/r.py": based})
    assert findings(tmp_path / "b", "API001") == []


def test_api001_ignores_nn_modules(tmp_path: Path) -> None:
    code = "from torch import nn\n\n\nclass TextModel(nn.Module):\n    def forward(self, x):\n        return x\n\n\n"
    code += "class ImageModel(nn.Module):\n    def forward(self, x):\n        return x\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/models.py": code})
    assert findings(tmp_path, "API001") == []


def test_api001_base_raising_not_implemented_is_an_interface_and_copies_count_once(tmp_path: Path) -> None:
    rankers = (
        "class SequenceRanker:\n"
        "    def rank(self, tokens, scores):\n"
        '        """Return the index of the best sequence."""\n'
        "        raise NotImplementedError\n\n\n"
        "class LengthRanker(SequenceRanker):\n"
        "    def rank(self, tokens, scores):\n        return 0\n\n\n"
        "class GreedyRanker(SequenceRanker):\n"
        "    def rank(self, tokens, scores):\n        return 1\n"
    )
    predictor = "class TextPredictor:\n    def predict(self, text):\n        return 1\n\n    def score(self, t):\n        return 0\n"
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/rank.py": _padded(rankers),
            "week_1/infer.py": predictor,
            "week_2/infer.py": predictor,
            "week_3/infer.py": predictor,
        },
    )
    assert findings(tmp_path, "API001") == []


def test_api001_silent_on_sklearn_style_estimators_but_fires_on_predictors_without_fit(tmp_path: Path) -> None:
    estimators = (
        "import numpy as np\n\n\n"
        "class MeanRegressor:\n"
        "    def fit(self, X, y):\n"
        "        self.mean_ = float(np.mean(y))\n"
        "        return self\n\n"
        "    def predict(self, X):\n"
        "        return np.full(len(X), self.mean_)\n\n"
        "    def score(self, X, y):\n"
        "        return -float(np.mean((self.predict(X) - y) ** 2))\n\n\n"
        "class KnnRegressor:\n"
        "    def fit(self, X, y, sample_weight=None):\n"
        "        self.X_, self.y_ = X, y\n"
        "        return self\n\n"
        "    def predict(self, X, k=5):\n"
        "        return np.zeros(len(X))\n"
    )
    write_tree(tmp_path / "a", {"pkg/__init__.py": "", "pkg/baselines.py": estimators})
    assert findings(tmp_path / "a", "API001") == []
    served = (
        "class TorchPredictor:\n"
        "    def predict(self, text):\n"
        "        return [0.1, 0.9]\n\n\n"
        "class OnnxPredictor:\n"
        "    def predict(self, text):\n"
        "        return [0.2, 0.8]\n"
    )
    write_tree(tmp_path / "b", {"app/__init__.py": "", "app/inference.py": served})
    [hit] = findings(tmp_path / "b", "API001")
    assert "TorchPredictor" in hit.message and "OnnxPredictor" in hit.message


def test_api001_ignores_models_reaching_a_framework_base_through_their_own_pretrained_base(tmp_path: Path) -> None:
    def family(prefix: str) -> str:
        return (
            "from transformers import PreTrainedModel\n\n\n"
            f"class {prefix}PreTrainedModel(PreTrainedModel):\n"
            "    def init_weights_of(self, module):\n        return module\n\n\n"
            f"class {prefix}Model({prefix}PreTrainedModel):\n"
            "    def forward(self, input_ids):\n        return input_ids\n"
        )

    plain = (
        "class RuleBase:\n    def describe(self):\n        return 'rules'\n\n\n"
        "class KeywordModel(RuleBase):\n    def forward(self, text):\n        return text.split()\n\n\n"
        "class RegexModel:\n    def forward(self, text):\n        return [text]\n"
    )
    files = {"zoo/__init__.py": "", "zoo/mamba.py": family("Mamba"), "zoo/kimi.py": family("Kimi")}
    write_tree(tmp_path, {**files, "zoo/rules.py": plain})
    [hit] = findings(tmp_path, "API001")
    assert "KeywordModel (zoo/rules.py)" in hit.message and "RegexModel" in hit.message
    assert "MambaModel" not in hit.message


CODECS = """class InputCodec:
    def encode(self, name, payload):
        return {"name": name, "data": list(payload)}

    def decode(self, item):
        return item["data"]


class RequestCodec:
    def encode(self, name, payload):
        return {"inputs": [InputCodec().encode(name, payload)]}

    def decode(self, request):
        return [InputCodec().decode(i) for i in request["inputs"]]


class StringCodec(InputCodec):
    pass


class Base64Codec(InputCodec):
    pass


class PandasCodec(RequestCodec):
    pass


class NumpyRequestCodec(RequestCodec):
    pass
"""


def test_api001_bases_of_their_own_families_are_contracts_not_loose_implementations(tmp_path: Path) -> None:
    """Two base classes, each with several codecs deriving from it, are each a family's contract; a retriever
    deriving from another keeps its interface, and the two unrelated retrievers are still loose implementations."""
    write_tree(tmp_path, {"serve/__init__.py": "", "serve/codecs.py": CODECS})
    assert findings(tmp_path, "API001") == []
    wrapped = RETRIEVERS + (
        "\n\nclass ParallelRetriever(DenseRetriever):\n    def retrieve(self, query, k):\n"
        "        return super().retrieve(query, k)\n"
    )
    write_tree(tmp_path / "w", {"rag/__init__.py": "", "rag/retrieval.py": wrapped})
    # a member deriving from another keeps that member's interface: BM25Retriever and DenseRetriever are compared
    [wrap] = findings(tmp_path / "w", "API001")
    assert wrap.message.startswith("2 Retriever implementations") and "ParallelRetriever" not in wrap.message
    hybrid = RETRIEVERS + (
        "\n\nclass HybridRetriever(BM25Retriever):\n    def retrieve(self, query, k):\n"
        "        return super().retrieve(query, k)\n"
    )
    write_tree(tmp_path / "b", {"rag/__init__.py": "", "rag/retrieval.py": hybrid})
    [hit] = findings(tmp_path / "b", "API001")
    assert "BM25Retriever" in hit.message and "DenseRetriever" in hit.message


def test_api001_layers_handing_a_verb_down_to_another_object_are_not_alternatives(tmp_path: Path) -> None:
    """A tracker whose `predict`/`update` call each track's, and a track whose call its Kalman filter's, are layers
    of one pipeline, not interchangeable implementations of `predict`/`update`. Look-alike: two filters that each
    predict and update on their own state are alternatives and fire."""
    tracking = (
        "import numpy as np\n\n\n"
        "class KalmanFilter:\n"
        "    def predict(self, mean, covariance):\n"
        "        return mean + 1, covariance\n\n"
        "    def update(self, mean, covariance, measurement):\n"
        "        return (mean + measurement) / 2, covariance\n\n\n"
        "class Track:\n"
        "    def __init__(self, mean, covariance):\n"
        "        self.mean, self.covariance = mean, covariance\n\n"
        "    def predict(self, kf):\n"
        "        self.mean, self.covariance = kf.predict(self.mean, self.covariance)\n\n"
        "    def update(self, kf, detection):\n"
        "        self.mean, self.covariance = kf.update(self.mean, self.covariance, detection)\n\n\n"
        "class Tracker:\n"
        "    def __init__(self):\n"
        "        self.kf = KalmanFilter()\n"
        "        self.tracks = []\n\n"
        "    def predict(self):\n"
        "        for track in self.tracks:\n"
        "            track.predict(self.kf)\n\n"
        "    def update(self, detections):\n"
        "        for track, detection in zip(self.tracks, detections):\n"
        "            track.update(self.kf, detection)\n"
    )
    write_tree(tmp_path / "a", {"track/__init__.py": "", "track/sort.py": _padded(tracking)})
    assert findings(tmp_path / "a", "API001") == []
    base = (
        "class BaseTrack:\n"
        "    count = 0\n\n"
        "    def predict(self):\n"
        "        raise NotImplementedError\n\n"
        "    def update(self, *args):\n"
        "        raise NotImplementedError\n\n"
        "    def mark_lost(self):\n"
        "        self.lost = True\n\n\n"
    )
    based = tracking.replace("class Track:", base + "class Track(BaseTrack):")
    write_tree(tmp_path / "c", {"track/__init__.py": "", "track/sort.py": _padded(based)})
    assert findings(tmp_path / "c", "API001") == []
    filters = tracking.split("class Track:", maxsplit=1)[0] + (
        "class AlphaBetaFilter:\n"
        "    def predict(self, mean, covariance):\n"
        "        return mean, covariance * 2\n\n"
        "    def update(self, mean, covariance, measurement):\n"
        "        return mean + 0.5 * (measurement - mean), covariance\n"
    )
    write_tree(tmp_path / "b", {"track/__init__.py": "", "track/filters.py": _padded(filters)})
    [hit] = findings(tmp_path / "b", "API001")
    assert "KalmanFilter" in hit.message and "AlphaBetaFilter" in hit.message
    adapters = (
        "import hashlib\n\nimport cohere\n\n\n"
        "class CohereVectors:\n"
        "    def __init__(self, key):\n"
        "        self.client = cohere.Client(key)\n\n"
        "    def embed(self, texts):\n"
        "        return self.client.embed(texts=texts).embeddings\n\n"
        "    def size(self):\n"
        "        return 1024\n\n\n"
        "class HashVectors:\n"
        "    def embed(self, texts):\n"
        "        return [list(hashlib.sha256(t.encode()).digest()) for t in texts]\n\n"
        "    def size(self):\n"
        "        return 32\n"
    )
    write_tree(tmp_path / "d", {"vec/__init__.py": "", "vec/vectors.py": _padded(adapters)})
    [hit] = findings(tmp_path / "d", "API001")  # an adapter of another library's client is an implementation
    assert "CohereVectors" in hit.message and "HashVectors" in hit.message


PIPELINE_TOKENIZERS = (
    "import unicodedata\n\n\n"
    "class BasicTokenizer:\n"
    "    def __init__(self, lower=True):\n"
    "        self.lower = lower\n\n"
    "    def tokenize(self, text):\n"
    "        text = unicodedata.normalize('NFD', text)\n"
    "        return (text.lower() if self.lower else text).split()\n\n\n"
    "class WordpieceTokenizer:\n"
    "    def __init__(self, vocab):\n"
    "        self.vocab = vocab\n\n"
    "    def tokenize(self, token):\n"
    "        return [token] if token in self.vocab else ['[UNK]']\n\n\n"
    "class FullTokenizer:\n"
    "    def __init__(self, vocab):\n"
    "        self.basic_tokenizer = BasicTokenizer(lower=True)\n"
    "        self.wordpiece_tokenizer = WordpieceTokenizer(vocab)\n\n"
    "    def tokenize(self, text):\n"
    "        pieces = []\n"
    "        for token in self.basic_tokenizer.tokenize(text):\n"
    "            pieces.extend(self.wordpiece_tokenizer.tokenize(token))\n"
    "        return pieces\n"
)


def test_api001_a_pipeline_and_the_stages_it_runs_in_turn_are_not_alternatives(tmp_path: Path) -> None:
    """BERT's FullTokenizer builds a BasicTokenizer and a WordpieceTokenizer and runs one, then the other: three
    steps of one pipeline, not three tokenizers a caller chooses between. Look-alike: a caching wrapper around
    one tokenizer replaces it, so beside an unrelated second tokenizer the two alternatives still fire."""
    write_tree(tmp_path / "a", {"bert/__init__.py": "", "bert/tokenization.py": _padded(PIPELINE_TOKENIZERS)})
    assert findings(tmp_path / "a", "API001") == []
    # the pipeline may follow another library's interface itself (so it is no member): its stages stay stages
    framework = "from transformers import PreTrainedTokenizer\n" + PIPELINE_TOKENIZERS.replace(
        "class FullTokenizer:", "class FullTokenizer(PreTrainedTokenizer):"
    )
    write_tree(tmp_path / "c", {"bert/__init__.py": "", "bert/tokenization.py": _padded(framework)})
    assert findings(tmp_path / "c", "API001") == []
    # Hugging Face's tokenizers run the stages in the private `_tokenize` their base's public `tokenize` calls
    private = framework.replace(
        "    def tokenize(self, text):\n        pieces = []", "    def _tokenize(self, text):\n        pieces = []"
    )
    write_tree(tmp_path / "d", {"bert/__init__.py": "", "bert/tokenization.py": _padded(private)})
    assert findings(tmp_path / "d", "API001") == []
    wrapper = PIPELINE_TOKENIZERS.split("class WordpieceTokenizer:", maxsplit=1)[0] + (
        "class CachedTokenizer:\n"
        "    def __init__(self):\n"
        "        self.inner = BasicTokenizer()\n"
        "        self.seen = {}\n\n"
        "    def tokenize(self, text):\n"
        "        if text not in self.seen:\n"
        "            self.seen[text] = self.inner.tokenize(text)\n"
        "        return self.seen[text]\n\n\n"
        "class CharTokenizer:\n"
        "    def tokenize(self, text):\n"
        "        return list(text)\n"
    )
    write_tree(tmp_path / "b", {"bert/__init__.py": "", "bert/tokenization.py": _padded(wrapper)})
    [hit] = findings(tmp_path / "b", "API001")
    assert "BasicTokenizer" in hit.message and "CharTokenizer" in hit.message


def test_api001_classes_grouped_by_their_verb_alone_must_share_a_second_method(tmp_path: Path) -> None:
    """With no role name in common, two classes that each `predict` (a penalised regression helper, a forecaster)
    are no component with two implementations; two that share `predict` and `restore` are."""
    unrelated = (
        "class PenalisedRegression:\n"
        "    def predict(self, X):\n        return X @ self.coef_\n\n"
        "    def penalty(self):\n        return 0.0\n\n\n"
        "class SeasonalForecast:\n"
        "    def predict(self, horizon):\n        return [0.0] * horizon\n\n"
        "    def plot_components(self):\n        return None\n"
    )
    write_tree(tmp_path / "a", {"fc/__init__.py": "", "fc/models.py": unrelated})
    assert findings(tmp_path / "a", "API001", **SMALL_REPO) == []
    alternatives = (
        "class GraphConvMAML:\n"
        "    def predict(self, X):\n        return X\n\n"
        "    def restore(self, path):\n        return path\n\n\n"
        "class TorchMAML:\n"
        "    def predict(self, X):\n        return X\n\n"
        "    def restore(self, path):\n        return path\n"
    )
    write_tree(tmp_path / "b", {"fc/__init__.py": "", "fc/meta.py": alternatives})
    [hit] = findings(tmp_path / "b", "API001", **SMALL_REPO)
    assert "GraphConvMAML" in hit.message and "TorchMAML" in hit.message


def test_api001_a_missing_interface_costs_the_same_in_a_large_codebase(tmp_path: Path) -> None:
    """A missing interface is a design gap, not a habit: it is not diluted per 1,000 code lines."""
    large = {f"rag/util_{i}.py": _padded("") for i in range(12)}  # about 3,800 code lines
    write_tree(tmp_path, {"rag/__init__.py": "", "rag/retrieval.py": RETRIEVERS, **large})
    interfaces = run_audit_rules_only(tmp_path, select=("API001",)).practice("interfaces")
    [deduction] = interfaces.deductions
    assert deduction.rule == "API001" and deduction.mode == "flat"
    assert "1 warning finding (flat, weight 8, cap 25)" in deduction.reason


def test_api001_stages_run_in_turn_from_a_method_of_another_name_are_a_pipeline(tmp_path: Path) -> None:
    """The pipeline runs its stages from `_map_text_to_token`, not from a method named like theirs: the second
    stage works on what the first returned, so they are still steps, not alternatives. Look-alike: an ensemble
    hands the same input to two scorers side by side; those are alternatives without a base."""
    renamed = (
        "from transformers import PreTrainedTokenizer\n"
        + PIPELINE_TOKENIZERS.replace("class FullTokenizer:", "class FullTokenizer(PreTrainedTokenizer):").replace(
            "    def tokenize(self, text):\n        pieces = []",
            "    def _map_text_to_token(self, text):\n        pieces = []",
        )
        + "\n    def save_vocab(self, path):\n        return path\n"
    )
    write_tree(tmp_path / "a", {"bert/__init__.py": "", "bert/tokenization.py": _padded(renamed)})
    assert findings(tmp_path / "a", "API001") == []
    nested = renamed.replace(
        "        for token in self.basic_tokenizer.tokenize(text):\n"
        "            pieces.extend(self.wordpiece_tokenizer.tokenize(token))\n",
        "        pieces.extend(self.wordpiece_tokenizer.tokenize(self.basic_tokenizer.tokenize(text)))\n",
    )
    write_tree(tmp_path / "b", {"bert/__init__.py": "", "bert/tokenization.py": _padded(nested)})
    assert findings(tmp_path / "b", "API001") == []
    ensemble = (
        "class TreeRanker:\n    def score(self, rows):\n        return [0.1 for _ in rows]\n\n\n"
        "class NetRanker:\n    def score(self, rows):\n        return [0.2 for _ in rows]\n\n\n"
        "class Blend:\n    def __init__(self):\n        self.tree = TreeRanker()\n        self.net = NetRanker()\n\n"
        "    def blend(self, rows):\n"
        "        return [a + b for a, b in zip(self.tree.score(rows), self.net.score(rows))]\n"
    )
    write_tree(tmp_path / "c", {"rank/__init__.py": "", "rank/blend.py": _padded(ensemble)})
    [hit] = findings(tmp_path / "c", "API001")
    assert "TreeRanker" in hit.message and "NetRanker" in hit.message


TRAINER = """\
class Trainer:
    def __init__(self, model):
        self.model = model

    @property
    def device(self):
        return "cpu"

    def save(self, milestone):
        return milestone

    def load(self, milestone):
        return milestone

    def train(self):
        return self.model
"""


def test_api001_same_named_trainers_that_grew_apart_are_alternatives(tmp_path: Path) -> None:
    grown = TRAINER.replace(
        "    def train(self):", "    def sample(self, n):\n        return n\n\n    def train(self):"
    )
    diverged = TRAINER.replace('    @property\n    def device(self):\n        return "cpu"\n\n', "").replace(
        "    def train(self):", "    def evaluate(self):\n        return 0\n\n    def train(self):"
    )
    files = {
        "diffusion/__init__.py": "",
        "diffusion/ddpm.py": _padded(grown),
        "diffusion/repaint.py": _padded(diverged),
    }
    write_tree(tmp_path, files)
    [hit] = findings(tmp_path, "API001")
    assert "Trainer (diffusion/ddpm.py)" in hit.message and "Trainer (diffusion/repaint.py)" in hit.message


def test_api001_a_class_copied_into_a_variant_module_before_a_method_was_added_counts_once(tmp_path: Path) -> None:
    older = TRAINER.replace('    @property\n    def device(self):\n        return "cpu"\n\n', "")
    files = {"diffusion/__init__.py": "", "diffusion/ddpm.py": _padded(TRAINER), "diffusion/guided.py": _padded(older)}
    write_tree(tmp_path, files)
    assert findings(tmp_path, "API001") == []
