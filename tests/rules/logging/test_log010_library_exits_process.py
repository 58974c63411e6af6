"""Tests of rule LOG010 (`mlaudit/rules/logging/log010_library_exits_process.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree

KERNELS = (
    "import torch\n\n"
    "try:\n"
    "    import triton\n"
    "except ImportError:\n"
    "    print('the fused kernel needs triton: pip install triton')\n"
    "    exit()\n\n\n"
    "def fused_update(p, grad, lr):\n"
    "    return p - lr * grad\n"
)

HEADS = (
    "import sys\n\n\n"
    "def attach_head(model, num_classes):\n"
    "    if not hasattr(model, 'head'):\n"
    "        print('this backbone has no head to replace')\n"
    "        sys.exit(-1)\n"
    "    model.head = num_classes\n"
    "    return model\n"
)


def test_log010_fires_on_exit_at_import_and_in_a_library_function(tmp_path: Path) -> None:
    write_tree(tmp_path, {"optim/__init__.py": "", "optim/kernels.py": KERNELS, "optim/heads.py": HEADS})
    hits = findings(tmp_path, "LOG010")
    assert [(h.path, h.line, h.message) for h in hits] == [
        ("optim/heads.py", 7, "sys.exit() in attach_head() of optim/heads.py ends the caller's process"),
        ("optim/kernels.py", 7, "exit() at import of optim/kernels.py ends the caller's process"),
    ]


def test_log010_silent_in_commands_workers_signal_handlers_and_forked_children(tmp_path: Path) -> None:
    commands = (
        "import argparse\nimport os\nimport signal\nimport sys\nfrom multiprocessing import Process\n\n"
        "import click\n\n\n"
        "def die(message):\n    print(message)\n    sys.exit(2)\n\n\n"
        "@click.command()\n@click.argument('path')\n"
        "def sync(path):\n    if not path:\n        die('no path')\n\n\n"
        "def stop(signum, frame):\n    sys.exit(0)\n\n\n"
        "def worker(queue):\n    try:\n        queue.get()\n    except Exception:\n        sys.exit(3)\n\n\n"
        "def spawn(queue):\n"
        "    signal.signal(signal.SIGTERM, stop)\n"
        "    Process(target=worker, args=(queue,)).start()\n"
        "    if os.fork() == 0:\n        os._exit(0)\n\n\n"
        "def main():\n    args = argparse.ArgumentParser().parse_args()\n    sys.exit(run(args))\n\n\n"
        "def run(args):\n    return 0\n\n\n"
        "if __name__ == '__main__':\n    sys.exit(main())\n"
    )
    write_tree(
        tmp_path,
        {
            "store/__init__.py": "",
            "store/tool.py": commands,
            "store/errors.py": "def exit(message):\n    raise RuntimeError(message)\n",
            "store/report.py": "from store.errors import exit\n\n\ndef check(rows):\n    if not rows:\n        exit('empty')\n",
            "store/cli.py": "import sys\n\n\ndef entry():\n    sys.exit(1)\n",
            "docs/conf_helpers.py": "import sys\n\n\ndef bail():\n    sys.exit(1)\n",
        },
    )
    assert findings(tmp_path, "LOG010") == []


DEDUP_TOOL = (
    "import argparse\n"
    "import sys\n\n"
    "try:\n"
    "    from datasketch import MinHash\n"
    "except ImportError:\n"
    "    print('pip install datasketch', file=sys.stderr)\n"
    "    sys.exit(1)\n\n\n"
    "def shards(folder):\n"
    "    if not folder:\n"
    "        sys.exit('no shards given')\n"
    "    return sorted(folder)\n\n\n"
    "def main() -> None:\n"
    "    parser = argparse.ArgumentParser()\n"
    "    parser.add_argument('folder')\n"
    "    print(len(shards(parser.parse_args().folder)))\n\n\n"
    "if __name__ == '__main__':\n"
    "    main()\n"
)


def test_log010_silent_in_a_program_of_the_package_run_with_python_m(tmp_path: Path) -> None:
    write_tree(
        tmp_path, {"corpus/__init__.py": "", "corpus/charlm/__init__.py": "", "corpus/charlm/dedup.py": DEDUP_TOOL}
    )
    assert findings(tmp_path, "LOG010") == []


def test_log010_a_library_module_with_a_self_test_guard_but_no_parser_still_fires(tmp_path: Path) -> None:
    selftest = DEDUP_TOOL.replace("import argparse\n", "").replace(
        "    parser = argparse.ArgumentParser()\n    parser.add_argument('folder')\n"
        "    print(len(shards(parser.parse_args().folder)))\n",
        "    print(len(shards(['a'])))\n",
    )
    write_tree(tmp_path, {"corpus/__init__.py": "", "corpus/dedup.py": selftest})
    assert [h.line for h in findings(tmp_path, "LOG010")] == [7]


def test_log010_a_signal_handler_installed_through_a_lambda_or_partial_may_exit(tmp_path: Path) -> None:
    """A server's SIGTERM handler stops its workers and exits; the same exit in a plain helper still ends
    the caller's process."""
    serving = (
        "import functools\nimport os\nimport signal\nimport sys\n\n\n"
        "def serve(procs):\n"
        "    signal.signal(signal.SIGTERM, lambda signum, frame: _stop(pids=[p.pid for p in procs]))\n"
        "    signal.signal(signal.SIGINT, functools.partial(_halt, procs))\n\n\n"
        "def _stop(pids):\n"
        "    for pid in pids:\n"
        "        os.kill(pid, signal.SIGTERM)\n"
        "    sys.exit(0)\n\n\n"
        "def _halt(procs, signum, frame):\n"
        "    sys.exit(1)\n\n\n"
        "def check_port(port):\n"
        "    if port < 1024:\n"
        "        sys.exit(2)\n"
    )
    write_tree(tmp_path, {"server/__init__.py": "", "server/container.py": serving})
    assert [f.line for f in findings(tmp_path, "LOG010")] == [24]


DOCOPT_COMMAND = '''\
import sys

from docopt import docopt

USAGE = """Usage: sweep run <config> [--dry]"""


class Sweep:
    def run_commandline(self, argv=None):
        args = docopt(USAGE, argv or sys.argv[1:])
        if args["--dry"]:
            print(USAGE)
            sys.exit(0)
        return args["<config>"]


def validate(config):
    if not config:
        print("no config given")
        sys.exit(2)
    return config
'''


def test_log010_and_log001_a_function_parsing_argv_with_docopt_is_a_command(tmp_path: Path) -> None:
    write_tree(tmp_path, {"sweeps/__init__.py": "", "sweeps/runner.py": DOCOPT_COMMAND})
    # the command's own usage print and exit are its job; a library function beside it that parses nothing is not
    assert [h.line for h in findings(tmp_path, "LOG010")] == [20]
    assert [h.line for h in findings(tmp_path, "LOG001")] == [19]


CLICK_GROUP = """\
import sys

import rich_click as click


class ErrorReportingGroup(click.RichGroup):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Exception as error:
            print(f"error: {error}")
            sys.exit(1)


class RetryingUploader:
    def invoke(self, payload):
        try:
            return self.send(payload)
        except Exception as error:
            print(f"upload failed: {error}")
            sys.exit(1)
"""


def test_log010_and_log001_methods_of_a_click_command_class_run_the_command_line(tmp_path: Path) -> None:
    write_tree(tmp_path, {"jobs/__init__.py": "", "jobs/commands_base.py": CLICK_GROUP})
    # the click group's invoke owns the command's exit code; a plain class's method of the same name does not
    assert [h.line for h in findings(tmp_path, "LOG010")] == [21]
    assert [h.line for h in findings(tmp_path, "LOG001")] == [20]


PREEMPTION = """\
import signal
import sys


class Preemption:
    def __init__(self, trainer):
        self.trainer = trainer
        signal.signal(signal.SIGUSR1, self.on_preempt)

    def on_preempt(self, signum, frame):
        self.trainer.save_checkpoint("last.ckpt")
        self._leave()

    def _leave(self):
        sys.exit(0)


class Checkpointer:
    def on_error(self, error):
        self._abort()

    def _abort(self):
        sys.exit(1)
"""


def test_log010_a_bound_method_installed_as_signal_handler_and_its_own_helpers_may_exit(tmp_path: Path) -> None:
    write_tree(tmp_path, {"fit/__init__.py": "", "fit/preemption.py": PREEMPTION})
    # a method of the same shape that no signal reaches is library code ending its caller's process
    assert [h.line for h in findings(tmp_path, "LOG010")] == [23]


DEPLOYMENT = (
    "import json\n\nfrom fleet import api\n\n\n"
    "def check_key(key):\n"
    "    if not key.startswith('rf_'):\n"
    "        exit(2)\n\n\n"
    "def list_machine_types(args):\n"
    "    key = args.api_key or api.load_key()\n"
    "    check_key(key)\n"
    "    if key is None:\n"
    "        print('Please provide an api key')\n"
    "        exit(1)\n"
    "    print(json.dumps(api.machine_types(key), indent=2))\n\n\n"
    "def machine_types(key, args=None):\n"
    "    if key is None:\n"
    "        exit(1)\n"
    "    return api.machine_types(key)\n"
)


def test_log010_a_function_taking_only_the_parsed_command_line_is_a_command(tmp_path: Path) -> None:
    """`def list_machine_types(args): key = args.api_key ...`, handed the namespace by a CLI's subcommand, is a
    command: exiting with a status is its job, also in the helper only it calls. Look-alike: a library function
    that takes other parameters (an
    optional `args` among them) still ends its caller's process."""
    write_tree(
        tmp_path,
        {
            "fleet/__init__.py": "",
            "fleet/api.py": "def load_key():\n    return None\n",
            "fleet/deployment.py": DEPLOYMENT,
        },
    )
    assert [(h.line, h.message) for h in findings(tmp_path, "LOG010")] == [
        (22, "exit() in machine_types() of fleet/deployment.py ends the caller's process")
    ]


CONTEXT = (
    "import sys\n\n\n"
    "class ContextError(Exception):\n    pass\n\n\n"
    "def project_context(project=None, is_cli=False):\n"
    "    if not project:\n"
    "        if is_cli:\n"
    "            print('Please provide a project.')\n"
    "            sys.exit(1)\n"
    "        raise ContextError('no project')\n"
    "    return project\n\n\n"
    "def handle(error, sys_exit=False):\n"
    "    if sys_exit:\n"
    "        sys.exit(1)\n"
    "    raise error\n\n\n"
    "def owner_context(owner=None, is_cli=False, strict=True):\n"
    "    if strict:\n"
    "        sys.exit(1)\n"
    "    if not is_cli:\n"
    "        sys.exit(2)\n"
    "    return owner\n"
)


def test_log010_an_exit_the_caller_asks_for_through_a_flag_parameter_is_the_command_line_s(tmp_path: Path) -> None:
    """`if is_cli: sys.exit(1)` (else raise) or `if sys_exit: sys.exit(1)`: the exit runs only when the caller says
    it is the command line or asks for it. Look-alikes: an exit under another flag (`strict`), or under the
    negated one (`if not is_cli:`: the library's path), still ends the caller's process."""
    write_tree(tmp_path, {"ctx/__init__.py": "", "ctx/getters.py": CONTEXT})
    assert [h.line for h in findings(tmp_path, "LOG010")] == [25, 27]


NOTEBOOK_RUNNER = """import sys

from toolkit.script import call_parse


def run_notebook(path):
    return path.endswith(".ipynb")


@call_parse
def nb_test(path: str = "."):
    "Run every notebook under `path`"
    if not run_notebook(path):
        sys.stderr.write("notebook tests failed\\n")
        sys.exit(1)


def check_notebook(path):
    if not run_notebook(path):
        sys.exit(1)
"""
NB_PYPROJECT = (
    "[project]\nname = 'nbkit'\nversion = '1.0'\ndependencies = ['toolkit>=1.0']\n"
    "classifiers = ['Programming Language :: Python :: 3']\n\n"
    "[project.scripts]\nnb-test = 'nbkit.test:nb_test'\n"
)


def test_log010_a_console_script_the_package_declares_sets_the_exit_status_but_its_library_neighbour_fires(
    tmp_path: Path,
) -> None:
    """`[project.scripts] nb-test = "nbkit.test:nb_test"` makes nb_test the program: its exit status is its result.
    Look-alike: check_notebook in the same module is an importable function, and its exit kills the caller."""
    files = {"pyproject.toml": NB_PYPROJECT, "nbkit/__init__.py": "", "nbkit/test.py": NOTEBOOK_RUNNER}
    write_tree(tmp_path, files)
    assert [(h.path, h.line) for h in findings(tmp_path, "LOG010")] == [("nbkit/test.py", 20)]


def test_log010_the_same_runner_undeclared_as_a_console_script_fires(tmp_path: Path) -> None:
    """Look-alike: without the [project.scripts] entry nothing says nb_test is a program's entry point."""
    pyproject = NB_PYPROJECT.split("\n\n[project.scripts]", maxsplit=1)[0] + "\n"
    files = {"pyproject.toml": pyproject, "nbkit/__init__.py": "", "nbkit/test.py": NOTEBOOK_RUNNER}
    write_tree(tmp_path, files)
    assert [(h.path, h.line) for h in findings(tmp_path, "LOG010")] == [("nbkit/test.py", 15), ("nbkit/test.py", 20)]
