"""Tests of the `performance` practice that span several rules (or none in particular)."""

from __future__ import annotations

import json
from pathlib import Path

from mlaudit.facts.loops import Iteration, file_loops
from mlaudit.model import Status
from tests.helpers import findings, project_of, run_audit, write_tree


def test_prf005_and_prf001_report_a_notebook_loop_with_its_cell(tmp_path: Path) -> None:
    cells = [
        {"cell_type": "code", "source": "import numpy as np\n", "outputs": []},
        {"cell_type": "code", "source": "for v in vectors:\n    print(np.linalg.norm(v))\n", "outputs": []},
    ]
    write_tree(tmp_path, {"nb.ipynb": json.dumps({"cells": cells, "nbformat": 4})})
    [hit] = findings(tmp_path, "PRF001")
    assert (hit.cell, hit.line) == (2, 1)


def test_performance_is_na_without_numeric_libraries(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": "import json\n\nfor x in range(len(data)):\n    total += data[x] * 2\n"})
    practice = run_audit(tmp_path, select=("PRF",)).practice("performance")
    assert practice.status is Status.NOT_APPLICABLE


# an experiment runner that seeds the frameworks its users train with, and only that
RUNNER_SEEDING = """\
import random

import numpy as np
import torch


def set_global_seeds(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)


def run(experiment, config):
    set_global_seeds(config["seed"])
    result = experiment.main(**config)
    experiment.observers.append(result)
    return result
"""


def test_performance_is_na_when_numeric_libraries_are_only_seeded(tmp_path: Path) -> None:
    write_tree(tmp_path, {"runner/__init__.py": "", "runner/seeding.py": RUNNER_SEEDING})
    practice = run_audit(tmp_path, select=("PRF",)).practice("performance")
    assert practice.status is Status.NOT_APPLICABLE
    assert "only to seed them" in (practice.status_reason or "")


def test_performance_is_scored_when_seeded_code_also_computes_or_trains(tmp_path: Path) -> None:
    computes = RUNNER_SEEDING + "\n\ndef summarise(losses):\n    return float(np.mean(losses))\n"
    write_tree(tmp_path / "a", {"runner/__init__.py": "", "runner/seeding.py": computes})
    assert run_audit(tmp_path / "a", select=("PRF",)).practice("performance").status is Status.SCORED
    # numpy only seeded, but a scikit-learn model is trained: that is numeric work
    fits = (
        "import numpy as np\nfrom sklearn.linear_model import LogisticRegression\n\n\n"
        "def train(X, y, seed):\n    np.random.seed(seed)\n    return LogisticRegression(random_state=seed).fit(X, y)\n"
    )
    write_tree(tmp_path / "b", {"clf/__init__.py": "", "clf/train.py": fits})
    assert run_audit(tmp_path / "b", select=("PRF",)).practice("performance").status is Status.SCORED


PUBLISHED = (
    '[project]\nname = "jobrunner"\nversion = "1.0"\nclassifiers = ["Programming Language :: Python :: 3"]\n'
    'dependencies = ["cloudpickle>=2.0"]\n'
)
SUBMISSION = (
    "import os\n\ntry:  # numpy loaded before unpickling the job\n    import numpy  # noqa: F401\nexcept ImportError:\n"
    "    pass\n\n\ndef submit(fn, *args):\n    return os.fork() or fn(*args)\n"
)
MNIST_EXAMPLE = (
    "import numpy as np\nfrom sklearn.linear_model import LogisticRegression\n\n\n"
    "def train(X, y):\n    model = LogisticRegression().fit(X, y)\n    return float(np.mean(model.predict(X) == y))\n"
)


def test_performance_is_na_for_a_library_whose_numeric_code_is_only_in_its_examples(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": PUBLISHED,
        "jobrunner/__init__.py": "",
        "jobrunner/submission.py": SUBMISSION,
        "docs/mnist.py": MNIST_EXAMPLE,
    }
    write_tree(tmp_path, files)
    practice = run_audit(tmp_path, select=("PRF",)).practice("performance")
    assert practice.status is Status.NOT_APPLICABLE


def test_performance_is_scored_for_a_library_whose_own_code_computes_or_loops_over_arrays(tmp_path: Path) -> None:
    scoring = "import numpy as np\n\n\ndef accuracy(pred, y):\n    return float(np.mean(pred == y))\n"
    files = {"pyproject.toml": PUBLISHED, "jobrunner/__init__.py": "", "jobrunner/metrics.py": scoring}
    write_tree(tmp_path / "a", {**files, "docs/mnist.py": MNIST_EXAMPLE})
    assert run_audit(tmp_path / "a", select=("PRF",)).practice("performance").status is Status.SCORED
    # no numpy call, but a slow loop over the arrays it is handed
    looping = (
        "import numpy as np\n\n\ndef dot(a: np.ndarray, b: np.ndarray) -> float:\n    total = 0.0\n"
        "    for i in range(len(a)):\n        total += a[i] * b[i]\n    return total\n"
    )
    write_tree(tmp_path / "b", {**files, "jobrunner/metrics.py": looping})
    assert run_audit(tmp_path / "b", select=("PRF",)).practice("performance").status is Status.SCORED


LOOPS = """\
import numpy as np

def normalise(X, loader, layers):
    for i in range(len(X)):
        X[i] = X[i] / np.linalg.norm(X[i])
    for batch in loader:
        step(batch)
    for i in range(X.shape[1]):
        X[:, i] -= X[:, i].mean()
    for k, layer in enumerate(layers):
        X = layer(X)
    return X
"""


def test_loops_fact_tells_data_loops_from_batches_columns_and_components(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/norm.py": LOOPS, "pkg/plain.py": "for x in y:\n    pass\n"})
    [loops] = file_loops(project_of(tmp_path))  # pkg/plain.py imports no numeric library
    by_line = {loop.node.lineno: loop for loop in loops.loops}
    assert loops.pf.path == "pkg/norm.py" and sorted(by_line) == [4, 6, 8, 10]
    assert by_line[4].iteration == Iteration(frozenset({"i"}), indexed=True)
    assert by_line[4].function is not None and by_line[4].function.name == "normalise"
    assert not by_line[4].walks_components and len(list(loops.uses(by_line[4], frozenset({"i"})))) == 3
    assert by_line[6].iteration is None  # batches from a loader
    assert by_line[8].iteration is None  # columns, not elements
    assert by_line[10].walks_components and by_line[10].targets == {"k", "layer"}


LOOP_NEST = """\
import numpy as np
setup(np.zeros(3))
for i, x in enumerate(load()):
    y = {**base(i), 'k': f'{fmt(x)!r}'}[key()]
    match x:
        case Point(x=0) if check(x):
            run(lambda: inner())
    @deco(arg())
    def local(a=default()):
        for b in gen():
            w = call(b)
        return [call(b) for b in gen() if pred(b)]
    for j in range(3):
        f(j).out = total = g(j)
        if j:
            break
    else:
        h()
after(np.ones(2))
"""


def test_loop_calls_and_inner_nodes_are_those_a_walk_of_the_tree_finds(tmp_path: Path) -> None:
    """Every call in a loop (all of its subtree) and each loop's own assignments, calls and breaks (those whose
    innermost loop or function it is), in the file's source order, as a walk of the tree finds them."""
    import ast

    from mlaudit.facts.loops import calls_in_loops

    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/nest.py": LOOP_NEST})
    [loops] = file_loops(project_of(tmp_path))
    pf = loops.pf
    calls_in = calls_in_loops(pf)
    order = {node: i for i, node in enumerate(pf.nodes(ast.Assign, ast.Call, ast.Break))}
    for loop in loops.loops:
        expected = [node for node in ast.walk(loop.node) if isinstance(node, ast.Call)]
        assert set(calls_in(loop.node)) == set(expected) and len(calls_in(loop.node)) == len(expected)
        owned = [node for node in order if _innermost(pf, node) is loop.node]
        assert list(loop.inner) == sorted(owned, key=order.__getitem__)
    assert [len(calls_in(loop.node)) for loop in loops.loops] == [20, 2, 4]
    assert [len(loop.inner) for loop in loops.loops] == [9, 3, 6] and loops.loops[2].has_break


def _innermost(pf: object, node: object) -> object:
    import ast

    from mlaudit.project import PythonFile

    assert isinstance(pf, PythonFile) and isinstance(node, ast.AST)
    parent = pf.parent(node)
    while parent is not None and not isinstance(parent, ast.For | ast.AsyncFor | ast.While | ast.FunctionDef):
        parent = pf.parent(parent)
    return parent
