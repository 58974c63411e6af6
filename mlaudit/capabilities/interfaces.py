"""Provides the capabilities of the `interfaces` practice: swappable parts behind shared contracts."""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from mlaudit.capabilities import Assessment, Capability, register_capability
from mlaudit.capabilities._common import code_files
from mlaudit.facts.distributions import is_standard_library
from mlaudit.facts.kind import is_example
from mlaudit.facts.reexported_names import reexported_names
from mlaudit.model import FileKind
from mlaudit.project import (
    FunctionNode,
    Project,
    PythonFile,
    assigned_values,
    is_self,
    is_self_attribute,
    module_name,
)
from mlaudit.rules.functions._shared import SCRIPT_STYLE_EXEMPT_DIRS
from mlaudit.rules.interfaces._shared import (
    ROLE_PATTERN,
    ClassInfo,
    ancestors,
    classes_of,
    component_groups,
    role_alternatives,
    without_interface,
)
from mlaudit.rules.interfaces.api006_import_time_dependency import HIDDEN_DEPENDENCIES_FACT, file_hidden_dependencies

TYPED_DECORATOR_NAMES = frozenset(
    {
        "dataclasses.dataclass",
        "pydantic.dataclasses.dataclass",
        "attr.s",
        "attr.attrs",
        "attr.define",
        "attr.frozen",
        "attrs.define",
        "attrs.frozen",
        "attrs.mutable",
        "chex.dataclass",
        "flax.struct.dataclass",
    }
)
TYPED_BASE_PREFIXES = (
    "pydantic.",
    "pydantic_settings.",
    "typing.NamedTuple",
    "typing.TypedDict",
    "typing_extensions.NamedTuple",
    "typing_extensions.TypedDict",
    "msgspec.Struct",
    "mmengine.structures.",  # BaseDataElement: fields set through typed properties (`gt_sem_seg: PixelData`)
    "gradio.data_classes.",  # GradioModel, GradioRootModel, FileData: pydantic models a component's data travels in
)
SPACY_COMPONENT = "spaCy pipeline component"
FRAMEWORK_BASES = {
    **dict.fromkeys(
        ("spacy.pipeline.Pipe", "spacy.pipeline.TrainablePipe", "spacy.pipeline.trainable_pipe.TrainablePipe"),
        SPACY_COMPONENT,
    ),
    "torch.utils.data.Dataset": "torch Dataset",
    "torch.utils.data.IterableDataset": "torch Dataset",
    "torch.nn.Module": "torch nn.Module",
    "pytorch_lightning.LightningModule": "LightningModule",
    "lightning.LightningModule": "LightningModule",
    "lightning.pytorch.LightningModule": "LightningModule",
    "pytorch_lightning.LightningDataModule": "LightningDataModule",
    "lightning.LightningDataModule": "LightningDataModule",
    "lightning.pytorch.LightningDataModule": "LightningDataModule",
    "sklearn.base.BaseEstimator": "scikit-learn estimator",
    "sklearn.base.TransformerMixin": "scikit-learn transformer",
    "tensorflow.keras.Model": "Keras Model",
    "tensorflow.keras.layers.Layer": "Keras Layer",
    "keras.Model": "Keras Model",
    "keras.layers.Layer": "Keras Layer",
    "transformers.PreTrainedModel": "transformers PreTrainedModel",
    "flax.linen.Module": "Flax Module",
    # extension points a framework drives: environments, wrappers and callbacks it calls through their hooks
    **dict.fromkeys(("gymnasium.Env", "gym.Env"), "gym environment"),
    **dict.fromkeys(
        (
            f"{package}.{wrapper}"
            for package in ("gymnasium", "gym")
            for wrapper in ("Wrapper", "ObservationWrapper", "ActionWrapper", "RewardWrapper")
        ),
        "gym wrapper",
    ),
    **dict.fromkeys(
        (
            "stable_baselines3.common.callbacks.BaseCallback",
            "stable_baselines3.common.callbacks.EventCallback",
            "stable_baselines3.common.callbacks.EvalCallback",
        ),
        "Stable-Baselines3 callback",
    ),
    **dict.fromkeys(
        (
            "pytorch_lightning.Callback",
            "pytorch_lightning.callbacks.Callback",
            "lightning.Callback",
            "lightning.pytorch.Callback",
            "lightning.pytorch.callbacks.Callback",
        ),
        "Lightning callback",
    ),
    "transformers.TrainerCallback": "transformers TrainerCallback",
    # a Gradio custom component: Blocks call its preprocess/postprocess/api_info hooks on each event
    **dict.fromkeys(
        (
            f"gradio.{module}{name}"
            for module in ("", "components.", "components.base.")
            for name in ("Component", "FormComponent")
        ),
        "Gradio component",
    ),
    **dict.fromkeys(("tensorflow.keras.callbacks.Callback", "keras.callbacks.Callback"), "Keras callback"),
    # Keras's other extension points: what feeds fit (a Sequence, Keras 3's PyDataset) and what compile and the
    # layers take (a loss, metric, learning-rate schedule, optimizer, initializer, regularizer or constraint)
    **{
        f"{package}.{name}": label
        for package in ("keras", "tensorflow.keras", "tf_keras")
        for name, label in (
            ("utils.Sequence", "Keras Sequence"),
            ("utils.PyDataset", "Keras Sequence"),
            ("losses.Loss", "Keras loss"),
            ("metrics.Metric", "Keras metric"),
            ("optimizers.schedules.LearningRateSchedule", "Keras learning-rate schedule"),
            ("optimizers.Optimizer", "Keras optimizer"),
            ("initializers.Initializer", "Keras initializer"),
            ("regularizers.Regularizer", "Keras regularizer"),
            ("constraints.Constraint", "Keras constraint"),
        )
    },
}
# the extension points of LLM frameworks, by the module a component imports them from (`langchain_core.retrievers`):
# a retriever, chat model, embedding, tool or document transformer built on one plugs into the framework's chains
LLM_FRAMEWORK_BASES = {
    "LangChain document transformer": (
        "langchain_core.documents.BaseDocumentTransformer",
        "langchain_core.documents.transformers.BaseDocumentTransformer",
    ),
    "LangChain retriever": ("langchain_core.retrievers.BaseRetriever",),
    "LangChain model": (
        "langchain_core.language_models.BaseChatModel",
        "langchain_core.language_models.chat_models.BaseChatModel",
        "langchain_core.language_models.LLM",
        "langchain_core.language_models.llms.LLM",
    ),
    "LangChain embeddings": ("langchain_core.embeddings.Embeddings", "langchain_core.embeddings.embeddings.Embeddings"),
    "LangChain tool": ("langchain_core.tools.BaseTool",),
    "LangChain callback": (
        "langchain_core.callbacks.BaseCallbackHandler",
        "langchain_core.callbacks.base.BaseCallbackHandler",
    ),
    "LangChain vector store": ("langchain_core.vectorstores.VectorStore",),
    "LlamaIndex LLM": ("llama_index.core.llms.CustomLLM", "llama_index.core.llms.LLM"),
    "LlamaIndex retriever": ("llama_index.core.retrievers.BaseRetriever",),
    "LlamaIndex embedding": ("llama_index.core.embeddings.BaseEmbedding",),
    "LlamaIndex tool": ("llama_index.core.tools.BaseTool",),
    # the ingestion and ranking stages: a reader or loader turns files into the framework's documents, a splitter or
    # node parser cuts them into chunks, a postprocessor or compressor re-ranks or trims what a retriever found
    "LlamaIndex reader": ("llama_index.core.readers.base.BaseReader", "llama_index.core.readers.BaseReader"),
    "LlamaIndex node parser": (
        "llama_index.core.node_parser.NodeParser",
        "llama_index.core.node_parser.interface.NodeParser",
        "llama_index.core.node_parser.TextSplitter",
        "llama_index.core.node_parser.interface.TextSplitter",
    ),
    "LlamaIndex node postprocessor": (
        "llama_index.core.postprocessor.types.BaseNodePostprocessor",
        "llama_index.core.postprocessor.BaseNodePostprocessor",
    ),
    "LangChain document loader": (
        "langchain_core.document_loaders.BaseLoader",
        "langchain_core.document_loaders.base.BaseLoader",
    ),
    "LangChain text splitter": ("langchain_text_splitters.TextSplitter", "langchain_text_splitters.base.TextSplitter"),
    "LangChain document compressor": (
        "langchain_core.documents.BaseDocumentCompressor",
        "langchain_core.documents.compressor.BaseDocumentCompressor",
        "langchain.retrievers.document_compressors.base.BaseDocumentCompressor",
    ),
}
FRAMEWORK_BASES.update({base: label for label, bases in LLM_FRAMEWORK_BASES.items() for base in bases})
# the extension points of the Hugging Face stack, by the modules they are imported from: a stopping criterion or
# logits processor plugs into generate(), a trainer subclass into the training loop (compute_loss, its hooks), a
# dataset builder into load_dataset()
HF_EXTENSION_BASES = {
    "transformers generation hook": tuple(
        f"transformers.{module}{name}"
        for module in ("", "generation.", "generation.stopping_criteria.", "generation.logits_process.")
        for name in ("StoppingCriteria", "LogitsProcessor", "LogitsWarper")
    ),
    "transformers Trainer": (
        "transformers.Trainer",
        "transformers.Seq2SeqTrainer",
        "transformers.trainer.Trainer",
        "transformers.trainer_seq2seq.Seq2SeqTrainer",
    ),
    "datasets builder": tuple(
        f"datasets.{module}{name}"
        for module in ("", "builder.")
        for name in ("GeneratorBasedBuilder", "ArrowBasedBuilder", "DatasetBuilder")
    ),
}
FRAMEWORK_BASES.update({base: label for label, bases in HF_EXTENSION_BASES.items() for base in bases})
TRL_PACKAGE = "trl."  # TRL's trainers (`trl.SFTTrainer`, `trl.trainer.dpo_trainer.DPOTrainer`) extend the Trainer
# Hugging Face pipelines, by package: a subclass of transformers' `Pipeline` (or a task pipeline) fills the
# preprocess/_forward/postprocess hooks `pipeline()` drives; one of diffusers' `DiffusionPipeline` (or a concrete
# `StableDiffusionPipeline`) registers its modules for from_pretrained/save_pretrained.
HF_PIPELINE_PACKAGES = {"transformers": "transformers pipeline", "diffusers": "diffusers pipeline"}
FRAMEWORK_BASES.update(
    dict.fromkeys(
        ("diffusers.ModelMixin", "diffusers.models.ModelMixin", "diffusers.models.modeling_utils.ModelMixin"),
        "diffusers model",
    )
)

# the extension points of ML pipeline frameworks: a Kedro dataset plugs into the Data Catalog that loads and saves
# every node's inputs and outputs, a Kedro runner executes a pipeline, a Metaflow flow's steps run on any of its
# schedulers, a ZenML materializer stores a step's artifacts, a Flyte type transformer moves a type between tasks
PIPELINE_FRAMEWORK_BASES = {
    "Kedro dataset": tuple(
        f"kedro.io.{module}{name}"
        for module in ("", "core.")
        for name in ("AbstractDataset", "AbstractVersionedDataset", "CachedDataset")
    ),
    "Kedro runner": ("kedro.runner.AbstractRunner", "kedro.runner.runner.AbstractRunner"),
    "Metaflow flow": ("metaflow.FlowSpec", "metaflow.flowspec.FlowSpec"),
    "ZenML materializer": (
        "zenml.materializers.BaseMaterializer",
        "zenml.materializers.base_materializer.BaseMaterializer",
    ),
    "Flyte type transformer": ("flytekit.extend.TypeTransformer", "flytekit.core.type_engine.TypeTransformer"),
}
FRAMEWORK_BASES.update({base: label for label, bases in PIPELINE_FRAMEWORK_BASES.items() for base in bases})

# Decorators that make a class a framework's component: Haystack's `@component` registers a class whose `run()`
# declares typed input and output sockets, so a Pipeline can connect it to any other component.
FRAMEWORK_DECORATORS = {
    "haystack.component": "Haystack component",
    "haystack.core.component.component": "Haystack component",
    # spaCy's factories register a component class or the function building one under a name `nlp.add_pipe` takes
    **dict.fromkeys(
        (f"{module}.Language.{hook}" for module in ("spacy", "spacy.language") for hook in ("factory", "component")),
        SPACY_COMPONENT,
    ),
}


JAX_PYTREE = "JAX pytree"
# Decorators and calls that register a class as a JAX pytree: its instances pass through jit, grad and vmap as
# JAX's functional transformations require of every state or parameter container.
PYTREE_DECORATORS = frozenset(
    {
        "jax.tree_util.register_pytree_node_class",
        "jax.tree_util.register_pytree_with_keys_class",
        "jax.tree_util.register_dataclass",
        "jax.tree_util.register_static",
        "flax.struct.dataclass",
        "chex.dataclass",
    }
)
PYTREE_REGISTRATIONS = frozenset(
    {
        "jax.tree_util.register_pytree_node",
        "jax.tree_util.register_pytree_with_keys",
        "jax.tree_util.register_dataclass",
    }
)


# Extension points of modelling frameworks, by module prefix (any class there): a subclass plugs into the framework's
# inference, optimisation or message passing as the framework defines it.
FRAMEWORK_PREFIXES = (
    ("torch.autograd.Function", "torch autograd Function"),
    ("torch.distributions.", "torch Distribution"),
    ("torch.optim.Optimizer", "torch Optimizer"),
    ("torch.optim.lr_scheduler.", "torch LR scheduler"),
    ("torch.utils.data.sampler.", "torch Sampler"),  # `Sampler`, `BatchSampler`: what a DataLoader draws indices from
    ("torch.utils.data.Sampler", "torch Sampler"),
    ("torch.utils.data.BatchSampler", "torch Sampler"),
    ("torch.utils.data.distributed.DistributedSampler", "torch Sampler"),
    ("gpytorch.models.", "GPyTorch model"),
    ("gpytorch.kernels.", "GPyTorch kernel"),
    ("gpytorch.likelihoods.", "GPyTorch likelihood"),
    ("gpytorch.means.", "GPyTorch mean"),
    ("botorch.acquisition.", "BoTorch acquisition function"),
    ("botorch.models.", "BoTorch model"),
    ("pyro.distributions.", "Pyro distribution"),
    ("pyro.nn.", "Pyro module"),
    ("numpyro.distributions.", "NumPyro distribution"),
    ("tensorflow_probability.distributions.", "TFP distribution"),
    # PyMC's distributions (`pm.Continuous`, `pymc.distributions.distribution.Distribution`) and step methods
    # (`ArrayStepShared`), which its sampler assigns and drives, and PyTensor's graph Ops and random variables
    ("pymc.distributions.", "PyMC distribution"),
    *((f"pymc.{name}", "PyMC distribution") for name in ("Distribution", "Continuous", "Discrete")),
    ("pymc.step_methods.", "PyMC step method"),
    ("pytensor.graph.op.Op", "PyTensor Op"),
    ("pytensor.graph.Op", "PyTensor Op"),
    ("pytensor.tensor.random.op.RandomVariable", "PyTensor random variable"),
    ("torch_geometric.nn.", "PyG layer"),
    ("torch_geometric.data.", "PyG dataset"),
    ("dgl.data.", "DGL dataset"),
    ("equinox.Module", "Equinox Module"),
    ("haiku.Module", "Haiku Module"),
    ("flax.struct.PyTreeNode", JAX_PYTREE),
    # a Lightning strategy, plugin, accelerator or logger: the Trainer (or Fabric) drives it through its hooks
    *(
        (f"{package}.{module}.", f"Lightning {role}")
        for package in ("pytorch_lightning", "lightning.pytorch", "lightning.fabric", "lightning_fabric")
        for module, role in (
            ("strategies", "strategy"),
            ("plugins", "plugin"),
            ("accelerators", "accelerator"),
            ("loggers", "logger"),
        )
    ),
)


def framework_label(name: str) -> str | None:
    """Return the framework contract a resolved base class name implements, or None."""
    label = FRAMEWORK_BASES.get(name)
    if label is not None:
        return label
    if name.startswith(TRL_PACKAGE) and name.endswith("Trainer"):
        return "TRL trainer"
    package = name.split(".", 1)[0]
    if package in HF_PIPELINE_PACKAGES and "." in name and name.endswith("Pipeline"):
        return HF_PIPELINE_PACKAGES[package]
    if _sklearn_estimator(name):
        return "scikit-learn estimator"
    return next((found for prefix, found in FRAMEWORK_PREFIXES if name.startswith(prefix)), None)


# scikit-learn's modules of estimators: a subclass of one of their classes (`sklearn.linear_model.LogisticRegression`,
# `sklearn.ensemble._forest.RandomForestClassifier`) is an estimator, fit/predict/get_params as sklearn defines them
SKLEARN_ESTIMATOR_MODULES = frozenset(
    {
        "linear_model", "ensemble", "tree", "cluster", "decomposition", "preprocessing", "naive_bayes", "neighbors",
        "svm", "neural_network", "mixture", "covariance", "feature_selection", "manifold", "kernel_ridge",
        "gaussian_process", "discriminant_analysis", "cross_decomposition", "isotonic", "impute", "random_projection",
        "kernel_approximation", "semi_supervised", "compose", "pipeline", "dummy", "calibration", "multiclass",
    }
)  # fmt: skip
SKLEARN_MIXINS = frozenset({"ClassifierMixin", "RegressorMixin", "ClusterMixin", "OutlierMixin", "DensityMixin"})


def _sklearn_estimator(name: str) -> bool:
    """Return True for a class of sklearn's estimator modules (not an exception or warning there) or an estimator
    mixin of `sklearn.base`."""
    parts = name.split(".")
    if len(parts) < 3 or parts[0] != "sklearn":
        return False
    if parts[1] == "base":
        return parts[-1] in SKLEARN_MIXINS
    last = parts[-1]
    return parts[1] in SKLEARN_ESTIMATOR_MODULES and last[:1].isupper() and not last.endswith(("Warning", "Error"))


FACTORY_PREFIXES = ("create_", "build_", "make_", "get_", "instantiate", "load_")
INJECTORS = frozenset({"fastapi.Depends", "hydra.utils.instantiate", "hydra.utils.call", "dependency_injector"})
EVIDENCE_FACT = "interfaces.evidence"  # a per-file fact (mlaudit.filefacts)


@dataclass(frozen=True)
class InterfaceEvidence:
    """What one module shows of the interfaces capabilities, as evidence sentences (with `path:line`).

    `stubs` are the methods raising NotImplementedError, as (class, method, where); `framework`
    the first class per framework contract, as (label, "Name (where)").
    """

    registry: str | None
    injection: str | None
    mapping_factory: str | None
    typed: tuple[str, ...]
    framework: tuple[tuple[str, str], ...]
    stubs: tuple[tuple[str, str, str], ...]
    typed_params: tuple[TypedParameter, ...] = ()
    framework_classes: tuple[tuple[str, str], ...] = ()  # (class, framework contract) of every such class
    # functions returning different classes by their arguments: (evidence, the classes' names)
    branch_factories: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # framework classes whose base shares the module's top-level name (class, contract, where, the base's module):
    # the project's own unless that name is a namespace another distribution fills (`namespace_framework`)
    same_top: tuple[tuple[str, str, str, str], ...] = ()
    # bases imported relatively from a module of the project (class, the base's absolute name, where): a framework
    # class when that module re-exports one (`from .pytorch import IterableDataset`, a shim importing torch's)
    relative_bases: tuple[tuple[str, str, str], ...] = ()
    # bases under the module's own top-level name that name no framework (class, resolved base, where): one may
    # reach a framework through a module of the project re-exporting it (`from pkg.backend import keras`)
    own_bases: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class TypedParameter:
    """A function parameter annotated with a class: `sampler: BaseSampler` in `create_study` (one module's fact)."""

    annotation: str  # the class name, its last dotted part
    function: str
    where: str  # path:line
    owner: tuple[str, ...] = ()  # the enclosing class and its bases, for a method


def interface_evidence(pf: PythonFile) -> InterfaceEvidence:
    """Return the interfaces evidence of one module (a per-file fact)."""
    framework: dict[str, str] = {}
    classes: list[tuple[str, str]] = []
    own = module_name(pf.path).split(".", 1)[0]
    same_top: list[tuple[str, str, str, str]] = []
    relative: list[tuple[str, str, str]] = []
    own_bases: list[tuple[str, str, str]] = []
    for node in pf.nodes(ast.ClassDef):
        for base in node.bases:
            resolved = _resolved(pf, base)
            if not resolved and isinstance(base, ast.Name) and base.id in pf.from_imports:
                module, name = pf.from_imports[base.id]
                relative.append((node.name, f"{module}.{name}", pf.location(node.lineno)))
            label = framework_label(resolved)
            # `keras.layers.Layer` after `from ..backend import keras` (a bare name so imported is a relative base)
            reached = resolved or (_from_imported(pf, base) if isinstance(base, ast.Attribute) else "")
            if not label and reached.split(".", 1)[0] == own:
                own_bases.append((node.name, reached, pf.location(node.lineno)))
            if label and resolved.split(".", 1)[0] == own:  # its own bases, unless `own` is a shared namespace
                same_top.append((node.name, label, pf.location(node.lineno), resolved.rsplit(".", 1)[0]))
                label = None
            if label:
                classes.append((node.name, label))
            if label and label not in framework:
                framework[label] = f"{node.name} ({pf.location(node.lineno)})"
        label = _decorator_label(pf, node, own) or _duck_typed_estimator(node, own, classes)
        if label:
            classes.append((node.name, label))
            framework.setdefault(label, f"{node.name} ({pf.location(node.lineno)})")
    for func in pf.nodes(ast.FunctionDef):  # `@Language.factory("s2v") def make_s2v(nlp, name)`: builds one
        label = _decorator_label(pf, func, own) if isinstance(func, ast.FunctionDef) else None
        if label:
            classes.append((func.name, label))
            framework.setdefault(label, f"{func.name} ({pf.location(func.lineno)})")
    pytree = _pytree_class(pf) if own != "jax" else None
    if pytree is not None:
        classes.append((pytree[0], JAX_PYTREE))
        framework.setdefault(JAX_PYTREE, f"{pytree[0]} ({pf.location(pytree[1])})")
    typed = tuple(f"{node.name} ({pf.location(node.lineno)})" for node in pf.nodes(ast.ClassDef) if _is_typed(pf, node))
    typed += _typed_by_call(pf)
    return InterfaceEvidence(
        _registry_decorator(pf) or _registration_call(pf) or _subclass_registry(pf),
        _injection(pf),
        _mapping_factory(pf) or _name_mapping(pf) or _import_factory(pf),
        typed,
        tuple(framework.items()),
        _stub_methods(pf),
        _typed_parameters(pf),
        tuple(classes),
        _branch_factories(pf),
        tuple(same_top),
        tuple(relative),
        tuple(own_bases),
    )


SKLEARN_PARAMS_PROTOCOL = frozenset({"get_params", "set_params"})


def _duck_typed_estimator(node: ast.ClassDef, own: str, classes: list[tuple[str, str]]) -> str | None:
    """Return the scikit-learn estimator contract for a class that defines `get_params` and `set_params` itself
    (the parameter protocol `clone` and the searches call, which scikit-learn lets an estimator implement without
    `BaseEstimator`), unless a base already labelled it or the project is scikit-learn."""
    methods = {item.name for item in node.body if isinstance(item, ast.FunctionDef)}
    if own == "sklearn" or not methods >= SKLEARN_PARAMS_PROTOCOL or any(name == node.name for name, _ in classes):
        return None
    return "scikit-learn estimator"


def framework_classes(project: Project, pf: PythonFile) -> tuple[tuple[str, str, str], ...]:
    """Return (class, framework contract, where) of every class of the module implementing a framework contract.

    A base imported relatively from a module of the project counts when that module re-exports a framework's class
    (`from .pytorch import IterableDataset`, where `pytorch.py` imports torch's, with a stand-in for when torch is
    missing). A base under the module's own top-level name counts when that name is a namespace the project does not own:
    no `<top>/__init__.py` in the project and the base's module none of its files (`llama_index.core.readers.base`
    beside the project's `llama_index/readers/file/`: another distribution of the namespace), or when a module of the
    project it goes through re-exports a framework (`pkg.backend.keras.layers.Layer`)."""
    evidence = evidence_of(pf)
    where = dict(evidence.framework)
    found = [(name, label, where.get(label, "")) for name, label in evidence.framework_classes]
    for name, label, location, module in evidence.same_top:
        if _outside_namespace(project, module):
            found.append((name, label, f"{name} ({location})"))
    own = module_name(pf.path).split(".", 1)[0]
    for name, base, location in evidence.relative_bases:
        real = _normalised(reexported_names(project).resolve(base))
        contract = framework_label(real) if real.split(".", 1)[0] != own else None
        if contract:
            found.append((name, contract, f"{name} ({location})"))
    known = {name for name, label, _ in found if label == JAX_PYTREE}
    found.extend(c for c in _own_pytree_decorated(project, pf) if c[0] not in known)
    for name, base, location in evidence.own_bases:
        reexported = framework_label(_through_reexport(project, base))
        if reexported:
            found.append((name, reexported, f"{name} ({location})"))
    return tuple(found)


def _own_pytree_decorated(project: Project, pf: PythonFile) -> list[tuple[str, str, str]]:
    """Return (class, JAX pytree, where) for the module's top-level classes decorated by a function of the project
    that registers its argument as a pytree (`@nt_dataclasses.dataclass`, `@pytree_dataclass`: a dataclass wrapper
    calling `jax.tree_util.register_pytree_node(cls, ...)`)."""
    decorators = _pytree_registering_functions(project)
    if not decorators:
        return []  # most projects define none
    return [
        (name, JAX_PYTREE, f"{name} ({pf.location(line)})")
        for name, line, names in _pytree_parts(pf).decorated
        if decorators.intersection(names)
    ]


PYTREE_PARTS_FACT = "interfaces.pytree_parts"  # a per-file fact (mlaudit.filefacts)


@dataclass(frozen=True)
class PytreeParts:
    """What a module adds to pytree registration: its top-level functions that register a pytree (dotted names;
    only in a module importing jax), and its decorated top-level classes with their decorators' dotted names."""

    registering: tuple[str, ...]
    decorated: tuple[tuple[str, int, tuple[str, ...]], ...]


def pytree_parts(pf: PythonFile) -> PytreeParts:
    """Return the module's pytree-registering functions and decorated classes (a per-file fact)."""
    jax = any(m.split(".", 1)[0] == "jax" for m in pf.imported_modules)
    module = module_name(pf.path)
    body = pf.tree.body
    registering = tuple(
        f"{module}.{stmt.name}"
        for stmt in body
        if jax and isinstance(stmt, ast.FunctionDef) and _registers_pytree(pf, stmt)
    )
    decorated = tuple(
        (stmt.name, stmt.lineno, tuple(filter(None, (_decorator_name(pf, d) for d in stmt.decorator_list))))
        for stmt in body
        if isinstance(stmt, ast.ClassDef) and stmt.decorator_list
    )
    return PytreeParts(registering, decorated)


def _pytree_parts(pf: PythonFile) -> PytreeParts:
    found: PytreeParts = pf.file_fact(PYTREE_PARTS_FACT, pytree_parts)
    return found


def _decorator_name(pf: PythonFile, decorator: ast.expr) -> str | None:
    """Return a decorator's dotted name, through relative imports too (`from . import dataclasses`, then
    `@dataclasses.dataclass`: `pkg.utils.dataclasses.dataclass`)."""
    node = decorator.func if isinstance(decorator, ast.Call) else decorator
    return _from_imported(pf, node) or pf.qualname(node)


def _pytree_registering_functions(project: Project) -> frozenset[str]:
    """Return the dotted names of the library's top-level functions that register a pytree (computed once)."""

    def collect(p: Project) -> frozenset[str]:
        return frozenset(
            name for pf in p.python.values() if pf.kind is FileKind.LIBRARY for name in _pytree_parts(pf).registering
        )

    registering: frozenset[str] = project.fact("interfaces.pytree_registering_functions", collect)
    return registering


def _registers_pytree(pf: PythonFile, func: ast.FunctionDef) -> bool:
    """Return True when a function calls a pytree registration (`register_pytree_node(cls, flatten, unflatten)`)."""
    return any(pf.qualname(call.func) in PYTREE_REGISTRATIONS | PYTREE_DECORATORS for call in pf.within(func, ast.Call))


def _through_reexport(project: Project, name: str) -> str:
    """Return a dotted name with its longest prefix that is a re-exporting module of the project replaced by the
    package it re-exports (`pkg.backend.keras.layers.Layer` -> `keras.layers.Layer`), or the name unchanged."""
    reexports: dict[str, str] = project.fact("interfaces.reexports", _reexporting_modules)
    parts = name.split(".")
    for end in range(len(parts) - 1, 0, -1):
        package = reexports.get(".".join(parts[:end]))
        if package is not None:
            return ".".join([package, *parts[end:]])
    return name


def _reexporting_modules(project: Project) -> dict[str, str]:
    """Return the project's re-export shims by module name, with the package each stands for (`star_reexport`)."""
    found: dict[str, str] = {}
    for path, pf in project.python.items():
        package: str | None = pf.file_fact(STAR_REEXPORT_FACT, star_reexport)
        if package is not None:
            found[module_name(path)] = package
    return found


STAR_REEXPORT_FACT = "interfaces.star_reexport"  # a per-file fact (mlaudit.filefacts)


def star_reexport(pf: PythonFile) -> str | None:
    """Return the outside package a re-export shim stands for: a module defining no function or class that
    star-imports one (`from keras import *`, also under an `if` choosing between `keras` and `tensorflow.keras`:
    the first one counts); None for any other module (a per-file fact)."""
    if pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
        return None
    own = module_name(pf.path).split(".", 1)[0]
    stars = [
        node.module
        for node in pf.nodes(ast.ImportFrom)
        if isinstance(node, ast.ImportFrom) and not node.level and node.module
        if any(alias.name == "*" for alias in node.names) and node.module.split(".", 1)[0] != own
    ]
    return stars[0] if stars else None


def _outside_namespace(project: Project, module: str) -> bool:
    """Return True when a dotted module lies in a namespace package the project shares with other distributions:
    its top-level folder has no `__init__.py` here and no project file is the module or a package holding it."""
    modules: frozenset[str] = project.fact(
        "interfaces.module_names", lambda p: frozenset(module_name(path) for path in p.python)
    )
    parts = module.split(".")
    # `<top>/__init__.py` or `<top>.py` makes a regular package or module of the project; a file that is the module
    # or a package holding it makes it the project's own
    return not any(".".join(parts[:end]) in modules for end in range(1, len(parts) + 1))


def _decorator_label(pf: PythonFile, node: ast.ClassDef | ast.FunctionDef, own: str) -> str | None:
    """Return the framework contract a decorator of another package registers the class (or the function building
    one) under (`@component`, `@Language.factory("name")`), or None."""
    for dec in node.decorator_list:
        name = pf.qualname(dec.func if isinstance(dec, ast.Call) else dec) or ""
        if name in FRAMEWORK_DECORATORS and name.split(".", 1)[0] != own:
            return FRAMEWORK_DECORATORS[name]
    return None


def _typed_parameters(pf: PythonFile) -> tuple[TypedParameter, ...]:
    """Return the parameters annotated with a class name (`X`, `mod.X`, `X | None`, `Optional[X]`, `"X"`)."""
    owners: dict[ast.AST, tuple[str, ...]] = {}
    for cls in pf.nodes(ast.ClassDef):
        names = (cls.name, *(_last_name(base) or "" for base in cls.bases))
        for item in cls.body:
            owners[item] = names
    found: list[TypedParameter] = []
    for func in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        arguments = func.args
        for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
            for name in _annotated_classes(arg.annotation):
                found.append(TypedParameter(name, func.name, pf.location(func.lineno), owners.get(func, ())))
    return tuple(found)


def _annotated_classes(annotation: ast.expr | None) -> list[str]:
    """Return the class names an annotation names: itself, or the members of a union or an Optional."""
    found: list[str] = []
    stack = [annotation] if annotation is not None else []
    while stack:  # a loop, not recursion: a union of a thousand members must not exhaust the stack
        node = stack.pop()
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value.strip()
            if text.replace(".", "").replace("_", "").isalnum():
                found.append(text.rsplit(".", 1)[-1])
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            stack += [node.right, node.left]
        elif isinstance(node, ast.Subscript) and _last_name(node.value) in ("Optional", "Union"):
            inner = node.slice
            stack += reversed(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
        elif (name := _last_name(node)) is not None:
            found.append(name)
    return found


def _last_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def evidence_of(pf: PythonFile) -> InterfaceEvidence:
    """Return the interfaces evidence of one module, from the fact layer when it has it."""
    return pf.file_fact(EVIDENCE_FACT, interface_evidence)


def _families(classes: dict[str, list[ClassInfo]]) -> dict[str, list[ClassInfo]]:
    """Return repo base classes that two or more repo classes derive from, and Protocols/ABCs that at
    least one repo class implements (by inheritance; a Protocol also structurally, with every method), by name."""
    children: dict[str, list[ClassInfo]] = defaultdict(list)
    everything = [info for infos in classes.values() for info in infos]
    for info in everything:
        for base in set(info.bases):
            if base in classes and base != info.name:
                children[base].append(info)
    interfaces = {i.name for i in everything if i.is_interface and i.methods}
    # an ABC is implemented by subclassing it; only a Protocol also by having its methods (every nn.Module has a
    # `forward`, without implementing each abstract block whose one method is `forward`)
    protocols = {i.name: i for i in everything if i.name in interfaces and "Protocol" in i.bases}
    having: dict[str, list[ClassInfo]] = defaultdict(list)  # concrete classes by method, in `everything` order
    for info in everything if protocols else ():
        if not info.is_interface:
            for method in info.methods:
                having[method].append(info)
    for name, interface in protocols.items():
        kids = children[name]
        known = set(kids)
        rarest = min(sorted(interface.methods), key=lambda method: len(having.get(method, ())))
        for info in having.get(rarest, ()):  # a class with every method has the rarest one
            if info not in known and interface.methods <= info.methods:
                kids.append(info)
                known.add(info)
    return {base: kids for base, kids in children.items() if len(kids) >= 2 or (base in interfaces and kids)}


def families_of(project: Project) -> dict[str, list[ClassInfo]]:
    """Return the repo's families of implementations (`_families`), computed once per audit."""
    found: dict[str, list[ClassInfo]] = project.fact("interfaces.families", lambda p: _families(classes_of(p)))
    return found


@register_capability
class SharedBases(Capability):
    """Interchangeable components share a repo base class, ABC or Protocol (families of two or more
    implementations, against groups of look-alike classes that share nothing). Alternatives that all follow one
    framework contract (two encoders, both nn.Module) are swappable through it: half the points, as for one
    implementation per component, since the project states no interface of its own. Without a family, each role
    is judged on its own and the share is their mean (`_judged_roles`): look-alikes sharing nothing in one role
    do not zero the roles whose alternatives extend one imported base (three LightningModules, two datasets of a
    library's base) or that have one implementation. Classes of one role name with no public method in common
    (`WhisperModel.transcribe`, `VadModel.__call__`) do different jobs: each is one implementation, nothing to swap
    yet, not alternatives missing a base. Code of plain functions defining no public class has no component to
    swap either: the same half, not none."""

    key = "shared_bases"
    practice = "interfaces"
    title = "Swappable parts share a base class or Protocol"
    points = 30

    def assess(self, project: Project) -> Assessment:
        classes = classes_of(project)
        families = families_of(project)
        loose = [g for g in component_groups(classes).values() if without_interface(g, classes)]
        if not families:
            single = None if loose else _single_phrase(classes)
            if single:
                return Assessment.partly(0.5, f"{single}: nothing to swap yet, no base needed")
            shared = None if loose else _framework_alternatives(project, classes)
            if shared:
                return Assessment.partly(0.5, f"{shared}: swappable through it, though no base of the project's own")
            judged = _judged_roles(classes)
            if any(item.share for item in judged.values()):
                share = sum(item.share for item in judged.values()) / len(judged)
                return Assessment.partly(share, _roles_sentence(judged))
            if loose:
                return Assessment.missing(f"{len(loose)} groups of look-alike classes share no base class or Protocol")
            return Assessment.missing("No repo base class, ABC or Protocol with two or more implementations")
        base, kids = max(families.items(), key=lambda item: len(item[1]))
        info = classes[base][0]
        sentence = f"{len(families)} base classes with several implementations, e.g. {base} ({info.path}:{info.line}) with {len(kids)}"
        if loose:
            sentence += f"; {len(loose)} groups of look-alike classes share no base"
        share = len(families) / (len(families) + len(loose))
        return Assessment.partly(share, sentence, info.path, info.line)


def _nothing_to_swap(project: Project, classes: dict[str, list[ClassInfo]]) -> str | None:
    """Return the evidence phrase when each role has one implementation and no look-alikes stand apart (no family
    of implementations either): there is nothing to swap yet, so no base or contract is missing."""
    if families_of(project) or any(without_interface(g, classes) for g in component_groups(classes).values()):
        return None
    return _single_phrase(classes)


def _single_phrase(classes: dict[str, list[ClassInfo]]) -> str | None:
    """Return the phrase for one implementation per component, or for code of plain functions that defines no
    public class at all (`load_image`, `encode_faces`): no component to swap, as little as with one of each, so
    the same half credit, not none; None when there are alternatives to pick between."""
    single = _single_components(classes)
    if single:
        return _one_each(single)
    if any(not info.name.startswith("_") for infos in classes.values() for info in infos):
        return None
    return "plain functions, no component classes"


def _single_components(classes: dict[str, list[ClassInfo]]) -> list[str]:
    """Return the component classes when each role (Model, Dataset...) has one implementation: the role-named
    ones, else the public classes (a model built of its own layers, `Perceiver` of `Attention` and `FeedForward`:
    one of each part, nothing to pick between). None when a role has two implementations, when classes look alike
    (the same ML methods: `XGBWrapper` and `TorchWrapper` with fit/predict, alternatives even where they follow
    scikit-learn's convention) or when there is no class."""
    if component_groups(classes):
        return []
    by_role: dict[str, list[ClassInfo]] = defaultdict(list)
    public: dict[str, str] = {}
    for infos in classes.values():
        for info in infos:
            if info.name.startswith("_"):
                continue
            public.setdefault(info.name, f"{info.name} ({info.path}:{info.line})")
            match = ROLE_PATTERN.search(info.name)
            if match:
                by_role[match.group(1)].append(info)
    if any(len(role_alternatives(found)) > 1 for found in by_role.values()):
        return []
    return sorted({public[info.name] for found in by_role.values() for info in found}) or sorted(public.values())


def _framework_alternatives(project: Project, classes: dict[str, list[ClassInfo]]) -> str | None:
    """Return the largest role's alternatives when, for every role with two or more classes, they all follow one
    framework contract (`ConvEncoder` and `PatchEncoder`, both nn.Module: forward is their shared interface), and
    no other classes look alike; None otherwise."""
    if component_groups(classes):
        return None
    contracts: dict[str, set[str]] = defaultdict(set)
    for pf in code_files(project):
        for name, label, _ in framework_classes(project, pf):
            contracts[name].add(label)
    by_role: dict[str, set[str]] = defaultdict(set)
    for name in classes:
        match = ROLE_PATTERN.search(name)
        if match and not name.startswith("_"):
            by_role[match.group(1)].add(name)
    for role, names in by_role.items():
        by_role[role] = {i.name for i in role_alternatives([classes[name][0] for name in names])}
    found: list[tuple[int, str]] = []
    for role, names in by_role.items():
        if len(names) < 2:
            continue
        shared = set.intersection(*(contracts.get(name, set()) for name in names))
        if not shared:
            return None
        found.append((len(names), f"{len(names)} {role} classes follow the {min(shared)} contract"))
    return max(found)[1] if found else None


# Bases that make no component contract: data records, errors, enums, generics and builtins.
NOT_CONTRACTS = frozenset(
    {"object", "Generic", "Enum", "IntEnum", "StrEnum", "Flag", "Exception", "BaseException", "ValueError"}
    | {"RuntimeError", "NamedTuple", "TypedDict", "BaseModel", "BaseSettings", "str", "int", "float", "dict", "list"}
    | {"tuple", "set", "type"}
)


@dataclass(frozen=True)
class RoleJudgement:
    """How well one component role is swappable: its share of the points, the evidence phrase, and whether it
    has a single implementation (nothing to swap yet)."""

    share: float
    phrase: str
    single: bool = False


def _judged_roles(classes: dict[str, list[ClassInfo]]) -> dict[str, RoleJudgement]:
    """Judge each component role on its own (roles by name suffix, look-alike groups by shared ML methods): one
    implementation has nothing to swap yet (half); alternatives that share a base the repo defines (full) or one
    imported base they all extend, directly or through repo ancestors (`LightningModule`, `nn.Module`, a library's
    `EncoderModule`: swappable through its contract, though no base of the project's own, half); alternatives
    sharing no base earn nothing. A role's look-alikes standing apart from the rest cost that role its share."""
    groups: dict[str, dict[str, ClassInfo]] = defaultdict(dict)
    for infos in classes.values():
        for info in infos:
            match = ROLE_PATTERN.search(info.name)
            if match and not info.name.startswith("_"):
                groups[match.group(1)].setdefault(info.name, info)
    looking_alike = component_groups(classes)
    for role, group in looking_alike.items():
        for info in group:
            groups[role].setdefault(info.name, info)
    loose = {role for role, group in looking_alike.items() if without_interface(group, classes)}
    judged: dict[str, RoleJudgement] = {}
    for role, members in groups.items():
        infos = list(members.values())
        alternatives = role_alternatives(infos) if len(infos) > 1 else infos
        if len(alternatives) == 0:
            names = ", ".join(sorted(info.name for info in infos)[:3])
            judged[role] = RoleJudgement(
                0.5, f"{len(infos)} {role} classes doing different jobs ({names})", single=True
            )
            continue
        infos = alternatives
        if role in loose:
            judged[role] = RoleJudgement(0.0, f"{len(infos)} {role} look-alikes share no base")
        elif len(infos) == 1:
            judged[role] = RoleJudgement(0.5, f"one {role} ({infos[0].name})", single=True)
        else:
            judged[role] = _shared_base(role, infos, classes)
    return judged


def _shared_base(role: str, infos: list[ClassInfo], classes: dict[str, list[ClassInfo]]) -> RoleJudgement:
    """Judge a role's alternatives by the base they all share: the repo's (full), an imported one (half), none."""
    lines = [({info.name} | ancestors(info, classes), _imported_roots(info, classes)) for info in infos]
    own = set.intersection(*(repo for repo, _ in lines))
    if own:
        return RoleJudgement(1.0, f"{len(infos)} {role} classes share {min(own)}")
    imported = set.intersection(*(roots for _, roots in lines))
    if imported:
        return RoleJudgement(0.5, f"{len(infos)} {role} classes extend {min(imported)}")
    framework = set.intersection(*(_imported_packages(info, classes) for info in infos))
    if framework:
        bases = ", ".join(sorted(set.union(*(roots for _, roots in lines)))[:3])
        return RoleJudgement(0.5, f"{len(infos)} {role} classes extend {bases} of {min(framework)}")
    return RoleJudgement(0.0, f"{len(infos)} {role} classes share no base")


def _imported_packages(info: ClassInfo, classes: dict[str, list[ClassInfo]]) -> set[str]:
    """Return the packages a class's imported bases come from, directly or through its repo ancestors: alternatives
    extending different classes of one framework (`SRModel` and `SRGANModel` of one library, both its models) follow
    that framework's contract for the role."""
    lineage = [info, *(parent for name in ancestors(info, classes) for parent in classes[name])]
    return {
        package
        for c in lineage
        for base, package in zip(c.bases, c.base_packages, strict=False)
        if package and base not in classes and base not in NOT_CONTRACTS and not _plain_package(package)
    }


RECORD_PACKAGES = frozenset({"pydantic", "pydantic_settings", "msgspec", "attr", "attrs", "typing_extensions"})


def _plain_package(package: str) -> bool:
    """Return True for the standard library and record libraries: their classes (enums, records, errors, ABC
    helpers) are no framework whose contract alternatives share."""
    return is_standard_library(package) or package in RECORD_PACKAGES


def _imported_roots(info: ClassInfo, classes: dict[str, list[ClassInfo]]) -> set[str]:
    """Return the imported bases a class extends, directly or through its repo ancestors (by name)."""
    lineage = [info, *(parent for name in ancestors(info, classes) for parent in classes[name])]
    return {b for c in lineage for b in c.bases if b and b not in classes and b not in NOT_CONTRACTS}


def _roles_sentence(judged: dict[str, RoleJudgement]) -> str:
    """Return the evidence for roles judged one by one: the ones in order first, then the gaps."""
    ordered = sorted(judged.values(), key=lambda item: (-item.share, item.phrase))
    shown = "; ".join(item.phrase for item in ordered[:4])
    more = f"; and {len(ordered) - 4} more roles" if len(ordered) > 4 else ""
    return f"Roles judged one by one: {shown}{more}"


def _one_each(single: list[str]) -> str:
    """Return the evidence phrase for components with one implementation each."""
    more = f" and {len(single) - 3} more" if len(single) > 3 else ""
    return f"one implementation per component ({', '.join(single[:3])}{more})"


@register_capability
class ExplicitContracts(Capability):
    """The contract of a swappable part is explicit: an ABC with abstract methods, a Protocol, or a base
    method raising NotImplementedError that a subclass overrides. With one implementation per component
    there is nothing to swap yet: half the points, as for shared bases; without a family, each role with one
    implementation earns its half of a share of the roles (`_judged_roles`), the others none."""

    key = "explicit_contracts"
    practice = "interfaces"
    title = "Explicit interface contracts"
    points = 15

    def assess(self, project: Project) -> Assessment:
        classes = classes_of(project)
        interfaces = [info for infos in classes.values() for info in infos if info.is_interface]
        # the package's own contract before one in a benchmark or example script
        for info in sorted(interfaces, key=lambda i: (not _in_library(project, i.path), i.path, i.line)):
            return Assessment.earned(f"interface {info.name} at {info.path}:{info.line}", info.path, info.line)
        found = _not_implemented_base(project)
        if found:
            return Assessment.earned(found)
        single = _nothing_to_swap(project, classes)
        if single:
            return Assessment.partly(0.5, f"{single}: no contract to state yet")
        judged = {} if families_of(project) else _judged_roles(classes)
        alone = [j for j in judged.values() if j.single]
        if alone:
            roles = len(judged)
            shown = ", ".join(j.phrase for j in alone[:3])
            return Assessment.partly(
                0.5 * len(alone) / roles,
                f"No component contract; {len(alone)} of {roles} roles have one implementation ({shown}): none to state there yet",
            )
        return Assessment.missing("No ABC, Protocol or abstract base method defines a component contract")


def _in_library(project: Project, path: str) -> bool:
    """Return True when `path` is a library module (not a script, benchmark or example)."""
    pf = project.python.get(path)
    return pf is not None and pf.kind is FileKind.LIBRARY


def _not_implemented_base(project: Project) -> str | None:
    """Return a base method raising NotImplementedError that a repo subclass overrides."""
    classes = classes_of(project)
    overridden: dict[str, set[str]] = defaultdict(set)
    for infos in classes.values():
        for info in infos:
            for base in info.bases:
                overridden[base] |= info.methods
    for pf in sorted(code_files(project), key=lambda pf: pf.kind is not FileKind.LIBRARY):
        for owner, func, where in evidence_of(pf).stubs:
            if func in overridden.get(owner, ()):
                return f"base method {owner}.{func} raises NotImplementedError at {where}"
    return None


def _stub_methods(pf: PythonFile) -> tuple[tuple[str, str, str], ...]:
    """Return (class, method, where) of each `raise NotImplementedError` directly in a method, in source order.

    Only a statement of the method's own body counts: a raise under a condition (`if self.densmap: raise
    NotImplementedError("not supported for densMAP")`) marks a case the working method does not support, not a
    method left for subclasses to write."""
    found: list[tuple[str, str, str]] = []
    for node in pf.nodes(ast.Raise):
        exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        if not (isinstance(exc, ast.Name) and exc.id == "NotImplementedError"):
            continue
        func = pf.enclosing_function(node)
        owner = pf.parent(func) if func is not None else None
        if isinstance(owner, ast.ClassDef) and func is not None and node in func.body:
            found.append((owner.name, func.name, pf.location(node.lineno)))
    return tuple(found)


@register_capability
class RegistryOrFactory(Capability):
    """Components are created in one place: a registry filled by a decorator (or its call form,
    `register_converter("name", fn)`) or by subclassing (a base class's subclasses mapped by name:
    `{t.__name__: t for t in BaseTransformer.__subclasses__()}`, or a base's `__init_subclass__` filing each
    subclass under a name: `cls.registry[cls.name] = cls`), a factory over a name
    mapping or whose branches return different classes by its arguments (`if use_gpu: return GpuALS(...)`),
    or that builds a component from a module its caller names (`importlib.import_module(f"exps.{name}").Exp()`),
    config-driven instantiation, or dependency injection (a framework, or a parameter typed by a
    repo base class with several implementations, or a class building the part class its caller hands in:
    `module=MyNet`, `norm_layer=nn.LayerNorm`, so the caller picks one). With one implementation per
    component there is nothing to pick between yet: half the points, as for shared bases, unless a function
    reads a component its module builds at import (hard-wired, not handed in)."""

    key = "registry_or_factory"
    practice = "interfaces"
    title = "Registry, factory or injection"
    points = 20

    def assess(self, project: Project) -> Assessment:
        for pf in code_files(project):
            evidence = evidence_of(pf)
            found = evidence.registry or evidence.injection or evidence.mapping_factory
            if found:
                return Assessment.earned(found, pf.path)
        injected = _injected_component(project) or _family_factory(project)
        if injected:
            return Assessment.earned(injected)
        single = _nothing_to_swap(project, classes_of(project))
        if single:
            wired = _hard_wired(project)
            if wired is None:
                return Assessment.partly(0.5, f"{single}: nothing to pick between yet")
            return Assessment.missing(f"{single}, but {wired}: hard-wired, not injected")
        return Assessment.missing("No registry, factory or dependency injection: components are built ad hoc")


def _family_factory(project: Project) -> str | None:
    """Return a function that returns one of several implementations of a repo family by its arguments
    (`if use_gpu: return gpu.ALS(...)`); different classes of no shared repo base (two response models) are none."""
    members = {kid.name for kids in families_of(project).values() for kid in kids}
    for pf in code_files(project):
        for sentence, names in evidence_of(pf).branch_factories:
            if members.issuperset(names):
                return sentence
    return None


def _hard_wired(project: Project) -> str | None:
    """Return a function reading a component its module builds at import (`model` in `get_response`)."""
    for pf in code_files(project):
        if any(part in SCRIPT_STYLE_EXEMPT_DIRS for part in pf.path.split("/")[:-1]):
            continue  # an example runs top to bottom by design (as API006 allows)
        for name, line, used in pf.file_fact(HIDDEN_DEPENDENCIES_FACT, file_hidden_dependencies):
            return f"{name}() at {pf.location(line)} uses {', '.join(used[:3])} built at import"
    return None


def _injected_component(project: Project) -> str | None:
    """Return a function that takes a component typed by a repo base class with two or more implementations
    (constructor or parameter injection: the caller chooses the implementation), outside that family."""
    families = families_of(project)
    if not families:
        return None
    found = [
        (param, kids)
        for pf in code_files(project)
        for param in evidence_of(pf).typed_params
        if (kids := families.get(param.annotation)) is not None
        and not set(param.owner) & ({param.annotation} | {k.name for k in kids})
    ]
    if not found:
        return None
    param, kids = min(found, key=lambda pair: pair[0].function != "__init__")  # a constructor shows it best
    return (
        f"{param.function}() at {param.where} takes any {param.annotation} "
        f"(a repo base with {len(kids)} implementations): the caller injects the component"
    )


def _pytree_class(pf: PythonFile) -> tuple[str, int] | None:
    """Return the first class of the module registered as a JAX pytree, by a decorator
    (`@jax.tree_util.register_pytree_node_class`, `@flax.struct.dataclass`, `@chex.dataclass(frozen=True)`) or by a
    module-level call naming it (`jax.tree_util.register_pytree_node(Graph, flatten, unflatten)`), with its line."""
    classes = {stmt.name: stmt.lineno for stmt in pf.tree.body if isinstance(stmt, ast.ClassDef)}
    for stmt in pf.tree.body:
        if isinstance(stmt, ast.ClassDef) and any(
            pf.qualname(dec.func if isinstance(dec, ast.Call) else dec) in PYTREE_DECORATORS
            for dec in stmt.decorator_list
        ):
            return stmt.name, stmt.lineno
        if isinstance(stmt, ast.ClassDef) and _pytree_protocol(stmt):
            return stmt.name, stmt.lineno
        call = stmt.value if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) else None
        if call is not None and call.args and pf.qualname(call.func) in PYTREE_REGISTRATIONS:
            first = call.args[0]
            if isinstance(first, ast.Name) and first.id in classes:
                return first.id, classes[first.id]
    return None


# the methods `register_pytree_node_class` (and its `_with_keys` variant) call on a registered class
PYTREE_FLATTEN = frozenset({"tree_flatten", "tree_flatten_with_keys"})


def _pytree_protocol(cls: ast.ClassDef) -> bool:
    """Return True for a class defining JAX's pytree-node methods, `tree_flatten` (or `tree_flatten_with_keys`) and
    the classmethod `tree_unflatten`: it is written to be registered (in its own `__new__`, by a subclass hook or a
    decorator elsewhere), and jit, grad and vmap take its instances apart and rebuild them through those methods."""
    methods = {
        node.name: node for node in cls.body if isinstance(node, ast.FunctionDef) and not node.name.startswith("__")
    }
    unflatten = methods.get("tree_unflatten")
    classmethod_ = unflatten is not None and any(
        isinstance(dec, ast.Name) and dec.id == "classmethod" for dec in unflatten.decorator_list
    )
    return classmethod_ and bool(PYTREE_FLATTEN & set(methods))


def _registry_decorator(pf: PythonFile) -> str | None:
    """Return a definition decorated with a registry (`@register_model`, `@MODELS.register_module()`); a hook of
    the standard library (`@atexit.register`: run at exit) registers a callback, no component to pick by name."""
    for node in pf.nodes(ast.FunctionDef, ast.ClassDef):
        if not isinstance(node, ast.FunctionDef | ast.ClassDef):
            continue
        for dec in node.decorator_list:
            target = dec.func if isinstance(dec, ast.Call) else dec
            label = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            if label.startswith("register") and not _standard_hook(pf, target):
                return f"{node.name} registered by @{ast.unparse(target)} at {pf.location(dec.lineno)}"
    return None


def _standard_hook(pf: PythonFile, target: ast.expr) -> bool:
    """Return True for a registration function of the standard library (`atexit.register`, `codecs.register`,
    `from atexit import register`)."""
    qualified = pf.qualname(target) or ""
    return "." in qualified and is_standard_library(qualified.split(".", 1)[0])


def _subclass_registry(pf: PythonFile) -> str | None:
    """Return a mapping filled with a base class's subclasses by name (`{get_name(t): t for t in
    BaseTransformer.get_subclasses()}`, or `found[sub.__name__] = sub` in a loop over `cls.__subclasses__()`): a
    registry that every subclass joins by being defined, from which components are picked by name; or one a
    base's `__init_subclass__` fills (`_subclass_hook_registry`)."""
    for node in pf.nodes(ast.DictComp, ast.For):
        if isinstance(node, ast.DictComp):
            loops = [(gen.target, gen.iter) for gen in node.generators]
            fills = [(node.key, node.value)]
        elif isinstance(node, ast.For) and _lists_subclasses(node.iter):  # most loops: nothing to walk
            loops = [(node.target, node.iter)]
            fills = [
                (target.slice, stmt.value)
                for stmt in pf.within(node, ast.Assign)
                for target in stmt.targets
                if isinstance(target, ast.Subscript)
            ]
        else:
            continue
        for target, source in loops:
            if not (isinstance(target, ast.Name) and _lists_subclasses(source)):
                continue
            if any(_names_var(value, target.id) and not _names_var(key, target.id) for key, value in fills):
                return f"subclasses of a base class registered by name at {pf.location(node.lineno)}"
    return _subclass_hook_registry(pf)


def _subclass_hook_registry(pf: PythonFile) -> str | None:
    """Return an `__init_subclass__` that files the class being defined in a mapping under a key
    (`cls.registry[cls.serializable_name] = cls`): every subclass joins the registry by being defined."""
    for func in pf.nodes(ast.FunctionDef):
        if not isinstance(func, ast.FunctionDef) or func.name != "__init_subclass__" or not func.args.args:
            continue
        cls = func.args.args[0].arg
        if any(_files_class(stmt, cls) for stmt in ast.walk(func)):
            return f"subclasses of a base class registered by name at {pf.location(func.lineno)}"
    return None


def _files_class(stmt: ast.AST, cls: str) -> bool:
    """Return True for `mapping[key] = cls`: the class filed under a key other than itself."""
    return (
        isinstance(stmt, ast.Assign)
        and _names_var(stmt.value, cls)
        and any(isinstance(t, ast.Subscript) and not _names_var(t.slice, cls) for t in stmt.targets)
    )


def _lists_subclasses(expr: ast.expr) -> bool:
    """Return True for `cls.__subclasses__()` or a `get_subclasses()`-like method call."""
    return (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr.strip("_").lower().endswith("subclasses")
    )


def _names_var(expr: ast.expr, name: str) -> bool:
    return isinstance(expr, ast.Name) and expr.id == name


def _registration_call(pf: PythonFile) -> str | None:
    """Return a module-level call that registers one of the module's functions or classes under a name
    (`register_converter("SklearnSelectKBest", convert_select_k_best)`): the call form of a registry decorator."""
    defined = {
        stmt.name for stmt in pf.tree.body if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }
    for stmt in pf.tree.body:
        call = stmt.value if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) else None
        if call is None or not call.args:
            continue
        label = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        first = call.args[0]
        key = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
        own = [a.id for a in call.args[1:] if isinstance(a, ast.Name) and a.id in defined]
        if label.startswith("register") and key is not None and own:
            return f"{own[0]} registered by {label}({key!r}, ...) at {pf.location(stmt.lineno)}"
    return None


# Words naming a part a class may take as a class or factory and build itself (`module=MyNet`, `optimizer=SGD`).
PART_WORDS = frozenset(
    {"model", "module", "net", "network", "optimizer", "optim", "criterion", "loss", "scheduler", "backbone"}
    | {"encoder", "decoder", "head", "neck", "tokenizer", "estimator", "classifier", "regressor", "policy", "layer"}
    | {"cls", "class", "factory", "builder"}
)


def _constructor_injection(pf: PythonFile) -> str | None:
    """Return a class whose `__init__` takes a part's class or factory (`module`, `optimizer`, `norm_layer`) and
    builds it: calls it in `__init__`, or later stores `self.<part>(...)` called without positional arguments on
    `self` (`self.module_ = self.module(**kwargs)`; a forward pass returns its output to the caller instead).
    The caller picks the implementation: constructor injection."""
    candidates: dict[str, list[ast.Call]] | None = None
    for cls in pf.nodes(ast.ClassDef):
        init = next((f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"), None)
        parts = _part_parameters(init) if init is not None else frozenset()
        if not parts:
            continue
        if candidates is None:
            candidates = _part_calls(pf)
        if not any(_inside(pf, call, cls) for part in parts for call in candidates.get(part, ())):
            continue  # the class builds none of its parts: no need to walk it in order
        built = next((called for call in _built_calls(cls, init) if (called := _called_part(call)) in parts), None)
        if built is not None:
            return f"{cls.name} at {pf.location(cls.lineno)} builds the {built} its caller hands in"
    return None


def _part_calls(pf: PythonFile) -> dict[str, list[ast.Call]]:
    """Map each name to the file's calls `_built_calls` may yield that call it (`name(...)`, and
    `self.x = self.name(...)` without positional arguments), wherever they are."""
    found: dict[str, list[ast.Call]] = defaultdict(list)
    for call in pf.nodes(ast.Call):
        if isinstance(call.func, ast.Name):
            found[call.func.id].append(call)
    for node in pf.nodes(ast.Assign):
        value, target = node.value, node.targets[0]
        if not isinstance(value, ast.Call) or value.args or not isinstance(value.func, ast.Attribute):
            continue
        if isinstance(target, ast.Attribute) and is_self(target.value) and is_self(value.func.value):
            found[value.func.attr].append(value)
    return found


def _inside(pf: PythonFile, node: ast.AST, outer: ast.AST) -> bool:
    """Return True when `outer` is an ancestor of `node`."""
    return any(ancestor is outer for ancestor in pf.ancestors(node))


def _part_parameters(init: ast.FunctionDef) -> frozenset[str]:
    args = init.args
    return frozenset(
        arg.arg
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs)
        if set(arg.arg.lower().split("_")) & PART_WORDS
    )


def _built_calls(cls: ast.ClassDef, init: ast.FunctionDef | None) -> Iterator[ast.Call]:
    """Yield calls of a parameter in `__init__` (`norm_layer(dim)`) and calls of `self.<name>` without positional
    arguments stored on `self` anywhere in the class (`self.optimizer_ = self.optimizer(lr=self.lr)`)."""
    for node in ast.walk(init) if init is not None else ():
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            yield node
    for node in ast.walk(cls):
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
            continue
        call, target = node.value, node.targets[0]
        on_self = isinstance(target, ast.Attribute) and is_self(target.value) and is_self_attribute(call.func)
        if on_self and not call.args:
            yield call


def _called_part(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _injection(pf: PythonFile) -> str | None:
    found = _constructor_injection(pf)
    if found:
        return found
    for call in pf.nodes(ast.Call):
        name = pf.call_name(call) or ""
        if name in INJECTORS or name.endswith(".instantiate_from_config"):
            return f"{name.rsplit('.', 1)[-1]}() at {pf.location(call.lineno)} builds components"
        if isinstance(call.func, ast.Name) and call.func.id == "instantiate_from_config":
            return f"instantiate_from_config() at {pf.location(call.lineno)} builds components from config"
    return None


def _mapping_factory(pf: PythonFile) -> str | None:
    """Return a factory function that looks a class up in a name mapping by a key its caller gives
    (`MODELS[name](...)`, or `cls = MODELS[arch.lower()]` then `cls(...)`); a callback read from a fixed
    position of a record and run for its effect (`info[1](weights, layer)`) builds nothing, and neither does
    a layer picked from a list by a loop counter (`self.unflatten[level](q)`)."""
    functions: list[FunctionNode] = pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef)
    if not any(func.name.startswith(FACTORY_PREFIXES) for func in functions):
        return None
    anywhere = _lookup_bindings(pf.nodes(ast.Assign))
    bound: dict[FunctionNode, dict[str, ast.Subscript]] = {}
    for call in pf.nodes(ast.Call):
        if not (isinstance(call.func, ast.Subscript) or (isinstance(call.func, ast.Name) and call.func.id in anywhere)):
            continue  # neither a lookup nor a name bound to one anywhere in the file
        lookup = call.func if isinstance(call.func, ast.Subscript) else None
        func = pf.enclosing_function(call)
        if func is None or not func.name.startswith(FACTORY_PREFIXES):
            continue
        if lookup is None and isinstance(call.func, ast.Name):
            if func not in bound:
                bound[func] = _lookup_bindings(ast.walk(func))
            lookup = bound[func].get(call.func.id)
        if lookup is None or not isinstance(lookup.value, ast.Name | ast.Attribute):
            continue
        if _positional_callback(pf, call, lookup) or not _keyed_by_parameter(func, lookup):
            continue
        return f"factory {func.name}() at {pf.location(func.lineno)} picks a class from a mapping"
    return None


def _branch_factories(pf: PythonFile) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Return the module functions whose branches return instances of different classes, picked by a test of their
    parameters (`if use_gpu: return gpu.ALS(...)` / `return cpu.ALS(...)`), with the classes' names: a factory when
    those classes are implementations of one repo family (`RegistryOrFactory` checks that)."""
    found: list[tuple[str, tuple[str, ...]]] = []
    # only a function with two or more `return SomeClass(...)` can be one (most modules have none: no walk)
    lines = [r.lineno for r in pf.nodes(ast.Return) if isinstance(r.value, ast.Call) and _names_class(r.value.func)]
    if len(lines) < 2:
        return ()
    for func in pf.tree.body:
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        end = func.end_lineno or func.lineno
        if sum(func.lineno <= line <= end for line in lines) < 2:
            continue
        args = func.args
        params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
        built = {
            ast.unparse(ret.value.func)
            for test in ast.walk(func)
            if isinstance(test, ast.If) and any(isinstance(n, ast.Name) and n.id in params for n in ast.walk(test.test))
            for branch in (test.body, test.orelse, _after(func, test))
            for ret in branch
            if isinstance(ret, ast.Return) and isinstance(ret.value, ast.Call) and _names_class(ret.value.func)
        }
        if len(built) >= 2:
            names = tuple(sorted({name.rsplit(".", 1)[-1] for name in built}))
            shown = " or ".join(sorted(built)[:3])
            where = pf.location(func.lineno)
            found.append((f"factory {func.name}() at {where} returns {shown} depending on its arguments", names))
    return tuple(found)


def _after(func: FunctionNode, test: ast.If) -> list[ast.stmt]:
    """Return the statements after a top-level `if` of the function body (the fall-through branch)."""
    body = func.body
    return body[body.index(test) + 1 :] if test in body else []


def _names_class(callee: ast.expr) -> bool:
    """Return True for `Adam`, `gpu.als.ALS`: a capitalised name, a class."""
    last = callee.attr if isinstance(callee, ast.Attribute) else callee.id if isinstance(callee, ast.Name) else ""
    return last[:1].isupper()


def _lookup_bindings(nodes: Iterable[ast.AST]) -> dict[str, ast.Subscript]:
    """Map each name the nodes bind to a mapping lookup (`model_class = MODELS[arch.lower()]`) to the first
    such lookup."""
    found: dict[str, ast.Subscript] = {}
    for node in nodes:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Subscript):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, node.value)
    return found


def _keyed_by_parameter(func: FunctionNode, lookup: ast.Subscript) -> bool:
    """Return True when the lookup key reads one of the function's parameters (`name`, `arch.lower()`,
    `cfg.model`): the caller names the component."""
    args = func.args
    params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
    return any(isinstance(n, ast.Name) and n.id in params for n in ast.walk(lookup.slice))


def _positional_callback(pf: PythonFile, call: ast.Call, func: ast.Subscript) -> bool:
    """Return True for `info[1](weights, layer)` as a statement: a stored function at a fixed index, run for
    its effect, not a component picked by name and returned."""
    fixed = isinstance(func.slice, ast.Constant) and isinstance(func.slice.value, int)
    return fixed and isinstance(pf.parent(call), ast.Expr)


_IMPORTERS = frozenset({"importlib.import_module", "import_module", "__import__"})


def _import_factory(pf: PythonFile) -> str | None:
    """Return a function that imports a module its caller names and takes a component from it
    (`importlib.import_module(f"pkg.exps.{name}").Exp()`, `getattr(import_module(module), cls)`, a loop over
    `module.__dict__` for the class of that name): components built by name, as a registry builds them.
    Importing a module only to hand it back (an optional-dependency helper, a module `__getattr__`) builds nothing."""
    for call in pf.nodes(ast.Call):
        if pf.call_name(call) not in _IMPORTERS or not call.args or isinstance(call.args[0], ast.Constant):
            continue
        func = pf.enclosing_function(call)
        if func is None or func.name.startswith("__") or not _named_by_caller(func, call.args[0]):
            continue
        if _component_taken(pf, func, call):
            return (
                f"factory {func.name}() at {pf.location(func.lineno)} builds a component from a module its caller names"
            )
    return None


def _named_by_caller(func: FunctionNode, arg: ast.expr) -> bool:
    """Return True when `arg` reads a parameter of `func`, directly or through a local bound from one."""
    params = {a.arg for a in (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs)} - {"self", "cls"}
    names = {n.id for n in ast.walk(arg) if isinstance(n, ast.Name)}
    for node in ast.walk(func):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in names for t in node.targets):
            names |= {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}
    return bool(names & params)


def _component_taken(pf: PythonFile, func: FunctionNode, call: ast.Call) -> bool:
    """Return True when something is read from the imported module: `import_module(x).Exp`,
    `getattr(import_module(x), name)`, or either on the name the module is bound to in `func`."""
    parent = pf.parent(call)
    if isinstance(parent, ast.Attribute) or _getattr_of(parent, lambda node: node is call):
        return True
    if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name)):
        return False
    bound = parent.targets[0].id
    return any(
        (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == bound)
        or _getattr_of(node, lambda arg: isinstance(arg, ast.Name) and arg.id == bound)
        for node in ast.walk(func)
    )


def _getattr_of(node: ast.AST | None, first: Callable[[ast.expr], bool]) -> bool:
    """Return True for `getattr(obj, ...)` whose `obj` satisfies `first`."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "getattr"
        and len(node.args) >= 2
        and first(node.args[0])
    )


def _name_mapping(pf: PythonFile) -> str | None:
    """Return a module-level mapping from names to two or more of the project's own classes or builder
    functions (`MODEL_REGISTRY = {"vit_b": build_vit_b, "vit_l": build_vit_l}`), defined in the module or
    imported from its own package (`str2model = {"regression": RegressionMetric, ...}` in a package's
    `__init__.py`), or filing two or more of them under their own names (`{f.__name__: f for f in (blur, noise)}`):
    components built by name."""
    defined = {
        stmt.name for stmt in pf.tree.body if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }
    own = module_name(pf.path).split(".", 1)[0]  # an imported UPPER_CASE name is a constant, not a component
    imported = (local for local, (module, _) in pf.from_imports.items() if module.split(".", 1)[0] == own)
    defined.update(local for local in imported if not local.isupper())
    for stmt in pf.tree.body:  # an alias of one of them (`build_sam = build_sam_vit_h`) is one of them too
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Name) and stmt.value.id in defined:
            defined.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
    for stmt in pf.tree.body:
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
            continue
        value = stmt.value
        named = _named_by_themselves(pf, value)
        if len(set(named)) >= 2:
            shown = ", ".join(sorted(set(named))[:3])
            return f"{stmt.targets[0].id} at {pf.location(stmt.lineno)} maps names to {shown}"
        if not isinstance(value, ast.Dict) or not all(
            isinstance(k, ast.Constant) and isinstance(k.value, str) for k in value.keys
        ):
            continue
        names = [v.id for v in value.values if isinstance(v, ast.Name) and v.id in defined]
        if len(names) == len(value.values) and len(set(names)) >= 2:
            shown = ", ".join(sorted(set(names))[:3])
            return f"{stmt.targets[0].id} at {pf.location(stmt.lineno)} maps names to {shown}"
    return None


def _named_by_themselves(pf: PythonFile, value: ast.expr) -> list[str]:
    """Return the names a comprehension files each under its own name (`{f.__name__: f for f in (blur, noise)}`,
    or over a module-level tuple or list of names): functions or classes to pick by name."""
    if not (isinstance(value, ast.DictComp) and len(value.generators) == 1):
        return []
    loop = value.generators[0]
    if not isinstance(loop.target, ast.Name) or loop.ifs:
        return []
    element = loop.target.id
    key = value.key
    keyed = isinstance(key, ast.Attribute) and key.attr == "__name__" and _names_var(key.value, element)
    if not (keyed and _names_var(value.value, element)):
        return []
    source = loop.iter
    if isinstance(source, ast.Name):
        bound = assigned_values(pf.tree, source.id)
        source = bound[-1] if len(bound) == 1 else source
    if not isinstance(source, ast.Tuple | ast.List):
        return []
    return [elt.id for elt in source.elts if isinstance(elt, ast.Name)]


@register_capability
class TypedDataObjects(Capability):
    """Data passed between parts travels in typed objects (dataclass, pydantic, attrs, NamedTuple,
    TypedDict), not loose dicts; three or more earn it fully."""

    key = "typed_data_objects"
    practice = "interfaces"
    title = "Typed data objects"
    points = 15

    def assess(self, project: Project) -> Assessment:
        # an example's dataclass shows a caller how to configure the project; it carries no data between its parts
        found = [typed for pf in code_files(project) if not is_example(pf.path) for typed in evidence_of(pf).typed]
        if not found:
            return Assessment.missing(
                "No dataclass, pydantic model, NamedTuple or TypedDict carries data between parts"
            )
        return Assessment.partly(len(found) / 3, f"{len(found)} typed data classes, e.g. {', '.join(found[:2])}")


def _is_typed(pf: PythonFile, node: ast.ClassDef) -> bool:
    """Return True for dataclass/attrs classes and pydantic/NamedTuple/TypedDict/msgspec subclasses (resolved)."""
    for dec in node.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        if (pf.qualname(target) or "") in TYPED_DECORATOR_NAMES:
            return True
    return any((pf.qualname(base) or "").startswith(TYPED_BASE_PREFIXES) for base in node.bases)


def _typed_by_call(pf: PythonFile) -> tuple[str, ...]:
    """Return the typed records built by the functional syntax, `Point = NamedTuple("Point", [("x", int)])` or
    `TypedDict("Row", {"id": int})`; `collections.namedtuple` names its fields but types none, so it is not one."""
    found: list[str] = []
    for stmt in pf.tree.body:
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
            continue
        call = stmt.value
        if isinstance(call, ast.Call) and len(call.args) >= 2 and _is_typed_base(pf.qualname(call.func) or ""):
            found.append(f"{stmt.targets[0].id} ({pf.location(stmt.lineno)})")
    return tuple(found)


def _is_typed_base(name: str) -> bool:
    return name.rsplit(".", 1)[-1] in ("NamedTuple", "TypedDict") and name.startswith(TYPED_BASE_PREFIXES)


@register_capability
class FrameworkContracts(Capability):
    """Components follow their framework's contract (torch Dataset and nn.Module, Lightning module and data
    module, scikit-learn estimator (`BaseEstimator`, an estimator mixin, or any class of sklearn's estimator modules
    it extends: a private `LogisticRegression(sklearn.linear_model.LogisticRegression)`, or a class defining
    `get_params` and `set_params` itself: the duck-typed estimator scikit-learn's developer guide allows), Keras model
    and its other extension points (a `keras.utils.Sequence` or `PyDataset` feeding fit, a Loss, Metric,
    LearningRateSchedule, Optimizer, Initializer, Regularizer or Constraint subclass), gym environment and wrapper, a
    trainer's callback, and the
    extension points of modelling frameworks: an autograd Function, a torch Sampler a DataLoader draws from or an
    LR scheduler, a torch, Pyro, NumPyro, TFP or PyMC distribution, a PyMC step method, a PyTensor Op or random
    variable, a GPyTorch
    model or kernel, a BoTorch acquisition function, a PyG or DGL layer or dataset, and the Hugging Face stack's: a
    generation hook such as a StoppingCriteria, a Trainer or TRL trainer subclass, a datasets builder, a pipeline of
    transformers (`Pipeline`, a task pipeline: its preprocess/_forward/postprocess hooks) or of diffusers
    (`DiffusionPipeline`, `StableDiffusionPipeline`) and a diffusers `ModelMixin`; the extension points of LLM
    frameworks: a LangChain retriever, model, embedding, tool, document loader, text splitter or document compressor,
    a LlamaIndex LLM, retriever, reader, node parser or node postprocessor, and a class registered as a Haystack
    component (`@component`: its `run()` sockets connect it in a Pipeline); a spaCy pipeline component (a `Pipe` or
    `TrainablePipe`, or a class or factory function registered by `@Language.factory` / `@Language.component`, which
    `nlp.add_pipe` builds by name); the extension points of ML pipeline frameworks: a Kedro dataset (`AbstractDataset`,
    `AbstractVersionedDataset`: what the Data Catalog loads and saves) or runner, a Metaflow `FlowSpec`, a ZenML
    materializer and a Flyte type transformer; a Gradio custom component (a `Component` subclass: Blocks call its
    preprocess/postprocess hooks); and JAX's
    for state containers: a class registered as a pytree by `@flax.struct.dataclass`, `@chex.dataclass`,
    `@jax.tree_util.register_pytree_node_class` or `register_pytree_node(Cls, ...)`, or by a decorator of the
    project's own that calls such a registration (a dataclass wrapper), or a class defining the pytree
    methods that registration calls, `tree_flatten` and the classmethod `tree_unflatten`, which jit, grad and vmap
    pass through), so they
    plug into its loaders, trainers and pipelines; two distinct contracts earn it fully. A framework's own classes extending
    it (BoTorch's acquisition functions in BoTorch) follow no other framework's contract. A base reached through a
    module of the project that only re-exports a framework (`pkg/backend/keras.py` holding `from keras import *`:
    `class Augment(backend.keras.layers.Layer)`) is that framework's."""

    key = "framework_contracts"
    practice = "interfaces"
    title = "Components follow framework contracts"
    points = 20

    def assess(self, project: Project) -> Assessment:
        found: dict[str, str] = {}
        for pf in code_files(project):
            for _, label, where in framework_classes(project, pf):
                found.setdefault(label, where)
        if not found:
            return Assessment.missing("No class implements a framework contract (Dataset, nn.Module, estimator, ...)")
        shown = "; ".join(f"{label}: {where}" for label, where in list(found.items())[:3])
        return Assessment.partly(len(found) / 2, shown)


def _resolved(pf: PythonFile, base: ast.expr) -> str:
    """Return a base class's qualified name (of a generic's origin: `gym.Wrapper[Obs, Act]`) with the common
    torch aliases normalised."""
    return _normalised(pf.qualname(base.value if isinstance(base, ast.Subscript) else base) or "")


def _from_imported(pf: PythonFile, expr: ast.expr) -> str:
    """Return the absolute dotted name of a name a from-import binds, or of an attribute chain on one, a relative
    import resolved (`keras.layers.Layer` after `from ..backend import keras`: `pkg.backend.keras.layers.Layer`;
    `@dataclasses.dataclass` after `from . import dataclasses`), or ""."""
    node = expr.value if isinstance(expr, ast.Subscript) else expr
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not (isinstance(node, ast.Name) and node.id in pf.from_imports):
        return ""
    module, name = pf.from_imports[node.id]
    return ".".join([*filter(None, (module, name)), *reversed(parts)])


def _normalised(name: str) -> str:
    """Return a qualified class name with the common torch aliases normalised."""
    return name.replace("torch.nn.modules.module.Module", "torch.nn.Module").replace(
        "torch.utils.data.dataset.", "torch.utils.data."
    )
