"""Provides rule TST004: Test without assertion."""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator

from mlaudit.facts.assertions import asserting_in, callee
from mlaudit.facts.randomness import module_paths
from mlaudit.facts.test_suite import CollectedTest, suite_of
from mlaudit.model import Severity
from mlaudit.project import Project, PythonFile
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.logging._shared import safe_snippet


@register
class AssertionlessTest(Rule):
    """Flags test functions that assert nothing.

    ## What it does
    Reports a test with no `assert`, no `pytest.raises`/`warns`, no mock `assert_*` call, no
    `self.assert*`, no `np.testing`/`pd.testing` assertion (also handed to a call that applies it to each pair of
    elements: `jax.tree_util.tree_map(np.testing.assert_allclose, out, expected)`, `map(self.assertEqual, a, b)`),
    no `subprocess.run(..., check=True)`, no error the test raises itself when an `if` finds its check failed
    (`if errors: raise ValueError(msg)`),
    and no call to a helper named `assert_*`, `check_*` or `verify_*` (or a local helper, also a static method
    called through its class: `TestLabels.same_labels(...)`, an imported helper, also one a test-utilities package
    re-exports (`from test_utils import dump_model`) or one asserting through the helpers of other test modules it
    calls, a function of an imported test module (`common.test_additivity(...)`) or a conftest.py fixture
    that asserts, or a function of the module or an imported one that asserts handed to a runner:
    `mp.spawn(_check_sync, nprocs=2)`, `local_launcher(sync_checks.main)`; an imported module is also found through a
    package that re-exports it: `from pkg.test_utils import sync_checks` for `pkg/test_utils/scripts/sync_checks.py`).
    A test decorated to compare its figure with a stored baseline image (`@pytest.mark.mpl_image_compare`,
    matplotlib's `@image_comparison`) asserts through that comparison, and one that registers a response on
    pytest-httpx's `httpx_mock` (`httpx_mock.add_response(url=..., method="DELETE")`) asserts that the request is
    sent: pytest-httpx fails the test when a registered response is never requested (unless the response is
    `is_optional=True` or the test opts out with `assert_all_responses_were_requested=False`). Benchmarks (a `benchmark` fixture,
    a test marked `@pytest.mark.benchmark(...)`, or any
    test of a module under a `benchmarks/` folder), skipped
    tests and tests expected to fail (`@pytest.mark.xfail`, `@unittest.expectedFailure`), import smoke tests (imports only, the names perhaps deleted again: `del pkg`), must-not-raise tests that only call a validator
    (`_validate_url(url)`, or `schema.validate(df)` after the assignments building them) or say so in their name, a comment (also one closing the body after its last statement) or the docstring (`..._does_not_raise`,
    `# should not raise`: a regression test for a crash; `test_train_smoke`, `# test that it runs`: a smoke test; a name saying what the
    code accepts: `test_allows_local_transforms`, or that an error it provokes is swallowed:
    `test_upload_exception_is_ignored`) and test
    methods emptied to `pass` (switching off an inherited test) are left out. A test that ends by running
    training (`trainer.fit(model)`, `model.learn(256)` as its last statement, also the last of a final `try` whose
    handlers only report the error, or of a final loop training once per setting) and asserts nothing is a training smoke test: it checks that training completes end to end, so it is a note (info) asking for an assertion
    on what training produced, as is a test that ends by calling a helper of the repository that does so
    (`train_one_epoch(adata)`); a fit that only sets up a later step is no smoke test. So is a test that ends by
    executing a notebook (`pm.execute_notebook(path, out)`: papermill and nbclient raise when a cell fails).

    A test whose only check is a comparison written as a statement (`split(label) == expected`, the `assert` left
    out) is named with that comparison: its result is thrown away.

    ## Why is this bad?
    A test without an assertion passes whatever the code returns: it proves only that
    nothing raised, and it inflates the test count and coverage.

    ## Example
    ```python
    def test_mf_save_load_roundtrip(tmp_path):
        rec.save(tmp_path / "mf.pt")
        MFRecommender.load(tmp_path / "mf.pt").recommend(users, k=3)
    ```

    ## Use instead
    ```python
    def test_mf_save_load_roundtrip(tmp_path):
        rec.save(tmp_path / "mf.pt")
        loaded = MFRecommender.load(tmp_path / "mf.pt")
        np.testing.assert_array_equal(loaded.recommend(users, k=3), rec.recommend(users, k=3))
    ```
    """

    code = "TST004"
    title = "Test without assertion"
    practice = "testing"
    severity = Severity.WARNING
    fix = "Assert on the result (assert ..., pytest.raises, np.testing.assert_allclose) so the test can fail."

    def check(self, project: Project) -> Iterator[Output]:
        suite = suite_of(project)
        by_module: dict[str, list[CollectedTest]] = defaultdict(list)
        for test in suite.functions:
            by_module[test.path].append(test)
        for path in suite.test_modules:
            asserting = asserting_in(project, path)
            for test in by_module.get(path, ()):
                if test.line in asserting or test.exempt or test.says_no_raise or test.asserts_by_doctest(suite.config):
                    continue
                if _runs_training(project, test):
                    yield Hit(path, test.line, f"Test {test.name} only runs training (a smoke test)", Severity.INFO)
                    continue
                if _runs_notebook(project, test):
                    message = f"Test {test.name} only runs a notebook end to end (a smoke test)"
                    yield Hit(path, test.line, message, Severity.INFO)
                    continue
                compared = _discarded_comparison(project, test)
                if compared is not None:
                    message = f"Test {test.name} asserts nothing: `{compared}` compares without `assert`"
                    yield Hit(
                        path, test.line, message, fix=f"Write `assert {compared}`: a bare comparison never fails."
                    )
                    continue
                yield Hit(path, test.line, f"Test {test.name} asserts nothing")


def _discarded_comparison(project: Project, test: CollectedTest) -> str | None:
    """Return the first comparison the test makes as a statement of its own (`split(label) == expected`): its
    result is thrown away, so the check its author meant never runs (an `assert` left out)."""
    pf = project.python.get(test.path)
    if pf is None:
        return None
    found = sorted(
        (line, snippet)
        for def_line, line, snippet in pf.file_fact(DISCARDED_FACT, discarded_comparisons)
        if def_line == test.line and test.line < line <= test.end_line
    )
    return found[0][1] if found else None


DISCARDED_FACT = "testing.discarded_comparisons"  # a per-file fact (mlaudit.filefacts)


def discarded_comparisons(pf: PythonFile) -> frozenset[tuple[int, int, str]]:
    """Return (`def` line, line, code) of each comparison written as a statement of its own, by the function
    holding it (a per-file fact: a warm audit does not parse the test modules again)."""
    found: set[tuple[int, int, str]] = set()
    for stmt in pf.nodes(ast.Expr):
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Compare):
            func = pf.enclosing_function(stmt)
            if func is not None:
                found.add((func.lineno, stmt.lineno, safe_snippet(pf.segment(stmt.value), 60)))
    return frozenset(found)


# Calls that execute a notebook cell by cell and raise when a cell fails: papermill's and nbclient's runners.
NOTEBOOK_RUNNERS = frozenset({"execute_notebook", "run_notebook"})
NOTEBOOK_RUNS_FACT = "testing.notebook_runs"  # a per-file fact (mlaudit.filefacts)


def _runs_notebook(project: Project, test: CollectedTest) -> bool:
    """Return True when the test ends by executing a notebook (`pm.execute_notebook(path, out)`): papermill and
    nbclient raise when a cell fails, so the test checks that the notebook runs end to end."""
    pf = project.python.get(test.path)
    return pf is not None and test.line in pf.file_fact(NOTEBOOK_RUNS_FACT, notebook_runs)


def notebook_runs(pf: PythonFile) -> frozenset[int]:
    """Return the `def` lines of the functions whose last statement executes a notebook (a per-file fact)."""
    found: set[int] = set()
    for func in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef) or not func.body:
            continue
        last = func.body[-1]
        call = last.value if isinstance(last, ast.Expr | ast.Assign) else None
        if isinstance(call, ast.Call) and callee(call) in NOTEBOOK_RUNNERS:
            found.add(func.lineno)
    return frozenset(found)


# Methods that run a training loop: `trainer.fit(model)`, `model.learn(256)`, `model.train(data, epochs=1)`.
TRAINING_CALLS = frozenset({"fit", "learn", "train"})


def _runs_training(project: Project, test: CollectedTest) -> bool:
    """Return True when the test ends by running a training loop (`trainer.fit(model)`, `_ = algo.learn(128)`,
    in each branch of a final `if`): a smoke test whose check is that training completes. A fit that only sets
    up what the test then exercises (`rec.fit(df)`, then a save/load round trip) is not one, and
    `model.train()` without arguments only switches a mode."""
    pf = project.python.get(test.path)
    if pf is None:
        return False
    ends = pf.file_fact(TRAINING_ENDS_FACT, training_ends)
    if any(line == test.line for line, _ in ends):
        return True
    helper = next(
        ((module, name) for line, module, name in pf.file_fact(LAST_CALLS_FACT, last_calls) if line == test.line), None
    )
    return helper is not None and _helper_trains(project, pf.path, *helper)


def _helper_trains(project: Project, path: str, module: str, name: str) -> bool:
    """Return True when the helper a test ends by calling (local, or from-imported from a repository module:
    `unsupervised_training_one_epoch(adata)`) itself ends by running training."""
    other = module_paths(project).get(module) if module else path
    holder = project.python.get(other) if other else None
    return holder is not None and any(found == name for _, found in holder.file_fact(TRAINING_ENDS_FACT, training_ends))


TRAINING_ENDS_FACT = "testing.training_ends"  # a per-file fact (mlaudit.filefacts)
LAST_CALLS_FACT = "testing.last_helper_calls"


def training_ends(pf: PythonFile) -> frozenset[tuple[int, str]]:
    """Return (`def` line, name) of the module's functions whose body ends by running training (a per-file fact)."""
    return frozenset(
        (func.lineno, func.name)
        for func in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef)
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef) and _ends_training(func.body)
    )


def last_calls(pf: PythonFile) -> frozenset[tuple[int, str, str]]:
    """Return (`def` line, module, name) of the functions whose last statement calls a plain-named function: the
    module it is from-imported from ("" for a function of this file) and its name there (a per-file fact)."""
    found: set[tuple[int, str, str]] = set()
    for func in pf.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef) or not func.body:
            continue
        last = func.body[-1]
        call = last.value if isinstance(last, ast.Expr | ast.Assign) else None
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name):
            module, name = pf.from_imports.get(call.func.id, ("", call.func.id))
            found.add((func.lineno, module, name))
    return frozenset(found)


def _ends_training(body: list[ast.stmt]) -> bool:
    """Return True when the last statement of `body` trains (through a final `if`/`with`, in every branch, a final
    loop whose body ends by training, once per setting: `for double_dqn in (True, False): ... agent.fit(env)`, or a
    final `try` whose body, or `else:`, ends by training: its handlers report a failure, they train nothing)."""
    last = body[-1] if body else None
    if isinstance(last, ast.If):
        return _ends_training(last.body) and (not last.orelse or _ends_training(last.orelse))
    if isinstance(last, ast.With | ast.AsyncWith):
        return _ends_training(last.body)
    if isinstance(last, ast.For | ast.AsyncFor):
        return not last.orelse and _ends_training(last.body)
    if isinstance(last, ast.Try | ast.TryStar):
        return _ends_training(last.orelse or last.body)
    return isinstance(last, ast.Expr | ast.Assign) and any(_training_call(node) for node in ast.walk(last))


def _training_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in TRAINING_CALLS
        and bool(node.args or node.keywords)
    )
