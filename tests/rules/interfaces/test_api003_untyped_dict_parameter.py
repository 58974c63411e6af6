"""Tests of rule API003 (`mlaudit/rules/interfaces/api003_untyped_dict_parameter.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import findings, write_tree
from tests.rules.interfaces._helpers import SMALL_REPO, _padded


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
        "def f(cfg: Settings):\n    return cfg['a'], cfg['b'], cfg['c'], cfg['d'], cfg['e']\n\n\n"
        "def doc_to_text(doc):\n"
        "    return f\"{doc['question']} {doc['choices']} {doc['context']} {doc['answer']} {doc['id']}\"\n"
    )
    write_tree(tmp_path, {"features.py": code})
    assert findings(tmp_path, "API003", **SMALL_REPO) == []


def test_api003_data_passed_as_dicts_by_design_is_not_config(tmp_path: Path) -> None:
    keys = ("input_ids", "attention_mask", "labels", "advantages", "completion_mask")
    reads = " + ".join(f"{{p}}['{k}']" for k in keys)
    code = "".join(
        f"def {fn}(model, {param}: dict):\n    return {reads.format(p=param)}\n\n\n"
        for fn, param in (
            ("compute_loss", "inputs"),
            ("step", "windows_batch"),
            ("report", "eval_results"),
            ("pre_forward_hook", "kwargs"),
            ("sample", "generate_kwargs"),
            ("detection_loss", "target"),
            ("match_anchors", "gt_annotations"),
        )
    )
    config = f"def train(model, train_config: dict):\n    return {reads.format(p='train_config')}\n"
    write_tree(tmp_path, {"trainer.py": code + config})
    [hit] = findings(tmp_path, "API003", **SMALL_REPO)
    assert hit.message.startswith("train() reads 5 string keys from untyped dict train_config")


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
        "        return {'a': 1, 'b': 2, 'c': 3, 'd': 4, 'e': 5}\n\n"
        "    def get_config_dict(self) -> dict:\n"
        "        return {'a': 1, 'b': 2, 'c': 3, 'd': 4, 'e': 5}\n\n"
        "    def hparams_as_json(self):\n"
        "        return {'a': 1, 'b': 2, 'c': 3, 'd': 4, 'e': 5}\n\n\n"
        "def small():\n    return {'a': 1, 'b': 2}\n"
    )
    write_tree(tmp_path, {"evaluate.py": code})
    assert findings(tmp_path, "API003", **SMALL_REPO) == []


LAYER = """class Conv:
    def get_config(self):
        return dict(self.config)


class GraphConv(Conv):
    def __init__(self, channels, epsilon=None, hidden=None, activation="relu", batchnorm=True):
        self.channels, self.epsilon, self.hidden = channels, epsilon, hidden
        self.activation, self.batchnorm = activation, batchnorm

    @property
    def config(self):
        return {
            "channels": self.channels,
            "epsilon": self.epsilon,
            "hidden": self.hidden,
            "activation": self.activation,
            "batchnorm": self.batchnorm,
        }

    def summary(self, x):
        return {"mean": x.mean(), "std": x.std(), "min": x.min(), "max": x.max(), "channels": self.channels}
"""


def test_api003_a_method_returning_its_constructor_arguments_is_a_serial_form_but_a_summary_is_not(
    tmp_path: Path,
) -> None:
    write_tree(tmp_path, {"layers.py": LAYER})
    [hit] = findings(tmp_path, "API003", **SMALL_REPO)
    assert hit.message.startswith("summary() returns an untyped dict with 5 string keys")


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


def test_api003_overrides_of_one_base_method_are_one_finding(tmp_path: Path) -> None:
    reads = "        return x * flags['a'] + flags['b'] - flags['c'] * flags['d'] / flags['e']\n"
    base = "class Augmentation:\n    def apply_transform(self, x, flags):\n        raise NotImplementedError\n"
    subclasses = "".join(
        f"\n\nclass Aug{i}(Augmentation):\n    def apply_transform(self, x, flags):\n{reads}" for i in range(3)
    )
    standalone = f"\n\ndef blend(x, flags):\n{reads.replace('        ', '    ')}"
    write_tree(
        tmp_path,
        {
            "aug/__init__.py": "",
            "aug/base.py": base,
            "aug/geometric.py": "from aug.base import Augmentation\n" + subclasses + standalone,
        },
    )
    hits = findings(tmp_path, "API003", **SMALL_REPO)
    messages = sorted(h.message for h in hits)
    assert len(hits) == 2
    assert messages[0].startswith("apply_transform() reads 5 string keys from untyped dict flags")
    assert messages[0].endswith(
        "(the signature of Augmentation.apply_transform(); 2 other overrides of Augmentation.apply_transform() read it too)"
    )
    assert messages[1].startswith("blend() reads 5 string keys")


def test_api003_model_weights_by_parameter_name_are_not_a_record(tmp_path: Path) -> None:
    # a state dict annotated `dict` maps parameter names to tensors; the same reads on a config dict fire
    keys = ("proj.weight", "conv1.weight", "ln_final.weight", "pos_embedding", "head.bias")
    reads = " + ".join(f"{{p}}['{k}'].shape[0]" for k in keys)
    code = (
        f"def build_model(state_dict: dict):\n    return {reads.format(p='state_dict')}\n\n\n"
        f"def build_from(model_cfg: dict):\n    return {reads.format(p='model_cfg')}\n"
    )
    write_tree(tmp_path, {"vision/build.py": code})
    [hit] = findings(tmp_path, "API003", **SMALL_REPO)
    assert hit.message.startswith("build_from() reads 5 string keys from untyped dict model_cfg")


def test_api003_a_getter_read_back_by_its_setter_is_a_serialiser(tmp_path: Path) -> None:
    keys = "{'trials': self.trials, 'seed': self.seed, 'order': self.order, 'times': self.times, 'best': self.best}"
    code = (
        "class Search:\n"
        f"    def get_state(self):\n        return {keys}\n\n"
        "    def set_state(self, state):\n        self.trials = state['trials']\n\n\n"
        "class Report:\n"
        f"    def get_summary(self):\n        return {keys}\n\n"
        "    def set_state(self, state):\n        self.trials = state['trials']\n"
    )
    write_tree(tmp_path, {"search.py": code})
    [hit] = findings(tmp_path, "API003", **SMALL_REPO)
    assert hit.message.startswith("get_summary() returns an untyped dict with 5 string keys")


def test_api003_a_search_space_of_trial_suggestions_is_an_estimators_keyword_arguments(tmp_path: Path) -> None:
    names = ("n_estimators", "max_depth", "subsample", "reg_alpha", "reg_lambda")
    sampled = ", ".join(f"'{n}': trial.suggest_float('{n}', 0.1, 1.0)" for n in names)
    fixed = ", ".join(f"'{n}': 0.5" for n in names)
    code = f"def booster_space(trial):\n    return {{{sampled}}}\n\n\ndef booster_defaults(trial):\n    return {{{fixed}}}\n"
    write_tree(tmp_path, {"search.py": code})
    [hit] = findings(tmp_path, "API003", **SMALL_REPO)
    assert hit.message.startswith("booster_defaults() returns an untyped dict with 5 string keys")


def test_api003_a_function_named_for_another_calls_arguments_builds_keyword_arguments(tmp_path: Path) -> None:
    body = "    return {'model': model, 'best_f': best, 'beta': 0.2, 'maximize': True, 'sampler': None}\n"
    code = (
        f"def construct_inputs_ucb(model, best):\n{body}\n\n"
        f"def get_init_args(model, best):\n{body}\n\n"
        f"def summarise_run(model, best):\n{body}\n\n"
        f"def get_args(model, best):\n{body}"
    )
    write_tree(tmp_path, {"acquisition.py": code})
    hits = findings(tmp_path, "API003", **SMALL_REPO)
    assert [hit.message.split("(")[0] for hit in hits] == ["summarise_run", "get_args"]


def test_api003_silent_on_a_deserialiser_reading_its_serial_form_but_fires_on_a_consumer(tmp_path: Path) -> None:
    code = (
        "from dataclasses import dataclass\n\n\n"
        "@dataclass\nclass TreeNode:\n    feature: int\n    threshold: float\n    left: int\n    right: int\n    value: float\n\n"
        "    @classmethod\n    def from_dict(cls, node):\n"
        "        return cls(node['split_feature'], node['threshold'], node['left_child'], node['right_child'],"
        " node['leaf_value'])\n\n\n"
        "def ensemble_from_json(raw):\n"
        "    return [raw['trees'], raw['n_classes'], raw['base_score'], raw['objective'], raw['version']]\n\n\n"
        "def walk(node):\n"
        "    if node['is_leaf']:\n        return node['leaf_value']\n"
        "    return node['split_feature'], node['threshold'], node['left_child'], node['right_child']\n"
    )
    write_tree(tmp_path, {"trees.py": code})
    [hit] = findings(tmp_path, "API003", **SMALL_REPO)
    assert hit.message.startswith("walk() reads 6 string keys from untyped dict node")


def test_api003_pickle_state_read_back_by_setstate_is_a_serial_form_but_a_restore_helper_is_not(
    tmp_path: Path,
) -> None:
    body = (
        "        self.env = d['env']\n        self.device = d['device']\n        self.xp = d['xp']\n"
        "        self.target = d['target']\n        self.dtype = d['dtype']\n"
    )
    code = f"class ToTorch:\n    def __setstate__(self, d):\n{body}\n    def restore(self, d):\n{body}"
    write_tree(tmp_path, {"wrappers.py": code})
    [hit] = findings(tmp_path, "API003", **SMALL_REPO)
    assert hit.message.startswith("restore() reads 5 string keys from untyped dict d")


def test_api003_a_method_whose_dict_is_splatted_into_a_call_gives_keyword_arguments(tmp_path: Path) -> None:
    """`OpenAI(**self._client_kwargs())` hands the dict to the client at once; a method whose dict the caller
    keeps and reads later is still an untyped record."""
    embedder = (
        "from openai import OpenAI\n\n\n"
        "class TextEmbedder:\n"
        "    def __init__(self, key, org, url, timeout, retries):\n"
        "        self.key, self.org, self.url, self.timeout, self.retries = key, org, url, timeout, retries\n"
        "        self.client = OpenAI(**self._client_kwargs())\n\n"
        "    def _client_kwargs(self):\n"
        "        return {'api_key': self.key, 'organization': self.org, 'base_url': self.url,\n"
        "                'timeout': self.timeout, 'max_retries': self.retries}\n\n"
        "    def _usage(self, reply):\n"
        "        return {'prompt': reply.p, 'completion': reply.c, 'total': reply.t, 'model': reply.m, 'cost': 0}\n\n"
        "    def run(self, text):\n"
        "        usage = self._usage(self.client.embeddings.create(input=text))\n"
        "        return usage\n"
    )
    write_tree(tmp_path, {"rag/__init__.py": "", "rag/embedder.py": embedder})
    [hit] = findings(tmp_path, "API003", **SMALL_REPO)
    assert hit.message.startswith("_usage() returns an untyped dict")


PARSED = """def {name}(params):
    keys = ("alpha", "learning_rate", "activation", "max_iter", "tol")
    return {{key: params["alpha"] if key == "alpha" else None for key in keys}} | {{
        "learning_rate": params["learning_rate"], "activation": params["activation"],
        "max_iter": params["max_iter"], "tol": params["tol"]}}
"""


@pytest.mark.parametrize("name", ["MLP_hyperparameter_parser", "parse_search_space", "train_mlp"])
def test_api003_a_parser_turning_a_sampled_dict_into_arguments_reads_its_serial_form(tmp_path: Path, name: str) -> None:
    """A parser turns a search-space sample into an estimator's arguments; a trainer reading the same keys is a
    consumer of an untyped record."""
    write_tree(tmp_path, {"search/space.py": PARSED.format(name=name)})
    hits = findings(tmp_path, "API003", **SMALL_REPO)
    assert [h.message.split(" reads")[0] for h in hits] == ([] if "pars" in name else [f"{name}()"])


ENV_NAMES = ("BATCH_JOB_QUEUE", "BATCH_IMAGE", "ECS_ROLE", "S3_ROOT", "AWS_REGION")


@pytest.mark.parametrize("names", [ENV_NAMES, tuple(n.lower() for n in ENV_NAMES)], ids=["variables", "fields"])
def test_api003_a_dict_read_by_environment_variable_names_is_an_environment(
    tmp_path: Path, names: tuple[str, ...]
) -> None:
    """`existing_env.get("AWS_REGION")` reads variables of an environment mapping; lower-case keys are fields of
    an untyped record."""
    reads = "\n".join(f"    region = existing_env.get('{n}') or region" for n in names)
    write_tree(tmp_path, {"flows/configure.py": f"def configure_batch(existing_env, region):\n{reads}\n"})
    hits = findings(tmp_path, "API003", **SMALL_REPO)
    assert len(hits) == (names != ENV_NAMES)


CLI_KEYS = ("--input", "--format", "--length", "<path>", "-v", "serve")


@pytest.mark.parametrize(
    "keys", [CLI_KEYS, ("input", "format", "length", "path", "verbose", "serve")], ids=["options", "fields"]
)
def test_api003_a_dict_read_by_command_line_spellings_is_a_parsed_command_line(
    tmp_path: Path, keys: tuple[str, ...]
) -> None:
    """docopt's `args["--input"]` reads a parsed command line; the same names without their dashes are a record."""
    reads = "\n".join(f"    seen.append(args['{k}'])" for k in keys)
    write_tree(
        tmp_path, {"summarise/cli.py": f"def handle_arguments(args):\n    seen = []\n{reads}\n    return seen\n"}
    )
    hits = findings(tmp_path, "API003", **SMALL_REPO)
    assert len(hits) == (keys != CLI_KEYS)


SCHEMA_WALKER = """def schema_to_grammar(schema, rules):
    if "$ref" in schema:
        return rules.resolve(schema["$ref"])
    for option in schema.get("anyOf", []):
        rules.add(schema_to_grammar(option, rules))
    kind = schema.get("type")
    if kind == "object":
        for name, sub in schema.get("properties", {}).items():
            rules.add(name, schema_to_grammar(sub, rules), name in schema.get("required", []))
    elif kind == "array":
        return rules.repeat(schema_to_grammar(schema["items"], rules), schema.get("minItems", 0))
    return rules.literal(kind)
"""
SCHEMA_LOOKALIKE = (
    SCHEMA_WALKER.replace('"$ref"', '"ref"').replace('"anyOf"', '"options"').replace('"properties"', '"fields"')
)


FORM_FIELD = """def render_field(field):
    label = field.get("title") or "untitled"
    hint = field.get("description", "")
    widget = WIDGETS[field["type"]](default=field.get("default"), fmt=field.get("format"))
    return label, hint, widget
"""


@pytest.mark.parametrize(
    "code", [SCHEMA_WALKER, SCHEMA_LOOKALIKE, FORM_FIELD], ids=["schema", "record", "generic-keywords"]
)
def test_api003_a_dict_read_by_json_schema_keywords_is_a_schema_document(tmp_path: Path, code: str) -> None:
    """`schema["$ref"]`, `schema.get("properties")`: keywords of the JSON Schema standard, which a schema walker
    reads from any schema; the same walk over keys the project chose (`ref`, `options`, `fields`) reads a record,
    and so does a form field read by names a schema also uses (`type`, `title`, `default`) but none only it has."""
    write_tree(tmp_path, {"grammar/convert.py": code})
    hits = findings(tmp_path, "API003", **SMALL_REPO)
    assert len(hits) == (code is not SCHEMA_WALKER)


def test_api003_dataset_row_mapper_is_a_record_but_a_pool_job_is_not(tmp_path: Path) -> None:
    reads = "    return cfg['context'], cfg['question'], cfg['answer'], cfg['start'], cfg['end']\n"
    mapped = (
        f"def tokenize(ds):\n    def encode(cfg):\n{reads.replace('    ', '        ', 1)}\n"
        "    return ds.map(encode, batched=False)\n"
    )
    pooled = f"def run(cfg):\n{reads}\n\ndef sweep(pool, jobs):\n    return pool.map(run, jobs)\n"
    write_tree(tmp_path, {"data.py": mapped, "sweep.py": pooled})
    [hit] = findings(tmp_path, "API003", **SMALL_REPO)
    assert hit.path == "sweep.py" and hit.message.startswith("run() reads 5 string keys")


def test_api003_named_dataframes_and_lambda_mapped_batches_are_tables(tmp_path: Path) -> None:
    cols = ("text", "labels", "text_a", "text_b", "id")
    reads = ", ".join(f"{{p}}['{c}']" for c in cols)
    tables = "".join(
        f"def {fn}(model, {p}):\n    return {reads.format(p=p)}\n\n\n"
        for fn, p in (("train_model", "train_df"), ("evaluate", "eval_dataframe"), ("fit", "train_cfg"))
    )
    literal = "{" + ", ".join(f"'{c}': 1" for c in cols) + "}"
    mapped = (
        f"def encode_batch(x, tok):\n    return {literal}\n\n\n"
        f"def summary(x):\n    return {literal}\n\n\n"
        "def build(ds, tok):\n    return ds.map(lambda x: encode_batch(x, tok), batched=True)\n"
    )
    write_tree(tmp_path, {"model.py": tables, "data.py": mapped})
    hits = findings(tmp_path, "API003", **SMALL_REPO)
    assert sorted(h.message.split("(")[0] for h in hits) == ["fit", "summary"]


def test_api003_a_dict_keyed_by_labels_is_a_table_but_one_keyed_by_names_is_a_record(tmp_path: Path) -> None:
    code = (
        "def usage_terms():\n"
        "    return {'Personal research': 'yes', 'Internal evaluation': 'ask', 'Commercial use': 'licence',\n"
        "            'Redistribution': 'no', 'SaaS / API': 'agreement'}\n\n\n"
        "def evaluate(model, data):\n"
        "    return {'accuracy': 1, 'far': 2, 'frr': 3, 'tp': 4, 'fp': 5}\n"
    )
    write_tree(tmp_path, {"licensing.py": code})
    [hit] = findings(tmp_path, "API003", **SMALL_REPO)
    assert hit.line == 7 and hit.message.startswith("evaluate() returns an untyped dict with 5 string keys")


def test_api003_a_serialize_method_returns_the_serial_form_but_a_summary_does_not(tmp_path: Path) -> None:
    """`serialize()` promises the dict a client or `deserialize` reads back, as `to_dict()` does; the same
    dict from `summary()` carries data between parts untyped."""
    code = (
        "class PlotContainer:\n"
        "    def serialize(self):\n"
        "        return {'name': self.name, 'plotType': self.kind, 'data': self.data, 'params': self.params, "
        "'plotCategory': self.category}\n\n"
        "    def summary(self):\n"
        "        return {'name': self.name, 'plotType': self.kind, 'data': self.data, 'params': self.params, "
        "'plotCategory': self.category}\n"
    )
    write_tree(tmp_path, {"arena/plots.py": code})
    hits = findings(tmp_path, "API003", **SMALL_REPO)
    assert [h.message.split(" returns")[0] for h in hits] == ["summary()"]


HEADER_KEYS = ("00200032", "00200037", "00280030", "00180050", "lastImagePositionPatient")
METRIC_KEYS = ("critic/loss", "critic/q_pred", "actor/loss", "actor/log_prob", "entropy_weight")
RECORD_KEYS = ("origin", "direction", "spacing", "slice_thickness", "last_position")


@pytest.mark.parametrize("keys", [HEADER_KEYS, METRIC_KEYS, RECORD_KEYS], ids=["dicom_tags", "metric_paths", "fields"])
def test_api003_a_dict_read_by_keys_no_field_could_bear_is_a_mapping_of_outside_names(
    tmp_path: Path, keys: tuple[str, ...]
) -> None:
    """A DICOM header read by its tags or logged values read by metric path are mappings; the same values under
    identifier keys are an untyped record."""
    reads = "\n".join(f"    values.append(header['{k}'])" for k in keys)
    write_tree(tmp_path, {"scans/affine.py": f"def affine_of(header):\n    values = []\n{reads}\n    return values\n"})
    hits = findings(tmp_path, "API003", **SMALL_REPO)
    assert len(hits) == (keys == RECORD_KEYS)


def test_api003_a_function_a_registration_decorator_hands_to_a_registry_is_consumed_by_it(tmp_path: Path) -> None:
    """The registry calls `_text_stats()` and takes its table; a cached `settings()` is called by the code."""
    code = (
        "import functools\n\nfrom extensions import registry\n\n\n"
        "@registry.register('text_stats')\n"
        "def _text_stats():\n"
        "    return {'n_words': count_words, 'n_sents': count_sents, 'n_chars': count_chars,\n"
        "            'entropy': entropy, 'ttr': type_token_ratio}\n\n\n"
        "@functools.lru_cache()\n"
        "def settings():\n"
        "    return {'lr': 0.1, 'epochs': 3, 'batch': 8, 'decay': 0.1, 'warmup': 2}\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/stats.py": code, "pkg/util.py": _padded("")})
    assert [h.line for h in findings(tmp_path, "API003")] == [14]


def test_api003_a_table_of_the_objects_own_methods_is_a_dispatch_table_not_data(tmp_path: Path) -> None:
    """`{"image": self.apply, "mask": self.apply_to_mask, ...}` maps each target to the method handling it: a
    dispatch table of the object's own methods, no record to type. Look-alike: the same keys mapped to the object's
    attributes (`self.width`) is data about it, reported."""
    methods = "".join(
        f"    def apply_to_{n}(self, x):\n        return x\n\n" for n in ("mask", "boxes", "points", "volume")
    )
    code = (
        "class Transform:\n    def apply(self, x):\n        return x\n\n\n"  # a method the base defines
        "class Flip(Transform):\n    def __init__(self, width):\n        self.width = width\n\n"
        + methods
        + "    def targets(self):\n"
        "        return {'image': self.apply, 'mask': self.apply_to_mask, 'boxes': self.apply_to_boxes,\n"
        "                'points': self.apply_to_points, 'volume': self.apply_to_volume}\n\n"
        "    def describe(self):\n"
        "        return {'image': self.width, 'mask': self.width, 'boxes': self.width,\n"
        "                'points': self.width, 'volume': self.width}\n"
    )
    write_tree(tmp_path, {"flip.py": code})
    assert [h.message.split("(")[0] for h in findings(tmp_path, "API003", **SMALL_REPO)] == ["describe"]


def test_api003_hook_of_an_outside_base_implemented_by_several_classes_is_the_frameworks(tmp_path: Path) -> None:
    describe = (
        "    def _describe(self):\n"
        "        return {'filepath': self._fp, 'protocol': self._p, 'load_args': self._l,"
        " 'save_args': self._s, 'version': self._v}\n"
    )
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/csv_ds.py": f"from kedro.io import AbstractDataset\n\n\nclass CSVDataset(AbstractDataset):\n{describe}",
            "pkg/json_ds.py": f"from kedro.io import AbstractDataset\n\n\nclass JSONDataset(AbstractDataset):\n{describe}",
        },
    )
    assert findings(tmp_path, "API003", **SMALL_REPO) == []


def test_api003_a_single_subclass_or_plain_abc_classes_still_return_untyped_dicts(tmp_path: Path) -> None:
    summary = (
        "    def summary(self):\n"
        "        return {'lr': self.lr, 'epochs': self.e, 'batch_size': self.b, 'momentum': self.m, 'decay': self.d}\n"
    )
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/model.py": f"from torch import nn\n\n\nclass Net(nn.Module):\n{summary}",
            "pkg/a.py": f"from abc import ABC\n\n\nclass RunA(ABC):\n{summary}",
            "pkg/b.py": f"from abc import ABC\n\n\nclass RunB(ABC):\n{summary}",
        },
    )
    assert len(findings(tmp_path, "API003", **SMALL_REPO)) == 3


def test_api003_overrides_of_a_method_the_projects_own_base_defines_still_return_untyped_dicts(tmp_path: Path) -> None:
    """`search_space()` is a method of the project's own estimator base (over scikit-learn's): the project chose
    its untyped dict, so each override returning one is reported, as before the outside-hook exemption."""
    space = (
        "    def search_space(self):\n"
        "        return {'n_estimators': self.n, 'max_leaves': self.l, 'learning_rate': self.r,"
        " 'subsample': self.s, 'max_depth': self.d}\n"
    )
    base = "import sklearn.base\n\n\nclass Estimator(sklearn.base.BaseEstimator):\n    def search_space(self):\n        return {}\n"
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/base.py": base,
            "pkg/lgbm.py": f"from pkg.base import Estimator\n\n\nclass LGBM(Estimator):\n{space}",
            "pkg/xgb.py": f"from pkg.base import Estimator\n\n\nclass XGB(Estimator):\n{space}",
        },
    )
    assert sorted(str(h.path) for h in findings(tmp_path, "API003", **SMALL_REPO)) == ["pkg/lgbm.py", "pkg/xgb.py"]
