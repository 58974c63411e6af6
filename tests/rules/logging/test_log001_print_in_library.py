"""Tests of rule LOG001 (`mlaudit/rules/logging/log001_print_in_library.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlaudit.model import Severity
from tests.helpers import findings, write_tree

LOADER = """
import sys


def load(path):
    print("loading", path)
    with open("out.txt", "w") as fh:
        print("header", file=fh)
    print("warn", file=sys.stderr)
    return path


def fit(model, verbose=0):
    if verbose > 1:
        print("iteration", 1)
"""


CLI_LIKE = """
import argparse

import click


@click.command()
def serve():
    print("serving")


def build():
    parser = argparse.ArgumentParser()
    print("parsed")
    return parser


def run():
    print("running")


def print_summary(stats):
    print(stats)


def main():
    print("done")


if __name__ == "__main__":
    run()
    print("bye")
"""


def test_log001_flags_library_prints_with_first_argument(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/data.py": LOADER})
    hits = findings(tmp_path, "LOG001")
    assert [(h.line, h.message, h.severity) for h in hits] == [
        (6, "print('loading') in load() of pkg/data.py", Severity.WARNING),
        (9, "print('warn') in load() of pkg/data.py", Severity.WARNING),
        (15, "print('iteration') in fit() of pkg/data.py behind a verbose flag", Severity.INFO),
    ]


def test_log001_silent_for_cli_commands_guards_scripts_and_tests(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/commands_impl.py": CLI_LIKE,
            "pkg/cli.py": "def _train():\n    print('result')\n",
            "pkg/__main__.py": "print('hi')\n",
            "scripts/export.py": "print('exporting')\n",
            "tests/test_a.py": "def test_a():\n    print('debug')\n",
            "nb.ipynb": '{"cells": [{"cell_type": "code", "source": "print(1)", "outputs": []}], "nbformat": 4}',
        },
    )
    assert findings(tmp_path, "LOG001") == []


def test_log001_script_output_and_verbosity_are_info(tmp_path: Path) -> None:
    analysis = "import pandas as pd\n\nscores = pd.read_csv('scores.csv')\nprint(scores.describe())\n"
    sched = (
        "class Warmup:\n"
        "    def __init__(self, verbosity_interval=0):\n"
        "        self.verbosity_interval = verbosity_interval\n\n"
        "    def step(self, n):\n"
        "        if self.verbosity_interval > 0 and n % self.verbosity_interval == 0:\n"
        "            print('step', n)\n"
        "        return n\n"
    )
    write_tree(tmp_path, {"reports/compare.py": analysis, "pkg/__init__.py": "", "pkg/sched.py": sched})
    hits = {h.path: h for h in findings(tmp_path, "LOG001")}
    assert hits["reports/compare.py"].severity is Severity.INFO
    assert hits["reports/compare.py"].message.endswith("(a script nothing imports)")
    assert hits["pkg/sched.py"].severity is Severity.INFO


def test_log001_module_level_print_of_an_imported_module_stays_a_warning(tmp_path: Path) -> None:
    helpers = "import torch\n\nDEVICE = 'cuda' if torch.cuda.is_available() else 'cpu'\nprint('using', DEVICE)\n"
    write_tree(
        tmp_path,
        {
            "core/device.py": helpers,
            "core/train.py": "from device import DEVICE\n\n\ndef run():\n    return DEVICE\n",
            "reports/summary.py": "def summarise(df):\n    print(df.mean())\n",
        },
    )
    hits = {h.path: h for h in findings(tmp_path, "LOG001")}
    assert hits["core/device.py"].severity is Severity.WARNING
    assert hits["reports/summary.py"].severity is Severity.WARNING


def test_log001_respects_project_scripts(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": "[project]\nname = 'pkg'\n[project.scripts]\npkg = 'pkg.entry:run'\n",
        "src/pkg/__init__.py": "",
        "src/pkg/entry.py": "def run():\n    print('ok')\n\ndef helper():\n    print('debug')\n",
    }
    write_tree(tmp_path, files)
    assert [h.message for h in findings(tmp_path, "LOG001")] == ["print('debug') in helper() of src/pkg/entry.py"]


ENTRY = "def run():\n    print('ok')\n\ndef helper():\n    print('debug')\n"
ENTRY_MANIFESTS = {
    "poetry": {"pyproject.toml": "[tool.poetry]\nname = 'pkg'\n[tool.poetry.scripts]\npkg = 'pkg.entry:run'\n"},
    "setup.cfg": {
        "setup.cfg": "[metadata]\nname = pkg\n\n[options.entry_points]\nconsole_scripts =\n    pkg = pkg.entry:run\n"
    },
    "setup.py dict": {
        "setup.py": "from setuptools import setup\n\nsetup(name='pkg', entry_points={'console_scripts': ['pkg=pkg.entry:run']})\n"
    },
    "setup.py text": {
        "setup.py": 'from setuptools import setup\n\nENTRY = """\n[console_scripts]\npkg=pkg.entry:run\n"""\n\n'
        "setup(name='pkg', entry_points=ENTRY)\n"
    },
}


@pytest.mark.parametrize("manifest", sorted(ENTRY_MANIFESTS))
def test_log001_a_console_script_declared_in_any_manifest_is_a_command(tmp_path: Path, manifest: str) -> None:
    """Poetry's scripts, setup.cfg's and setup.py's console_scripts name commands as [project.scripts] does; the
    module's other function still prints as library code."""
    files = {**ENTRY_MANIFESTS[manifest], "pkg/__init__.py": "", "pkg/entry.py": ENTRY}
    write_tree(tmp_path, files)
    assert [h.message for h in findings(tmp_path, "LOG001")] == ["print('debug') in helper() of pkg/entry.py"]


def test_log001_a_plugin_entry_point_is_no_console_script(tmp_path: Path) -> None:
    """A function a host program loads as a plugin (another entry-point group) runs inside that program: library code."""
    cfg = "[metadata]\nname = pkg\n\n[options.entry_points]\npkg_plugins =\n    pkg = pkg.entry:run\n"
    write_tree(tmp_path, {"setup.cfg": cfg, "pkg/__init__.py": "", "pkg/entry.py": ENTRY})
    assert len(findings(tmp_path, "LOG001")) == 2


def test_log001_top_level_prints_of_a_root_training_script_are_info(tmp_path: Path) -> None:
    script = "import torch\n\nfor epoch in range(3):\n    print('epoch', epoch)\n"
    helper = "def bag(words):\n    print('debug', words)\n    return words\n"
    write_tree(tmp_path, {"train.py": script, "nlp_utils.py": helper, "chat.py": "from nlp_utils import bag\n"})
    hits = {h.path: h.severity for h in findings(tmp_path, "LOG001")}
    assert hits == {"nlp_utils.py": Severity.WARNING, "train.py": Severity.INFO}


def test_log001_silent_in_a_package_module_that_parses_the_command_line_on_import(tmp_path: Path) -> None:
    program = (
        "import argparse\n\nfrom zoo.utils import trained_models\n\n"
        "parser = argparse.ArgumentParser()\nparser.add_argument('--log-dir', default='logs/')\n"
        "args = parser.parse_args()\n\n\n"
        "def report(name):\n    print('benchmarking', name)\n\n\n"
        "for name in trained_models(args.log_dir):\n    report(name)\n    print('done', name)\n"
    )
    library = (
        "import argparse\n\n\n"
        "def build_parser():\n    parser = argparse.ArgumentParser()\n    return parser.parse_args([])\n\n\n"
        "def trained_models(folder):\n    print('scanning', folder)\n    return []\n"
    )
    write_tree(tmp_path, {"zoo/__init__.py": "", "zoo/benchmark.py": program, "zoo/utils.py": library})
    hits = findings(tmp_path, "LOG001")
    assert [(h.path, h.line, h.severity) for h in hits] == [("zoo/utils.py", 10, Severity.WARNING)]


def test_log001_silent_in_a_package_module_whose_top_level_parses_through_its_own_function(tmp_path: Path) -> None:
    program = (
        "import argparse\n\n\n"
        "def parse_args():\n    parser = argparse.ArgumentParser()\n    parser.add_argument('files', nargs='*')\n"
        "    return parser.parse_args()\n\n\n"
        "def coverage(words):\n    return len(set(words)) / len(words)\n\n\n"
        "args = parse_args()\nfor name in args.files:\n    print(name, coverage(open(name).read().split()))\n"
    )
    library = (  # the look-alike: a top-level call of its own function that parses nothing
        "import argparse\n\n\n"
        "def parse_args(argv):\n    return argparse.ArgumentParser().parse_args(argv)\n\n\n"
        "def load_vocab():\n    print('loading vocabulary')\n    return {}\n\n\n"
        "VOCAB = load_vocab()\n"
    )
    write_tree(tmp_path, {"zoo/__init__.py": "", "zoo/coverage.py": program, "zoo/vocab.py": library})
    hits = findings(tmp_path, "LOG001")
    assert [(h.path, h.line, h.severity) for h in hits] == [("zoo/vocab.py", 9, Severity.WARNING)]


def test_log001_silent_in_cli_packages_and_namespace_handlers(tmp_path: Path) -> None:
    subcommand = (
        "import argparse\n\n\nclass ListCommand:\n"
        "    def _execute(self, args: argparse.Namespace) -> None:\n        print(sorted(args.tasks))\n"
    )
    handler = (
        "from argparse import Namespace\n\n\n"
        "def run_eval(args: Namespace) -> None:\n    print('accuracy', args.limit)\n\n\n"
        "def evaluate(model, tasks):\n    print('evaluating', len(tasks))\n    return model\n"
    )
    write_tree(
        tmp_path,
        {
            "harness/__init__.py": "",
            "harness/_cli/__init__.py": "",
            "harness/_cli/ls.py": subcommand,
            "harness/run.py": handler,
        },
    )
    hits = findings(tmp_path, "LOG001")
    assert [(h.path, h.line) for h in hits] == [("harness/run.py", 9)]


def test_log001_a_handler_annotated_with_a_forward_reference_to_namespace_is_a_command(tmp_path: Path) -> None:
    """`def set_team(args: "Namespace")`, with `Namespace` imported only for type checking, takes the parsed command
    line just as well. Look-alike: a string annotation naming another type is no command line."""
    handler = (
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from argparse import Namespace\n\n"
        "    from board.config import Config\n\n\n"
        "def set_team(args: 'Namespace') -> None:\n    print('default team', args.team)\n\n\n"
        "def save(config: 'Config') -> None:\n    print('saved', config)\n"
    )
    write_tree(tmp_path, {"board/__init__.py": "", "board/config.py": "", "board/studio.py": handler})
    assert [(h.path, h.line) for h in findings(tmp_path, "LOG001")] == [("board/studio.py", 14)]


def test_log001_a_private_cli_module_is_a_cli_module_but_a_private_client_module_is_library(tmp_path: Path) -> None:
    serve = "def serve(host: str, port: int) -> None:\n    print(f'Listening on http://{host}:{port}/')\n"
    write_tree(tmp_path, {"board/__init__.py": "", "board/_cli.py": serve, "board/_client.py": serve})
    assert [(h.path, h.line) for h in findings(tmp_path, "LOG001")] == [("board/_client.py", 2)]


def test_log001_silent_in_helpers_named_to_show_output_but_not_in_look_alike_names(tmp_path: Path) -> None:
    viewer = (
        "def smart_display_frame(df):\n"
        "    print(df)\n\n\n"
        "def _visualize(images):\n"
        '    print(f"showing {len(images)} images")\n\n\n'
        "def displacement_loss(a, b):\n"
        '    print("loss")\n'
        "    return a - b\n\n\n"
        "def app_help(parser):\n"
        "    print(parser.format_help())\n\n\n"
        "def helper_merge(left, right):\n"
        '    print("merging")\n'
        "    return {**left, **right}\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/viewer.py": viewer})
    assert [(h.line, h.severity) for h in findings(tmp_path, "LOG001")] == [
        (10, Severity.WARNING),
        (19, Severity.WARNING),
    ]


def test_log001_silent_in_a_function_documented_as_printing_but_not_in_one_that_only_mentions_it(
    tmp_path: Path,
) -> None:
    """`env_info()` documented "Print the environment..." prints as its job; `fit()` prints progress."""
    report = (
        "import sys\n\n\n"
        "def env_info():\n"
        '    """Print the environment the renderer runs in, for bug reports."""\n'
        '    print(f"Python {sys.version}")\n\n\n'
        "def fit(model, data):\n"
        '    """Fit the model; prints the loss of every epoch."""\n'
        "    for epoch in range(3):\n"
        '        print("loss", model.step(data))\n'
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/report.py": report})
    assert [(h.line, h.severity) for h in findings(tmp_path, "LOG001")] == [(12, Severity.WARNING)]


def test_log001_print_behind_an_output_flag_or_in_render_is_requested_output(tmp_path: Path) -> None:
    env = (
        "class GridEnv:\n"
        "    def render(self):\n        print(self.grid)\n\n"
        "    def step(self, action):\n"
        "        if self.render_mode == 'human':\n            print(self.grid)\n"
        "        print('stepped', action)\n        return self.grid\n\n\n"
        "def system_info(print_info=True):\n    text = 'torch 2.3'\n"
        "    if print_info:\n        print(text)\n"
        "    if debug_mode:\n        print('debug', text)\n    return text\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/env.py": env})
    hits = {h.line: h.severity for h in findings(tmp_path, "LOG001")}
    assert hits == {7: Severity.INFO, 8: Severity.WARNING, 15: Severity.INFO, 17: Severity.WARNING}


GRAPH_INPUT = """
import networkx as nx


def ask_edges():
    graph = nx.DiGraph()
    print("Type edges as 'source target weight'; an empty line ends.")
    while True:
        line = input("edge> ")
        if not line:
            return graph
        parts = line.split()
        if len(parts) != 3:
            print("Expected three fields, got", len(parts))
            continue
        graph.add_edge(parts[0], parts[1], weight=float(parts[2]))


def edges_from_rows(rows):
    graph = nx.DiGraph()
    for source, target, weight in rows:
        if weight is None:
            print("Skipping edge without weight:", source, target)
            continue
        graph.add_edge(source, target, weight=weight)
    return graph
"""


def test_log001_prints_of_an_interactive_prompt_are_not_flagged(tmp_path: Path) -> None:
    write_tree(tmp_path, {"graphkit/__init__.py": "", "graphkit/edges.py": GRAPH_INPUT})
    hits = findings(tmp_path, "LOG001")
    assert [h.message for h in hits] == [
        "print('Skipping edge without weight:') in edges_from_rows() of graphkit/edges.py"
    ]


NESTED_INPUT = """
def confirm_all(items):
    def ask(item):
        return input(f"keep {item}? ") == "y"

    kept = [item for item in items if ask(item)]
    print("Kept", len(kept))
    return kept


def drop_all(items):
    def ask(item):
        return item is not None

    print("Dropped", len(items))
    return [item for item in items if not ask(item)]
"""


def test_log001_a_prompt_read_in_a_nested_function_makes_its_host_interactive(tmp_path: Path) -> None:
    """`input()` in a helper defined inside a function makes the host a dialogue; a look-alike host whose
    nested helper reads no terminal still prints to the log."""
    write_tree(tmp_path, {"graphkit/__init__.py": "", "graphkit/review.py": NESTED_INPUT})
    hits = findings(tmp_path, "LOG001")
    assert [h.message for h in hits] == ["print('Dropped') in drop_all() of graphkit/review.py"]


def test_print_behind_a_verbosity_setting_read_by_key_is_opt_in_output(tmp_path: Path) -> None:
    code = """\
import sys


def get_kwarg(name, kwargs):
    return kwargs.get(name, False)


def cache_item(path, item, **kwargs):
    if get_kwarg("verbose", kwargs):
        print(f"Caching {path}", file=sys.stderr)
    if kwargs.get("cache", True):
        print(f"Cached {path}", file=sys.stderr)
    return item
"""
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/cache.py": code})
    hits = {f.line: (f.severity, f.message.endswith("behind a verbose flag")) for f in findings(tmp_path, "LOG001")}
    # the print gated by the verbose setting is opt-in; the one gated by an unrelated key is not
    assert hits == {10: (Severity.INFO, True), 12: (Severity.WARNING, False)}


def test_log001_silent_in_the_docs_build_configuration_but_not_in_a_docs_helper_of_the_package(tmp_path: Path) -> None:
    conf = (
        'project = "churnkit"\nextensions = ["sphinx.ext.autodoc", "sphinx.ext.intersphinx"]\n'
        'html_theme = "furo"\n\n\n'
        "def fetch_inventory(url, tries=3):\n"
        "    for attempt in range(tries):\n"
        '        print(f"[intersphinx] {url}: attempt {attempt}")\n'
    )
    helper = "def docstring_of(obj):\n    print('rendering', obj)\n    return obj.__doc__\n"
    write_tree(
        tmp_path,
        {"docs/source/conf.py": conf, "churnkit/__init__.py": "", "churnkit/docs.py": helper},
    )
    assert [(h.path, h.line) for h in findings(tmp_path, "LOG001")] == [("churnkit/docs.py", 2)]


def test_log001_silent_in_a_sphinx_conf_outside_a_docs_folder_but_not_in_another_conf_module(tmp_path: Path) -> None:
    """A `conf.py` setting Sphinx's `extensions` and `html_theme` builds the docs wherever it sits (`site/conf.py`);
    a package's own `conf.py` of settings is library code."""
    conf = (
        'project = "churnkit"\nextensions = ["sphinx.ext.autodoc"]\nhtml_theme = "furo"\n\n\n'
        "def setup(app):\n"
        '    print("generating API pages")\n'
    )
    settings = 'DEFAULTS = {"lr": 0.1}\n\n\ndef load(path):\n    print("reading", path)\n    return DEFAULTS\n'
    write_tree(tmp_path, {"site/conf.py": conf, "churnkit/__init__.py": "", "churnkit/conf.py": settings})
    assert [(h.path, h.line) for h in findings(tmp_path, "LOG001")] == [("churnkit/conf.py", 5)]


CHAT_LOOP = """\
from rich.prompt import Prompt


def chat_loop(model, chatio):
    while True:
        text = chatio.prompt_for_input("USER")
        if text == "!!reset":
            print("resetting...")
            continue
        chatio.print_output(model.reply(text))


def pick_model(names):
    choice = Prompt.ask("model", choices=names)
    print("using", choice)
    return choice


def training_step(self, batch):
    x = self.get_input(batch, "image")
    print("batch", x.shape)
    return self.model(x)
"""


def test_log001_a_loop_that_reads_the_users_input_through_a_helper_is_a_dialogue(tmp_path: Path) -> None:
    # a chat REPL reads its user through an I/O object or rich's Prompt; `get_input(batch)` takes a model's input
    write_tree(tmp_path, {"chatkit/__init__.py": "", "chatkit/repl.py": CHAT_LOOP})
    assert [h.line for h in findings(tmp_path, "LOG001")] == [21]


def test_log001_silent_in_functions_handed_to_a_command_line_framework(tmp_path: Path) -> None:
    entry = (
        "from jsonargparse import CLI\n\n"
        "from pkg.finetune import setup as finetune_fn\n"
        "from pkg import evaluate\n\n"
        "COMMANDS = {'finetune': finetune_fn, 'evaluate': {'run': evaluate.run_eval}}\n\n\n"
        "def main() -> None:\n    CLI(COMMANDS)\n"
    )
    finetune = (
        "def setup(lr: float = 1e-3) -> None:\n    print('Available models: gpt, llama')\n    fit(lr)\n\n\n"
        "def fit(lr: float) -> None:\n    print('step', lr)\n"
    )
    evaluate = "def run_eval() -> None:\n    print('accuracy table')\n"
    sweep = "import fire\n\n\ndef sweep(n: int = 3) -> None:\n    print('trial', n)\n\n\nif __name__ == '__main__':\n    fire.Fire(sweep)\n"
    files = {
        "pkg/__init__.py": "",
        "pkg/__main__.py": entry,
        "pkg/finetune.py": finetune,
        "pkg/evaluate.py": evaluate,
        "pkg/sweep.py": sweep,
    }
    write_tree(tmp_path, files)
    assert [h.message for h in findings(tmp_path, "LOG001")] == ["print('step') in fit() of pkg/finetune.py"]


def test_log001_silent_in_methods_of_a_class_handed_to_a_command_line_framework(tmp_path: Path) -> None:
    """`fire.Fire(Runner)` makes each method of Runner a command; another class of the module is library code."""
    runner = (
        "class Runner:\n    def train(self, epochs: int = 3) -> None:\n        print('epoch', epochs)\n\n"
        "    def evaluate(self) -> None:\n        print('accuracy', 0.9)\n\n\n"
        "class Loader:\n    def load(self, path: str) -> str:\n        print('loading', path)\n        return path\n"
    )
    entry = "import fire\n\nfrom pkg.runner import Runner\n\n\ndef main() -> None:\n    fire.Fire(Runner)\n"
    files = {"pkg/__init__.py": "", "pkg/runner.py": runner, "pkg/__main__.py": entry}
    write_tree(tmp_path, files)
    assert [h.message for h in findings(tmp_path, "LOG001")] == ["print('loading') in load() of pkg/runner.py"]


def test_log001_silent_in_a_function_registered_as_a_typer_command_by_hand(tmp_path: Path) -> None:
    """`app.command()(push.upload)` makes upload a command like `@app.command()` would; a call on another object
    that merely ends in a call of its result (`cache.command(...)(key)`, without click or typer) registers nothing."""
    push = (
        "def upload(repo: str) -> None:\n    print('pushed to', repo)\n\n\n"
        "def tag(repo: str) -> None:\n    print('repo', repo)\n"
    )
    entry = "import typer\n\nfrom pkg import push\n\napp = typer.Typer()\napp.command(help='Push')(push.upload)\n"
    other = "from pkg import push\n\n\ndef run(shell) -> None:\n    shell.command('x')(push.tag)\n"
    files = {"pkg/__init__.py": "", "pkg/push.py": push, "pkg/__main__.py": entry, "pkg/shell.py": other}
    write_tree(tmp_path, files)
    assert [h.message for h in findings(tmp_path, "LOG001")] == ["print('repo') in tag() of pkg/push.py"]


def test_log001_a_function_passed_to_an_ordinary_call_is_no_command(tmp_path: Path) -> None:
    code = (
        "from concurrent.futures import ThreadPoolExecutor\n\n\n"
        "def load(path: str) -> str:\n    print('loading', path)\n    return path\n\n\n"
        "def load_all(paths: list[str]) -> list[str]:\n"
        "    with ThreadPoolExecutor() as pool:\n        return list(pool.map(load, paths))\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/io.py": code})
    assert [h.message for h in findings(tmp_path, "LOG001")] == ["print('loading') in load() of pkg/io.py"]


def test_print_guarded_by_a_verbose_flag_in_an_expression_is_opt_in_output(tmp_path: Path) -> None:
    code = """\
def parse(prompt, verbose=False, strict=False):
    verbose and print(f"parsing {prompt}")
    tokens = prompt.split()
    print(f"parsed {len(tokens)} tokens") if verbose else None
    strict and print("strict mode")
    None if verbose else print("quiet mode")
    return tokens
"""
    write_tree(tmp_path, {"promptkit/__init__.py": "", "promptkit/parser.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "LOG001")}
    # `verbose and print(...)` and `print(...) if verbose` print on request; a flag that asks for no output
    # (`strict`) or the branch taken when verbose is off does not make the print opt-in
    assert hits == {2: Severity.INFO, 4: Severity.INFO, 5: Severity.WARNING, 6: Severity.WARNING}


def test_print_behind_a_trace_or_disp_flag_is_opt_in_output(tmp_path: Path) -> None:
    code = """\
def search_order(x, max_p=5, trace=False, approximate=True):
    for p in range(max_p):
        if trace:
            print(f"order {p}")
    if approximate:
        print("using approximations")
    return x


def minimise(f, x0, disp=False):
    if disp:
        print("converged")
    return x0
"""
    write_tree(tmp_path, {"tsfit/__init__.py": "", "tsfit/arima.py": code})
    hits = {f.line: f.severity for f in findings(tmp_path, "LOG001")}
    # R's `trace=TRUE` and scipy's `disp` ask for the output; an unrelated option (`approximate`) does not
    assert hits == {4: Severity.INFO, 6: Severity.WARNING, 12: Severity.INFO}


TRAINER_REPORTS = """class Trainer:
    def __init__(self, verbose=False):
        self.verbose = verbose

    def train_epoch(self, epoch, loss):
        if self.verbose and epoch % 10 == 0:
            self.log_epoch(epoch, loss)
        self.save(epoch)
        return loss

    def log_epoch(self, epoch, loss):
        msg = f"[{epoch}] loss={loss:.4f}"
        print(msg)

    def save(self, epoch):
        print(f"saving epoch {epoch}")

    def final_loss(self, loss):
        print(f"final loss {loss:.4f}")

    def fit(self, losses, callbacks=None):
        for epoch, loss in enumerate(losses):
            self.train_epoch(epoch, loss)
        if self.verbose:
            self.final_loss(losses[-1])
        return callbacks or [self.final_loss]
"""


def test_log001_a_print_helper_its_module_calls_only_when_verbose_prints_on_request(tmp_path: Path) -> None:
    """`if self.verbose: self.log_epoch(...)` gates log_epoch()'s print; save() runs every epoch; final_loss() is
    also handed on as a callback, so it may print whenever its holder calls it."""
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/trainer.py": TRAINER_REPORTS})
    hits = {h.line: h.severity for h in findings(tmp_path, "LOG001")}
    assert hits == {13: Severity.INFO, 16: Severity.WARNING, 19: Severity.WARNING}


USER_ADMIN = """
import argparse


def _create(email):
    record = {"email": email}
    print("created", record)
    return record


def _report(record):
    print("id:", record["email"])


def useradd():
    parser = argparse.ArgumentParser()
    parser.add_argument("email")
    args = parser.parse_args()
    _report(_create(args.email))


def _normalise(email):
    print("normalising", email)
    return email.lower()


def lookup(email):
    return _normalise(email)
"""


def test_log001_private_helpers_only_a_command_calls_are_part_of_the_command(tmp_path: Path) -> None:
    # `_create` and `_report` run only inside the `useradd` command; `_normalise` also serves the public `lookup`
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/admin.py": USER_ADMIN, "pkg/api.py": "from pkg import admin\n"})
    hits = findings(tmp_path, "LOG001")
    assert [(h.line, h.severity) for h in hits] == [(23, Severity.WARNING)]


TOOL = """
import argparse


class Maintenance:
    def __init__(self, root):
        self.root = root

    def clean(self):
        print("removed 3 orphans under", self.root)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("root")
    Maintenance(parser.parse_args().root).clean()


if __name__ == "__main__":
    main()
"""


def test_log001_prints_of_a_tool_module_nothing_imports_are_info(tmp_path: Path) -> None:
    # `python -m pkg.maintenance`: a tool whose prints report its work; the same module imported by the
    # package is library code whose prints stay warnings
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/maintenance.py": TOOL})
    assert [h.severity for h in findings(tmp_path, "LOG001")] == [Severity.INFO]
    write_tree(tmp_path, {"pkg/__init__.py": "from pkg.maintenance import Maintenance\n"})
    assert [h.severity for h in findings(tmp_path, "LOG001")] == [Severity.WARNING]


def test_log001_a_library_module_demoing_its_class_under_the_main_guard_stays_a_warning(tmp_path: Path) -> None:
    sampler = (
        "import torch\n\n\nclass Sampler:\n    def step(self, x, grad):\n        print('grad', grad.mean())\n"
        "        return x + grad\n\n\nif __name__ == '__main__':\n    Sampler().step(torch.zeros(2), torch.ones(2))\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/sampler.py": sampler})
    assert [h.severity for h in findings(tmp_path, "LOG001")] == [Severity.WARNING]


def test_log001_print_behind_a_debug_level_is_requested_output(tmp_path: Path) -> None:
    kernels = (
        "from pkg.settings import DEBUG\n\n\n"
        "def compile_kernel(src, debug=0):\n"
        "    if DEBUG >= 2 and src:\n        print('compiling', src)\n"
        "    if debug > 1:\n        print('source', src)\n"
        "    return src\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/settings.py": "DEBUG = 0\n", "pkg/kernels.py": kernels})
    hits = {h.line: h.severity for h in findings(tmp_path, "LOG001")}
    assert hits == {6: Severity.INFO, 8: Severity.INFO}


def test_log001_print_behind_a_debug_switch_or_other_count_is_reported(tmp_path: Path) -> None:
    kernels = (
        "DEBUG = False\n\n\n"
        "def compile_kernel(src, retries=0):\n"
        "    if DEBUG:\n        print('compiling', src)\n"
        "    if retries > 1:\n        print('retrying', src)\n"
        "    if DEBUG == 2:\n        print('source', src)\n"
        "    return src\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/kernels.py": kernels})
    hits = {h.line: h.severity for h in findings(tmp_path, "LOG001")}
    assert hits == {6: Severity.WARNING, 8: Severity.WARNING, 10: Severity.WARNING}


def test_log001_a_function_documented_as_listing_that_returns_nothing_lists_by_printing(tmp_path: Path) -> None:
    """`list_examples()` documented "List the available recordings..." and returning nothing can list only by
    printing; `list_models()` documented the same way returns its list, so a print in it is a diagnostic."""
    registry = (
        "TRACKS = {'brahms': 'Hungarian Dance #5', 'trumpet': 'Mihai Sorohan'}\n\n\n"
        "def list_examples() -> None:\n"
        '    """List the available audio recordings included with the package."""\n'
        "    print('AVAILABLE EXAMPLES')\n"
        "    for key in sorted(TRACKS):\n"
        "        print(f'{key:10}\\t{TRACKS[key]}')\n\n\n"
        "def list_models(root):\n"
        '    """List the checkpoints found under root."""\n'
        "    found = sorted(p for p in root.iterdir() if p.suffix == '.pt')\n"
        "    print('found', len(found))\n"
        "    return found\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/examples.py": registry})
    assert [h.line for h in findings(tmp_path, "LOG001")] == [14]


def test_log001_silent_in_a_command_class_declaring_its_arguments_but_not_in_a_class_reading_a_parser(
    tmp_path: Path,
) -> None:
    """A class that adds its arguments to the parser it is handed is a subcommand: its prints are its output;
    a class that only reads parsed options is library code."""
    commands = (
        "import argparse\nimport json\n\n\n"
        "class TaskList:\n"
        "    def configure_parser(self, parser: argparse.ArgumentParser) -> None:\n"
        "        parser.add_argument('--json', dest='use_json', action='store_true')\n\n"
        "    def execute(self, client, *, use_json: bool = False) -> None:\n"
        "        for task in client.tasks():\n            print(json.dumps(task) if use_json else task['id'])\n\n\n"
        "class TaskSync:\n"
        "    def __init__(self, options: argparse.Namespace) -> None:\n        self.options = options\n\n"
        "    def sync(self, client) -> None:\n        print('synced', client.tasks())\n"
    )
    write_tree(tmp_path, {"tool/__init__.py": "", "tool/tasks.py": commands})
    assert [h.message for h in findings(tmp_path, "LOG001")] == ["print('synced') in sync() of tool/tasks.py"]


def test_log001_the_console_implementation_of_an_output_interface_prints_by_design(tmp_path: Path) -> None:
    """`ConsoleLogger` beside `WandbLogger`, and a `PrintCallback`, exist to print: their prints are their output.
    A print in the wandb tracker, or in a class whose name only starts like one (`ConsolidatedReport`), is not."""
    trackers = (
        "class BaseLogger:\n    def log(self, record):\n        raise NotImplementedError\n\n\n"
        "class ConsoleLogger(BaseLogger):\n    def log(self, record):\n        print(record)\n\n\n"
        "class WandbLogger(BaseLogger):\n    def log(self, record):\n        print('logging to wandb')\n\n\n"
        "class PrintCallback:\n    def on_epoch_end(self, epoch, loss):\n        print(epoch, loss)\n\n\n"
        "class ConsolidatedReport:\n    def show_rows(self, rows):\n        return rows\n\n    def add(self, row):\n"
        "        print('adding', row)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/trackers.py": trackers})
    assert sorted(h.line or 0 for h in findings(tmp_path, "LOG001")) == [13, 26]


SNAPSHOT = """import platform


def environment_snapshot(as_dict=False):
    if not as_dict:
        print("Collecting environment information...")
    report = {"python": platform.python_version(), "os": platform.system()}
    if as_dict:
        return report
    for key, value in report.items():
        print(f"{key}: {value}")


def fit(model, data, return_history=False):
    history = [model.step(batch) for batch in data]
    print("fitted", len(history))
    if return_history:
        history.append(0.0)
    if not return_history:
        print("history dropped")
    return history
"""


def test_log001_silent_in_the_display_mode_a_flag_chooses_instead_of_returning_the_result(tmp_path: Path) -> None:
    """`environment_snapshot(as_dict=False)` returns the report when the flag asks for data and prints it otherwise:
    the printing is the output its caller chose. Look-alike: `fit` has a flag too, but the flag returns nothing
    early, so its prints are progress output."""
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/env.py": SNAPSHOT})
    assert [(h.line, h.severity) for h in findings(tmp_path, "LOG001")] == [
        (16, Severity.WARNING),
        (20, Severity.WARNING),
    ]


PROGRESS_DISPLAY = """class Progress:
    def __init__(self, verbose=1, quiet=False):
        self.verbose = verbose
        self.quiet = quiet

    def on_trial_begin(self, trial):
        if self.verbose < 1:
            return
        print(f"Running trial {trial}")

    def on_trial_end(self, trial):
        if not self.verbose or trial is None:
            return
        print(f"Trial {trial} complete")

    def on_search_end(self, best):
        if self.quiet:
            return
        print(f"best so far {best}")

    def on_save(self, path):
        if not path:
            return
        print(f"saved to {path}")

    def on_error(self, trial):
        print(f"trial {trial} failed")
        if self.verbose == 0:
            return
        print("retrying")

    def on_skip(self, trial):
        if self.verbose:
            return
        print(f"skipped {trial}")
"""


def test_log001_a_print_after_returning_early_when_output_is_off_prints_on_request(tmp_path: Path) -> None:
    """`if self.verbose < 1: return` (or `not verbose`, `quiet`) ends the function when output is off, so every
    later print is opt-in; an early return on an unrelated condition (`not path`), a print before the guard, and a
    guard that returns when output is on gate nothing."""
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/display.py": PROGRESS_DISPLAY})
    hits = {h.line: h.severity for h in findings(tmp_path, "LOG001")}
    assert hits == {
        9: Severity.INFO,
        14: Severity.INFO,
        19: Severity.INFO,
        24: Severity.WARNING,
        27: Severity.WARNING,
        30: Severity.INFO,
        35: Severity.WARNING,
    }


def test_log001_silent_in_a_function_named_for_writing_to_stdout_but_not_for_writing_a_file(tmp_path: Path) -> None:
    """`write_stdout(data)` (a writer of a data pipeline whose sink is the terminal) prints as its job;
    `write_file(data, path)` printing is a diagnostic."""
    writers = (
        "def write_stdout(data, filename=None):\n"
        "    for line in data:\n"
        "        print(line)\n\n\n"
        "def write_file(data, filename):\n"
        '    print("writing", filename)\n'
        "    with open(filename, 'w') as fout:\n"
        "        fout.write(str(data))\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/writers.py": writers})
    assert [(h.line, h.severity) for h in findings(tmp_path, "LOG001")] == [(7, Severity.WARNING)]
