"""Tests of rule API004 (`mlaudit/rules/interfaces/api004_global_mutable_state.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree
from tests.rules.interfaces._helpers import SMALL_REPO, _padded


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


def test_api004_context_manager_flags_and_setters_are_not_warnings(tmp_path: Path) -> None:
    code = (
        "_FUSED = False\n_EXPORT = False\n_BEST = None\n_LOGGER = None\n\n\n"
        "class set_export:\n"
        "    def __init__(self, mode):\n        global _EXPORT\n        self.prev = _EXPORT\n        _EXPORT = mode\n\n"
        "    def __enter__(self):\n        return self\n\n"
        "    def __exit__(self, *args):\n        global _EXPORT\n        _EXPORT = self.prev\n\n\n"
        "def set_fused(enable=True):\n    global _FUSED\n    _FUSED = enable\n\n\n"
        "def register_logger(logger):\n    global _LOGGER\n    _LOGGER = logger\n\n\n"
        "def update_best(model):\n    global _BEST\n    _BEST = model\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/config.py": code, "pkg/util.py": _padded("")})
    hits = findings(tmp_path, "API004")
    # `register_logger` installs the logger the library uses from then on; `update_best` is state a run changes
    assert [(h.message.split()[1], h.severity) for h in hits] == [
        ("_FUSED", Severity.INFO),
        ("_LOGGER", Severity.INFO),
        ("_BEST", Severity.WARNING),
    ]


def test_api004_early_return_singletons_get_or_create_caches_and_in_place_setters(tmp_path: Path) -> None:
    code = (
        "_engine = None\n_warned = False\n_MODELS = {}\n_best = None\n\n\n"
        "def get_engine(force=False):\n    global _engine\n    if _engine is not None and not force:\n        return _engine\n"
        "    _engine = 'torch'\n    return _engine\n\n\n"
        "def warn_once():\n    global _warned\n    if _warned:\n        return\n    _warned = True\n\n\n"
        "def load(name):\n    global _MODELS\n    if name not in _MODELS:\n        _MODELS[name] = object()\n"
        "    return _MODELS[name]\n\n\n"
        "def track(model, score):\n    global _best\n    if score > 0:\n        return None\n    _best = model\n\n\n"
        "def remember(key, value):\n    global _MODELS\n    _MODELS[key] = value\n"
    )
    write_tree(tmp_path, {"state.py": code})
    hits = findings(tmp_path, "API004", **SMALL_REPO)
    assert [(h.message, h.severity) for h in hits] == [
        ("global _engine rebound in get_engine() (lazy initialisation)", Severity.INFO),
        ("global _warned rebound in warn_once() (lazy initialisation)", Severity.INFO),
        ("global _MODELS changed in place in load() (a cache filled once per key)", Severity.INFO),
        ("global _best rebound in track()", Severity.WARNING),
        ("global _MODELS changed in place in remember()", Severity.WARNING),
    ]


CLI = """\
import logging

logger = logging.getLogger(__name__)
best_model = None


def cli_collect(argv):
    global logger
    logger = logging.getLogger("zoo.collect")
    logger.info("collecting %s", argv)


def remember(model):
    global best_model
    best_model = model
"""


def test_api004_pointing_the_module_logger_elsewhere_is_info(tmp_path: Path) -> None:
    write_tree(tmp_path, {"zoo/__init__.py": "", "zoo/collect.py": CLI})
    hits = {h.line: h for h in findings(tmp_path, "API004", **SMALL_REPO)}
    assert hits[8].severity is Severity.INFO and "(a logger)" in hits[8].message
    assert hits[14].severity is Severity.WARNING  # the best model is state a later call depends on


def test_api004_a_model_reloaded_only_when_unset_or_another_is_asked_for_is_lazy(tmp_path: Path) -> None:
    code = (
        "MODEL = None\nSCORE = None\n\n\n"
        "def load_model(version):\n    global MODEL\n"
        "    if MODEL is None or MODEL.name != version:\n        MODEL = None\n        MODEL = Generator.load(version)\n"
        "    return MODEL\n\n\n"
        "def record(score, best):\n    global SCORE\n"
        "    if score > best or SCORE is not None:\n        SCORE = score\n"
    )
    write_tree(tmp_path, {"demo_app.py": code})
    hits = findings(tmp_path, "API004", **SMALL_REPO)
    assert [(h.message, h.severity) for h in hits] == [
        ("global MODEL rebound in load_model() (lazy initialisation)", Severity.INFO),
        ("global SCORE rebound in record()", Severity.WARNING),
    ]


def test_api004_a_constant_table_moved_to_the_inputs_device_is_info_but_a_new_value_is_not(tmp_path: Path) -> None:
    code = (
        "import torch\n\n"
        "EXPAND = torch.zeros(9, 6)\nEXPAND[0, 0] = 1.0\nLAST_INPUT = None\n\n\n"
        "def expand(a, b):\n"
        "    global EXPAND\n"
        "    if EXPAND.device != a.device or EXPAND.dtype != a.dtype:\n"
        "        EXPAND = EXPAND.to(device=a.device, dtype=a.dtype)\n"
        "    return (a.unsqueeze(2) * b.unsqueeze(1)).flatten(start_dim=-2) @ EXPAND\n\n\n"
        "def remember(a):\n"
        "    global LAST_INPUT\n"
        "    LAST_INPUT = a.to('cpu')\n"
        "    return a\n"
    )
    write_tree(tmp_path, {"geom/__init__.py": "", "geom/poly.py": code})
    hits = findings(tmp_path, "API004", **SMALL_REPO)
    assert [(h.message, h.severity) for h in hits] == [
        ("global EXPAND rebound in expand() (a constant moved to the input's device or dtype)", Severity.INFO),
        ("global LAST_INPUT rebound in remember()", Severity.WARNING),
    ]


def test_api004_a_function_replaced_by_its_compiled_self_is_info_but_a_state_update_is_not(tmp_path: Path) -> None:
    code = (
        "import argparse\n\nimport torch\n\nstep_state = None\n\n\n"
        "def sample_next(logits, temperature):\n"
        "    return torch.multinomial(torch.softmax(logits / temperature, -1), 1)\n\n\n"
        "def advance(state, token):\n"
        "    return (state or 0) + int(token)\n\n\n"
        "def main():\n"
        "    parser = argparse.ArgumentParser()\n"
        "    parser.add_argument('--compile', action='store_true')\n"
        "    args = parser.parse_args()\n"
        "    if args.compile:\n"
        "        global sample_next\n"
        "        sample_next = torch.compile(sample_next, mode='reduce-overhead')\n"
        "    global step_state\n"
        "    step_state = advance(step_state, sample_next(torch.zeros(1, 8), 0.8))\n\n\n"
        "if __name__ == '__main__':\n"
        "    main()\n"
    )
    write_tree(tmp_path, {"generate.py": code})
    hits = findings(tmp_path, "API004", **SMALL_REPO)
    assert [(h.message, h.severity) for h in hits] == [
        ("global sample_next rebound in main() (the function replaced by its compiled self)", Severity.INFO),
        ("global step_state rebound in main()", Severity.WARNING),
    ]


def test_api004_a_global_created_when_missing_from_globals_is_lazy_but_one_reset_each_call_is_not(
    tmp_path: Path,
) -> None:
    code = (
        "TASKS = ('detect', 'embed')\n\n\n"
        "def get_model(task, name):\n"
        "    global loaded\n"
        "    if 'loaded' not in globals():\n"
        "        loaded = {t: {} for t in TASKS}\n"
        "    if loaded[task].get(name) is None:\n"
        "        loaded[task][name] = object()\n"
        "    return loaded[task][name]\n\n\n"
        "def reset_models(task):\n"
        "    global registry\n"
        "    if 'registry' in globals():\n"
        "        registry = {task: {}}\n"
        "    return task\n"
    )
    write_tree(tmp_path, {"faces/__init__.py": "", "faces/models.py": code})
    hits = findings(tmp_path, "API004", **SMALL_REPO)
    assert [(h.message, h.severity) for h in hits] == [
        ("global loaded rebound in get_model() (lazy initialisation)", Severity.INFO),
        ("global registry rebound in reset_models()", Severity.WARNING),
    ]


def test_api004_a_run_once_flag_set_under_if_not_is_lazy_but_a_flag_toggled_each_call_is_not(tmp_path: Path) -> None:
    code = (
        "_nltk_ready = False\n_last_text = ''\n\n\n"
        "def tokenize(text, nltk):\n"
        "    global _nltk_ready\n"
        "    if not _nltk_ready:\n"
        "        nltk.download('punkt')\n"
        "        _nltk_ready = True\n"
        "    return nltk.word_tokenize(text)\n\n\n"
        "def remember(text):\n"
        "    global _last_text\n"
        "    if not text:\n"
        "        _last_text = ''\n"
        "    return text\n"
    )
    write_tree(tmp_path, {"tok/__init__.py": "", "tok/words.py": code})
    hits = findings(tmp_path, "API004", **SMALL_REPO)
    assert [(h.message, h.severity) for h in hits] == [
        ("global _nltk_ready rebound in tokenize() (lazy initialisation)", Severity.INFO),
        ("global _last_text rebound in remember()", Severity.WARNING),
    ]


def test_api004_a_demo_apps_flag_is_a_note_but_the_same_flag_in_the_package_is_not(tmp_path: Path) -> None:
    code = (
        "import gradio as gr\n\nINTERRUPTED = False\n\n\n"
        "def interrupt():\n    global INTERRUPTED\n    INTERRUPTED = True\n\n\n"
        "def generate(prompt):\n    global INTERRUPTED\n    INTERRUPTED = False\n    return prompt\n"
    )
    write_tree(tmp_path, {"demos/music_app.py": code, "musicgen/app.py": code})
    hits = findings(tmp_path, "API004", **SMALL_REPO)
    assert sorted((h.path, h.severity) for h in hits) == [
        ("demos/music_app.py", Severity.INFO),
        ("demos/music_app.py", Severity.INFO),
        ("musicgen/app.py", Severity.WARNING),
        ("musicgen/app.py", Severity.WARNING),
    ]


def test_api004_a_contextmanager_that_restores_the_global_is_a_scoped_override(tmp_path: Path) -> None:
    code = (
        "import contextlib\n\nBACKGROUND = None\nDEVICE = 'cpu'\n\n\n"
        "@contextlib.contextmanager\n"
        "def background_override(color):\n"
        "    global BACKGROUND\n    previous = BACKGROUND\n"
        "    try:\n        BACKGROUND = color\n        yield\n    finally:\n        BACKGROUND = previous\n\n\n"
        "@contextlib.contextmanager\n"
        "def device_scope(name):\n"
        "    global DEVICE\n    DEVICE = name\n    yield DEVICE\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/render.py": code, "pkg/util.py": _padded("")})
    hits = findings(tmp_path, "API004")
    assert [(h.message, h.severity) for h in hits] == [("global DEVICE rebound in device_scope()", Severity.WARNING)]


REGISTRY = """\
_REGISTRY = {}
_HOOKS = []
_LAST = {}


def _check_not_registered(env_id):
    global _REGISTRY
    if env_id in _REGISTRY:
        raise ValueError(env_id)


def register(env_id, entry_point):
    global _REGISTRY
    _check_not_registered(env_id)
    _REGISTRY[env_id] = entry_point


def register_hook(hook):
    global _HOOKS
    _HOOKS.append(hook)


def step(env_id, observation):
    global _LAST
    _LAST[env_id] = observation
"""


def test_api004_a_registry_filled_by_register_is_info_a_read_only_global_is_nothing_a_state_write_warns(
    tmp_path: Path,
) -> None:
    write_tree(tmp_path, {"arena/__init__.py": "", "arena/registration.py": REGISTRY})
    hits = findings(tmp_path, "API004", **SMALL_REPO)
    assert [(h.message, h.severity) for h in hits] == [
        ("global _REGISTRY changed in place in register() (a registry filled by its register function)", Severity.INFO),
        (
            "global _HOOKS changed in place in register_hook() (a registry filled by its register function)",
            Severity.INFO,
        ),
        ("global _LAST changed in place in step()", Severity.WARNING),
    ]


def test_api004_a_global_only_read_changes_nothing_but_one_changed_in_place_does(tmp_path: Path) -> None:
    code = (
        "_WORKFLOW = None\n_REGISTRY = {}\n\n\n"
        "def get_workflow():\n    global _WORKFLOW\n    return _WORKFLOW\n\n\n"
        "def lookup(name):\n    global _REGISTRY\n    return _REGISTRY.get(name)\n\n\n"
        "def add_builder(name, builder):\n    global _REGISTRY\n    _REGISTRY.update({name: builder})\n\n\n"
        "def forget(name):\n    global _REGISTRY\n    del _REGISTRY[name]\n"
    )
    write_tree(tmp_path, {"state.py": code})
    hits = findings(tmp_path, "API004", **SMALL_REPO)
    assert [(h.message, h.severity) for h in hits] == [
        ("global _REGISTRY changed in place in add_builder()", Severity.WARNING),
        ("global _REGISTRY changed in place in forget()", Severity.WARNING),
    ]


def test_api004_a_context_variable_set_back_after_the_yield_is_scoped_but_one_left_set_is_not(
    tmp_path: Path,
) -> None:
    code = (
        "import contextlib\nimport contextvars\n\n"
        "_MODE = contextvars.ContextVar('mode', default='eager')\n"
        "_DEBUG = contextvars.ContextVar('debug', default=False)\n\n\n"
        "@contextlib.contextmanager\n"
        "def compile_mode(mode):\n"
        "    global _MODE\n    token = _MODE.set(mode)\n"
        "    try:\n        yield\n    finally:\n        _MODE.reset(token)\n\n\n"
        "@contextlib.contextmanager\n"
        "def debugging():\n"
        "    global _DEBUG\n    _DEBUG.set(True)\n    yield\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/modes.py": code, "pkg/util.py": _padded("")})
    hits = findings(tmp_path, "API004")
    assert [(h.message, h.severity) for h in hits] == [
        ("global _DEBUG changed in place in debugging()", Severity.WARNING)
    ]


def test_api004_a_global_only_read_or_declared_at_module_level_changes_nothing(tmp_path: Path) -> None:
    """`global STATS` then `return STATS["total"]` reads; `global` at the top level is a no-op."""
    code = (
        "global STATS\nSTATS = {'total': 0}\nTABLE = {}\n\n\n"
        "def report():\n    global STATS\n    return STATS['total']\n\n\n"
        "def known(key):\n    global TABLE\n    return key in TABLE.keys()\n\n\n"
        "def count():\n    global STATS\n    STATS['total'] += 1\n\n\n"
        "def remember(key, value):\n    global TABLE\n    TABLE.update({key: value})\n"
    )
    write_tree(tmp_path, {"state.py": code})
    hits = findings(tmp_path, "API004", **SMALL_REPO)
    # Look-alikes: an item updated in place and a mutating method called on the global still count.
    assert [(h.message, h.severity) for h in hits] == [
        ("global STATS changed in place in count()", Severity.WARNING),
        ("global TABLE changed in place in remember()", Severity.WARNING),
    ]


def test_api004_a_lazy_import_is_lazy_and_a_global_only_read_changes_nothing(tmp_path: Path) -> None:
    code = (
        "tf = None\n_SEEN = set()\n\n\n"
        "def _import_tf():\n    global tf\n    if tf is None:\n        import tensorflow as tf\n\n\n"
        "def gradient(x):\n    global tf\n    return tf.gradients(x)\n\n\n"
        "def seen(key):\n    global _SEEN\n    return key in _SEEN\n\n\n"
        "def mark(key):\n    global _SEEN\n    _SEEN.add(key)\n\n\n"
        "def switch_backend():\n    global tf\n    import jax.numpy as tf\n"
    )
    write_tree(tmp_path, {"state.py": code})
    hits = findings(tmp_path, "API004", **SMALL_REPO)
    assert [(h.message, h.severity) for h in hits] == [
        ("global tf rebound in _import_tf() (lazy initialisation)", Severity.INFO),
        ("global _SEEN changed in place in mark()", Severity.WARNING),
        ("global tf rebound in switch_backend()", Severity.WARNING),
    ]


SERVED = """from flask import Flask, jsonify, request

model = None
history = None
app = Flask(__name__)


@app.route("/recommend")
def recommend():
    global model, history
    items = model.recommend(request.args["uid"], k=10, seen=history)
    return jsonify(items)


@app.route("/feedback", methods=["POST"])
def feedback():
    global model, history
    model.partial_fit(request.json["events"])
    history.update(request.json["seen"])
    return jsonify(ok=True)
"""


def test_api004_a_route_that_only_predicts_with_a_global_model_reads_it_but_one_that_refits_it_fires(
    tmp_path: Path,
) -> None:
    write_tree(tmp_path, {"serve/__init__.py": "", "serve/app.py": SERVED})
    hits = sorted((f.line, f.message) for f in findings(tmp_path, "API004", **SMALL_REPO))
    assert hits == [
        (17, "global model, history changed in place in feedback()"),
    ]


def test_api004_globals_a_run_once_flag_guards_are_lazy_but_one_set_beside_the_flag_is_not(tmp_path: Path) -> None:
    """`if not _jax_ready:` fills jax and jnp once, as the flag says; `_calls` counts every call."""
    code = (
        "_jax_ready = False\njax = None\njnp = None\n_calls = 0\n\n\n"
        "def _init_jax():\n"
        "    global _jax_ready, jax, jnp, _calls\n"
        "    _calls += 1\n"
        "    if not _jax_ready:\n"
        "        import jax as _jax\n"
        "        from jax import numpy as _jnp\n\n"
        "        jax = _jax\n"
        "        jnp = _jnp\n"
        "        _jax_ready = True\n"
    )
    write_tree(tmp_path, {"sym/__init__.py": "", "sym/export_jax.py": code})
    hits = findings(tmp_path, "API004", **SMALL_REPO)
    assert sorted((h.message, h.severity) for h in hits) == [
        ("global _calls rebound in _init_jax()", Severity.WARNING),
        ("global _jax_ready, jax, jnp rebound in _init_jax() (lazy initialisation)", Severity.INFO),
    ]


def test_api004_a_global_always_bound_to_one_imported_module_is_a_lazy_import(tmp_path: Path) -> None:
    """`global torch; import torch` in each function needing the optional dependency binds the one module
    sys.modules holds: a lazy import (info). A second function importing another module under the name
    switches a backend and still warns."""
    code = (
        "class TorchEngine:\n"
        "    def __init__(self, seed):\n"
        "        global torch\n"
        "        import torch\n\n"
        "        torch.manual_seed(seed)\n\n"
        "    def step(self, x):\n"
        "        return torch.relu(x)\n\n\n"
        "def load_backend():\n"
        "    global keras\n"
        "    import keras\n"
        "    return keras\n"
    )
    write_tree(tmp_path, {"fair/engine.py": code})
    hits = findings(tmp_path, "API004", **SMALL_REPO)
    assert [(h.message, h.severity) for h in hits] == [
        ("global torch rebound in __init__() (lazy initialisation)", Severity.INFO),
        ("global keras rebound in load_backend() (lazy initialisation)", Severity.INFO),
    ]
    switching = code + "\n\ndef tf_keras_layers():\n    global keras\n    from tensorflow import keras\n"
    write_tree(tmp_path / "b", {"fair/engine.py": switching})
    hits = findings(tmp_path / "b", "API004", **SMALL_REPO)
    assert [h.severity for h in hits if "keras" in h.message] == [Severity.WARNING, Severity.WARNING]


WORKER = """from transformers import AutoTokenizer

_tokenizer = None
_last_batch = None


def init_worker(path):
    global _tokenizer
    _tokenizer = AutoTokenizer.from_pretrained(path)


def count_tokens(text):
    global _last_batch
    _last_batch = _tokenizer(text)
    return len(_last_batch["input_ids"])
"""
POOL = """from concurrent.futures import ProcessPoolExecutor

from prep.worker import count_tokens, init_worker


def count_all(texts, path):
    with ProcessPoolExecutor(4, initializer=init_worker, initargs=(path,)) as pool:
        return list(pool.map(count_tokens, texts))
"""


def test_api004_a_pool_workers_initializer_sets_its_process_state(tmp_path: Path) -> None:
    """`initializer=init_worker` (in another module) runs once in each worker process to set its globals: a note;
    a mapped function rebinding a global between calls (`_last_batch`) is still hidden state."""
    write_tree(tmp_path, {"prep/__init__.py": "", "prep/worker.py": WORKER, "prep/pool.py": POOL})
    hits = {h.line: h for h in findings(tmp_path, "API004", **SMALL_REPO)}
    assert hits[8].severity == Severity.INFO and hits[8].message.endswith(
        "(a pool worker's initializer: state of each worker process)"
    )
    assert hits[13].severity == Severity.WARNING and hits[13].message == "global _last_batch rebound in count_tokens()"


def test_api004_emptying_a_cache_the_module_fills_once_per_key_is_part_of_that_cache(tmp_path: Path) -> None:
    """`clean_models()` deletes entries of the model cache `load_model()` fills once per key: a note, like the
    filling. Deleting from a global nothing fills as a cache (a queue of pending jobs) stays a warning."""
    code = (
        "models = {}\njobs = {}\n\n\n"
        "def load_model(key, force=False):\n    global models\n    if key not in models or force:\n"
        "        clean_models(key)\n        models[key] = object()\n    return models[key]\n\n\n"
        "def clean_models(key=None):\n    global models\n    for k in [key] if key is not None else list(models.keys()):\n"
        "        if k in models:\n            del models[k]\n\n\n"
        "def finish(job_id):\n    global jobs\n    del jobs[job_id]\n"
    )
    write_tree(tmp_path, {"cache.py": code})
    hits = findings(tmp_path, "API004", **SMALL_REPO)
    assert [(h.message, h.severity) for h in hits] == [
        ("global models changed in place in load_model() (a cache filled once per key)", Severity.INFO),
        (
            "global models changed in place in clean_models() (emptying a cache another function fills once per key)",
            Severity.INFO,
        ),
        ("global jobs changed in place in finish()", Severity.WARNING),
    ]


def test_api004_records_written_through_a_global_logger_change_nothing_but_its_setup_does(tmp_path: Path) -> None:
    code = (
        "import logging\n\nlogger = logging.getLogger(__name__)\nhandler = logging.StreamHandler()\n\n\n"
        "def extract(image, mask):\n    global logger\n    logger.info('extracting %s', image)\n"
        "    if mask is None:\n        logger.warning('no mask')\n    return image\n\n\n"
        "def quiet_handler():\n    global handler\n    handler.setLevel(logging.ERROR)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/extract.py": code, "pkg/util.py": _padded("")})
    assert [(h.line, h.message) for h in findings(tmp_path, "API004")] == [
        (16, "global handler changed in place in quiet_handler()")
    ]


def test_api004_a_camel_case_setter_is_a_setter_but_a_word_starting_with_set_is_not(tmp_path: Path) -> None:
    code = (
        "_LEVEL = 20\n_SETTINGS = None\n\n\n"
        "def setVerbosity(level):\n    global _LEVEL\n    _LEVEL = level\n\n\n"
        "def settle(values):\n    global _SETTINGS\n    _SETTINGS = values\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/config.py": code, "pkg/util.py": _padded("")})
    assert [(h.message, h.severity) for h in findings(tmp_path, "API004")] == [
        ("global _LEVEL rebound in setVerbosity() (a setter of a module-wide option)", Severity.INFO),
        ("global _SETTINGS rebound in settle()", Severity.WARNING),
    ]


def test_api004_a_global_bound_by_the_function_that_starts_the_server_is_setup(tmp_path: Path) -> None:
    """`run_app()` loads the model into `PIPELINE`, then `app.run()`: the server process's setup, an info note, as
    for `uvicorn.run(api)` and a Gradio `demo.launch()`. A route swapping the model while serving, and a `main()`
    that trains after binding the global, change state other calls depend on: warnings."""
    code = (
        "import gradio as gr\nimport uvicorn\nfrom fastapi import FastAPI\nfrom flask import Flask\n\n"
        "app = Flask(__name__)\napi = FastAPI()\nPIPELINE = None\nMODEL = None\nVOICE = None\nBEST = None\n\n"
        "with gr.Blocks() as demo:\n    gr.Markdown('tts')\n\n\n"
        "def load(name):\n    return name\n\n\n"
        "def run_app(checkpoint='v1'):\n    global PIPELINE\n    PIPELINE = load(checkpoint)\n    app.run(port=3013)\n\n\n"
        "def serve():\n    global MODEL\n    MODEL = load('asr')\n    uvicorn.run(api)\n\n\n"
        "def ui():\n    global VOICE\n    VOICE = load('voice')\n    demo.launch()\n\n\n"
        "@app.route('/swap', methods=['POST'])\ndef swap():\n    global PIPELINE\n    PIPELINE = load('v2')\n    return 'ok'\n\n\n"
        "def main():\n    global BEST\n    BEST = load('best')\n    return BEST\n"
    )
    write_tree(tmp_path, {"svc/server.py": _padded(code)})
    found = sorted((h.message, h.severity) for h in findings(tmp_path, "API004", **SMALL_REPO))
    assert found == [
        ("global BEST rebound in main()", Severity.WARNING),
        ("global MODEL rebound in serve() (set up before the function starts the server)", Severity.INFO),
        ("global PIPELINE rebound in run_app() (set up before the function starts the server)", Severity.INFO),
        ("global PIPELINE rebound in swap()", Severity.WARNING),
        ("global VOICE rebound in ui() (set up before the function starts the server)", Severity.INFO),
    ]


def test_api004_a_global_bound_by_import_module_is_a_module_whose_functions_change_nothing(tmp_path: Path) -> None:
    """`og = importlib.import_module("onnxruntime_genai")` is a lazy import: the functions calling `og.Model(...)`
    through `global og` read a module; a global bound to a plain object that they call methods on still warns."""
    code = (
        "import importlib\n\nog = None\nsession = None\n\n\n"
        "def enable_genai():\n"
        "    global og\n"
        "    og = importlib.import_module('onnxruntime_genai')\n\n\n"
        "def load(path):\n"
        "    global og\n"
        "    return og.Model(path)\n\n\n"
        "def open_session(path):\n"
        "    global session\n"
        "    session.reset(path)\n"
    )
    write_tree(tmp_path, {"fair/genai.py": code})
    hits = findings(tmp_path, "API004", **SMALL_REPO)
    assert [(h.line, h.severity) for h in hits] == [(8, Severity.INFO), (18, Severity.WARNING)]


def test_api004_names_one_global_statement_changes_alike_are_one_finding(tmp_path: Path) -> None:
    code = (
        "best_model = None\nbest_score = 0.0\nepoch = 0\n_cache = None\n\n\n"
        "def update_best(model, score):\n    global best_model, best_score, epoch\n"
        "    best_model = model\n    best_score = score\n    epoch += 1\n\n\n"
        "def get_cache():\n    global _cache, best_score\n    if _cache is None:\n        _cache = {}\n"
        "    best_score = 0.0\n    return _cache\n"
    )
    write_tree(tmp_path, {"state.py": code})
    hits = findings(tmp_path, "API004", **SMALL_REPO)
    # one warning for the three names changed alike; a lazy cache beside a rebound score stays two findings
    assert [(h.message, h.severity) for h in hits] == [
        ("global best_model, best_score, epoch rebound in update_best()", Severity.WARNING),
        ("global _cache rebound in get_cache() (lazy initialisation)", Severity.INFO),
        ("global best_score rebound in get_cache()", Severity.WARNING),
    ]


FACADE = """\
backend = None
_handles = []


def init(kind):
    global backend
    backend = make_backend(kind)


def all_reduce(tensor, group=None):
    global backend
    return backend.all_reduce(tensor, group=group)


def world_size():
    global backend
    return backend.get_world_size() if backend.is_initialized() else 1


def append(handle):
    global _handles
    _handles.append(handle)


def reset():
    global backend
    backend.shutdown()
"""


def test_api004_a_facade_forwarding_to_its_backend_or_querying_it_changes_nothing(tmp_path: Path) -> None:
    # all_reduce() hands its call on to the backend's all_reduce, world_size() only asks it; append() grows a
    # module list under the method's own name, and reset() calls another method: both change module state
    write_tree(tmp_path, {"comm/__init__.py": "", "comm/api.py": FACADE})
    hits = [(h.line, h.message) for h in findings(tmp_path, "API004", **SMALL_REPO)]
    assert hits == [
        (6, "global backend rebound in init()"),
        (21, "global _handles changed in place in append()"),
        (26, "global backend changed in place in reset()"),
    ]


def test_api004_a_demo_function_a_module_ships_is_a_note_but_a_demographic_helper_is_not(tmp_path: Path) -> None:
    """`propdemo()` binds the objects its demo shows; `demographic_model()` is library code rebinding state."""
    code = (
        "model = None\nvaluation = None\n\n\n"
        "def propdemo():\n    global model\n    model = build_model(['p', 'q'])\n    print(model)\n\n\n"
        "def demographic_model(rows):\n    global valuation\n    valuation = fit(rows)\n    return valuation\n"
    )
    write_tree(tmp_path, {"semantics/__init__.py": "", "semantics/evaluate.py": code})
    hits = findings(tmp_path, "API004", **SMALL_REPO)
    assert [(h.line, h.severity) for h in hits] == [(6, Severity.INFO), (12, Severity.WARNING)]


def test_api004_a_global_handed_to_a_reading_builtin_changes_nothing(tmp_path: Path) -> None:
    """`bool(_CACHING)` and `len(_SEEN)` only read the globals the functions declare. Look-alike: handing the
    module's list to a function of the project (`_record(_SEEN, name)`) may change it."""
    code = (
        "_CACHING = True\n_SEEN = []\n\n\n"
        "def is_caching_enabled():\n    global _CACHING\n    return bool(_CACHING)\n\n\n"
        "def seen_count():\n    global _SEEN\n    return len(_SEEN)\n\n\n"
        "def _record(items, name):\n    items.append(name)\n\n\n"
        "def remember(name):\n    global _SEEN\n    _record(_SEEN, name)\n"
    )
    write_tree(tmp_path, {"state.py": code})
    hits = findings(tmp_path, "API004", **SMALL_REPO)
    assert [h.message for h in hits] == ["global _SEEN changed in place in remember()"]


GC_WORKER = """import gc

_frozen = []
_frozen_ready = False
_stats = []


def freeze_worker_objects(worker_id):
    global _frozen_ready
    _frozen.extend(gc.get_objects())
    _frozen_ready = True


def record_batch(batch):
    global _stats
    _stats = [len(batch)]
"""
SEEDED_LOADER = """import random
from functools import partial

from torch.utils.data import DataLoader

from feed.gc_worker import freeze_worker_objects, record_batch


def _init_worker(seeds, worker_id):
    freeze_worker_objects(worker_id)
    random.seed(seeds[worker_id])


def make_loader(dataset, seeds):
    record_batch([])
    return DataLoader(dataset, num_workers=len(seeds), worker_init_fn=partial(_init_worker, seeds))
"""


def test_api004_a_function_the_partial_bound_worker_initializer_calls_sets_worker_state(tmp_path: Path) -> None:
    """`worker_init_fn=partial(_init_worker, seeds)` runs `_init_worker`, which calls `freeze_worker_objects` of
    another module, once per worker: its globals are a note. Look-alike: `record_batch`, called from the loader
    factory in the main process, still rebinds hidden state."""
    write_tree(tmp_path, {"feed/__init__.py": "", "feed/gc_worker.py": GC_WORKER, "feed/loader.py": SEEDED_LOADER})
    hits = {h.line: h.severity for h in findings(tmp_path, "API004", **SMALL_REPO)}
    assert hits == {9: Severity.INFO, 15: Severity.WARNING}


def test_api004_a_registration_decorator_filling_its_registry_is_info(tmp_path: Path) -> None:
    code = (
        "_METRICS = {}\n\n\n"
        "def custom_metric(metric):\n    global _METRICS\n    _METRICS[metric.get_namespace()] = metric\n"
        "    return metric\n"
    )
    write_tree(tmp_path, {"metrics/__init__.py": "", "metrics/registry.py": code})
    hits = findings(tmp_path, "API004", **SMALL_REPO)
    assert [(h.message, h.severity) for h in hits] == [
        (
            "global _METRICS changed in place in custom_metric() (a registry filled by a registration decorator)",
            Severity.INFO,
        ),
    ]


def test_api004_a_pass_through_function_keeping_a_running_total_still_warns(tmp_path: Path) -> None:
    code = (
        "_STATS = {'n': 0}\n_SEEN = []\n\n\n"
        "def track(batch):\n    global _STATS\n    _STATS['n'] += len(batch)\n    return batch\n\n\n"
        "def remember(item):\n    global _SEEN\n    _SEEN.append(item)\n    return len(_SEEN)\n"
    )
    write_tree(tmp_path, {"metrics/__init__.py": "", "metrics/stats.py": code})
    hits = findings(tmp_path, "API004", **SMALL_REPO)
    assert [(h.message, h.severity) for h in hits] == [
        ("global _STATS changed in place in track()", Severity.WARNING),
        ("global _SEEN changed in place in remember()", Severity.WARNING),
    ]
