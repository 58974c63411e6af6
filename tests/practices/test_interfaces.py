"""Tests for the interfaces practice rules."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity, Status
from tests.helpers import findings, run_audit, write_tree

RETRIEVERS = """class BM25Retriever:
    def retrieve(self, query, k):
        return []


class DenseRetriever:
    def retrieve(self, query, k):
        return []
"""
SMALL_REPO = {"thresholds": {"api_min_lines": 0}}
PROTOCOL = """from typing import Protocol


class Retriever(Protocol):
    def retrieve(self, query: str, k: int) -> list[str]: ...


"""


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


def test_api002_if_chain_on_strings_building_components(tmp_path: Path) -> None:
    code = (
        "def build(name):\n    if name == 'rf':\n        return RandomForest()\n    elif name == 'xgb':\n"
        "        return XGB()\n    elif name == 'mlp':\n        return MLP()\n    raise ValueError(name)\n"
    )
    write_tree(tmp_path, {"factory.py": code})
    [hit] = findings(tmp_path, "API002", **SMALL_REPO)
    assert hit.line == 2 and "name compared to 3 strings ('rf', 'xgb', 'mlp')" in hit.message


def test_api002_silent_on_non_component_branches_and_two_branches(tmp_path: Path) -> None:
    code = (
        "def level(mode):\n    if mode == 'debug':\n        return 10\n    elif mode == 'info':\n        return 20\n"
        "    elif mode == 'warn':\n        return 30\n    return 40\n\n\n"
        "def pick(name):\n    if name == 'a':\n        return A()\n    elif name == 'b':\n        return B()\n"
    )
    write_tree(tmp_path, {"modes.py": code})
    assert findings(tmp_path, "API002", **SMALL_REPO) == []


def test_api003_dict_with_many_string_keys(tmp_path: Path) -> None:
    code = (
        "def train(model, cfg):\n    opt = make(cfg['lr'], cfg['weight_decay'])\n"
        "    for _ in range(cfg['epochs']):\n        run(cfg['batch_size'], cfg.get('clip'))\n    return opt\n"
    )
    write_tree(tmp_path, {"train.py": code})
    [hit] = findings(tmp_path, "API003", **SMALL_REPO)
    assert hit.message.startswith("train() reads 5 string keys from untyped dict cfg")


def test_api003_silent_on_dataframes_and_typed_params(tmp_path: Path) -> None:
    code = (
        "def prep(df):\n    return df['a'] + df['b'] + df['c'] + df['d'] + df['e']\n\n\n"
        "def f(cfg: Settings):\n    return cfg['a'], cfg['b'], cfg['c'], cfg['d'], cfg['e']\n"
    )
    write_tree(tmp_path, {"features.py": code})
    assert findings(tmp_path, "API003", **SMALL_REPO) == []


def test_api004_global_rebound_and_lazy_singleton_is_info(tmp_path: Path) -> None:
    code = (
        "best = None\n_model = None\n\n\ndef update(m):\n    global best\n    best = m\n\n\n"
        "def get_model():\n    global _model\n    if _model is None:\n        _model = object()\n    return _model\n"
    )
    write_tree(tmp_path, {"state.py": code})
    hits = findings(tmp_path, "API004", **SMALL_REPO)
    assert [(h.message, h.severity) for h in hits] == [
        ("global best rebound in update()", Severity.WARNING),
        ("global _model rebound in get_model() (lazy initialisation)", Severity.INFO),
    ]


def test_api005_untyped_interface_method(tmp_path: Path) -> None:
    code = PROTOCOL + "class Ranker(Protocol):\n    def rank(self, items, k): ...\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/api.py": code})
    [hit] = findings(tmp_path, "API005")
    assert hit.message.startswith("Ranker.rank()") and hit.severity is Severity.INFO


def test_interfaces_not_applicable_for_tiny_repo(tmp_path: Path) -> None:
    write_tree(tmp_path, {"run.py": "def main():\n    return 1\n"})
    assert run_audit(tmp_path, select=("API",)).practice("interfaces").status is Status.NOT_APPLICABLE
    write_tree(tmp_path, {"rag.py": RETRIEVERS})
    assert run_audit(tmp_path, select=("API",)).practice("interfaces").status is Status.SCORED


def test_api003_function_returning_a_big_untyped_dict(tmp_path: Path) -> None:
    code = "def evaluate(model, data):\n    return {'auc': 1, 'f1': 2, 'precision': 3, 'recall': 4, 'loss': 5}\n"
    write_tree(tmp_path, {"evaluate.py": code})
    [hit] = findings(tmp_path, "API003", **SMALL_REPO)
    assert hit.line == 2 and hit.message.startswith("evaluate() returns an untyped dict with 5 string keys")


def test_api003_silent_on_typed_returns_and_serialisers(tmp_path: Path) -> None:
    code = (
        "class Metrics(TypedDict):\n    auc: float\n\n\n"
        "def evaluate(model, data) -> Metrics:\n"
        "    return {'auc': 1, 'f1': 2, 'precision': 3, 'recall': 4, 'loss': 5}\n\n\n"
        "class Cfg:\n    def to_dict(self):\n"
        "        return {'a': 1, 'b': 2, 'c': 3, 'd': 4, 'e': 5}\n\n\n"
        "def small():\n    return {'a': 1, 'b': 2}\n"
    )
    write_tree(tmp_path, {"evaluate.py": code})
    assert findings(tmp_path, "API003", **SMALL_REPO) == []


def _padded(code: str) -> str:
    return code + "".join(f"\n\ndef helper_{i}(x):\n    return x + {i}\n" for i in range(160))


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


def test_api003_dicts_fed_to_a_registry_or_framework_property_are_not_untyped(tmp_path: Path) -> None:
    zoo = (
        "from registry import generate_default_cfgs\n\n\n"
        "def _cfg(url='', **kwargs):\n"
        "    return {'url': url, 'num_classes': 1000, 'input_size': (3, 224, 224), 'crop_pct': 0.9,\n"
        "            'mean': (0.5,), 'std': (0.5,), **kwargs}\n\n\n"
        "def _tcfg(url='', **kwargs):\n    return _cfg(url=url, interpolation='bicubic', **kwargs)\n\n\n"
        "default_cfgs = {'net.a': _cfg(url='a'), 'net.b': _tcfg(url='b')}\n"
        "default_cfgs = generate_default_cfgs(default_cfgs)\n"
    )
    aug = (
        "import albumentations as A\n\n\n"
        "class Dct(A.ImageOnlyTransform):\n"
        "    @property\n"
        "    def targets(self):\n"
        "        return {'image': self.apply, 'mask': self.apply, 'masks': self.apply, 'bboxes': self.apply,\n"
        "                'keypoints': self.apply}\n"
    )
    loose = (
        "def make_params(lr):\n"
        "    return {'lr': lr, 'epochs': 3, 'batch': 8, 'decay': 0.1, 'warmup': 2}\n\n\n"
        "params = make_params(0.1)\n"
    )
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/zoo.py": zoo,
            "pkg/aug.py": aug,
            "pkg/train.py": loose,
            "pkg/util.py": _padded(""),
        },
    )
    assert [h.path for h in findings(tmp_path, "API003")] == ["pkg/train.py"]


def test_api004_context_manager_flags_and_setters_are_not_warnings(tmp_path: Path) -> None:
    code = (
        "_FUSED = False\n_EXPORT = False\n_BEST = None\n\n\n"
        "class set_export:\n"
        "    def __init__(self, mode):\n        global _EXPORT\n        self.prev = _EXPORT\n        _EXPORT = mode\n\n"
        "    def __enter__(self):\n        return self\n\n"
        "    def __exit__(self, *args):\n        global _EXPORT\n        _EXPORT = self.prev\n\n\n"
        "def set_fused(enable=True):\n    global _FUSED\n    _FUSED = enable\n\n\n"
        "def update_best(model):\n    global _BEST\n    _BEST = model\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/config.py": code, "pkg/util.py": _padded("")})
    hits = findings(tmp_path, "API004")
    assert [(h.message.split()[1], h.severity) for h in hits] == [
        ("_FUSED", Severity.INFO),
        ("_BEST", Severity.WARNING),
    ]


def test_api002_flag_chain_that_loads_backends(tmp_path: Path) -> None:
    backend = (
        "import onnxruntime\nimport torch\n\n\n"
        "class Backend:\n"
        "    def __init__(self, path, pt, jit, onnx, engine):\n"
        "        if pt:\n            self.model = torch.load(path, weights_only=True)\n"
        "        elif jit:\n            self.model = torch.jit.load(path)\n"
        "        elif onnx:\n            self.session = onnxruntime.InferenceSession(path)\n"
        "        elif engine:\n            self.engine = build_engine(path)\n"
        "        else:\n            raise ValueError(path)\n\n\n"
        "def describe(verbose, debug):\n"
        "    if verbose:\n        level = 1\n    elif debug:\n        level = 2\n    else:\n        level = 0\n"
        "    return level\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/backend.py": _padded(backend)})
    [hit] = findings(tmp_path, "API002")
    assert hit.line == 7 and "4 flags (pt, jit, onnx, engine)" in hit.message


def test_api006_function_using_a_model_loaded_at_import(tmp_path: Path) -> None:
    chat = (
        "import torch\n\nfrom bot.model import Net\n\n"
        "state = torch.load('bot.pt', weights_only=True)\n"
        "model = Net(state['size'])\nmodel.load_state_dict(state['weights'])\n"
        "logger = make_logger()\n\n\n"
        "def respond(text):\n    logger.info(text)\n    return model(text)\n\n\n"
        "def respond_with(net, text):\n    return net(text)\n"
    )
    clean = "def respond(model, text):\n    return model(text)\n"
    write_tree(
        tmp_path,
        {
            "bot/__init__.py": "",
            "bot/model.py": "class Net:\n    pass\n",
            "bot/chat.py": chat,
            "bot/api.py": clean,
            "bot/util.py": _padded(""),
        },
    )
    [hit] = findings(tmp_path, "API006")
    assert hit.path == "bot/chat.py" and hit.line == 11 and "uses model loaded at import" in hit.message
