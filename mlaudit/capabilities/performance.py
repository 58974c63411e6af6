"""Provides the capabilities of the `performance` practice: vectorised, batched, accelerated, measured."""

from __future__ import annotations

import ast
import codecs
import posixpath
import re
from dataclasses import dataclass

from mlaudit.capabilities import Assessment, Capability, register_capability
from mlaudit.capabilities._common import code_files, is_true, keyword
from mlaudit.capabilities.reproducibility import first_training_call
from mlaudit.facts.distributions import without_sklearn_lightning
from mlaudit.facts.kind import project_kind
from mlaudit.facts.loops import COMPILERS, NUMERIC_LIBS
from mlaudit.model import FileKind, Severity
from mlaudit.project import Project, PythonFile, in_loop
from mlaudit.rules.performance._shared import LoopFinding, profiling_evidence, slow_loops

ARRAY_PREFIXES = ("numpy.", "torch.", "jax.", "cupy.", "tensorflow.", "pandas.", "scipy.", "polars.", "einops.")
AUTOGRAD = ("torch", "tensorflow", "jax", "keras")
MODEL_LIBRARIES = frozenset(
    {*AUTOGRAD, "flax", "paddle", "mxnet", "sklearn", "xgboost", "lightgbm", "catboost", "onnxruntime"}
    | {"transformers", "lightning", "pytorch_lightning", "tensorrt", "openvino", "statsmodels"}
    | {"tensorrt_llm", "vllm", "ctranslate2", "faster_whisper", "llama_cpp"}
)
NO_MODEL = "no model library (torch, tensorflow, scikit-learn, ...) is used"
# model libraries with no autograd: their models track no gradients to switch off at inference
NO_AUTOGRAD = frozenset({"sklearn", "xgboost", "lightgbm", "catboost", "onnxruntime", "statsmodels"})
# the calls that switch gradient tracking off (`torch.enable_grad` switches it on: never evidence)
NO_GRAD = frozenset({"torch.no_grad", "torch.inference_mode", "torch.set_grad_enabled", "torch.autograd.no_grad"})
# TorchScript's compiling entry points (its guards and markers, `torch.jit.is_scripting()`, `@torch.jit.ignore`, compile
# nothing), a scripted module loaded to run included
TORCHSCRIPT_COMPILERS = (
    *("torch.jit.script", "torch.jit.trace", "torch.jit.trace_module", "torch.jit.freeze"),
    *("torch.jit.optimize_for_inference", "torch.jit.load"),
)
ACCELERATORS: dict[str, str] = {
    "torch.autocast": "mixed precision",
    "torch.cuda.amp": "mixed precision",
    "torch.amp": "mixed precision",
    "torch.compile": "torch.compile",
    # a compiler counts where it compiles: `torch.jit.is_scripting()` or `numba.typed.List()` compiles nothing
    **dict.fromkeys(TORCHSCRIPT_COMPILERS, "TorchScript"),
    **dict.fromkeys(sorted(name for name in COMPILERS if name.startswith("numba.")), "numba JIT"),
    "jax.jit": "jax.jit",
    # JAX libraries' jit wrappers (`@nnx.jit`, `eqx.filter_jit`) compile as jax.jit does
    "flax.nnx.jit": "jax.jit",
    "flax.linen.jit": "jax.jit",
    "equinox.filter_jit": "jax.jit",
    # a step replicated over devices (`jax.pmap`) or arrays laid out over a device mesh (`NamedSharding`, shard_map)
    "jax.pmap": "multi-device parallelism",
    "flax.nnx.pmap": "multi-device parallelism",
    "equinox.filter_pmap": "multi-device parallelism",
    "jax.sharding": "multi-device parallelism",
    "jax.experimental.pjit": "multi-device parallelism",
    "jax.experimental.shard_map": "multi-device parallelism",
    "jax.shard_map": "multi-device parallelism",
    "jax.experimental.mesh_utils": "multi-device parallelism",
    "jax.experimental.pallas": "Pallas kernels",
    "jmp": "mixed precision",  # JAX's mixed-precision policies
    "torch.nn.functional.scaled_dot_product_attention": "fused attention",
    "onnxruntime": "ONNX Runtime",
    "tensorrt": "TensorRT",
    "tensorrt_llm": "TensorRT-LLM",
    "vllm": "vLLM",
    "ctranslate2": "CTranslate2",
    "faster_whisper": "CTranslate2 (faster-whisper)",
    "openvino": "OpenVINO",
    "triton": "Triton kernels",
    "xformers": "xformers",
    "flash_attn": "flash attention",
    "torch.nn.parallel.DistributedDataParallel": "distributed training",
    "torch.nn.DataParallel": "data parallelism",
    "accelerate": "accelerate",
    "deepspeed": "DeepSpeed",
    "tensorflow.function": "tf.function graphs",
    # CPU-bound work spread over the machine's cores (a thread pool, for waiting on I/O, is no such speed-up)
    "multiprocessing.Pool": "process pool",
    "multiprocessing.pool.Pool": "process pool",
    "torch.multiprocessing.Pool": "process pool",
    "concurrent.futures.ProcessPoolExecutor": "process pool",
    "joblib.Parallel": "process pool",
}
ACCEL_STARTS = tuple(ACCELERATORS)
# the libraries a call into which is numeric work unless it is upkeep: array, tensor and model libraries
NUMERIC_LIBRARIES = NUMERIC_LIBS | MODEL_LIBRARIES | {"einops", "jaxlib"}
GRAD_FREE_RUNNERS = {
    "onnxruntime": "ONNX Runtime",
    "tensorrt": "TensorRT",
    "tensorrt_llm": "TensorRT-LLM",
    "vllm": "vLLM",
    "ctranslate2": "CTranslate2",
    "faster_whisper": "CTranslate2 (faster-whisper)",
    "openvino": "OpenVINO",
    "llama_cpp": "llama.cpp",
    "pytorch_lightning": "Lightning (validation and predict steps run under no_grad)",
    "lightning": "Lightning (validation and predict steps run under no_grad)",
    "skorch": "skorch (its predict and validation steps run with gradients off)",
}
ACCEL_KEYWORDS = {"pin_memory": "pinned-memory loading", "persistent_workers": "persistent loader workers"}
ACCEL_ATTRS = {
    "channels_last": "channels_last memory format",
    "half": "half precision",
    "benchmark": "cudnn autotuning",
}
BATCH_KEYWORDS = frozenset({"batch_size", "batched", "per_device_eval_batch_size", "per_device_train_batch_size"})
BATCH_METHODS = frozenset(
    {"predict", "predict_proba", "encode", "embed", "embed_documents", "transform", "forward", "infer", "score"}
)
BATCH_HINT = re.compile(r"\b(Sequence|list|List|Iterable|ndarray|NDArray|Tensor|DataFrame|Array)\b|Array$")
BATCH_NAMES = frozenset({"batch", "texts", "inputs", "images", "features", "samples", "X", "x_batch", "docs"})
VECTOR_FLOOR = 0.6
# Calls into a numeric library that compute nothing: seeding or saving its random state, asking which devices exist,
# reading and writing files through it (`torch.manual_seed(s)`, `torch.cuda.is_available()`, `tf.io.gfile.GFile(p)`).
# A generator made to draw from (`np.random.default_rng(s)`) is not among them: its draws are numeric work.
UPKEEP_FUNCS = frozenset(
    {"seed", "manual_seed", "manual_seed_all", "set_seed", "set_random_seed", "initial_seed"}
    | {"get_rng_state", "set_rng_state", "get_rng_state_all", "set_rng_state_all", "get_state", "set_state"}
    | {"is_available", "device_count", "current_device", "get_device_name", "get_device_properties", "set_device"}
    | {"list_physical_devices", "list_logical_devices", "is_gpu_available", "is_built_with_cuda"}
    | {"devices", "local_devices", "local_device_count", "process_index", "process_count"}
)
UPKEEP_PREFIXES = ("tensorflow.io.gfile.", "tensorflow.gfile.")
LOOP_WEIGHT = 3  # one slow loop weighs three functions doing array work


@dataclass(frozen=True)
class PerfFacts:
    """Array calls, batching, no-grad use and accelerations found in the code."""

    array_calls: int
    frameworks: frozenset[str]
    batching: str | None
    no_grad: str | None
    accelerations: dict[str, str]
    torch_models: bool = False
    readies_model: bool = False  # some code loads weights into a model or puts one in eval mode
    keras_layers: bool = False  # some code defines a Keras Layer or Model subclass
    keras_runs: bool = False  # some code loads, predicts with, evaluates or fits a Keras model
    numeric_functions: int = 0  # functions (a module's top level counting as one) making an array call
    upkeep_calls: int = 0  # calls into numeric or model libraries that only seed, ask for devices or do file I/O
    work_calls: int = 0  # every other call into a numeric or model library


@dataclass(frozen=True)
class FilePerf:
    """A code file's performance evidence (a per-file fact): its array calls and the first sign of each kind."""

    array_calls: int
    batching: str | None  # a batched call, else a method taking a batch
    no_grad: str | None  # a grad-free call, else a decorator or a reference to one
    accelerations: tuple[tuple[str, str], ...]  # label and where, first occurrence of each
    torch_model: bool = False  # a torch.nn layer, data loader, checkpoint load or module method (`.eval()`)
    readies_model: bool = False  # `model.eval()`, a weight load, or a prediction call outside a `forward` method
    keras_layers: bool = False  # a class extending a Keras Layer or Model
    keras_runs: bool = False  # `model.load_weights(...)`, `.predict(...)`, `.evaluate(...)`, `.fit(...)`, `load_model`
    numeric_functions: int = 0  # functions (a module's top level counting as one) making an array call
    upkeep_calls: int = 0  # calls into numeric or model libraries that only seed, ask for devices or do file I/O
    work_calls: int = 0  # every other call into a numeric or model library


FILE_PERF_FACT = "capabilities.performance.file"  # a per-file fact (mlaudit.filefacts)
# The sample-data and metric modules of model libraries (`from sklearn.datasets import make_blobs`,
# `sklearn.metrics.classification_report(y_true, y_pred)`): importing only them draws or loads data, or scores
# predictions made elsewhere, and builds no model.
TOY_DATA_MODULES = ("sklearn.datasets", "keras.datasets", "tensorflow.keras.datasets", "sklearn.metrics")


def perf_facts(project: Project) -> PerfFacts:
    """Return the performance facts of the project (computed once)."""
    facts: PerfFacts = project.fact("capabilities.performance", _collect)
    return facts


def _collect(project: Project) -> PerfFacts:
    array_calls = 0
    frameworks: set[str] = set()
    batching: str | None = None
    no_grad: str | None = None
    accel: dict[str, str] = {}
    torch_models = False
    readies = False
    keras_layers = keras_runs = False
    numeric_functions = upkeep_calls = work_calls = 0
    # settings modules (`configs/x.py`: `train_dataloader = dict(batch_size=..., num_workers=...)`) count too;
    # the package's own code is the evidence before an example, benchmark or notebook showing the same
    files = code_files(project, FileKind.LIBRARY, FileKind.SCRIPT, FileKind.NOTEBOOK, FileKind.CONFIG)
    for pf in sorted(files, key=lambda pf: pf.kind is not FileKind.LIBRARY):
        modules = without_sklearn_lightning(pf.imported_modules, pf.imports.values())
        frameworks.update(m.split(".", 1)[0] for m in modules if not m.startswith(TOY_DATA_MODULES))
        found = pf.file_fact(FILE_PERF_FACT, file_perf)
        array_calls += found.array_calls
        numeric_functions += found.numeric_functions
        upkeep_calls += found.upkeep_calls
        work_calls += found.work_calls
        batching = batching or found.batching
        no_grad = no_grad or found.no_grad
        torch_models = torch_models or found.torch_model
        readies = readies or found.readies_model
        keras_layers = keras_layers or found.keras_layers
        keras_runs = keras_runs or found.keras_runs
        for label, where in found.accelerations:
            accel.setdefault(label, where)
    return PerfFacts(
        array_calls,
        frozenset(frameworks),
        batching,
        no_grad,
        accel,
        torch_models,
        readies,
        keras_layers,
        keras_runs,
        numeric_functions,
        upkeep_calls,
        work_calls,
    )


def file_perf(pf: PythonFile) -> FilePerf:
    """Return one code file's performance evidence: array calls, batching, grad-free inference, speed-ups."""
    array_calls = 0
    batching: str | None = None
    no_grad: str | None = None
    accel: dict[str, str] = {}
    torch_model = False
    readies = False
    own_torch_model = False  # a torch layer, scripted, exported, compiled or hub model, or weights loaded into one
    numeric: set[int] = set()  # the first lines of the functions making array calls (0: the module's top level)
    keras_runs = False
    upkeep = work = 0
    _imports_accel(pf, accel)
    for call in pf.nodes(ast.Call):
        name = pf.call_name(call) or ""
        if name.split(".", 1)[0] in NUMERIC_LIBRARIES:
            if upkeep_call(name):
                upkeep += 1
            else:
                work += 1
        own_torch_model = own_torch_model or _own_torch_model_call(call, name)
        # `data, slices = torch.load(path)`, or `stats = torch.load(path)` walked by `stats.items()`: saved data
        restores_data = name in TORCH_MODEL_CALLS | READYING_CALLS and (
            _unpacked(pf, call) or _walked_mapping(pf, call)
        )
        torch_model = torch_model or (not restores_data and _torch_model_call(call, name))
        readies = readies or (not restores_data and _runs_model(pf, call, name))
        keras_runs = keras_runs or _runs_keras_model(call, name)
        if name.startswith(ARRAY_PREFIXES):
            array_calls += 1
            host = pf.enclosing_function(call)
            numeric.add(0 if host is None else host.lineno)
        if name in NO_GRAD and no_grad is None:
            no_grad = f"{pf.location(call.lineno)} ({name})"
        if batching is None and _batches(pf, call, name):
            batching = f"{pf.location(call.lineno)} ({_batch_call(call)})"
        elif batching is None and (filled := _fills_batch(pf, call)):
            batching = f"{pf.location(call.lineno)} ({filled})"
        elif batching is None and (whole := _infers_whole_input(call)):
            batching = f"{pf.location(call.lineno)} ({whole})"
        _call_accel(pf, call, name, accel)
    _decorator_accel(pf, accel)
    batching = batching or _batch_api(pf) or _vmap_decorator(pf)
    no_grad = no_grad or _no_grad_decorator(pf) or _no_grad_reference(pf) or _grad_free_api(pf)
    if _other_framework_module(pf) or (_feeds_other_framework(pf) and not own_torch_model):
        torch_model = readies = False
    return FilePerf(
        array_calls,
        batching,
        no_grad,
        tuple(accel.items()),
        torch_model,
        readies,
        _keras_layer(pf),
        keras_runs,
        len(numeric),
        upkeep,
        work,
    )


def upkeep_call(name: str) -> bool:
    """Return True for a call into a numeric library that computes nothing: it seeds or saves a random state, asks
    for devices, or reads and writes files (`torch.manual_seed`, `torch.cuda.is_available`, `tf.io.gfile.makedirs`)."""
    return name.rsplit(".", 1)[-1] in UPKEEP_FUNCS or name.startswith(UPKEEP_PREFIXES)


KERAS_PACKAGES = ("keras.", "tensorflow.keras.", "tf_keras.", "tensorflow.python.keras.")
KERAS_MODEL_BASES = ("Layer", "Model")
# a Keras model made ready or run: weights loaded, a prediction, an evaluation or a fit
KERAS_RUN_METHODS = frozenset(
    {"load_weights", "predict", "predict_on_batch", "evaluate", "fit", "fit_generator", "train_on_batch"}
)


def _keras_layer(pf: PythonFile) -> bool:
    """Return True when the module defines a class extending a Keras Layer or Model (`keras.layers.Layer`,
    `tf.keras.Model`, `keras.models.Model`)."""
    for node in pf.nodes(ast.ClassDef):
        for base in node.bases if isinstance(node, ast.ClassDef) else ():
            name = pf.qualname(base) or ""
            if name.startswith(KERAS_PACKAGES) and name.rsplit(".", 1)[-1] in KERAS_MODEL_BASES:
                return True
    return False


def _runs_keras_model(call: ast.Call, name: str) -> bool:
    """Return True for a call that loads, predicts with, evaluates or fits a model (`model.load_weights(path)`,
    `model.predict(x)`, `keras.models.load_model(path)`), read in any module: a Keras layer library makes none."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in KERAS_RUN_METHODS:
        return True
    return name.endswith(("load_model", "saved_model.load"))


# model libraries with their own model classes: a module built on one of them (and not on torch) runs their models
TAPED_FRAMEWORKS = frozenset({"keras", "tensorflow", "tf_keras", "jax", "flax"})


def _other_framework_module(pf: PythonFile) -> bool:
    """Return True for a module built on Keras, TensorFlow or JAX that does not import torch: its `model(x)`,
    `model.predict(...)` and `.parameters()` are that framework's models (a Keras 3 library importing torch
    only as one backend), not evidence of a torch model. The framework may come through the package's own
    backend module (`from mylib.backend import keras`): the name it binds says which."""
    used = {module.split(".", 1)[0] for module in pf.imported_modules} | set(pf.imports)
    return "torch" not in used and bool(used & TAPED_FRAMEWORKS)


def _feeds_other_framework(pf: PythonFile) -> bool:
    """Return True for a module importing torch beside JAX/Flax or TensorFlow/Keras: there torch reads what the
    other framework's model takes (`torch.load` of a checkpoint converted to arrays, a torch `DataLoader` feeding
    batches), and `model(x)` or `model.eval()` are most likely that framework's model; only a torch model of its
    own (`_own_torch_model_call`) shows torch inference."""
    used = {module.split(".", 1)[0] for module in pf.imported_modules} | set(pf.imports)
    return "torch" in used and bool(used & TAPED_FRAMEWORKS)


# calls that build, load or compile a torch model whatever else the module imports
OWN_TORCH_MODEL_PREFIXES = ("torch.nn.", "torch.jit.", "torch.export.")
OWN_TORCH_MODEL_CALLS = frozenset({"torch.compile", "torch.hub.load"})


def _own_torch_model_call(call: ast.Call, name: str) -> bool:
    """Return True for a torch layer or functional op, a scripted or exported module, `torch.compile`, a hub
    model (`torch.hub.load`, not `load_state_dict_from_url`, which returns tensors) or `.load_state_dict(...)`."""
    if name.startswith(OWN_TORCH_MODEL_PREFIXES) or name in OWN_TORCH_MODEL_CALLS:
        return True
    return isinstance(call.func, ast.Attribute) and call.func.attr == "load_state_dict"


TORCH_MODEL_PREFIXES = ("torch.nn.", "torch.utils.data.", "torch.jit.", "torch.hub.", "torch.export.")
TORCH_MODEL_CALLS = frozenset({"torch.load", "torch.compile"})
MODULE_METHODS = frozenset({"eval", "load_state_dict", "state_dict", "parameters", "from_pretrained"})
FORWARD_NAMES = frozenset({"model", "net", "network", "module", "policy", "encoder", "decoder", "backbone"})


def _torch_model_call(call: ast.Call, name: str) -> bool:
    """Return True for a call that shows a torch model: a `torch.nn` layer or function, a data loader, a loaded
    checkpoint or scripted module, a module method (`model.eval()`, `model.parameters()`) or a forward pass
    through something named a model or net (`model(x)`)."""
    if name.startswith(TORCH_MODEL_PREFIXES) or name in TORCH_MODEL_CALLS:
        return True
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in MODULE_METHODS:
        return not (func.attr == "eval" and call.args)
    callee = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return callee.lower() in FORWARD_NAMES or callee.lower().endswith(
        ("_net", "_network")
    )  # `model(x)`, `policy_net(x)`


# calls that run a model to predict: weights loaded into it, evaluation mode switched on, a prediction method
READYING_METHODS = frozenset({"load_state_dict", "from_pretrained", "load_from_checkpoint", "generate", "predict"})
READYING_CALLS = frozenset(
    {"torch.load", "torch.jit.load", "torch.hub.load", "torch.export.load", "transformers.pipeline"}
    # a hub model built by name downloads its pretrained weights (`SentenceTransformer("all-MiniLM-L6-v2")`)
    | {"sentence_transformers.SentenceTransformer", "sentence_transformers.CrossEncoder"}
)
LAYER_METHODS = frozenset({"forward", "__call__", "__init__"})  # a layer calling its sublayers runs no prediction


def _runs_model(pf: PythonFile, call: ast.Call, name: str) -> bool:
    """Return True for `model.eval()`, a weight or checkpoint load, `model.generate(...)`, or a forward pass
    through something named a model (`model(x)`, `policy_net(x)`) outside a layer's own `forward`."""
    func = call.func
    if name in READYING_CALLS:
        return True
    if isinstance(func, ast.Attribute) and func.attr in READYING_METHODS and _readies_no_model(pf, call, func):
        return False
    if isinstance(func, ast.Attribute) and (
        func.attr in READYING_METHODS or (func.attr == "eval" and not call.args and not call.keywords)
    ):
        return True
    callee = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if not (callee.lower() in FORWARD_NAMES or callee.lower().endswith(("_net", "_network"))):
        return False
    host = pf.enclosing_function(call)
    return host is None or host.name not in LAYER_METHODS


# Endings of the names of what holds no weights (`train_loader`, `StreamingDataLoader`, `AutoTokenizer`): a data
# loader's or dataset's `load_state_dict` restores where its iteration stopped; a tokenizer's, config's or
# processor's `from_pretrained` reads vocabularies and settings.
NO_WEIGHTS_ENDINGS = (
    "dataset",
    "loader",
    "sampler",
    "iterator",
    "tokenizer",
    "config",
    "processor",
    "featureextractor",
)


def _readies_no_model(pf: PythonFile, call: ast.Call, func: ast.Attribute) -> bool:
    """Return True for a readying method called on what holds no weights: `dataset.load_state_dict(state)`,
    `self.load_state_dict(...)` or `super().load_state_dict(...)` in a DataLoader or Dataset class (resuming where
    iteration stopped), `AutoTokenizer.from_pretrained(name)`, `AutoConfig.from_pretrained(name)`."""
    owner = func.value
    if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "super":
        owner = ast.Name(id="self")
    if isinstance(owner, ast.Name) and owner.id == "self":
        cls = next((a for a in pf.ancestors(call) if isinstance(a, ast.ClassDef)), None)
        receiver = cls.name if cls is not None else ""
    else:
        receiver = owner.attr if isinstance(owner, ast.Attribute) else owner.id if isinstance(owner, ast.Name) else ""
    return receiver.lower().replace("_", "").endswith(NO_WEIGHTS_ENDINGS)


def _unpacked(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for a call whose result is unpacked into several names (`itos, stoi, vectors = torch.load(p)`,
    `self.data, self.slices = torch.load(p)`): a load that restores a tuple of saved data (tensors, a vocabulary,
    a dataset's collated storage), not a model or its weights."""
    parent = pf.parent(call)
    return (
        isinstance(parent, ast.Assign)
        and len(parent.targets) == 1
        and isinstance(parent.targets[0], ast.Tuple | ast.List)
        and not any(isinstance(e, ast.Starred) for e in parent.targets[0].elts)
    )


MAPPING_WALKS = frozenset({"items", "keys", "values"})


def _walked_mapping(pf: PythonFile, call: ast.Call) -> bool:
    """Return True for a load bound to one name that its function walks as a mapping (`landmarks = torch.load(p)`,
    then `for key, value in landmarks.items()`): saved arrays or statistics by name, not a model (weights loaded
    into one are `load_state_dict`'s, which readies the model itself)."""
    parent = pf.parent(call)
    if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name)):
        return False
    name, scope = parent.targets[0].id, pf.enclosing_function(call) or pf.tree
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in MAPPING_WALKS
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == name
        for node in ast.walk(scope)
    )


# JAX's vectorising map and its wrappers: the function runs once over a whole batch axis (`jax.vmap(model)(images)`)
VMAPS = frozenset({"jax.vmap", "flax.nnx.vmap", "flax.linen.vmap", "equinox.filter_vmap", "haiku.vmap"})


def _batches(pf: PythonFile, call: ast.Call, name: str) -> bool:
    named = next((k for k in call.keywords if _batch_keyword(k.arg)), None)
    if named is not None:  # `batched=True` (datasets.map) or a size other than 1/None
        value = named.value.value if isinstance(named.value, ast.Constant) else ...
        return value is not False if named.arg == "batched" else value not in (1, None)
    if isinstance(call.func, ast.Attribute) and call.func.attr in {"batch", "padded_batch"}:
        return name.startswith(("tensorflow", "dgl.")) or name == ""
    if _merges_graphs(call) or name in VMAPS:
        return True
    if _strided_by_batch(call):
        return True
    return name.endswith("DataLoader") and len(call.args) >= 2


# inference calls that take a whole input (`model.predict_proba(X)`): one call over every row is batched inference
WHOLE_INPUT_METHODS = frozenset(
    {"predict", "predict_proba", "predict_log_proba", "decision_function", "encode", "embed", "embed_documents"}
)
WHOLE_INPUT_NAME = re.compile(r"^(?:X(?:_\w+)?|\w+_batch)$")  # `X`, `X_test`, `x_batch`


def _infers_whole_input(call: ast.Call) -> str:
    """Return `model.predict_proba(X)` for an inference method called on a whole input, named as a collection
    (`X`, `X_test`, `texts`, `docs`, `batch`), else "": the model runs once over every row. One item (`x`, `text`,
    `row`), the item of a loop, runs it per item."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr in WHOLE_INPUT_METHODS and call.args):
        return ""
    first = call.args[0]
    if not isinstance(first, ast.Name) or not (first.id in BATCH_NAMES or WHOLE_INPUT_NAME.match(first.id)):
        return ""
    return f"{ast.unparse(func)[:50]}({first.id}) infers a whole input at once"


FILLED = (ast.Eq, ast.GtE)


def _fills_batch(pf: PythonFile, call: ast.Call) -> str:
    """Return the test of a loop that collects items until a batch is full (`if len(tokens) == batch_size:`, then
    the batch is yielded or predicted at once), else "". A bound checked outside a loop validates an input."""
    if not (isinstance(call.func, ast.Name) and call.func.id == "len" and len(call.args) == 1):
        return ""
    test = pf.parent(call)
    if not (isinstance(test, ast.Compare) and test.left is call and len(test.ops) == 1):
        return ""
    label = ast.unparse(test.comparators[0]).lower()
    if not (isinstance(test.ops[0], FILLED) and "batch" in label):
        return ""  # a chunk of rows written to a database (`INSERT_CHUNK_SIZE`) is no batch of model inputs
    return ast.unparse(test)[:60] if in_loop(pf, test) else ""


def _merges_graphs(call: ast.Call) -> bool:
    """Return True for `Batch.from_data_list(graphs)` (PyTorch Geometric): many graphs merged into one batched
    graph that a model runs at once, as `dgl.batch(graphs)` does."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr != "from_data_list":
        return False
    owner = func.value
    return (
        owner.attr if isinstance(owner, ast.Attribute) else owner.id if isinstance(owner, ast.Name) else ""
    ) == "Batch"


def _batch_keyword(name: str | None) -> bool:
    """Return True for a batch-size keyword, however spelt: `batch_size=`, `eval_batch_size=`, captum's
    `internal_batch_size=`, `batchsize=`, `minibatch_size=`."""
    return name is not None and (name in BATCH_KEYWORDS or name.replace("_", "").lower().endswith("batchsize"))


def _batch_call(call: ast.Call) -> str:
    """Return how a call batches: `DataLoader(..., batch_size=...)`, `range(..., chunk_size)`, `ds.batch(...)`."""
    func = ast.unparse(call.func)[:50]
    named = next((k.arg for k in call.keywords if _batch_keyword(k.arg)), None)
    if named is not None:
        return f"{func}(..., {named}=...)"
    if isinstance(call.func, ast.Name) and call.func.id == "range" and len(call.args) == 3:
        return f"range(..., step {ast.unparse(call.args[2])[:30]})"
    return f"{func}(...)"


def _strided_by_batch(call: ast.Call) -> bool:
    """Return True for hand-rolled batching: `range(0, n, batch_size)` or `x.split(batch_size)`/`chunk(...)`."""
    if isinstance(call.func, ast.Name) and call.func.id == "range" and len(call.args) == 3:
        step = call.args[2]
    elif isinstance(call.func, ast.Attribute) and call.func.attr in {"split", "chunk", "array_split"} and call.args:
        step = call.args[0] if call.func.attr != "array_split" or len(call.args) < 2 else call.args[1]
    else:
        return False
    label = ast.unparse(step).lower()
    return "batch" in label or "chunk" in label


def is_one(node: ast.expr) -> bool:
    """Return True for the literals 1, 0 and None (no parallelism)."""
    return isinstance(node, ast.Constant) and node.value in (1, 0, None)


def _vmap_decorator(pf: PythonFile) -> str | None:
    """Return a function decorated with a bare vmap (`@jax.vmap def loss(x, y)`): it runs over a batch axis."""
    for func in pf.nodes(ast.FunctionDef):
        if not isinstance(func, ast.FunctionDef):
            continue
        for dec in func.decorator_list:
            name = pf.qualname(dec) or ""
            if name in VMAPS:
                return f"{pf.location(dec.lineno)} (@{name} on {func.name})"
    return None


def _batch_api(pf: PythonFile) -> str | None:
    """Return a predict/encode/forward method whose input is a batch (a sequence, array, tensor or frame), or a
    method named for a batch taking one (`batch_act(self, batch_obs)`)."""
    for func in pf.nodes(ast.FunctionDef):
        params = [a for a in func.args.args if a.arg not in ("self", "cls")]
        if params and _takes_batch(func.name, params[0]):
            first = params[0]
            hint = ast.unparse(first.annotation) if first.annotation is not None else ""
            return f"{pf.location(func.lineno)} ({func.name}({first.arg}{': ' + hint if hint else ''}) takes a batch)"
    return None


def _takes_batch(name: str, first: ast.arg) -> bool:
    """Return True for a batch method's first parameter: an inference method given a sequence, array, tensor or
    frame (by annotation or name), or a method named for a batch given one (`batch_act(batch_obs)`,
    `augment_batches(batches)`, `predict_batch(batch)`)."""
    if name in BATCH_METHODS:
        hint = ast.unparse(first.annotation) if first.annotation is not None else ""
        return bool(BATCH_HINT.search(hint)) or first.arg in BATCH_NAMES
    return "batch" in name.lower() and first.arg.startswith("batch") and not first.arg.endswith(BATCH_COUNTERS)


# parameters that count or index batches (`set_batch_size(batch_size)`, `on_batch_end(batch_idx)`): no batch of data
BATCH_COUNTERS = ("size", "sizes", "idx", "id", "index", "num", "count", "number", "no")


def _no_grad_decorator(pf: PythonFile) -> str | None:
    for func in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for dec in func.decorator_list:
            target = dec.func if isinstance(dec, ast.Call) else dec
            if (pf.qualname(target) or "") in NO_GRAD:
                return f"{pf.location(dec.lineno)} (@{pf.qualname(target)} on {func.name})"
    return None


_NO_GRAD_LAST = frozenset(name.rsplit(".", 1)[-1] for name in NO_GRAD)


# inference APIs that disable gradients themselves: transformers' `generate()` and pipelines run under
# torch.no_grad, sentence-transformers' `encode()` (and its `encode_query`/`encode_document`) under inference_mode
GRAD_FREE_APIS = {
    "transformers": frozenset({"generate", "pipeline"}),
    "sentence_transformers": frozenset({"encode", "encode_query", "encode_document"}),
}


def _grad_free_api(pf: PythonFile) -> str | None:
    """Return the first use of an inference API that disables gradients itself, in a module importing its
    library: called or handed on (`model.generate(**inputs)` beside `import transformers`,
    `run_in_executor(encoder.encode_query, texts)` beside sentence-transformers)."""
    libraries = [lib for lib in GRAD_FREE_APIS if any(m.split(".", 1)[0] == lib for m in pf.imported_modules)]
    if not libraries:
        return None
    for node in pf.nodes(ast.Attribute, ast.Call):
        func = node.func if isinstance(node, ast.Call) else None
        name = node.attr if isinstance(node, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        library = next((lib for lib in libraries if name in GRAD_FREE_APIS[lib]), None)
        call = pf.parent(node) if isinstance(node, ast.Attribute) else None
        if library is not None and not (isinstance(call, ast.Call) and call.func is node and _text_encoding(call)):
            return f"{pf.location(node.lineno)} ({library} {name}() runs without gradients)"
    return None


def _no_grad_reference(pf: PythonFile) -> str | None:
    """Return a reference to torch.no_grad/inference_mode passed around (a wrapper returning the context)."""
    for node in pf.nodes(ast.Attribute):
        if node.attr not in _NO_GRAD_LAST:  # an attribute's qualified name ends with it: most cannot match
            continue
        name = pf.qualname(node) or ""
        if name in NO_GRAD and not isinstance(pf.parent(node), ast.Attribute):
            return f"{pf.location(node.lineno)} ({name})"
    return None


def _imports_accel(pf: PythonFile, accel: dict[str, str]) -> None:
    for module in sorted(pf.imported_modules):
        for prefix, label in ACCELERATORS.items():
            if (module == prefix or module.startswith(prefix + ".")) and label not in accel:
                accel[label] = f"{pf.path} imports {module}"


PARTIALS = frozenset({"functools.partial"})


def _call_accel(pf: PythonFile, call: ast.Call, name: str, accel: dict[str, str]) -> None:
    _named_accel(name, pf.location(call.lineno), accel)
    if name in PARTIALS and call.args:  # `@partial(jax.jit, static_argnums=1)` compiles as `jax.jit` does
        _named_accel(pf.qualname(call.args[0]) or "", pf.location(call.lineno), accel)
    if call.keywords and not _ACCEL_KEYWORD_NAMES.isdisjoint([k.arg for k in call.keywords]):
        _keyword_accel(pf, call, accel)
    for arg in (*call.args, *(k.value for k in call.keywords)):
        if isinstance(arg, ast.Attribute) and arg.attr == "channels_last" and ACCEL_ATTRS["channels_last"] not in accel:
            accel[ACCEL_ATTRS["channels_last"]] = pf.location(call.lineno)
    if isinstance(call.func, ast.Attribute) and call.func.attr == "half" and not call.args:
        accel.setdefault(ACCEL_ATTRS["half"], pf.location(call.lineno))


def _decorator_accel(pf: PythonFile, accel: dict[str, str]) -> None:
    """Record speed-ups applied as a bare decorator (`@jax.jit`, `@torch.compile`, `@torch.jit.script`): the
    decorated function is compiled as surely as by the call `jax.jit(f)`. A decorator with arguments is a call
    (`@tf.function(jit_compile=True)`), already read with the calls."""
    for func in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for dec in func.decorator_list:
            if not isinstance(dec, ast.Call):
                _named_accel(pf.qualname(dec) or "", pf.location(dec.lineno), accel)


def _named_accel(name: str, where: str, accel: dict[str, str]) -> None:
    """Record the speed-up a called or decorating name stands for (`torch.compile`, `jax.jit`), if any."""
    if name.startswith(ACCEL_STARTS):  # most names name nothing of the kind: one test spares the loop
        for prefix, label in ACCELERATORS.items():
            if (name == prefix or name.startswith(prefix + ".")) and label not in accel:
                accel[label] = where


PARALLEL_JOBS = "parallel jobs (n_jobs)"
PARALLEL_LOADING = "parallel data loading"
# tf.data's parallelism: `ds.map(parse, num_parallel_calls=AUTOTUNE)`, `interleave(...)`, `TFRecordDataset(files,
# num_parallel_reads=8)`: input elements read and transformed by several threads, as a DataLoader's workers do
TF_DATA_PARALLELISM = ("num_parallel_calls", "num_parallel_reads")
# every keyword `_keyword_accel` reads
_ACCEL_KEYWORD_NAMES = frozenset({*ACCEL_KEYWORDS, "n_jobs", "num_workers", *TF_DATA_PARALLELISM})


def _keyword_accel(pf: PythonFile, call: ast.Call, accel: dict[str, str]) -> None:
    """Record speed-ups a call's keywords switch on: pinned memory, parallel jobs (`n_jobs=`: an estimator's, a
    joblib or significance test's worker pool) or loaders (a DataLoader's `num_workers=`, tf.data's
    `num_parallel_calls=` / `num_parallel_reads=` other than 1 or None)."""
    for kw, label in ACCEL_KEYWORDS.items():
        if label not in accel and is_true(keyword(call, kw)):
            accel[label] = pf.location(call.lineno)
    jobs = keyword(call, "n_jobs")
    if PARALLEL_JOBS not in accel and jobs is not None and not is_one(jobs):
        accel[PARALLEL_JOBS] = pf.location(call.lineno)
    workers = keyword(call, "num_workers")
    idle = isinstance(workers, ast.Constant) and workers.value in (0, None)
    threads = [value for kw in TF_DATA_PARALLELISM if (value := keyword(call, kw)) is not None and not is_one(value)]
    loading = workers is not None and not idle and _configures_loader(call)
    if PARALLEL_LOADING not in accel and (loading or threads):
        accel[PARALLEL_LOADING] = pf.location(call.lineno)


LOADER_NAME = re.compile(r"(loader|datamodule)$", re.IGNORECASE)


def _configures_loader(call: ast.Call) -> bool:
    """Return True for a call that sets up a data loader: one named for a loader or data module (`DataLoader`,
    `build_dataloader`, `create_loader`, `ImageDataModule`), or loader settings that give a batch size beside the
    worker count (`dict(batch_size=32, num_workers=8)`). A worker count handed to anything else (`reader.set_cfg`,
    a cluster's `ScalingConfig`) loads no batches in parallel."""
    func = call.func
    callee = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return LOADER_NAME.search(callee.replace("_", "")) is not None or any(_batch_keyword(k.arg) for k in call.keywords)


@register_capability
class VectorisedCode(Capability):
    """Numeric work goes through array, tensor or DataFrame operations rather than Python loops: the functions
    doing array work against the element-wise and row-wise loops found, one loop weighing three such functions
    (a module's top level counts as one function; a loop with several problems, three arrays grown in it, is one
    slow loop; a loop its rule rates a note, info, is not counted: one reading a file per row, in an example).
    Functions are the measure, not array calls: a codebase of short numeric functions, each making a call or two,
    is as vectorised as one making ten a function."""

    key = "vectorised"
    practice = "performance"
    title = "Vectorised numeric work"
    points = 35

    def assess(self, project: Project) -> Assessment:
        facts = perf_facts(project)
        # a loop a rule rates a note (info: each row reads a file, each value is a Python object) is not the cost
        loops = _distinct_loops([f for f in slow_loops(project) if f.severity is not Severity.INFO])
        if not facts.array_calls and not loops:
            return Assessment.nothing_to_apply(
                "No numpy, pandas or tensor operations in the code: no numeric work to vectorise"
            )
        if not facts.array_calls:
            return Assessment.missing("No numpy, pandas or tensor operations in the code")
        share = facts.numeric_functions / (facts.numeric_functions + LOOP_WEIGHT * len(loops))
        noun = "loop" if len(loops) == 1 else "loops"
        sentence = (
            f"{facts.numeric_functions} functions making {facts.array_calls} array/tensor/DataFrame calls "
            f"against {len(loops)} slow Python {noun}"
        )
        if loops:
            sentence += f" (e.g. {loops[0].path}:{loops[0].line})"
        return Assessment.partly((share - VECTOR_FLOOR) / (1 - VECTOR_FLOOR), sentence)


def _distinct_loops(findings: list[LoopFinding]) -> list[LoopFinding]:
    """Return the first finding of each loop (its file and line), in order: one loop with several problems
    (`tp`, `fp` and `fn` each grown by `np.append` in it) is one slow loop."""
    first: dict[tuple[str, int], LoopFinding] = {}
    for finding in findings:
        first.setdefault((finding.path, finding.line), finding)
    return list(first.values())


@register_capability
class BatchedWork(Capability):
    """Data and inference go through batches (a DataLoader or dataset with batch_size, batched map or predict, an
    inference method called on a whole input named as a collection: `model.predict_proba(X)`, `encoder.encode(texts)`,
    graphs merged into one batched graph: `dgl.batch(graphs)`, `Batch.from_data_list(graphs)`, a loop collecting
    inputs until the batch is full: `if len(tokens) == batch_size:`, a function mapped over a batch axis by JAX's
    vmap or a library's wrapper of it: `jax.vmap(model)(images)`, `eqx.filter_vmap`, `@jax.vmap`);
    a service that trains nothing and infers one request at a time earns half (nothing is collected to batch).
    Numeric array code that runs no model (NumPy/SciPy/Numba kernels with no model library, inference client or
    inference method; torch used for tensors only, with no torch model, is such a library, and a model library
    imported only for its sample data or metrics, `from sklearn.datasets import make_blobs`,
    `sklearn.metrics.classification_report(...)`, is none; a metric's
    `score(target, prediction)` is no inference method, nor is a matplotlib coordinate transform,
    `ax.transData.transform(xy)`, or PIL's image warp, `image.transform(size, Image.AFFINE, data)`) has no
    inference to batch, nor has a library
    of torch layers that loads no weights, readies no model and trains nothing (its callers batch its inputs), nor
    one of Keras layers (a `keras.layers.Layer` or `keras.Model` subclass) that loads no weights and predicts,
    evaluates and fits nothing."""

    key = "batched"
    practice = "performance"
    title = "Batched data and inference"
    points = 20

    def assess(self, project: Project) -> Assessment:
        facts = perf_facts(project)
        found = facts.batching
        if found is not None:
            return Assessment.earned(f"batched at {found}", found.split(":", 1)[0])
        if _array_kernels_only(project, facts):
            return Assessment.nothing_to_apply(
                "numeric array code that runs no model (no model library or inference client is imported, torch "
                "if any holds tensors only, no predict/transform/forward/encode method): no inference to batch"
            )
        if "torch" in facts.frameworks and facts.torch_models and _layers_only(project, facts):
            return Assessment.nothing_to_apply(
                "the code defines torch layers but never runs a model (no weights loaded, no .eval(), nothing "
                "trained): the batches its layers take are built by the code that uses them"
            )
        if _keras_layers_only(project, facts):
            return Assessment.nothing_to_apply(
                "the code defines Keras layers but never runs a model (no weights loaded, nothing predicted, "
                "evaluated or fitted): the batches its layers take are built by the code that uses them"
            )
        if project_kind(project).kind == "service" and first_training_call(project) is None:
            return Assessment.partly(
                0.5,
                "a service that trains nothing infers each request's input as it comes: nothing is collected "
                "to batch (batching concurrent requests, as a serving framework's dynamic batching does, earns the rest)",
            )
        return Assessment.missing("No batching found (expected DataLoader(..., batch_size=...) or batched inference)")


# Libraries of array kernels: code built only on them computes, it runs no model.
ARRAY_LIBRARIES = frozenset({"numpy", "scipy", "numba", "pandas", "polars", "cupy"})
# Clients of hosted or packaged models, whose calls batch though no model library is imported.
INFERENCE_CLIENTS = frozenset(
    {"openai", "anthropic", "cohere", "litellm", "langchain", "llama_index", "sentence_transformers", "huggingface_hub"}
    | {"vertexai", "replicate", "mistralai", "groq", "ollama", "tritonclient"}
)


def _array_kernels_only(project: Project, facts: PerfFacts) -> bool:
    """Return True for numeric array code that runs no model: an array library imported, no model library or
    inference client (torch used for tensors only, with no torch model, is an array library), and no code file
    defining or calling an inference method."""
    if not facts.frameworks & ARRAY_LIBRARIES or facts.torch_models:
        return False
    if facts.frameworks & (MODEL_LIBRARIES | INFERENCE_CLIENTS) - {"torch"}:
        return False  # torch with no model (no layer, loader, checkpoint load or `.eval()`) is a tensor library
    files = code_files(project, FileKind.LIBRARY, FileKind.SCRIPT, FileKind.NOTEBOOK)
    return not any(pf.file_fact(INFERENCE_API_FACT, inference_api) for pf in files)


INFERENCE_API_FACT = "capabilities.performance.inference_api"  # a per-file fact (mlaudit.filefacts)


# Read only where no model library is imported: there a `score(target, prediction)` method is a metric's (ROUGE,
# BLEU), which compares outputs a model made elsewhere; it runs no model to batch.
INFERENCE_METHODS = BATCH_METHODS - {"score"}


def inference_api(pf: PythonFile) -> bool:
    """Return True when a file defines or calls an inference method (`predict`, `transform`, `forward`, ...)
    (a per-file fact). A matplotlib coordinate transform (`ax.transData.transform(xy)`,
    `ax.transAxes.inverted().transform(xy)`, `artist.get_transform().transform(xy)`) maps plot coordinates, and
    PIL's `image.transform(size, Image.AFFINE, data)` warps an image, and `text.encode("utf8")` (a codec name, or
    no argument) turns a string into bytes: no model runs in any of them."""
    if any(func.name in INFERENCE_METHODS for func in pf.nodes(ast.FunctionDef) if isinstance(func, ast.FunctionDef)):
        return True
    return any(
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr in INFERENCE_METHODS
        and not _plot_transform(call.func)
        and not _image_warp(call)
        and not _text_encoding(call)
        for call in pf.nodes(ast.Call)
    )


def _text_encoding(call: ast.Call) -> bool:
    """Return True for `str.encode`: `text.encode()`, `text.encode("utf8")`, `text.encode(encoding="ascii")`, a
    codec named or none at all (a tokenizer's or encoder's `encode` takes the text itself)."""
    if not (isinstance(call.func, ast.Attribute) and call.func.attr == "encode"):
        return False
    if not call.args and not call.keywords:
        return True
    first = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "encoding"), None)
    if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
        return False
    try:
        codecs.lookup(first.value)
    except LookupError:
        return False
    return True


# matplotlib's coordinate systems (`ax.transData`, `fig.transFigure`, `ax.transAxes`)
PLOT_TRANSFORM = re.compile(r"^trans[A-Z]\w*$")
PLOT_TRANSFORM_GETTERS = frozenset({"get_transform", "inverted", "get_xaxis_transform", "get_yaxis_transform"})


# PIL's warp methods, `image.transform(size, Image.AFFINE, data)` (or `Image.Transform.AFFINE`)
IMAGE_WARPS = frozenset({"AFFINE", "EXTENT", "PERSPECTIVE", "QUAD", "MESH"})


def _image_warp(call: ast.Call) -> bool:
    """Return True for PIL's `image.transform(size, Image.AFFINE, ...)`: a warp named by its method constant."""
    func = call.func
    named = isinstance(func, ast.Attribute) and func.attr == "transform"
    method = call.args[1] if named and len(call.args) > 1 else None
    return isinstance(method, ast.Attribute) and method.attr in IMAGE_WARPS


def _plot_transform(method: ast.Attribute) -> bool:
    """Return True for `<a matplotlib transform>.transform(...)`: the object is `x.transData`-like, or what
    `.inverted()` / `.get_transform()` returns."""
    if method.attr != "transform":
        return False
    owner = method.value
    if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Attribute) and not owner.args:
        return owner.func.attr in PLOT_TRANSFORM_GETTERS
    return isinstance(owner, ast.Attribute) and PLOT_TRANSFORM.match(owner.attr) is not None


@register_capability
class InferenceWithoutGradients(Capability):
    """Inference runs without gradient tracking (torch.no_grad/inference_mode, or a runner that turns it off:
    ONNX Runtime, TensorRT, Lightning's and skorch's predict steps); frameworks without autograd
    (scikit-learn, boosting) have none to disable, nor do TensorFlow/Keras and JAX, which compute gradients only
    inside a GradientTape or jax.grad (statsmodels' statistical models have no autograd either), and code that
    uses no model library has none either. A package that
    trains nothing and explains torch models by their gradients (captum, shap.DeepExplainer) needs autograd on
    its forward passes. Code that uses torch for tensors only (no torch.nn layer, data loader, checkpoint load
    or module method such as `.eval()`: an environment converting arrays; a load unpacked into several names,
    `data, slices = torch.load(path)`, or one walked as a mapping, `for k, v in landmarks.items()`, restores saved
    tensors, not a model) runs no model, nor does torch in a module built on JAX or TensorFlow/Keras that reads a
    checkpoint into arrays or batches from a torch DataLoader for that framework's model (only a torch layer, a
    scripted, exported, compiled or hub model, or `load_state_dict` there shows a torch model), and code that only
    defines layers (no weights loaded, no `.eval()`, nothing trained: a layer library) leaves inference to
    the code that uses it. A data loader's or dataset's `load_state_dict` (resuming iteration) and a tokenizer's,
    config's or processor's `from_pretrained` load no weights."""

    key = "inference_mode"
    practice = "performance"
    title = "Inference without gradient tracking"
    points = 15

    def assess(self, project: Project) -> Assessment:
        facts = perf_facts(project)
        if facts.no_grad is not None:
            return Assessment.earned(f"gradients disabled at {facts.no_grad}", facts.no_grad.split(":", 1)[0])
        runner = sorted(facts.frameworks & set(GRAD_FREE_RUNNERS))
        if runner:
            return Assessment.earned(f"inference runs in {GRAD_FREE_RUNNERS[runner[0]]}, which tracks no gradients")
        explainer = _attribution_library(project) if "torch" in facts.frameworks else None
        if explainer is not None and first_training_call(project) is None:
            return Assessment.earned(
                f"{explainer}: gradient attribution needs autograd on the forward pass, and nothing is trained",
                explainer.split(" ", 1)[0].split(":", 1)[0],
            )
        if "torch" in facts.frameworks and facts.torch_models and _layers_only(project, facts):
            return Assessment.nothing_to_apply(
                "the code defines torch layers but never runs a model to predict (no weights loaded, no "
                ".eval(), nothing trained): inference, and its gradient tracking, belong to the code that uses them"
            )
        if "torch" in facts.frameworks and facts.torch_models:
            return Assessment.missing(
                "torch inference never disables gradients (expected with torch.inference_mode():)"
            )
        if "torch" in facts.frameworks and not facts.frameworks & (MODEL_LIBRARIES - {"torch"}):
            return Assessment.earned(
                "torch is used for tensors only (no torch.nn layer, data loader, checkpoint load or module "
                "method such as .eval()): no model runs, so no gradients are tracked"
            )
        taped = sorted(facts.frameworks & set(AUTOGRAD))
        if taped:  # TensorFlow records gradients only under a GradientTape, JAX only when jax.grad is called
            return Assessment.earned(
                f"{taped[0]} computes gradients only when asked (GradientTape, jax.grad): inference tracks none"
            )
        if facts.frameworks & NO_AUTOGRAD:
            return Assessment.earned(
                "models come from libraries without autograd (scikit-learn/boosting/statsmodels/ONNX)"
            )
        if not facts.frameworks & MODEL_LIBRARIES:
            return Assessment.earned(f"{NO_MODEL}: no model runs, so no gradients are tracked")
        return Assessment.missing("No model inference found")


def _keras_layers_only(project: Project, facts: PerfFacts) -> bool:
    """Return True for a library of Keras layers: some code extends a Keras Layer or Model, no code loads weights
    into, predicts with, evaluates or fits a model, nothing is trained and no torch model is in sight."""
    if not facts.keras_layers or facts.keras_runs or facts.torch_models:
        return False
    return first_training_call(project) is None


def _layers_only(project: Project, facts: PerfFacts) -> bool:
    """Return True when no code loads weights, switches a model to eval mode or trains one: a library of layers."""
    return not facts.readies_model and first_training_call(project) is None


# libraries that explain a model by its input gradients (Integrated Gradients, saliency maps)
ATTRIBUTION_LIBRARIES = ("captum",)


# SHAP's explainers of torch models that backpropagate to the input
GRADIENT_EXPLAINERS = frozenset({"shap.DeepExplainer", "shap.GradientExplainer"})


def _attribution_library(project: Project) -> str | None:
    """Return `path imports captum` (or `path:line calls shap.DeepExplainer`) for the package's first module
    that attributes with gradients, if any; only modules importing shap are read for its calls."""
    for pf in code_files(project, FileKind.LIBRARY):
        tops = {m.split(".", 1)[0] for m in pf.imported_modules}
        used = sorted(tops & set(ATTRIBUTION_LIBRARIES))
        if used:
            return f"{pf.path} imports {used[0]}"
        if "shap" in tops:
            for call in pf.nodes(ast.Call):
                name = pf.call_name(call) if isinstance(call, ast.Call) else None
                if name in GRADIENT_EXPLAINERS:
                    return f"{pf.location(call.lineno)} calls {name}"
    return None


@register_capability
class Accelerated(Capability):
    """The hot paths use the hardware well: mixed precision, compilation/JIT, fused kernels, parallel or
    pinned-memory loading, a process pool spreading CPU-bound work over the cores, optimised runtimes, native extensions the project compiles (Cython `.pyx`
    modules, CUDA `.cu` kernels); in JAX, jit (also through flax's or equinox's wrappers, or `partial(jax.jit, ...)`),
    a step replicated or arrays sharded over devices (pmap, `jax.sharding`, shard_map, pjit), Pallas kernels and jmp's
    mixed precision; two distinct techniques earn it fully. A JIT counts where it compiles (`@numba.njit`,
    `torch.jit.script(model)`), not where it is imported or asked (`torch.jit.is_scripting()`), and parallel loading
    is a worker count given to a data loader (`DataLoader(ds, num_workers=4)`, loader settings with a batch size), not
    to a reader's settings or a cluster's scaling."""

    key = "accelerated"
    practice = "performance"
    title = "Hardware-aware speed-ups"
    points = 15

    def assess(self, project: Project) -> Assessment:
        accel = {**perf_facts(project).accelerations, **native_extensions(project)}
        if not accel:
            return Assessment.missing("No mixed precision, JIT/compile, fused kernels or parallel data loading")
        shown = "; ".join(f"{label} ({where})" for label, where in list(accel.items())[:3])
        return Assessment.partly(len(accel) / 2, shown)


# Hot loops compiled to native code the project builds itself: Cython modules and CUDA kernels.
NATIVE_SOURCES = {".pyx": "Cython extension", ".cu": "CUDA kernels"}
NOT_SHIPPED = frozenset({"tests", "test", "docs", "doc", "examples", "example", "benchmarks", "benchmark"})


def native_extensions(project: Project) -> dict[str, str]:
    """Return (label: first path) for the native extensions the project compiles from its own sources
    (`pkg/cpu/_als.pyx`, `pkg/gpu/als.cu`), outside its tests, docs, examples and benchmarks."""
    found: dict[str, str] = {}
    for source in project.files:
        label = NATIVE_SOURCES.get(posixpath.splitext(source.path)[1])
        if label is not None and label not in found and not NOT_SHIPPED & set(source.path.split("/")[:-1]):
            found[label] = source.path
    return found


@register_capability
class Profiled(Capability):
    """Speed is measured: a profiler or benchmark script, pytest-benchmark tests, or a benchmarks/ folder."""

    key = "profiled"
    practice = "performance"
    title = "Profiling or benchmark entry point"
    points = 15

    def assess(self, project: Project) -> Assessment:
        evidence = profiling_evidence(project)
        if not evidence:
            return Assessment.missing("No profiler, benchmark script or benchmarks/ folder")
        return Assessment.earned("; ".join(evidence[:2]))
