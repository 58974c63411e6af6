"""Tests for the per-file fact layer: facts extracted in workers, cached by content, trees parsed on demand."""

from __future__ import annotations

import hashlib
import itertools
import json
import multiprocessing.process
import os
import pickle
import shutil
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from mlaudit import cache, filefacts
from mlaudit.capabilities import load_capabilities
from mlaudit.discover import SourceFile, discover
from mlaudit.engine import AuditOptions
from mlaudit.facts.randomness import ModuleMap, scanned_files
from mlaudit.model import FileKind, Skipped
from mlaudit.project import (
    MISSING,
    QUOTED_LINES_FACT,
    Project,
    PythonFile,
    load_project,
    parse_python,
    quoted_lines,
)
from mlaudit.registry import load_rules
from mlaudit.report import json as json_report
from mlaudit.rules.functions._shared import code_metrics, import_time_work
from mlaudit.rules.interfaces.api002_string_dispatch import DISPATCH_FACT, file_dispatches
from mlaudit.secret_sweep import SweepSettings
from tests.helpers import git_init, run_audit, write_tree
from tests.test_secrets import fake

LEGACY = {"scripts/legacy.py": "print 'python 2'\n"}  # a syntax error: the module map is not the parsed one
TREE = {
    "pyproject.toml": '[project]\nname = "churn"\nversion = "0.1.0"\ndependencies = ["numpy>=1.26", "torch"]\n',
    "src/churn/__init__.py": "from churn.train import train\n",
    "src/churn/train.py": (
        "import random\n\nimport numpy as np\nimport torch\n\nfrom churn.data import load\n\n\n"
        "def train(path, epochs=3):\n"
        "    x = load(path)\n"
        "    np.random.shuffle(x)\n"
        "    model = torch.nn.Linear(4, 1)\n"
        "    opt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
        "    for epoch in range(epochs):\n"
        "        if epoch % 2:\n"
        "            random.shuffle(x)\n"
        "        loss = model(torch.tensor(x)).sum()\n"
        "        loss.backward()\n"
        "        opt.step()\n"
        "    return model\n\n\n"
        'if __name__ == "__main__":\n'
        '    train("data.csv")\n'
    ),
    "src/churn/data.py": "import pandas as pd\n\n\ndef load(path):\n    return pd.read_csv(path).to_numpy()\n",
    "src/churn/serve.py": (
        "import torch\n\nMODEL = torch.load('model.pt')\n\n\ndef predict(x):\n    return MODEL(x)\n"
    ),
    "tests/test_train.py": (
        "from unittest import mock\n\nfrom churn.train import train\n\n\n"
        "def test_train():\n    with mock.patch('churn.data.load'):\n        assert train('x.csv') is not None\n"
    ),
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return git_init(write_tree(tmp_path / "repo", TREE))


def _load(root: Path, jobs: int = 1) -> tuple[Project, filefacts.FactLayer]:
    inventory = discover(root)
    options = AuditOptions(jobs=jobs)
    layer = filefacts.layer_for(options, list(inventory.files), root)
    assert layer is not None
    project = load_project(inventory, options, summarize=layer)
    return project, layer


def _stored(root: Path) -> Project:
    """Load `root` once and store its summaries, as an audit does; return that project."""
    project, layer = _load(root)
    _facts(project)
    layer.store(project.python)
    return project


def _facts(project: Project) -> tuple[object, ...]:
    metrics = code_metrics(project)
    work = {pf.path: import_time_work(pf) for pf in project.python.values() if pf.path.startswith("src/")}
    scans = scanned_files(project, list(project.python.values()))
    return metrics, work, {p: (f.draws, f.seeds, f.refs, f.imports, f.uses) for p, f in scans.items()}


def test_cached_modules_are_not_parsed_and_give_the_same_facts(repo: Path, layer_on: Path) -> None:
    first = _stored(repo)
    second, _ = _load(repo)
    modules = [pf for pf in second.python.values() if pf.path.endswith(".py")]
    assert modules and all(pf.summary is not None and not pf.parsed for pf in modules)
    assert _facts(second) == _facts(first)
    assert not any(pf.parsed for pf in modules)  # the facts came without a tree
    assert second.python["src/churn/train.py"].has_main_guard
    assert not any(pf.parsed for pf in modules)  # the main guard and imports came from the summary too


def test_an_edited_module_is_summarised_again(repo: Path, layer_on: Path) -> None:
    _stored(repo)
    train = repo / "src/churn/train.py"
    train.write_text(train.read_text() + "\n\ndef evaluate(model, x):\n    return model(x)\n")
    project, _ = _load(repo)
    edited = project.python["src/churn/train.py"]
    assert edited.parsed and edited.summary is None
    names = [f.name for f in code_metrics(project)["src/churn/train.py"].functions]
    assert "evaluate" in names
    assert not project.python["src/churn/data.py"].parsed


def test_a_corrupt_entry_is_ignored_and_rebuilt(repo: Path, layer_on: Path) -> None:
    _stored(repo)
    entries = sorted(layer_on.glob("*.facts"))
    assert entries
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:-7] + b"garbage")
    project, layer = _load(repo)
    assert all(pf.parsed for pf in project.python.values())  # every entry was refused: parsed again
    layer.store(project.python)
    again, _ = _load(repo)
    assert not any(pf.parsed for pf in again.python.values())


def test_an_entry_holding_anything_but_facts_is_refused(repo: Path, layer_on: Path) -> None:
    _stored(repo)
    entry = sorted(layer_on.glob("*.facts"))[0]
    header = json.loads(entry.read_bytes().partition(b"\n")[0])
    body = pickle.dumps([Skipped("x.py", "not a fact type")])  # a class the fact unpickler does not admit
    header["sha256"] = hashlib.sha256(body).hexdigest()
    entry.write_bytes(json.dumps(header).encode() + b"\n" + body)
    project, _ = _load(repo)
    assert sum(pf.parsed for pf in project.python.values()) == 1
    with pytest.raises(ValueError, match="unreadable facts"):
        filefacts._unpickle(body)


def test_worker_summaries_equal_those_made_here(tmp_path: Path) -> None:
    repo = git_init(write_tree(tmp_path / "repo", {**TREE, **LEGACY}))
    inventory = discover(repo)
    sources = [s for s in inventory.files if s.path.endswith(".py")]
    paths = tuple(s.path for s in sources)
    sweep = SweepSettings.of(AuditOptions())
    filefacts._init_worker(paths, sweep)
    batch = [(s.path, s.kind.value, s.abspath.read_bytes()) for s in sources]
    from_worker = {s.path: s for s in filefacts._unpickle(filefacts._work(batch))}
    assert from_worker["scripts/legacy.py"].skipped is not None
    here = load_project(inventory)
    context = filefacts.FactContext(ModuleMap(paths), sweep)
    for path, pf in here.python.items():
        expected = filefacts.summary_of(pf, next(s.kind for s in sources if s.path == path), context)
        assert from_worker[path] == expected
    assert from_worker["src/churn/train.py"].fact("functions.metrics") is not MISSING


def test_a_fact_one_extractor_reads_from_another_is_computed_once_per_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """API006 reads the import-time work its own extractor found: summarising a module computes it once."""
    import mlaudit.rules.functions._shared as functions_shared

    repo = git_init(write_tree(tmp_path / "repo", TREE))
    inventory = discover(repo)
    sources = [s for s in inventory.files if s.path.endswith(".py")]
    context = filefacts.FactContext(ModuleMap(tuple(s.path for s in sources)), SweepSettings.of(AuditOptions()))
    serve = next(s for s in sources if s.path == "src/churn/serve.py")
    computed: list[str] = []
    find = functions_shared.find_import_time_work

    def counting(pf: PythonFile) -> object:
        computed.append(pf.path)
        return find(pf)

    monkeypatch.setattr(functions_shared, "find_import_time_work", counting)
    monkeypatch.setattr(filefacts, "find_import_time_work", counting)
    parsed = parse_python(serve, serve.abspath.read_bytes())
    assert isinstance(parsed, PythonFile)
    summary = filefacts.summary_of(parsed, serve.kind, context)
    assert computed == ["src/churn/serve.py"]
    assert summary.fact("functions.import_time_work") == import_time_work(parsed) != ()
    assert summary.fact("hits.API006") is not MISSING


@pytest.mark.parametrize("extra", [{}, LEGACY], ids=["parsable", "with-syntax-error"])
def test_reports_are_identical_with_workers_one_job_and_without_the_layer(
    tmp_path: Path, layer_on: Path, monkeypatch: pytest.MonkeyPatch, extra: dict[str, str]
) -> None:
    repo = git_init(write_tree(tmp_path / "repo", {**TREE, **extra}))
    monkeypatch.setattr(filefacts, "WORKERS", True)
    monkeypatch.setenv(cache.ENV_OFF, "1")  # every run computes: no report, no fact cache
    one = json_report.dumps(run_audit(repo, jobs=1))
    two = json_report.dumps(run_audit(repo, jobs=2))
    monkeypatch.setattr(filefacts, "MIN_BYTES", 10**12)
    without = json_report.dumps(run_audit(repo, jobs=1))
    assert one == two == without
    assert ("scripts/legacy.py" in one) == bool(extra)  # skipped with its syntax error, whoever parsed it


def test_cold_and_warm_fact_cache_give_identical_reports(repo: Path, layer_on: Path) -> None:
    cold = json_report.dumps(run_audit(repo, jobs=2))
    assert len(list(layer_on.glob("*.facts"))) == 5
    shutil.rmtree(layer_on.parent / "reports")  # no report to replay: the audit runs on cached facts
    assert json_report.dumps(run_audit(repo, jobs=2)) == cold


def test_nothing_is_written_into_the_audited_tree(repo: Path, layer_on: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*"))
    run_audit(repo, jobs=2)
    assert sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*")) == before
    monkeypatch.setenv("XDG_CACHE_HOME", str(repo / ".cache"))  # a cache folder inside the tree is refused
    project, layer = _load(repo)
    layer.store(project.python)
    assert not (repo / ".cache").exists()


def test_small_trees_run_without_the_layer(repo: Path) -> None:
    inventory = discover(repo)
    assert filefacts.layer_for(AuditOptions(jobs=2), list(inventory.files), repo) is None


def test_a_fact_missing_from_a_summary_is_computed_here(repo: Path, layer_on: Path) -> None:
    _stored(repo)
    project, _ = _load(repo)
    pf = project.python["src/churn/serve.py"]
    assert isinstance(pf, PythonFile) and isinstance(pf.summary, filefacts.FileSummary)
    pf.summary = filefacts.FileSummary(pf.path, None, False, pf.summary.imports, pf.summary.imported_modules, ())
    assert [w.lineno for w in import_time_work(pf)] == [3]
    assert pf.parsed


def test_a_forked_child_sends_back_only_the_facts_it_computed(repo: Path, layer_on: Path) -> None:
    _stored(repo)
    project, _ = _load(repo)
    pf = project.python["src/churn/serve.py"]
    assert isinstance(pf, PythonFile) and isinstance(pf.summary, filefacts.FileSummary)
    held = {name for name, _ in pf.summary.facts}
    assert "functions.import_time_work" in held
    import_time_work(pf)  # read from the summary: the parent has it already
    assert pf.computed_facts() == {} and "src/churn/serve.py" not in project.file_facts()
    pf.summary = filefacts.FileSummary(pf.path, None, False, pf.summary.imports, pf.summary.imported_modules, ())
    pf._facts.clear()
    import_time_work(pf)  # not in the summary: computed here, so it travels back
    assert set(project.file_facts()["src/churn/serve.py"]) == {"functions.import_time_work"}


def test_facts_computed_in_the_forked_rule_process_are_cached(
    repo: Path, layer_on: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlaudit import parallel

    monkeypatch.setattr(parallel, "MIN_CODE_LINES", 0)
    monkeypatch.setattr(parallel, "split_by_practice", lambda keys: (set(keys), set()))  # every rule in the child
    forked = json_report.dumps(run_audit(repo, jobs=2))
    stored, _ = _load(repo)
    summaries = {pf.path: pf.summary for pf in stored.python.values()}
    facts = {p: {n for n, _ in s.facts} for p, s in summaries.items() if isinstance(s, filefacts.FileSummary)}
    assert len(facts) == 5
    assert {"functions.metrics", "functions.import_time_work", "randomness.scan"} <= facts["src/churn/serve.py"]
    assert "tested.references" in facts["tests/test_train.py"]
    shutil.rmtree(layer_on.parent / "reports")
    assert json_report.dumps(run_audit(repo, jobs=1)) == forked
    shutil.rmtree(layer_on.parent / "reports")

    def no_parse(_project: object) -> None:
        raise AssertionError("parsed every module before the fork although their facts were cached")

    monkeypatch.setattr(Project, "parse_all", no_parse)  # rules read the cached facts in both processes
    assert json_report.dumps(run_audit(repo, jobs=2)) == forked


def test_a_cached_summary_gains_the_facts_a_later_audit_computes(repo: Path, layer_on: Path) -> None:
    run_audit(repo, jobs=1, select=("SEC",))  # no functions rule: no radon figures to cache yet
    project, _ = _load(repo)
    pf = project.python["src/churn/serve.py"]
    assert pf.summary is not None and pf.summary.fact("functions.metrics") is MISSING
    run_audit(repo, jobs=1, select=("FUN",))
    again, _ = _load(repo)
    metrics = again.python["src/churn/serve.py"].summary
    assert metrics is not None and metrics.fact("functions.metrics") is not MISSING


def test_a_module_with_a_secret_is_scanned_again_and_its_value_never_cached(tmp_path: Path, layer_on: Path) -> None:
    token = fake("github")
    leaky = {**TREE, "src/churn/data.py": TREE["src/churn/data.py"] + f'\nTOKEN = "{token}"\n'}
    repo = git_init(write_tree(tmp_path / "repo", leaky))
    cold = json_report.dumps(run_audit(repo, jobs=1))
    entries = list(layer_on.glob("*.facts"))
    assert entries and not any(token[4:20].encode() in e.read_bytes() for e in entries)
    project, layer = _load(repo)
    summaries = {pf.path: pf.summary for pf in project.python.values()}
    assert [p for p, s in summaries.items() if s is not None and s.fact("secrets.clean") is False] == [
        "src/churn/data.py"
    ]
    for pf in project.python.values():
        pf.file_fact(DISPATCH_FACT, file_dispatches)  # as API002 would, where interfaces apply
    layer.store(project.python)
    summaries = {pf.path: pf.summary for pf in _load(repo)[0].python.values()}
    dispatch = {p for p, s in summaries.items() if s is not None and s.fact(DISPATCH_FACT) is not MISSING}
    assert (
        "src/churn/serve.py" in dispatch and "src/churn/data.py" not in dispatch
    )  # string literals: clean modules only
    shutil.rmtree(layer_on.parent / "reports")
    warm = json_report.dumps(run_audit(repo, jobs=1))
    assert warm == cold and '"SEC001"' in warm


def test_summaries_made_by_workers_are_cached_whole(
    repo: Path, layer_on: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(filefacts, "WORKERS", True)
    cold = json_report.dumps(run_audit(repo, jobs=2))
    stored, _ = _load(repo)
    names = {e.name for e in filefacts.EXTRACTORS if FileKind.LIBRARY in e.kinds}
    serve = stored.python["src/churn/serve.py"].summary
    assert all(isinstance(pf.summary, filefacts.FileSummary) for pf in stored.python.values())
    assert isinstance(serve, filefacts.FileSummary) and {n for n, _ in serve.facts} == {
        *names,
        QUOTED_LINES_FACT,
    }  # + the line its finding quoted
    shutil.rmtree(layer_on.parent / "reports")
    monkeypatch.setattr(filefacts, "WORKERS", False)
    assert json_report.dumps(run_audit(repo, jobs=1)) == cold


# A published library (rules that judge only libraries run on it), with a command handed to a CLI framework,
# a fixed reseed and a test module that defines no test: each asks for facts of its own.
LIBRARY_TREE = {
    "pyproject.toml": (
        '[project]\nname = "churnlib"\nversion = "0.1.0"\ndependencies = ["numpy>=1.26", "fire"]\n'
        'classifiers = ["Programming Language :: Python :: 3"]\n'
    ),
    "src/churnlib/__init__.py": "",
    "src/churnlib/split.py": (
        "import random\n\nimport numpy as np\n\n\n"
        "def split(rows: list[int], seed: int = 0) -> list[int]:\n"
        "    random.seed(seed)\n    np.random.seed(0)\n    random.shuffle(rows)\n    return rows\n"
    ),
    "src/churnlib/tool.py": (
        "import fire\n\nfrom churnlib.split import split\n\n\n"
        "def run(n: int = 3) -> None:\n    print(split(list(range(n))))\n\n\n"
        "def main() -> None:\n    fire.Fire(run)\n"
    ),
    "tests/__init__.py": "",
    "tests/test_split.py": "from churnlib.split import split\n",
    "tests/test_fit.py": (  # asserts nothing: TST004 looks at how it ends, and for a comparison left without `assert`
        "from churnlib.split import split\n\n\ndef test_fit():\n    model = object()\n    model.fit(split([1, 2]))\n"
        "\n\ndef test_split():\n    split([1, 2]) == ([1], [2])\n"
    ),
}

# A JAX library: its own pytree dataclass wrapper makes the classes it decorates framework components; a class
# extending the project's own may reach a framework through a re-export shim; a benchmark folder's runnable module;
# a module reading timeit's clock, running no timeit benchmark.
JAX_TREE = {
    **LIBRARY_TREE,
    "src/churnlib/trees.py": (
        "import dataclasses\n\nimport jax\n\n\ndef pytree_dataclass(cls):\n    cls = dataclasses.dataclass(cls)\n"
        "    jax.tree_util.register_pytree_node(cls, lambda c: ((), c), lambda c, _: c)\n    return cls\n"
    ),
    "src/churnlib/state.py": (
        "from churnlib.trees import pytree_dataclass\n\n\n@pytree_dataclass\nclass State:\n    step: int = 0\n"
    ),
    "src/churnlib/models.py": "from churnlib.state import State\n\n\nclass Counter(State):\n    pass\n",
    "src/churnlib/benchmark/run.py": (  # a runnable module of a benchmark folder: does it read a clock?
        "from churnlib.split import split\n\nif __name__ == '__main__':\n    split([1, 2])\n"
    ),
    "src/churnlib/clock.py": "import timeit\n\n\ndef now() -> float:\n    return timeit.default_timer()\n",  # no benchmark
}


# A web service: its analyses (startup loads, a class's own `load()`) reach into the modules it imports.
SERVICE_TREE = {
    "requirements.txt": "fastapi==0.110.0\nuvicorn==0.29.0\ntorch==2.2.0\n",
    "svc/__init__.py": "",
    "svc/store.py": (
        "import json\n\n\nclass Store:\n    @classmethod\n    def load(cls, path):\n"
        "        with open(path) as f:\n            return json.loads(f.read())\n"
    ),
    "svc/app.py": (
        "import torch\nfrom fastapi import FastAPI\n\nfrom svc.store import Store\n\n"
        "app = FastAPI()\nSTATE = Store.load('state.json')\nMODEL = torch.jit.load('model.pt')\n\n\n"
        "@app.post('/predict')\ndef predict(x: list[float]) -> dict[str, float]:\n"
        "    return {'y': float(MODEL(torch.tensor(x)))}\n"
    ),
    "svc/jobs.py": (  # not imported by the service: nothing reads it again
        "import pickle\n\n\nclass Job:\n    def __init__(self, path):\n        self.path = path\n\n"
        "    def load(self):\n        with open(self.path, 'rb') as f:\n            return pickle.load(f)\n"
    ),
    "Dockerfile": 'FROM python:3.11-slim\nCOPY . /app\nCMD ["uvicorn", "svc.app:app"]\n',
}


@pytest.mark.parametrize(
    ("tree", "services"),
    [(TREE, ()), (LIBRARY_TREE, ()), (JAX_TREE, ()), (SERVICE_TREE, ("svc/app.py", "svc/store.py"))],
    ids=["application", "library", "jax-library", "service"],
)
def test_every_rule_and_capability_runs_on_worker_summaries_without_parsing_a_module(
    tree: dict[str, str], services: tuple[str, ...], tmp_path: Path, layer_on: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A rule that asks a test module for a fact only code modules carry would parse every test
    # module again after the workers: on a large tree that costs more than all the rules.
    # Only a service's modules and those it imports are read again: its routes, handlers and what runs
    # on import are judged on their trees.
    repo = git_init(write_tree(tmp_path / "repo", tree))
    monkeypatch.setattr(filefacts, "WORKERS", True)
    run_audit(repo, jobs=2)  # the workers' summaries are stored
    project, _ = _load(repo)
    assert all(isinstance(pf.summary, filefacts.FileSummary) for pf in project.python.values())

    def parsed() -> list[str]:
        return [pf.path for pf in project.python.values() if pf.parsed and pf.path not in services]

    for code, rule in load_rules().items():
        list(rule().check(project))
        assert parsed() == [], code
    for capabilities in load_capabilities().values():
        for capability in capabilities:
            capability().assess(project)
            assert parsed() == [], capability.key


def test_a_fork_after_a_partly_cached_load_gives_the_same_report(
    repo: Path, layer_on: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlaudit import parallel

    monkeypatch.setattr(parallel, "MIN_CODE_LINES", 0)
    run_audit(repo, jobs=2)
    for path in ("src/churn/train.py", "src/churn/data.py", "tests/test_train.py"):
        (repo / path).write_text((repo / path).read_text() + "# touched\n")
    forks: list[object] = []
    start_child = parallel.start_child

    def counted(work: Callable[[], object]) -> parallel.Child[object]:
        forks.append(work)
        return start_child(work)

    monkeypatch.setattr(parallel, "start_child", counted)
    partly = json_report.dumps(
        run_audit(repo, jobs=2)
    )  # two of five modules cached: the cached ones parsed, then a fork
    assert forks
    assert partly == json_report.dumps(run_audit(repo, jobs=1, cache=False))


def test_a_used_entry_is_marked_used_once_its_mark_is_old(repo: Path, layer_on: Path) -> None:
    """Eviction removes the least recently used entries: a load marks an entry used unless it was marked within the hour."""
    _stored(repo)
    entries = sorted(layer_on.glob("*.facts"))
    old, recent = time.time() - 2 * filefacts.TOUCH_SECONDS, time.time() - 60
    os.utime(entries[0], (old, old))
    for entry in entries[1:]:
        os.utime(entry, (recent, recent))
    project, _ = _load(repo)
    assert all(pf.summary is not None for pf in project.python.values())  # every module came from the cache
    assert entries[0].stat().st_mtime > recent, "an entry marked long ago is marked used again"
    assert all(abs(e.stat().st_mtime - recent) < 1 for e in entries[1:]), "a recent mark is not rewritten"


def test_the_fact_cache_stays_within_its_size_bound(
    repo: Path, layer_on: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stored(repo)
    sizes = sorted(e.stat().st_size for e in layer_on.glob("*.facts"))
    monkeypatch.setattr(filefacts, "MAX_CACHE_BYTES", sum(sizes[:2]))
    (repo / "src/churn/data.py").write_text(TREE["src/churn/data.py"] + "# edited\n")
    _stored(repo)  # one new entry: the least recently used go until the bound holds
    assert sum(e.stat().st_size for e in layer_on.glob("*.facts")) <= sum(sizes[:2])
    project, _ = _load(repo)
    assert code_metrics(project) == code_metrics(_load(repo)[0])  # evicted entries are simply recomputed


def test_progress_counts_each_module_once_as_the_workers_summarise_it(repo: Path, layer_on: Path) -> None:
    from mlaudit.engine import audit
    from mlaudit.progress import Progress

    steps: list[Progress] = []
    audit(repo, AuditOptions(offline=True, jobs=2, history_depth=0), steps.append)
    parsing = [s for s in steps if s.stage == "parse"]
    assert [s.done for s in parsing] == list(range(1, parsing[0].total + 1))  # in order, none twice, up to all
    shutil.rmtree(layer_on.parent / "reports")
    steps.clear()
    audit(repo, AuditOptions(offline=True, jobs=2, history_depth=0), steps.append)  # cached facts: counted too
    parsing = [s for s in steps if s.stage == "parse"]
    assert parsing[-1].done == parsing[-1].total


def test_a_stop_while_the_workers_run_ends_them_and_the_audit(
    repo: Path, layer_on: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlaudit.project import Cancelled

    pools: list[filefacts._Pending] = []
    workers: list[multiprocessing.process.BaseProcess] = []
    real = filefacts._start_workers

    def started(*args: object) -> filefacts._Pending | None:
        pending = real(*args)  # type: ignore[arg-type]
        if pending is not None:
            pools.append(pending)
            workers.extend(getattr(pending.pool, "_processes", {}).values())
        return pending

    monkeypatch.setattr(filefacts, "_start_workers", started)
    inventory = discover(repo)
    layer = filefacts.layer_for(AuditOptions(jobs=2), list(inventory.files), repo)
    assert layer is not None
    layer.should_stop = lambda: bool(pools)  # the user stops as soon as the workers are running
    with pytest.raises(Cancelled):
        load_project(inventory, AuditOptions(jobs=2), summarize=layer)
    assert len(pools) == 1 and workers  # the stop came while worker processes existed
    for process in workers:
        process.join(timeout=30)  # a bound for a broken run, not a timing assertion
        assert not process.is_alive()


def test_modules_git_shows_unchanged_are_read_only_when_their_text_is_asked_for(
    repo: Path, layer_on: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    cold = json_report.dumps(run_audit(repo, jobs=1))  # fills the fact cache
    edited = repo / "src/churn/serve.py"
    edited.write_text(edited.read_text() + "\n# edited\n")
    inventory = discover(repo)
    options = AuditOptions(jobs=1, offline=True, history_depth=0)
    slot = cache.slot_for(inventory, options)
    assert slot is not None and "src/churn/data.py" in slot.blobs and "src/churn/serve.py" not in slot.blobs
    layer = filefacts.layer_for(options, list(inventory.files), repo)
    assert layer is not None
    layer.blobs = slot.blobs
    read = _recording_reads(monkeypatch)
    project = load_project(inventory, options, summarize=layer, unread=layer.unread)
    assert [p for p in read if p.endswith(".py")] == ["src/churn/serve.py"]  # only the edited module
    data = project.python["src/churn/data.py"]
    assert data._text is None and "read_csv" in data.text and "src/churn/data.py" in read  # read on first use
    edited.write_text(edited.read_text().replace("\n# edited\n", ""))
    shutil.rmtree(layer_on.parent / "reports")
    assert json_report.dumps(run_audit(repo, jobs=1)) == cold  # unread modules give the same report


def _recording_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every module read from disk from now on (discovery's reads and a cached module's text)."""
    from mlaudit import project as project_module

    read: list[str] = []
    real = project_module._read

    def recording(source: SourceFile, wants_python: bool) -> bytes | Skipped | None:
        read.append(source.path)
        return real(source, wants_python)

    monkeypatch.setattr(project_module, "_read", recording)
    return read


def _quoted_in_cache(repo: Path, path: str) -> dict[int, str]:
    pf = _load(repo)[0].python[path]
    assert pf.summary is not None
    return quoted_lines(pf.summary.fact(QUOTED_LINES_FACT))


def test_the_lines_findings_quote_come_from_the_fact_cache_and_their_modules_stay_unread(
    repo: Path, layer_on: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_audit(repo, jobs=1, select=("SEC",))  # cold: every module read; the lines findings quoted are kept
    assert _quoted_in_cache(repo, "src/churn/serve.py")[3] == "MODEL = torch.load('model.pt')"
    edited = repo / "src/churn/data.py"
    edited.write_text(edited.read_text() + "\n# edited\n")
    read = _recording_reads(monkeypatch)
    warm = run_audit(repo, jobs=1, select=("SEC",))
    assert any(f.rule == "SEC009" and f.path == "src/churn/serve.py" and f.line == 3 for f in warm.findings)
    assert [p for p in read if p.endswith(".py")] == ["src/churn/data.py"]  # only the edited module
    assert json_report.dumps(warm) == json_report.dumps(run_audit(repo, jobs=1, select=("SEC",), cache=False))


def test_a_line_the_cache_did_not_keep_is_read_from_the_module() -> None:
    source = SourceFile("src/m.py", Path("src/m.py"), FileKind.LIBRARY, 40, None)
    kept = filefacts.FileSummary("src/m.py", None, facts=((QUOTED_LINES_FACT, ((2, "    return x"),)),))
    reads: list[str] = []

    def reader() -> str:
        reads.append(source.path)
        return "def f(x):\n    return x\n"

    pf = PythonFile(source, None, None, summary=kept, reader=reader)
    assert pf.line(2) == "    return x" and reads == []  # kept: not read
    assert pf.line(1) == "def f(x):" and reads == ["src/m.py"]  # not kept: read once
    assert pf.line(9) == "" and pf.quoted == {1: "def f(x):", 9: ""}  # out of range, as the text says


def test_malformed_quoted_lines_in_an_entry_are_ignored(
    repo: Path, layer_on: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = json_report.dumps(run_audit(repo, jobs=1))
    project, layer = _load(repo)
    path = "src/churn/serve.py"
    summary = project.python[path].summary
    assert isinstance(summary, filefacts.FileSummary)
    broken = ((3, b"MODEL = something else"), (4, "ok"))  # unpicklable, but not lines of text
    facts = tuple((n, broken if n == QUOTED_LINES_FACT else v) for n, v in summary.facts)
    filefacts._store_all(layer_on, {path: layer.keys[path]}, {path: replace(summary, facts=facts)})
    assert quoted_lines(broken) == {} and quoted_lines("3: x") == {}
    shutil.rmtree(layer_on.parent / "reports")
    read = _recording_reads(monkeypatch)
    assert json_report.dumps(run_audit(repo, jobs=1)) == cold
    assert path in read  # its code line was read from the module instead


def test_quoted_lines_of_a_module_holding_a_secret_are_never_cached(tmp_path: Path, layer_on: Path) -> None:
    token = fake("github")
    leaky = {**TREE, "src/churn/data.py": TREE["src/churn/data.py"] + f'\nTOKEN = "{token}"\n'}
    repo = git_init(write_tree(tmp_path / "repo", leaky))
    report = run_audit(repo, jobs=1)
    assert any(f.rule == "SEC001" and f.path == "src/churn/data.py" for f in report.findings)  # its line was quoted
    assert not any(token[4:20].encode() in e.read_bytes() for e in layer_on.glob("*.facts"))
    data = _load(repo)[0].python["src/churn/data.py"].summary
    assert data is not None and data.fact(QUOTED_LINES_FACT) is MISSING
    assert _quoted_in_cache(repo, "src/churn/serve.py")  # a clean module's quoted lines are kept


def test_without_the_cache_no_quoted_line_is_stored(repo: Path, layer_on: Path) -> None:
    report = run_audit(repo, jobs=1, cache=False)
    assert any(f.path == "src/churn/serve.py" and f.line for f in report.findings)
    assert not layer_on.exists() or not any(layer_on.iterdir())


def test_concurrent_audits_storing_quoted_lines_leave_valid_entries(repo: Path, layer_on: Path) -> None:
    import threading

    loaded = [_load(repo) for _ in range(6)]
    for project, _ in loaded:
        project.python["src/churn/serve.py"].line(3)
        _facts(project)
        sweep_clean = project.python["src/churn/serve.py"]
        sweep_clean.file_fact("secrets.clean", lambda _pf: True)
    threads = [threading.Thread(target=layer.store, args=(project.python,)) for project, layer in loaded]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [p.name for p in layer_on.iterdir() if p.name.startswith(".tmp-")] == []
    assert _quoted_in_cache(repo, "src/churn/serve.py") == {3: "MODEL = torch.load('model.pt')"}


def test_a_store_well_within_the_bound_does_not_list_the_cache_folder(
    repo: Path, layer_on: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stored(repo)  # no ledger yet: the folder is measured
    ledger = layer_on / cache.LEDGER
    measured = json.loads(ledger.read_bytes())
    assert measured["bytes"] == sum(e.stat().st_size for e in layer_on.glob("*.facts"))
    listed: list[Path] = []
    real = cache.evict

    def recording(folder: Path, bound: int, keep: Path | None = None, suffix: str = ".json") -> int:
        listed.append(folder)
        return real(folder, bound, keep, suffix)

    monkeypatch.setattr(cache, "evict", recording)
    data = repo / "src/churn/data.py"
    data.write_text(TREE["src/churn/data.py"] + "# edited\n")
    _stored(repo)
    assert listed == []  # one new entry, far within the bound: counted, not listed
    assert json.loads(ledger.read_bytes())["bytes"] == sum(e.stat().st_size for e in layer_on.glob("*.facts"))
    for stale in (b"not json", json.dumps({"bytes": 10, "measured": 0}).encode()):  # corrupt; measured long ago
        ledger.write_bytes(stale)
        data.write_text(data.read_text() + "# again\n")
        _stored(repo)
        assert listed[-1] == layer_on and len(json.loads(ledger.read_bytes())) == 2
    assert len(listed) == 2


def test_worker_batches_hand_out_every_module_once_largest_first_and_shrink_towards_the_end() -> None:
    sizes = [40_000, 3_000, 25_000, 500, 12_000, 8_000, 90_000, 1_000, 6_000, 2_000] * 6
    misses = [
        (SourceFile(f"pkg/m{i}.py", Path(f"pkg/m{i}.py"), FileKind.LIBRARY, size, None), b"x" * size)
        for i, size in enumerate(sizes)
    ]
    batches = filefacts._batches(misses, 2)
    paths = [path for batch in batches for path, _kind, _raw in batch]
    assert sorted(paths) == sorted(s.path for s, _ in misses) and len(paths) == len(set(paths))
    work = [sum(len(raw) + filefacts.FILE_COST for _p, _k, raw in batch) for batch in batches]
    assert len(batches) > 4 and work[0] > 3 * work[-1]  # large batches first, small ones last
    floor = sum(work) // (2 * filefacts.TAIL_BATCHES)  # the smallest batch a worker is handed
    assert all(later <= earlier or later <= 2 * floor for earlier, later in itertools.pairwise(work))
