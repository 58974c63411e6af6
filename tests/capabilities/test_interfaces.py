"""Tests of the interfaces capabilities: shared bases, explicit contracts, registries, typed data, framework contracts."""

from __future__ import annotations

from pathlib import Path

from tests.capabilities.util import assess, earned_points
from tests.helpers import write_tree

# what code of plain functions without a registry earns: nothing to pick between yet (half), never a registry
NO_REGISTRY = "plain functions, no component classes: nothing to pick between yet"
RETRIEVERS = """from abc import ABC, abstractmethod
from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    doc_id: str
    score: float


class Retriever(ABC):
    @abstractmethod
    def retrieve(self, query: str, k: int) -> list[Hit]: ...


class BM25Retriever(Retriever):
    def retrieve(self, query: str, k: int) -> list[Hit]:
        return []


class DenseRetriever(Retriever):
    def retrieve(self, query: str, k: int) -> list[Hit]:
        return []


RETRIEVERS = {"bm25": BM25Retriever, "dense": DenseRetriever}


def build_retriever(name: str) -> Retriever:
    return RETRIEVERS[name]()
"""
LOOSE = """class BM25Retriever:
    def retrieve(self, query, k):
        return []

    def index(self, docs):
        return None


class DenseRetriever:
    def retrieve(self, query, k):
        return []

    def index(self, docs):
        return None


def build_retriever(name):
    if name == "bm25":
        return BM25Retriever()
    return DenseRetriever()
"""
TORCH = """import torch
from torch.utils.data import Dataset


class ChurnDataset(Dataset):
    def __len__(self):
        return 0


class ChurnModel(torch.nn.Module):
    def forward(self, x):
        return x
"""


def test_base_class_with_implementations_earns(tmp_path: Path) -> None:
    result = assess(tmp_path, "interfaces", "shared_bases", {"rag/retrieval.py": RETRIEVERS})
    assert result.share > 0
    assert "Retriever (rag/retrieval.py:11) with 2" in result.evidence


def test_look_alike_classes_without_base_earn_nothing(tmp_path: Path) -> None:
    result = assess(tmp_path, "interfaces", "shared_bases", {"rag/retrieval.py": LOOSE})
    assert result.share == 0
    assert "look-alike" in result.evidence


def test_abc_is_an_explicit_contract(tmp_path: Path) -> None:
    result = assess(tmp_path, "interfaces", "explicit_contracts", {"rag/retrieval.py": RETRIEVERS})
    assert result.share == 1
    assert "Retriever at rag/retrieval.py:11" in result.evidence


BENCH_BACKENDS = """from abc import ABC, abstractmethod


class ScoreBackend(ABC):
    @abstractmethod
    def predict(self, data):
        ...


class TorchBackend(ScoreBackend):
    def predict(self, data):
        return data
"""


def test_the_package_contract_is_the_evidence_before_a_benchmark_script_one(tmp_path: Path) -> None:
    files = {"benchmarks/score.py": BENCH_BACKENDS, "rag/__init__.py": "", "rag/retrieval.py": RETRIEVERS}
    result = assess(tmp_path, "interfaces", "explicit_contracts", files)
    assert result.share == 1
    assert result.evidence == "interface Retriever at rag/retrieval.py:11"
    only_bench = assess(tmp_path / "b", "interfaces", "explicit_contracts", {"benchmarks/score.py": BENCH_BACKENDS})
    assert only_bench.evidence == "interface ScoreBackend at benchmarks/score.py:4"


def test_not_implemented_without_override_is_no_contract(tmp_path: Path) -> None:
    code = "class Exporter:\n    def __init__(self, fmt):\n        raise NotImplementedError(fmt)\n"
    result = assess(tmp_path, "interfaces", "explicit_contracts", {"rag/export.py": code})
    assert result.share == 0.5  # a lone class: nothing to swap, so no contract is earned or missing
    assert "no contract to state yet" in result.evidence


def test_only_an_unconditional_not_implemented_base_method_is_a_contract(tmp_path: Path) -> None:
    base = (
        "class Embedder:\n"
        "    def fit(self, X):\n"
        "        return self\n\n"
        "    def transform(self, X):\n"
        "        if self.densmap:\n"
        "            raise NotImplementedError('transform is not supported with densmap')\n"
        "        return X\n\n\n"
        "class NeuralEmbedder(Embedder):\n"
        "    def transform(self, X):\n"
        "        return X * 2\n"
    )
    conditional = assess(tmp_path / "a", "interfaces", "explicit_contracts", {"emb/models.py": base})
    assert "raises NotImplementedError" not in conditional.evidence
    stub = base.replace(
        "        if self.densmap:\n            raise NotImplementedError('transform is not supported with densmap')\n"
        "        return X\n",
        '        """Map X into the embedding."""\n        raise NotImplementedError\n',
    )
    result = assess(tmp_path / "b", "interfaces", "explicit_contracts", {"emb/models.py": stub})
    assert result.share == 1 and "base method Embedder.transform raises NotImplementedError" in result.evidence


def test_one_implementation_per_component_earns_half_the_contract(tmp_path: Path) -> None:
    result = assess(tmp_path / "a", "interfaces", "explicit_contracts", {"churn/parts.py": TORCH})
    assert result.share == 0.5
    assert "one implementation per component" in result.evidence
    loose = assess(tmp_path / "b", "interfaces", "explicit_contracts", {"rag/retrieval.py": LOOSE})
    assert loose.share == 0


def test_factory_over_a_mapping_earns(tmp_path: Path) -> None:
    result = assess(tmp_path, "interfaces", "registry_or_factory", {"rag/retrieval.py": RETRIEVERS})
    assert result.share == 1
    assert "build_retriever()" in result.evidence


def test_a_loader_running_per_layer_callbacks_is_no_factory_but_one_picking_by_name_is(tmp_path: Path) -> None:
    code = (
        "def load_converted_weights(model, layer_lookup, params):\n"
        "    for layer_name, info in layer_lookup.items():\n"
        "        weights = [params[i] for i in info[2]]\n"
        "        info[1](weights, getattr(model, layer_name))\n"
    )
    assert assess(tmp_path, "interfaces", "registry_or_factory", {"conv/weights.py": code}).evidence == NO_REGISTRY
    by_name = code + "\n\ndef load_converter(name, lookup):\n    return lookup[name](strict=True)\n"
    result = assess(tmp_path / "b", "interfaces", "registry_or_factory", {"conv/weights.py": by_name})
    assert result.evidence == "factory load_converter() at conv/weights.py:7 picks a class from a mapping"


def test_if_chain_is_not_a_factory(tmp_path: Path) -> None:
    assert assess(tmp_path, "interfaces", "registry_or_factory", {"rag/retrieval.py": LOOSE}).share == 0


def test_a_function_returning_one_of_a_familys_implementations_by_its_arguments_is_a_factory(tmp_path: Path) -> None:
    base = "class RecommenderBase:\n    def fit(self, items):\n        raise NotImplementedError\n"
    cpu = "from recs.base import RecommenderBase\n\n\nclass ALS(RecommenderBase):\n    def fit(self, items):\n        return self\n"
    factory = (
        "import recs.cpu.als\nimport recs.gpu.als\n\n\n"
        "def AlternatingLeastSquares(factors=64, use_gpu=False):\n"
        "    if use_gpu:\n        return recs.gpu.als.ALS()\n"
        "    return recs.cpu.als.ALS()\n"
    )
    files = {
        "recs/__init__.py": "",
        "recs/base.py": base,
        "recs/cpu/als.py": cpu,
        "recs/gpu/als.py": cpu,
        "recs/als.py": factory,
    }
    result = assess(tmp_path, "interfaces", "registry_or_factory", files)
    assert result.share == 1 and "AlternatingLeastSquares() at recs/als.py:5" in result.evidence


def test_dataclass_is_typed_data(tmp_path: Path) -> None:
    result = assess(tmp_path, "interfaces", "typed_data_objects", {"rag/retrieval.py": RETRIEVERS})
    assert 0 < result.share < 1
    assert "Hit (rag/retrieval.py:6)" in result.evidence


def test_own_base_model_class_is_not_pydantic(tmp_path: Path) -> None:
    code = "class BaseModel:\n    pass\n\n\nclass Detector(BaseModel):\n    pass\n"
    assert assess(tmp_path, "interfaces", "typed_data_objects", {"rag/models.py": code}).share == 0


def test_typed_named_tuples_and_typed_dicts_are_typed_data_but_a_plain_namedtuple_is_not(tmp_path: Path) -> None:
    typed = (
        "from typing import TypedDict\n\nfrom typing_extensions import NamedTuple\n\n\n"
        "class Batch(NamedTuple):\n    images: list[float]\n    labels: list[int]\n\n\n"
        'Row = TypedDict("Row", {"id": int, "text": str})\n'
    )
    result = assess(tmp_path, "interfaces", "typed_data_objects", {"loader/records.py": typed})
    assert result.evidence == "2 typed data classes, e.g. Batch (loader/records.py:6), Row (loader/records.py:11)"
    # Look-alike: collections.namedtuple names the fields but types none of them.
    plain = 'from collections import namedtuple\n\nBatch = namedtuple("Batch", ["images", "labels"])\n'
    assert assess(tmp_path / "b", "interfaces", "typed_data_objects", {"loader/records.py": plain}).share == 0


def test_extension_points_of_modelling_frameworks_are_contracts_but_not_in_that_framework_itself(
    tmp_path: Path,
) -> None:
    code = (
        "import torch\nfrom gpytorch.kernels import Kernel\n\n\n"
        "class SoftStep(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x):\n        return x\n\n\n"
        "class ScaledMatern(Kernel):\n    def forward(self, x1, x2, **params):\n        return x1 @ x2.T\n"
    )
    result = assess(tmp_path / "a", "interfaces", "framework_contracts", {"bo/kernels.py": code})
    assert result.share == 1 and "GPyTorch kernel" in result.evidence and "autograd Function" in result.evidence
    # Look-alike: GPyTorch's own kernels extend GPyTorch: they follow no other framework's contract.
    own = {"gpytorch/__init__.py": "", "gpytorch/kernels/__init__.py": "", "gpytorch/kernels/matern.py": code}
    result = assess(tmp_path / "b", "interfaces", "framework_contracts", own)
    assert result.share == 0.5 and "GPyTorch" not in result.evidence


def test_torch_samplers_and_lr_schedulers_are_framework_contracts(tmp_path: Path) -> None:
    code = (
        "from torch.optim.lr_scheduler import _LRScheduler\nfrom torch.utils.data.sampler import Sampler\n\n\n"
        "class IdentitySampler(Sampler):\n    def __iter__(self):\n        return iter(range(4))\n\n\n"
        "class WarmupLR(_LRScheduler):\n    def get_lr(self):\n        return [0.1]\n"
    )
    result = assess(tmp_path / "a", "interfaces", "framework_contracts", {"reid/sampling.py": code})
    assert result.share == 1
    assert (
        result.evidence
        == "torch Sampler: IdentitySampler (reid/sampling.py:5); torch LR scheduler: WarmupLR (reid/sampling.py:10)"
    )
    # Look-alike: the same classes on plain bases, named like a sampler and a scheduler, follow no contract
    plain = code.replace("(Sampler)", "").replace("(_LRScheduler)", "")
    assert assess(tmp_path / "b", "interfaces", "framework_contracts", {"reid/sampling.py": plain}).share == 0


def test_a_class_registered_as_a_jax_pytree_follows_jax_contract(tmp_path: Path) -> None:
    state = (
        "import chex\nimport jax\nimport jax.numpy as jnp\n\n\n@chex.dataclass(frozen=True)\nclass EmaState:\n"
        "    mean: jnp.ndarray\n    count: int\n\n\nclass Graph:\n    def __init__(self, nodes):\n"
        "        self.nodes = nodes\n\n\njax.tree_util.register_pytree_node(Graph, lambda g: ((g.nodes,), None), "
        "lambda _, c: Graph(*c))\n"
    )
    result = assess(tmp_path / "a", "interfaces", "framework_contracts", {"rl/state.py": state})
    assert result.share == 0.5
    assert result.evidence == "JAX pytree: EmaState (rl/state.py:7)"
    graph = state.replace("@chex.dataclass(frozen=True)\n", "")
    result = assess(tmp_path / "b", "interfaces", "framework_contracts", {"rl/state.py": graph})
    assert result.evidence == "JAX pytree: Graph (rl/state.py:11)"
    # Look-alike: a standard dataclass, and a registration of a class the module does not define.
    plain = (
        "import dataclasses\nimport jax\nfrom rl.other import Graph\n\n\n@dataclasses.dataclass(frozen=True)\n"
        "class EmaState:\n    count: int\n\n\njax.tree_util.register_pytree_node(Graph, None, None)\n"
    )
    assert assess(tmp_path / "c", "interfaces", "framework_contracts", {"rl/state.py": plain}).share == 0


SELF_REGISTERING_PYTREE = """import jax


class Jittable:
    def __new__(cls, *args, **kwargs):
        del args, kwargs
        return object.__new__(jax.tree_util.register_pytree_node_class(cls))

    def tree_flatten(self):
        return tuple(self.__dict__.values()), tuple(self.__dict__)

    @classmethod
    def tree_unflatten(cls, names, values):
        obj = object.__new__(cls)
        obj.__dict__.update(zip(names, values))
        return obj
"""


def test_a_class_defining_the_pytree_methods_follows_jax_contract(tmp_path: Path) -> None:
    """A base that registers each subclass itself (or is registered elsewhere) still defines `tree_flatten` and the
    classmethod `tree_unflatten`, the methods JAX calls to take its instances apart and rebuild them."""
    result = assess(tmp_path / "a", "interfaces", "framework_contracts", {"flows/jittable.py": SELF_REGISTERING_PYTREE})
    assert (result.share, result.evidence) == (0.5, "JAX pytree: Jittable (flows/jittable.py:4)")
    # Look-alike: a class flattening a nested config into a list has a `tree_flatten` but rebuilds nothing.
    flattener = (
        "class ConfigTree:\n    def __init__(self, entries):\n        self.entries = entries\n\n"
        "    def tree_flatten(self):\n        return [value for group in self.entries for value in group]\n"
    )
    assert assess(tmp_path / "b", "interfaces", "framework_contracts", {"flows/config.py": flattener}).share == 0


OWN_PYTREE_DATACLASS = """import dataclasses

import jax


def dataclass(cls):
    data_cls = dataclasses.dataclass(frozen=True)(cls)
    names = [field.name for field in dataclasses.fields(data_cls)]
    jax.tree_util.register_pytree_node(
        data_cls, lambda obj: ([getattr(obj, n) for n in names], None), lambda _, values: data_cls(*values)
    )
    return data_cls
"""


def test_a_class_decorated_by_the_projects_own_pytree_dataclass_follows_jax_contract(tmp_path: Path) -> None:
    """`@utils.dataclass` wrapping `dataclasses.dataclass` and registering the class as a pytree makes it one."""
    kernel = (
        "import jax.numpy as jnp\n\nfrom ntk.utils import dataclass_util\n\n\n"
        "@dataclass_util.dataclass\nclass Kernel:\n    nngp: jnp.ndarray\n    ntk: jnp.ndarray\n"
    )
    files = {"ntk/__init__.py": "", "ntk/utils/__init__.py": "", "ntk/utils/dataclass_util.py": OWN_PYTREE_DATACLASS}
    result = assess(tmp_path / "a", "interfaces", "framework_contracts", {**files, "ntk/kernel.py": kernel})
    assert (result.share, result.evidence) == (0.5, "JAX pytree: Kernel (ntk/kernel.py:7)")
    # Look-alike: the project's decorator only freezes a dataclass; nothing registers it with JAX.
    plain = OWN_PYTREE_DATACLASS.split("    names =", maxsplit=1)[0] + "    return data_cls\n"
    plain_files = {**files, "ntk/utils/dataclass_util.py": plain, "ntk/kernel.py": kernel}
    assert assess(tmp_path / "b", "interfaces", "framework_contracts", plain_files).share == 0


def test_dataset_and_module_are_framework_contracts(tmp_path: Path) -> None:
    result = assess(tmp_path, "interfaces", "framework_contracts", {"churn/model.py": TORCH})
    assert result.share == 1
    assert "torch Dataset: ChurnDataset" in result.evidence


def test_plain_classes_follow_no_framework_contract(tmp_path: Path) -> None:
    assert assess(tmp_path, "interfaces", "framework_contracts", {"rag/retrieval.py": LOOSE}).share == 0


def test_loose_code_earns_at_most_10(tmp_path: Path) -> None:
    write_tree(tmp_path, {"rag/retrieval.py": LOOSE})
    assert earned_points(tmp_path, "interfaces") <= 10


def test_clean_interfaces_earn_most(tmp_path: Path) -> None:
    more = "from dataclasses import dataclass\n\n\n@dataclass\nclass Query:\n    text: str\n\n\n@dataclass\nclass Page:\n    hits: list\n"
    write_tree(tmp_path, {"rag/retrieval.py": RETRIEVERS, "rag/types.py": more, "churn/model.py": TORCH})
    assert earned_points(tmp_path, "interfaces") >= 85


def test_protocol_implemented_structurally_is_a_family(tmp_path: Path) -> None:
    code = """from typing import Protocol


class Classifier(Protocol):
    def fit(self, x: list[float]) -> None: ...

    def predict(self, x: list[float]) -> list[int]: ...


class CentroidClassifier:
    def fit(self, x: list[float]) -> None:
        return None

    def predict(self, x: list[float]) -> list[int]:
        return []
"""
    result = assess(tmp_path, "interfaces", "shared_bases", {"clf/model.py": code})
    assert result.share == 1
    assert "Classifier (clf/model.py:4) with 1" in result.evidence


def test_an_abstract_block_counts_only_the_modules_that_subclass_it(tmp_path: Path) -> None:
    """Every torch module has a `forward`; only the ones deriving from the abstract block implement it."""
    code = """from abc import abstractmethod

import torch.nn as nn


class TimedBlock(nn.Module):
    @abstractmethod
    def forward(self, x, t):
        ...


class ResBlock(TimedBlock):
    def forward(self, x, t):
        return x + t


class Attention(nn.Module):
    def forward(self, x):
        return x


class Upsample(nn.Module):
    def forward(self, x):
        return x
"""
    result = assess(tmp_path, "interfaces", "shared_bases", {"net/__init__.py": "", "net/blocks.py": code})
    assert "TimedBlock (net/blocks.py:6) with 1" in result.evidence


def test_register_helper_never_used_as_decorator_is_no_registry(tmp_path: Path) -> None:
    code = "def _register_routes(app):\n    app.add_route('/x', None)\n"
    assert assess(tmp_path, "interfaces", "registry_or_factory", {"svc/app.py": code}).evidence == NO_REGISTRY
    used = "MODELS = {}\n\n\ndef register_model(fn):\n    MODELS[fn.__name__] = fn\n    return fn\n\n\n@register_model\ndef resnet():\n    return None\n"
    result = assess(tmp_path / "b", "interfaces", "registry_or_factory", {"svc/models.py": used})
    assert result.share == 1
    assert "resnet registered by @register_model at svc/models.py:9" in result.evidence


def test_an_exit_hook_of_the_standard_library_is_no_registry(tmp_path: Path) -> None:
    hooks = (
        "import atexit\nfrom atexit import register\n\nPROFILE = []\n\n\n@atexit.register\ndef flush():\n"
        "    PROFILE.clear()\n\n\n@register\ndef close():\n    PROFILE.clear()\n"
    )
    assert assess(tmp_path, "interfaces", "registry_or_factory", {"svc/profile.py": hooks}).evidence == NO_REGISTRY
    # Look-alike: the package's own registry, imported from its module.
    own = "from svc.registry import register_model\n\n\n@register_model\ndef resnet():\n    return None\n"
    files = {"svc/__init__.py": "", "svc/registry.py": "def register_model(fn):\n    return fn\n", "svc/models.py": own}
    result = assess(tmp_path / "b", "interfaces", "registry_or_factory", files)
    assert result.share == 1
    assert "resnet registered by @register_model at svc/models.py:4" in result.evidence


def _without_factory(code: str) -> str:
    return code.split("\n\nRETRIEVERS = ", maxsplit=1)[0] + "\n"


def test_a_parameter_typed_by_a_base_with_implementations_is_injection(tmp_path: Path) -> None:
    search = """from __future__ import annotations

from rag.retrieval import Hit, Retriever


class SearchService:
    def __init__(self, retriever: Retriever | None = None, k: int = 5) -> None:
        self.retriever = retriever
        self.k = k

    def search(self, query: str) -> list[Hit]:
        return self.retriever.retrieve(query, self.k) if self.retriever else []
"""
    files = {"rag/__init__.py": "", "rag/retrieval.py": _without_factory(RETRIEVERS), "rag/service.py": search}
    result = assess(tmp_path / "a", "interfaces", "registry_or_factory", files)
    assert result.share == 1
    assert "__init__() at rag/service.py:7 takes any Retriever (a repo base with 2 implementations)" in result.evidence
    # Look-alikes: a parameter typed by one concrete class, or only the family's own methods taking its type.
    concrete = search.replace("retriever: Retriever | None", "retriever: BM25Retriever | None").replace(
        "import Hit, Retriever", "import BM25Retriever, Hit"
    )
    files_concrete = {**files, "rag/service.py": concrete}
    assert assess(tmp_path / "b", "interfaces", "registry_or_factory", files_concrete).share == 0
    own = _without_factory(RETRIEVERS) + (
        "\n\nclass HybridRetriever(Retriever):\n"
        "    def merge(self, other: Retriever) -> list[Hit]:\n        return []\n"
    )
    files_own = {"rag/__init__.py": "", "rag/retrieval.py": own}
    assert assess(tmp_path / "c", "interfaces", "registry_or_factory", files_own).share == 0


def test_a_union_as_deep_as_the_parser_allows_is_read_without_recursion(tmp_path: Path) -> None:
    members = " | ".join(f"Part{i}" for i in range(990))
    files = {
        "rag/__init__.py": "",
        "rag/retrieval.py": _without_factory(RETRIEVERS),
        "rag/wide.py": f"def pick(part: {members} | Retriever) -> None: ...\n",
    }
    result = assess(tmp_path, "interfaces", "registry_or_factory", files)
    assert result.share == 1 and "pick() at rag/wide.py:1 takes any Retriever" in result.evidence


BUILDERS = """\
def _build(depth, width):
    return {"depth": depth, "width": width}


def build_small():
    return _build(4, 256)


def build_large():
    return _build(24, 1024)


model_registry = {"default": build_large, "small": build_small, "large": build_large}
"""


def test_module_mapping_of_names_to_builders_is_a_registry(tmp_path: Path) -> None:
    result = assess(tmp_path, "interfaces", "registry_or_factory", {"seg/build.py": BUILDERS})
    assert result.share == 1
    assert "model_registry at seg/build.py:13 maps names to build_large, build_small" in result.evidence


def test_mapping_of_names_to_constants_or_one_builder_is_no_registry(tmp_path: Path) -> None:
    # label maps and a mapping to one function pick no component
    code = BUILDERS.replace(
        'model_registry = {"default": build_large, "small": build_small, "large": build_large}',
        'LABELS = {"cat": 0, "dog": 1}\nALIASES = {"big": build_large, "large": build_large}',
    )
    assert assess(tmp_path, "interfaces", "registry_or_factory", {"seg/build.py": code}).evidence == NO_REGISTRY


def test_a_mapping_through_an_alias_of_a_builder_is_a_registry(tmp_path: Path) -> None:
    # build_default is an alias of build_large; a name bound to a number is still no builder
    aliased = BUILDERS.replace(
        'model_registry = {"default": build_large, "small": build_small, "large": build_large}',
        'build_default = build_large\n\nmodel_registry = {"default": build_default, "small": build_small}',
    )
    result = assess(tmp_path / "a", "interfaces", "registry_or_factory", {"seg/build.py": aliased})
    assert result.share == 1 and "maps names to build_default, build_small" in result.evidence
    sized = aliased.replace("build_default = build_large", "build_default = 24")
    assert assess(tmp_path / "b", "interfaces", "registry_or_factory", {"seg/build.py": sized}).evidence == NO_REGISTRY


NAMED_BY_THEMSELVES = """from .noise import *

corruption_tuple = (gaussian_noise, shot_noise, motion_blur)
corruption_dict = {func.__name__: func for func in corruption_tuple}


def corrupt(image, name):
    return corruption_dict[name](image)
"""


def test_a_mapping_of_functions_keyed_by_their_own_names_is_a_registry(tmp_path: Path) -> None:
    """`{f.__name__: f for f in (gaussian_noise, shot_noise, ...)}` files each function under its own name, to be
    picked by name as a registry does. Look-alikes: one function mapped by its name, or functions keyed by
    something else (`{f: 0 for f in ...}`), pick no component by name."""
    files = {"corrupt/__init__.py": NAMED_BY_THEMSELVES, "corrupt/noise.py": "def gaussian_noise(x):\n    return x\n"}
    result = assess(tmp_path / "reg", "interfaces", "registry_or_factory", files)
    assert result.share == 1 and "corruption_dict at corrupt/__init__.py:4 maps names to" in result.evidence
    single = NAMED_BY_THEMSELVES.replace("(gaussian_noise, shot_noise, motion_blur)", "(gaussian_noise,)")
    counted = NAMED_BY_THEMSELVES.replace("{func.__name__: func for", "{func: 0 for")
    for name, code in (("one", single), ("count", counted)):
        lookalike = {**files, "corrupt/__init__.py": code}
        assert "maps names to" not in assess(tmp_path / name, "interfaces", "registry_or_factory", lookalike).evidence


RL_EXTENSIONS = """import gymnasium as gym
import numpy as np
from stable_baselines3.common.callbacks import BaseCallback


class ClipReward(gym.RewardWrapper):
    def reward(self, reward):
        return float(np.clip(reward, -1, 1))


class StackObservations(gym.Wrapper[np.ndarray, int, np.ndarray, int]):
    def step(self, action):
        return self.env.step(action)


class SaveBest(BaseCallback):
    def _on_step(self):
        return True
"""
RL_LOOKALIKE = """import numpy as np


class ClipReward:
    def __init__(self, env):
        self.env = env

    def reward(self, reward):
        return float(np.clip(reward, -1, 1))


class SaveBest:
    def on_step(self, model):
        return True
"""


def test_gym_wrappers_and_trainer_callbacks_are_framework_contracts(tmp_path: Path) -> None:
    result = assess(tmp_path, "interfaces", "framework_contracts", {"zoo/wrappers.py": RL_EXTENSIONS})
    assert result.share == 1
    assert result.evidence == (
        "gym wrapper: ClipReward (zoo/wrappers.py:6); Stable-Baselines3 callback: SaveBest (zoo/wrappers.py:16)"
    )


def test_plain_classes_named_like_wrappers_and_callbacks_follow_no_contract(tmp_path: Path) -> None:
    assert assess(tmp_path, "interfaces", "framework_contracts", {"zoo/wrappers.py": RL_LOOKALIKE}).share == 0


def test_a_generic_framework_base_is_its_origin_class(tmp_path: Path) -> None:
    generic = "import gymnasium as gym\n\n\nclass Stack(gym.Wrapper[list, int, list, int]):\n    pass\n"
    result = assess(tmp_path, "interfaces", "framework_contracts", {"zoo/stack.py": generic})
    assert result.evidence == "gym wrapper: Stack (zoo/stack.py:4)"


DATA_SAMPLE = """from mmengine.structures import BaseDataElement, PixelData


class SegSample(BaseDataElement):
    @property
    def gt_mask(self) -> PixelData:
        return self._gt_mask

    @gt_mask.setter
    def gt_mask(self, value: PixelData) -> None:
        self.set_field(value, "_gt_mask", dtype=PixelData)
"""


def test_a_dataclass_in_an_example_is_no_typed_data_of_the_project(tmp_path: Path) -> None:
    example = (
        "import dataclasses\n\nfrom cfgkit import flags\n\n\n@dataclasses.dataclass\nclass DemoConfig:\n"
        "    lr: float = 0.1\n    steps: int = 10\n\n\nFLAGS = flags.define(DemoConfig())\n"
    )
    files = {"cfgkit/__init__.py": "", "cfgkit/flags.py": "def define(cfg):\n    return cfg\n"}
    in_example = {**files, "cfgkit/examples/demo_config.py": example}
    assert assess(tmp_path, "interfaces", "typed_data_objects", in_example).share == 0
    in_package = {**files, "cfgkit/defaults.py": example}
    result = assess(tmp_path / "b", "interfaces", "typed_data_objects", in_package)
    assert result.evidence == "1 typed data classes, e.g. DemoConfig (cfgkit/defaults.py:7)"


def test_a_data_element_with_typed_fields_is_typed_data(tmp_path: Path) -> None:
    result = assess(tmp_path, "interfaces", "typed_data_objects", {"seg/structures.py": DATA_SAMPLE})
    assert result.share > 0
    assert "SegSample (seg/structures.py:4)" in result.evidence


def test_an_own_class_named_like_a_data_element_is_not_typed_data(tmp_path: Path) -> None:
    code = "class BaseDataElement:\n    pass\n\n\nclass SegSample(BaseDataElement):\n    pass\n"
    assert assess(tmp_path, "interfaces", "typed_data_objects", {"seg/structures.py": code}).share == 0


def test_a_registration_call_is_a_registry_but_a_call_registering_a_foreign_object_is_not(tmp_path: Path) -> None:
    converters = (
        "from onnxconverter_common.registration import register_converter\n\n\n"
        "def convert_select_k_best(operator, device, extra_config):\n    return operator.raw_operator.get_support()\n\n\n"
        'register_converter("SklearnSelectKBest", convert_select_k_best)\n'
    )
    result = assess(tmp_path / "a", "interfaces", "registry_or_factory", {"conv/select.py": converters})
    assert result.share == 1
    assert result.evidence == (
        "convert_select_k_best registered by register_converter('SklearnSelectKBest', ...) at conv/select.py:8"
    )
    foreign = "import atexit\nimport codecs\n\ncodecs.register_error('strict_utf8', codecs.strict_errors)\natexit.register(print)\n"
    assert (
        assess(tmp_path / "b", "interfaces", "registry_or_factory", {"conv/hooks.py": foreign}).evidence == NO_REGISTRY
    )


LAYERS = """from torch import nn


class Attention(nn.Module):
    def forward(self, x):
        return x


class FeedForward(nn.Module):
    def forward(self, x):
        return x


class Perceiver(nn.Module):
    def __init__(self):
        super().__init__()
        self.attend = Attention()
        self.ff = FeedForward()

    def forward(self, x):
        return self.ff(self.attend(x))
"""
TWO_ENCODERS = "from torch import nn\n\n\nclass ConvEncoder(nn.Module): ...\n\n\nclass PatchEncoder(nn.Module): ...\n"


def test_one_model_built_of_its_own_layers_has_nothing_to_swap(tmp_path: Path) -> None:
    for key in ("shared_bases", "explicit_contracts", "registry_or_factory"):
        result = assess(tmp_path / key, "interfaces", key, {"perc/model.py": LAYERS})
        assert result.share == 0.5, key
        assert "one implementation per component (Attention (perc/model.py:4), FeedForward" in result.evidence


def test_two_encoders_of_one_framework_contract_are_swappable_through_it_but_state_no_contract(tmp_path: Path) -> None:
    files = {"perc/model.py": LAYERS, "perc/encoders.py": TWO_ENCODERS}
    shared = assess(tmp_path / "shared", "interfaces", "shared_bases", files)
    assert shared.share == 0.5
    assert shared.evidence.startswith("2 Encoder classes follow the torch nn.Module contract")
    for key in ("explicit_contracts", "registry_or_factory"):
        assert assess(tmp_path / key, "interfaces", key, files).share == 0, key
    mixed = {
        "perc/model.py": LAYERS,
        "perc/encoders.py": TWO_ENCODERS.replace("PatchEncoder(nn.Module)", "PatchEncoder"),
    }
    assert assess(tmp_path / "mixed", "interfaces", "shared_bases", mixed).share == 0


def test_a_model_built_at_import_and_read_by_a_function_is_hard_wired(tmp_path: Path) -> None:
    serve = (
        "import torch\n\nfrom perc.model import Perceiver\n\n"
        "model = Perceiver()\nmodel.load_state_dict(torch.load('w.pt'))\n\n\n"
        "def answer(x):\n    return model(x)\n"
    )
    result = assess(tmp_path, "interfaces", "registry_or_factory", {"perc/model.py": LAYERS, "serve.py": serve})
    assert result.share == 0
    assert "but answer() at serve.py:9 uses model built at import" in result.evidence
    example = {"perc/model.py": LAYERS, "examples/serve.py": serve}
    assert assess(tmp_path / "ex", "interfaces", "registry_or_factory", example).share == 0.5


FACE_API = """import numpy as np


def load_image(path):
    return np.load(path)


def face_distance(known, candidate):
    return np.linalg.norm(known - candidate, axis=1)


def compare_faces(known, candidate, tolerance=0.6):
    return list(face_distance(known, candidate) <= tolerance)
"""


def test_a_library_of_plain_functions_has_nothing_to_swap_like_one_class_per_component(tmp_path: Path) -> None:
    for key in ("shared_bases", "explicit_contracts", "registry_or_factory"):
        result = assess(tmp_path / key, "interfaces", key, {"faces/api.py": FACE_API})
        assert result.share == 0.5, key
        assert result.evidence.startswith("plain functions, no component classes"), key
    wired = FACE_API + "\n\ndetector = np.load('detector.npy')\n\n\ndef detect(image):\n    return detector @ image\n"
    result = assess(tmp_path / "wired", "interfaces", "registry_or_factory", {"faces/api.py": wired})
    assert result.share == 0
    assert "hard-wired, not injected" in result.evidence


def test_look_alike_wrappers_following_sklearns_convention_are_something_to_swap(tmp_path: Path) -> None:
    wrappers = (
        "class BoostWrapper:\n    def fit(self, X, y):\n        return self\n\n    def predict(self, X):\n        return X\n\n\n"
        "class NetWrapper:\n    def fit(self, X, y):\n        return self\n\n    def predict(self, X):\n        return X\n"
    )
    for key in ("shared_bases", "explicit_contracts", "registry_or_factory"):
        assert assess(tmp_path / key, "interfaces", key, {"churn/models.py": wrappers}).share == 0, key


def test_a_factory_binding_the_class_it_looks_up_by_name_earns_but_a_layer_picked_by_a_counter_does_not(
    tmp_path: Path,
) -> None:
    two_step = (
        "from seg.models import ARCHITECTURES\n\n\n"
        "def create_model(arch, classes=1, **kwargs):\n"
        "    try:\n        model_class = ARCHITECTURES[arch.lower()]\n"
        "    except KeyError:\n        raise KeyError(arch)\n"
        "    return model_class(classes=classes, **kwargs)\n"
    )
    result = assess(tmp_path / "a", "interfaces", "registry_or_factory", {"seg/__init__.py": two_step})
    assert result.evidence == "factory create_model() at seg/__init__.py:4 picks a class from a mapping"
    per_level = (
        "class Hierarchy:\n"
        "    def get_output_from_indices(self, indices):\n"
        "        out = None\n"
        "        for level, codes in enumerate(indices):\n"
        "            q = self.unflatten[level](codes)\n"
        "            out = q if out is None else out + q\n"
        "        return out\n"
    )
    picked = assess(tmp_path / "b", "interfaces", "registry_or_factory", {"vq/hier.py": per_level})
    assert picked.share < 1 and "factory" not in picked.evidence  # at most the one-implementation half


def test_a_class_building_the_parts_its_caller_hands_in_is_constructor_injection(tmp_path: Path) -> None:
    injected = (
        "import torch\n\n\n"
        "class Learner:\n"
        "    def __init__(self, module, criterion, optimizer=torch.optim.SGD, lr=0.1):\n"
        "        self.module = module\n"
        "        self.criterion = criterion\n"
        "        self.optimizer = optimizer\n"
        "        self.lr = lr\n\n"
        "    def initialize(self, **kwargs):\n"
        "        self.module_ = self.module(**kwargs)\n"
        "        self.criterion_ = self.criterion()\n"
        "        return self\n\n\n"
        "class Block(torch.nn.Module):\n"
        "    def __init__(self, dim, norm_layer=torch.nn.LayerNorm):\n"
        "        super().__init__()\n"
        "        self.norm = norm_layer(dim)\n"
    )
    result = assess(tmp_path / "a", "interfaces", "registry_or_factory", {"fitkit/learner.py": injected})
    assert result.evidence == "Learner at fitkit/learner.py:4 builds the module its caller hands in"
    block = injected[injected.index("class Block") :]
    result = assess(
        tmp_path / "c", "interfaces", "registry_or_factory", {"fitkit/block.py": "import torch\n\n\n" + block}
    )
    assert result.evidence == "Block at fitkit/block.py:4 builds the norm_layer its caller hands in"
    # Look-alike: a trainer handed built parts runs them (a forward pass, a loss) and keeps what they return.
    runs = (
        "class Trainer:\n"
        "    def __init__(self, model, criterion, optimizer):\n"
        "        self.model = model\n"
        "        self.criterion = criterion\n"
        "        self.optimizer = optimizer\n\n"
        "    def step(self, batch, target):\n"
        "        out = self.model(**batch)\n"
        "        self.last_loss = self.criterion(out, target)\n"
        "        self.optimizer.step()\n"
        "        return out\n"
    )
    result = assess(tmp_path / "b", "interfaces", "registry_or_factory", {"fitkit/trainer.py": runs})
    assert result.share == 0.5 and "nothing to pick between yet" in result.evidence


LIGHTNING_MODELS = (
    "import pytorch_lightning as pl\n\n\n"
    "class BertModel(pl.LightningModule):\n    def training_step(self, batch, i):\n        return batch\n\n\n"
    "class LstmModel(pl.LightningModule):\n    def training_step(self, batch, i):\n        return batch\n\n\n"
    "class CnnModel(pl.LightningModule):\n    def training_step(self, batch, i):\n        return batch\n"
)
LOOSE_PREDICTORS = (
    "class TorchPredictor:\n    def __init__(self, path):\n        self.path = path\n\n"
    "    def predict(self, text):\n        return [text]\n\n    def explain(self, text):\n        return text\n\n\n"
    "class OnnxPredictor:\n    def __init__(self, path):\n        self.path = path\n\n"
    "    def predict(self, text):\n        return [text]\n\n    def explain(self, text):\n        return text\n"
)


def test_alternatives_extending_one_imported_base_earn_their_role_despite_look_alikes_elsewhere(tmp_path: Path) -> None:
    """Three LightningModules picked between are swappable through the framework's contract (half for that role);
    two predictors sharing nothing are the gap (none): one loose group no longer zeroes the other roles."""
    files = {"cola/models.py": LIGHTNING_MODELS, "cola/inference.py": LOOSE_PREDICTORS}
    result = assess(tmp_path, "interfaces", "shared_bases", files)
    assert result.share == 0.25
    assert "3 Model classes extend LightningModule" in result.evidence
    assert "2 Predictor look-alikes share no base" in result.evidence


def test_alternatives_of_an_unresolved_library_base_share_its_contract(tmp_path: Path) -> None:
    """A base imported from a library the repo does not hold (`toolbelt.EncoderModule`) is still one contract."""
    encoders = (
        "from toolbelt.modules import EncoderModule\n\n\n"
        "class ResEncoder(EncoderModule): ...\n\n\nclass DenseEncoder(EncoderModule): ...\n"
    )
    files = {"steg/encoders.py": encoders, "steg/inference.py": LOOSE_PREDICTORS}
    result = assess(tmp_path, "interfaces", "shared_bases", files)
    assert result.share == 0.25 and "2 Encoder classes extend EncoderModule" in result.evidence


def test_alternatives_sharing_only_a_record_or_error_base_earn_nothing(tmp_path: Path) -> None:
    """Two pydantic records named `...Model` share no component contract, and neither do classes that share
    no base at all: beside loose look-alikes, nothing is earned."""
    records = (
        "from pydantic import BaseModel\n\n\n"
        "class TextModel(BaseModel):\n    text: str\n\n\nclass ImageModel(BaseModel):\n    url: str\n"
    )
    files = {"cola/schemas.py": records, "cola/inference.py": LOOSE_PREDICTORS}
    result = assess(tmp_path / "records", "interfaces", "shared_bases", files)
    assert result.share == 0 and "look-alike" in result.evidence
    mixed = LIGHTNING_MODELS.replace("class CnnModel(pl.LightningModule)", "class CnnModel")
    files = {"cola/models.py": mixed, "cola/inference.py": LOOSE_PREDICTORS}
    assert assess(tmp_path / "mixed", "interfaces", "shared_bases", files).share == 0


def test_a_role_with_one_implementation_has_no_contract_to_state_beside_look_alikes_that_need_one(
    tmp_path: Path,
) -> None:
    """One model (nothing to swap) earns its role's half of explicit contracts; the loose predictors earn none."""
    one_model = "import pytorch_lightning as pl\n\n\nclass BertModel(pl.LightningModule): ...\n"
    files = {"cola/models.py": one_model, "cola/inference.py": LOOSE_PREDICTORS}
    result = assess(tmp_path, "interfaces", "explicit_contracts", files)
    assert result.share == 0.25 and "1 of 2 roles have one implementation (one Model (BertModel))" in result.evidence
    files = {"cola/models.py": LIGHTNING_MODELS, "cola/inference.py": LOOSE_PREDICTORS}
    assert assess(tmp_path / "alternatives", "interfaces", "explicit_contracts", files).share == 0


LLM_EXTENSIONS = """from langchain_core.documents import BaseDocumentTransformer
from langchain_core.retrievers import BaseRetriever


class SentenceSplitter(BaseDocumentTransformer):
    def transform_documents(self, documents, **kwargs):
        return documents


class KeywordRetriever(BaseRetriever):
    def _get_relevant_documents(self, query, *, run_manager):
        return []
"""


def test_llm_framework_extension_points_are_framework_contracts(tmp_path: Path) -> None:
    """A LangChain document transformer and retriever plug into the framework's chains."""
    result = assess(tmp_path / "ext", "interfaces", "framework_contracts", {"splitkit/splitters.py": LLM_EXTENSIONS})
    assert result.share == 1
    assert result.evidence.startswith("LangChain document transformer: SentenceSplitter (splitkit/splitters.py:5)")
    # Look-alike: the framework's own package subclassing its own bases follows no outside contract.
    own = {"langchain_core/__init__.py": "", "langchain_core/splitters.py": LLM_EXTENSIONS}
    assert assess(tmp_path / "own", "interfaces", "framework_contracts", own).share == 0


def test_alternatives_extending_different_classes_of_one_framework_share_its_contract(tmp_path: Path) -> None:
    """Two models built on two model classes of one library (`SRModel`, `SRGANModel`) are that library's models,
    swappable through its contract: half for the role, as for one imported base."""
    models = (
        "from restorekit.models.sr_model import SRModel\nfrom restorekit.models.srgan_model import SRGANModel\n\n\n"
        "class NetModel(SRModel):\n    def feed_data(self, data):\n        self.lq = data\n\n\n"
        "class GanModel(SRGANModel):\n    def feed_data(self, data):\n        self.lq = data\n"
    )
    files = {"deblur/models.py": models, "deblur/inference.py": LOOSE_PREDICTORS}
    result = assess(tmp_path, "interfaces", "shared_bases", files)
    assert result.share == 0.25 and "2 Model classes extend SRGANModel, SRModel of restorekit" in result.evidence


def test_alternatives_of_different_packages_or_of_record_libraries_share_no_framework(tmp_path: Path) -> None:
    """Bases from two different libraries, or two pydantic record kinds, are no shared framework contract."""
    models = (
        "from restorekit.models import SRModel\nfrom ganlib.models import GANModel\n\n\n"
        "class NetModel(SRModel): ...\n\n\nclass GanModel(GANModel): ...\n"
    )
    files = {"deblur/models.py": models, "deblur/inference.py": LOOSE_PREDICTORS}
    assert assess(tmp_path / "two", "interfaces", "shared_bases", files).share == 0
    records = (
        "from pydantic import RootModel\nfrom pydantic.generics import GenericModel\n\n\n"
        "class TagsModel(RootModel[list[str]]): ...\n\n\nclass PageModel(GenericModel):\n    text: str\n"
    )
    files = {"deblur/schemas.py": records, "deblur/inference.py": LOOSE_PREDICTORS}
    assert assess(tmp_path / "records", "interfaces", "shared_bases", files).share == 0


HF_EXTENSIONS = """import torch
import transformers
from trl import SFTTrainer


class StopOnSequence(transformers.StoppingCriteria):
    def __init__(self, stop_ids):
        self.stop_ids = stop_ids

    def __call__(self, input_ids, scores, **kwargs):
        return input_ids[0, -len(self.stop_ids) :].tolist() == self.stop_ids


class WeightedLossTrainer(SFTTrainer):
    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        outputs = model(**inputs)
        return (outputs.loss, outputs) if return_outputs else outputs.loss
"""
HF_LOOKALIKE = """import torch
from trl import SFTConfig


class StopOnSequence:
    def __init__(self, stop_ids):
        self.stop_ids = stop_ids

    def __call__(self, input_ids):
        return input_ids[0, -len(self.stop_ids) :].tolist() == self.stop_ids


class RunConfig(SFTConfig):
    pass
"""


def test_hugging_face_generation_hooks_and_trainers_are_framework_contracts(tmp_path: Path) -> None:
    """A StoppingCriteria plugs into generate(), a TRL trainer subclass into the training loop."""
    result = assess(tmp_path, "interfaces", "framework_contracts", {"evalkit/generation.py": HF_EXTENSIONS})
    assert result.share == 1
    assert result.evidence == (
        "transformers generation hook: StopOnSequence (evalkit/generation.py:6); "
        "TRL trainer: WeightedLossTrainer (evalkit/generation.py:14)"
    )


def test_a_plain_callable_and_a_trainer_config_subclass_follow_no_hugging_face_contract(tmp_path: Path) -> None:
    """Look-alike: a stopping rule written as a plain class, and a subclass of TRL's config (a settings record)."""
    assert assess(tmp_path, "interfaces", "framework_contracts", {"evalkit/generation.py": HF_LOOKALIKE}).share == 0


def test_a_mapping_of_names_to_classes_of_the_own_package_is_a_registry(tmp_path: Path) -> None:
    metric = "class {name}:\n    def score(self, hyp, ref):\n        return float(hyp == ref)\n"
    files = {
        "evalkit/__init__.py": "",
        "evalkit/metrics/regression.py": metric.format(name="RegressionMetric"),
        "evalkit/metrics/ranking.py": metric.format(name="RankingMetric"),
        "evalkit/metrics/__init__.py": (
            "from .ranking import RankingMetric\nfrom .regression import RegressionMetric\n\n"
            'str2model = {"regression": RegressionMetric, "ranking": RankingMetric}\n'
        ),
    }
    result = assess(tmp_path / "own", "interfaces", "registry_or_factory", files)
    assert result.share == 1
    assert "str2model at evalkit/metrics/__init__.py:4 maps names to RankingMetric, RegressionMetric" in result.evidence
    # Look-alike: the same mapping to constants the package defines (UPPER_CASE names) picks no component.
    labels = {
        "evalkit/__init__.py": "",
        "evalkit/labels.py": "CAT = 0\nDOG = 1\n",
        "evalkit/names.py": 'from evalkit.labels import CAT, DOG\n\nLABELS = {"cat": CAT, "dog": DOG}\n',
    }
    assert assess(tmp_path / "labels", "interfaces", "registry_or_factory", labels).evidence == NO_REGISTRY


def test_a_function_building_a_component_from_a_module_its_caller_names_is_a_factory(tmp_path: Path) -> None:
    """`importlib.import_module(f"pkg.exps.{name}").Exp()` and a loop over the named module's classes build the
    component the caller names. Look-alikes: an optional-dependency helper that hands the module back, a module
    `__getattr__` importing lazily, and a fixed module name build nothing."""
    helpers = (
        "import importlib\n\n\n"
        "def require(package):\n"
        "    return importlib.import_module(package)\n\n\n"
        "def __getattr__(name):\n"
        "    module = importlib.import_module(f'.{name}', __name__)\n"
        "    return getattr(module, name)\n\n\n"
        "def has_cuda():\n"
        "    return importlib.import_module('torch').cuda.is_available()\n"
    )
    assert assess(tmp_path / "a", "interfaces", "registry_or_factory", {"det/util.py": helpers}).evidence == NO_REGISTRY
    by_module = (
        "import importlib\n\n\n"
        "def get_exp_by_name(exp_name):\n"
        "    module = '.'.join(['det', 'exps', exp_name.replace('-', '_')])\n"
        "    return importlib.import_module(module).Exp()\n"
    )
    result = assess(tmp_path / "b", "interfaces", "registry_or_factory", {"det/build.py": by_module})
    assert (
        result.evidence
        == "factory get_exp_by_name() at det/build.py:4 builds a component from a module its caller names"
    )
    by_class = (
        "import importlib\n\n\n"
        "def find_model_using_name(model_name):\n"
        "    modellib = importlib.import_module('models.' + model_name + '_model')\n"
        "    for name, cls in modellib.__dict__.items():\n"
        "        if name.lower() == model_name.lower() + 'model':\n"
        "            return cls\n"
        "    raise ValueError(model_name)\n"
    )
    assert assess(tmp_path / "c", "interfaces", "registry_or_factory", {"models/__init__.py": by_class}).share == 1


SPEECH_MODELS = (
    "class WhisperModel:\n    def __init__(self, path):\n        self.path = path\n\n"
    "    def transcribe(self, audio):\n        return [audio]\n\n    def detect_language(self, audio):\n        return 'en'\n\n\n"
    "class VadModel:\n    def __init__(self, path):\n        self.path = path\n\n"
    "    def __call__(self, audio):\n        return [0.5]\n"
)


def test_role_named_classes_with_no_method_in_common_are_separate_components(tmp_path: Path) -> None:
    """An ASR `WhisperModel` (transcribe) and a `VadModel` (called on audio) share a suffix, not a job: no caller
    can use one for the other, so each is one implementation with nothing to swap yet (half), not two models
    missing a base (none). Two models both offering `transcribe` with no base of their own still earn nothing."""
    files = {"asr/models.py": SPEECH_MODELS}
    for key in ("shared_bases", "registry_or_factory"):
        result = assess(tmp_path / "a", "interfaces", key, files)
        assert result.share == 0.5 and "WhisperModel" in result.evidence and "VadModel" in result.evidence
    rival = SPEECH_MODELS.replace(
        "def __call__(self, audio):\n        return [0.5]", "def transcribe(self, audio):\n        return []"
    )
    result = assess(tmp_path / "b", "interfaces", "shared_bases", {"asr/models.py": rival})
    assert result.share == 0.0


def test_role_of_different_jobs_is_judged_beside_roles_of_one_class_and_loose_look_alikes(tmp_path: Path) -> None:
    """Judged role by role: the two speech models doing different jobs are one implementation each (half), one
    tokenizer has nothing to swap (half), two predictors sharing nothing are the gap (none)."""
    tokenizer = "class TextTokenizer:\n    def tokenize(self, text):\n        return text.split()\n"
    files = {"asr/models.py": SPEECH_MODELS, "asr/predict.py": LOOSE_PREDICTORS, "asr/text.py": tokenizer}
    result = assess(tmp_path, "interfaces", "shared_bases", files)
    assert abs(result.share - 1 / 3) < 1e-9
    assert "2 Model classes doing different jobs" in result.evidence and "one Tokenizer" in result.evidence


def test_hugging_face_pipelines_are_framework_contracts(tmp_path: Path) -> None:
    """A transformers `Pipeline` subclass fills the hooks `pipeline()` drives; a diffusers pipeline (the base or a
    concrete one) and a diffusers `ModelMixin` plug into from_pretrained. A class of those packages that is no
    pipeline (`transformers.AutoTokenizer` wrapped) and a local class named `...Pipeline` follow no contract."""
    code = (
        "from diffusers import ModelMixin, StableDiffusionPipeline\nfrom transformers import Pipeline\n\n\n"
        "class AsrPipeline(Pipeline):\n    def _forward(self, inputs):\n        return inputs\n\n\n"
        "class SpectrogramPipeline(StableDiffusionPipeline):\n    def __call__(self, prompt):\n        return prompt\n\n\n"
        "class Vocoder(ModelMixin):\n    def forward(self, mel):\n        return mel\n"
    )
    result = assess(tmp_path / "a", "interfaces", "framework_contracts", {"speech/pipes.py": code})
    assert result.share == 1 and "diffusers model: Vocoder" in result.evidence
    assert (
        "transformers pipeline: AsrPipeline" in result.evidence
        and "diffusers pipeline: SpectrogramPipeline" in result.evidence
    )
    plain = (
        "from transformers import AutoTokenizer\n\n\nclass BatchPipeline:\n    def run(self, items):\n        return items\n\n\n"
        "class Tokenizer(AutoTokenizer):\n    def split(self, text):\n        return text.split()\n"
    )
    assert assess(tmp_path / "b", "interfaces", "framework_contracts", {"speech/pipes.py": plain}).share == 0


SKLEARN_SUBCLASSES = """import numpy as np
import sklearn.linear_model as sk_lr
from sklearn.cluster import KMeans as SkKMeans
from sklearn.exceptions import ConvergenceWarning


class PrivateLogisticRegression(sk_lr.LogisticRegression):
    def fit(self, X, y, sample_weight=None):
        noisy = X + np.random.laplace(scale=1.0 / self.epsilon, size=X.shape)
        return super().fit(noisy, y, sample_weight)


class PrivateKMeans(SkKMeans):
    def fit(self, X, y=None, sample_weight=None):
        return super().fit(X, y, sample_weight)


class BudgetWarning(ConvergenceWarning):
    pass
"""


def test_a_subclass_of_a_concrete_sklearn_estimator_follows_the_estimator_contract(tmp_path: Path) -> None:
    """A differentially private LogisticRegression extending sklearn's is an estimator as sklearn defines one.
    Look-alike: a warning extending sklearn's ConvergenceWarning is no estimator."""
    result = assess(tmp_path / "est", "interfaces", "framework_contracts", {"dplib/models.py": SKLEARN_SUBCLASSES})
    assert (result.share, result.evidence) == (
        0.5,
        "scikit-learn estimator: PrivateLogisticRegression (dplib/models.py:7)",
    )
    warnings_only = SKLEARN_SUBCLASSES.split("\n\n\nclass PrivateLogisticRegression", maxsplit=1)[0] + (
        "\n\n\nclass BudgetWarning(ConvergenceWarning):\n    pass\n"
    )
    lookalike = assess(tmp_path / "warn", "interfaces", "framework_contracts", {"dplib/models.py": warnings_only})
    assert lookalike.share == 0


SUBCLASS_REGISTRY = """class BaseEncoder:
    def fit(self, column):
        raise NotImplementedError


class OneHotEncoder(BaseEncoder):
    def fit(self, column):
        return sorted(set(column))


class FrequencyEncoder(BaseEncoder):
    def fit(self, column):
        return {value: column.count(value) for value in column}


ENCODERS = {encoder.__name__: encoder for encoder in BaseEncoder.__subclasses__()}


def find_subclasses(cls):
    found = {}
    for sub in cls.__subclasses__():
        found[sub.__name__] = sub
    return found
"""


def test_subclasses_collected_by_name_are_a_registry(tmp_path: Path) -> None:
    """A mapping of a base class's subclasses by name (a comprehension, or a loop filling a dict) picks components
    by name as a registry does. Look-alike: subclasses listed, or counted, by no name pick nothing."""
    result = assess(tmp_path / "reg", "interfaces", "registry_or_factory", {"tabular/encoders.py": SUBCLASS_REGISTRY})
    assert result.evidence == "subclasses of a base class registered by name at tabular/encoders.py:16"
    listed = SUBCLASS_REGISTRY.replace(
        "{encoder.__name__: encoder for encoder in", "{encoder: 0 for encoder in"
    ).replace("found[sub.__name__] = sub", "found[sub] = sub")
    lookalike = assess(tmp_path / "list", "interfaces", "registry_or_factory", {"tabular/encoders.py": listed})
    assert "subclasses of a base class" not in lookalike.evidence


HOOK_REGISTRY = """class Serializable:
    registry = {}
    serializable_name = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.serializable_name is not None:
            cls.registry[cls.serializable_name] = cls


class Flip(Serializable):
    serializable_name = "flip"


def from_dict(spec):
    return Serializable.registry[spec["name"]](**spec["params"])
"""


def test_subclasses_filed_by_name_as_they_are_defined_are_a_registry(tmp_path: Path) -> None:
    """A base whose `__init_subclass__` files each subclass in a mapping under a name (`cls.registry[cls.name] =
    cls`) is a registry every subclass joins by being defined. Look-alike: a hook that only counts or checks its
    subclasses (`cls.registry[cls.name] = 0`) files no class to pick."""
    result = assess(tmp_path / "reg", "interfaces", "registry_or_factory", {"augs/core.py": HOOK_REGISTRY})
    assert result.evidence == "subclasses of a base class registered by name at augs/core.py:5"
    counted = HOOK_REGISTRY.replace(
        "cls.registry[cls.serializable_name] = cls", "cls.registry[cls.serializable_name] = 0"
    )
    lookalike = assess(tmp_path / "count", "interfaces", "registry_or_factory", {"augs/core.py": counted})
    assert "subclasses of a base class" not in lookalike.evidence


RAG_STAGES = """from haystack import component
from llama_index.core.readers.base import BaseReader
from llama_index.core.schema import Document


class CsvRowReader(BaseReader):
    def load_data(self, file, extra_info=None):
        return [Document(text=line) for line in open(file)]


@component
class KeywordRanker:
    @component.output_types(documents=list)
    def run(self, query: str, documents: list) -> dict:
        return {"documents": sorted(documents, key=lambda d: query in d.content, reverse=True)}
"""


def test_rag_ingestion_and_ranking_stages_follow_framework_contracts(tmp_path: Path) -> None:
    """A LlamaIndex reader and a Haystack `@component` plug into their framework's pipelines."""
    result = assess(tmp_path / "rag", "interfaces", "framework_contracts", {"ragkit/stages.py": RAG_STAGES})
    assert result.share == 1
    assert "LlamaIndex reader: CsvRowReader (ragkit/stages.py:6)" in result.evidence
    assert "Haystack component: KeywordRanker (ragkit/stages.py:12)" in result.evidence
    # Look-alike: a decorator named `component` of the project's own (a UI widget registry) and a reader base of
    # its own register nothing with an outside framework.
    own = (
        "from ragkit.ui import component\n\n\nclass BaseReader:\n    def load_data(self, file): ...\n\n\n"
        "class CsvRowReader(BaseReader):\n    def load_data(self, file):\n        return []\n\n\n"
        "@component\nclass Sidebar:\n    def render(self) -> str:\n        return ''\n"
    )
    files = {"ragkit/__init__.py": "", "ragkit/ui.py": "def component(cls):\n    return cls\n", "ragkit/stages.py": own}
    assert assess(tmp_path / "own", "interfaces", "framework_contracts", files).share == 0


def test_a_framework_base_from_another_distribution_of_a_shared_namespace_is_an_outside_contract(
    tmp_path: Path,
) -> None:
    """`llama_index/readers/csvrows/` (no `llama_index/__init__.py`) extends `llama_index.core`'s reader: another
    distribution of the namespace, an outside framework; a project whose `llama_index/` is a regular package owns
    it."""
    reader = (
        "from llama_index.core.readers.base import BaseReader\n\n\n"
        "class CsvRowReader(BaseReader):\n    def load_data(self, file, extra_info=None):\n        return []\n"
    )
    files = {"llama_index/readers/csvrows/__init__.py": "", "llama_index/readers/csvrows/base.py": reader}
    result = assess(tmp_path / "ns", "interfaces", "framework_contracts", files)
    assert result.share == 0.5
    assert result.evidence == "LlamaIndex reader: CsvRowReader (llama_index/readers/csvrows/base.py:4)"
    owned = {**files, "llama_index/__init__.py": "", "llama_index/core/__init__.py": ""}
    assert assess(tmp_path / "owned", "interfaces", "framework_contracts", owned).share == 0


def test_lightning_strategies_plugins_and_accelerators_are_framework_contracts(tmp_path: Path) -> None:
    code = (
        "from pytorch_lightning.accelerators import CUDAAccelerator\nfrom pytorch_lightning.strategies import DDPStrategy"
        "\n\n\nclass ClusterStrategy(DDPStrategy):\n    def setup_environment(self):\n        return None\n\n\n"
        "class LazyCUDAAccelerator(CUDAAccelerator):\n    def setup_device(self, device):\n        return None\n"
    )
    result = assess(tmp_path / "a", "interfaces", "framework_contracts", {"cluster/strategy.py": code})
    assert result.share == 1
    assert result.evidence == (
        "Lightning strategy: ClusterStrategy (cluster/strategy.py:5); "
        "Lightning accelerator: LazyCUDAAccelerator (cluster/strategy.py:10)"
    )
    # Look-alike: a class named like a strategy that extends a utility of the same package is no extension point
    utility = code.replace(
        "from pytorch_lightning.strategies import DDPStrategy",
        "from pytorch_lightning.utilities import AttributeDict as DDPStrategy",
    ).replace("(CUDAAccelerator)", "")
    assert assess(tmp_path / "b", "interfaces", "framework_contracts", {"cluster/strategy.py": utility}).share == 0


SPACY_COMPONENTS = """from spacy.language import Language


@Language.factory("keyword_tagger", default_config={"threshold": 0.5})
def make_keyword_tagger(nlp, name, threshold):
    return KeywordTagger(nlp.vocab, threshold)


class KeywordTagger:
    def __init__(self, vocab, threshold):
        self.vocab, self.threshold = vocab, threshold

    def __call__(self, doc):
        return doc
"""


SPACY_TRAINABLE = """from spacy.pipeline import TrainablePipe


class SenseClassifier(TrainablePipe):
    def predict(self, docs):
        return [self.model(doc) for doc in docs]
"""


def test_spacy_factories_and_trainable_pipes_follow_the_spacy_component_contract(tmp_path: Path) -> None:
    """`nlp.add_pipe("keyword_tagger")` builds the component through its registered factory; a TrainablePipe
    subclass plugs into spaCy's training loop."""
    result = assess(tmp_path / "spacy", "interfaces", "framework_contracts", {"nlptools/pipes.py": SPACY_COMPONENTS})
    assert "spaCy pipeline component: make_keyword_tagger (nlptools/pipes.py:5)" in result.evidence
    trainable = assess(tmp_path / "pipe", "interfaces", "framework_contracts", {"nlptools/pipes.py": SPACY_TRAINABLE})
    assert "spaCy pipeline component: SenseClassifier (nlptools/pipes.py:4)" in trainable.evidence
    # Look-alike: a factory decorator of the project's own (a registry of report builders) registers nothing with
    # spaCy, and a plain class with `__call__` is no component of any framework.
    own = (
        "from nlptools.reports import Language\n\n\n"
        "@Language.factory('summary')\ndef make_summary(rows):\n    return Summary(rows)\n\n\n"
        "class Summary:\n    def __call__(self, doc):\n        return doc\n"
    )
    lookalike = assess(tmp_path / "own", "interfaces", "framework_contracts", {"nlptools/pipes.py": own})
    assert lookalike.share == 0 and "spaCy" not in lookalike.evidence


SHIM = (
    "try:\n    from torch.utils.data import IterableDataset\nexcept ModuleNotFoundError:\n\n"
    "    class IterableDataset:\n        pass\n"
)
STAGES = (
    "from .backend import IterableDataset\nfrom .base import Stage\n\n\n"
    "class ShardStream(IterableDataset):\n    def __iter__(self):\n        return iter(())\n\n\n"
    "class Decode(Stage):\n    def run(self, sample):\n        return sample\n"
)


def test_a_framework_base_imported_through_a_project_shim_module_is_a_framework_contract(tmp_path: Path) -> None:
    """`from .backend import IterableDataset`, where backend.py re-exports torch's (with a stand-in when torch is
    missing), makes ShardStream a torch Dataset. Look-alike: `Stage`, the project's own class, is no contract."""
    files = {"shards/__init__.py": "", "shards/backend.py": SHIM, "shards/stages.py": STAGES}
    files["shards/base.py"] = "class Stage:\n    def run(self, sample):\n        raise NotImplementedError\n"
    result = assess(tmp_path / "a", "interfaces", "framework_contracts", files)
    assert result.evidence == "torch Dataset: ShardStream (shards/stages.py:5)"
    own = {**files, "shards/stages.py": STAGES.replace("(IterableDataset)", "(Stage)")}
    assert assess(tmp_path / "b", "interfaces", "framework_contracts", own).share == 0


KERAS_SHIM = """from tuneit.backend.config import multi_backend

if multi_backend():
    from keras import *
else:
    from tensorflow.keras import *
"""


KERAS_USERS = """from tuneit.backend import keras


class StopOnNaN(keras.callbacks.Callback):
    def on_batch_end(self, batch, logs=None):
        return None


class Augment(keras.layers.Layer):
    def call(self, inputs):
        return inputs
"""


OWN_LAYER = """from keras.layers import *


class Layer:
    def __call__(self, inputs):
        return self.call(inputs)
"""


OWN_LAYER_USER = """from tuneit.backend import layers


class Augment(layers.Layer):
    def call(self, inputs):
        return inputs
"""


def test_a_base_reached_through_a_project_module_re_exporting_a_framework_follows_its_contract(tmp_path: Path) -> None:
    """`tuneit/backend/keras.py` only star-imports keras (or tf.keras): a class extending `backend.keras.layers.Layer`
    extends Keras's Layer; look-alike: a module that star-imports keras's layers but defines its own `Layer` is no
    re-export, and a class extending that `Layer` follows no framework contract."""
    files = {
        "tuneit/__init__.py": "",
        "tuneit/backend/__init__.py": "",
        "tuneit/backend/config.py": "def multi_backend():\n    return True\n",
        "tuneit/backend/keras.py": KERAS_SHIM,
        "tuneit/engine.py": KERAS_USERS,
    }
    result = assess(tmp_path / "a", "interfaces", "framework_contracts", files)
    assert result.share == 1
    assert (
        result.evidence == "Keras callback: StopOnNaN (tuneit/engine.py:4); Keras Layer: Augment (tuneit/engine.py:9)"
    )
    own = {**files, "tuneit/backend/layers.py": OWN_LAYER, "tuneit/engine.py": OWN_LAYER_USER}
    assert assess(tmp_path / "b", "interfaces", "framework_contracts", own).share == 0


def test_a_base_reached_through_a_relatively_imported_re_export_shim_follows_its_contract(tmp_path: Path) -> None:
    """`from ..backend import keras` binds the same shim a relative import away: `keras.layers.Layer` there is
    Keras's Layer; look-alike: `from ..backend import layers`, a module defining its own `Layer`, is no re-export."""
    files = {
        "tuneit/__init__.py": "",
        "tuneit/backend/__init__.py": "",
        "tuneit/backend/config.py": "def multi_backend():\n    return True\n",
        "tuneit/backend/keras.py": KERAS_SHIM,
        "tuneit/engine/__init__.py": "",
        "tuneit/engine/tuner.py": KERAS_USERS.replace("from tuneit.backend import", "from ..backend import"),
    }
    result = assess(tmp_path / "a", "interfaces", "framework_contracts", files)
    assert result.share == 1
    assert result.evidence == (
        "Keras callback: StopOnNaN (tuneit/engine/tuner.py:4); Keras Layer: Augment (tuneit/engine/tuner.py:9)"
    )
    user = OWN_LAYER_USER.replace("from tuneit.backend import", "from ..backend import")
    own = {**files, "tuneit/backend/layers.py": OWN_LAYER, "tuneit/engine/tuner.py": user}
    assert assess(tmp_path / "b", "interfaces", "framework_contracts", own).share == 0


KERAS_EXTENSIONS = """import numpy as np
import tensorflow as tf
from tensorflow import keras


class ImageBatches(keras.utils.Sequence):
    def __init__(self, x, y, batch_size):
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return int(np.ceil(len(self.x) / self.batch_size))

    def __getitem__(self, idx):
        s = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
        return self.x[s], self.y[s]


class WarmUp(tf.keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, peak, steps):
        self.peak, self.steps = peak, steps

    def __call__(self, step):
        return self.peak * tf.minimum(1.0, tf.cast(step, tf.float32) / self.steps)
"""


def test_keras_sequences_and_learning_rate_schedules_follow_keras_contracts(tmp_path: Path) -> None:
    """A `keras.utils.Sequence` feeds `model.fit` batch by batch and a `LearningRateSchedule` is called by the
    optimizer each step: Keras drives both through their hooks; look-alike: a class merely named like one (no
    Keras base) follows no contract."""
    result = assess(tmp_path / "a", "interfaces", "framework_contracts", {"train/data.py": KERAS_EXTENSIONS})
    assert result.share == 1
    assert result.evidence == (
        "Keras Sequence: ImageBatches (train/data.py:6); Keras learning-rate schedule: WarmUp (train/data.py:18)"
    )
    plain = KERAS_EXTENSIONS.replace("(keras.utils.Sequence)", "").replace(
        "(tf.keras.optimizers.schedules.LearningRateSchedule)", ""
    )
    assert assess(tmp_path / "b", "interfaces", "framework_contracts", {"train/data.py": plain}).share == 0


def test_pymc_distributions_and_step_methods_are_framework_contracts(tmp_path: Path) -> None:
    """A PyMC distribution and step method plug into PyMC's sampler; a PyTensor Op into its graphs. Look-alike:
    PyMC's own distributions extend PyMC and follow no other framework's contract."""
    code = (
        "import pymc as pm\nfrom pymc.step_methods.arraystep import ArrayStepShared\n\n\n"
        "class TreePrior(pm.Continuous):\n    def logp(self, value):\n        return value\n\n\n"
        "class ParticleGibbs(ArrayStepShared):\n    def astep(self, q0):\n        return q0, []\n"
    )
    result = assess(tmp_path / "a", "interfaces", "framework_contracts", {"bart/model.py": code})
    assert result.share == 1
    assert result.evidence == (
        "PyMC distribution: TreePrior (bart/model.py:5); PyMC step method: ParticleGibbs (bart/model.py:10)"
    )
    own = {"pymc/__init__.py": "", "pymc/step_methods/__init__.py": "", "pymc/step_methods/gibbs.py": code}
    assert assess(tmp_path / "b", "interfaces", "framework_contracts", own).share == 0


def test_a_class_with_sklearn_parameter_protocol_is_a_duck_typed_estimator(tmp_path: Path) -> None:
    """`get_params` and `set_params` defined without `BaseEstimator` are the protocol `clone` and grid searches
    call. Look-alike: a class that only reports its settings with `get_params` implements no such protocol."""
    code = (
        "class Core:\n"
        "    def get_params(self, deep=False):\n        return {'lam': self.lam}\n\n"
        "    def set_params(self, **params):\n        self.__dict__.update(params)\n        return self\n\n\n"
        "class GAM(Core):\n    def fit(self, X, y):\n        return self\n"
    )
    result = assess(tmp_path / "a", "interfaces", "framework_contracts", {"gam/core.py": code})
    assert result.share == 0.5 and result.evidence == "scikit-learn estimator: Core (gam/core.py:1)"
    reporting = code.replace("def set_params", "def update")
    assert assess(tmp_path / "b", "interfaces", "framework_contracts", {"gam/core.py": reporting}).share == 0


def test_a_kedro_dataset_or_a_metaflow_flow_follows_its_pipeline_frameworks_contract(tmp_path: Path) -> None:
    code = (
        "from kedro.io import AbstractDataset\nfrom metaflow import FlowSpec, step\n\n\n"
        "class ParquetDataset(AbstractDataset):\n"
        "    def _load(self):\n        return read(self._path)\n\n"
        "    def _save(self, data):\n        write(data, self._path)\n\n"
        "    def _describe(self):\n        return {'path': self._path}\n\n\n"
        "class TrainFlow(FlowSpec):\n    @step\n    def start(self):\n        self.next(self.end)\n\n"
        "    @step\n    def end(self):\n        pass\n"
    )
    result = assess(tmp_path / "a", "interfaces", "framework_contracts", {"churn/pipeline.py": code})
    assert result.share == 1
    assert result.evidence == (
        "Kedro dataset: ParquetDataset (churn/pipeline.py:5); Metaflow flow: TrainFlow (churn/pipeline.py:16)"
    )
    # Look-alike: a home-made dataset and flow on bases of the project's own follow no framework's contract
    own = code.replace(
        "from kedro.io import AbstractDataset\nfrom metaflow import FlowSpec, step\n",
        "from .base import AbstractDataset, FlowSpec, step\n",
    )
    files = {
        "churn/__init__.py": "",
        "churn/base.py": "class AbstractDataset:\n    pass\n\n\nclass FlowSpec:\n    pass\n\n\ndef step(f):\n    return f\n",
        "churn/pipeline.py": own,
    }
    assert assess(tmp_path / "b", "interfaces", "framework_contracts", files).share == 0


GRADIO_COMPONENT = """from gradio.components.base import Component
from gradio.data_classes import FileData, GradioRootModel


class PairData(GradioRootModel):
    root: tuple[FileData | None, FileData | None] | None


class ImagePair(Component):
    data_model = PairData

    def preprocess(self, payload):
        return payload

    def postprocess(self, value):
        return value
"""


def test_a_gradio_custom_component_follows_a_contract_and_its_data_model_is_typed(tmp_path: Path) -> None:
    files = {"pair_component/__init__.py": "", "pair_component/pair.py": GRADIO_COMPONENT}
    assert assess(tmp_path / "g", "interfaces", "framework_contracts", files).share > 0
    assert assess(tmp_path / "g", "interfaces", "typed_data_objects").share > 0
    app = "import gradio as gr\n\n\nclass Demo:\n    def build(self):\n        return gr.Blocks()\n"
    plain = {"demo_app/__init__.py": "", "demo_app/ui.py": app}  # an app built with gradio extends none of its classes
    assert assess(tmp_path / "p", "interfaces", "framework_contracts", plain).share == 0
