"""Tests of rule SEC013 (`mlaudit/rules/security/sec013_eval_of_dynamic_input.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlaudit.model import Severity
from tests.helpers import findings, write_tree
from tests.rules.security._helpers import SAFE, UNSAFE


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("SEC013", [14]),
    ],
)
def test_unsafe_calls_fire_and_safe_lookalikes_stay_silent(tmp_path: Path, code: str, expected: list[int]) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/unsafe.py": UNSAFE, "pkg/safe.py": SAFE})
    hits = findings(tmp_path, code)
    assert all(f.path == "pkg/unsafe.py" for f in hits)
    assert sorted(f.line or 0 for f in hits) == expected


def test_sec013_eval_of_a_digit_checked_string_is_silent(tmp_path: Path) -> None:
    code = (
        "def open_source(src, expr):\n    cam = eval(src) if src.isnumeric() else src\n"
        "    if src.isdigit():\n        cam = eval(src)\n"
        "    other = eval(expr) if src.isnumeric() else expr\n    return cam, other\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/src.py": code})
    assert [f.line for f in findings(tmp_path, "SEC013")] == [5]


def test_sec013_code_generated_from_a_literal_list_of_names_is_silent(tmp_path: Path) -> None:
    code = (
        "class Loader:\n"
        "    _noop = 'before_iter after_item'.split()\n"
        "    for o in _noop:\n"
        "        exec(f'def {o}(self, x=None): return x')\n"
        "    for o in ('a', 'b') + ('c',):\n"
        "        exec(f'{o}_count = 0')\n\n\n"
        "def define(names, user_code):\n"
        "    for o in names:\n"
        "        exec(f'def {o}(self): return None')\n"
        "    for o in ['x', 'y']:\n"
        "        exec(f'{o} = {user_code}')\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/meta.py": code})
    assert [f.line for f in findings(tmp_path, "SEC013")] == [11, 13]


def test_sec013_a_modules_own_eval_function_is_not_the_builtin(tmp_path: Path) -> None:
    grid = (
        "def eval(launcher, batch_size=32):\n    return launcher.bind(batch_size=batch_size)\n\n\n"
        "def explorer(launcher):\n    medium = launcher.bind(model='medium')\n    eval(medium, batch_size=128)\n"
    )
    builtin = "def run(launcher, expr):\n    eval(expr)\n"
    write_tree(tmp_path, {"grids/__init__.py": "", "grids/sweep.py": grid, "grids/calc.py": builtin})
    assert [(f.path, f.line) for f in findings(tmp_path, "SEC013")] == [("grids/calc.py", 2)]


TRAIN_WITH_OVERRIDES = """\
import os
import sys
from pathlib import Path

batch_size = 12
exec(open("overrides.py").read())
with open(os.path.join(os.path.dirname(__file__), "defaults.py")) as f:
    exec(f.read())
exec((Path(__file__).parent / "presets.py").read_text())
config_file = sys.argv[1]
exec(open(config_file).read())
"""


def test_sec013_exec_of_a_file_at_a_fixed_path_is_silent_but_a_chosen_file_fires(tmp_path: Path) -> None:
    # the first three run files the repository ships; the last runs whatever file the command line names
    write_tree(tmp_path, {"train.py": TRAIN_WITH_OVERRIDES, "overrides.py": "batch_size = 8\n"})
    assert [f.line for f in findings(tmp_path, "SEC013")] == [11]


def test_sec013_eval_of_config_entries_is_a_warning_raw_file_and_request_eval_an_error(tmp_path: Path) -> None:
    blocks = (
        "import torch.nn as nn\n\n\n"
        "def build(spec):\n"
        "    act, width = spec.get('act'), spec['width']\n"
        "    if act:\n"
        "        default = eval(act)\n"
        "    layers = []\n"
        "    for idx, (kind, params) in enumerate(spec['layers'] + spec['head']):\n"
        "        name = kind\n"
        "        kind = eval(kind) if isinstance(kind, str) else kind\n"
        "        for j, p in enumerate(params):\n"
        "            params[j] = eval(p) if isinstance(p, str) else p\n"
        "        layers.append(eval('Fast' + name.replace('nn.', '')))\n"
        "    return layers, default, width\n"
    )
    raw = (
        "def load_rules(path):\n"
        "    with open(path) as handle:\n"
        "        text = handle.read()\n"
        "    return eval(text)\n\n\n"
        "def apply(expression):\n"
        "    return eval(expression)\n\n\n"
        "def run(spec):\n"
        "    exec(spec['setup'])\n"
    )
    handler = (
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
        "@app.post('/score')\n"
        "def score(payload: dict):\n"
        "    return eval(payload['formula'])\n"
    )
    write_tree(
        tmp_path,
        {"pkg/__init__.py": "", "pkg/blocks.py": blocks, "pkg/rules.py": raw, "pkg/api.py": handler},
    )
    hits = {(f.path, f.line): f for f in findings(tmp_path, "SEC013")}
    config = {line for (path, line) in hits if path == "pkg/blocks.py"}
    assert config == {7, 11, 13, 14}
    assert all(hits["pkg/blocks.py", line].severity is Severity.WARNING for line in config)
    assert "config entry" in hits["pkg/blocks.py", 7].message
    assert "ast.literal_eval" in (hits["pkg/blocks.py", 7].fix or "")
    for key in [("pkg/rules.py", 4), ("pkg/rules.py", 8), ("pkg/rules.py", 12)]:
        assert hits[key].severity is Severity.ERROR, key
    assert hits["pkg/api.py", 8].severity is Severity.CRITICAL
    assert "sent by the client" in hits["pkg/api.py", 8].message


def test_sec013_loop_over_literal_expressions_is_silent_and_unpacked_config_reads_are_entries(tmp_path: Path) -> None:
    code = (
        "def guess_task(model):\n"
        "    for expr in 'model.args', 'model.model.args':\n"
        "        try:\n            return eval(expr)['task']\n"
        "        except AttributeError:\n            pass\n"
        "    for expr in model.expressions:\n"
        "        return eval(expr)\n\n\n"
        "def build(spec):\n"
        "    classes, act = (spec.get(k) for k in ('nc', 'activation'))\n"
        "    return classes, eval(act)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/guess.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert hits == {8: Severity.ERROR, 13: Severity.WARNING}


def test_sec013_eval_in_a_handler_is_critical_only_on_what_the_client_sent(tmp_path: Path) -> None:
    api = (
        "from fastapi import FastAPI, Request\n\nfrom svc.settings import RULES\n\napp = FastAPI()\n\n\n"
        "@app.post('/score')\nasync def score(request: Request):\n"
        "    body = await request.json()\n    expr = body['formula']\n    return eval(expr)\n\n\n"
        "@app.get('/rules')\ndef rules():\n    return [eval(rule) for rule in RULES]\n"
    )
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": api, "svc/settings.py": "RULES = ['1 + 1']\n"})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert hits == {12: Severity.CRITICAL, 17: Severity.ERROR}


def test_sec013_loop_over_a_class_constant_of_names_is_silent_but_names_from_a_parameter_fire(tmp_path: Path) -> None:
    code = (
        "class Forecaster:\n"
        "    SARIMAX_KEYS = ['trend', 'enforce_stationarity']\n\n"
        "    def __init__(self, trend=None, enforce_stationarity=True, extra=()):\n"
        "        for key in self.SARIMAX_KEYS:\n"
        "            setattr(self, key, eval(key))\n"
        "        self.extra = list(extra)\n"
        "        for key in self.extra:\n"
        "            setattr(self, key, eval(key))\n"
    )
    write_tree(tmp_path, {"tsf/forecaster.py": code})
    assert [f.line for f in findings(tmp_path, "SEC013")] == [9]


def test_sec013_exec_binding_module_names_at_import_is_a_warning_but_a_computed_statement_is_an_error(
    tmp_path: Path,
) -> None:
    code = (
        "from zoo.registry import all_models\n\n"
        "pairs = all_models()\n"
        "for i, (name, cls) in enumerate(pairs):\n"
        "    exec(f'{name} = pairs[{i}][1]')\n"
        "for alias in ('small', 'large'):\n"
        "    exec('%s_model = build(%r)' % (alias, alias))\n"
        "for line in open('snippets.txt'):\n"
        "    exec(f'{line.strip()}')\n"
        "exec(f'{pairs[0][0]}_doc = {load_doc()!r}')\n"
    )
    write_tree(tmp_path, {"zoo/__init__.py": "", "zoo/all.py": code})
    found = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert found == {5: Severity.WARNING, 7: Severity.WARNING, 9: Severity.ERROR, 10: Severity.ERROR}


HYPERPARAMS_LOADER = """class Experiment:
    def prepare(self, hyperparams, key_from_user):
        for key in ("policy_kwargs", "buffer_kwargs"):
            if isinstance(hyperparams.get(key), str):
                hyperparams[key] = eval(hyperparams[key])
        if "monitor_kwargs" in hyperparams:
            self.monitor_kwargs = hyperparams["monitor_kwargs"]
            if isinstance(self.monitor_kwargs, str):
                self.monitor_kwargs = eval(self.monitor_kwargs)
        extra = eval(hyperparams[key_from_user])
        wrapper = eval(self.wrapper)
        return hyperparams, extra, wrapper
"""


def test_sec013_entries_read_by_listed_keys_or_kept_on_self_are_config_entries(tmp_path: Path) -> None:
    write_tree(tmp_path, {"zoo/__init__.py": "", "zoo/experiment.py": HYPERPARAMS_LOADER})
    found = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert found == {5: Severity.WARNING, 9: Severity.WARNING, 10: Severity.ERROR, 11: Severity.ERROR}


def test_sec013_code_numbered_by_integer_loop_counters_is_silent_but_a_filled_in_value_fires(tmp_path: Path) -> None:
    code = (
        "import torch\n\n\n"
        "class Spline(torch.nn.Module):\n"
        "    def __init__(self, depth, widths, init):\n"
        "        super().__init__()\n"
        "        exec('self.bias_0' + ' = torch.nn.Parameter(torch.zeros(1))')\n"
        "        for l in range(depth):\n"
        "            exec(f'self.bias_{l + 1} = torch.nn.Parameter(torch.zeros({2 * l}))')\n"
        "        for i, width in enumerate(widths):\n"
        "            exec(f'self.scale_{i} = torch.nn.Parameter(torch.ones(3))')\n"
        "            exec(f'self.scale_{i}.data *= {width}')\n"
        "        for l in range(depth):\n"
        "            exec(f'self.bias_{l}.data = {init}')\n"
        "            exec('self.w_' + init)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/spline.py": code})
    hits = findings(tmp_path, "SEC013")
    assert [(f.line, f.severity) for f in hits] == [(12, Severity.ERROR), (14, Severity.ERROR), (15, Severity.ERROR)]


def test_sec013_exec_of_an_installed_functions_edited_source_is_a_warning_but_edited_user_text_is_an_error(
    tmp_path: Path,
) -> None:
    code = (
        "import inspect\n\n"
        "from acme_trainer import Trainer\n\n"
        "OLD_LINE = 'loss = loss / steps'\n"
        "NEW_LINE = 'loss = loss / max(steps, 1)'\n\n\n"
        "def patch_training_step():\n"
        "    source = inspect.getsource(Trainer.training_step)\n"
        "    source = source.replace('def training_step(', 'def patched_training_step(', 1)\n"
        "    patched = source.replace(OLD_LINE, NEW_LINE)\n"
        "    exec(patched, globals())\n"
        "    Trainer.training_step = globals()['patched_training_step']\n\n\n"
        "def patch_from_file(path):\n"
        "    source = open(path).read()\n"
        "    source = source.replace(OLD_LINE, NEW_LINE)\n"
        "    exec(source, globals())\n"
    )
    write_tree(tmp_path, {"tuner/__init__.py": "", "tuner/patches.py": code})
    found = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert found == {13: Severity.WARNING, 20: Severity.ERROR}


def test_sec013_exec_of_one_import_statement_is_a_warning_but_an_import_followed_by_code_is_an_error(
    tmp_path: Path,
) -> None:
    code = (
        "import importlib\n\n\n"
        "def import_helpers(cls, source):\n"
        "    module = importlib.import_module(cls.__module__)\n"
        "    names = [n for n in dir(module) if n in source]\n"
        "    exec(f\"from {cls.__module__} import ({', '.join(names)})\", globals())\n"
        "    exec('from acme_trainer.utils import (' + ', '.join(names) + ')', globals())\n\n\n"
        "def build_config(plugins):\n"
        "    code = ''\n"
        "    for path in plugins:\n"
        "        mod, name = path.rsplit('.', 1)\n"
        "        code += f'from {mod} import {name}\\n'\n"
        "    exec(f'from {plugins[0]} import Base; Base.install()', globals())\n"
        "    exec(code, globals())\n"
    )
    write_tree(tmp_path, {"tuner/__init__.py": "", "tuner/imports.py": code})
    found = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert found == {7: Severity.WARNING, 8: Severity.WARNING, 16: Severity.ERROR, 17: Severity.ERROR}


def test_sec013_a_literal_joined_to_a_name_from_a_literal_list_is_fixed_code(tmp_path: Path) -> None:
    code = (
        "class Report:\n"
        "    def criteria(self, names):\n"
        "        out = {}\n"
        "        for x in ['_aic', '_bic', '_hqic']:\n"
        "            out[x[1:]] = eval('self._model.' + x)\n"
        "        for x in names:\n"
        "            out[x] = eval('self._model.' + x)\n"
        "        return out\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/report.py": code})
    assert [f.line for f in findings(tmp_path, "SEC013")] == [7]


def test_sec013_eval_of_a_config_attribute_is_a_warning_but_a_cell_of_a_read_table_is_an_error(tmp_path: Path) -> None:
    code = (
        "import csv\n\nimport numpy as np\nimport pandas as pd\n\nfrom .config import cfg\n\n\n"
        "def best_epoch(scores):\n"
        "    values = np.array(scores)\n"
        "    first = eval(f'values.{cfg.metric_agg}()')\n"
        "    second = eval('values.{}()'.format(cfg.train.metric_agg))\n"
        "    return first, second\n\n\n"
        "def load_edges(path):\n"
        "    frame = pd.read_csv(path)\n"
        "    edges = []\n"
        "    for i, row in frame.iterrows():\n"
        "        edges.append(eval(row['nodes']))\n"
        "    with open(path) as handle:\n"
        "        for record in csv.DictReader(handle):\n"
        "            edges.append(eval(record.get('nodes')))\n"
        "    return edges\n\n\n"
        "def run(model):\n"
        "    return eval(f'values.{model.metric_agg}()')\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/config.py": "cfg = None\n", "pkg/runs.py": code})
    found = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert found == {
        11: Severity.WARNING,
        12: Severity.WARNING,
        20: Severity.ERROR,
        23: Severity.ERROR,
        28: Severity.ERROR,
    }


def test_sec013_eval_of_a_parameter_defaulting_to_a_class_name_is_a_warning(tmp_path: Path) -> None:
    code = (
        "import torch.nn as nn\n\n\n"
        "class Block(nn.Module):\n"
        "    def __init__(self, dim, norm_layer='nn.LayerNorm', *, act='nn.GELU'):\n"
        "        super().__init__()\n"
        "        self.norm = eval(norm_layer)(dim)\n"
        "        self.act = eval(act)()\n\n\n"
        "def compute(expr, scale='1.0 + 2'):\n"
        "    total = eval(expr)\n"
        "    return total * eval(scale)\n\n\n"
        "def build(layer='nn.ReLU'):\n"
        "    layer = layer.strip() + '()'\n"
        "    return eval(layer)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/block.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert hits == {
        7: Severity.WARNING,
        8: Severity.WARNING,
        12: Severity.ERROR,
        13: Severity.ERROR,
        18: Severity.ERROR,
    }


def test_sec013_eval_of_a_function_name_its_caller_passes_and_called_at_once_is_a_warning(tmp_path: Path) -> None:
    """`for metric in rating_metrics: eval(metric)(test, predictions)` looks up each metric function the caller
    names and calls it: the caller chooses what runs, as a config entry would (a warning). Look-alikes: the same
    name evaluated without a call is any expression (an error), and a route's parameter is client input."""
    code = (
        "from pkg.metrics import mae, rmse\n\n\n"
        "def compute(test, predictions, rating_metrics, ranking_metrics, metric=None):\n"
        "    results = {}\n"
        "    for name in rating_metrics:\n"
        "        results[name] = eval(name)(test, predictions)\n"
        "    if metric is not None:\n"
        "        results[metric] = eval(metric)(test, predictions)\n"
        "    for name in ranking_metrics:\n"
        "        results[name] = eval(name)(test, predictions, k=10)\n"
        "    return results\n\n\n"
        "def value_of(expression):\n"
        "    return eval(expression)\n\n\n"
        "def mixed(rows, names):\n"
        "    for name in names:\n"
        "        print(eval(name)(rows))\n"
        "    for name in open('names.txt'):\n"
        "        print(eval(name)(rows))\n"
    )
    route = (
        "from fastapi import FastAPI\n\nfrom pkg.metrics import mae, rmse\n\napp = FastAPI()\n\n\n"
        "@app.get('/score')\ndef score(metric: str):\n    return eval(metric)([1.0], [2.0])\n"
    )
    metrics = "def mae(a, b):\n    return 0.0\n\n\ndef rmse(a, b):\n    return 0.0\n"
    write_tree(
        tmp_path, {"pkg/__init__.py": "", "pkg/metrics.py": metrics, "pkg/evaluate.py": code, "pkg/api.py": route}
    )
    hits = {(f.path, f.line): f.severity for f in findings(tmp_path, "SEC013")}
    # a name also bound from a file's lines (`mixed`) may hold any expression there: both evals stay errors
    assert hits == {
        ("pkg/evaluate.py", 7): Severity.WARNING,
        ("pkg/evaluate.py", 9): Severity.WARNING,
        ("pkg/evaluate.py", 11): Severity.WARNING,
        ("pkg/evaluate.py", 16): Severity.ERROR,
        ("pkg/evaluate.py", 21): Severity.ERROR,
        ("pkg/evaluate.py", 23): Severity.ERROR,
        ("pkg/api.py", 10): Severity.CRITICAL,
    }


def test_sec013_eval_of_a_command_line_argument_is_a_warning(tmp_path: Path) -> None:
    script = (
        "import argparse\nimport sys\n\nfrom pkg import nets\n\n\n"
        "def main():\n"
        "    parser = argparse.ArgumentParser()\n"
        "    parser.add_argument('--arch', default='nets.ResNet')\n"
        "    args = parser.parse_args()\n"
        "    model = eval(args.arch)(num_classes=10)\n"
        "    scale = eval(sys.argv[2])\n"
        "    return model, scale\n\n\n"
        "def load(path):\n"
        "    with open(path) as f:\n"
        "        return eval(f.read())\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/nets.py": "class ResNet:\n    pass\n", "train.py": script})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert hits == {11: Severity.WARNING, 12: Severity.WARNING, 18: Severity.ERROR}


def test_sec013_installed_source_edited_by_regex_line_splitting_or_a_helper_is_still_a_monkeypatch(
    tmp_path: Path,
) -> None:
    """Source from inspect.getsource, dedented by splitting and joining its lines, edited with re.sub, or fetched by
    a helper of the module and handed to another that returns it edited, is the installed code's own text: a
    warning. Look-alike: a helper that downloads the text, edited the same way, is outside input: an error."""
    code = (
        "import inspect\nimport re\n\nimport requests\n\nfrom acme_trainer import Trainer, prepare\n\n\n"
        "def get_prep_code():\n    return inspect.getsource(prepare)\n\n\n"
        "def get_remote_code(url):\n    return requests.get(url, timeout=10).text\n\n\n"
        "def detab(code):\n    return code.replace('    ', '', 1), True\n\n\n"
        "def patch_loss():\n"
        "    function = inspect.getsource(Trainer.compute_loss)\n"
        "    where = function.find('def')\n"
        "    function = '\\n'.join(line[where:] for line in function.split('\\n'))\n"
        "    function = re.sub(r'loss\\s*\\*=', 'loss = loss *', function)\n"
        "    exec(function, globals())\n\n\n"
        "def patch_prepare():\n"
        "    prep_code = get_prep_code()\n"
        "    prep_code, _ = detab(prep_code)\n"
        "    exec(prep_code, globals())\n\n\n"
        "def patch_remote(url):\n"
        "    prep_code = get_remote_code(url)\n"
        "    prep_code, _ = detab(prep_code)\n"
        "    exec(prep_code, globals())\n"
    )
    write_tree(tmp_path, {"tuner/__init__.py": "", "tuner/patches.py": code})
    found = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert found == {26: Severity.WARNING, 32: Severity.WARNING, 38: Severity.ERROR}


def test_sec013_installed_source_rewritten_as_a_syntax_tree_and_compiled_is_still_a_monkeypatch(tmp_path: Path) -> None:
    """A method's own source parsed with ast.parse, rewritten by a transformer, unparsed and compiled before exec is
    the installed code edited: a warning. Look-alike: a downloaded text run through the same steps is an error."""
    code = (
        "import ast\nimport inspect\nimport textwrap\n\nimport requests\n\n\n"
        "def rewrap_forward(module, wrapper):\n"
        "    source = inspect.getsource(module.forward)\n"
        "    source = textwrap.dedent(source)\n"
        "    tree = ast.parse(source)\n"
        "    tree = wrapper.visit(tree)\n"
        "    source = ast.unparse(tree)\n"
        "    code = compile(source, filename='<rewrapped>', mode='exec')\n"
        "    namespace = {}\n"
        "    exec(code, namespace)\n"
        "    return namespace['forward']\n\n\n"
        "def rewrap_remote(url, wrapper):\n"
        "    source = requests.get(url, timeout=10).text\n"
        "    tree = ast.parse(source)\n"
        "    tree = wrapper.visit(tree)\n"
        "    code = compile(ast.unparse(tree), filename='<remote>', mode='exec')\n"
        "    exec(code, {})\n"
    )
    write_tree(tmp_path, {"tracer/__init__.py": "", "tracer/wrap.py": code})
    found = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert found == {16: Severity.WARNING, 25: Severity.ERROR}


def test_sec013_names_numbered_by_a_range_are_a_fixed_vocabulary(tmp_path: Path) -> None:
    """`",".join(f"arg{i}" for i in range(n))` spells arg0, arg1, ...: whatever n is, the lambda built from those
    names runs no input. Look-alike: names joined from a parameter are whatever the caller passes: an error."""
    code = (
        "def fake_signature(fn, nargs):\n"
        "    argnames = ','.join(f'arg{i}' for i in range(nargs))\n"
        "    return eval(f'lambda {argnames}: fn({argnames})', {'fn': fn})\n\n\n"
        "def named_signature(fn, names):\n"
        "    argnames = ','.join(f'{name}' for name in names)\n"
        "    return eval(f'lambda {argnames}: fn({argnames})', {'fn': fn})\n"
    )
    write_tree(tmp_path, {"tracer/__init__.py": "", "tracer/signature.py": code})
    assert [(f.line, f.severity) for f in findings(tmp_path, "SEC013")] == [(8, Severity.ERROR)]


def test_sec013_a_name_checked_against_a_literal_list_is_fixed_code_but_an_unchecked_one_fires(tmp_path: Path) -> None:
    code = (
        "class Regressor:\n"
        "    def update(self, **kwargs):\n"
        "        allowed = ['depth', 'width']\n"
        "        for name, value in kwargs.items():\n"
        "            if name in allowed:\n"
        "                exec(f'self.{name} = value')\n"
        "            if name in ('lr', 'decay'):\n"
        "                exec(f'self.{name} = value')\n"
        "            else:\n"
        "                exec(f'self.{name} = value')\n"
        "            if name in self.extra:\n"
        "                exec(f'self.{name} = value')\n"
        "            exec(f'self.{name} = value')\n"
    )
    write_tree(tmp_path, {"fit/model.py": code})
    # Fires: the else branch, a membership test against a collection the caller can fill, and no test at all.
    assert [f.line for f in findings(tmp_path, "SEC013")] == [10, 12, 13]


def test_sec013_an_option_of_a_parsed_command_line_passed_in_is_a_warning(tmp_path: Path) -> None:
    """An option read from an object named as a parsed command line (`args`, `self.args`, absl's `FLAGS`), also
    when a framework hands the namespace in, is typed by whoever runs the command: a warning. Look-alike: the same
    read from an object with another name, or a positional `*args` item, is any string: an error."""
    code = (
        "class ConvModel:\n"
        "    @classmethod\n"
        "    def build_model(cls, args, task):\n"
        "        layers = eval(args.encoder_layers)\n"
        "        overrides = eval(getattr(args, 'model_overrides', '{}'))\n"
        "        return cls(layers, overrides)\n\n\n"
        "class Optimizer:\n"
        "    def __init__(self, args):\n"
        "        self.args = args\n\n"
        "    def config(self):\n"
        "        return {'betas': eval(self.args.adam_betas)}\n\n\n"
        "def build(spec, *args):\n"
        "    layers = eval(spec.encoder_layers)\n"
        "    return layers, eval(args[0])\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/models.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert hits == {
        4: Severity.WARNING,
        5: Severity.WARNING,
        14: Severity.WARNING,
        18: Severity.ERROR,
        19: Severity.ERROR,
    }


def test_sec013_a_config_entry_popped_by_name_is_a_warning(tmp_path: Path) -> None:
    """`name = config.pop("name")` reads a config entry by its key, as `config["name"]` does: a warning. Look-alike:
    popping an item by position from a list the function was handed is any string: an error."""
    code = (
        "def build_sampler(config, dataset):\n"
        "    sampler_config = config['Train']['sampler']\n"
        "    sampler_name = sampler_config.pop('name')\n"
        "    return eval(sampler_name)(dataset, **sampler_config)\n\n\n"
        "def build_op(names):\n"
        "    name = names.pop(0)\n"
        "    return eval(name)()\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/build.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert hits == {4: Severity.WARNING, 9: Severity.ERROR}


def test_sec013_a_template_filled_with_a_method_name_parameter_is_a_warning(tmp_path: Path) -> None:
    """`exec(f"out = model.{function_name}(x)")` with `function_name="forward_features"` calls a method its caller
    names, like `eval(norm_layer)` with a class-name default: a warning. Look-alike: a template filled with a
    parameter without such a default (or one the function rebinds) runs any code: an error."""
    code = (
        "def forward_default(pretrained, x, function_name='forward_features'):\n"
        "    exec(f'pretrained.model.{function_name}(x)')\n"
        "    return pretrained.activations\n\n\n"
        "def forward_code(pretrained, x, statement):\n"
        "    exec(f'pretrained.model.{statement}')\n"
        "    return pretrained.activations\n\n\n"
        "def forward_patched(pretrained, x, function_name='forward_features'):\n"
        "    function_name = function_name + pretrained.suffix\n"
        "    exec(f'pretrained.model.{function_name}(x)')\n"
        "    return pretrained.activations\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/backbone.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert hits == {2: Severity.WARNING, 7: Severity.ERROR, 13: Severity.ERROR}


def test_sec013_a_format_template_or_join_of_a_literal_list_of_names_is_fixed_code(tmp_path: Path) -> None:
    """A plotting function reads its own parameters by name: `eval("{0}[0] if is_list({0}) else {0}".format(key))`
    for each key of a literal list (also extended in place with `keys += [...]`), and `eval(f"[{','.join(keys)}]")`:
    fixed code, no input chooses it. Look-alikes: the same list extended with a caller's names, and a template
    filled by a parameter, are any expression."""
    code = (
        "def is_list(x):\n    return isinstance(x, list)\n\n\n"
        "def scatter(color=None, layer=None, title=None, extra=()):\n"
        "    keys = ['color', 'layer']\n"
        "    keys += ['title']\n"
        "    first = {}\n"
        "    for key in keys:\n"
        "        first[key] = eval('{0}[0] if is_list({0}) else {0}'.format(key))\n"
        "    values = eval(f\"[{','.join(keys)}]\")\n"
        "    return first, values\n\n\n"
        "def scatter_more(color=None, extra=()):\n"
        "    keys = ['color']\n"
        "    keys += list(extra)\n"
        "    for key in keys:\n"
        "        print(eval('{0}'.format(key)))\n\n\n"
        "def pick(template_key):\n"
        "    return eval('{0}[0]'.format(template_key))\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/plot.py": code})
    assert sorted(f.line or 0 for f in findings(tmp_path, "SEC013")) == [19, 23]


def test_sec013_a_name_read_from_a_table_of_literal_names_is_a_fixed_program(tmp_path: Path) -> None:
    """`eval(alias2name[dataset] + "_classes()")`, the table filled only with the keys of a literal dict (or a dict
    literal of strings), can only call one of those names' functions: no input chooses what runs. Look-alike: a
    table filled with the caller's own values runs whatever they hold: an error."""
    code = (
        "DATASET_ALIASES = {'voc': ['voc', 'pascal_voc'], 'coco': ['coco', 'mscoco']}\n"
        "PALETTES = {'voc': 'voc_palette', 'coco': 'coco_palette'}\n\n\n"
        "def voc_classes():\n    return ['cat']\n\n\n"
        "def coco_classes():\n    return ['dog']\n\n\n"
        "def get_classes(dataset):\n"
        "    alias2name = {}\n"
        "    for name, aliases in DATASET_ALIASES.items():\n"
        "        for alias in aliases:\n"
        "            alias2name[alias] = name\n"
        "    if dataset not in alias2name:\n"
        "        raise ValueError(dataset)\n"
        "    return eval(alias2name[dataset] + '_classes()')\n\n\n"
        "def get_palette(dataset):\n"
        "    return eval(f'{PALETTES[dataset]}()')\n\n\n"
        "def get_user_classes(dataset, user_tables):\n"
        "    alias2name = {}\n"
        "    for name, aliases in user_tables.items():\n"
        "        for alias in aliases:\n"
        "            alias2name[alias] = name\n"
        "    return eval(alias2name[dataset] + '_classes()')\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/class_names.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert hits == {32: Severity.ERROR}


def test_sec013_an_option_of_the_modules_own_parse_args_helper_is_a_warning(tmp_path: Path) -> None:
    """`args = parse_args()` (the module's helper returning `parser.parse_args()`) is the command line, also
    filled into a template: `eval(f"{args.task}_benchmark")`. Look-alike: the same template filled from a file's
    contents is an error."""
    code = (
        "import argparse\n\n\n"
        "def parse_args():\n"
        "    parser = argparse.ArgumentParser()\n"
        "    parser.add_argument('--task', choices=['inference', 'dataloader'], default='dataloader')\n"
        "    return parser.parse_args()\n\n\n"
        "def main():\n"
        "    args = parse_args()\n"
        "    bench = eval(f'{args.task}_benchmark')\n"
        "    with open('task.txt') as f:\n"
        "        task = f.read()\n"
        "    other = eval(f'{task}_benchmark')\n"
        "    return bench, other\n"
    )
    write_tree(tmp_path, {"tools/__init__.py": "", "tools/benchmark.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert hits == {12: Severity.WARNING, 15: Severity.ERROR}


def test_sec013_an_entry_of_a_models_response_is_data_not_a_config_entry(tmp_path: Path) -> None:
    """`eval(start_box)` of an entry read from a model's parsed response (`for response in responses:
    inputs = response.get("action_inputs")`) runs what the model wrote, which a prompt can steer: an error.
    Look-alike: the same entry read from a config loaded from YAML is a config entry: a warning."""
    code = (
        "import yaml\n\n\n"
        "def to_actions(responses):\n"
        "    actions = []\n"
        "    for response in responses:\n"
        "        action_inputs = response.get('action_inputs', {})\n"
        "        start_box = action_inputs.get('start_box')\n"
        "        actions.append(eval(start_box))\n"
        "    return actions\n\n\n"
        "def default_box(path):\n"
        "    with open(path) as f:\n"
        "        cfg = yaml.safe_load(f)\n"
        "    box = cfg.get('start_box')\n"
        "    return eval(box)\n"
    )
    write_tree(tmp_path, {"agent/__init__.py": "", "agent/grounding.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert hits == {9: Severity.ERROR, 17: Severity.WARNING}


DRF_EVAL = """from rest_framework.response import Response
from rest_framework.views import APIView


class ScoreView(APIView):
    def post(self, request):
        expr = request.data["expr"]
        return Response({"value": eval(expr)})
"""
# Look-alike: a class that is no view (a management command) answers no client, whatever its methods are named.
COMMAND_EVAL = DRF_EVAL.replace("rest_framework.views import APIView", "django.core.management.base import BaseCommand")
COMMAND_EVAL = COMMAND_EVAL.replace("ScoreView(APIView)", "Command(BaseCommand)")


def test_sec013_a_drf_view_evaluating_its_request_data_runs_client_code(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app/__init__.py": "", "app/views.py": DRF_EVAL, "app/management.py": COMMAND_EVAL})
    hits = {f.path: f for f in findings(tmp_path, "SEC013")}
    assert "sent by the client" in hits["app/views.py"].message
    assert "sent by the client" not in hits["app/management.py"].message


RESTRICTED_EVAL = """\
import ast

ALLOWED = (ast.Expression, ast.Name, ast.Load, ast.Constant, ast.BinOp, ast.Add, ast.Mult)


def evaluate_formula(text, variables):
    tree = ast.parse(text.strip(), mode="eval")
    bad = [type(n).__name__ for n in ast.walk(tree) if not isinstance(n, ALLOWED)]
    if bad:
        raise ValueError(f"disallowed parts: {bad}")
    return eval(compile(tree, "<formula>", "eval"), {}, dict(variables))


def evaluate_listed(text, variables):
    tree = ast.parse(text, mode="eval")
    names = [n.id for n in ast.walk(tree) if isinstance(n, ast.Name)]
    if not names:
        raise ValueError("no variable")
    return eval(compile(tree, "<formula>", "eval"), {}, dict(variables))


def evaluate_unchecked(text, variables):
    tree = ast.parse(text, mode="eval")
    return eval(compile(tree, "<formula>", "eval"), {}, dict(variables))
"""


def test_sec013_eval_of_a_tree_checked_against_an_allow_list_is_silent(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/formula.py": RESTRICTED_EVAL})
    assert sorted(f.line or 0 for f in findings(tmp_path, "SEC013")) == [19, 24]


def test_sec013_eval_of_a_parameter_named_for_a_class_and_called_at_once_is_a_warning(tmp_path: Path) -> None:
    code = (
        "from pkg import pools\n\n\n"
        "class Core:\n"
        "    def __init__(self, shape, pool_class=None, pool_kwargs=None, reduce_fn=None):\n"
        "        if pool_class is not None:\n"
        "            self.pool = eval(pool_class)(input_shape=shape, **(pool_kwargs or {}))\n"
        "        self.reduce = eval(reduce_fn)\n\n\n"
        "def make(encoder_cls):\n"
        "    encoder_cls = 'pools.' + encoder_cls\n"
        "    return eval(encoder_cls)()\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/pools.py": "", "pkg/core.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert hits == {7: Severity.WARNING, 8: Severity.ERROR, 13: Severity.ERROR}


def test_sec013_eval_of_an_attribute_of_a_qualified_config_name_is_a_warning(tmp_path: Path) -> None:
    """`audio_cfg.model_name` and `self.model_config.act` name a config as `cfg` does: a warning. An object whose
    name only contains those letters (`reconfig`) or names no config (`audio_spec`) stays an error."""
    code = (
        "class Encoder:\n"
        "    def __init__(self, audio_cfg, model_config, audio_spec, reconfig):\n"
        "        self.model_config = model_config\n"
        "        self.net = eval(audio_cfg.model_name)\n"
        "        self.act = eval(self.model_config.act)\n"
        "        self.head = eval(audio_spec.model_name)\n"
        "        self.tail = eval(reconfig.model_name)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/encoder.py": code})
    found = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert found == {4: Severity.WARNING, 5: Severity.WARNING, 6: Severity.ERROR, 7: Severity.ERROR}


def test_sec013_a_local_bound_only_to_literals_is_fixed_code_but_a_parameter_fires(tmp_path: Path) -> None:
    # `sign` is one of a few operator literals whatever branch ran: `eval("a" + sign + "b")` is a fixed expression
    code = (
        "from functools import reduce\n\n\n"
        "def combine(frame, column, action):\n"
        "    if action == 'add':\n"
        "        sign = '+'\n"
        "    elif action in ('-', 'subtract'):\n"
        "        sign = '-'\n"
        "    else:\n"
        "        sign = '*'\n"
        "    return frame[column].map(lambda parts: reduce(lambda a, b: eval('a' + sign + 'b'), parts))\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/features.py": code})
    assert findings(tmp_path, "SEC013") == []
    # the operator taken from the caller, or rebound from it, can be any expression
    from_caller = code.replace("def combine(frame, column, action):", "def combine(frame, column, action, sign):")
    rebound = code.replace("        sign = '*'\n", "        sign = action\n")
    looped = code.replace("        sign = '*'\n", "        for sign in action.split():\n            pass\n")
    for variant in (from_caller, rebound, looped):
        write_tree(tmp_path, {"pkg/features.py": variant})
        [hit] = findings(tmp_path, "SEC013")
        assert hit.severity is Severity.ERROR and hit.line == variant.count("\n")


SANDBOXED_QUERY = """
from RestrictedPython import compile_restricted
from RestrictedPython.Guards import full_write_guard, safer_getattr

GUARDED = {
    '__builtins__': {},
    '_getattr_': safer_getattr,
    '_write_': full_write_guard,
    '_getiter_': iter,
}
PLAIN = {'__builtins__': {}}


class Query:
    def __init__(self, expr):
        self.code = compile_restricted(expr, filename='<query>', mode='eval')

    def check(self, **params):
        return eval(self.code, GUARDED, dict(params))

    def check_plain(self, **params):
        return eval(self.code, PLAIN, dict(params))

    def check_source(self, text, **params):
        return eval(text, GUARDED, dict(params))
"""


def test_sec013_eval_with_restricted_python_s_guards_is_its_sandbox(tmp_path: Path) -> None:
    """RestrictedPython's compiled code routes attribute, item and write access through the `_getattr_`/`_write_`
    hooks of the globals it is evaluated with. Look-alikes: the same code evaluated without the guards, and source
    text (not compiled by RestrictedPython) evaluated with them, run unguarded."""
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/query.py": SANDBOXED_QUERY})
    assert sorted(f.line or 0 for f in findings(tmp_path, "SEC013")) == [22, 25]


def test_sec013_an_option_split_into_parts_before_the_eval_is_still_a_command_line_argument(tmp_path: Path) -> None:
    """`name, params = args.recipe.split("^")`, then `eval(f"{RECIPES[name]}({params})")`: the parameters are what
    whoever runs the command typed, a warning. Look-alike: the same split of a spec handed in is any string."""
    code = (
        "RECIPES = {'greedy': 'pkg.search.Greedy', 'beam': 'pkg.search.Beam'}\n\n\n"
        "class AttackArgs:\n"
        "    @classmethod\n"
        "    def create(cls, args):\n"
        "        recipe = args.recipe\n"
        "        name, params = recipe.split('^')\n"
        "        return eval(f'{RECIPES[name]}({params})')\n\n\n"
        "def build(spec):\n"
        "    name, params = spec.recipe.split('^')\n"
        "    return eval(f'{RECIPES[name]}({params})')\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/recipes.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert hits == {9: Severity.WARNING, 14: Severity.ERROR}


GENERATED_ACCESSORS = '''import dataclasses

_GETTER_CODE = """
def {func_name}(obj):
    return ({values},)
"""


def make_getter(cls):
    names = [field.name for field in dataclasses.fields(cls)]
    code = _GETTER_CODE.format(func_name="get_all", values=", ".join(f"obj.{name}" for name in names))
    namespace = {}
    exec(compile(code, f"<generated {cls.__qualname__}>", "exec"), namespace)
    return namespace["get_all"]
'''


def test_sec013_code_generated_from_a_module_template_into_a_namespace_is_a_warning(tmp_path: Path) -> None:
    """Filling the module's own `def` template with a dataclass's field names and exec'ing it into a fresh
    namespace generates a function, as dataclasses does: a readability warning, not untrusted code."""
    write_tree(tmp_path / "a", {"fastpy/__init__.py": "", "fastpy/gen.py": GENERATED_ACCESSORS})
    [hit] = findings(tmp_path / "a", "SEC013")
    assert hit.severity is Severity.WARNING and "own template _GETTER_CODE" in hit.message
    # Look-alikes: the template is a parameter (the caller's code runs), or holds no definition, or the code runs in
    # the module's own namespace: each stays an error.
    handed = GENERATED_ACCESSORS.replace("def make_getter(cls):", "def make_getter(cls, _GETTER_CODE):")
    write_tree(tmp_path / "b", {"fastpy/__init__.py": "", "fastpy/gen.py": handed})
    assert [h.severity for h in findings(tmp_path / "b", "SEC013")] == [Severity.ERROR]
    statement = GENERATED_ACCESSORS.replace("def {func_name}(obj):\n    return ({values},)", "result = ({values},)")
    write_tree(tmp_path / "c", {"fastpy/__init__.py": "", "fastpy/gen.py": statement})
    assert [h.severity for h in findings(tmp_path / "c", "SEC013")] == [Severity.ERROR]
    shared = GENERATED_ACCESSORS.replace(', "exec"), namespace)', ', "exec"))')
    write_tree(tmp_path / "d", {"fastpy/__init__.py": "", "fastpy/gen.py": shared})
    assert [h.severity for h in findings(tmp_path / "d", "SEC013")] == [Severity.ERROR]


def test_sec013_a_name_a_relative_import_binds_is_not_the_builtin(tmp_path: Path) -> None:
    shadowed = (
        "from ..engine.runner import evaluate as eval\n\n\n"
        "class Generator:\n    def score(self, feed):\n        return eval(self.session, feed)\n"
    )
    builtin = (
        "from ..engine.runner import evaluate\n\n\n"
        "class Generator:\n    def score(self, expr):\n        evaluate(expr)\n        return eval(expr)\n"
    )
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/models/__init__.py": "",
            "pkg/models/gen.py": shadowed,
            "pkg/models/calc.py": builtin,
        },
    )
    assert [(f.path, f.line) for f in findings(tmp_path, "SEC013")] == [("pkg/models/calc.py", 7)]


def test_sec013_a_literal_table_imported_from_another_module_evaluates_fixed_expressions(tmp_path: Path) -> None:
    """A table of literal expressions is as fixed when another module defines it; one loaded from a file is not."""
    build = (
        "import torch\n\nfrom .registry import ACTIVATIONS\nfrom pkg.settings import OVERRIDES\n\n\n"
        "def activation(name):\n    return eval(ACTIVATIONS[name])\n\n\n"
        "def override(name):\n    return eval(OVERRIDES[name])\n"
    )
    files = {
        "pkg/__init__.py": "",
        "pkg/registry.py": 'ACTIVATIONS = {"relu": "torch.nn.ReLU()", "gelu": "torch.nn.GELU()"}\n',
        "pkg/settings.py": 'import json\n\nOVERRIDES = json.load(open("overrides.json"))\n',
        "pkg/build.py": build,
    }
    write_tree(tmp_path, files)
    assert [hit.line for hit in findings(tmp_path, "SEC013")] == [12]


ARGV_BOUND_FIRST = """\
import sys

import genotypes


def lookup(name):
    return eval("genotypes.{}".format(name))


if __name__ == "__main__":
    genotype_name = sys.argv[1]
    genotype = eval("genotypes.{}".format(genotype_name))
    other = lookup(input())
"""


def test_sec013_eval_of_a_local_bound_from_sys_argv_is_a_command_line_argument(tmp_path: Path) -> None:
    # `name = sys.argv[1]` then `eval(f"...{name}")` runs what the command line says, like `eval(sys.argv[1])`;
    # the helper evaluates whatever string its callers pass (here text typed at a prompt) and stays an error
    write_tree(tmp_path, {"genotypes.py": "DARTS = 1\n", "visualize.py": ARGV_BOUND_FIRST})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert hits == {7: Severity.ERROR, 12: Severity.WARNING}


def test_sec013_the_value_an_argparse_action_is_handed_is_a_command_line_argument(tmp_path: Path) -> None:
    """`values` of an `argparse.Action`'s `__call__` is the string typed after the option (`--conf "{'a': 3}"`):
    only whoever types the command chooses it, a warning. Look-alike: the same `__call__` of a class that is no
    parser action (a transform called on data) evaluates whatever data reaches it: an error."""
    code = (
        "import argparse\n\n\n"
        "class DictAction(argparse.Action):\n"
        "    def __call__(self, parser, namespace, values, option_string=None):\n"
        "        setattr(namespace, self.dest, eval(values, {}, {}))\n\n\n"
        "class Rescale:\n"
        "    def __call__(self, batch, values):\n"
        "        return batch * eval(values, {}, {})\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/options.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert hits == {6: Severity.WARNING, 11: Severity.ERROR}


def test_sec013_an_attribute_path_named_by_the_models_own_parameters_is_metaprogramming(tmp_path: Path) -> None:
    """`eval(f"target.{n}")` for each `n` of `model.named_parameters()` walks the model's own attributes by the names
    its module tree gives them: fragile metaprogramming (a warning), not outside input. Look-alike: the same template
    filled from each key of a loaded checkpoint runs whatever that file names: an error."""
    code = (
        "import torch\n\n\n"
        "def copy_flags(adapted, target):\n"
        "    for n, p in adapted.named_parameters():\n"
        "        p.requires_grad = eval(f'target.{n}').requires_grad\n\n\n"
        "def copy_from_file(target, path):\n"
        "    for n in torch.load(path, weights_only=True):\n"
        "        print(eval(f'target.{n}'))\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/adapters.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert hits == {6: Severity.WARNING, 11: Severity.ERROR}


def test_sec013_a_parameter_every_caller_in_the_module_fills_with_a_literal_picks_a_fixed_attribute(
    tmp_path: Path,
) -> None:
    """`eval(f"self.extractor_{modality}")` where every call of the method in the module passes a string literal
    (`self.features(x, modality="audio")`, `"video"`) picks one of the module's own attributes: a warning (getattr
    does it without eval). Look-alike: one caller passing a value it received keeps the error."""
    code = (
        "import torch\n\n\n"
        "class Encoder(torch.nn.Module):\n"
        "    def features(self, x, modality):\n"
        "        return eval(f'self.extractor_{modality}')(x)\n\n"
        "    def forward(self, audio, video):\n"
        "        return self.features(audio, modality='audio') + self.features(video, 'video')\n\n\n"
        "class Decoder(torch.nn.Module):\n"
        "    def head(self, x, kind):\n"
        "        return eval(f'self.head_{kind}')(x)\n\n"
        "    def forward(self, x, kind):\n"
        "        return self.head(x, 'ctc') + self.head(x, kind)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/encoder.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert hits == {6: Severity.WARNING, 14: Severity.ERROR}


def test_sec013_exec_defining_classes_named_from_module_names_at_import_is_a_warning(tmp_path: Path) -> None:
    """A class named by a function of the loop's names is code generation at import, not outside input."""
    code = (
        "from hubapi.core import Event, snake2camel\n\n\n"
        "class HubEvent(dict):\n    pass\n\n\n"
        "for o in Event:\n"
        "    exec(f'class {snake2camel(o)}Event(HubEvent): pass')\n"
        "for kind in ('push', 'pull'):\n"
        "    exec(f'def on_{kind.lower()}(payload): return payload')\n"
    )
    write_tree(tmp_path, {"hubapi/__init__.py": "", "hubapi/event.py": code})
    found = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert found == {9: Severity.WARNING, 11: Severity.WARNING}


def test_sec013_exec_of_a_class_template_filled_from_a_file_or_a_function_call_stays_an_error(tmp_path: Path) -> None:
    """Look-alike: the same class templates filled with what a call of nothing or a file read returns."""
    code = (
        "class HubEvent(dict):\n    pass\n\n\n"
        "exec(f'class {load_name()}Event(HubEvent): pass')\n"
        "for line in open('events.txt'):\n"
        "    exec(f'class {line}')\n"
        "exec(f'class {open(\"name.txt\").read().strip()}Event(HubEvent): pass')\n"
    )
    write_tree(tmp_path, {"hubapi/__init__.py": "", "hubapi/event.py": code})
    found = {f.line: f.severity for f in findings(tmp_path, "SEC013")}
    assert found == {5: Severity.ERROR, 7: Severity.ERROR, 8: Severity.ERROR}
