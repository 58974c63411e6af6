"""Provides the rules of the `testing` practice: tests exist, assert, cover the risky modules, and run in CI."""

from __future__ import annotations

import ast
import fnmatch
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from mlaudit.model import FileKind, Severity
from mlaudit.practices._callgraph import reached_definitions
from mlaudit.practices._ci import ci_files, ci_running_tests
from mlaudit.practices._randomness import MAIN_BLOCK
from mlaudit.project import FunctionNode, Project, PythonFile
from mlaudit.readers import ini_file, pyproject
from mlaudit.registry import Hit, Metric, NotRun, Output, Rule, applicability, register
from mlaudit.scoring import linear_points
from mlaudit.tools.coverage import CoverageResult

DEFAULT_TEST_FILES = ("test_*.py", "*_test.py")
CONFIG_STEMS = frozenset({"config", "configs", "settings", "constants", "consts", "const", "conf", "defaults"})
NOT_MODULES = frozenset({"__init__", "__main__", "_version", "version", "noxfile", "tasks", "fabfile", "setup"})
IMPORTANT_KINDS = (
    ("data loading", ("data", "loader", "dataloader", "load")),
    ("preprocessing", ("preprocess", "transform", "clean")),
    ("features", ("feature", "featur")),
    ("metrics", ("metric", "eval", "scoring")),
    ("losses", ("loss",)),
    ("retrieval/ranking/chunking", ("retriev", "rank", "rerank", "chunk")),
)
ASSERT_CALL = re.compile(
    r"^_*(assert|check_|verify_|expect)|^(check|verify|raises|warns|deprecated_call|fail|raises_regex)$"
)
WARNINGS_AS_ERRORS = frozenset({"simplefilter", "filterwarnings"})
FAIL_CALLS = frozenset({"fail"})
SKIP_MARKS = frozenset({"skip", "xfail", "skipif"})
MIN_MODULE_LINES = 10


@dataclass(frozen=True)
class PytestConfig:
    """Where pytest is configured, and the settings that change what it collects."""

    source: str | None
    testpaths: tuple[str, ...] = ()
    python_files: tuple[str, ...] = DEFAULT_TEST_FILES
    addopts: str = ""

    @property
    def doctest_modules(self) -> bool:
        """Return True when pytest collects doctests from modules."""
        return "--doctest-modules" in self.addopts


@dataclass(frozen=True)
class CollectedTest:
    """One collected test function (or method) and how many cases its parametrisation yields."""

    path: str
    name: str
    node: FunctionNode
    cases: int
    parametrized: bool


@dataclass(frozen=True)
class Suite:
    """The repository's tests as pytest would collect them."""

    config: PytestConfig
    test_modules: tuple[str, ...]
    support_files: tuple[str, ...]
    functions: tuple[CollectedTest, ...]
    test_code_lines: int

    @property
    def parametrized_cases(self) -> int:
        """Return the cases yielded by parametrised tests."""
        return sum(f.cases for f in self.functions if f.parametrized)


def pytest_config(project: Project) -> PytestConfig:
    """Return pytest's configuration from pyproject, pytest.ini, tox.ini or setup.cfg (first found)."""
    found = _pyproject_pytest(pyproject(project))
    if found is not None:
        return _config("pyproject.toml [tool.pytest.ini_options]", found)
    for name, section in (("pytest.ini", "pytest"), ("tox.ini", "pytest"), ("setup.cfg", "tool:pytest")):
        options = ini_file(project, name).section(section)
        if options is not None:
            return _config(f"{name} [{section}]", options)
    return PytestConfig(None)


def _pyproject_pytest(data: dict[str, Any]) -> dict[str, Any] | None:
    tool = data.get("tool", {})
    pytest = tool.get("pytest") if isinstance(tool, dict) else None
    if not isinstance(pytest, dict):
        return None
    inner = pytest.get("ini_options")
    return inner if isinstance(inner, dict) else pytest


def _config(source: str, options: dict[str, Any]) -> PytestConfig:
    files = _words(options.get("python_files")) or DEFAULT_TEST_FILES
    addopts = options.get("addopts", "")
    return PytestConfig(
        source,
        _words(options.get("testpaths")),
        files,
        " ".join(addopts) if isinstance(addopts, list) else str(addopts),
    )


def _words(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    if isinstance(value, str):
        return tuple(value.split())
    return ()


def _suite(project: Project) -> Suite:
    config = pytest_config(project)
    modules: list[str] = []
    support: list[str] = []
    functions: list[CollectedTest] = []
    for pf in project.python.values():
        if pf.is_notebook:
            continue
        name = pf.path.rsplit("/", 1)[-1]
        is_test_module = any(fnmatch.fnmatch(name, pat) for pat in config.python_files) and name != "conftest.py"
        if is_test_module and (pf.kind is FileKind.TEST or _under(pf.path, config.testpaths)):
            modules.append(pf.path)
            functions.extend(collect_tests(pf))
        elif pf.kind is FileKind.TEST:
            support.append(pf.path)
    lines = sum(project.python[p].code_lines for p in (*modules, *support))
    return Suite(config, tuple(sorted(modules)), tuple(sorted(support)), tuple(functions), lines)


def suite_of(project: Project) -> Suite:
    """Return the project's test suite, computed once."""
    suite: Suite = project.fact("testing.suite", _suite)
    return suite


def _under(path: str, folders: tuple[str, ...]) -> bool:
    return any(path.startswith(folder.strip("/") + "/") for folder in folders if folder not in ("", "."))


def collect_tests(pf: PythonFile) -> Iterator[CollectedTest]:
    """Yield the test functions of a module: `test*` functions and methods of `Test*`/TestCase classes."""
    for stmt in pf.tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and stmt.name.startswith("test"):
            yield _test_function(pf.path, stmt.name, stmt)
        elif isinstance(stmt, ast.ClassDef) and _is_test_class(stmt):
            for item in stmt.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name.startswith("test"):
                    yield _test_function(pf.path, f"{stmt.name}.{item.name}", item)


def _is_test_class(node: ast.ClassDef) -> bool:
    bases = {ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases}
    return node.name.startswith("Test") or bool(bases & {"TestCase", "IsolatedAsyncioTestCase"})


def _test_function(path: str, name: str, node: FunctionNode) -> CollectedTest:
    counts = [_parametrize_cases(d) for d in node.decorator_list]
    cases = [c for c in counts if c is not None]
    return CollectedTest(path, name, node, math.prod(cases) if cases else 1, bool(cases))


def _parametrize_cases(decorator: ast.expr) -> int | None:
    """Return the number of cases of a `@pytest.mark.parametrize(...)` decorator (1 when not literal)."""
    if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
        return None
    if decorator.func.attr != "parametrize":
        return None
    values = decorator.args[1] if len(decorator.args) > 1 else None
    values = next((k.value for k in decorator.keywords if k.arg == "argvalues"), values)
    return len(values.elts) if isinstance(values, ast.List | ast.Tuple) else 1


def _decorator_names(node: FunctionNode) -> set[str]:
    names: set[str] = set()
    for dec in node.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        if isinstance(target, ast.Attribute):
            names.add(target.attr)
    return names


@applicability("testing")
def testing_applies(project: Project) -> str | None:
    """Return why testing is n/a (no Python code at all), or None."""
    if project.python_of(FileKind.LIBRARY, FileKind.SCRIPT, FileKind.TEST):
        return None
    return "no Python modules to test (only notebooks or no code)"


def has_code_to_test(project: Project) -> bool:
    """Return True when there is library or script code that tests could cover."""
    return project.library_code_lines > 0


@register
class NoTests(Rule):
    """Flags a repository with code but no test functions at all.

    ## What it does
    Collects tests the way pytest does (`test_*.py`/`*_test.py`, `tests/` folders, configured
    `python_files` and `testpaths`, `Test*` classes and `unittest.TestCase`) and reports when
    none exists.

    ## Why is this bad?
    Without tests every refactor of data loading, features or metrics is a silent gamble:
    ML bugs rarely crash, they quietly degrade the model.

    ## Example
    ```text
    repo/
      churn/features.py
      train.py
    ```

    ## Use instead
    ```python
    # tests/test_features.py
    from churn.features import charge_per_month

    def test_charge_per_month_handles_zero_tenure():
        assert charge_per_month(total=120.0, tenure=0) == 120.0
    ```
    """

    code = "TST001"
    restates = "tests_collected"
    title = "No tests"
    practice = "testing"
    severity = Severity.ERROR
    fix = "Add a tests/ folder with pytest tests for data loading, features and metrics first."
    weight = 40
    cap = 40

    def check(self, project: Project) -> Iterator[Output]:
        suite = suite_of(project)
        if suite.functions or not has_code_to_test(project):
            return
        if suite.test_modules:
            yield Hit(None, None, f"No test functions in {len(suite.test_modules)} test module(s)")
        else:
            yield Hit(None, None, "No tests: no test_*.py or *_test.py module defines a test function")


@register
class LittleTestCode(Rule):
    """Measures the test suite: test functions, parametrised cases, and test lines per library line.

    ## What it does
    Counts test functions and parametrised cases and compares the code lines of tests with
    the code lines of library and script modules. A ratio of 0.5 or more earns full credit;
    below that, points are lost linearly.

    ## Why is this bad?
    A thin test suite guards only a sliver of the code; the untested rest changes behaviour
    without anyone noticing.

    ## Example
    ```text
    library code: 2,400 lines, tests: 90 lines (ratio 0.04)
    ```

    ## Use instead
    ```python
    @pytest.mark.parametrize("text, expected", [("", []), ("a b", ["a", "b"])])
    def test_tokenize(text, expected):
        assert tokenize(text) == expected
    ```
    """

    code = "TST002"
    restates = "test_volume"
    scoring = "measured"
    title = "Little test code compared with library code"
    practice = "testing"
    severity = Severity.WARNING
    fix = "Grow the tests towards half as many lines as the library, starting with the riskiest modules."

    def check(self, project: Project) -> Iterator[Output]:
        suite = suite_of(project)
        library = project.library_code_lines
        yield Metric("test_functions", len(suite.functions))
        yield Metric("parametrized_cases", suite.parametrized_cases)
        yield Metric("test_code_lines", suite.test_code_lines)
        yield Metric("library_code_lines", library)
        if library == 0:
            return
        ratio = suite.test_code_lines / library
        target = project.options.threshold("test_to_code_ratio", 0.5)
        points = linear_points(ratio, 0.0, target, 20)
        reason = f"{self.code} test-to-code ratio {ratio:.2f} (target {target:.2f})"
        yield Metric("test_to_code_ratio", round(ratio, 3), points, reason)


def module_name(path: str, python: Iterable[str] | dict[str, PythonFile]) -> str:
    """Return the import name of a module: its package chain (found by `__init__.py`) plus its stem."""
    dirs = path.split("/")[:-1]
    stem = path.rsplit("/", 1)[-1].removesuffix(".py")
    top = len(dirs)
    while top > 0 and "/".join(dirs[:top]) + "/__init__.py" in python:
        top -= 1
    parts = dirs[top:] if stem == "__init__" else [*dirs[top:], stem]
    return ".".join(parts)


def _prefixes(name: str) -> Iterator[str]:
    parts = name.split(".")
    for i in range(1, len(parts) + 1):
        yield ".".join(parts[:i])


def _referenced_names(pf: PythonFile) -> Iterator[str]:
    """Yield the dotted names a test file imports, reaches through attributes, or patches by string."""
    yield from pf.imports.values()
    yield from pf.imported_modules
    for attr in pf.nodes(ast.Attribute):
        if not isinstance(pf.parent(attr), ast.Attribute):
            qual = pf.qualname(attr)
            if qual is not None:
                yield qual
    for call in pf.nodes(ast.Call):
        callee = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        if callee in {"patch", "import_module"} and call.args and isinstance(call.args[0], ast.Constant):
            yield str(call.args[0].value)


def _reexports(project: Project) -> dict[str, str]:
    """Map `pkg.name` re-exported by a package `__init__` to the submodule defining it."""
    mapping: dict[str, str] = {}
    for path, pf in project.python.items():
        if not path.endswith("/__init__.py") or pf.kind is not FileKind.LIBRARY:
            continue
        package = module_name(path, project.python)
        for node in pf.nodes(ast.ImportFrom):
            source = _import_source(package, node)
            if source is None:
                continue
            for alias in node.names:
                local = alias.asname or alias.name
                mapping[f"{package}.{local}"] = f"{source}.{alias.name}" if node.module is None else source
    return mapping


def _import_source(package: str, node: ast.ImportFrom) -> str | None:
    if node.level == 1:
        return f"{package}.{node.module}" if node.module else package
    if node.level == 0 and node.module and node.module.startswith(package + "."):
        return node.module
    return None


def _tested_modules(project: Project) -> frozenset[str]:
    """Return the modules the tests reach (computed once: the rule and the capability share it)."""
    tested: frozenset[str] = project.fact("testing.tested_modules", _find_tested_modules)
    return tested


def _find_tested_modules(project: Project) -> frozenset[str]:
    names: set[str] = set()
    tests = project.python_of(FileKind.TEST)
    for pf in tests:
        for ref in _referenced_names(pf):
            names.update(_prefixes(ref))
    for path, top in reached_definitions(project, [pf.path for pf in tests]):
        if top is not None and top != MAIN_BLOCK:
            names.add(module_name(path, project.python))
    reexports = _reexports(project)
    names.update(reexports[n] for n in list(names) if n in reexports)
    if suite_of(project).config.doctest_modules:
        names.update(
            module_name(p, project.python)
            for p, pf in project.python.items()
            if ">>>" in pf.text and not pf.is_notebook
        )
    return frozenset(names)


def importance(path: str) -> str | None:
    """Return the risk category of a module by its name (data loading, features, ...), or None."""
    tokens = re.split(r"[_\W\d]+", path.removesuffix(".py").lower().rsplit("/", 2)[-1])
    parent = path.lower().rsplit("/", 2)[-2] if path.count("/") >= 1 else ""
    for label, prefixes in IMPORTANT_KINDS:
        if any(t.startswith(prefixes) for t in (*tokens, parent) if t):
            return label
    return None


def _needs_tests(pf: PythonFile) -> bool:
    stem = pf.path.rsplit("/", 1)[-1].removesuffix(".py")
    if pf.is_notebook or stem in NOT_MODULES or stem in CONFIG_STEMS or pf.path.startswith("docs/"):
        return False
    if pf.code_lines < MIN_MODULE_LINES:
        return False
    return any(isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) for s in pf.tree.body)


@register
class UntestedModule(Rule):
    """Flags library modules that no test imports, the risky ones (data, features, metrics...) first.

    ## What it does
    Resolves the imports of every test file (`from pkg.data import x`, `import pkg.data`,
    `pkg.data.load(...)` through the package, names re-exported by `pkg/__init__.py`,
    `mock.patch("pkg.data...")`) and follows the functions and classes the tests use into the
    modules those call (an end-to-end `model.transcribe(...)` reaches the decoding code). A
    test that calls a registry (`list_models()`, `create_model(...)`) reaches every module
    that registers with it (`@register_model`). Reports library modules none of this reaches. Modules
    named for data loading, preprocessing, features, metrics, losses or retrieval/ranking/
    chunking are warnings; others are info. `__init__`, `__main__`, config/constant modules
    and modules under 10 code lines are left out.

    ## Why is this bad?
    Data loading, preprocessing, feature and metric code fails silently: a leaked label or
    an off-by-one window produces a plausible but wrong model.

    ## Example
    ```python
    # churn/features.py is imported by no test
    def tenure_bucket(months): ...
    ```

    ## Use instead
    ```python
    # tests/test_features.py
    from churn.features import tenure_bucket

    def test_tenure_bucket_edges():
        assert tenure_bucket(0) == "new"
        assert tenure_bucket(24) == "loyal"
    ```
    """

    code = "TST003"
    restates = "modules_reached"
    title = "Module not touched by any test"
    practice = "testing"
    severity = Severity.WARNING
    fix = "Add tests/test_<module>.py that imports the module and checks its main functions on tiny inputs."

    def check(self, project: Project) -> Iterator[Output]:
        if not suite_of(project).functions:
            return
        tested = _tested_modules(project)
        untested = 0
        for pf in sorted(project.python_of(FileKind.LIBRARY), key=lambda p: p.path):
            name = module_name(pf.path, project.python)
            if not _needs_tests(pf) or name in tested:
                continue
            untested += 1
            label = importance(pf.path)
            if label is None:
                yield Hit(pf.path, None, f"Module {name} is not imported or called by any test", severity=Severity.INFO)
            else:
                yield Hit(pf.path, None, f"Module {name} ({label}) is not imported or called by any test")
        yield Metric("untested_modules", untested)


SMOKE_RUN = re.compile(r"\bpython[\d.]*\s+(?:-u\s+)?(?:(-m)\s+([\w.]+)|([\w./-]+\.py))")


def ci_smoke_runs(project: Project, files: list[str]) -> list[tuple[str, list[str]]]:
    """Return the CI files that run the repository's own Python scripts or modules, with those scripts."""
    found: list[tuple[str, list[str]]] = []
    for path in files:
        scripts: list[str] = []
        for match in SMOKE_RUN.finditer(project.text(path) or ""):
            script = match.group(3) or (match.group(2) or "").replace(".", "/") + ".py"
            script = script.removeprefix("./")
            if script in project.python and script not in scripts:
                scripts.append(script)
        if scripts:
            found.append((path, scripts))
    return found


def listed_scripts(scripts: list[str]) -> str:
    """Return up to three scripts, with a count of the rest."""
    shown = ", ".join(scripts[:3])
    return f"{shown} (+{len(scripts) - 3} more)" if len(scripts) > 3 else shown


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _enclosing_functions(pf: PythonFile, node: ast.AST) -> Iterator[ast.AST]:
    for anc in pf.ancestors(node):
        if isinstance(anc, ast.FunctionDef | ast.AsyncFunctionDef):
            yield anc


def _raises_assertion(node: ast.Raise) -> bool:
    exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    return isinstance(exc, ast.Name) and exc.id in {"AssertionError", "Failed"}


def asserting_functions(pf: PythonFile) -> set[ast.AST]:
    """Return the functions of a test file that assert: directly, or by calling a local asserting helper."""
    direct: set[ast.AST] = set()
    for node in pf.nodes(ast.Assert):
        direct.update(_enclosing_functions(pf, node))
    for raise_node in pf.nodes(ast.Raise):
        if _raises_assertion(raise_node):
            direct.update(_enclosing_functions(pf, raise_node))
    calls = pf.nodes(ast.Call)
    for call in calls:
        if ASSERT_CALL.search(_callee(call)) or _errors_on_warning(call):
            direct.update(_enclosing_functions(pf, call))
    helpers = {f.name for f in direct if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)}
    for call in calls:
        if _local_helper_name(call.func) in helpers:
            direct.update(_enclosing_functions(pf, call))
    return direct


def asserting_in(project: Project, path: str) -> frozenset[ast.AST]:
    """Return `asserting_functions` of a test module, found once per project (rules and capabilities share it)."""
    known: dict[str, frozenset[ast.AST]] = project.fact("testing.asserting", lambda _p: {})
    if path not in known:
        known[path] = frozenset(asserting_functions(project.python[path]))
    return known[path]


def _local_helper_name(func: ast.expr) -> str | None:
    """Return the name of a call to a helper of the file: `check(x)`, or `self.compare(x)` on the test class."""
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"):
        return func.attr
    return None


def _errors_on_warning(call: ast.Call) -> bool:
    """Return True for `warnings.simplefilter("error")` and `@pytest.mark.filterwarnings("error")`."""
    if _callee(call) not in WARNINGS_AS_ERRORS or not call.args:
        return False
    first = call.args[0]
    return isinstance(first, ast.Constant) and str(first.value).startswith("error")


VALIDATOR_PREFIXES = ("validate", "check", "verify", "ensure", "assert")
MUST_NOT_RAISE = re.compile(r"(not|n't|nt)[ _](raise|fail|break|crash|throw|error)|no[ _](error|exception|crash)", re.I)


def _declared_must_not_raise(pf: PythonFile, test: CollectedTest) -> bool:
    """Return True for a test that says it checks that nothing raises: in its name or a comment of its body.

    `test_fit_with_empty_batch_does_not_raise`, or `clone(cp)  # does not raise` (a regression
    test for a crash): not raising is the assertion.
    """
    if MUST_NOT_RAISE.search(test.name):
        return True
    end = test.node.end_lineno or test.node.lineno
    comments = (line.split("#", 1)[1] for line in pf.lines[test.node.lineno - 1 : end] if "#" in line)
    return any(MUST_NOT_RAISE.search(comment) for comment in comments)


def _exempt_from_assertion(test: CollectedTest) -> bool:
    """Benchmarks, skipped tests and import smoke tests need no assertion."""
    params = {a.arg for a in (*test.node.args.args, *test.node.args.kwonlyargs)}
    if "benchmark" in params or _decorator_names(test.node) & SKIP_MARKS:
        return True
    if any(isinstance(d, ast.Call) and _errors_on_warning(d) for d in test.node.decorator_list):
        return True
    body = [s for s in test.node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if body and all(isinstance(s, ast.Import | ast.ImportFrom) for s in body):
        return True
    if "." in test.name and all(isinstance(s, ast.Pass) for s in body):
        return True  # a method emptied to switch off a test inherited from a base test class
    return bool(body) and all(_validator_call(s) for s in body)


def _validator_call(stmt: ast.stmt) -> bool:
    """Return True for `validate_url(url)`: a must-not-raise test, where calling the validator is the check."""
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
        return False
    func = stmt.value.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name.lstrip("_").startswith(VALIDATOR_PREFIXES)


@register
class AssertionlessTest(Rule):
    """Flags test functions that assert nothing.

    ## What it does
    Reports a test with no `assert`, no `pytest.raises`/`warns`, no mock `assert_*` call, no
    `self.assert*`, no `np.testing`/`pd.testing` assertion, and no call to a helper named
    `assert_*`, `check_*` or `verify_*` (or a local helper that asserts). Benchmarks, skipped
    tests, import smoke tests, must-not-raise tests that only call a validator
    (`_validate_url(url)`) or say so in their name or a comment (`..._does_not_raise`,
    `# should not raise`: a regression test for a crash) and test methods emptied to `pass` (switching off an inherited test)
    are left out.

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
            pf = project.python[path]
            asserting = asserting_in(project, path)
            for test in by_module.get(path, ()):
                if test.node in asserting or _exempt_from_assertion(test) or _declared_must_not_raise(pf, test):
                    continue
                yield Hit(path, test.node.lineno, f"Test {test.name} asserts nothing")


@register
class EmptyTestModule(Rule):
    """Flags test modules that define nothing at all.

    ## What it does
    Reports a module pytest would collect (`test_*.py`, `*_test.py`, or configured
    `python_files`) that defines no test and no helper function or class.

    ## Why is this bad?
    An empty test module looks like coverage of a component in the file tree while
    testing nothing; it is usually a test that was planned and never written.

    ## Example
    ```python
    # tests/test_features.py
    import pytest
    ```

    ## Use instead
    ```python
    # tests/test_features.py
    def test_one_hot_keeps_row_count(frame):
        assert len(one_hot(frame, "plan")) == len(frame)
    ```
    """

    code = "TST005"
    title = "Empty test module"
    practice = "testing"
    severity = Severity.WARNING
    fix = "Write the tests this module was created for, or delete it."
    weight = 3
    cap = 10

    def check(self, project: Project) -> Iterator[Output]:
        suite = suite_of(project)
        with_tests = {t.path for t in suite.functions}
        for path in suite.test_modules:
            defs = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
            if path not in with_tests and not any(isinstance(s, defs) for s in project.python[path].tree.body):
                yield Hit(path, None, f"Test module {path} defines no test")


def _is_fail_statement(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.Assert):
        return isinstance(stmt.test, ast.Constant) and not stmt.test.value
    if isinstance(stmt, ast.Raise):
        return _raises_assertion(stmt)
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and _callee(stmt.value) in FAIL_CALLS


def _manual_raises(node: ast.Try) -> bool:
    """Return True for `try: call() [assert False] except X: ... [else: assert False]`."""
    if not node.handlers or node.finalbody:
        return False
    fails_in_else = any(_is_fail_statement(s) for s in node.orelse)
    return fails_in_else or (len(node.body) > 1 and _is_fail_statement(node.body[-1]))


@register
class ManualExceptionCheck(Rule):
    """Flags the try/except/else `assert False` pattern in tests.

    ## What it does
    Reports `try: ... except X: ... else: assert False` (or `pytest.fail`, `raise
    AssertionError`, or the failing statement at the end of the `try` body) inside a test.

    ## Why is this bad?
    It is four lines where one will do, it is easy to get subtly wrong (a bare `assert True`
    in the handler, a broad `except`), and it cannot check the error message.

    ## Example
    ```python
    try:
        load_interactions(path)
    except ValueError:
        assert True
    else:
        assert False
    ```

    ## Use instead
    ```python
    with pytest.raises(ValueError, match="missing columns"):
        load_interactions(path)
    ```
    """

    code = "TST006"
    title = "Exception checked by hand instead of pytest.raises"
    practice = "testing"
    severity = Severity.INFO
    fix = "Use `with pytest.raises(ErrorType, match=...):` around the call."

    def check(self, project: Project) -> Iterator[Output]:
        for path in suite_of(project).test_modules:
            pf = project.python[path]
            for node in pf.nodes(ast.Try):
                func = pf.enclosing_function(node)
                if func is not None and func.name.startswith("test") and _manual_raises(node):
                    caught = ast.unparse(node.handlers[0].type) if node.handlers[0].type else "Exception"
                    yield Hit(
                        path,
                        node.lineno,
                        f"Test {func.name} checks {caught} with try/except/assert False",
                        fix=f"Use `with pytest.raises({caught}):` around the call.",
                    )


def coverage_of(project: Project) -> CoverageResult | None:
    """Return the coverage gatherer's result, if it ran."""
    result = project.tool("coverage")
    return result if isinstance(result, CoverageResult) else None


def _run_metric(result: CoverageResult) -> Iterator[Output]:
    if result.run is not None:
        yield Metric("test_run", f"{result.run.outcome} in {result.run.seconds:.0f} s")


@register
class LowCoverage(Rule):
    """Measures total line coverage from existing coverage data (or an opt-in test run).

    ## What it does
    Reads `.coverage` (coverage.py's data API), `coverage.json` or `coverage.xml` at the
    repository root, never running anything, and maps measured files back onto the
    repository. Total coverage at or above the target (80 % by default) costs nothing;
    below it, points are lost linearly. Without data the check is "not checked". With
    `--run-tests` the tests run under coverage in a subprocess first.

    ## Why is this bad?
    Code no test executes can break without any test failing.

    ## Example
    ```text
    TOTAL   1830    1100    40%
    ```

    ## Use instead
    ```text
    pytest --cov=churn --cov-report=xml   # and raise coverage on the risky modules
    ```
    """

    code = "TST007"
    restates = "coverage_at_target"
    scoring = "measured"
    title = "Low test coverage"
    practice = "testing"
    severity = Severity.WARNING
    fix = "Run pytest --cov, then add tests for the least-covered risky modules until coverage reaches 80 %."
    needs = ("coverage",)

    def check(self, project: Project) -> Iterator[Output]:
        result = coverage_of(project)
        if result is None:
            yield NotRun("coverage", "coverage gatherer did not run")
            return
        yield from _run_metric(result)
        if result.total is None:
            yield NotRun("coverage", result.reason or "no coverage data")
            return
        target = project.options.threshold("coverage_target", 80.0)
        points = linear_points(result.total, 0.0, target, 25)
        reason = f"{self.code} coverage {result.total:.1f}% from {result.source} (target {target:.0f}%)"
        yield Metric("coverage_total", round(result.total, 1), points, reason)
        yield Metric("coverage_source", result.source)


@register
class PoorlyCoveredFile(Rule):
    """Names the files whose line coverage is below 50 %.

    ## What it does
    From the same coverage data as TST007, reports each library or script file covered
    below 50 %, with its percentage. Informational: the total coverage metric carries the
    points.

    ## Why is this bad?
    A good total can hide a risky module that is barely exercised.

    ## Example
    ```text
    churn/features.py    120     90    25%
    ```

    ## Use instead
    ```python
    def test_features_on_tiny_frame(frame):
        out = build_features(frame)
        assert list(out.columns) == ["tenure_bucket", "charge_per_month"]
    ```
    """

    code = "TST008"
    title = "File mostly untested by coverage"
    practice = "testing"
    severity = Severity.INFO
    fix = "Add tests that execute the uncovered branches of this file."
    needs = ("coverage",)

    def check(self, project: Project) -> Iterator[Output]:
        result = coverage_of(project)
        if result is None or result.total is None:
            return
        floor = project.options.threshold("file_coverage_floor", 50.0)
        low = [f for f in result.files if f.percent < floor]
        for entry in low:
            yield Hit(
                entry.path,
                None,
                f"{entry.path} coverage {entry.percent:.0f}% ({entry.covered}/{entry.statements} lines)",
            )
        yield Metric("coverage_files_below_50", len(low))


@register
class StaleCoverage(Rule):
    """Flags coverage data older than the sources it describes.

    ## What it does
    Compares the modification time of the coverage data file with the newest Python
    source; a source changed after the data was written makes the numbers stale.

    ## Why is this bad?
    Stale coverage reports credit tests for code they no longer run, or miss new code.

    ## Example
    ```text
    .coverage written Monday; src/churn/features.py edited Wednesday
    ```

    ## Use instead
    ```text
    pytest --cov   # regenerate after changing the code (or in CI)
    ```
    """

    code = "TST009"
    title = "Stale coverage data"
    practice = "testing"
    severity = Severity.INFO
    fix = "Regenerate the coverage data (pytest --cov) after the latest code changes."
    needs = ("coverage",)

    def check(self, project: Project) -> Iterator[Output]:
        result = coverage_of(project)
        if result is None or result.total is None or result.source == "--run-tests":
            return
        stale = result.stale_against is not None
        yield Metric("coverage_stale", "yes" if stale else "no")
        if stale:
            yield Hit(result.source, None, f"Coverage data {result.source} is older than {result.stale_against}")


@register
class NoTestRunnerConfig(Rule):
    """Flags a test suite without pytest configuration.

    ## What it does
    Looks for pytest settings in `pyproject.toml` (`[tool.pytest.ini_options]`),
    `pytest.ini`, `tox.ini` (`[pytest]`) or `setup.cfg` (`[tool:pytest]`).

    ## Why is this bad?
    Without `testpaths` and options pytest's behaviour depends on the directory it starts
    in, and settings such as strict markers or warnings-as-errors live only in people's heads.

    ## Example
    ```toml
    # pyproject.toml has no pytest section
    ```

    ## Use instead
    ```toml
    [tool.pytest.ini_options]
    testpaths = ["tests"]
    addopts = "-ra --strict-markers"
    ```
    """

    code = "TST010"
    title = "Test runner not configured"
    practice = "testing"
    severity = Severity.INFO
    fix = 'Add [tool.pytest.ini_options] with testpaths = ["tests"] to pyproject.toml.'

    def check(self, project: Project) -> Iterator[Output]:
        suite = suite_of(project)
        yield Metric("pytest_config", suite.config.source or "none")
        if suite.functions and suite.config.source is None:
            yield Hit(None, None, "Tests exist but pytest is not configured (no testpaths, no options)")


@register
class NoCiTests(Rule):
    """Flags a repository whose tests no CI pipeline runs.

    ## What it does
    Looks for CI definitions (`.github/workflows/*.yml`, `.gitlab-ci.yml`,
    `.circleci/config.yml`, `azure-pipelines.yml`, `Jenkinsfile`, `.ci/*`) that run the tests
    (pytest, tox, nox, unittest, `make test`, `coverage run`).

    CI that runs the repository's own scripts end to end (`python train.py --epochs 1`,
    `python detect.py ...`) is testing too: that is an info note asking for the unit tests as
    well, not a warning.

    ## Why is this bad?
    Tests that only run when someone remembers to run them stop being run; regressions
    reach the main branch unnoticed.

    ## Example
    ```yaml
    # .github/workflows/lint.yml only runs ruff
    - run: ruff check .
    ```

    ## Use instead
    ```yaml
    - run: pip install -e '.[dev]'
    - run: pytest --cov --cov-report=xml
    ```
    """

    code = "TST011"
    restates = "tests_in_ci"
    title = "Tests not run in CI"
    practice = "testing"
    severity = Severity.WARNING
    fix = "Add a CI workflow (e.g. .github/workflows/ci.yml) that installs the project and runs pytest."

    def check(self, project: Project) -> Iterator[Output]:
        if not has_code_to_test(project):
            return
        files = ci_files(project)
        running = ci_running_tests(project)
        smoke = ci_smoke_runs(project, files)
        yield Metric("ci_runs_tests", running[0] if running else f"smoke scripts in {smoke[0][0]}" if smoke else "no")
        if running:
            return
        if smoke:
            path, scripts = smoke[0]
            yield Hit(
                path,
                None,
                f"CI runs the project's scripts end to end ({listed_scripts(scripts)}) but not the unit tests",
                severity=Severity.INFO,
                fix="Add a pytest step next to the smoke runs so unit tests also run on every change.",
            )
            return
        if files:
            yield Hit(files[0], None, f"CI ({', '.join(files)}) does not run the tests")
        else:
            yield Hit(None, None, "No CI pipeline runs the tests")
