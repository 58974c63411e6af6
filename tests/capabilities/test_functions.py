"""Tests of the functions capabilities: short, simple functions, entry points that orchestrate, no import-time work."""

from __future__ import annotations

import json
from pathlib import Path

from tests.capabilities.util import assess, earned_points
from tests.helpers import write_tree

SMALL = """import pandas as pd


def load(path):
    return pd.read_csv(path)


def clean(df):
    return df.dropna()


def fit(df, model):
    model.fit(df.drop(columns="y"), df["y"])
    return model
"""
MAIN = """import argparse

from churn.steps import clean, fit, load


def main():
    args = argparse.ArgumentParser().parse_args()
    model = fit(clean(load(args.data)), None)
    return model


if __name__ == "__main__":
    main()
"""


def _long_function(lines: int) -> str:
    body = "\n".join(f"    total = total + {i}" for i in range(lines))
    return f"def everything(total):\n{body}\n    return total\n"


def _branchy_function(branches: int) -> str:
    body = "\n".join(f"    if x == {i}:\n        return {i}" for i in range(branches))
    return f"def dispatch(x):\n{body}\n    return -1\n"


def test_short_functions_earn(tmp_path: Path) -> None:
    result = assess(tmp_path, "functions", "small_functions", {"churn/__init__.py": "", "churn/steps.py": SMALL})
    assert result.share == 1


def test_one_huge_function_weighs_by_its_lines(tmp_path: Path) -> None:
    files = {"churn/__init__.py": "", "churn/steps.py": SMALL, "churn/big.py": _long_function(200)}
    result = assess(tmp_path, "functions", "small_functions", files)
    assert result.share == 0
    assert "everything (" in result.evidence and "churn/big.py:1" in result.evidence


def test_simple_functions_earn_and_complex_ones_do_not(tmp_path: Path) -> None:
    simple = assess(tmp_path / "a", "functions", "simple_functions", {"churn/steps.py": SMALL})
    branchy = assess(
        tmp_path / "b", "functions", "simple_functions", {"churn/steps.py": SMALL, "churn/d.py": _branchy_function(30)}
    )
    assert simple.share == 1
    assert branchy.share < 0.5
    assert "dispatch (31" in branchy.evidence


def test_thin_main_orchestrates(tmp_path: Path) -> None:
    files = {"churn/__init__.py": "", "churn/steps.py": SMALL, "train.py": MAIN}
    result = assess(tmp_path, "functions", "entry_points_orchestrate", files)
    assert result.share == 1
    assert "1 of 1" in result.evidence


def test_long_main_and_module_level_script_do_not_orchestrate(tmp_path: Path) -> None:
    fat = (
        "import argparse\n\n\n"
        + _long_function(80).replace("everything", "main")
        + "\n\nif __name__ == '__main__':\n    main(0)\n"
    )
    script = "import pandas as pd\n\ndf = pd.read_csv('train.csv')\ndf.to_csv('clean.csv')\n"
    files = {"train.py": fat, "prepare.py": script}
    result = assess(tmp_path, "functions", "entry_points_orchestrate", files)
    assert result.share == 0
    assert "prepare.py:3 (module-level script)" in result.evidence


def _cli(options: int, logic: str) -> str:
    declared = "\n".join(
        f'    parser.add_argument("--opt{i}", default={i}, type=int, help="option {i}")' for i in range(options)
    )
    return (
        "import argparse\n\nfrom churn.steps import clean, fit, load\n\n\n"
        "def cli():\n    parser = argparse.ArgumentParser()\n"
        '    parser.add_argument("--device", default="cuda" if clean else "cpu")\n'
        f"{declared}\n    args = parser.parse_args()\n"
        f"{logic}\n\n\nif __name__ == '__main__':\n    cli()\n"
    )


def test_cli_declaring_many_options_then_delegating_orchestrates(tmp_path: Path) -> None:
    delegate = "    if args.opt0:\n        print('verbose')\n    fit(clean(load(args.opt1)), None)"
    files = {"churn/__init__.py": "", "churn/steps.py": SMALL, "churn/cli.py": _cli(60, delegate)}
    assert assess(tmp_path, "functions", "entry_points_orchestrate", files).share == 1


def test_cli_with_long_logic_after_its_options_does_not_orchestrate(tmp_path: Path) -> None:
    steps = "\n".join(f"        df = load(args.opt{j}).dropna()" for j in range(7))
    work = "\n".join(f"    if args.opt{i}:\n{steps}" for i in range(8))  # 64 lines of logic, complexity 10
    files = {"churn/__init__.py": "", "churn/steps.py": SMALL, "churn/cli.py": _cli(60, work)}
    assert assess(tmp_path, "functions", "entry_points_orchestrate", files).share == 0


def test_no_import_time_work(tmp_path: Path) -> None:
    files = {"churn/__init__.py": "", "churn/steps.py": SMALL, "train.py": MAIN}
    assert assess(tmp_path, "functions", "no_import_time_work", files).share == 1


def test_module_loading_data_at_import_is_work(tmp_path: Path) -> None:
    loader = SMALL + "\nDATA = pd.read_csv('data.csv')\n"
    files = {"churn/__init__.py": "", "churn/steps.py": loader, "churn/other.py": SMALL}
    result = assess(tmp_path, "functions", "no_import_time_work", files)
    assert result.share < 0.5
    assert "churn/steps.py:16 runs on import" in result.evidence


def test_maintainable_modules(tmp_path: Path) -> None:
    result = assess(tmp_path, "functions", "maintainable_modules", {"churn/steps.py": SMALL})
    assert result.share == 1


def test_code_without_functions_earns_at_most_10(tmp_path: Path) -> None:
    script = "import pandas as pd\n\ndf = pd.read_csv('train.csv')\ndf = df.dropna()\ndf.to_csv('out.csv')\n"
    write_tree(tmp_path, {"train.py": script, "eval.py": script})
    assert earned_points(tmp_path, "functions") <= 10


def test_small_orchestrated_code_earns_most(tmp_path: Path) -> None:
    write_tree(tmp_path, {"churn/__init__.py": "", "churn/steps.py": SMALL, "train.py": MAIN})
    assert earned_points(tmp_path, "functions") >= 90


def test_library_without_cli_is_judged_by_its_public_functions(tmp_path: Path) -> None:
    files = {
        "churn/__init__.py": "",
        "churn/steps.py": SMALL,
        "churn/big.py": _long_function(80).replace("everything", "report"),
    }
    result = assess(tmp_path, "functions", "entry_points_orchestrate", files)
    assert 0.2 < result.share < 0.6
    assert "3 of 4" in result.evidence and "report (" in result.evidence


def _closure_factory(body_lines: int, returned: bool) -> str:
    """A public optimiser factory defining `init_fn` and a long `update_fn`, returned (or only used) by it."""
    steps = "".join(f"        updates = updates * decay + {i}\n" for i in range(body_lines))
    tail = "    return Transformation(init_fn, update_fn)\n" if returned else "    return update_fn(init_fn(0), 0)\n"
    return (
        "from typing import NamedTuple\n\n\nclass Transformation(NamedTuple):\n    init: object\n    update: object\n\n\n"
        "def scaled(decay):\n    def init_fn(params):\n        return params * 0\n\n"
        f"    def update_fn(updates, state):\n{steps}        return updates, state\n\n{tail}"
    )


def test_a_factory_returning_its_closures_is_as_long_as_its_own_statements(tmp_path: Path) -> None:
    """`def scaled(decay)` defining `init_fn`/`update_fn` and returning them (optax's idiom) only builds the pair;
    each closure is measured on its own (FUN004), so the factory is a thin entry point of the library."""
    files = {"optim/__init__.py": "", "optim/steps.py": SMALL, "optim/scale.py": _closure_factory(70, returned=True)}
    result = assess(tmp_path / "a", "functions", "entry_points_orchestrate", files)
    assert result.share == 1 and "4 of 4 (100%)" in result.evidence
    # Look-alike: the same closures run inside the function and only their result returned: its work is its own.
    inline = {**files, "optim/scale.py": _closure_factory(70, returned=False)}
    result = assess(tmp_path / "b", "functions", "entry_points_orchestrate", inline)
    assert result.share < 0.6 and "scaled (" in result.evidence
    # A class built on the given base and returned as an instance is measured by its methods, not in the factory.
    methods = "".join(f"        def method_{i}(self):\n            return {i}\n\n" for i in range(40))
    adapter = f"def adapted(base):\n    class Adapter(type(base)):\n{methods}    return Adapter()\n"
    result = assess(tmp_path / "c", "functions", "entry_points_orchestrate", {**files, "optim/scale.py": adapter})
    assert result.share == 1


EXPLAINERS = """import torch


class _Base:
    def _encode(self, text):
        return text.split()


class SequenceExplainer(_Base):
    def __init__(self, model, tokenizer):
        self.model = model
        self.tokenizer = tokenizer

    def __call__(self, text, target=None):
        ids = self._encode(text)
        return self.attribute(ids, target)

    def attribute(self, ids, target):
        return torch.zeros(len(ids))

    def visualize(self, path=None):
        return path
"""


def test_a_library_whose_api_is_classes_is_judged_by_their_public_methods(tmp_path: Path) -> None:
    files = {"explain/__init__.py": "", "explain/text.py": EXPLAINERS}
    result = assess(tmp_path / "a", "functions", "entry_points_orchestrate", files)
    assert result.share == 1 and result.evidence == "3 of 3 (100%) entry points are thin orchestrators"
    god = EXPLAINERS.replace("        return path\n", "".join(f"        x{i} = path\n" for i in range(70)))
    fat = assess(tmp_path / "b", "functions", "entry_points_orchestrate", {**files, "explain/text.py": god})
    assert fat.share < 0.6 and "visualize (" in fat.evidence


def test_unmaintainable_module_lowers_the_share(tmp_path: Path) -> None:
    files = {"churn/steps.py": SMALL, "churn/d.py": _branchy_function(300)}
    result = assess(tmp_path, "functions", "maintainable_modules", files)
    assert result.share < 0.5
    assert "lowest: churn/d.py" in result.evidence


PUBLISHED = """[project]
name = "churn"
version = "1.0.0"
dependencies = ["pandas>=2.0"]
classifiers = ["Programming Language :: Python :: 3"]
"""
DOCS_SCRIPT = "import os\n\nfor name in os.listdir('docs'):\n    open(os.path.join('site', name), 'w').write(name)\n"


def test_a_published_librarys_api_is_judged_even_beside_a_module_level_docs_script(tmp_path: Path) -> None:
    files = {"churn/__init__.py": "", "churn/steps.py": SMALL, "mkdocs_build/gen.py": DOCS_SCRIPT}
    library = assess(tmp_path / "lib", "functions", "entry_points_orchestrate", {**files, "pyproject.toml": PUBLISHED})
    assert "3 of 4 (75%) entry points are thin" in library.evidence
    assert "mkdocs_build/gen.py:3 (module-level script)" in library.evidence and library.share > 0.3
    # Look-alike: research code whose only entry point is a module-level script earns nothing, and says why.
    research = assess(tmp_path / "lab", "functions", "entry_points_orchestrate", files)
    assert research.share == 0
    assert research.evidence.startswith("0 of 1 (0%) entry points are thin orchestrators; not: mkdocs_build/gen.py:3")


def test_a_notebook_only_project_is_told_its_code_lives_in_notebooks_not_that_it_has_no_functions(
    tmp_path: Path,
) -> None:
    cells = [{"cell_type": "code", "source": SMALL, "outputs": [], "metadata": {}, "execution_count": 1}]
    notebook = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    result = assess(tmp_path / "nb", "functions", "no_import_time_work", {"solution.ipynb": notebook})
    assert (result.share, result.evidence) == (
        0,
        "No Python modules: the code lives in notebooks, which run cell by cell",
    )
    # Look-alike: module-level scripts without functions are still told they run as module-level statements.
    script = "import pandas as pd\n\ndf = pd.read_csv('train.csv')\n"
    scripts = assess(tmp_path / "py", "functions", "no_import_time_work", {"train.py": script})
    assert scripts.evidence == "No functions: the code runs as module-level statements"


def test_short_functions_count_each_line_once_in_the_function_whose_statement_it_is(tmp_path: Path) -> None:
    """A method registering short route handlers is short itself: each handler, with its route decorator and
    parameter declarations, is measured on its own, not again in the method; a method doing long work inline
    beside a small closure is still long."""
    route = (
        "        @self.router.get(\n            '/items/N',\n"
        + "".join(f"            example_{i}='see docs',\n" for i in range(10))
        + "        )\n        async def item_N(limit: int = 10) -> dict:\n"
        + "".join(f"            v{i} = limit + {i}\n" for i in range(12))
        + "            return {'n': v0}\n\n"
    )
    routes = "".join(route.replace("N", str(n)) for n in range(8))
    router = "class Items:\n    def setup_routes(self):\n" + routes
    files = {"shop/__init__.py": "", "shop/routes.py": router}
    result = assess(tmp_path / "routes", "functions", "small_functions", files)
    assert result.share == 1 and result.evidence.startswith("100% of function code")
    inline = "def build(x):\n    def step(v):\n        return v + 1\n\n" + "".join(
        f"    w{i} = step(x) * {i}\n" for i in range(90)
    )
    files = {"shop/__init__.py": "", "shop/build.py": inline + "    return x\n"}
    result = assess(tmp_path / "inline", "functions", "small_functions", files)
    assert result.share == 0 and "longest: build (92 lines" in result.evidence


def test_a_validator_of_flat_guard_clauses_is_simple_code(tmp_path: Path) -> None:
    guards = "".join(
        f"    if params[{i!r}] is None or params[{i!r}] < 0:\n        raise ValueError('{i} must be >= 0')\n"
        for i in range(12)
    )
    flat = f"def check_params(params):\n{guards}    return dict(params)\n"
    result = assess(tmp_path / "a", "functions", "simple_functions", {"fit/__init__.py": "", "fit/check.py": flat})
    assert result.share == 1
    # Look-alike: the same tests choosing what to do next are branches of the logic.
    forks = flat.replace("raise ValueError(", "params = fallback(params, ")
    files = {"fit/__init__.py": "", "fit/check.py": forks}
    assert assess(tmp_path / "b", "functions", "simple_functions", files).share == 0


def _console_tool(work: str) -> dict[str, str]:
    """A package whose console script parses options and hands them to a `cmd_*` wrapper of its API."""
    tool = (
        "import argparse\n\n\n"
        "def cmd():\n    parser = argparse.ArgumentParser()\n    parser.add_argument('--steps', type=int)\n"
        "    args = parser.parse_args()\n    cmd_finetune(args.steps)\n\n\n"
        "def cmd_finetune(steps):\n    finetune(steps=steps, run_name='run1')\n\n\n"
        "def save_sample(text, run_name):\n    print(run_name, text)\n\n\n"
        f"{work}"
    )
    setup = "[project]\nname = 'tuner'\nversion = '1.0'\n\n[project.scripts]\ntuner = 'tuner.core:cmd'\n"
    return {"pyproject.toml": setup, "tuner/__init__.py": "", "tuner/core.py": tool}


def test_heavy_work_behind_a_console_scripts_thin_wrapper_is_an_entry_point(tmp_path: Path) -> None:
    fat = _long_function(80).replace("def everything(total)", "def finetune(steps, run_name, total=0)")
    result = assess(tmp_path / "a", "functions", "entry_points_orchestrate", _console_tool(fat))
    assert result.share < 0.5 and "not: finetune (" in result.evidence
    # Look-alike: the wrapped function is short too, and the thin helper it calls is no entry point of its own.
    thin = "def finetune(steps, run_name):\n    for step in range(steps):\n        save_sample(str(step), run_name)\n"
    result = assess(tmp_path / "b", "functions", "entry_points_orchestrate", _console_tool(thin))
    assert result.share == 1 and result.evidence == "2 of 2 (100%) entry points are thin orchestrators"
